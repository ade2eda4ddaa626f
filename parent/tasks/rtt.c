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
 * The rtt task: which addresses to probe (the peer of every applied
 * session, over its tunnel, and the loopback of every configured mesh
 * peer, which Babel routes over the mesh), the probing itself done by
 * the fetcher, and what becomes of the results: each session's observed
 * RTT and loss, and one POST {node}/rtt to the control plane.  Targets
 * are built afresh every round from what is applied now, so a session
 * or mesh peer that went away is neither probed nor reported.  The
 * bot's probes on demand (probe.c) go out and come back here as well,
 * each a request of core/pending; the rounds' results reach probe.c
 * through the callback it registers (rtt_on_result).
 */

#include <sys/types.h>
#include <sys/tree.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "parent/core/pending.h"
#include "parent/core/route.h"
#include "cp.h"
#include "cpctl.h"
#include "parent/ports/cpclient.h"
#include "parent/ports/cphealth.h"
#include "rttmsg.h"
#include "parent/core/session.h"
#include "parent/core/sched.h"
#include "parent/tasks/engine.h"
#include "parent/tasks/mesh.h"
#include "parent/tasks/rtt.h"

/* Beyond the fetcher's own timers, before a round is given up. */
#define RTT_GUARD_SLACK		10

struct rtt_slot {
	struct rtt_probe_msg	 probe;
	char			 text[CP_HOST_LEN];	/* as reported */
	char			 ifname[IFNAMSIZ];	/* session's, then */
	int			 done;
	struct rtt_done_msg	 res;
};

static struct {
	struct sched_task	*task;
	struct rtt_slot		*slot;
	size_t			 n;
	size_t			 ndone;
	uint32_t		 id;		/* 0: no round running */
	struct event		 ev_guard;
} rr;
static uint32_t			 next_round = 1;

/* A probe on demand, outside the rounds: its id is the pending one. */
struct rtt_now {
	struct pending		 pend;
	struct rtt_probe_msg	 probe;
	rtt_now_cb		 cb;
	void			*arg;
};

static void	rtt_now_expire(void *);

static struct pending_set	 rtt_nows =
    PENDING_SET_INITIALIZER(rtt_nows, "rtt probe", RTT_NOW_MAX,
    rtt_now_expire);
static rtt_result_cb		 result_cb;

static int	rtt_add(enum rtt_kind, const char *, int, const void *,
		    const char *);
static int	rtt_fill(struct rtt_probe_msg *, char *, size_t, enum rtt_kind,
		    const char *, int, const void *, const char *);
static int	rtt_session_addr(const struct session *, int *,
		    const void **, const char **);
static int	rtt_add_session(struct session *);
static void	rtt_add_mesh(uint32_t, const struct cp_mesh_peer_msg *,
		    void *);
static int	rtt_session_target(struct session *, enum rtt_kind,
		    struct rtt_probe_msg *, char *, size_t);
static void	rtt_dispatch_done(struct imsg *);
static void	rtt_now_done(uint32_t, const struct rtt_done_msg *);
static void	rtt_now_finish(struct rtt_now *, const struct rtt_done_msg *);
static void	rtt_guard(int, short, void *);
static void	rtt_finish(void);
static int	rtt_apply_session(const struct rtt_slot *);
static void	rtt_posted(const struct cp_result_msg *,
		    const struct cp_reply *, void *);

void
rtt_run(struct sched_task *t)
{
	struct session	*s;
	struct timeval	 tv;
	size_t		 i;

	if (rr.id != 0)
		fatalx("%s: a round is still running", __func__);
	rr.task = t;
	rr.n = rr.ndone = 0;
	RB_FOREACH(s, session_tree, &sessions) {
		/* Not there, or no address: nothing to measure. */
		if (!s->applied || rtt_add_session(s) == -1) {
			s->observed.rtt_ms = -1;
			s->observed.loss = 0;
		}
	}
	mesh_foreach_configured(rtt_add_mesh, NULL);
	if (rr.n == 0) {
		log_debug("rtt: nothing to probe");
		sched_done(t);
		return;
	}

	rr.id = next_round++;
	if (next_round == 0)
		next_round = 1;
	for (i = 0; i < rr.n; i++)
		parent_imsg_compose(PROC_FETCHER, IMSG_RTT_PROBE, rr.id,
		    -1, &rr.slot[i].probe, sizeof(rr.slot[i].probe));
	/* The fetcher answers every target; this is for when it cannot. */
	tv.tv_sec = (time_t)(conf->ping_count - 1) * RTT_INTERVAL_MS / 1000 +
	    conf->ping_timeout + RTT_GUARD_SLACK;
	tv.tv_usec = 0;
	evtimer_set(&rr.ev_guard, rtt_guard, NULL);
	evtimer_add(&rr.ev_guard, &tv);
	log_debug("rtt: round %u, %zu targets", rr.id, rr.n);
}

/*
 * Where a session is probed: the peer's link-local address over the
 * session's tunnel, else its IPv6, else its IPv4 tunnel address.  The
 * interface index is looked up later: the fetcher sees no interfaces.
 */
static int
rtt_session_addr(const struct session *s, int *family, const void **addr,
    const char **ifname)
{
	const struct cp_session_msg	*d = &s->desired;

	*ifname = NULL;
	if (d->flags & CP_SESS_HAS_LL) {
		*family = AF_INET6;
		*addr = &d->ipv6_ll;
		*ifname = s->ifname;
	} else if (d->flags & CP_SESS_HAS_IPV6) {
		*family = AF_INET6;
		*addr = &d->ipv6;
		if (IN6_IS_ADDR_LINKLOCAL(&d->ipv6))
			*ifname = s->ifname;
	} else if (d->flags & CP_SESS_HAS_IPV4) {
		*family = AF_INET;
		*addr = &d->ipv4;
	} else
		return -1;
	return 0;
}

static int
rtt_add_session(struct session *s)
{
	const void	*addr;
	const char	*ifname;
	int		 family;

	if (rtt_session_addr(s, &family, &addr, &ifname) == -1)
		return -1;
	return rtt_add(RTT_KIND_SESSION, s->desired.uuid, family, addr,
	    ifname);
}

/* Who hears of each session's result in a round (probe.c). */
void
rtt_on_result(rtt_result_cb cb)
{
	result_cb = cb;
}

/*
 * Probe session s now, as a round would (the same address over the
 * same tunnel), with at most count echo requests of at most timeout_ms
 * each; text gets the target.  cb runs once, later: with the answer,
 * or with NULL when none came within the fetcher's timers and slack
 * seconds more.  -1: EAGAIN (too many at once), EINVAL (no address to
 * probe).
 */
int
rtt_probe_now(struct session *s, uint32_t count, uint32_t timeout_ms,
    unsigned int slack, rtt_now_cb cb, void *arg, char *text,
    size_t textlen)
{
	struct rtt_now	*n;

	if (pending_count(&rtt_nows) >= RTT_NOW_MAX) {
		errno = EAGAIN;
		return -1;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return -1;
	if (rtt_session_target(s, RTT_KIND_PROBE, &n->probe, text,
	    textlen) == -1) {
		free(n);
		errno = EINVAL;
		return -1;
	}
	if (pending_add(&rtt_nows, &n->pend, n) == -1) {
		free(n);
		return -1;
	}
	if (n->probe.count > count)
		n->probe.count = count;
	if (n->probe.timeout_ms > timeout_ms)
		n->probe.timeout_ms = timeout_ms;
	n->cb = cb;
	n->arg = arg;
	pending_timeout(&n->pend, (n->probe.count - 1) * RTT_INTERVAL_MS /
	    1000 + n->probe.timeout_ms / 1000 + slack);
	parent_imsg_compose(PROC_FETCHER, IMSG_RTT_PROBE, n->pend.id, -1,
	    &n->probe, sizeof(n->probe));
	return 0;
}

/* The probe of one session, as a round has it. */
static int
rtt_session_target(struct session *s, enum rtt_kind kind,
    struct rtt_probe_msg *m, char *text, size_t textlen)
{
	const void	*addr;
	const char	*ifname;
	int		 family;

	if (!s->applied ||
	    rtt_session_addr(s, &family, &addr, &ifname) == -1)
		return -1;
	return rtt_fill(m, text, textlen, kind, s->desired.uuid, family,
	    addr, ifname);
}

/* A mesh peer's loopback, IPv6 if it has one: reached through Babel. */
static void
rtt_add_mesh(uint32_t id, const struct cp_mesh_peer_msg *p, void *arg)
{
	char	 key[16];

	snprintf(key, sizeof(key), "%u", id);
	if (p->flags & CP_PEER_HAS_IPV6)
		rtt_add(RTT_KIND_MESH, key, AF_INET6, &p->loopback6, NULL);
	else if (p->flags & CP_PEER_HAS_IPV4)
		rtt_add(RTT_KIND_MESH, key, AF_INET, &p->loopback4, NULL);
}

/* One target; ifname scopes a link-local address. */
static int
rtt_add(enum rtt_kind kind, const char *key, int family, const void *addr,
    const char *ifname)
{
	struct rtt_slot	*sl, *p;

	if (rr.n >= RTT_TARGETS_MAX) {
		log_warnx("rtt: more than %d targets, %s not probed",
		    RTT_TARGETS_MAX, key);
		return -1;
	}
	if ((p = reallocarray(rr.slot, rr.n + 1,
	    sizeof(*rr.slot))) == NULL)
		fatal("%s", __func__);
	rr.slot = p;
	sl = &rr.slot[rr.n];
	memset(sl, 0, sizeof(*sl));
	if (rtt_fill(&sl->probe, sl->text, sizeof(sl->text), kind, key,
	    family, addr, ifname) == -1)
		return -1;
	if (ifname != NULL)
		strlcpy(sl->ifname, ifname, sizeof(sl->ifname));
	sl->probe.index = rr.n;
	rr.n++;
	return 0;
}

/* The probe message and its address as text ("fe80::1%dn42_x"). */
static int
rtt_fill(struct rtt_probe_msg *m, char *text, size_t textlen,
    enum rtt_kind kind, const char *key, int family, const void *addr,
    const char *ifname)
{
	char		 a[INET6_ADDRSTRLEN];
	unsigned int	 idx = 0;
	int		 len;

	if (ifname != NULL && (idx = if_nametoindex(ifname)) == 0) {
		log_debug("rtt: %s: no interface %s", key, ifname);
		return -1;
	}
	if (inet_ntop(family, addr, a, sizeof(a)) == NULL)
		return -1;
	memset(m, 0, sizeof(*m));
	if (strlcpy(m->key, key, sizeof(m->key)) >= sizeof(m->key))
		return -1;
	if (ifname != NULL)
		len = snprintf(text, textlen, "%s%%%s", a, ifname);
	else
		len = snprintf(text, textlen, "%s", a);
	if (len < 0 || (size_t)len >= textlen)
		return -1;
	m->family = family;
	if (family == AF_INET)
		memcpy(&m->addr4, addr, sizeof(m->addr4));
	else
		memcpy(&m->addr6, addr, sizeof(m->addr6));
	m->scope = idx;
	m->kind = kind;
	m->count = conf->ping_count;
	m->timeout_ms = (uint32_t)conf->ping_timeout * 1000;
	return 0;
}

static const struct route rtt_route_table[] = {
	{ IMSG_RTT_DONE, ROUTE_FROM(PROC_FETCHER),
	    sizeof(struct rtt_done_msg), rtt_dispatch_done },
};

void
rtt_routes(void)
{
	route_add(rtt_route_table,
	    sizeof(rtt_route_table) / sizeof(rtt_route_table[0]));
}

/* IMSG_RTT_DONE from the fetcher. */
static void
rtt_dispatch_done(struct imsg *imsg)
{
	struct rtt_done_msg	 d;
	struct rtt_slot		*sl;
	uint32_t		 id = imsg_get_id(imsg);

	if (imsg_get_data(imsg, &d, sizeof(d)) == -1)
		fatalx("%s: IMSG_RTT_DONE wrong length", __func__);
	if (d.kind == RTT_KIND_PROBE) {
		rtt_now_done(id, &d);
		return;
	}
	if (id == 0 || id >= next_round)
		fatalx("%s: IMSG_RTT_DONE for round %u never asked", __func__,
		    id);
	if (id != rr.id) {
		/* A round given up by the guard timer. */
		log_debug("rtt: late result for round %u", id);
		return;
	}
	if (d.index >= rr.n)
		fatalx("%s: IMSG_RTT_DONE index out of range", __func__);
	sl = &rr.slot[d.index];
	if (sl->done || memchr(d.key, '\0', sizeof(d.key)) == NULL ||
	    strcmp(d.key, sl->probe.key) != 0 || d.kind != sl->probe.kind ||
	    d.sent != sl->probe.count || d.received > d.sent ||
	    d.loss > 100 || (d.flags & ~RTT_DONE_FLAGS) != 0 ||
	    (d.received == 0) != (d.rtt_us == -1) ||
	    d.rtt_us > (int64_t)sl->probe.timeout_ms * 1000)
		fatalx("%s: bad IMSG_RTT_DONE", __func__);
	sl->res = d;
	sl->done = 1;
	if (++rr.ndone == rr.n) {
		evtimer_del(&rr.ev_guard);
		rtt_finish();
	}
}

/* IMSG_RTT_DONE of a probe on demand. */
static void
rtt_now_done(uint32_t id, const struct rtt_done_msg *d)
{
	struct rtt_now	*n;

	if (memchr(d->key, '\0', sizeof(d->key)) == NULL ||
	    d->received > d->sent || d->sent == 0 || d->loss > 100 ||
	    (d->flags & ~RTT_DONE_FLAGS) != 0 ||
	    (d->received == 0) != (d->rtt_us == -1))
		fatalx("%s: bad IMSG_RTT_DONE", __func__);
	if ((n = pending_find(&rtt_nows, id)) == NULL) {
		/* Given up by the time limit meanwhile. */
		log_debug("rtt: late result of probe %u", id);
		return;
	}
	if (d->sent != n->probe.count ||
	    strcmp(d->key, n->probe.key) != 0 ||
	    d->rtt_us > (int64_t)n->probe.timeout_ms * 1000)
		fatalx("%s: bad IMSG_RTT_DONE", __func__);
	rtt_now_finish(n, d);
}

static void
rtt_now_expire(void *arg)
{
	rtt_now_finish(arg, NULL);
}

static void
rtt_now_finish(struct rtt_now *n, const struct rtt_done_msg *d)
{
	pending_del(&n->pend);
	if (n->cb != NULL)
		n->cb(d, n->arg);
	free(n);
}

static void
rtt_guard(int fd, short event, void *arg)
{
	log_warnx("rtt: %zu of %zu targets unanswered by the fetcher, "
	    "round %u given up", rr.n - rr.ndone, rr.n, rr.id);
	rtt_finish();
}

/*
 * File each result with its session and report them all.  A target
 * whose probes could not even be sent (no ICMP socket) is unknown:
 * locally RTT -1 with loss 0; the control plane, which has no word for
 * unknown, gets rtt -1 and loss 100 as for a target that never answers.
 */
static void
rtt_finish(void)
{
	struct cp_rtt_msg	*m;
	struct rtt_slot		*sl;
	size_t			 i, n = 0;

	if ((m = calloc(rr.n, sizeof(*m))) == NULL)
		fatal("%s", __func__);
	for (i = 0; i < rr.n; i++) {
		sl = &rr.slot[i];
		if (!sl->done)
			continue;
		switch (sl->probe.kind) {
		case RTT_KIND_SESSION:
			if (rtt_apply_session(sl) == -1)
				continue;
			break;
		case RTT_KIND_MESH:
			if (!mesh_peer_configured(strtonum(sl->probe.key, 1,
			    CP_MESH_NODEID_MAX, NULL))) {
				log_debug("rtt: mesh peer %s gone, result "
				    "dropped", sl->probe.key);
				continue;
			}
			log_debug("rtt: mesh peer %s %s: %u/%u answered",
			    sl->probe.key, sl->text, sl->res.received,
			    sl->res.sent);
			break;
		default:
			continue;
		}
		strlcpy(m[n].target, sl->text, sizeof(m[n].target));
		m[n].rtt_us = sl->res.rtt_us;
		m[n].loss = sl->res.flags & RTT_DONE_UNAVAILABLE ? 100 :
		    sl->res.loss;
		n++;
	}
	free(rr.slot);
	rr.slot = NULL;
	rr.n = rr.ndone = 0;
	rr.id = 0;
	if (n == 0) {
		free(m);
		sched_done(rr.task);
		return;
	}
	cp_rtt(m, n, rtt_posted, rr.task);
	free(m);
}

/* Only while the session is still applied on the same tunnel. */
static int
rtt_apply_session(const struct rtt_slot *sl)
{
	struct session		*s;
	const struct rtt_done_msg *r = &sl->res;

	if ((s = session_find(sl->probe.key)) == NULL || !s->applied ||
	    (sl->ifname[0] != '\0' && strcmp(s->ifname, sl->ifname) != 0)) {
		log_debug("rtt: %s gone, result dropped", sl->probe.key);
		return -1;
	}
	if (result_cb != NULL)
		result_cb(s->desired.asn, sl->text, r);
	s->observed.rtt_ms = r->rtt_us < 0 ? -1 : r->rtt_us / 1000.0;
	if (r->flags & RTT_DONE_UNAVAILABLE)
		s->observed.loss = 0;
	else
		s->observed.loss = (double)(r->sent - r->received) * 100.0 /
		    r->sent;
	log_debug("rtt: %s %s: %s, %u/%u answered", s->desired.uuid,
	    sl->text, r->flags & RTT_DONE_UNAVAILABLE ? "unknown" : "done",
	    r->received, r->sent);
	return 0;
}

static void
rtt_posted(const struct cp_result_msg *r, const struct cp_reply *rep,
    void *arg)
{
	if (r->result != CP_RES_OK)
		cphealth_failed("rtt report", r);
	sched_done(arg);
}
