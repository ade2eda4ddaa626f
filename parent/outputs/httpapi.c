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
 * The local HTTP API, the parent's half.  The parent binds the sockets
 * (root, before anything could steal the port) and passes them to the
 * fetcher, which parses every request: the parent never reads a byte a
 * client sent.  What the API shows is rendered here, where the state
 * is, when the status changed (core/status.c: after a task's run, a
 * switch, a child's start, and once a ping period for the ages), and
 * sent down whole when it differs; a client is always answered from the
 * last complete document, never from half-updated state.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/tree.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <errno.h>
#include <event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "imsgev.h"
#include "parent/core/config.h"
#include "parent/core/parent.h"
#include "parent/core/status.h"
#include "parent/core/reload.h"
#include "parent/core/route.h"
#include "cpctl.h"
#include "parent/ports/cpclient.h"
#include "parent/core/session.h"
#include "parent/outputs/control.h"
#include "parent/tasks/engine.h"
#include "parent/ports/bird.h"
#include "parent/ports/wg.h"
#include "parent/tasks/metrics.h"
#include "parent/tasks/maint.h"
#include "parent/outputs/httpapi.h"
#include "parent/core/jw.h"
#include "parent/tasks/botapi.h"
#include "parent/tasks/probe.h"
#include "parent/ports/firewall.h"
#include "parent/core/degraded.h"
#include "fetcher/httpd.h"
#include "fetcher/breaker.h"

#define HTTPAPI_BACKLOG		64
#define HTTPAPI_MAINT_WAIT	2	/* s before a switch is answered 202 */
#define HTTPAPI_REASONS		8
#define HTTPAPI_REASON_LEN	256

struct httpapi_doc {
	char	*buf;		/* last sent, to skip sending it again */
	size_t	 len;
	int	 status;
	int	 ctype;
	int	 sent;
};

/* One maintenance switch under way; see httpapi_maint. */
struct maint_req {
	uint32_t	 id;
	int		 on;
	int		 returned;
	int		 answered;
	int		 done;		/* BIRD has it (or not) */
	struct event	 ev;
};

/* A bot request waiting for its answer; found again by its id. */
struct bot_req {
	uint32_t	 id;
	int		 req;		/* enum httpd_req */
};

static struct httpapi_doc	 docs[HTTPD_DOC_MAX];
static struct status_snapshot	 snap;	/* taken for each render */
static char			 sent_local[CONF_TOKEN_LEN];
static char			 sent_agent[CONF_TOKEN_LEN];
static int			 initialized;
static struct maint_req		*pending_maint;

static int	httpapi_bind(void);
static int	listen_spec(const char *, char *, size_t, char *, size_t);
static int	listen_one(const struct sockaddr *, socklen_t);
static int	is_loopback(const struct sockaddr *);
static void	addr_text(const struct sockaddr *, char *, size_t);
static void	httpapi_tokens(int);
static void	httpapi_chunks(uint32_t, uint32_t, const char *, size_t);
static void	httpapi_changed(void);
static void	httpapi_reload(const struct moenet_conf *,
		    const struct moenet_conf *);
static void	httpapi_send(enum httpd_doc, int, enum httpd_ctype, char *,
		    size_t);
static void	httpapi_reply(uint32_t, int, const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));
static void	httpapi_maint(uint32_t, int, const char *);
static void	httpapi_maint_done(const char *, void *);
static void	render_status(time_t);
static void	render_sessions(time_t);
static void	render_metrics(void);
static void	render_healthz(time_t);
static void	render_maint(void);
static void	render_health(time_t);
static int	health_reasons(time_t, char [][HTTPAPI_REASON_LEN], int);
static void	httpapi_maint_timer(int, short, void *);
static void	httpapi_request(struct imsg *);
static void	httpapi_action(struct imsg *);
static void	httpapi_answer(uint32_t, int, const char *, size_t);
static void	httpapi_answer_text(uint32_t, int, const char *);
static void	httpapi_bot_done(int, const char *, void *);
static void	httpapi_probe_done(const struct probe_result *, void *);
static void	render_error(enum httpd_doc, int, const char *);
static int64_t	uptime(void);
static FILE	*doc_open(char **, size_t *);

void
httpapi_init(void)
{
	static const struct reload_hook	 hook = { "HTTP API", NULL,
					    httpapi_reload };

	if (initialized)
		return;
	initialized = 1;
	/* Tokens first: the first request may come with the socket. */
	httpapi_tokens(1);
	if (httpapi_bind() == 0)
		log_warnx("HTTP API: nothing to serve on %s", conf->srv_listen);
	httpapi_refresh();
	status_on_change(httpapi_changed);
	reload_add(&hook);
}

static void
httpapi_changed(void)
{
	httpapi_refresh();
}

static void
httpapi_reload(const struct moenet_conf *old, const struct moenet_conf *new)
{
	/* The sockets stay as bound: reload.c names server.listen. */
	httpapi_tokens(0);
}

/* Every document, sent where it differs from what the fetcher has. */
void
httpapi_refresh(void)
{
	time_t	 now;

	if (!initialized)
		return;
	status_take(&snap);
	now = snap.now;
	render_status(now);
	render_sessions(now);
	render_metrics();
	render_healthz(now);
	render_maint();
	render_health(now);
}

/*
 * The fetcher checks the tokens; they go down at start and again when
 * a reload changed one.  Compared here in the parent only, never
 * against anything a client sent.
 */
static void
httpapi_tokens(int force)
{
	struct httpd_tokens_msg	 m;

	if (!force && strcmp(sent_local, conf->srv_token) == 0 &&
	    strcmp(sent_agent, conf->cp_token) == 0)
		return;
	memset(&m, 0, sizeof(m));
	strlcpy(m.local, conf->srv_token, sizeof(m.local));
	strlcpy(m.agent, conf->cp_token, sizeof(m.agent));
	parent_imsg_compose(PROC_FETCHER, IMSG_HTTP_TOKENS, 0, -1, &m,
	    sizeof(m));
	explicit_bzero(&m, sizeof(m));
	strlcpy(sent_local, conf->srv_token, sizeof(sent_local));
	strlcpy(sent_agent, conf->cp_token, sizeof(sent_agent));
	if (!force)
		log_info("HTTP API: tokens changed, the new ones apply");
}

/* The sockets of server.listen; returns how many were passed on. */
static int
httpapi_bind(void)
{
	struct addrinfo		 hints, *res, *ai;
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	char			 host[CONF_ADDR_LEN], port[8], text[64];
	const char		*errstr;
	int			 n = 0, r, p, nonloop = 0;

	if (listen_spec(conf->srv_listen, host, sizeof(host), port,
	    sizeof(port)) == -1) {
		log_warnx("HTTP API: server.listen %s: not host:port",
		    conf->srv_listen);
		return 0;
	}
	p = strtonum(port, 1, 65535, &errstr);
	if (errstr != NULL) {
		log_warnx("HTTP API: server.listen %s: port %s",
		    conf->srv_listen, errstr);
		return 0;
	}

	/*
	 * ":port" is every address, "localhost" both loopbacks whatever
	 * /etc/hosts says; anything else is resolved once, here.
	 */
	if (host[0] == '\0' || strcmp(host, "localhost") == 0) {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(p);
		sin.sin_addr.s_addr = htonl(host[0] == '\0' ? INADDR_ANY :
		    INADDR_LOOPBACK);
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(p);
		sin6.sin6_addr = host[0] == '\0' ? in6addr_any :
		    in6addr_loopback;
		n += listen_one((struct sockaddr *)&sin, sizeof(sin));
		n += listen_one((struct sockaddr *)&sin6, sizeof(sin6));
		nonloop = host[0] == '\0';
	} else {
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_flags = AI_NUMERICSERV;
		if ((r = getaddrinfo(host, port, &hints, &res)) != 0) {
			log_warnx("HTTP API: server.listen %s: %s",
			    conf->srv_listen, gai_strerror(r));
			return 0;
		}
		for (ai = res; ai != NULL && n < HTTPD_LISTEN_MAX;
		    ai = ai->ai_next) {
			if (ai->ai_family != AF_INET &&
			    ai->ai_family != AF_INET6)
				continue;
			n += listen_one(ai->ai_addr, ai->ai_addrlen);
			if (!is_loopback(ai->ai_addr))
				nonloop = 1;
		}
		freeaddrinfo(res);
	}
	if (nonloop && conf->srv_token[0] == '\0') {
		strlcpy(text, conf->srv_listen, sizeof(text));
		/* The bootstrap script's own setting: nothing is wrong. */
		log_notice("HTTP API: server.token is empty and %s is not "
		    "loopback: POST /sync is refused there; maintenance "
		    "and the bot's calls take the control plane's key",
		    text);
	}
	return n;
}

/* "host:port", "[v6]:port", ":port" into host and port. */
static int
listen_spec(const char *spec, char *host, size_t hlen, char *port,
    size_t plen)
{
	const char	*colon, *close;
	size_t		 len;

	if (spec[0] == '[') {
		if ((close = strchr(spec, ']')) == NULL || close[1] != ':')
			return -1;
		len = close - spec - 1;
		colon = close + 1;
		spec++;
	} else {
		if ((colon = strrchr(spec, ':')) == NULL)
			return -1;
		len = colon - spec;
	}
	if (len >= hlen || strlcpy(port, colon + 1, plen) >= plen)
		return -1;
	memcpy(host, spec, len);
	host[len] = '\0';
	return 0;
}

/* One listening socket to the fetcher; 1 if it went. */
static int
listen_one(const struct sockaddr *sa, socklen_t len)
{
	struct httpd_listen_msg	 m;
	int			 fd, on = 1;

	memset(&m, 0, sizeof(m));
	addr_text(sa, m.addr, sizeof(m.addr));
	m.loopback = is_loopback(sa);
	if ((fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		log_warn("HTTP API: %s: socket", m.addr);
		return 0;
	}
	/* v6 sockets are v6 only: the v4 address has its own. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    (sa->sa_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1)) {
		log_warn("HTTP API: %s: setsockopt", m.addr);
		close(fd);
		return 0;
	}
	if (bind(fd, sa, len) == -1 || listen(fd, HTTPAPI_BACKLOG) == -1) {
		/* The agent's work is routing: it goes on without the API. */
		log_warn("HTTP API: %s: not served", m.addr);
		close(fd);
		return 0;
	}
	log_info("HTTP API on %s%s", m.addr, m.loopback ? " (loopback)" : "");
	/* The imsg layer closes our copy once it is sent. */
	if (parent_imsg_compose(PROC_FETCHER, IMSG_HTTP_LISTEN, 0, fd, &m,
	    sizeof(m)) == -1) {
		log_warn("HTTP API: %s: to the fetcher", m.addr);
		close(fd);
		return 0;
	}
	return 1;
}

static int
is_loopback(const struct sockaddr *sa)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)sa;
	const uint8_t			*b;

	if (sa->sa_family == AF_INET)
		return (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family != AF_INET6)
		return 0;
	if (IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
		return 1;
	b = sin6->sin6_addr.s6_addr;
	return IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr) && b[12] == 127;
}

static void
addr_text(const struct sockaddr *sa, char *buf, size_t len)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)sa;
	char				 a[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET &&
	    inet_ntop(AF_INET, &sin->sin_addr, a, sizeof(a)) != NULL)
		snprintf(buf, len, "%s:%u", a, ntohs(sin->sin_port));
	else if (sa->sa_family == AF_INET6 &&
	    inet_ntop(AF_INET6, &sin6->sin6_addr, a, sizeof(a)) != NULL)
		snprintf(buf, len, "[%s]:%u", a, ntohs(sin6->sin6_port));
	else
		strlcpy(buf, "unknown", len);
}

/* A body to the fetcher in HTTPD_CHUNK pieces; the END message follows. */
static void
httpapi_chunks(uint32_t type, uint32_t peerid, const char *buf, size_t len)
{
	size_t	 off, n;

	for (off = 0; off < len; off += n) {
		n = len - off > HTTPD_CHUNK ? HTTPD_CHUNK : len - off;
		parent_imsg_compose(PROC_FETCHER, type, peerid, -1, buf + off,
		    n);
	}
}

/* Sends doc in chunks unless the fetcher has these very bytes; frees buf. */
static void
httpapi_send(enum httpd_doc doc, int status, enum httpd_ctype ct, char *buf,
    size_t len)
{
	struct httpd_snap_end_msg	 m;
	struct httpapi_doc		*d = &docs[doc];

	if (len > HTTPD_DOC_SIZE_MAX) {
		log_warnx("HTTP API: document %d is %zu bytes, over %d",
		    doc, len, HTTPD_DOC_SIZE_MAX);
		free(buf);
		render_error(doc, 500, "document too large");
		return;
	}
	if (d->sent && d->status == status && d->ctype == (int)ct &&
	    d->len == len && memcmp(d->buf, buf, len) == 0) {
		free(buf);
		return;
	}
	httpapi_chunks(IMSG_HTTP_SNAPSHOT, doc, buf, len);
	memset(&m, 0, sizeof(m));
	m.doc = doc;
	m.status = status;
	m.ctype = ct;
	m.len = len;
	parent_imsg_compose(PROC_FETCHER, IMSG_HTTP_SNAPSHOT_END, doc, -1,
	    &m, sizeof(m));
	free(d->buf);
	d->buf = buf;
	d->len = len;
	d->status = status;
	d->ctype = ct;
	d->sent = 1;
}

static FILE *
doc_open(char **buf, size_t *len)
{
	FILE	*f;

	*buf = NULL;
	*len = 0;
	if ((f = open_memstream(buf, len)) == NULL)
		fatal("%s: open_memstream", __func__);
	return f;
}

/* The JSON document doc_open() began: its last line ended, then sent. */
static void
doc_send(FILE *f, char **buf, size_t *len, enum httpd_doc doc, int status)
{
	fputc('\n', f);
	if (fclose(f) != 0)
		fatal("%s", __func__);
	httpapi_send(doc, status, HTTPD_CT_JSON, *buf, *len);
}

/* {"error": msg, "status": N} as the document. */
static void
render_error(enum httpd_doc doc, int status, const char *msg)
{
	struct jw	 j;
	char		*buf;
	size_t		 len;
	FILE		*f = doc_open(&buf, &len);

	jw_init(&j, f);
	jw_open(&j, NULL, '{');
	jw_str(&j, "error", msg);
	jw_int(&j, "status", status);
	jw_close(&j, '}');
	fputc('\n', f);
	if (fclose(f) != 0)
		fatal("%s", __func__);
	httpapi_send(doc, status, HTTPD_CT_JSON, buf, len);
}

static int64_t
uptime(void)
{
	return snap.uptime;
}

static void
render_status(time_t now)
{
	const struct engine_status	*es = engine_status();
	const struct cp_stats		*cs = cp_stats();
	const struct bird_state		*bs = bird_state();
	struct session			*s;
	struct jw			 j;
	unsigned int			 nstate[SESSION_STATE_MAX + 1];
	unsigned int			 total = 0, i, ep, res, owned = 0;
	char				 reasons[HTTPAPI_REASONS]
					    [HTTPAPI_REASON_LEN];
	int				 nreasons;
	time_t				 newest = 0;
	char				*buf;
	size_t				 len;
	FILE				*f;
	int				 p, reachable;

	memset(nstate, 0, sizeof(nstate));
	RB_FOREACH(s, session_tree, &sessions) {
		if ((unsigned int)s->state <= SESSION_STATE_MAX)
			nstate[s->state]++;
		total++;
	}
	reachable = cp_reachable(now, &newest);

	nreasons = health_reasons(now, reasons, HTTPAPI_REASONS);
	RB_FOREACH(s, session_tree, &sessions)
		if (s->applied)
			owned++;

	f = doc_open(&buf, &len);
	jw_init(&j, f);
	jw_open(&j, NULL, '{');
	/* The bot's: "ok" shows the node online, anything else not. */
	jw_str(&j, "status", nreasons == 0 ? "ok" : "degraded");
	jw_open(&j, "reasons", '[');
	for (i = 0; i < (unsigned int)nreasons; i++)
		jw_str(&j, NULL, reasons[i]);
	jw_close(&j, ']');
	jw_bool(&j, "maintenance_mode", maint_get());
	jw_uint(&j, "peer_count", owned);
	jw_str(&j, "version", MOENET_VERSION);
	jw_int(&j, "uptime", uptime());
	jw_time(&j, "time", now);
	jw_str(&j, "node", conf->node_name);
	jw_int(&j, "node_id", conf->node_id);
	jw_str(&j, "mode", conf->mode == CONF_MODE_BOOTSTRAP ? "bootstrap" :
	    "full");
	jw_int(&j, "pid", getpid());

	jw_open(&j, "sessions", '{');
	jw_uint(&j, "total", total);
	for (i = 0; i <= SESSION_STATE_MAX; i++)
		jw_uint(&j, session_state_name(i), nstate[i]);
	jw_close(&j, '}');

	jw_open(&j, "control_plane", '{');
	jw_bool(&j, "configured", cs->configured);
	jw_bool(&j, "reachable", reachable);
	jw_str(&j, "breaker", breaker_state_name(cs->breaker));
	jw_time(&j, "last_success", newest);
	jw_open(&j, "endpoints", '{');
	for (ep = 0; ep < CP_EP_MAX; ep++) {
		jw_open(&j, cp_endpoint_name(ep), '{');
		jw_time(&j, "last_success", cs->last_success[ep]);
		jw_time(&j, "last_attempt", cs->last_attempt[ep]);
		jw_open(&j, "results", '{');
		for (res = 0; res < CP_RES_MAX; res++)
			jw_uint(&j, cp_result_name(res), cs->count[ep][res]);
		jw_close(&j, '}');
		jw_close(&j, '}');
	}
	jw_close(&j, '}');
	jw_close(&j, '}');

	jw_open(&j, "sync", '{');
	jw_bool(&j, "started", es->started);
	jw_bool(&j, "running", es->syncing);
	jw_time(&j, "last_sync", es->last_sync);
	jw_time(&j, "last_sync_ok", es->last_sync_ok);
	jw_time(&j, "last_heartbeat_ok", es->last_heartbeat_ok);
	jw_uint(&j, "generation", es->generation);
	jw_str(&j, "last_error", es->last_error[0] != '\0' ?
	    es->last_error : NULL);
	jw_close(&j, '}');

	jw_open(&j, "bird", '{');
	jw_bool(&j, "enabled", bs->enabled);
	jw_bool(&j, "connected", bs->connected);
	jw_str(&j, "version", bs->version[0] != '\0' ? bs->version : NULL);
	jw_time(&j, "connected_since", bs->connected ? bs->connected_since :
	    0);
	jw_str(&j, "last_error", bs->last_error[0] != '\0' ?
	    bs->last_error : NULL);
	jw_time(&j, "last_error_time", bs->last_error_time);
	jw_close(&j, '}');

	jw_open(&j, "wireguard", '{');
	jw_str(&j, "backend", wg_backend_name());
	jw_close(&j, '}');

	firewall_json(&j);

	jw_open(&j, "maintenance", '{');
	jw_bool(&j, "enabled", maint_get());
	jw_time(&j, "since", maint_since());
	jw_close(&j, '}');

	jw_open(&j, "children", '{');
	for (p = PROC_FETCHER; p < PROC_MAX; p++) {
		jw_open(&j, proc_names[p], '{');
		jw_int(&j, "pid", snap.children[p].pid);
		jw_bool(&j, "ready", snap.children[p].ready);
		if (snap.children[p].pong_age < 0)
			jw_null(&j, "pong_age");
		else
			jw_int(&j, "pong_age", snap.children[p].pong_age);
		jw_close(&j, '}');
	}
	jw_close(&j, '}');
	jw_close(&j, '}');
	doc_send(f, &buf, &len, HTTPD_DOC_STATUS, 200);
}

static void
render_sessions(time_t now)
{
	struct ctl_session_msg		 m;
	const struct session_observed	*o;
	struct session			*s;
	struct jw			 j;
	char				*buf;
	size_t				 len;
	FILE				*f;

	f = doc_open(&buf, &len);
	jw_init(&j, f);
	jw_open(&j, NULL, '[');
	RB_FOREACH(s, session_tree, &sessions) {
		ctl_session_fill(&m, s, now);
		o = &s->observed;
		jw_open(&j, NULL, '{');
		jw_str(&j, "uuid", m.uuid);
		jw_str(&j, "name", m.name);
		jw_uint(&j, "asn", m.asn);
		jw_str(&j, "interface", m.ifname);
		jw_str(&j, "cp_status", m.cp_status[0] != '\0' ?
		    m.cp_status : NULL);
		jw_str(&j, "state", m.state);
		jw_time(&j, "since", s->since);
		jw_uint(&j, "retries", m.retries);
		jw_str(&j, "protocol", m.protocol[0] != '\0' ? m.protocol :
		    NULL);
		jw_str(&j, "bgp_state", m.bgp_state[0] != '\0' ?
		    m.bgp_state : NULL);
		jw_str(&j, "bgp_info", m.bgp_info[0] != '\0' ? m.bgp_info :
		    NULL);
		jw_time(&j, "bgp_since", o->bird_since);
		jw_open(&j, "routes_in", '{');
		jw_uint(&j, "ipv4", m.routes_in[0]);
		jw_uint(&j, "ipv6", m.routes_in[1]);
		jw_close(&j, '}');
		jw_open(&j, "routes_out", '{');
		jw_uint(&j, "ipv4", m.routes_out[0]);
		jw_uint(&j, "ipv6", m.routes_out[1]);
		jw_close(&j, '}');
		jw_time(&j, "last_handshake", o->wg_handshake);
		if (m.handshake_age < 0)
			jw_null(&j, "handshake_age");
		else
			jw_int(&j, "handshake_age", m.handshake_age);
		jw_bool(&j, "link_up", o->link_up);
		jw_uint(&j, "rx_bytes", o->wg_rx);
		jw_uint(&j, "tx_bytes", o->wg_tx);
		if (o->rtt_ms < 0)
			jw_null(&j, "rtt_ms");
		else {
			jw_key(&j, "rtt_ms");
			fprintf(f, "%.3f", o->rtt_ms);
		}
		jw_uint(&j, "loss_pct", m.loss_pct);
		jw_str(&j, "last_error", m.last_error[0] != '\0' ?
		    m.last_error : NULL);
		jw_close(&j, '}');
	}
	jw_close(&j, ']');
	doc_send(f, &buf, &len, HTTPD_DOC_SESSIONS, 200);
}

static void
render_metrics(void)
{
	char	*buf = NULL;
	size_t	 len = 0;

	if (metrics_prometheus(&buf, &len) == -1) {
		free(buf);
		render_error(HTTPD_DOC_METRICS, 500, "metrics unavailable");
		return;
	}
	httpapi_send(HTTPD_DOC_METRICS, 200, HTTPD_CT_PROMETHEUS, buf, len);
}

/*
 * Healthy: every child answered a recent ping, and a session sync
 * completed within three sync periods (counted from the start until
 * the first one).
 */
static int
health_reasons(time_t now, char why[][HTTPAPI_REASON_LEN], int max)
{
	const struct engine_status	*es = engine_status();
	time_t				 ref, limit = 3 * (time_t)conf->iv_sync;
	int				 p, n = 0;

	for (p = PROC_FETCHER; p < PROC_MAX && n < max; p++) {
		if (!snap.children[p].ready)
			snprintf(why[n], HTTPAPI_REASON_LEN, "%s has not "
			    "started", proc_names[p]);
		else if (!snap.children[p].healthy)
			snprintf(why[n], HTTPAPI_REASON_LEN, "%s has not "
			    "answered a ping for %lld seconds", proc_names[p],
			    (long long)snap.children[p].pong_age);
		else
			continue;
		n++;
	}
	n += degraded_reasons(why + n, max - n);
	if (es->last_sync != 0)
		ref = es->last_sync;
	else
		ref = now - uptime();
	if (now - ref > limit && n < max) {
		if (es->last_sync != 0)
			snprintf(why[n], HTTPAPI_REASON_LEN, "last session "
			    "sync %lld seconds ago (limit %lld)",
			    (long long)(now - ref), (long long)limit);
		else
			snprintf(why[n], HTTPAPI_REASON_LEN, "no session sync "
			    "in %lld seconds (limit %lld)",
			    (long long)(now - ref), (long long)limit);
		n++;
	}
	return n;
}

static void
render_healthz(time_t now)
{
	struct jw			 j;
	char				 why[HTTPAPI_REASONS]
					    [HTTPAPI_REASON_LEN];
	char				*buf;
	size_t				 len;
	FILE				*f;
	int				 i, bad;

	bad = health_reasons(now, why, HTTPAPI_REASONS);
	f = doc_open(&buf, &len);
	jw_init(&j, f);
	jw_open(&j, NULL, '{');
	jw_str(&j, "status", "unhealthy");
	jw_open(&j, "reasons", '[');
	for (i = 0; i < bad; i++)
		jw_str(&j, NULL, why[i]);
	jw_close(&j, ']');
	jw_close(&j, '}');
	fputc('\n', f);
	if (fclose(f) != 0)
		fatal("%s", __func__);
	if (bad) {
		httpapi_send(HTTPD_DOC_HEALTHZ, 503, HTTPD_CT_JSON, buf, len);
		return;
	}
	free(buf);
	if ((buf = strdup("ok\n")) == NULL)
		fatal("%s", __func__);
	httpapi_send(HTTPD_DOC_HEALTHZ, 200, HTTPD_CT_TEXT, buf, 3);
}

/* /health, the bot's: /healthz's verdict as {"status": "ok"}. */
static void
render_health(time_t now)
{
	struct jw	 j;
	char		 why[HTTPAPI_REASONS][HTTPAPI_REASON_LEN];
	char		*buf;
	size_t		 len;
	FILE		*f;
	int		 i, bad;

	bad = health_reasons(now, why, HTTPAPI_REASONS);
	f = doc_open(&buf, &len);
	jw_init(&j, f);
	jw_open(&j, NULL, '{');
	jw_str(&j, "status", bad ? "unhealthy" : "ok");
	if (bad) {
		jw_open(&j, "reasons", '[');
		for (i = 0; i < bad; i++)
			jw_str(&j, NULL, why[i]);
		jw_close(&j, ']');
	}
	jw_close(&j, '}');
	doc_send(f, &buf, &len, HTTPD_DOC_HEALTH, bad ? 503 : 200);
}

static void
render_maint(void)
{
	struct jw	 j;
	struct tm	 tm;
	time_t		 since = maint_since();
	char		 iso[32];
	char		*buf;
	size_t		 len;
	FILE		*f;

	f = doc_open(&buf, &len);
	jw_init(&j, f);
	jw_open(&j, NULL, '{');
	/* The bot's two, then ours. */
	jw_bool(&j, "maintenance_mode", maint_get());
	if (maint_get() && since != 0 && gmtime_r(&since, &tm) != NULL &&
	    strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm) != 0)
		jw_str(&j, "entered_at", iso);
	else
		jw_null(&j, "entered_at");
	jw_bool(&j, "maintenance", maint_get());
	jw_time(&j, "since", maint_since());
	jw_close(&j, '}');
	doc_send(f, &buf, &len, HTTPD_DOC_MAINT, 200);
}

static const struct route httpapi_route_table[] = {
	{ IMSG_HTTP_ACTION, ROUTE_FROM(PROC_FETCHER),
	    sizeof(struct httpd_action_msg), httpapi_action },
	{ IMSG_HTTP_REQUEST, ROUTE_FROM(PROC_FETCHER),
	    sizeof(struct httpd_request_msg), httpapi_request },
};

void
httpapi_routes(void)
{
	route_add(httpapi_route_table,
	    sizeof(httpapi_route_table) / sizeof(httpapi_route_table[0]));
}

/* An authorized POST, checked by the fetcher; checked again here. */
static void
httpapi_action(struct imsg *imsg)
{
	struct httpd_action_msg	 m;
	uint32_t		 id = imsg_get_id(imsg);

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1)
		fatalx("%s: IMSG_HTTP_ACTION wrong length", __func__);
	if (m.action >= HTTPD_ACT_MAX)
		fatalx("%s: IMSG_HTTP_ACTION bad action %u", __func__,
		    m.action);
	m.peer[sizeof(m.peer) - 1] = '\0';

	switch (m.action) {
	case HTTPD_ACT_SYNC:
		/* The sync runs on its own; the answer says it is due. */
		if (!engine_status()->started) {
			httpapi_reply(id, 503, "the engine has not started "
			    "yet");
			break;
		}
		log_info("HTTP API: session sync requested from %s", m.peer);
		engine_sync_now();
		httpapi_reply(id, 202, "session sync scheduled");
		break;
	case HTTPD_ACT_MAINT_START:
	case HTTPD_ACT_MAINT_STOP:
		httpapi_maint(id, m.action == HTTPD_ACT_MAINT_START, m.peer);
		break;
	}
}

static void
httpapi_reply(uint32_t id, int status, const char *fmt, ...)
{
	struct httpd_result_msg	 r;
	va_list			 ap;

	memset(&r, 0, sizeof(r));
	r.status = status;
	va_start(ap, fmt);
	vsnprintf(r.message, sizeof(r.message), fmt, ap);
	va_end(ap);
	parent_imsg_compose(PROC_FETCHER, IMSG_HTTP_RESULT, id, -1, &r,
	    sizeof(r));
}

/*
 * The answer waits until BIRD has the switch.  done may run before
 * maint_set returns or later; the request is freed by whichever of the
 * two comes last.
 */
static void
httpapi_maint(uint32_t id, int on, const char *peer)
{
	struct maint_req	*mr;
	struct timeval		 tv;
	char			 who[HTTPD_ADDR_LEN + 16];
	int			 r;

	/* Asked twice: the second is answered at once, as done. */
	if (maint_get() == on && pending_maint == NULL) {
		httpapi_reply(id, 200, "maintenance already %s",
		    on ? "on" : "off");
		return;
	}
	if (pending_maint != NULL && pending_maint->on == on) {
		httpapi_reply(id, 202, "maintenance %s: under way",
		    on ? "start" : "stop");
		return;
	}
	if ((mr = calloc(1, sizeof(*mr))) == NULL) {
		log_warn("%s", __func__);
		httpapi_reply(id, 500, "out of memory");
		return;
	}
	mr->id = id;
	mr->on = on;
	snprintf(who, sizeof(who), "HTTP API from %s", peer);
	log_info("HTTP API: maintenance %s requested from %s",
	    on ? "start" : "stop", peer);
	r = maint_set(on, who, httpapi_maint_done, mr);
	mr->returned = 1;
	if (mr->done) {
		free(mr);
		return;
	}
	if (r == 0) {
		/*
		 * The bot waits 3 s: a reconfiguration that takes longer
		 * is answered 202, accepted, and goes on.
		 */
		pending_maint = mr;
		evtimer_set(&mr->ev, httpapi_maint_timer, mr);
		tv.tv_sec = HTTPAPI_MAINT_WAIT;
		tv.tv_usec = 0;
		evtimer_add(&mr->ev, &tv);
	}
	if (r == -1) {
		if (errno == EBUSY)
			httpapi_reply(id, 409, "another maintenance switch is "
			    "under way");
		else if (errno == ENOENT)
			httpapi_reply(id, 503, "maintenance is not ready yet");
		else
			httpapi_reply(id, 500, "maintenance could not be "
			    "switched");
		free(mr);
	}
}

static void
httpapi_maint_done(const char *err, void *arg)
{
	struct maint_req	*mr = arg;

	/* The document first: the answer's client may read it next. */
	httpapi_refresh();
	if (mr->answered) {
		if (err != NULL)
			log_warnx("HTTP API: maintenance %s accepted, then "
			    "failed: %s", mr->on ? "start" : "stop", err);
	} else if (err != NULL)
		httpapi_reply(mr->id, 500, "%s", err);
	else
		httpapi_reply(mr->id, 200, "maintenance %s",
		    mr->on ? "started" : "stopped");
	mr->answered = mr->done = 1;
	if (pending_maint == mr)
		pending_maint = NULL;
	if (mr->returned) {
		evtimer_del(&mr->ev);
		free(mr);
	}
}

static void
httpapi_maint_timer(int fd, short event, void *arg)
{
	struct maint_req	*mr = arg;

	if (mr->answered)
		return;
	mr->answered = 1;
	httpapi_reply(mr->id, 202, "maintenance %s accepted; BIRD is being "
	    "reconfigured", mr->on ? "start" : "stop");
}

/*
 * The bot's requests (fetcher/httpd.h).  The fetcher checked the
 * argument; the operations check it again for what they use it for.
 */
static void
httpapi_request(struct imsg *imsg)
{
	struct httpd_request_msg	 m;
	struct bot_req			*br;
	struct jw			 j;
	const char			*errstr;
	uint32_t			 id = imsg_get_id(imsg), asn = 0;
	char				*buf;
	size_t				 len;
	FILE				*f;
	int				 status;

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1)
		fatalx("%s: IMSG_HTTP_REQUEST wrong length", __func__);
	if (m.req == HTTPD_REQ_NONE || m.req >= HTTPD_REQ_MAX ||
	    memchr(m.arg, '\0', sizeof(m.arg)) == NULL)
		fatalx("%s: bad IMSG_HTTP_REQUEST", __func__);
	m.peer[sizeof(m.peer) - 1] = '\0';
	if (m.req == HTTPD_REQ_PROBE_NOW || m.req == HTTPD_REQ_PROBE_STATS) {
		asn = strtonum(m.arg, 1, UINT32_MAX, &errstr);
		if (errstr != NULL)
			fatalx("%s: IMSG_HTTP_REQUEST: asn %s", __func__,
			    errstr);
	}

	switch (m.req) {
	case HTTPD_REQ_PEER:
		f = doc_open(&buf, &len);
		status = botapi_peer_json(m.arg, f);
		if (fclose(f) != 0)
			fatal("%s", __func__);
		if (status == 200)
			httpapi_answer(id, 200, buf, len);
		else
			httpapi_answer_text(id, status, "no such peer on this "
			    "router");
		free(buf);
		return;
	case HTTPD_REQ_PROBE_STATS:
		f = doc_open(&buf, &len);
		jw_init(&j, f);
		status = probe_json_stats(&j, asn) == 0 ? 200 : 404;
		fputc('\n', f);
		if (fclose(f) != 0)
			fatal("%s", __func__);
		if (status == 200)
			httpapi_answer(id, 200, buf, len);
		else
			httpapi_answer_text(id, 404, "no session with this ASN "
			    "on this router");
		free(buf);
		return;
	case HTTPD_REQ_PROBE_NOW:
		if (probe_now(asn, httpapi_probe_done,
		    (void *)(uintptr_t)id) == -1)
			httpapi_answer_text(id, errno == ENOENT ? 404 : 503,
			    errno == ENOENT ? "no session with this ASN on "
			    "this router" : errno == EAGAIN ? "too many probes "
			    "at once" : "the session has no address to probe");
		return;
	}

	if ((br = calloc(1, sizeof(*br))) == NULL) {
		httpapi_answer_text(id, 500, "out of memory");
		return;
	}
	br->id = id;
	br->req = m.req;
	switch (m.req) {
	case HTTPD_REQ_RESTART:
		botapi_restart(m.arg, m.peer, httpapi_bot_done, br);
		break;
	case HTTPD_REQ_ROUTE:
	case HTTPD_REQ_PATH:
		botapi_lookup(m.req == HTTPD_REQ_PATH, m.arg,
		    httpapi_bot_done, br);
		break;
	case HTTPD_REQ_COMMUNITY:
		botapi_community(httpapi_bot_done, br);
		break;
	default:
		fatalx("%s: request %u", __func__, m.req);
	}
}

static void
httpapi_bot_done(int status, const char *text, void *arg)
{
	struct bot_req	*br = arg;

	if (br->req == HTTPD_REQ_COMMUNITY && status == 200)
		httpapi_answer(br->id, status, text, strlen(text));
	else
		httpapi_answer_text(br->id, status, text);
	free(br);
}

static void
httpapi_probe_done(const struct probe_result *r, void *arg)
{
	struct jw	 j;
	char		*buf;
	size_t		 len;
	FILE		*f = doc_open(&buf, &len);

	jw_init(&j, f);
	probe_json_result(&j, r);
	fputc('\n', f);
	if (fclose(f) != 0)
		fatal("%s", __func__);
	httpapi_answer((uint32_t)(uintptr_t)arg, 200, buf, len);
	free(buf);
}

/* {"result": text} under 400, {"error": text} from 400. */
static void
httpapi_answer_text(uint32_t id, int status, const char *text)
{
	struct jw	 j;
	char		*buf;
	size_t		 len;
	FILE		*f = doc_open(&buf, &len);

	jw_init(&j, f);
	jw_open(&j, NULL, '{');
	jw_str(&j, status < 400 ? "result" : "error", text);
	jw_close(&j, '}');
	fputc('\n', f);
	if (fclose(f) != 0)
		fatal("%s", __func__);
	httpapi_answer(id, status, buf, len);
	free(buf);
}

static void
httpapi_answer(uint32_t id, int status, const char *body, size_t len)
{
	struct httpd_reply_end_msg	 m;

	if (len > HTTPD_REPLY_MAX) {
		httpapi_answer_text(id, 500, "answer too large");
		return;
	}
	httpapi_chunks(IMSG_HTTP_REPLY, id, body, len);
	memset(&m, 0, sizeof(m));
	m.status = status;
	m.len = len;
	parent_imsg_compose(PROC_FETCHER, IMSG_HTTP_REPLY_END, id, -1, &m,
	    sizeof(m));
}
