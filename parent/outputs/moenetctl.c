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
 * moenetctl: the same binary under another name.  It speaks to the
 * parent's control socket and shows what it says.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <err.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "imsg.h"
#include "ctl.h"
#include "parent/outputs/moenetctl.h"
#include "parent/outputs/ctl_err.h"
#include "parent/outputs/ctl_sessions.h"

enum token_type {
	ENDTOKEN,
	NOTOKEN,
	KEYWORD,
	SESSIONID,
	TARGET,
	FILTER
};

struct token {
	enum token_type		 type;
	const char		*keyword;
	int			 value;
	const struct token	*next;
};

struct parse_result {
	enum ctl_action		 action;
	char			 arg[CTL_ARG_LEN];
	const char		*filters[CTL_FILTERS_MAX];
	int			 nfilters;
};

static const struct token t_main[];
static const struct token t_show[];
static const struct token t_session[];
static const struct token t_filter[];
static const struct token t_log[];
static const struct token t_confirm[];
static const struct token t_maint[];
static const struct token t_botarg[];
static const struct token t_target[];

static const struct token t_main[] = {
	{ KEYWORD,	"confirm",	CTL_NONE,		t_confirm },
	{ KEYWORD,	"log",		CTL_NONE,		t_log },
	{ KEYWORD,	"maintenance",	CTL_NONE,		t_maint },
	{ KEYWORD,	"path",		CTL_PATH,		t_botarg },
	{ KEYWORD,	"probe",	CTL_PROBE,		t_botarg },
	{ KEYWORD,	"ping",		CTL_DIAG_PING,		t_target },
	{ KEYWORD,	"reload",	CTL_RELOAD,		NULL },
	{ KEYWORD,	"restart",	CTL_RESTART,		t_botarg },
	{ KEYWORD,	"route",	CTL_ROUTE,		t_botarg },
	{ KEYWORD,	"show",		CTL_NONE,		t_show },
	{ KEYWORD,	"sync",		CTL_SYNC,		NULL },
	{ KEYWORD,	"trace",	CTL_DIAG_TRACE,		t_target },
	{ ENDTOKEN,	"",		CTL_NONE,		NULL }
};

static const struct token t_show[] = {
	{ NOTOKEN,	"",		CTL_SHOW_STATUS,	NULL },
	{ KEYWORD,	"bird",		CTL_SHOW_BIRD,		NULL },
	{ KEYWORD,	"firewall",	CTL_SHOW_FIREWALL,	NULL },
	{ KEYWORD,	"session",	CTL_SHOW_SESSION,	t_session },
	{ KEYWORD,	"sessions",	CTL_SHOW_SESSIONS,	t_filter },
	{ KEYWORD,	"status",	CTL_SHOW_STATUS,	NULL },
	{ KEYWORD,	"wg",		CTL_SHOW_WG,		NULL },
	{ ENDTOKEN,	"",		CTL_NONE,		NULL }
};

static const struct token t_session[] = {
	{ SESSIONID,	"",		CTL_NONE,		NULL },
	{ ENDTOKEN,	"",		CTL_NONE,		NULL }
};

/* show sessions [up | down | error | ASN | name ...]: all must match. */
static const struct token t_filter[] = {
	{ NOTOKEN,	"",		CTL_NONE,		NULL },
	{ FILTER,	"",		CTL_NONE,		t_filter },
	{ ENDTOKEN,	"",		CTL_NONE,		NULL }
};

static const struct token t_confirm[] = {
	{ KEYWORD,	"removal",	CTL_CONFIRM_REMOVAL,	NULL },
	{ ENDTOKEN,	"",		CTL_NONE,		NULL }
};

static const struct token t_log[] = {
	{ KEYWORD,	"brief",	CTL_LOG_BRIEF,		NULL },
	{ KEYWORD,	"verbose",	CTL_LOG_VERBOSE,	NULL },
	{ ENDTOKEN,	"",		CTL_NONE,		NULL }
};

/* route, path: a target; restart: a session; probe: an ASN. */
static const struct token t_botarg[] = {
	{ SESSIONID,	"",		CTL_NONE,		NULL },
	{ ENDTOKEN,	"",		CTL_NONE,		NULL }
};

static const struct token t_maint[] = {
	{ KEYWORD,	"off",		CTL_MAINT_OFF,		NULL },
	{ KEYWORD,	"on",		CTL_MAINT_ON,		NULL },
	{ ENDTOKEN,	"",		CTL_NONE,		NULL }
};

/* Passed on as typed: the agent's fetcher parses it. */
static const struct token t_target[] = {
	{ TARGET,	"",		CTL_NONE,		NULL },
	{ ENDTOKEN,	"",		CTL_NONE,		NULL }
};

static __dead void	ctl_usage(void);
static void		parse(int, char *[], struct parse_result *);
static const struct token *match_token(const char *, const struct token *,
			    struct parse_result *);
static __dead void	bad_token(const char *, const char *,
			    const struct token *);
static int		ctl_connect(const char *, time_t);
static int		ctl_wait(int, short, time_t);
static uint32_t		ctl_request_type(enum ctl_action);
static int		ctl_reply(struct imsg *, enum ctl_action,
			    const struct output *);
static void		ctl_head(enum ctl_action, const struct output *);
static int		ctl_bot_action(enum ctl_action);
static void		ctl_bot_text(struct imsg *, enum ctl_action,
			    const struct output *);
static int		ctl_diag_reply(struct imsg *, enum ctl_action,
			    const struct output *);
static int		ctl_show_reply(struct imsg *, enum ctl_action,
			    const struct output *);

static __dead void
ctl_usage(void)
{
	fprintf(stderr, "usage: moenetctl [-jw] [-s socket] command "
	    "[argument ...]\n");
	exit(1);
}

__dead void
ctl_main(int argc, char *argv[])
{
	struct parse_result	 res;
	struct ctl_req_msg	 req;
	struct imsgbuf		 ibuf;
	struct imsg		 imsg;
	const struct output	*out = &show_output;
	const char		*sockname;
	time_t			 deadline, start;
	ssize_t			 n;
	int			 ch, fd, done = 0, wide = 0;

	if ((sockname = getenv("MOENET_CTLSOCK")) == NULL ||
	    *sockname == '\0')
		sockname = MOENET_CTLSOCK;
	while ((ch = getopt(argc, argv, "js:w")) != -1) {
		switch (ch) {
		case 'j':
			out = &json_output;
			ctl_json_errors();
			break;
		case 'w':
			wide = 1;
			break;
		case 's':
			sockname = optarg;
			break;
		default:
			ctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		ctl_usage();
	parse(argc, argv, &res);
	ctl_sessions_options(wide, res.filters, res.nfilters);

	memset(&req, 0, sizeof(req));
	strlcpy(req.arg, res.arg, sizeof(req.arg));
	req.verbose = res.action == CTL_LOG_VERBOSE;
	if (res.action == CTL_MAINT_ON || res.action == CTL_MAINT_OFF)
		strlcpy(req.arg, res.action == CTL_MAINT_ON ? "on" : "off",
		    sizeof(req.arg));

	start = time(NULL);
	deadline = start + (res.action == CTL_DIAG_PING ||
	    res.action == CTL_DIAG_TRACE ? CTL_DIAG_TIMEOUT : CTL_TIMEOUT);
	fd = ctl_connect(sockname, deadline);
	if (imsgbuf_init(&ibuf, fd) == -1 ||
	    imsgbuf_set_maxsize(&ibuf, CTL_MAXIMSG) == -1 ||
	    imsg_compose(&ibuf, ctl_request_type(res.action), IMSG_VERSION, 0,
	    -1, &req, sizeof(req)) == -1)
		err(1, "imsg");
	/*
	 * A write that fails is not the end: the agent may have said why
	 * it closed (permission, limits) before we got to write.
	 */
	while (imsgbuf_queuelen(&ibuf) > 0) {
		if (imsgbuf_write(&ibuf) == -1)
			break;
		if (imsgbuf_queuelen(&ibuf) > 0 && !ctl_wait(fd, POLLOUT,
		    deadline))
			errx(1, "no reply from the agent within %d seconds",
			    CTL_TIMEOUT);
	}

	while (!done) {
		if ((n = imsg_get(&ibuf, &imsg)) == -1)
			errx(1, "malformed reply from the agent");
		if (n > 0) {
			done = ctl_reply(&imsg, res.action, out);
			imsg_free(&imsg);
			continue;
		}
		if (!ctl_wait(fd, POLLIN, deadline))
			errx(1, "no reply from the agent within %lld seconds",
			    (long long)(deadline - start));
		if ((n = imsgbuf_read(&ibuf)) == -1) {
			if (errno == ECONNRESET)
				errx(1, "the agent closed the connection");
			err(1, "read");
		}
		if (n == 0)
			errx(1, "the agent closed the connection");
	}
	out->tail(res.action);
	if (fflush(stdout) == EOF || ferror(stdout))
		err(1, "stdout");
	imsgbuf_clear(&ibuf);
	close(fd);
	exit(0);
}

/* Nothing is printed before the agent said yes: no half JSON. */
static void
ctl_head(enum ctl_action action, const struct output *out)
{
	static int	 started;

	if (!started)
		out->head(action);
	started = 1;
}

/* 1 when the reply is complete; failures exit. */
static int
ctl_reply(struct imsg *imsg, enum ctl_action action, const struct output *out)
{
	struct ctl_status_msg	 st;
	struct ctl_session_msg	 sm;
	struct ctl_bird_msg	 bm;
	struct ctl_wg_msg	 wm;
	struct ctl_tunnel_msg	 tm;
	struct ctl_result_msg	 r;
	static int		 got_record;
	uint32_t		 type = imsg_get_type(imsg);
	int			 i;

	if (imsg_get_id(imsg) != IMSG_VERSION)
		errx(1, "the agent speaks protocol version %u, this moenetctl "
		    "%d", imsg_get_id(imsg), IMSG_VERSION);
	if (type == IMSG_CTL_DIAG_TEXT ||
	    (type == IMSG_CTL_END && (action == CTL_DIAG_PING ||
	    action == CTL_DIAG_TRACE)))
		return ctl_diag_reply(imsg, action, out);
	switch (type) {
	case IMSG_CTL_RESULT:
		if (imsg_get_data(imsg, &r, sizeof(r)) == -1)
			errx(1, "%s: wrong length", imsg_type_name(type));
		r.text[sizeof(r.text) - 1] = '\0';
		if (r.code != CTL_RES_OK)
			errx(1, "%s", r.text);
		ctl_head(action, out);
		out->result(&r);
		return 1;
	case IMSG_CTL_SHOW_STATUS:
		if (action != CTL_SHOW_STATUS ||
		    imsg_get_data(imsg, &st, sizeof(st)) == -1)
			break;
		st.version[sizeof(st.version) - 1] = '\0';
		st.node_name[sizeof(st.node_name) - 1] = '\0';
		st.mode[sizeof(st.mode) - 1] = '\0';
		for (i = 0; i < CTL_STATES; i++)
			st.state_names[i][CTL_WORD_LEN - 1] = '\0';
		for (i = 0; i < CTL_PROCS; i++)
			st.procs[i].name[CTL_WORD_LEN - 1] = '\0';
		ctl_head(action, out);
		out->status(&st);
		return 0;
	case IMSG_CTL_STATUS_EXT:
	case IMSG_CTL_NODE:
	case IMSG_CTL_SESSION_EXT:
	case IMSG_CTL_SESSION_PROTO:
		if (ctl_show_reply(imsg, action, out) == -1)
			break;
		return 0;
	case IMSG_CTL_SHOW_SESSION:
		if ((action != CTL_SHOW_SESSIONS &&
		    action != CTL_SHOW_SESSION) ||
		    imsg_get_data(imsg, &sm, sizeof(sm)) == -1)
			break;
		sm.uuid[sizeof(sm.uuid) - 1] = '\0';
		sm.name[sizeof(sm.name) - 1] = '\0';
		sm.ifname[sizeof(sm.ifname) - 1] = '\0';
		sm.protocol[sizeof(sm.protocol) - 1] = '\0';
		sm.cp_status[sizeof(sm.cp_status) - 1] = '\0';
		sm.state[sizeof(sm.state) - 1] = '\0';
		sm.bgp_state[sizeof(sm.bgp_state) - 1] = '\0';
		sm.bgp_info[sizeof(sm.bgp_info) - 1] = '\0';
		sm.last_error[sizeof(sm.last_error) - 1] = '\0';
		ctl_head(action, out);
		out->session(&sm);
		return 0;
	case IMSG_CTL_SHOW_BIRD:
		if (action != CTL_SHOW_BIRD || got_record ||
		    imsg_get_data(imsg, &bm, sizeof(bm)) == -1)
			break;
		bm.version[sizeof(bm.version) - 1] = '\0';
		bm.last_error[sizeof(bm.last_error) - 1] = '\0';
		for (i = 0; i < CTL_APPLY; i++)
			bm.apply_names[i][CTL_WORD_LEN - 1] = '\0';
		got_record = 1;
		ctl_head(action, out);
		out->bird(&bm);
		return 0;
	case IMSG_CTL_SHOW_WG:
		if (action != CTL_SHOW_WG)
			break;
		/* The header first, then one record per tunnel. */
		if (!got_record) {
			if (imsg_get_data(imsg, &wm, sizeof(wm)) == -1)
				break;
			wm.backend[sizeof(wm.backend) - 1] = '\0';
			got_record = 1;
			ctl_head(action, out);
			out->wg(&wm);
			return 0;
		}
		if (imsg_get_data(imsg, &tm, sizeof(tm)) == -1)
			break;
		tm.ifname[sizeof(tm.ifname) - 1] = '\0';
		tm.uuid[sizeof(tm.uuid) - 1] = '\0';
		tm.name[sizeof(tm.name) - 1] = '\0';
		out->tunnel(&tm);
		return 0;
	case IMSG_CTL_TEXT:
		if (!ctl_bot_action(action))
			break;
		ctl_bot_text(imsg, action, out);
		return 0;
	case IMSG_CTL_END:
		if (ctl_bot_action(action)) {
			ctl_head(action, out);
			return 1;
		}
		if (action == CTL_SHOW_STATUS || action == CTL_SHOW_SESSIONS ||
		    action == CTL_SHOW_SESSION) {
			ctl_head(action, out);
			return 1;
		}
		/* Their output is not whole without the first record. */
		if ((action == CTL_SHOW_BIRD || action == CTL_SHOW_WG) &&
		    got_record)
			return 1;
		break;
	}
	errx(1, "unexpected reply %s from the agent", imsg_type_name(type));
}

/* A tool's text, in chunks, then END. */
static int
ctl_diag_reply(struct imsg *imsg, enum ctl_action action,
    const struct output *out)
{
	size_t	 len = imsg_get_len(imsg);

	if (action != CTL_DIAG_PING && action != CTL_DIAG_TRACE)
		errx(1, "unexpected reply %s from the agent",
		    imsg_type_name(imsg_get_type(imsg)));
	ctl_head(action, out);
	if (imsg_get_type(imsg) == IMSG_CTL_END)
		return 1;
	if (len > CTL_DIAG_CHUNK)
		errx(1, "%s: wrong length",
		    imsg_type_name(imsg_get_type(imsg)));
	out->text(imsg->data, len);
	return 0;
}

static uint32_t
ctl_request_type(enum ctl_action action)
{
	switch (action) {
	case CTL_SHOW_STATUS:
		return IMSG_CTL_SHOW_STATUS;
	case CTL_SHOW_SESSIONS:
		return IMSG_CTL_SHOW_SESSIONS;
	case CTL_SHOW_SESSION:
		return IMSG_CTL_SHOW_SESSION;
	case CTL_SHOW_BIRD:
		return IMSG_CTL_SHOW_BIRD;
	case CTL_SHOW_WG:
		return IMSG_CTL_SHOW_WG;
	case CTL_SHOW_FIREWALL:
		return IMSG_CTL_SHOW_FIREWALL;
	case CTL_RELOAD:
		return IMSG_CTL_RELOAD;
	case CTL_LOG_VERBOSE:
	case CTL_LOG_BRIEF:
		return IMSG_CTL_LOG_VERBOSE;
	case CTL_MAINT_ON:
	case CTL_MAINT_OFF:
		return IMSG_CTL_MAINTENANCE;
	case CTL_SYNC:
		return IMSG_CTL_SYNC;
	case CTL_ROUTE:
		return IMSG_CTL_ROUTE;
	case CTL_PATH:
		return IMSG_CTL_PATH;
	case CTL_RESTART:
		return IMSG_CTL_RESTART;
	case CTL_PROBE:
		return IMSG_CTL_PROBE;
	case CTL_DIAG_PING:
		return IMSG_CTL_DIAG_PING;
	case CTL_DIAG_TRACE:
		return IMSG_CTL_DIAG_TRACE;
	case CTL_CONFIRM_REMOVAL:
		return IMSG_CTL_CONFIRM;
	case CTL_NONE:
		break;
	}
	errx(1, "%s: no request for action %d", __func__, action);
}

static int
ctl_connect(const char *path, time_t deadline)
{
	struct sockaddr_un	 sun;
	socklen_t		 len;
	int			 fd, e;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		errx(1, "socket path too long: %s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		err(1, "socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		e = errno;
		/* A full backlog: wait for room, not forever. */
		if (e == EAGAIN || e == EINPROGRESS) {
			if (!ctl_wait(fd, POLLOUT, deadline))
				errx(1, "cannot connect to %s: timed out",
				    path);
			len = sizeof(e);
			if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e,
			    &len) == -1)
				e = errno;
		}
		if (e == ENOENT || e == ECONNREFUSED)
			errx(1, "cannot connect to %s: agent not running?",
			    path);
		if (e != 0)
			errc(1, e, "cannot connect to %s", path);
	}
	return fd;
}

/* 1 when fd is ready for events before the deadline. */
static int
ctl_wait(int fd, short events, time_t deadline)
{
	struct pollfd	 pfd;
	time_t		 left;
	int		 r;

	for (;;) {
		if ((left = deadline - time(NULL)) <= 0)
			return 0;
		pfd.fd = fd;
		pfd.events = events;
		pfd.revents = 0;
		r = poll(&pfd, 1, left * 1000);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			err(1, "poll");
		/* Errors and hangups surface in the read or write. */
		return r > 0;
	}
}

/* bgpctl's parser: a table per word, keywords may be abbreviated. */
static void
parse(int argc, char *argv[], struct parse_result *res)
{
	const struct token	*table = t_main, *match;

	memset(res, 0, sizeof(*res));
	for (;;) {
		match = match_token(argc > 0 ? argv[0] : NULL, table, res);
		if (match->type != NOTOKEN) {
			argc--;
			argv++;
		}
		if (match->type == NOTOKEN || match->next == NULL)
			break;
		table = match->next;
	}
	if (argc > 0)
		errx(1, "superfluous argument: %s", argv[0]);
}

static const struct token *
match_token(const char *word, const struct token *table,
    struct parse_result *res)
{
	const struct token	*t = NULL;
	size_t			 wordlen;
	int			 i, match = 0, exact = 0;

	wordlen = word == NULL ? 0 : strlen(word);
	/* An exact keyword wins over the keywords it abbreviates. */
	for (i = 0; word != NULL && table[i].type != ENDTOKEN; i++)
		if (table[i].type == KEYWORD &&
		    strcmp(word, table[i].keyword) == 0) {
			t = &table[i];
			match = exact = 1;
		}
	for (i = 0; !exact && table[i].type != ENDTOKEN; i++) {
		switch (table[i].type) {
		case NOTOKEN:
			if (word == NULL) {
				match++;
				t = &table[i];
			}
			break;
		case KEYWORD:
			if (wordlen > 0 && strncmp(word, table[i].keyword,
			    wordlen) == 0) {
				match++;
				t = &table[i];
			}
			break;
		case SESSIONID:
		case TARGET:
		case FILTER:
			if (wordlen > 0) {
				match++;
				t = &table[i];
			}
			break;
		case ENDTOKEN:
			break;
		}
	}
	if (match > 1)
		bad_token("ambiguous argument", word, table);
	if (t == NULL)
		bad_token(word == NULL ? "missing argument" :
		    "unknown argument", word, table);
	if (t->type == SESSIONID && strlcpy(res->arg, word,
	    sizeof(res->arg)) >= sizeof(res->arg))
		errx(1, "session name too long: %s", word);
	if (t->type == TARGET && strlcpy(res->arg, word,
	    sizeof(res->arg)) >= sizeof(res->arg))
		errx(1, "target longer than %zu bytes", sizeof(res->arg) - 1);
	if (t->type == FILTER) {
		if (res->nfilters == CTL_FILTERS_MAX)
			errx(1, "more than %d filters", CTL_FILTERS_MAX);
		res->filters[res->nfilters++] = word;
	}
	if (t->value != CTL_NONE)
		res->action = t->value;
	return t;
}

/* One line: what was wrong, and what would have been right. */
static __dead void
bad_token(const char *why, const char *word, const struct token *table)
{
	char	 valid[256];
	int	 i;

	valid[0] = '\0';
	for (i = 0; table[i].type != ENDTOKEN; i++) {
		if (valid[0] != '\0')
			strlcat(valid, ", ", sizeof(valid));
		switch (table[i].type) {
		case KEYWORD:
			strlcat(valid, table[i].keyword, sizeof(valid));
			break;
		case SESSIONID:
			strlcat(valid, "<uuid|name|protocol|interface|ASN>",
			    sizeof(valid));
			break;
		case TARGET:
			strlcat(valid, "<address|host>", sizeof(valid));
			break;
		case FILTER:
			strlcat(valid, "up|down|error|<ASN>|<name>",
			    sizeof(valid));
			break;
		case NOTOKEN:
			strlcat(valid, "<nothing>", sizeof(valid));
			break;
		case ENDTOKEN:
			break;
		}
	}
	if (word != NULL)
		errx(1, "%s: %s (valid: %s)", why, word, valid);
	errx(1, "%s (valid: %s)", why, valid);
}

static int
ctl_bot_action(enum ctl_action action)
{
	return action == CTL_ROUTE || action == CTL_PATH ||
	    action == CTL_RESTART || action == CTL_PROBE ||
	    action == CTL_SHOW_FIREWALL;
}

/* A piece of the text of route, path, restart or probe. */
static void
ctl_bot_text(struct imsg *imsg, enum ctl_action action,
    const struct output *out)
{
	struct ctl_text_msg	 m;

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1 ||
	    m.len > sizeof(m.text))
		errx(1, "IMSG_CTL_TEXT: wrong length");
	ctl_head(action, out);
	out->text(m.text, m.len);
}

/*
 * What the show commands add to their records: the status's second
 * part, the node's BIRD before a listing, each session's tunnel and
 * BIRD protocols.  -1: not for this command, or the wrong length.
 */
static int
ctl_show_reply(struct imsg *imsg, enum ctl_action action,
    const struct output *out)
{
	struct ctl_status_ext_msg	 x;
	struct ctl_node_msg		 n;
	struct ctl_session_ext_msg	 e;
	struct ctl_proto_msg		 p;
	int				 sessions;

	sessions = action == CTL_SHOW_SESSIONS || action == CTL_SHOW_SESSION;
	switch (imsg_get_type(imsg)) {
	case IMSG_CTL_STATUS_EXT:
		if (action != CTL_SHOW_STATUS ||
		    imsg_get_data(imsg, &x, sizeof(x)) == -1)
			return -1;
		ctl_head(action, out);
		out->status_ext(&x);
		return 0;
	case IMSG_CTL_NODE:
		if (!sessions || imsg_get_data(imsg, &n, sizeof(n)) == -1)
			return -1;
		ctl_head(action, out);
		out->node(&n);
		return 0;
	case IMSG_CTL_SESSION_EXT:
		if (!sessions || imsg_get_data(imsg, &e, sizeof(e)) == -1)
			return -1;
		out->session_ext(&e);
		return 0;
	case IMSG_CTL_SESSION_PROTO:
		if (!sessions || imsg_get_data(imsg, &p, sizeof(p)) == -1)
			return -1;
		out->proto(&p);
		return 0;
	}
	return -1;
}
