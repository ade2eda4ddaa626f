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
 * Latency per peer ASN for the control plane's bot.  The rtt task's
 * rounds (every controlPlane.rttInterval, metric.pingCount echoes of
 * metric.pingTimeout each) feed every session's result in here; the
 * bot's "probe now" sends one more probe of the same kind, over the
 * same tunnel, through the fetcher.  The RTT shown is an EWMA (alpha
 * PROBE_EWMA_ALPHA) of the successful probes; the tier is the DN42
 * latency community's: below 2.7, 7.3, 20, 55, 148, 403, 1097, 2981 ms
 * is tier 0..7, slower or failed is 8.
 */

#include <sys/types.h>
#include <sys/tree.h>

#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "rttmsg.h"
#include "parent/core/session.h"
#include "parent/tasks/rtt.h"
#include "parent/core/jw.h"
#include "parent/tasks/probe.h"

#define PROBE_GUARD_SLACK	3	/* seconds past the fetcher's timers */

struct probe_peer {
	RB_ENTRY(probe_peer)	 entry;
	uint32_t		 asn;
	char			 endpoint[PROBE_TARGET_LEN];
	double			 last_rtt;	/* EWMA; 0: none yet */
	int			 last_tier;
	time_t			 last_probe;
	uint64_t		 probe_count;	/* answered */
	uint64_t		 fail_count;
	struct probe_result	 hist[PROBE_HISTORY];
	size_t			 nhist;		/* ring: newest at head - 1 */
	size_t			 head;
};
RB_HEAD(probe_tree, probe_peer);

struct probe_wait {
	uint32_t		 asn;
	char			 target[PROBE_TARGET_LEN];
	probe_cb		 cb;
	void			*arg;
};

int	probe_cmp(struct probe_peer *, struct probe_peer *);
RB_PROTOTYPE(probe_tree, probe_peer, entry, probe_cmp);

static struct probe_tree	 peers = RB_INITIALIZER(&peers);

static struct probe_peer *peer_get(uint32_t, int);
static void	probe_add(const struct probe_result *);
static void	probe_fill(struct probe_result *, uint32_t, const char *,
		    const struct rtt_done_msg *);
static void	probe_done(const struct rtt_done_msg *, void *);
static void	probe_finish(struct probe_wait *, const struct probe_result *);

static const double	 tier_limits[] = {
	2.7, 7.3, 20, 55, 148, 403, 1097, 2981
};

int
probe_cmp(struct probe_peer *a, struct probe_peer *b)
{
	return a->asn < b->asn ? -1 : a->asn > b->asn;
}

RB_GENERATE(probe_tree, probe_peer, entry, probe_cmp);

int
probe_tier(double ms)
{
	size_t	 i;

	if (ms < 0)
		return 8;
	for (i = 0; i < sizeof(tier_limits) / sizeof(tier_limits[0]); i++)
		if (ms < tier_limits[i])
			return i;
	return 8;
}

static struct probe_peer *
peer_get(uint32_t asn, int create)
{
	struct probe_peer	 key, *p;

	memset(&key, 0, sizeof(key));
	key.asn = asn;
	if ((p = RB_FIND(probe_tree, &peers, &key)) != NULL || !create)
		return p;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal("%s", __func__);
	p->asn = asn;
	p->last_tier = 8;
	RB_INSERT(probe_tree, &peers, p);
	return p;
}

/* A result from the fetcher as the bot sees one. */
static void
probe_fill(struct probe_result *r, uint32_t asn, const char *target,
    const struct rtt_done_msg *d)
{
	memset(r, 0, sizeof(*r));
	strlcpy(r->target, target, sizeof(r->target));
	r->asn = asn;
	r->timestamp = time(NULL);
	if (d->flags & RTT_DONE_UNAVAILABLE) {
		r->tier = 8;
		strlcpy(r->error, "ICMP echo sockets are not allowed here "
		    "(net.ipv4.ping_group_range)", sizeof(r->error));
	} else if (d->received == 0 || d->rtt_us < 0) {
		r->tier = 8;
		snprintf(r->error, sizeof(r->error), "no answer to %u echo "
		    "requests", d->sent);
	} else {
		r->success = 1;
		r->rtt_ms = d->rtt_us / 1000.0;
		r->tier = probe_tier(r->rtt_ms);
	}
}

static void
probe_add(const struct probe_result *r)
{
	struct probe_peer	*p = peer_get(r->asn, 1);

	strlcpy(p->endpoint, r->target, sizeof(p->endpoint));
	if (r->success) {
		if (p->probe_count == 0 || p->last_rtt <= 0)
			p->last_rtt = r->rtt_ms;
		else
			p->last_rtt = PROBE_EWMA_ALPHA * r->rtt_ms +
			    (1 - PROBE_EWMA_ALPHA) * p->last_rtt;
		p->last_tier = probe_tier(p->last_rtt);
		p->last_probe = r->timestamp;
		p->probe_count++;
	} else
		p->fail_count++;
	p->hist[p->head] = *r;
	p->head = (p->head + 1) % PROBE_HISTORY;
	if (p->nhist < PROBE_HISTORY)
		p->nhist++;
}

/* A session's result from a round of the rtt task. */
static void
probe_record(uint32_t asn, const char *target, const struct rtt_done_msg *d)
{
	struct probe_result	 r;

	if (asn == 0)
		return;
	probe_fill(&r, asn, target, d);
	probe_add(&r);
}

/* The rtt task's rounds feed the history from the start. */
void
probe_init(void)
{
	rtt_on_result(probe_record);
}

int
probe_known(uint32_t asn)
{
	struct session	*s;

	if (peer_get(asn, 0) != NULL)
		return 1;
	RB_FOREACH(s, session_tree, &sessions)
		if (s->desired.asn == asn && s->applied)
			return 1;
	return 0;
}

/*
 * Probe the first applied session of asn now.  cb runs once, later:
 * at the latest PROBE_NOW_COUNT - 1 + PROBE_NOW_TIMEOUT seconds and a
 * little slack from now.  -1: ENOENT (no such session here), EAGAIN
 * (too many at once), EINVAL (no address to probe).
 */
int
probe_now(uint32_t asn, probe_cb cb, void *arg)
{
	struct probe_wait	*w;
	struct session		*s, *found = NULL;

	RB_FOREACH(s, session_tree, &sessions)
		if (s->desired.asn == asn && s->applied) {
			found = s;
			break;
		}
	if (found == NULL) {
		errno = ENOENT;
		return -1;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return -1;
	w->asn = asn;
	w->cb = cb;
	w->arg = arg;
	if (rtt_probe_now(found, PROBE_NOW_COUNT, PROBE_NOW_TIMEOUT * 1000,
	    PROBE_GUARD_SLACK, probe_done, w, w->target,
	    sizeof(w->target)) == -1) {
		free(w);
		return -1;
	}
	log_info("probe: AS%u at %s, now", asn, w->target);
	return 0;
}

/* The fetcher's answer, or NULL: none in time. */
static void
probe_done(const struct rtt_done_msg *d, void *arg)
{
	struct probe_wait	*w = arg;
	struct probe_result	 r;

	if (d != NULL) {
		probe_fill(&r, w->asn, w->target, d);
		probe_add(&r);
	} else {
		memset(&r, 0, sizeof(r));
		strlcpy(r.target, w->target, sizeof(r.target));
		r.asn = w->asn;
		r.tier = 8;
		r.timestamp = time(NULL);
		strlcpy(r.error, "the probe was not answered in time",
		    sizeof(r.error));
	}
	probe_finish(w, &r);
}

static void
probe_finish(struct probe_wait *w, const struct probe_result *r)
{
	probe_cb	 cb = w->cb;
	void		*arg = w->arg;

	log_info("probe: AS%u at %s: %s", r->asn, r->target, r->success ?
	    "answered" : r->error);
	free(w);
	if (cb != NULL)
		cb(r, arg);
}

/* {target, asn, rtt_ms, latency_tier, timestamp, success, error?} */
void
probe_json_result(struct jw *j, const struct probe_result *r)
{
	jw_open(j, NULL, '{');
	jw_str(j, "target", r->target);
	jw_uint(j, "asn", r->asn);
	jw_double(j, "rtt_ms", r->rtt_ms, 2);
	jw_int(j, "latency_tier", r->tier);
	jw_int(j, "timestamp", (long long)r->timestamp);
	jw_bool(j, "success", r->success);
	if (!r->success)
		jw_str(j, "error", r->error);
	jw_close(j, '}');
}

/*
 * {asn, endpoint, last_rtt, last_tier, last_probe, probe_count,
 * fail_count, stats?, history}: stats over the successful results
 * kept, history their last PROBE_SHOWN, oldest first.  -1: nothing is
 * known of asn.
 */
int
probe_json_stats(struct jw *j, uint32_t asn)
{
	struct probe_peer		*p;
	const struct probe_result	*r, *shown[PROBE_SHOWN];
	double				 min = 0, max = 0, sum = 0;
	size_t				 i, n = 0, nshown = 0;

	if (!probe_known(asn))
		return -1;
	p = peer_get(asn, 0);
	jw_open(j, NULL, '{');
	jw_uint(j, "asn", asn);
	jw_str(j, "endpoint", p != NULL ? p->endpoint : "");
	jw_double(j, "last_rtt", p != NULL ? p->last_rtt : 0, 2);
	jw_int(j, "last_tier", p != NULL ? p->last_tier : 8);
	jw_int(j, "last_probe", p != NULL ? (long long)p->last_probe : 0);
	jw_uint(j, "probe_count", p != NULL ? p->probe_count : 0);
	jw_uint(j, "fail_count", p != NULL ? p->fail_count : 0);
	/* Newest first, to keep the last PROBE_SHOWN. */
	for (i = 0; p != NULL && i < p->nhist; i++) {
		r = &p->hist[(p->head + PROBE_HISTORY - 1 - i) %
		    PROBE_HISTORY];
		if (!r->success)
			continue;
		if (n == 0 || r->rtt_ms < min)
			min = r->rtt_ms;
		if (n == 0 || r->rtt_ms > max)
			max = r->rtt_ms;
		sum += r->rtt_ms;
		n++;
		if (nshown < PROBE_SHOWN)
			shown[nshown++] = r;
	}
	if (n > 0) {
		jw_open(j, "stats", '{');
		jw_double(j, "min_rtt", min, 2);
		jw_double(j, "max_rtt", max, 2);
		jw_double(j, "avg_rtt", sum / n, 2);
		jw_uint(j, "samples", n);
		jw_close(j, '}');
	}
	jw_open(j, "history", '[');
	while (nshown > 0)
		probe_json_result(j, shown[--nshown]);
	jw_close(j, ']');
	jw_close(j, '}');
	return 0;
}
