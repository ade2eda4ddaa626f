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
 * RTT probes: ICMP echo over datagram ("ping") sockets, which need no
 * privilege, only a group in net.ipv4.ping_group_range.  The kernel
 * picks the echo identifier and hands each socket only its own
 * replies; the sequence number and the source address tell which
 * target and which probe a reply answers.  One socket per family,
 * shared by every target; the probes of all targets run at once, each
 * target on its own libevent timer.  Targets are typed addresses from
 * the parent: nothing here resolves a name or runs a command.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "imsgev.h"
#include "rttmsg.h"
#include "rtt.h"

#define RTT_PAYLOAD		"moenet-agent rtt"
#define RTT_INFLIGHT_MAX	(2 * RTT_TARGETS_MAX)

/* ICMP and ICMPv6 echo messages share one header layout (RFC 792, 4443). */
#define ECHO4_REQUEST		8
#define ECHO4_REPLY		0
#define ECHO6_REQUEST		128
#define ECHO6_REPLY		129

struct rtt_echo {
	uint8_t		type;
	uint8_t		code;
	uint16_t	cksum;		/* the kernel's */
	uint16_t	id;		/* the kernel's */
	uint16_t	seq;
};

struct rtt_target {
	TAILQ_ENTRY(rtt_target)	 entry;
	struct rtt_probe_msg	 req;
	struct sockaddr_storage	 sa;
	socklen_t		 salen;
	struct event		 ev;
	uint32_t		 round;		/* imsg id */
	uint16_t		 seq0;		/* sequence of probe 0 */
	uint32_t		 nsent;
	uint32_t		 nanswered;
	struct timespec		 sent_at[RTT_COUNT_MAX];
	int64_t			 rtt_us[RTT_COUNT_MAX];	/* -1: no answer */
};

struct rtt_sock {
	int			 family;
	int			 fd;
	int			 tried;
	uint32_t		 tried_round;	/* last socket() attempt */
	int			 failed_logged;
	struct event		 ev;
};

static struct imsgev		*iev_parent;
static TAILQ_HEAD(, rtt_target)	 targets = TAILQ_HEAD_INITIALIZER(targets);
static size_t			 ntargets;
static struct rtt_sock		 socks[2] = {
	{ .family = AF_INET, .fd = -1 },
	{ .family = AF_INET6, .fd = -1 }
};
static uint16_t			 next_seq;
static int			 denied_logged;

static struct rtt_sock	*rtt_sock_of(int);
static int	rtt_sock_open(struct rtt_sock *, uint32_t);
static void	rtt_tick(int, short, void *);
static void	rtt_send(struct rtt_target *);
static void	rtt_recv(int, short, void *);
static void	rtt_reply(struct rtt_sock *, const struct sockaddr_storage *,
		    const unsigned char *, size_t, const struct timespec *);
static void	rtt_finish(struct rtt_target *, uint32_t);
static void	rtt_answer(const struct rtt_probe_msg *, uint32_t, uint32_t,
		    const int64_t *);
static int64_t	rtt_elapsed_us(const struct timespec *,
		    const struct timespec *);

void
rtt_probe_init(struct imsgev *iev)
{
	iev_parent = iev;
	/* Sequences of a fetcher's life do not start where the last did. */
	next_seq = arc4random_uniform(UINT16_MAX + 1);
}

/*
 * The mean of the answered probes (rtt_us[i] >= 0), rounded to the
 * microsecond, -1 when none answered; loss in percent of count,
 * rounded to the nearest.
 */
void
rtt_summarize(const int64_t *rtt_us, uint32_t count, struct rtt_done_msg *d)
{
	int64_t		 sum = 0;
	uint32_t	 i, n = 0;

	for (i = 0; i < count; i++) {
		if (rtt_us[i] < 0)
			continue;
		sum += rtt_us[i];
		n++;
	}
	d->sent = count;
	d->received = n;
	d->rtt_us = n == 0 ? -1 : (sum + n / 2) / n;
	d->loss = count == 0 ? 100 :
	    ((count - n) * 100 + count / 2) / count;
}

static struct rtt_sock *
rtt_sock_of(int family)
{
	return &socks[family == AF_INET6];
}

/*
 * At most one socket() per family and round: a refusal is not retried
 * for every probe, and said once.  A later round tries again, so that
 * an operator's sysctl takes effect without a restart.
 */
static int
rtt_sock_open(struct rtt_sock *s, uint32_t round)
{
	int	 fd, proto;
	gid_t	 gid;

	if (s->fd != -1)
		return 0;
	if (s->tried && s->tried_round == round)
		return -1;
	s->tried = 1;
	s->tried_round = round;
	proto = s->family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	fd = socket(s->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    proto);
	if (fd == -1) {
		if (errno == EACCES || errno == EPERM) {
			if (!denied_logged) {
				gid = getegid();
				log_warnx("RTT probes disabled: this system "
				    "does not allow ICMP echo sockets for "
				    "group %u; allow them with: sysctl -w "
				    "net.ipv4.ping_group_range=\"%u %u\"",
				    (unsigned int)gid, (unsigned int)gid,
				    (unsigned int)gid);
				denied_logged = 1;
			}
		} else if (!s->failed_logged) {
			log_warn("RTT probes over %s disabled: ICMP echo "
			    "socket", s->family == AF_INET ? "IPv4" : "IPv6");
			s->failed_logged = 1;
		}
		return -1;
	}
	if (denied_logged || s->failed_logged)
		log_info("RTT probes over %s enabled",
		    s->family == AF_INET ? "IPv4" : "IPv6");
	s->failed_logged = 0;
	s->fd = fd;
	event_set(&s->ev, fd, EV_READ | EV_PERSIST, rtt_recv, s);
	event_add(&s->ev, NULL);
	return 0;
}

void
rtt_probe_dispatch(struct imsg *imsg)
{
	struct rtt_probe_msg	 req;
	struct rtt_target	*t;
	struct sockaddr_in	*sin;
	struct sockaddr_in6	*sin6;
	int64_t			 none[RTT_COUNT_MAX];
	uint32_t		 i, round = imsg_get_id(imsg);

	if (imsg_get_type(imsg) != IMSG_RTT_PROBE ||
	    imsg_get_data(imsg, &req, sizeof(req)) == -1)
		fatalx("%s: IMSG_RTT_PROBE wrong length", __func__);
	if (memchr(req.key, '\0', sizeof(req.key)) == NULL ||
	    (req.family != AF_INET && req.family != AF_INET6) ||
	    (req.family == AF_INET && req.scope != 0) ||
	    req.kind > RTT_KIND_MAX || req.index >= RTT_TARGETS_MAX ||
	    req.count == 0 || req.count > RTT_COUNT_MAX ||
	    req.timeout_ms == 0 || req.timeout_ms > RTT_TIMEOUT_MAX_MS)
		fatalx("%s: IMSG_RTT_PROBE out of range", __func__);

	for (i = 0; i < req.count; i++)
		none[i] = -1;
	if (ntargets >= RTT_INFLIGHT_MAX) {
		log_warnx("RTT probes: too many targets at once");
		rtt_answer(&req, round, RTT_DONE_UNAVAILABLE, none);
		return;
	}
	if (rtt_sock_open(rtt_sock_of(req.family), round) == -1) {
		rtt_answer(&req, round, RTT_DONE_UNAVAILABLE, none);
		return;
	}

	if ((t = calloc(1, sizeof(*t))) == NULL)
		fatal("%s", __func__);
	t->req = req;
	t->round = round;
	if (req.family == AF_INET) {
		sin = (struct sockaddr_in *)&t->sa;
		sin->sin_family = AF_INET;
		sin->sin_addr = req.addr4;
		t->salen = sizeof(*sin);
	} else {
		sin6 = (struct sockaddr_in6 *)&t->sa;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = req.addr6;
		sin6->sin6_scope_id = req.scope;
		t->salen = sizeof(*sin6);
	}
	for (i = 0; i < req.count; i++)
		t->rtt_us[i] = -1;
	/* Each target its own range, so a sequence names one probe. */
	t->seq0 = next_seq;
	next_seq += req.count;
	evtimer_set(&t->ev, rtt_tick, t);
	TAILQ_INSERT_TAIL(&targets, t, entry);
	ntargets++;
	rtt_tick(-1, 0, t);
}

/* Send the next probe, or, after the last one's timeout, finish. */
static void
rtt_tick(int fd, short event, void *arg)
{
	struct rtt_target	*t = arg;
	struct timeval		 tv;
	uint32_t		 ms;

	if (t->nsent == t->req.count) {
		rtt_finish(t, 0);
		return;
	}
	rtt_send(t);
	ms = t->nsent < t->req.count ? RTT_INTERVAL_MS : t->req.timeout_ms;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(&t->ev, &tv);
}

static void
rtt_send(struct rtt_target *t)
{
	struct rtt_sock		*s = rtt_sock_of(t->req.family);
	struct rtt_echo		 e;
	unsigned char		 buf[sizeof(e) + sizeof(RTT_PAYLOAD) - 1];
	uint32_t		 i = t->nsent++;

	/* The kernel fills in the identifier and the checksum. */
	memset(&e, 0, sizeof(e));
	e.type = t->req.family == AF_INET ? ECHO4_REQUEST : ECHO6_REQUEST;
	e.seq = htons((uint16_t)(t->seq0 + i));
	memcpy(buf, &e, sizeof(e));
	memcpy(buf + sizeof(e), RTT_PAYLOAD, sizeof(RTT_PAYLOAD) - 1);
	clock_gettime(CLOCK_MONOTONIC, &t->sent_at[i]);
	/* A probe that cannot leave (link down, no route) is lost. */
	if (sendto(s->fd, buf, sizeof(buf), 0,
	    (struct sockaddr *)&t->sa, t->salen) == -1)
		log_debug("RTT probe %s #%u: %s", t->req.key, i,
		    strerror(errno));
}

static void
rtt_recv(int fd, short event, void *arg)
{
	struct rtt_sock		*s = arg;
	struct sockaddr_storage	 from;
	struct timespec		 now;
	unsigned char		 buf[1500];
	socklen_t		 fromlen;
	ssize_t			 n;

	for (;;) {
		fromlen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0,
		    (struct sockaddr *)&from, &fromlen);
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EINTR)
				log_debug("RTT %s receive: %s",
				    s->family == AF_INET ? "IPv4" : "IPv6",
				    strerror(errno));
			return;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (from.ss_family != s->family)
			continue;
		rtt_reply(s, &from, buf, n, &now);
	}
}

static void
rtt_reply(struct rtt_sock *s, const struct sockaddr_storage *from,
    const unsigned char *buf, size_t len, const struct timespec *now)
{
	const struct sockaddr_in	*sin;
	const struct sockaddr_in6	*sin6;
	struct rtt_echo			 e;
	struct rtt_target		*t;
	int64_t				 us;
	uint16_t			 seq, idx;

	/* Datagram sockets hand over the ICMP message without IP header. */
	if (len < sizeof(e))
		return;
	memcpy(&e, buf, sizeof(e));
	if (e.type != (s->family == AF_INET ? ECHO4_REPLY : ECHO6_REPLY) ||
	    e.code != 0)
		return;
	seq = ntohs(e.seq);

	TAILQ_FOREACH(t, &targets, entry) {
		if ((int)t->req.family != s->family)
			continue;
		idx = seq - t->seq0;
		if (idx >= t->nsent)
			continue;
		if (s->family == AF_INET) {
			sin = (const struct sockaddr_in *)from;
			if (sin->sin_addr.s_addr != t->req.addr4.s_addr)
				continue;
		} else {
			sin6 = (const struct sockaddr_in6 *)from;
			if (!IN6_ARE_ADDR_EQUAL(&sin6->sin6_addr,
			    &t->req.addr6) || (t->req.scope != 0 &&
			    sin6->sin6_scope_id != t->req.scope))
				continue;
		}
		if (t->rtt_us[idx] >= 0)
			return;		/* a duplicate */
		us = rtt_elapsed_us(&t->sent_at[idx], now);
		/* Late is lost: each probe has its own timeout. */
		if (us > (int64_t)t->req.timeout_ms * 1000)
			return;
		t->rtt_us[idx] = us;
		if (++t->nanswered == t->req.count) {
			evtimer_del(&t->ev);
			rtt_finish(t, 0);
		}
		return;
	}
}

static int64_t
rtt_elapsed_us(const struct timespec *a, const struct timespec *b)
{
	int64_t	 us;

	us = (int64_t)(b->tv_sec - a->tv_sec) * 1000000 +
	    (b->tv_nsec - a->tv_nsec) / 1000;
	return us < 0 ? 0 : us;
}

static void
rtt_finish(struct rtt_target *t, uint32_t flags)
{
	TAILQ_REMOVE(&targets, t, entry);
	ntargets--;
	rtt_answer(&t->req, t->round, flags, t->rtt_us);
	free(t);
}

static void
rtt_answer(const struct rtt_probe_msg *req, uint32_t round, uint32_t flags,
    const int64_t *rtt_us)
{
	struct rtt_done_msg	 d;

	memset(&d, 0, sizeof(d));
	strlcpy(d.key, req->key, sizeof(d.key));
	d.index = req->index;
	d.kind = req->kind;
	rtt_summarize(rtt_us, req->count, &d);
	d.flags = flags;
	imsg_compose_event(iev_parent, IMSG_RTT_DONE, round, 0, -1, &d,
	    sizeof(d));
}
