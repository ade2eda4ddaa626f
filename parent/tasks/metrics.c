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
 * What the sessions do: the metrics task asks wgctl for the tunnels'
 * counters, then BIRD for "show protocols all", joins both to the
 * sessions (their observed part), and posts one report record per BIRD
 * protocol of every applied session.  metrics_prometheus() prints the
 * same knowledge, and the agent's own counters, as Prometheus text.
 *
 * Only what was seen is told.  A session whose BIRD or tunnel could not
 * be read keeps no invented numbers: its series are left out of the
 * exposition, and its report record says "unknown" (the report body
 * always carries routes_imported/exported; there they are 0 and the
 * state says not to believe them).
 */

#include <sys/types.h>
#include <sys/tree.h>

#include <event.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "cp.h"
#include "cpctl.h"
#include "parent/ports/cpclient.h"
#include "parent/ports/cphealth.h"
#include "parent/core/session.h"
#include "parent/ports/apply.h"
#include "parent/ports/bird.h"
#include "parent/ports/wg.h"
#include "parent/core/sched.h"
#include "parent/tasks/engine.h"
#include "parent/tasks/maint.h"
#include "parent/tasks/metrics.h"
#include "parent/core/degraded.h"

#define METRICS_GATHER_TIMEOUT	60	/* s, for wgctl and BIRD together */

/* What the last run learned of a session, beyond its observed values. */
#define M_BIRD		0x01	/* BIRD answered: bgp_state, info, since */
#define M_ROUTES	0x02	/* routes_in/out are BIRD's counts */
#define M_WG		0x04	/* wgctl read the tunnel: wg_*, link_up */

struct seen {
	char		 uuid[CP_UUID_LEN];
	unsigned int	 flags;
};

enum phase {
	PH_IDLE,
	PH_WG,		/* waiting for wgctl */
	PH_BIRD,	/* waiting for BIRD */
	PH_REPORT	/* waiting for the control plane */
};

static struct {
	struct sched_task	*task;
	unsigned int		 gen;		/* callbacks of older runs */
	enum phase		 phase;
	struct wg_tunnel_stats	*wg;		/* sorted by ifname */
	size_t			 nwg;
	int			 wg_ok;
	struct event		 ev_timeout;
	int			 timer;
} run;

static struct seen	*seen;		/* sorted by uuid */
static size_t		 nseen;

/* Trouble is logged when it starts and when it ends, not every run. */
static int		 bird_trouble, wg_trouble, cp_trouble;

static void	metrics_wg_done(const struct wg_tunnel_stats *, size_t,
		    void *);
static void	metrics_bird(void);
static void	metrics_bird_done(const struct bird_answer *, void *);
static void	metrics_timeout(int, short, void *);
static void	metrics_join(const struct bird_proto_msg *, size_t, int,
		    const char *);
static void	metrics_report_done(const struct cp_result_msg *,
		    const struct cp_reply *, void *);
static void	metrics_finish(void);
static void	trouble(int *, int, const char *, const char *);
static void	settext(char *, size_t, const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));

static void *
gen_arg(void)
{
	return (void *)(uintptr_t)run.gen;
}

static int
gen_current(void *arg)
{
	return (uintptr_t)arg == (uintptr_t)run.gen;
}

static void
trouble(int *flag, int now, const char *what, const char *why)
{
	if (now && !*flag)
		log_warning("metrics: %s: %s", what, why);
	else if (!now && *flag)
		log_info("metrics: %s works again", what);
	*flag = now;
}

/* The task: wgctl, then BIRD, then the report. */
void
metrics_run(struct sched_task *t)
{
	struct session	*s;
	struct timeval	 tv = { METRICS_GATHER_TIMEOUT, 0 };
	int		 any = 0;

	RB_FOREACH(s, session_tree, &sessions)
		if (s->applied) {
			any = 1;
			break;
		}
	run.task = t;
	run.gen++;
	if (!any) {
		/* Nothing on the router to observe or to report. */
		free(seen);
		seen = NULL;
		nseen = 0;
		metrics_finish();
		return;
	}
	evtimer_set(&run.ev_timeout, metrics_timeout, NULL);
	evtimer_add(&run.ev_timeout, &tv);
	run.timer = 1;
	run.phase = PH_WG;
	run.wg_ok = 0;
	if (wg_tunnel_stats(metrics_wg_done, gen_arg()) == -1) {
		trouble(&wg_trouble, 1, "wgctl", "cannot ask for statistics");
		metrics_bird();
	}
}

static int
wg_cmp(const void *a, const void *b)
{
	const struct wg_tunnel_stats	*x = a, *y = b;

	return strcmp(x->ifname, y->ifname);
}

static void
metrics_wg_done(const struct wg_tunnel_stats *st, size_t n, void *arg)
{
	size_t	 i;

	if (!gen_current(arg) || run.phase != PH_WG)
		return;		/* too late: the run went on without it */
	free(run.wg);
	run.wg = NULL;
	run.nwg = 0;
	if (n > 0 && (run.wg = calloc(n, sizeof(*run.wg))) == NULL)
		log_warn("%s", __func__);
	else {
		for (i = 0; i < n; i++) {
			run.wg[i] = st[i];
			run.wg[i].ifname[sizeof(run.wg[i].ifname) - 1] = '\0';
		}
		run.nwg = n;
		if (n > 0)
			qsort(run.wg, n, sizeof(*run.wg), wg_cmp);
		run.wg_ok = 1;
	}
	/* Tunnels wgctl did not answer for are left out of run.wg. */
	trouble(&wg_trouble, !run.wg_ok, "wgctl", "no statistics");
	metrics_bird();
}

static void
metrics_bird(void)
{
	const struct bird_state	*bs = bird_state();
	char			 why[BIRD_TEXT_LEN];

	run.phase = PH_BIRD;
	if (bird_cmd(BIRD_CMD_SHOW_PROTOCOLS_ALL, NULL, 0, metrics_bird_done,
	    gen_arg()) == 0)
		return;
	if (bs == NULL || !bs->connected)
		strlcpy(why, "not connected", sizeof(why));
	else
		strlcpy(why, "cannot send the command", sizeof(why));
	trouble(&bird_trouble, 1, "BIRD", why);
	metrics_join(NULL, 0, 0, why);
}

static void
metrics_bird_done(const struct bird_answer *a, void *arg)
{
	const char	*why;

	if (!gen_current(arg) || run.phase != PH_BIRD)
		return;
	if (!bird_answer_ok(a)) {
		why = a->text != NULL && a->text[0] != '\0' ? a->text :
		    "no answer";
		trouble(&bird_trouble, 1, "BIRD", why);
		metrics_join(NULL, 0, 0, why);
		return;
	}
	trouble(&bird_trouble, 0, "BIRD", NULL);
	metrics_join(a->protos, a->nprotos, 1, NULL);
}

static void
metrics_timeout(int fd, short event, void *arg)
{
	run.timer = 0;
	switch (run.phase) {
	case PH_WG:
		trouble(&wg_trouble, 1, "wgctl", "no answer in time");
		run.gen++;
		metrics_bird();
		break;
	case PH_BIRD:
		trouble(&bird_trouble, 1, "BIRD", "no answer in time");
		run.gen++;
		metrics_join(NULL, 0, 0, "no answer in time");
		break;
	default:
		break;
	}
}

static int
proto_cmp(const void *a, const void *b)
{
	const struct bird_proto_msg *const	*x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static const struct bird_proto_msg *
proto_find(const struct bird_proto_msg **v, size_t n, const char *name)
{
	size_t	 lo = 0, hi = n, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(name, v[mid]->name)) == 0)
			return v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const struct wg_tunnel_stats *
wg_find(const char *ifname)
{
	size_t	 lo = 0, hi = run.nwg, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(ifname, run.wg[mid].ifname)) == 0)
			return &run.wg[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Text for a person: cut to fit, which is fine. */
static void
settext(char *dst, size_t len, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(dst, len, fmt, ap);
	va_end(ap);
}

/* BIRD's padded Info column with its runs of blanks made single. */
static void
squeeze(char *dst, size_t len, const char *src)
{
	size_t	 i = 0;
	int	 blank = 0;

	while (*src == ' ')
		src++;
	for (; *src != '\0' && i + 1 < len; src++) {
		if (*src == ' ') {
			blank = 1;
			continue;
		}
		if (blank && i + 2 < len)
			dst[i++] = ' ';
		blank = 0;
		dst[i++] = *src;
	}
	dst[i] = '\0';
}

/*
 * The BIRD protocols of a session: <base> for MP-BGP, <base>_v4 and
 * <base>_v6 otherwise (parent/render.c), each as the session wants it
 * or as BIRD has it (the session may have changed since it was applied).
 */
static size_t
session_protocols(const struct session *s, char names[3][BIRD_NAME_LEN],
    const struct bird_proto_msg **v, size_t nv, int bird_ok)
{
	static const char *const sfx[3] = { "", "_v4", "_v6" };
	const struct cp_session_msg	*d = &s->desired;
	size_t				 i, n = 0;
	int				 want, r;

	for (i = 0; i < 3; i++) {
		if (i == 0)
			want = (d->flags & CP_SESS_MPBGP) != 0;
		else if (i == 1)
			want = !(d->flags & CP_SESS_MPBGP) &&
			    (d->flags & CP_SESS_HAS_IPV4);
		else
			want = !(d->flags & CP_SESS_MPBGP) &&
			    (d->flags & (CP_SESS_HAS_IPV6 | CP_SESS_HAS_LL));
		r = snprintf(names[n], BIRD_NAME_LEN, "%s%s", s->protocol,
		    sfx[i]);
		if (r < 0 || r >= BIRD_NAME_LEN)
			continue;
		if (want || (bird_ok && proto_find(v, nv, names[n]) != NULL))
			n++;
	}
	return n;
}

/* A record's RTT and loss, from what the rtt task measured. */
static void
record_rtt(struct cp_report_session_msg *r, const struct session_observed *o)
{
	if (o->rtt_ms >= 0) {
		r->rtt_us = (int64_t)(o->rtt_ms * 1000.0 + 0.5);
		r->loss = o->loss < 0 ? 0 : o->loss > 100 ? 100 :
		    (uint32_t)(o->loss + 0.5);
		r->flags |= CP_RS_HAS_RTT;
	} else if (o->loss >= 100) {
		r->rtt_us = -1;			/* every probe lost */
		r->loss = 100;
		r->flags |= CP_RS_HAS_RTT;
	}
}

/* A record's BIRD part from its protocol; routes per family. */
static void
record_bird(struct cp_report_session_msg *r, const struct bird_proto_msg *p)
{
	const struct bird_channel_msg	*c;
	uint32_t			 i;

	strlcpy(r->state, p->state, sizeof(r->state));
	squeeze(r->info, sizeof(r->info), p->info);
	for (i = 0; i < p->nchannels && i < BIRD_CHANNELS_MAX; i++) {
		c = &p->channels[i];
		if (strcmp(c->name, "ipv4") == 0) {
			r->ipv4_imported += c->imported;
			r->ipv4_exported += c->exported;
		} else if (strcmp(c->name, "ipv6") == 0) {
			r->ipv6_imported += c->imported;
			r->ipv6_exported += c->exported;
		}
	}
	r->routes_imported = r->ipv4_imported + r->ipv6_imported;
	r->routes_exported = r->ipv4_exported + r->ipv6_exported;
	/* Without the details there are no channels to count. */
	if (p->flags & BIRD_PROTO_DETAILS)
		r->flags |= CP_RS_HAS_AF;
}

/*
 * One applied session: its tunnel's counters, one report record per
 * BIRD protocol (appended at rs), and its observed values, which are
 * those of its least happy protocol (missing, then not Established).
 * Returns the M_* flags of what is known.
 */
static unsigned int
join_session(struct session *s, const struct bird_proto_msg **v, size_t nv,
    int bird_ok, const char *why, int wg_ok, time_t now,
    struct cp_report_session_msg *rs, size_t *nrs)
{
	struct session_observed		*o = &s->observed;
	const struct wg_tunnel_stats	*w;
	const struct bird_proto_msg	*p, *worst = NULL;
	struct cp_report_session_msg	*r;
	char				 names[3][BIRD_NAME_LEN];
	char				 info[sizeof(o->bird_info)];
	const char			*worst_name = NULL;
	uint32_t			 in[2] = { 0, 0 }, out[2] = { 0, 0 };
	size_t				 i, n;
	unsigned int			 flags = 0;
	int				 rank = 3, details = 1, pr;

	if (wg_ok && (w = wg_find(s->ifname)) != NULL) {
		o->link_up = w->present && w->link_up;
		if (w->present) {
			o->wg_handshake = w->last_handshake;
			o->wg_rx = w->rx_bytes;
			o->wg_tx = w->tx_bytes;
			flags |= M_WG;
		}
	}

	n = session_protocols(s, names, v, nv, bird_ok);
	for (i = 0; i < n; i++) {
		r = &rs[(*nrs)++];
		strlcpy(r->uuid, s->desired.uuid, sizeof(r->uuid));
		strlcpy(r->name, names[i], sizeof(r->name));
		if ((flags & M_WG) && o->wg_handshake != 0) {
			r->handshake_age = now > o->wg_handshake ?
			    now - o->wg_handshake : 0;
			r->flags |= CP_RS_HAS_HANDSHAKE;
		}
		record_rtt(r, o);
		if (!bird_ok) {
			strlcpy(r->state, "unknown", sizeof(r->state));
			settext(r->info, sizeof(r->info), "BIRD: %s", why);
			continue;
		}
		if ((p = proto_find(v, nv, names[i])) == NULL) {
			/* No protocol, no routes: these zeros are true. */
			strlcpy(r->state, "missing", sizeof(r->state));
			strlcpy(r->info, "not in BIRD", sizeof(r->info));
			pr = 0;
		} else {
			record_bird(r, p);
			if (!(p->flags & BIRD_PROTO_DETAILS))
				details = 0;
			pr = p->bgp_state_code == BIRD_BGP_ESTABLISHED ? 2 : 1;
		}
		in[0] += r->ipv4_imported;
		in[1] += r->ipv6_imported;
		out[0] += r->ipv4_exported;
		out[1] += r->ipv6_exported;
		if (pr < rank) {
			rank = pr;
			worst = p;
			worst_name = names[i];
		}
	}

	if (!bird_ok) {
		o->bgp_state[0] = '\0';
		settext(o->bird_info, sizeof(o->bird_info), "BIRD: %s", why);
		o->bird_since = 0;
		return flags;
	}
	flags |= M_BIRD;
	if (details) {
		memcpy(o->routes_in, in, sizeof(in));
		memcpy(o->routes_out, out, sizeof(out));
		flags |= M_ROUTES;
	}
	o->bgp_state[0] = '\0';
	o->bird_since = 0;
	if (worst_name == NULL)
		strlcpy(o->bird_info, "no BIRD protocol", sizeof(o->bird_info));
	else if (worst == NULL)
		settext(o->bird_info, sizeof(o->bird_info), "%s not in BIRD",
		    worst_name);
	else {
		strlcpy(o->bgp_state, worst->bgp_state[0] != '\0' ?
		    worst->bgp_state : worst->state, sizeof(o->bgp_state));
		squeeze(info, sizeof(info), worst->info);
		if (n > 1 && rank < 2)
			settext(o->bird_info, sizeof(o->bird_info), "%s: %s",
			    worst_name, info);
		else
			strlcpy(o->bird_info, info, sizeof(o->bird_info));
		o->bird_since = worst->since_unix;
	}
	session_bgp_seen(o, now);
	return flags;
}

/*
 * The run's results, joined to the sessions, then reported.  bird_ok:
 * protos[] is BIRD's whole answer; otherwise why says why there is none.
 */
static void
metrics_join(const struct bird_proto_msg *protos, size_t nprotos,
    int bird_ok, const char *why)
{
	const struct bird_proto_msg	**v = NULL;
	struct cp_report_session_msg	*rs = NULL;
	struct cp_report_msg		 h;
	struct session			*s;
	struct seen			*ns = NULL;
	time_t				 now = time(NULL);
	size_t				 i, k = 0, n = 0, nrs = 0, nv = 0;

	if (run.timer) {
		evtimer_del(&run.ev_timeout);
		run.timer = 0;
	}
	run.phase = PH_REPORT;
	RB_FOREACH(s, session_tree, &sessions)
		n++;
	if (bird_ok && nprotos > 0) {
		if ((v = calloc(nprotos, sizeof(*v))) == NULL)
			goto fail;
		for (i = 0; i < nprotos; i++)
			v[i] = &protos[i];
		nv = nprotos;
		qsort(v, nv, sizeof(*v), proto_cmp);
	}
	if (n > 0 && ((ns = calloc(n, sizeof(*ns))) == NULL ||
	    (rs = calloc(n * 3, sizeof(*rs))) == NULL))
		goto fail;

	/* The tree is in uuid order, and so is seen[]. */
	RB_FOREACH(s, session_tree, &sessions) {
		if (!s->applied || s->protocol[0] == '\0')
			continue;
		strlcpy(ns[k].uuid, s->desired.uuid, sizeof(ns[k].uuid));
		ns[k++].flags = join_session(s, v, nv, bird_ok, why,
		    run.wg_ok, now, rs, &nrs);
	}
	free(seen);
	seen = ns;
	nseen = k;
	free(v);

	if (nrs == 0) {
		free(rs);
		metrics_finish();
		return;
	}
	memset(&h, 0, sizeof(h));
	strlcpy(h.node_id, conf->node_name, sizeof(h.node_id));
	h.timestamp = now;
	h.count = nrs;
	cp_report(&h, rs, nrs, metrics_report_done, gen_arg());
	free(rs);
	return;

 fail:
	log_warn("%s", __func__);
	free(v);
	free(ns);
	free(rs);
	metrics_finish();
}

struct refresh {
	void	(*done)(const struct bird_answer *, void *);
	void	*arg;
};

static void
refresh_done(const struct bird_answer *a, void *arg)
{
	struct refresh			 *r = arg;
	struct cp_report_session_msg	  scratch[3];
	const struct bird_proto_msg	**v = NULL;
	struct session			 *s;
	size_t				  i, nrs;
	time_t				  now = time(NULL);

	if (bird_answer_ok(a) && (a->nprotos == 0 ||
	    (v = calloc(a->nprotos, sizeof(*v))) != NULL)) {
		for (i = 0; i < a->nprotos; i++)
			v[i] = &a->protos[i];
		qsort(v, a->nprotos, sizeof(*v), proto_cmp);
		RB_FOREACH(s, session_tree, &sessions) {
			if (!s->applied || s->protocol[0] == '\0')
				continue;
			/* Records start zeroed, as metrics_join()'s do. */
			memset(scratch, 0, sizeof(scratch));
			nrs = 0;
			join_session(s, v, a->nprotos, 1, NULL, 0, now,
			    scratch, &nrs);
		}
		free(v);
	}
	r->done(a, r->arg);
	free(r);
}

/*
 * BIRD's protocols now, into the sessions' BGP state and routes, so an
 * operator who asks sees this moment and not the last metrics run.
 * done(answer, arg) comes once, never from inside, with BIRD's answer,
 * good or not, valid during the call; -1: BIRD cannot be asked.
 */
int
metrics_refresh_bird(void (*done)(const struct bird_answer *, void *),
    void *arg)
{
	struct refresh	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return -1;
	r->done = done;
	r->arg = arg;
	if (bird_cmd(BIRD_CMD_SHOW_PROTOCOLS_ALL, NULL, 0, refresh_done,
	    r) == -1) {
		free(r);
		return -1;
	}
	return 0;
}

static void
metrics_report_done(const struct cp_result_msg *r, const struct cp_reply *rep,
    void *arg)
{
	char	 why[CP_MESSAGE_LEN + 64];

	if (!gen_current(arg) || run.phase != PH_REPORT)
		return;
	if (r->result == CP_RES_OK)
		trouble(&cp_trouble, 0, "report", NULL);
	else if (cphealth_outage(r))
		/* The control plane's outage is said once, not here. */
		cphealth_failed("metrics: report", r);
	else {
		cphealth_describe(r, why, sizeof(why));
		trouble(&cp_trouble, 1, "report", why);
	}
	metrics_finish();
}

static void
metrics_finish(void)
{
	struct sched_task	*t = run.task;

	if (run.timer) {
		evtimer_del(&run.ev_timeout);
		run.timer = 0;
	}
	free(run.wg);
	run.wg = NULL;
	run.nwg = 0;
	run.phase = PH_IDLE;
	run.task = NULL;
	if (t != NULL)
		sched_done(t);
}

/*
 * The Prometheus text format, version 0.0.4: every family with its HELP
 * and TYPE before its samples, and all its samples together; label
 * values with \\, \" and \n escaped and any byte that is not UTF-8 as
 * U+FFFD.  A family without a sample (no session has an RTT yet) is
 * left out.  What is in it:
 *
 *  - the agent: build_info{version}, up; moenet_sessions{state} for
 *    every lifecycle state, zeros too;
 *  - per session, every label set starting {session,protocol}: the
 *    uuid and the BIRD protocol's name (bird_exporter's "name"), so
 *    that the two join.  For every session known: session_info{name,
 *    asn,interface,state} (1), and session_error (0/1) for those wanted
 *    up, applied or not.  Per applied session, from the last metrics
 *    run, only what it saw: bgp_up{name,asn,interface}, bgp_state
 *    {state}, uptime_seconds and routes{af,direction} when BIRD
 *    answered; wg_* {interface} when wgctl read the tunnel (the
 *    handshake's time and age only once there was one); rtt_seconds
 *    and packet_loss_ratio when the rtt task measured (rtt_ms >= 0;
 *    all lost is loss 100 without an RTT).  "name" is the control
 *    plane's free text; at most 15 series per session;
 *  - controlplane_requests_total{endpoint,result}: every pair, zeros
 *    too (9 x 8, fixed), so that rate() and increase() see the first
 *    failure; last_success_timestamp_seconds{endpoint} only for those
 *    that once succeeded; breaker_state;
 *  - bird_up; bird_reconfigure_total{result}: apply transactions by
 *    outcome, all of them, except "unchanged" (BIRD was not asked);
 *  - maintenance (0/1); agent_degraded{condition}, every one (0/1).
 */

enum family {
	F_BUILD,
	F_UP,
	F_SESSIONS,
	F_SESSION_INFO,
	F_SESSION_ERROR,
	F_BGP_UP,
	F_BGP_STATE,
	F_UPTIME,
	F_ROUTES,
	F_RTT,
	F_LOSS,
	F_HANDSHAKE,
	F_HANDSHAKE_AGE,
	F_RX,
	F_TX,
	F_CP_REQUESTS,
	F_CP_SUCCESS,
	F_CP_BREAKER,
	F_BIRD_UP,
	F_BIRD_RECONF,
	F_MAINT,
	F_DEGRADED,
	F_MAX
};

static const struct {
	const char	*name;
	const char	*type;
	const char	*help;
} families[F_MAX] = {
	[F_BUILD] = { "moenet_agent_build_info", "gauge",
	    "The agent's version, as a label; always 1." },
	[F_UP] = { "moenet_agent_up", "gauge",
	    "1 while the agent answers." },
	[F_SESSIONS] = { "moenet_sessions", "gauge",
	    "Sessions the agent knows, by lifecycle state." },
	[F_SESSION_INFO] = { "moenet_session_info", "gauge",
	    "Every session the agent knows, with its names and lifecycle "
	    "state; always 1." },
	[F_SESSION_ERROR] = { "moenet_session_error", "gauge",
	    "1 while the session is in error (its last setup failed)." },
	[F_BGP_UP] = { "moenet_session_bgp_up", "gauge",
	    "1 if every BIRD protocol of the session is Established." },
	[F_BGP_STATE] = { "moenet_session_bgp_state", "gauge",
	    "The BGP state BIRD shows for the session, as a label; "
	    "always 1." },
	[F_UPTIME] = { "moenet_session_uptime_seconds", "gauge",
	    "Seconds since the session's BGP became Established, 0 while "
	    "it is not." },
	[F_ROUTES] = { "moenet_session_routes", "gauge",
	    "Routes of the session in BIRD, by address family and "
	    "direction." },
	[F_RTT] = { "moenet_session_rtt_seconds", "gauge",
	    "Round-trip time to the peer, when measured and answered." },
	[F_LOSS] = { "moenet_session_packet_loss_ratio", "gauge",
	    "Share of the RTT probes lost, 0 to 1, when measured." },
	[F_HANDSHAKE] = { "moenet_wg_last_handshake_timestamp_seconds",
	    "gauge", "Unix time of the tunnel's last WireGuard handshake." },
	[F_HANDSHAKE_AGE] = { "moenet_wg_last_handshake_age_seconds",
	    "gauge", "Seconds since the tunnel's last WireGuard handshake, "
	    "as the last metrics run saw it." },
	[F_RX] = { "moenet_wg_rx_bytes_total", "counter",
	    "Bytes received on the session's tunnel." },
	[F_TX] = { "moenet_wg_tx_bytes_total", "counter",
	    "Bytes sent on the session's tunnel." },
	[F_CP_REQUESTS] = { "moenet_controlplane_requests_total", "counter",
	    "Control-plane calls finished, by endpoint and outcome." },
	[F_CP_SUCCESS] = {
	    "moenet_controlplane_last_success_timestamp_seconds", "gauge",
	    "Unix time of the last successful call, by endpoint." },
	[F_CP_BREAKER] = { "moenet_controlplane_breaker_state", "gauge",
	    "The control-plane circuit breaker: 0 closed, 1 open, "
	    "2 half-open." },
	[F_BIRD_UP] = { "moenet_bird_up", "gauge",
	    "1 if the agent is connected to BIRD's control socket." },
	[F_BIRD_RECONF] = { "moenet_bird_reconfigure_total", "counter",
	    "BIRD reconfigurations the agent attempted, by outcome." },
	[F_MAINT] = { "moenet_maintenance", "gauge",
	    "1 while in maintenance: every export is marked for graceful "
	    "shutdown (RFC 8326)." },
	[F_DEGRADED] = { "moenet_agent_degraded", "gauge",
	    "1 while the condition holds (the state directory takes no "
	    "writes, a mass removal is held, BIRD is not connected); "
	    "/healthz says why." }
};

struct prom {
	FILE		*f;
	unsigned int	 shown;		/* 1 << family: HELP, TYPE written */
};

/* The length of the valid UTF-8 sequence at s, 0 if there is none. */
static size_t
utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] >= 0xe0 && s[0] <= 0xef) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[0] == 0xe0 && s[1] < 0xa0) ||
		    (s[0] == 0xed && s[1] >= 0xa0))
			return 0;
		return 3;
	}
	if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80 || (s[0] == 0xf0 && s[1] < 0x90) ||
		    (s[0] == 0xf4 && s[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/* A label value: \\, \" and \n escaped, bytes that are not UTF-8 U+FFFD. */
static void
label_value(FILE *f, const char *v)
{
	const unsigned char	*s = (const unsigned char *)v;
	size_t			 n;

	for (; *s != '\0'; s += n) {
		if ((n = utf8_len(s)) == 0) {
			fputs("\xef\xbf\xbd", f);
			n = 1;
		} else if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '"')
			fputs("\\\"", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fwrite(s, 1, n, f);
	}
}

/*
 * The start of a sample, up to its value: name{k="v",...} and a blank.
 * The labels are key, value pairs ending with a NULL key.
 */
static void
sample(struct prom *pr, enum family fam, ...)
{
	va_list		 ap;
	const char	*k, *v;
	int		 first = 1;

	if (!(pr->shown & (1U << fam))) {
		fprintf(pr->f, "# HELP %s %s\n# TYPE %s %s\n",
		    families[fam].name, families[fam].help,
		    families[fam].name, families[fam].type);
		pr->shown |= 1U << fam;
	}
	fputs(families[fam].name, pr->f);
	va_start(ap, fam);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		fprintf(pr->f, "%s%s=\"", first ? "{" : ",", k);
		label_value(pr->f, v);
		fputc('"', pr->f);
		first = 0;
	}
	va_end(ap);
	fputs(first ? " " : "} ", pr->f);
}

static unsigned int
seen_flags(const struct session *s)
{
	size_t	 lo = 0, hi = nseen, mid;
	int	 c;

	if (!s->applied)
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(s->desired.uuid, seen[mid].uuid)) == 0)
			return seen[mid].flags;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

static int
loss_known(const struct session_observed *o)
{
	return o->rtt_ms >= 0 || o->loss >= 100;
}

/*
 * Every per-session series has "session" (the uuid) and "protocol" (the
 * BIRD protocol's name, as bird_exporter's "name" label has it); the
 * names and the lifecycle state are in moenet_session_info, to join on.
 */
static void
prom_sessions(struct prom *pr)
{
	static const char *const afs[2] = { "ipv4", "ipv6" };
	const struct session_observed	*o;
	struct session			*s;
	unsigned int			 count[SESSION_STATE_MAX + 1];
	char				 asn[16];
	FILE				*f = pr->f;
	time_t				 now = time(NULL);
	int				 i;

	memset(count, 0, sizeof(count));
	RB_FOREACH(s, session_tree, &sessions)
		if ((unsigned int)s->state <= SESSION_STATE_MAX)
			count[s->state]++;
	for (i = 0; i <= SESSION_STATE_MAX; i++) {
		sample(pr, F_SESSIONS, "state", session_state_name(i),
		    (char *)NULL);
		fprintf(f, "%u\n", count[i]);
	}

	/* Every session, those in error too, whether applied or not. */
	RB_FOREACH(s, session_tree, &sessions) {
		snprintf(asn, sizeof(asn), "%u", s->desired.asn);
		sample(pr, F_SESSION_INFO, "session", s->desired.uuid,
		    "protocol", s->protocol, "name", s->desired.name, "asn",
		    asn, "interface", s->ifname[0] != '\0' ? s->ifname :
		    s->desired.ifname, "state", session_state_name(s->state),
		    (char *)NULL);
		fputs("1\n", f);
	}
	RB_FOREACH(s, session_tree, &sessions) {
		if (s->state != SESSION_ERROR && s->state != SESSION_ACTIVE &&
		    s->state != SESSION_SETUP)
			continue;
		sample(pr, F_SESSION_ERROR, "session", s->desired.uuid,
		    "protocol", s->protocol, (char *)NULL);
		fprintf(f, "%d\n", s->state == SESSION_ERROR);
	}

	/* Per session, applied ones only, and only what the last run saw. */
	RB_FOREACH(s, session_tree, &sessions) {
		if (!(seen_flags(s) & M_BIRD))
			continue;
		snprintf(asn, sizeof(asn), "%u", s->desired.asn);
		sample(pr, F_BGP_UP, "session", s->desired.uuid, "protocol",
		    s->protocol, "name", s->desired.name, "asn", asn,
		    "interface", s->ifname, (char *)NULL);
		fprintf(f, "%d\n",
		    strcmp(s->observed.bgp_state, "Established") == 0);
	}
	RB_FOREACH(s, session_tree, &sessions) {
		if (!(seen_flags(s) & M_BIRD) ||
		    s->observed.bgp_state[0] == '\0')
			continue;
		sample(pr, F_BGP_STATE, "session", s->desired.uuid,
		    "protocol", s->protocol, "state", s->observed.bgp_state,
		    (char *)NULL);
		fputs("1\n", f);
	}
	RB_FOREACH(s, session_tree, &sessions) {
		o = &s->observed;
		if (!(seen_flags(s) & M_BIRD))
			continue;
		sample(pr, F_UPTIME, "session", s->desired.uuid, "protocol",
		    s->protocol, (char *)NULL);
		fprintf(f, "%lld\n", strcmp(o->bgp_state, "Established") == 0 &&
		    o->bird_since > 0 && now > o->bird_since ?
		    (long long)(now - o->bird_since) : 0LL);
	}
	RB_FOREACH(s, session_tree, &sessions) {
		if (!(seen_flags(s) & M_ROUTES))
			continue;
		for (i = 0; i < 2; i++) {
			sample(pr, F_ROUTES, "session", s->desired.uuid,
			    "protocol", s->protocol, "af", afs[i],
			    "direction", "imported", (char *)NULL);
			fprintf(f, "%u\n", s->observed.routes_in[i]);
			sample(pr, F_ROUTES, "session", s->desired.uuid,
			    "protocol", s->protocol, "af", afs[i],
			    "direction", "exported", (char *)NULL);
			fprintf(f, "%u\n", s->observed.routes_out[i]);
		}
	}
	RB_FOREACH(s, session_tree, &sessions) {
		if (!s->applied || s->observed.rtt_ms < 0)
			continue;
		sample(pr, F_RTT, "session", s->desired.uuid, "protocol",
		    s->protocol, (char *)NULL);
		fprintf(f, "%.6f\n", s->observed.rtt_ms / 1000.0);
	}
	RB_FOREACH(s, session_tree, &sessions) {
		o = &s->observed;
		if (!s->applied || !loss_known(o))
			continue;
		sample(pr, F_LOSS, "session", s->desired.uuid, "protocol",
		    s->protocol, (char *)NULL);
		fprintf(f, "%.4f\n", o->loss < 0 ? 0.0 : o->loss > 100 ? 1.0 :
		    o->loss / 100.0);
	}
	RB_FOREACH(s, session_tree, &sessions) {
		if (!(seen_flags(s) & M_WG) || s->observed.wg_handshake == 0)
			continue;
		sample(pr, F_HANDSHAKE, "session", s->desired.uuid,
		    "protocol", s->protocol, "interface", s->ifname,
		    (char *)NULL);
		fprintf(f, "%lld\n", (long long)s->observed.wg_handshake);
	}
	RB_FOREACH(s, session_tree, &sessions) {
		if (!(seen_flags(s) & M_WG) || s->observed.wg_handshake == 0)
			continue;
		sample(pr, F_HANDSHAKE_AGE, "session", s->desired.uuid,
		    "protocol", s->protocol, "interface", s->ifname,
		    (char *)NULL);
		fprintf(f, "%lld\n", now > s->observed.wg_handshake ?
		    (long long)(now - s->observed.wg_handshake) : 0LL);
	}
	RB_FOREACH(s, session_tree, &sessions) {
		if (!(seen_flags(s) & M_WG))
			continue;
		sample(pr, F_RX, "session", s->desired.uuid, "protocol",
		    s->protocol, "interface", s->ifname, (char *)NULL);
		fprintf(f, "%llu\n", (unsigned long long)s->observed.wg_rx);
	}
	RB_FOREACH(s, session_tree, &sessions) {
		if (!(seen_flags(s) & M_WG))
			continue;
		sample(pr, F_TX, "session", s->desired.uuid, "protocol",
		    s->protocol, "interface", s->ifname, (char *)NULL);
		fprintf(f, "%llu\n", (unsigned long long)s->observed.wg_tx);
	}
}

static void
prom_controlplane(struct prom *pr)
{
	const struct cp_stats	*st = cp_stats();
	int			 e, r;

	/* Every pair, zeros too: a fixed 9 x 8 set, so rate() sees starts. */
	for (e = 0; e < CP_EP_MAX; e++)
		for (r = 0; r < CP_RES_MAX; r++) {
			sample(pr, F_CP_REQUESTS, "endpoint",
			    cp_endpoint_name(e), "result", cp_result_name(r),
			    (char *)NULL);
			fprintf(pr->f, "%llu\n",
			    (unsigned long long)st->count[e][r]);
		}
	for (e = 0; e < CP_EP_MAX; e++) {
		if (st->last_success[e] == 0)
			continue;
		sample(pr, F_CP_SUCCESS, "endpoint", cp_endpoint_name(e),
		    (char *)NULL);
		fprintf(pr->f, "%lld\n", (long long)st->last_success[e]);
	}
	if (st->breaker <= 2) {
		sample(pr, F_CP_BREAKER, (char *)NULL);
		fprintf(pr->f, "%u\n", st->breaker);
	}
}

/* moenet_bird_reconfigure_total{result}: the apply outcomes that are one. */
static const char *const reconf_names[APPLY_NSTATUS] = {
	[APPLY_OK] = "ok",
	[APPLY_UNCHANGED] = NULL,	/* BIRD was not asked */
	[APPLY_ERR_NOT_CONNECTED] = "not_connected",
	[APPLY_ERR_FILE] = "file_error",
	[APPLY_ERR_CHECK] = "check_failed",
	[APPLY_ERR_CONFIGURE] = "configure_failed",
	[APPLY_ERR_VERIFY] = "verify_failed",
	[APPLY_ERR_CONFIRM] = "confirm_failed",
	[APPLY_ERR_BIRD] = "bird_lost"
};

static void
prom_bird(struct prom *pr)
{
	const struct bird_state	*bs = bird_state();
	const uint64_t		*c = apply_counters();
	int			 i;

	sample(pr, F_BIRD_UP, (char *)NULL);
	fprintf(pr->f, "%d\n", bs->connected != 0);
	for (i = 0; i < APPLY_NSTATUS; i++) {
		if (reconf_names[i] == NULL)
			continue;
		sample(pr, F_BIRD_RECONF, "result", reconf_names[i],
		    (char *)NULL);
		fprintf(pr->f, "%llu\n", (unsigned long long)c[i]);
	}
}

int
metrics_prometheus(char **out, size_t *outlen)
{
	struct prom	 pr;
	char		*buf = NULL;
	size_t		 len = 0;
	int		 w;

	*out = NULL;
	*outlen = 0;
	memset(&pr, 0, sizeof(pr));
	if ((pr.f = open_memstream(&buf, &len)) == NULL)
		return -1;
	sample(&pr, F_BUILD, "version", MOENET_VERSION, (char *)NULL);
	fputs("1\n", pr.f);
	sample(&pr, F_UP, (char *)NULL);
	fputs("1\n", pr.f);
	prom_sessions(&pr);
	prom_controlplane(&pr);
	prom_bird(&pr);
	sample(&pr, F_MAINT, (char *)NULL);
	fprintf(pr.f, "%d\n", maint_get() != 0);
	for (w = 0; w < DEGRADED_MAX; w++) {
		sample(&pr, F_DEGRADED, "condition", degraded_name(w),
		    (char *)NULL);
		fprintf(pr.f, "%d\n", degraded_is(w));
	}
	if (ferror(pr.f)) {
		fclose(pr.f);
		free(buf);
		return -1;
	}
	if (fclose(pr.f) == EOF) {
		free(buf);
		return -1;
	}
	*out = buf;
	*outlen = len;
	return 0;
}
