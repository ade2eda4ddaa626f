/*
 * Copyright (c) 2026 The moenet-agent authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * The local HTTP API: a small HTTP/1.1 server, one request per
 * connection.  Everything it serves was rendered by the parent; this
 * process only parses requests, which is why it lives here, in the
 * sandbox that already faces the network.  Every limit is fixed:
 * connections, request head and body size, and the time a client may
 * take, so a slow or hostile client costs a bounded amount.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#include "moenet.h"
#include "imsgev.h"
#include "httpd.h"
#include "reqbody.h"
#include "target.h"
#include "diag.h"

/*
 * Connections: at most HTTPD_MAX_CONNS in all and HTTPD_MAX_PER_SOURCE
 * from one source (an IPv4 address, an IPv6 /64).  When the table is
 * full, a source holding fewer than the fullest one takes over that
 * one's oldest connection still reading its request: idle connections
 * from one client cannot starve the others.
 */
#define HTTPD_MAX_CONNS		64
#define HTTPD_MAX_PER_SOURCE	8
#define HTTPD_HEAD_MAX		8192	/* request line and headers */
#define HTTPD_BODY_MAX		4096
#define HTTPD_READ_TIMEOUT	5	/* seconds for the whole request */
#define HTTPD_WRITE_TIMEOUT	10
#define HTTPD_ACTION_TIMEOUT	30	/* seconds the parent may take */
#define HTTPD_DOC_TIMEOUT	5	/* to render a document */
#define HTTPD_LINGER_TIMEOUT	2
#define HTTPD_LINGER_MAX	(64 * 1024)
#define HTTPD_ACCEPT_PAUSE	1	/* seconds, when out of fds */
#define HTTPD_ACCEPT_BURST	32	/* accepts per wake-up */
#define HTTPD_PATH_LEN		256
#define HTTPD_TOOL_BODY_MAX	1024	/* {"target": "..."} */
#define HTTPD_TOOL_TIMEOUT	20	/* seconds; a run ends in 13 */
#define HTTPD_METHOD_LEN	16

#define M_GET		0x01	/* HEAD goes with GET */
#define M_POST		0x02

enum conn_state {
	C_READ,		/* reading the request */
	C_ACTION,	/* waiting for the parent */
	C_DOC,		/* waiting for the parent's document */
	C_WRITE,	/* writing the answer */
	C_LINGER	/* answer sent, draining before close */
};

/* A document as the parent sent it; shared by the answers using it. */
struct httpd_snap {
	int			 refs;
	int			 status;
	enum httpd_ctype	 ctype;
	size_t			 len;
	char			*data;
};

struct httpd_listener {
	struct event		 ev;
	struct event		 ev_pause;
	int			 fd;
	int			 loopback;
	char			 addr[HTTPD_ADDR_LEN];
};

struct httpd_conn {
	TAILQ_ENTRY(httpd_conn)	 entry;
	struct event		 ev;
	struct event		 ev_timer;
	struct httpd_listener	*l;
	int			 fd;
	uint32_t		 id;
	enum conn_state		 state;
	char			 peer[HTTPD_ADDR_LEN];
	uint8_t			 src[16];	/* source, for the limits */

	/* request */
	char			 in[HTTPD_HEAD_MAX + HTTPD_BODY_MAX];
	size_t			 inlen;
	size_t			 headlen;	/* 0 until the head is read */
	size_t			 clen;		/* Content-Length */
	int			 method;	/* M_GET, M_POST */
	int			 head_only;	/* HEAD */
	char			 path[HTTPD_PATH_LEN];
	char			*auth;		/* Authorization, in in[] */
	int			 doc;		/* in C_DOC: enum httpd_doc */

	/* answer: head, then body (owned or from a snapshot) */
	char			*ohead;
	size_t			 oheadlen;
	const char		*obody;
	size_t			 obodylen;
	char			*obody_own;
	struct httpd_snap	*osnap;
	size_t			 off;		/* over head and body */
	size_t			 lingered;

	/* a forwarded request's answer, as the parent sends it */
	char			*rbuf;
	size_t			 rlen;
};

struct httpd_route {
	const char	*path;
	int		 methods;
	int		 doc;		/* enum httpd_doc, or -1 */
	int		 action;	/* enum httpd_action, HTTPD_FWD(), -1 */
};

/*
 * The bot's requests the parent answers (enum httpd_req); a route path
 * ending in '/' is a prefix: "/peer/" serves "/peer/<name>".
 */
#define HTTPD_FWD_BASE		0x100
#define HTTPD_FWD(req)		(HTTPD_FWD_BASE + (req))

static const struct httpd_route routes[] = {
	{ "/status",		M_GET,	HTTPD_DOC_STATUS,	-1 },
	{ "/sessions",		M_GET,	HTTPD_DOC_SESSIONS,	-1 },
	{ "/metrics",		M_GET,	HTTPD_DOC_METRICS,	-1 },
	{ "/healthz",		M_GET,	HTTPD_DOC_HEALTHZ,	-1 },
	{ "/maintenance",	M_GET,	HTTPD_DOC_MAINT,	-1 },
	{ "/sync",		M_POST,	-1,	HTTPD_ACT_SYNC },
	{ "/maintenance/start",	M_POST,	-1,	HTTPD_ACT_MAINT_START },
	{ "/maintenance/stop",	M_POST,	-1,	HTTPD_ACT_MAINT_STOP },
	/* The control plane's bot (CONTRACT.md). */
	{ "/health",		M_GET,	HTTPD_DOC_HEALTH,	-1 },
	{ "/restart",		M_POST,	-1,	HTTPD_FWD(HTTPD_REQ_RESTART) },
	{ "/peer/",		M_GET,	-1,	HTTPD_FWD(HTTPD_REQ_PEER) },
	{ "/route",		M_POST,	-1,	HTTPD_FWD(HTTPD_REQ_ROUTE) },
	{ "/path",		M_POST,	-1,	HTTPD_FWD(HTTPD_REQ_PATH) },
	{ "/community",		M_GET,	-1,	HTTPD_FWD(HTTPD_REQ_COMMUNITY) },
	{ "/probe/now",		M_POST,	-1,	HTTPD_FWD(HTTPD_REQ_PROBE_NOW) },
	{ "/probe/stats",	M_POST,	-1,
	    HTTPD_FWD(HTTPD_REQ_PROBE_STATS) },
	/* the bot's tools, run here: see conn_tool */
	{ "/ping",		M_POST,	-1,	-1 },
	{ "/tcping",		M_POST,	-1,	-1 },
	{ "/trace",		M_POST,	-1,	-1 },
	{ "/dig",		M_POST,	-1,	-1 },
};

static const char *const ctype_names[HTTPD_CT_MAX] = {
	"application/json",
	"text/plain; charset=utf-8",
	"text/plain; version=0.0.4; charset=utf-8",
};

static struct imsgev			*iev_parent;
static struct httpd_listener		 listeners[HTTPD_LISTEN_MAX];
static size_t				 nlisteners;
static TAILQ_HEAD(, httpd_conn)		 conns = TAILQ_HEAD_INITIALIZER(conns);
static unsigned int			 nconns;
static uint32_t				 next_id = 1;
static struct httpd_snap		*snaps[HTTPD_DOC_MAX];
static time_t				 asked[HTTPD_DOC_MAX];	/* 0: not */
static struct {
	char		*buf;
	size_t		 len;
	size_t		 cap;
}					 pending[HTTPD_DOC_MAX];
static struct httpd_tokens_msg		 tokens;

static void	httpd_listen(struct imsg *);
static void	httpd_snapshot(struct imsg *);
static void	httpd_snapshot_end(struct imsg *);
static void	httpd_doc_same(struct imsg *);
static void	doc_ask(int);
static void	doc_serve(int);
static void	httpd_result(struct imsg *);
static void	httpd_set_tokens(struct imsg *);
static void	httpd_reply(struct imsg *);
static void	httpd_reply_end(struct imsg *);
static const struct httpd_route *route_find(const char *);
static void	conn_forward(struct httpd_conn *, const struct httpd_route *);
static int	forward_arg(struct httpd_conn *, const struct httpd_route *,
		    char *, size_t, char *, size_t);
static int	valid_name(const char *);
static void	httpd_accept(int, short, void *);
static void	httpd_resume(int, short, void *);
static void	httpd_refuse(int);
static void	snap_unref(struct httpd_snap *);
static void	peer_name(const struct sockaddr_storage *, char *, size_t);
static void	source_key(const struct sockaddr_storage *, uint8_t [16]);
static unsigned int source_count(const uint8_t [16]);
static int	source_admit(const uint8_t [16]);
static void	conn_event(struct httpd_conn *, short, int);
static void	conn_close(struct httpd_conn *);
static void	conn_read(int, short, void *);
static void	conn_write(int, short, void *);
static void	conn_linger(int, short, void *);
static void	conn_timeout(int, short, void *);
static void	conn_parse(struct httpd_conn *);
static int	conn_head(struct httpd_conn *, const struct httpd_route **);
static void	conn_request(struct httpd_conn *, const struct httpd_route *);
static int	conn_authorized(struct httpd_conn *, const char *,
		    enum httpd_action);
static void	conn_respond(struct httpd_conn *, int, enum httpd_ctype,
		    const char *, size_t, struct httpd_snap *, const char *);
static void	conn_error(struct httpd_conn *, int, const char *,
		    const char *, ...)
		    __attribute__((__format__ (printf, 4, 5)));
static const char *status_text(int);
static int	is_tchar(int);
static int	token_equal(const char *, const char *);
static size_t	msg_escape(char *, size_t, const char *);
static void	conn_tool(struct httpd_conn *);
static int	tool_target(struct httpd_conn *, char *, size_t);
static void	tool_done(uint32_t, enum diag_status, const char *, size_t);

void
httpd_init(struct imsgev *iev)
{
	iev_parent = iev;
}

/* The parent's messages for the HTTP API; anything malformed is fatal. */
void
httpd_dispatch(struct imsg *imsg)
{
	switch (imsg_get_type(imsg)) {
	case IMSG_HTTP_TOKENS:
		httpd_set_tokens(imsg);
		break;
	case IMSG_HTTP_LISTEN:
		httpd_listen(imsg);
		break;
	case IMSG_HTTP_SNAPSHOT:
		httpd_snapshot(imsg);
		break;
	case IMSG_HTTP_SNAPSHOT_END:
		httpd_snapshot_end(imsg);
		break;
	case IMSG_HTTP_DOC_SAME:
		httpd_doc_same(imsg);
		break;
	case IMSG_HTTP_RESULT:
		httpd_result(imsg);
		break;
	case IMSG_HTTP_REPLY:
		httpd_reply(imsg);
		break;
	case IMSG_HTTP_REPLY_END:
		httpd_reply_end(imsg);
		break;
	default:
		fatalx("%s: unexpected imsg %s", __func__,
		    imsg_type_name(imsg_get_type(imsg)));
	}
}

void
httpd_clear_secrets(void)
{
	explicit_bzero(&tokens, sizeof(tokens));
}

static void
httpd_set_tokens(struct imsg *imsg)
{
	size_t	 len = imsg_get_len(imsg);

	explicit_bzero(&tokens, sizeof(tokens));
	if (imsg_get_data(imsg, &tokens, sizeof(tokens)) == -1)
		fatalx("%s: IMSG_HTTP_TOKENS wrong length", __func__);
	/* imsg_free wipes its copy as well. */
	explicit_bzero(imsg->data, len);
	tokens.local[sizeof(tokens.local) - 1] = '\0';
	tokens.agent[sizeof(tokens.agent) - 1] = '\0';
}

static void
httpd_listen(struct imsg *imsg)
{
	struct httpd_listen_msg	 m;
	struct httpd_listener	*l;
	int			 fd;

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1)
		fatalx("%s: IMSG_HTTP_LISTEN wrong length", __func__);
	if ((fd = imsg_get_fd(imsg)) == -1)
		fatalx("%s: IMSG_HTTP_LISTEN without an fd", __func__);
	if (m.loopback > 1 || nlisteners >= HTTPD_LISTEN_MAX)
		fatalx("%s: bad IMSG_HTTP_LISTEN", __func__);
	m.addr[sizeof(m.addr) - 1] = '\0';

	l = &listeners[nlisteners++];
	l->fd = fd;
	l->loopback = m.loopback;
	strlcpy(l->addr, m.addr, sizeof(l->addr));
	event_set(&l->ev, fd, EV_READ | EV_PERSIST, httpd_accept, l);
	event_add(&l->ev, NULL);
	evtimer_set(&l->ev_pause, httpd_resume, l);
	log_debug("http: serving %s", l->addr);
}

static void
httpd_snapshot(struct imsg *imsg)
{
	uint32_t	 doc = imsg_get_id(imsg);
	size_t		 len = imsg_get_len(imsg), ncap;
	char		*p;

	if (doc >= HTTPD_DOC_MAX || len == 0 || len > HTTPD_CHUNK ||
	    pending[doc].len + len > HTTPD_DOC_SIZE_MAX)
		fatalx("%s: bad IMSG_HTTP_SNAPSHOT", __func__);
	if (pending[doc].len + len > pending[doc].cap) {
		ncap = pending[doc].cap == 0 ? 2 * HTTPD_CHUNK :
		    pending[doc].cap;
		while (ncap < pending[doc].len + len)
			ncap *= 2;
		if ((p = realloc(pending[doc].buf, ncap)) == NULL)
			fatal("%s", __func__);
		pending[doc].buf = p;
		pending[doc].cap = ncap;
	}
	memcpy(pending[doc].buf + pending[doc].len, imsg->data, len);
	pending[doc].len += len;
}

static void
httpd_snapshot_end(struct imsg *imsg)
{
	struct httpd_snap_end_msg	 m;
	struct httpd_snap		*s;
	uint32_t			 doc = imsg_get_id(imsg);

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1)
		fatalx("%s: IMSG_HTTP_SNAPSHOT_END wrong length", __func__);
	if (doc >= HTTPD_DOC_MAX || m.doc != doc || m.ctype >= HTTPD_CT_MAX ||
	    m.status < 200 || m.status > 599 || m.len != pending[doc].len)
		fatalx("%s: bad IMSG_HTTP_SNAPSHOT_END", __func__);
	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal("%s", __func__);
	s->refs = 1;
	s->status = m.status;
	s->ctype = m.ctype;
	s->len = m.len;
	/* The buffer moves to the snapshot; the next one starts afresh. */
	s->data = pending[doc].buf;
	pending[doc].buf = NULL;
	pending[doc].len = pending[doc].cap = 0;
	snap_unref(snaps[doc]);
	snaps[doc] = s;
	doc_serve(doc);
}

/* The parent's answer when the copy here is still current. */
static void
httpd_doc_same(struct imsg *imsg)
{
	uint32_t	 doc = imsg_get_id(imsg), m;

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1)
		fatalx("%s: IMSG_HTTP_DOC_SAME wrong length", __func__);
	if (doc >= HTTPD_DOC_MAX || m != doc || snaps[doc] == NULL)
		fatalx("%s: bad IMSG_HTTP_DOC_SAME", __func__);
	doc_serve(doc);
}

/*
 * Rendered when a client asks, never ahead: one request to the parent
 * for every client that waits meanwhile.  A request not answered in
 * time is asked again by the next client.
 */
static void
doc_ask(int doc)
{
	struct timespec	 ts;
	uint32_t	 m = doc;
	time_t		 now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = ts.tv_sec + 1;	/* never 0 */
	if (asked[doc] != 0 && now - asked[doc] < HTTPD_DOC_TIMEOUT)
		return;
	asked[doc] = now;
	imsg_compose_event(iev_parent, IMSG_HTTP_DOC_GET, doc, 0, -1, &m,
	    sizeof(m));
}

/* Everyone waiting for doc gets it as it is now. */
static void
doc_serve(int doc)
{
	struct httpd_conn	*c, *next;
	struct httpd_snap	*s = snaps[doc];

	asked[doc] = 0;
	TAILQ_FOREACH_SAFE(c, &conns, entry, next)
		if (c->state == C_DOC && c->doc == doc)
			conn_respond(c, s->status, s->ctype, NULL, 0, s, NULL);
}

static void
snap_unref(struct httpd_snap *s)
{
	if (s == NULL || --s->refs > 0)
		return;
	free(s->data);
	free(s);
}

static void
httpd_result(struct imsg *imsg)
{
	struct httpd_result_msg	 m;
	struct httpd_conn	*c;
	uint32_t		 id = imsg_get_id(imsg);

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1)
		fatalx("%s: IMSG_HTTP_RESULT wrong length", __func__);
	if (m.status < 200 || m.status > 599)
		fatalx("%s: bad IMSG_HTTP_RESULT status %u", __func__,
		    m.status);
	m.message[sizeof(m.message) - 1] = '\0';
	TAILQ_FOREACH(c, &conns, entry)
		if (c->id == id && c->state == C_ACTION)
			break;
	if (c == NULL) {
		/* The client went away or timed out meanwhile. */
		log_debug("http: result for request %u, nobody waits", id);
		return;
	}
	log_info("http: POST %s from %s: %u %s", c->path, c->peer, m.status,
	    m.message);
	if (m.status >= 400)
		conn_error(c, m.status, NULL, "%s", m.message);
	else {
		char	 body[HTTPD_MESSAGE_LEN * 6 + 64];
		size_t	 n;

		n = strlcpy(body, "{\"ok\":true,\"message\":\"", sizeof(body));
		n += msg_escape(body + n, sizeof(body) - n, m.message);
		strlcpy(body + n, "\"}\n", sizeof(body) - n);
		conn_respond(c, m.status, HTTPD_CT_JSON, body, strlen(body),
		    NULL, NULL);
	}
}

static void
httpd_accept(int lfd, short event, void *arg)
{
	struct httpd_listener	*l = arg;
	struct httpd_conn	*c;
	struct sockaddr_storage	 ss;
	struct timeval		 tv = { HTTPD_ACCEPT_PAUSE, 0 };
	struct timeval		 rtv = { HTTPD_READ_TIMEOUT, 0 };
	socklen_t		 len;
	uint8_t			 src[16];
	int			 fd, i;

	for (i = 0; i < HTTPD_ACCEPT_BURST; i++) {
		len = sizeof(ss);
		if ((fd = accept4(lfd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1) {
			if (errno == ENFILE || errno == EMFILE) {
				/* Level-triggered: it would spin. */
				log_warn("http: accept on %s", l->addr);
				event_del(&l->ev);
				evtimer_add(&l->ev_pause, &tv);
			} else if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				log_warn("http: accept on %s", l->addr);
			return;
		}
		source_key(&ss, src);
		if (source_admit(src) == -1) {
			httpd_refuse(fd);
			continue;
		}
		if ((c = calloc(1, sizeof(*c))) == NULL) {
			log_warn("%s", __func__);
			close(fd);
			return;
		}
		c->fd = fd;
		c->l = l;
		memcpy(c->src, src, sizeof(c->src));
		c->state = C_READ;
		c->id = next_id++;
		if (next_id == 0)
			next_id = 1;
		peer_name(&ss, c->peer, sizeof(c->peer));
		TAILQ_INSERT_TAIL(&conns, c, entry);
		nconns++;
		evtimer_set(&c->ev_timer, conn_timeout, c);
		/* One deadline for the whole request: slowloris ends here. */
		evtimer_add(&c->ev_timer, &rtv);
		conn_event(c, EV_READ, 0);
	}
}

/* The source a limit counts: an IPv4 address or an IPv6 /64. */
static void
source_key(const struct sockaddr_storage *ss, uint8_t key[16])
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)ss;

	memset(key, 0, 16);
	if (ss->ss_family == AF_INET) {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &sin->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6) {
		memcpy(key, &sin6->sin6_addr, 16);
		/* IPv4 as ::ffff:a.b.c.d stays whole, as above. */
		if (!IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
			memset(key + 8, 0, 8);
	}
}

static unsigned int
source_count(const uint8_t key[16])
{
	struct httpd_conn	*c;
	unsigned int		 n = 0;

	TAILQ_FOREACH(c, &conns, entry)
		if (memcmp(c->src, key, 16) == 0)
			n++;
	return n;
}

/*
 * Room for one more connection from key: 0, having closed another
 * source's idle connection if the table was full, or -1 to refuse.
 */
static int
source_admit(const uint8_t key[16])
{
	struct httpd_conn	*c, *victim = NULL;
	unsigned int		 mine, most = 0, n;

	mine = source_count(key);
	if (mine >= HTTPD_MAX_PER_SOURCE) {
		log_debug("http: %u connections from one source, one refused",
		    mine);
		return -1;
	}
	if (nconns < HTTPD_MAX_CONNS)
		return 0;
	/* The oldest reading connection of the fullest source. */
	TAILQ_FOREACH(c, &conns, entry) {
		if (c->state != C_READ)
			continue;
		if ((n = source_count(c->src)) > most) {
			most = n;
			victim = c;
		}
	}
	if (victim == NULL || most <= mine + 1) {
		log_debug("http: too many connections, one refused");
		return -1;
	}
	log_debug("http: table full: %s's oldest idle connection closed for "
	    "a source with fewer", victim->peer);
	conn_close(victim);
	return 0;
}

static void
httpd_resume(int fd, short event, void *arg)
{
	struct httpd_listener	*l = arg;

	event_add(&l->ev, NULL);
}

/* Over the limit: one best-effort answer, no state kept. */
static void
httpd_refuse(int fd)
{
	static const char	 busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
	    "Content-Type: application/json\r\nContent-Length: 46\r\n"
	    "Retry-After: 1\r\nConnection: close\r\n\r\n"
	    "{\"error\":\"too many connections\",\"status\":503}\n";
	char			 sink[512];

	_Static_assert(sizeof("{\"error\":\"too many connections\","
	    "\"status\":503}\n") - 1 == 46, "Content-Length of busy");
	if (write(fd, busy, sizeof(busy) - 1) != -1) {
		shutdown(fd, SHUT_WR);
		/* What the client already sent: close() sends no reset. */
		if (read(fd, sink, sizeof(sink)) == -1)
			log_debug("http: refused connection: read: %s",
			    strerror(errno));
	}
	close(fd);
}

static void
peer_name(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET &&
	    inet_ntop(AF_INET, &sin->sin_addr, buf, len) != NULL)
		return;
	if (ss->ss_family == AF_INET6 &&
	    inet_ntop(AF_INET6, &sin6->sin6_addr, buf, len) != NULL)
		return;
	strlcpy(buf, "unknown", len);
}

static void
conn_event(struct httpd_conn *c, short what, int persist)
{
	void	(*cb)(int, short, void *);

	if (event_initialized(&c->ev))
		event_del(&c->ev);
	if (what == 0)
		return;
	cb = c->state == C_LINGER ? conn_linger : what == EV_WRITE ?
	    conn_write : conn_read;
	event_set(&c->ev, c->fd, what | (persist ? EV_PERSIST : 0), cb, c);
	event_add(&c->ev, NULL);
}

static void
conn_close(struct httpd_conn *c)
{
	if (event_initialized(&c->ev))
		event_del(&c->ev);
	evtimer_del(&c->ev_timer);
	close(c->fd);
	TAILQ_REMOVE(&conns, c, entry);
	nconns--;
	free(c->ohead);
	free(c->obody_own);
	free(c->rbuf);
	snap_unref(c->osnap);
	/* The request may hold a token. */
	explicit_bzero(c->in, sizeof(c->in));
	free(c);
}

static void
conn_timeout(int fd, short event, void *arg)
{
	struct httpd_conn	*c = arg;

	switch (c->state) {
	case C_READ:
		log_debug("http: %s: no whole request in %d seconds",
		    c->peer, HTTPD_READ_TIMEOUT);
		conn_error(c, 408, NULL, "request not received within %d "
		    "seconds", HTTPD_READ_TIMEOUT);
		break;
	case C_DOC:
		log_warnx("http: GET %s from %s: the agent did not render it "
		    "in %d seconds", c->path, c->peer, HTTPD_DOC_TIMEOUT);
		conn_error(c, 503, "Retry-After: 1\r\n", "the agent did not "
		    "answer within %d seconds", HTTPD_DOC_TIMEOUT);
		break;
	case C_ACTION:
		log_warnx("http: POST %s from %s: no answer from the agent "
		    "in %d seconds", c->path, c->peer, HTTPD_ACTION_TIMEOUT);
		conn_error(c, 504, NULL, "no answer within %d seconds",
		    HTTPD_ACTION_TIMEOUT);
		break;
	case C_WRITE:
		log_debug("http: %s does not read its answer, closed",
		    c->peer);
		conn_close(c);
		break;
	case C_LINGER:
		conn_close(c);
		break;
	}
}

static void
conn_read(int fd, short event, void *arg)
{
	struct httpd_conn	*c = arg;
	ssize_t			 n;

	n = read(fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
	if (n == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		conn_close(c);
		return;
	}
	if (n == 0) {
		/* Gone before a whole request: nobody to answer. */
		conn_close(c);
		return;
	}
	c->inlen += n;
	conn_parse(c);
}

static void
conn_parse(struct httpd_conn *c)
{
	const struct httpd_route	*r = NULL;
	char				*p, *end;
	size_t				 lim;

	if (c->headlen == 0) {
		lim = c->inlen < HTTPD_HEAD_MAX ? c->inlen : HTTPD_HEAD_MAX;
		if (memchr(c->in, '\0', lim) != NULL) {
			conn_error(c, 400, NULL, "NUL byte in the request");
			return;
		}
		/* The head ends with an empty line, CRLF or bare LF. */
		for (p = c->in, end = c->in + lim; p < end; p++) {
			if (*p != '\n')
				continue;
			if (p + 1 < end && p[1] == '\n') {
				c->headlen = p + 2 - c->in;
				break;
			}
			if (p + 2 < end && p[1] == '\r' && p[2] == '\n') {
				c->headlen = p + 3 - c->in;
				break;
			}
		}
		if (c->headlen == 0) {
			if (c->inlen >= HTTPD_HEAD_MAX)
				conn_error(c, 431, NULL, "request head over %d "
				    "bytes", HTTPD_HEAD_MAX);
			return;
		}
		if (conn_head(c, &r) == -1)
			return;
		if (c->clen > 0 && c->inlen < c->headlen + c->clen)
			return;
	} else if (c->inlen < c->headlen + c->clen)
		return;
	else {
		/* Body complete: find the route again. */
		if ((r = route_find(c->path)) == NULL)
			fatalx("%s: route lost", __func__);
	}
	conn_request(c, r);
}

/*
 * Request line and headers.  0 with *route set when the request is
 * valid so far (its body may still be on the way), -1 when an error
 * answer has been queued.
 */
static int
conn_head(struct httpd_conn *c, const struct httpd_route **route)
{
	const struct httpd_route	*r = NULL;
	char				 method[HTTPD_METHOD_LEN];
	char				*line, *next, *sp1, *sp2, *colon, *v;
	char				*target, *version, *q, *e;
	const char			*errstr;
	long long			 clen = -1, n;
	int				 expect = 0, has_te = 0;

	/* Lines are cut in place; the head is not needed as text again. */
	c->in[c->headlen - 1] = '\0';
	line = c->in;
	if ((next = strchr(line, '\n')) != NULL)
		*next++ = '\0';
	if ((e = strchr(line, '\r')) != NULL) {
		if (e[1] != '\0') {
			conn_error(c, 400, NULL, "bad request line");
			return -1;
		}
		*e = '\0';
	}

	/* METHOD SP request-target SP HTTP-version */
	if ((sp1 = strchr(line, ' ')) == NULL ||
	    (sp2 = strchr(sp1 + 1, ' ')) == NULL ||
	    strchr(sp2 + 1, ' ') != NULL || sp1 == line ||
	    (size_t)(sp1 - line) >= sizeof(method)) {
		conn_error(c, 400, NULL, "malformed request line");
		return -1;
	}
	*sp1 = *sp2 = '\0';
	target = sp1 + 1;
	version = sp2 + 1;
	for (q = line; *q != '\0'; q++)
		if (!is_tchar((unsigned char)*q)) {
			conn_error(c, 400, NULL, "malformed method");
			return -1;
		}
	strlcpy(method, line, sizeof(method));
	if (*target != '/') {
		conn_error(c, 400, NULL, "request target must be a path");
		return -1;
	}
	for (q = target; *q != '\0'; q++)
		if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7f) {
			conn_error(c, 400, NULL, "bad character in the "
			    "request target");
			return -1;
		}
	if (strncmp(version, "HTTP/", 5) != 0 || !isdigit((unsigned char)
	    version[5]) || version[6] != '.' || !isdigit((unsigned char)
	    version[7]) || version[8] != '\0') {
		conn_error(c, 400, NULL, "malformed HTTP version");
		return -1;
	}
	if (version[5] != '1') {
		conn_error(c, 505, NULL, "only HTTP/1.x is served");
		return -1;
	}
	if ((q = strchr(target, '?')) != NULL)
		*q = '\0';
	if (strlcpy(c->path, target, sizeof(c->path)) >= sizeof(c->path)) {
		conn_error(c, 414, NULL, "request target too long");
		return -1;
	}

	/* Headers: only the few that matter are looked at. */
	for (line = next; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((e = strchr(line, '\r')) != NULL) {
			if (e[1] != '\0') {
				conn_error(c, 400, NULL, "bare CR in a "
				    "header");
				return -1;
			}
			*e = '\0';
		}
		if (*line == '\0')
			break;
		if ((colon = strchr(line, ':')) == NULL || colon == line) {
			conn_error(c, 400, NULL, "malformed header line");
			return -1;
		}
		*colon = '\0';
		for (q = line; *q != '\0'; q++)
			if (!is_tchar((unsigned char)*q)) {
				conn_error(c, 400, NULL, "malformed header "
				    "name");
				return -1;
			}
		for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
			;
		for (e = v + strlen(v); e > v && (e[-1] == ' ' ||
		    e[-1] == '\t'); e--)
			e[-1] = '\0';
		for (q = v; *q != '\0'; q++)
			if (((unsigned char)*q < 0x20 && *q != '\t') ||
			    (unsigned char)*q == 0x7f) {
				conn_error(c, 400, NULL, "control character "
				    "in a header");
				return -1;
			}
		if (strcasecmp(line, "Content-Length") == 0) {
			if (*v == '\0' || strspn(v, "0123456789") !=
			    strlen(v)) {
				conn_error(c, 400, NULL, "bad Content-Length");
				return -1;
			}
			if (strlen(v) > 9)
				n = HTTPD_BODY_MAX + 1LL;
			else
				n = strtonum(v, 0, 999999999, &errstr);
			if (clen != -1 && n != clen) {
				conn_error(c, 400, NULL, "conflicting "
				    "Content-Length headers");
				return -1;
			}
			clen = n;
		} else if (strcasecmp(line, "Transfer-Encoding") == 0)
			has_te = 1;
		else if (strcasecmp(line, "Authorization") == 0) {
			if (c->auth != NULL) {
				conn_error(c, 400, NULL, "more than one "
				    "Authorization header");
				return -1;
			}
			c->auth = v;
		} else if (strcasecmp(line, "Expect") == 0) {
			if (strcasecmp(v, "100-continue") != 0) {
				conn_error(c, 417, NULL, "unsupported "
				    "expectation");
				return -1;
			}
			expect = 1;
		}
	}
	if (has_te) {
		/* Without a length the body is unbounded to us. */
		conn_error(c, 411, NULL, "Transfer-Encoding is not "
		    "supported; send Content-Length");
		return -1;
	}
	if (clen > HTTPD_BODY_MAX) {
		conn_error(c, 413, NULL, "request body over %d bytes",
		    HTTPD_BODY_MAX);
		return -1;
	}
	c->clen = clen > 0 ? (size_t)clen : 0;

	if (strcmp(method, "GET") == 0)
		c->method = M_GET;
	else if (strcmp(method, "HEAD") == 0) {
		c->method = M_GET;
		c->head_only = 1;
	} else if (strcmp(method, "POST") == 0)
		c->method = M_POST;
	else {
		conn_error(c, 405, "Allow: GET, HEAD, POST\r\n",
		    "method not allowed");
		return -1;
	}
	if ((r = route_find(c->path)) == NULL) {
		conn_error(c, 404, NULL, "no such resource");
		return -1;
	}
	if ((r->methods & c->method) == 0) {
		conn_error(c, 405, r->methods == M_POST ? "Allow: POST\r\n" :
		    "Allow: GET, HEAD\r\n", "method not allowed");
		return -1;
	}
	/* A GET's body is never read: the answer does not depend on it. */
	if (c->method == M_GET)
		c->clen = 0;
	if (expect && c->clen > 0 && c->inlen < c->headlen + c->clen) {
		static const char	 cont[] =
		    "HTTP/1.1 100 Continue\r\n\r\n";

		/* Nothing else was written yet: this fits the buffer. */
		if (write(c->fd, cont, sizeof(cont) - 1) == -1)
			log_debug("http: %s: 100 Continue: %s", c->peer,
			    strerror(errno));
	}
	*route = r;
	return 0;
}

static void
conn_request(struct httpd_conn *c, const struct httpd_route *r)
{
	struct httpd_action_msg	 m;
	struct timeval		 tv = { HTTPD_ACTION_TIMEOUT, 0 };
	struct timeval		 dtv = { HTTPD_DOC_TIMEOUT, 0 };

	if (r->action >= HTTPD_FWD_BASE) {
		conn_forward(c, r);
		return;
	}
	if (r->doc != -1) {
		log_debug("http: GET %s from %s", c->path, c->peer);
		c->state = C_DOC;
		c->doc = r->doc;
		conn_event(c, 0, 0);
		evtimer_del(&c->ev_timer);
		evtimer_add(&c->ev_timer, &dtv);
		doc_ask(r->doc);
		return;
	}
	if (r->action == -1) {
		conn_tool(c);
		return;
	}

	if (!conn_authorized(c, c->auth, r->action))
		return;

	memset(&m, 0, sizeof(m));
	m.action = r->action;
	strlcpy(m.peer, c->peer, sizeof(m.peer));
	c->state = C_ACTION;
	conn_event(c, 0, 0);
	evtimer_del(&c->ev_timer);
	evtimer_add(&c->ev_timer, &tv);
	imsg_compose_event(iev_parent, IMSG_HTTP_ACTION, c->id, 0, -1, &m,
	    sizeof(m));
}

/*
 * Who may do what: /sync takes server.token; without one it is served
 * on loopback only, to the agent's own control-plane key.  Maintenance
 * takes either token, as CONTRACT.md has the control plane call it with
 * its agent key.  1 when allowed, else the answer is queued.
 */
static int
conn_authorized(struct httpd_conn *c, const char *auth,
    enum httpd_action action)
{
	char	 given[HTTPD_TOKEN_LEN];
	int	 local_ok, agent_ok, ok;

	if (action == HTTPD_ACT_SYNC && tokens.local[0] == '\0' &&
	    !c->l->loopback) {
		log_warnx("http: POST %s from %s refused: no server.token "
		    "and %s is not loopback", c->path, c->peer, c->l->addr);
		conn_error(c, 403, NULL, "mutating endpoints on a "
		    "non-loopback address need server.token");
		return 0;
	}
	if (auth == NULL) {
		log_warnx("http: %s from %s: no credentials", c->path,
		    c->peer);
		conn_error(c, 401, "WWW-Authenticate: Bearer\r\n",
		    "authorization required");
		return 0;
	}
	memset(given, 0, sizeof(given));
	if (strncasecmp(auth, "Bearer", 6) == 0 && (auth[6] == ' ' ||
	    auth[6] == '\t')) {
		for (auth += 7; *auth == ' ' || *auth == '\t'; auth++)
			;
		if (strlen(auth) < sizeof(given))
			strlcpy(given, auth, sizeof(given));
	}
	/* Both compared, whatever the first says: the same time for all. */
	local_ok = tokens.local[0] != '\0' && given[0] != '\0' &&
	    token_equal(given, tokens.local);
	agent_ok = tokens.agent[0] != '\0' && given[0] != '\0' &&
	    token_equal(given, tokens.agent);
	explicit_bzero(given, sizeof(given));
	/* The bot's requests (HTTPD_ACT_MAX) take either, as maintenance. */
	if (action == HTTPD_ACT_SYNC)
		ok = tokens.local[0] != '\0' ? local_ok : agent_ok;
	else
		ok = local_ok || agent_ok;
	if (!ok) {
		log_warnx("http: %s from %s: wrong credentials", c->path,
		    c->peer);
		conn_error(c, 401, "WWW-Authenticate: Bearer "
		    "error=\"invalid_token\"\r\n", "invalid token");
		return 0;
	}
	return 1;
}

/* Exact paths, or the one prefix route with a non-empty rest. */
static const struct httpd_route *
route_find(const char *path)
{
	size_t	 i, n;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		n = strlen(routes[i].path);
		if (routes[i].path[n - 1] != '/') {
			if (strcmp(routes[i].path, path) == 0)
				return &routes[i];
			continue;
		}
		if (strncmp(routes[i].path, path, n) == 0 && path[n] != '\0')
			return &routes[i];
	}
	return NULL;
}

/*
 * The bot's requests go to the parent with one checked argument; a bad
 * one is answered 400 here and reaches nothing.
 */
static void
conn_forward(struct httpd_conn *c, const struct httpd_route *r)
{
	struct httpd_request_msg	 m;
	struct timeval			 tv = { HTTPD_ACTION_TIMEOUT, 0 };
	char				 err[HTTPD_MESSAGE_LEN];

	if (!conn_authorized(c, c->auth, HTTPD_ACT_MAX))
		return;
	memset(&m, 0, sizeof(m));
	if (forward_arg(c, r, m.arg, sizeof(m.arg), err, sizeof(err)) == -1) {
		log_info("http: %s from %s refused: %s", c->path, c->peer,
		    err);
		conn_error(c, 400, NULL, "%s", err);
		return;
	}
	m.req = r->action - HTTPD_FWD_BASE;
	strlcpy(m.peer, c->peer, sizeof(m.peer));
	log_debug("http: %s from %s: forwarded (%s)", c->path, c->peer,
	    m.arg);
	c->state = C_ACTION;
	conn_event(c, 0, 0);
	evtimer_del(&c->ev_timer);
	evtimer_add(&c->ev_timer, &tv);
	imsg_compose_event(iev_parent, IMSG_HTTP_REQUEST, c->id, 0, -1, &m,
	    sizeof(m));
}

static int
forward_arg(struct httpd_conn *c, const struct httpd_route *r, char *arg,
    size_t arglen, char *err, size_t errlen)
{
	static const char *const peer_keys[] = { "peer_name", "name", "uuid",
	    NULL };
	static const char *const target_keys[] = { "target", NULL };
	static const char *const asn_keys[] = { "asn", NULL };
	struct target		 t;
	const char		*body = c->in + c->headlen, *errstr;
	char			 v[TARGET_INPUT_MAX + 2];
	int			 n;

	switch (r->action - HTTPD_FWD_BASE) {
	case HTTPD_REQ_COMMUNITY:
		return 0;
	case HTTPD_REQ_PEER:
		if (!valid_name(c->path + strlen(r->path))) {
			snprintf(err, errlen, "a peer is named by letters, "
			    "digits, '_', '-' and '.', at most %d", 63);
			return -1;
		}
		strlcpy(arg, c->path + strlen(r->path), arglen);
		return 0;
	case HTTPD_REQ_RESTART:
		n = reqbody_member(body, c->clen, peer_keys, REQBODY_STRING,
		    v, sizeof(v), err, errlen);
		if (n == 0)
			snprintf(err, errlen, "peer_name is missing");
		if (n != 1)
			return -1;
		if (!valid_name(v)) {
			snprintf(err, errlen, "peer_name: letters, digits, "
			    "'_', '-' and '.', at most 63");
			return -1;
		}
		strlcpy(arg, v, arglen);
		return 0;
	case HTTPD_REQ_ROUTE:
	case HTTPD_REQ_PATH:
		n = reqbody_member(body, c->clen, target_keys, REQBODY_STRING,
		    v, sizeof(v), err, errlen);
		if (n == 0)
			snprintf(err, errlen, "target is missing");
		if (n != 1)
			return -1;
		if (target_parse(v, TARGET_ADDR | TARGET_PREFIX, &t, err,
		    errlen) == -1)
			return -1;
		if (strlcpy(arg, t.canon, arglen) >= arglen) {
			snprintf(err, errlen, "target too long");
			return -1;
		}
		return 0;
	case HTTPD_REQ_PROBE_NOW:
	case HTTPD_REQ_PROBE_STATS:
		n = reqbody_member(body, c->clen, asn_keys, REQBODY_STRING |
		    REQBODY_NUMBER, v, sizeof(v), err, errlen);
		if (n == 0)
			snprintf(err, errlen, "asn is missing");
		if (n != 1)
			return -1;
		if (strspn(v, "0123456789") != strlen(v) ||
		    strtonum(v, 1, UINT32_MAX, &errstr) == 0) {
			snprintf(err, errlen, "asn must be a number from 1 to "
			    "4294967295");
			return -1;
		}
		snprintf(arg, arglen, "%lld", strtonum(v, 1, UINT32_MAX,
		    &errstr));
		return 0;
	}
	snprintf(err, errlen, "unknown request");
	return -1;
}

/* A session's protocol, interface or uuid: 1..63 of [A-Za-z0-9_.-]. */
static int
valid_name(const char *s)
{
	size_t	 n = strlen(s);

	return n > 0 && n < 64 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_.-") == n && s[0] != '-' &&
	    s[0] != '.';
}

static void
httpd_reply(struct imsg *imsg)
{
	struct httpd_conn	*c;
	uint32_t		 id = imsg_get_id(imsg);
	size_t			 len = imsg_get_len(imsg);
	char			*p;

	if (len == 0 || len > HTTPD_CHUNK)
		fatalx("%s: bad IMSG_HTTP_REPLY", __func__);
	TAILQ_FOREACH(c, &conns, entry)
		if (c->id == id && c->state == C_ACTION)
			break;
	if (c == NULL)
		return;		/* gone meanwhile */
	if (c->rlen + len > HTTPD_REPLY_MAX)
		fatalx("%s: IMSG_HTTP_REPLY over %d bytes", __func__,
		    HTTPD_REPLY_MAX);
	if ((p = realloc(c->rbuf, c->rlen + len)) == NULL)
		fatal("%s", __func__);
	memcpy(p + c->rlen, imsg->data, len);
	c->rbuf = p;
	c->rlen += len;
}

static void
httpd_reply_end(struct imsg *imsg)
{
	struct httpd_reply_end_msg	 m;
	struct httpd_conn		*c;
	uint32_t			 id = imsg_get_id(imsg);

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1)
		fatalx("%s: IMSG_HTTP_REPLY_END wrong length", __func__);
	if (m.status < 200 || m.status > 599 || m.len > HTTPD_REPLY_MAX)
		fatalx("%s: bad IMSG_HTTP_REPLY_END", __func__);
	TAILQ_FOREACH(c, &conns, entry)
		if (c->id == id && c->state == C_ACTION)
			break;
	if (c == NULL) {
		log_debug("http: answer for request %u, nobody waits", id);
		return;
	}
	if (m.len != c->rlen)
		fatalx("%s: IMSG_HTTP_REPLY_END length mismatch", __func__);
	log_info("http: %s from %s: %u", c->path, c->peer, m.status);
	conn_respond(c, m.status, HTTPD_CT_JSON, c->rbuf, c->rlen, NULL,
	    m.status == 401 ? "WWW-Authenticate: Bearer\r\n" : NULL);
}

/* Over the whole buffer, whatever the lengths: no early exit. */
static int
token_equal(const char *a, const char *b)
{
	const volatile unsigned char	*x = (const volatile unsigned char *)a;
	const volatile unsigned char	*y = (const volatile unsigned char *)b;
	unsigned char			 d = 0;
	size_t				 i;

	for (i = 0; i < HTTPD_TOKEN_LEN; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

static void
conn_respond(struct httpd_conn *c, int status, enum httpd_ctype ct,
    const char *body, size_t len, struct httpd_snap *snap,
    const char *extra)
{
	struct timeval	 tv = { HTTPD_WRITE_TIMEOUT, 0 };
	int		 n;

	if (snap != NULL) {
		snap->refs++;
		c->osnap = snap;
		c->obody = snap->data;
		c->obodylen = snap->len;
	} else if (len > 0) {
		if ((c->obody_own = malloc(len)) == NULL) {
			log_warn("%s", __func__);
			conn_close(c);
			return;
		}
		memcpy(c->obody_own, body, len);
		c->obody = c->obody_own;
		c->obodylen = len;
	}
	n = asprintf(&c->ohead, "HTTP/1.1 %d %s\r\n"
	    "Content-Type: %s\r\n"
	    "Content-Length: %zu\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "%s"
	    "Connection: close\r\n\r\n", status, status_text(status),
	    ctype_names[ct], c->obodylen, extra != NULL ? extra : "");
	if (n == -1) {
		c->ohead = NULL;
		log_warn("%s", __func__);
		conn_close(c);
		return;
	}
	c->oheadlen = n;
	if (c->head_only)
		c->obodylen = 0;
	c->state = C_WRITE;
	evtimer_del(&c->ev_timer);
	evtimer_add(&c->ev_timer, &tv);
	conn_event(c, EV_WRITE, 1);
}

/* An error answer: {"error": "...", "status": N}. */
static void
conn_error(struct httpd_conn *c, int status, const char *extra,
    const char *fmt, ...)
{
	char		 msg[HTTPD_MESSAGE_LEN];
	char		 body[HTTPD_MESSAGE_LEN * 6 + 64];
	va_list		 ap;
	size_t		 n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (status >= 400 && status < 500 && status != 401 && status != 408)
		log_debug("http: %s: %d %s", c->peer, status, msg);
	n = strlcpy(body, "{\"error\":\"", sizeof(body));
	n += msg_escape(body + n, sizeof(body) - n, msg);
	snprintf(body + n, sizeof(body) - n, "\",\"status\":%d}\n", status);
	conn_respond(c, status, HTTPD_CT_JSON, body, strlen(body), NULL,
	    extra);
}

static void
conn_write(int fd, short event, void *arg)
{
	struct httpd_conn	*c = arg;
	struct iovec		 iov[2];
	struct timeval		 tv = { HTTPD_LINGER_TIMEOUT, 0 };
	ssize_t			 n;
	int			 iovcnt = 0;

	if (c->off < c->oheadlen) {
		iov[iovcnt].iov_base = c->ohead + c->off;
		iov[iovcnt++].iov_len = c->oheadlen - c->off;
		if (c->obodylen > 0) {
			iov[iovcnt].iov_base = (void *)(uintptr_t)c->obody;
			iov[iovcnt++].iov_len = c->obodylen;
		}
	} else if (c->off < c->oheadlen + c->obodylen) {
		iov[iovcnt].iov_base = (void *)(uintptr_t)(c->obody +
		    (c->off - c->oheadlen));
		iov[iovcnt++].iov_len = c->obodylen - (c->off - c->oheadlen);
	}
	if (iovcnt > 0) {
		if ((n = writev(fd, iov, iovcnt)) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			conn_close(c);
			return;
		}
		c->off += n;
		if (c->off < c->oheadlen + c->obodylen)
			return;
	}
	/*
	 * All sent.  Unread request bytes would make close() send a
	 * reset that can destroy the answer in flight: drain them first.
	 */
	shutdown(fd, SHUT_WR);
	c->state = C_LINGER;
	evtimer_del(&c->ev_timer);
	evtimer_add(&c->ev_timer, &tv);
	conn_event(c, EV_READ, 1);
}

static void
conn_linger(int fd, short event, void *arg)
{
	struct httpd_conn	*c = arg;
	char			 buf[4096];
	ssize_t			 n;

	if ((n = read(fd, buf, sizeof(buf))) == -1) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		conn_close(c);
		return;
	}
	c->lingered += n;
	if (n == 0 || c->lingered > HTTPD_LINGER_MAX)
		conn_close(c);
}

static const char *
status_text(int status)
{
	switch (status) {
	case 200:	return "OK";
	case 202:	return "Accepted";
	case 400:	return "Bad Request";
	case 401:	return "Unauthorized";
	case 403:	return "Forbidden";
	case 404:	return "Not Found";
	case 405:	return "Method Not Allowed";
	case 408:	return "Request Timeout";
	case 409:	return "Conflict";
	case 411:	return "Length Required";
	case 413:	return "Content Too Large";
	case 414:	return "URI Too Long";
	case 417:	return "Expectation Failed";
	case 429:	return "Too Many Requests";
	case 431:	return "Request Header Fields Too Large";
	case 500:	return "Internal Server Error";
	case 501:	return "Not Implemented";
	case 502:	return "Bad Gateway";
	case 503:	return "Service Unavailable";
	case 504:	return "Gateway Timeout";
	case 505:	return "HTTP Version Not Supported";
	}
	return status < 300 ? "OK" : status < 500 ? "Client Error" :
	    "Server Error";
}

/* RFC 9110 token characters. */
static int
is_tchar(int ch)
{
	return isalnum(ch) || (ch != '\0' && strchr("!#$%&'*+-.^_`|~",
	    ch) != NULL);
}

/* JSON string contents; anything not printable ASCII becomes \u00XX. */
static size_t
msg_escape(char *dst, size_t len, const char *s)
{
	size_t	 n = 0;
	char	 tmp[8];
	int	 w;

	if (len == 0)
		return 0;
	for (; *s != '\0'; s++) {
		unsigned char	 ch = *s;

		if (ch == '"' || ch == '\\')
			w = snprintf(tmp, sizeof(tmp), "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)
			w = snprintf(tmp, sizeof(tmp), "\\u%04x", ch);
		else
			w = snprintf(tmp, sizeof(tmp), "%c", ch);
		if (n + w >= len)
			break;
		memcpy(dst + n, tmp, w);
		n += w;
	}
	dst[n] = '\0';
	return n;
}

/*
 * POST /ping, /tcping, /trace, /dig: {"target": "..."} with either
 * token, as the control plane's bot calls them.  The tool runs here, in
 * this process; the answer is {"result": "<the tool's text>"}.
 */
static void
conn_tool(struct httpd_conn *c)
{
	struct timeval	 tv = { HTTPD_TOOL_TIMEOUT, 0 };
	char		 target[DIAG_TARGET_LEN], err[256];
	int		 tool, rc;

	/* HTTPD_ACT_MAX: not /sync, so server.token or the agent key. */
	if (!conn_authorized(c, c->auth, HTTPD_ACT_MAX))
		return;
	if ((tool = diag_tool_of(c->path + 1)) == -1)
		fatalx("%s: no tool for %s", __func__, c->path);
	if (tool_target(c, target, sizeof(target)) == -1)
		return;
	rc = diag_start(tool, target, c->id, tool_done, err, sizeof(err));
	if (rc == DIAG_BADTARGET) {
		log_info("http: POST %s from %s: %s", c->path, c->peer, err);
		conn_error(c, 400, NULL, "%s", err);
		return;
	}
	if (rc == DIAG_BUSY) {
		log_warnx("http: POST %s from %s: %s", c->path, c->peer, err);
		conn_error(c, 429, "Retry-After: 5\r\n", "%s", err);
		return;
	}
	c->state = C_ACTION;
	conn_event(c, 0, 0);
	evtimer_del(&c->ev_timer);
	evtimer_add(&c->ev_timer, &tv);
}

/* The body's "target"; -1 when an error answer has been queued. */
static int
tool_target(struct httpd_conn *c, char *buf, size_t len)
{
	static const char	*path[] = { "target", NULL };
	yajl_val		 root, v;
	char			 body[HTTPD_TOOL_BODY_MAX + 1], err[128];

	if (c->clen > HTTPD_TOOL_BODY_MAX) {
		conn_error(c, 413, NULL, "request body over %d bytes",
		    HTTPD_TOOL_BODY_MAX);
		return -1;
	}
	memcpy(body, c->in + c->headlen, c->clen);
	body[c->clen] = '\0';
	/* yajl decodes \u0000 into a NUL that would cut the target short. */
	if (memchr(body, '\0', c->clen) != NULL ||
	    strstr(body, "\\u0000") != NULL ||
	    (root = yajl_tree_parse(body, err, sizeof(err))) == NULL) {
		conn_error(c, 400, NULL, "the body must be JSON: "
		    "{\"target\": \"...\"}");
		return -1;
	}
	v = YAJL_IS_OBJECT(root) ? yajl_tree_get(root, path, yajl_t_string) :
	    NULL;
	if (v == NULL || strlcpy(buf, YAJL_GET_STRING(v), len) >= len) {
		yajl_tree_free(root);
		conn_error(c, 400, NULL, v == NULL ? "the body must be "
		    "{\"target\": \"...\"}" : "bad target: target too long");
		return -1;
	}
	yajl_tree_free(root);
	return 0;
}

/* The tool's text as {"result": "..."}; the client may be gone. */
static void
tool_done(uint32_t id, enum diag_status status, const char *text,
    size_t len)
{
	struct httpd_conn	*c;
	char			*body;
	size_t			 i, n = 0;

	TAILQ_FOREACH(c, &conns, entry)
		if (c->id == id && c->state == C_ACTION)
			break;
	if (c == NULL) {
		log_debug("http: tool result for request %u, nobody waits",
		    id);
		return;
	}
	log_info("http: POST %s from %s: 200, %zu bytes", c->path, c->peer,
	    len);
	/* The text is printable ASCII, tabs and newlines (diagout.c). */
	if ((body = malloc(len * 2 + 32)) == NULL) {
		conn_error(c, 500, NULL, "out of memory");
		return;
	}
	n = strlcpy(body, "{\"result\":\"", len * 2 + 32);
	for (i = 0; i < len; i++) {
		if (text[i] == '\n' || text[i] == '\t') {
			body[n++] = '\\';
			body[n++] = text[i] == '\n' ? 'n' : 't';
		} else if (text[i] == '"' || text[i] == '\\') {
			body[n++] = '\\';
			body[n++] = text[i];
		} else if ((unsigned char)text[i] >= 0x20 &&
		    (unsigned char)text[i] < 0x7f)
			body[n++] = text[i];
	}
	memcpy(body + n, "\"}\n", 4);
	n += 3;
	conn_respond(c, 200, HTTPD_CT_JSON, body, n, NULL, NULL);
	free(body);
}
