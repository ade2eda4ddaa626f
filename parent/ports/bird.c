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
 * The parent's side of BIRD.  The parent, as root, connects to BIRD's
 * control socket and hands the fd to birdctl, which speaks the
 * protocol and sends typed records back; nothing BIRD says is parsed
 * here.  When birdctl loses the connection it asks for another, and
 * the parent retries with exponential backoff.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "parent/core/pending.h"
#include "parent/core/degraded.h"
#include "parent/core/route.h"
#include "parent/ports/bird.h"
#include "birdctl/birdcmd.h"
#include "birdctl/birdparse.h"

struct bird_req {
	struct pending		 pend;
	uint32_t		 cmd;
	bird_cb			 cb;
	void			*arg;
	struct bird_status_msg	 status;
	int			 have_status;
	struct bird_proto_msg	*protos;
	size_t			 nprotos;
	size_t			 protosize;
	int			 protos_end;
	char			*rtext;
	size_t			 rtextlen;
	struct bird_route_msg	*routes;
	size_t			 nroutes;
	struct bird_community_msg community;
	int			 have_community;
};

static void	bird_connect(int, short, void *);
static void	bird_retry(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));
static struct bird_req *bird_req_find(struct imsg *);
static void	bird_req_done(struct bird_req *, const struct bird_result_msg *,
		    const struct bird_fail_msg *);
static void	bird_fix_str(char *, size_t);
static void	bird_fix_status(struct bird_status_msg *);
static void	bird_fix_proto(struct bird_proto_msg *);
static void	bird_fix_result(struct bird_result_msg *);
static void	bird_fix_route(struct bird_route_msg *);
static void	bird_text_add(struct bird_req *, const void *, size_t);

static struct bird_state	 state;

/* Who wants to know when BIRD answers again (a task that waits for it). */
#define BIRD_CONNECT_CBS	4
static void			(*connect_cbs[BIRD_CONNECT_CBS])(void);
static size_t			 nconnect_cbs;
/* Who wants to know that BIRD undid an unconfirmed configuration. */
static void			(*undo_cb)(void);
static struct pending_set	 bird_reqs =
    PENDING_SET_INITIALIZER(bird_reqs, "birdctl", BIRD_REQ_MAX, NULL);
static struct event		 ev_connect;
static int			 ev_connect_set;
static int			 quiet;		/* failures logged once a row */
static bird_cb			 observer;
static void			*observer_arg;

void
bird_init(void)
{
	struct timeval	 tv = { 0, 0 };

	state.backoff = BIRD_BACKOFF_MIN;
	evtimer_set(&ev_connect, bird_connect, NULL);
	ev_connect_set = 1;
	if (conf->bird_socket[0] == '\0') {
		log_info("no BIRD control socket configured");
		return;
	}
	state.enabled = 1;
	evtimer_add(&ev_connect, &tv);
}

void
bird_on_connect(void (*cb)(void))
{
	size_t	 i;

	for (i = 0; i < nconnect_cbs; i++)
		if (connect_cbs[i] == cb)
			return;
	if (nconnect_cbs == BIRD_CONNECT_CBS)
		fatalx("%s: too many callbacks", __func__);
	connect_cbs[nconnect_cbs++] = cb;
}

/* The apply pipeline, whose timed configuration BIRD may undo. */
void
bird_on_undo(void (*cb)(void))
{
	undo_cb = cb;
}

const struct bird_state *
bird_state(void)
{
	return &state;
}

void
bird_set_observer(bird_cb cb, void *arg)
{
	observer = cb;
	observer_arg = arg;
}

/*
 * Root connects; birdctl could not.  A non-blocking connect on a Unix
 * socket completes or fails at once; whatever it does later, birdctl
 * sees on its first read and asks for a new socket.
 */
static void
bird_connect(int fd, short event, void *arg)
{
	struct sockaddr_un	 sun;
	int			 s;

	if (conf->bird_socket[0] == '\0' || state.connecting ||
	    state.connected)
		return;
	state.attempts++;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, conf->bird_socket, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		bird_retry("%s: path too long", conf->bird_socket);
		return;
	}
	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		bird_retry("socket: %s", strerror(errno));
		return;
	}
	if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) == -1 &&
	    errno != EINPROGRESS) {
		bird_retry("connect %s: %s", conf->bird_socket,
		    strerror(errno));
		close(s);
		return;
	}
	state.connecting = 1;
	log_debug("%s: connected to %s, passing it to birdctl", __func__,
	    conf->bird_socket);
	parent_imsg_compose(PROC_BIRDCTL, IMSG_BIRD_SOCKET, 0, s, NULL, 0);
}

/* Note why, and try again after the backoff, which then doubles. */
static void
bird_retry(const char *fmt, ...)
{
	struct timeval	 tv;
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(state.last_error, sizeof(state.last_error), fmt, ap);
	va_end(ap);
	state.last_error_time = time(NULL);
	state.connected = state.connecting = 0;
	/* The node's condition, not each session's: see degraded.c. */
	degraded_set(DEGRADED_BIRD, "BIRD not connected: %s",
	    state.last_error);
	if (!quiet)
		log_warning("BIRD: %s; retrying in %u s", state.last_error,
		    state.backoff);
	else
		log_debug("BIRD: %s; retrying in %u s", state.last_error,
		    state.backoff);
	quiet = 1;
	tv.tv_sec = state.backoff;
	tv.tv_usec = 0;
	if (ev_connect_set)
		evtimer_add(&ev_connect, &tv);
	state.backoff *= 2;
	if (state.backoff > BIRD_BACKOFF_MAX)
		state.backoff = BIRD_BACKOFF_MAX;
}

/*
 * Send a typed command.  arg is the protocol name (enable, disable,
 * restart, show protocols all) or the file (configure check); timeout
 * is for configure timeout.  0: cb will be called exactly once, later.
 * -1: refused now (ENOTCONN, EINVAL, EAGAIN), cb is never called.
 */
int
bird_cmd(enum bird_cmd_type type, const char *arg, uint32_t timeout,
    bird_cb cb, void *cbarg)
{
	struct bird_cmd_msg	 m;
	struct bird_req		*r;
	char			 line[BIRD_CMD_LINE_MAX];
	const char		*why;

	if (!state.connected) {
		errno = ENOTCONN;
		return -1;
	}
	if (pending_count(&bird_reqs) >= BIRD_REQ_MAX) {
		errno = EAGAIN;
		return -1;
	}
	memset(&m, 0, sizeof(m));
	m.type = type;
	m.timeout = timeout;
	if (arg != NULL) {
		if (type == BIRD_CMD_SHOW_ROUTE_FOR) {
			if (strlcpy(m.target, arg, sizeof(m.target)) >=
			    sizeof(m.target)) {
				errno = EINVAL;
				return -1;
			}
		} else if (type == BIRD_CMD_CONFIGURE_CHECK) {
			if (strlcpy(m.file, arg, sizeof(m.file)) >=
			    sizeof(m.file)) {
				errno = EINVAL;
				return -1;
			}
		} else if (strlcpy(m.name, arg, sizeof(m.name)) >=
		    sizeof(m.name)) {
			errno = EINVAL;
			return -1;
		}
	}
	/* birdctl checks again; refusing here keeps errors synchronous. */
	if (bird_cmd_format(&m, line, sizeof(line), &why) == -1) {
		log_warnx("%s: %s: %s", __func__, bird_cmd_name(type), why);
		errno = EINVAL;
		return -1;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return -1;
	if (pending_add(&bird_reqs, &r->pend, r) == -1) {
		free(r);
		return -1;
	}
	r->cmd = type;
	r->cb = cb;
	r->arg = cbarg;
	parent_imsg_compose(PROC_BIRDCTL, IMSG_BIRD_CMD, r->pend.id, -1, &m,
	    sizeof(m));
	state.cmds_sent++;
	state.cmds_by_type[type]++;
	return 0;
}

/* One protocol with its details, or (NULL) the plain list of all. */
int
bird_show_protocols(const char *name, bird_cb cb, void *arg)
{
	if (name == NULL)
		return bird_cmd(BIRD_CMD_SHOW_PROTOCOLS, NULL, 0, cb, arg);
	return bird_cmd(BIRD_CMD_SHOW_PROTOCOLS_ALL, name, 0, cb, arg);
}

int
bird_show_status(bird_cb cb, void *arg)
{
	return bird_cmd(BIRD_CMD_SHOW_STATUS, NULL, 0, cb, arg);
}

/* BIRD answered and the answer means done (or nothing to do). */
int
bird_answer_ok(const struct bird_answer *a)
{
	if (a->failed || a->result == NULL)
		return 0;
	switch (a->result->outcome) {
	case BIRD_OUT_OK:
	case BIRD_OUT_IN_PROGRESS:
	case BIRD_OUT_NOTHING:
		return 1;
	default:
		return 0;
	}
}

static struct bird_req *
bird_req_find(struct imsg *imsg)
{
	return pending_get(&bird_reqs, imsg_get_id(imsg),
	    imsg_type_name(imsg_get_type(imsg)));
}

static void
bird_req_done(struct bird_req *r, const struct bird_result_msg *res,
    const struct bird_fail_msg *fail)
{
	struct bird_answer	 a;
	char			 text[BIRD_TEXT_LEN + 16];

	pending_del(&r->pend);
	memset(&a, 0, sizeof(a));
	a.id = r->pend.id;
	a.cmd = r->cmd;
	if (fail != NULL) {
		a.failed = 1;
		a.fail_reason = fail->reason;
		snprintf(text, sizeof(text), "%s", fail->text);
	} else if (res != NULL) {
		a.result = res;
		if (r->have_status)
			a.status = &r->status;
		if (r->protos_end) {
			a.protos = r->protos;
			a.nprotos = r->nprotos;
		}
		a.rtext = r->rtext != NULL ? r->rtext : "";
		a.rtextlen = r->rtextlen;
		a.routes = r->routes;
		a.nroutes = r->nroutes;
		if (r->have_community)
			a.community = &r->community;
		snprintf(text, sizeof(text), "%04u %s", res->code, res->text);
	} else
		fatalx("%s: neither result nor failure", __func__);
	a.text = text;
	if (!bird_answer_ok(&a))
		log_debug("%s: %s: %s", __func__, bird_cmd_name(r->cmd), text);
	if (observer != NULL)
		observer(&a, observer_arg);
	if (r->cb != NULL)
		r->cb(&a, r->arg);
	free(r->protos);
	free(r->rtext);
	free(r->routes);
	free(r);
}

static void
bird_fix_str(char *s, size_t len)
{
	s[len - 1] = '\0';
}

#define FIX(s)	bird_fix_str((s), sizeof(s))

static void
bird_fix_status(struct bird_status_msg *st)
{
	FIX(st->version);
	FIX(st->router_id);
	FIX(st->hostname);
	FIX(st->server_time);
	FIX(st->last_reboot);
	FIX(st->last_reconfig);
	FIX(st->state_text);
	if (st->state > BIRD_DAEMON_MAX)
		fatalx("%s: daemon state %u out of range", __func__,
		    st->state);
}

static void
bird_fix_proto(struct bird_proto_msg *p)
{
	struct bird_channel_msg	*ch;
	uint32_t		 i, k;

	FIX(p->name);
	FIX(p->proto);
	FIX(p->table);
	FIX(p->state);
	FIX(p->since);
	FIX(p->info);
	FIX(p->description);
	FIX(p->bgp_state);
	FIX(p->neighbor_addr);
	FIX(p->source_addr);
	FIX(p->neighbor_id);
	FIX(p->last_error);
	if (p->proto_state > BIRD_PS_MAX || p->bgp_state_code > BIRD_BGP_MAX ||
	    p->nchannels > BIRD_CHANNELS_MAX)
		fatalx("%s: protocol record out of range", __func__);
	for (i = 0; i < p->nchannels; i++) {
		ch = &p->channels[i];
		FIX(ch->name);
		FIX(ch->state);
		FIX(ch->import_state);
		FIX(ch->export_state);
		FIX(ch->table);
		FIX(ch->input_filter);
		FIX(ch->output_filter);
		for (k = 0; k < BIRD_LIM_COUNT; k++)
			if (ch->limits[k].action > BIRD_LIMIT_MAX)
				fatalx("%s: limit action out of range",
				    __func__);
	}
}

static void
bird_fix_result(struct bird_result_msg *res)
{
	FIX(res->err_file);
	FIX(res->text);
	if (res->outcome > BIRD_OUT_MAX || res->cmd > BIRD_CMD_MAX)
		fatalx("%s: result out of range", __func__);
}

/* birdctl sends printable ASCII, tabs and newlines; kept so here. */
static void
bird_text_add(struct bird_req *r, const void *data, size_t len)
{
	const unsigned char	*p = data;
	char			*n;
	size_t			 i;

	if ((n = realloc(r->rtext, r->rtextlen + len + 1)) == NULL)
		fatal("%s", __func__);
	r->rtext = n;
	for (i = 0; i < len; i++)
		n[r->rtextlen + i] = (p[i] >= 0x20 && p[i] < 0x7f) ||
		    p[i] == '\t' || p[i] == '\n' ? p[i] : '?';
	r->rtextlen += len;
	n[r->rtextlen] = '\0';
}

static void
bird_fix_route(struct bird_route_msg *rt)
{
	FIX(rt->net);
	FIX(rt->proto);
	FIX(rt->table);
	if ((rt->flags & ~BIRD_ROUTE_FLAGS) != 0 ||
	    rt->npath > BIRD_ASPATH_MAX)
		fatalx("%s: route record out of range", __func__);
}

#undef FIX

#define BIRD_ROUTE(t, len)	{ (t), ROUTE_FROM(PROC_BIRDCTL), (len), \
	parent_dispatch_birdctl }

static const struct route bird_route_table[] = {
	BIRD_ROUTE(IMSG_BIRD_CONNECTED, sizeof(struct bird_conn_msg)),
	BIRD_ROUTE(IMSG_BIRD_RECONNECT, sizeof(struct bird_conn_msg)),
	BIRD_ROUTE(IMSG_BIRD_ASYNC, sizeof(struct bird_async_msg)),
	BIRD_ROUTE(IMSG_BIRD_STATUS, sizeof(struct bird_status_msg)),
	BIRD_ROUTE(IMSG_BIRD_PROTO, sizeof(struct bird_proto_msg)),
	BIRD_ROUTE(IMSG_BIRD_PROTO_END, sizeof(uint32_t)),
	BIRD_ROUTE(IMSG_BIRD_TEXT, ROUTE_VARLEN),
	BIRD_ROUTE(IMSG_BIRD_ROUTE, sizeof(struct bird_route_msg)),
	BIRD_ROUTE(IMSG_BIRD_COMMUNITY, sizeof(struct bird_community_msg)),
	BIRD_ROUTE(IMSG_BIRD_RESULT, sizeof(struct bird_result_msg)),
	BIRD_ROUTE(IMSG_BIRD_FAIL, sizeof(struct bird_fail_msg)),
};

void
bird_routes(void)
{
	route_add(bird_route_table,
	    sizeof(bird_route_table) / sizeof(bird_route_table[0]));
}

void
parent_dispatch_birdctl(struct imsg *imsg)
{
	struct bird_conn_msg	 cm;
	struct bird_async_msg	 am;
	struct bird_fail_msg	 fm;
	struct bird_result_msg	 res;
	struct bird_proto_msg	 pm, *np;
	struct bird_req		*r;
	uint32_t		 type = imsg_get_type(imsg), count;
	size_t			 nsize, i;

	switch (type) {
	case IMSG_BIRD_CONNECTED:
		if (imsg_get_data(imsg, &cm, sizeof(cm)) == -1)
			fatalx("%s: %s wrong length", __func__,
			    imsg_type_name(type));
		cm.version[sizeof(cm.version) - 1] = '\0';
		if (!state.connecting)
			fatalx("%s: %s with no connection pending", __func__,
			    imsg_type_name(type));
		state.connecting = 0;
		state.connected = 1;
		state.connects++;
		state.connected_since = time(NULL);
		state.backoff = BIRD_BACKOFF_MIN;
		degraded_clear(DEGRADED_BIRD);
		quiet = 0;
		strlcpy(state.version, cm.version, sizeof(state.version));
		log_info("connected to BIRD %s at %s", state.version,
		    conf->bird_socket);
		for (i = 0; i < nconnect_cbs; i++)
			connect_cbs[i]();
		break;
	case IMSG_BIRD_RECONNECT:
		if (imsg_get_data(imsg, &cm, sizeof(cm)) == -1)
			fatalx("%s: %s wrong length", __func__,
			    imsg_type_name(type));
		cm.text[sizeof(cm.text) - 1] = '\0';
		if (state.connected) {
			/* A fresh series of attempts: log its first failure. */
			quiet = 0;
			log_warning("lost the BIRD connection: %s", cm.text);
			quiet = 1;
		}
		bird_retry("%s", cm.text);
		break;
	case IMSG_BIRD_ASYNC:
		if (imsg_get_data(imsg, &am, sizeof(am)) == -1)
			fatalx("%s: %s wrong length", __func__,
			    imsg_type_name(type));
		am.text[sizeof(am.text) - 1] = '\0';
		if (am.undo) {
			state.auto_undos++;
			log_warnx("BIRD undid an unconfirmed configuration: "
			    "%s", am.text);
			if (undo_cb != NULL)
				undo_cb();
		} else
			log_info("BIRD says: %s", am.text);
		break;
	case IMSG_BIRD_STATUS:
		r = bird_req_find(imsg);
		if (r->cmd != BIRD_CMD_SHOW_STATUS || r->have_status ||
		    imsg_get_data(imsg, &r->status, sizeof(r->status)) == -1)
			fatalx("%s: unexpected %s", __func__,
			    imsg_type_name(type));
		bird_fix_status(&r->status);
		r->have_status = 1;
		break;
	case IMSG_BIRD_PROTO:
		r = bird_req_find(imsg);
		if ((r->cmd != BIRD_CMD_SHOW_PROTOCOLS &&
		    r->cmd != BIRD_CMD_SHOW_PROTOCOLS_ALL) || r->protos_end ||
		    r->nprotos >= BIRD_PROTOS_MAX ||
		    imsg_get_data(imsg, &pm, sizeof(pm)) == -1)
			fatalx("%s: unexpected %s", __func__,
			    imsg_type_name(type));
		bird_fix_proto(&pm);
		if (r->nprotos == r->protosize) {
			nsize = r->protosize ? r->protosize * 2 : 16;
			if ((np = reallocarray(r->protos, nsize,
			    sizeof(*np))) == NULL)
				fatal("%s", __func__);
			r->protos = np;
			r->protosize = nsize;
		}
		r->protos[r->nprotos++] = pm;
		break;
	case IMSG_BIRD_PROTO_END:
		r = bird_req_find(imsg);
		if (imsg_get_data(imsg, &count, sizeof(count)) == -1 ||
		    r->protos_end || count != r->nprotos)
			fatalx("%s: unexpected %s", __func__,
			    imsg_type_name(type));
		r->protos_end = 1;
		break;
	case IMSG_BIRD_TEXT:
		r = bird_req_find(imsg);
		nsize = imsg_get_len(imsg);
		if (r->cmd != BIRD_CMD_SHOW_ROUTE_FOR || nsize == 0 ||
		    r->rtextlen + nsize > BIRD_ROUTE_TEXT_MAX)
			fatalx("%s: unexpected %s", __func__,
			    imsg_type_name(type));
		bird_text_add(r, imsg->data, nsize);
		break;
	case IMSG_BIRD_ROUTE:
		r = bird_req_find(imsg);
		if (r->cmd != BIRD_CMD_SHOW_ROUTE_FOR ||
		    r->nroutes >= BIRD_ROUTES_MAX)
			fatalx("%s: unexpected %s", __func__,
			    imsg_type_name(type));
		if ((r->routes == NULL && (r->routes = calloc(BIRD_ROUTES_MAX,
		    sizeof(*r->routes))) == NULL))
			fatal("%s", __func__);
		if (imsg_get_data(imsg, &r->routes[r->nroutes],
		    sizeof(r->routes[0])) == -1)
			fatalx("%s: %s wrong length", __func__,
			    imsg_type_name(type));
		bird_fix_route(&r->routes[r->nroutes++]);
		break;
	case IMSG_BIRD_COMMUNITY:
		r = bird_req_find(imsg);
		if (r->cmd != BIRD_CMD_SHOW_ROUTE_COMMUNITIES ||
		    r->have_community || imsg_get_data(imsg, &r->community,
		    sizeof(r->community)) == -1)
			fatalx("%s: unexpected %s", __func__,
			    imsg_type_name(type));
		r->have_community = 1;
		break;
	case IMSG_BIRD_RESULT:
		r = bird_req_find(imsg);
		if (imsg_get_data(imsg, &res, sizeof(res)) == -1)
			fatalx("%s: %s wrong length", __func__,
			    imsg_type_name(type));
		bird_fix_result(&res);
		if (res.cmd != r->cmd)
			fatalx("%s: result for %s answers %s", __func__,
			    bird_cmd_name(res.cmd), bird_cmd_name(r->cmd));
		/* A good answer comes with its records, always. */
		if (res.outcome == BIRD_OUT_OK &&
		    ((r->cmd == BIRD_CMD_SHOW_STATUS && !r->have_status) ||
		    ((r->cmd == BIRD_CMD_SHOW_PROTOCOLS ||
		    r->cmd == BIRD_CMD_SHOW_PROTOCOLS_ALL) && !r->protos_end) ||
		    (r->cmd == BIRD_CMD_SHOW_ROUTE_COMMUNITIES &&
		    !r->have_community)))
			fatalx("%s: %s result without its records", __func__,
			    bird_cmd_name(r->cmd));
		bird_req_done(r, &res, NULL);
		break;
	case IMSG_BIRD_FAIL:
		r = bird_req_find(imsg);
		if (imsg_get_data(imsg, &fm, sizeof(fm)) == -1)
			fatalx("%s: %s wrong length", __func__,
			    imsg_type_name(type));
		fm.text[sizeof(fm.text) - 1] = '\0';
		if (fm.reason > BIRD_FAIL_MAX || fm.cmd != r->cmd)
			fatalx("%s: bad %s", __func__, imsg_type_name(type));
		bird_req_done(r, NULL, &fm);
		break;
	default:
		fatalx("%s: unexpected imsg %s", __func__,
		    imsg_type_name(type));
	}
}
