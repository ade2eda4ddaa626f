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
 * The fetcher's RTT prober: the result math, then the real thing in a
 * network namespace of its own (root only): ICMP echo sockets refused
 * by net.ipv4.ping_group_range, then allowed, several targets probed
 * at once over the imsg pipe as the parent would ask.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "imsgev.h"
#include "rttmsg.h"
#include "fetcher/rtt.h"
#include "regress.h"

#define NTARGETS	4

static struct imsgev	 iev_parent, iev_child;
static struct rtt_done_msg done[NTARGETS];
static int		 ndone, bad;

static void	summarize(const char *, const int64_t *, uint32_t, int64_t,
		    uint32_t, uint32_t);
static void	parent_read(int, short, void *);
static void	child_read(int, short, void *);
static void	timeout(int, short, void *);
static int	set_range(const char *);
static int	lo_up(void);
static void	probe(uint32_t, uint32_t, int, const char *, uint32_t,
		    uint32_t);
static int	run(int);
static const struct rtt_done_msg *find(uint32_t);
static void	live(void);

static void
summarize(const char *name, const int64_t *rtt, uint32_t count, int64_t mean,
    uint32_t received, uint32_t loss)
{
	struct rtt_done_msg	 d;

	memset(&d, 0, sizeof(d));
	rtt_summarize(rtt, count, &d);
	if (d.rtt_us == mean && d.received == received && d.loss == loss &&
	    d.sent == count)
		REGRESS_OK(name);
	else
		REGRESS_FAIL(name, "mean %lld received %u loss %u, want "
		    "%lld %u %u", (long long)d.rtt_us, d.received, d.loss,
		    (long long)mean, received, loss);
}

/* The parent's end: collect the answers. */
static void
parent_read(int fd, short event, void *arg)
{
	struct imsg	 imsg;
	ssize_t		 n;

	if (imsgev_io(&iev_parent, event) == -1)
		event_loopexit(NULL);
	while ((n = imsg_get(&iev_parent.ibuf, &imsg)) > 0) {
		if (imsg_get_type(&imsg) == IMSG_RTT_DONE &&
		    ndone < NTARGETS && imsg_get_data(&imsg, &done[ndone],
		    sizeof(done[ndone])) == 0)
			ndone++;
		else if (imsg_get_type(&imsg) != IMSG_LOG)
			bad++;
		imsg_free(&imsg);
	}
	imsg_event_add(&iev_parent);
}

/* The fetcher's end, as fetcher.c dispatches. */
static void
child_read(int fd, short event, void *arg)
{
	struct imsg	 imsg;

	if (imsgev_io(&iev_child, event) == -1)
		event_loopexit(NULL);
	while (imsg_get(&iev_child.ibuf, &imsg) > 0) {
		rtt_probe_dispatch(&imsg);
		imsg_free(&imsg);
	}
	imsg_event_add(&iev_child);
}

static void
timeout(int fd, short event, void *arg)
{
	event_loopexit(NULL);
}

static int
set_range(const char *range)
{
	int	 fd, rc;

	if ((fd = open("/proc/sys/net/ipv4/ping_group_range",
	    O_WRONLY)) == -1)
		return -1;
	rc = write(fd, range, strlen(range)) == (ssize_t)strlen(range) ?
	    0 : -1;
	close(fd);
	return rc;
}

static int
lo_up(void)
{
	struct ifreq	 ifr;
	int		 s, rc = -1;

	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, "lo", sizeof(ifr.ifr_name));
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return rc;
}

static void
probe(uint32_t round, uint32_t index, int family, const char *addr,
    uint32_t count, uint32_t timeout_ms)
{
	struct rtt_probe_msg	 p;

	memset(&p, 0, sizeof(p));
	snprintf(p.key, sizeof(p.key), "target-%u", index);
	p.family = family;
	if (family == AF_INET)
		inet_pton(AF_INET, addr, &p.addr4);
	else
		inet_pton(AF_INET6, addr, &p.addr6);
	p.index = index;
	p.kind = RTT_KIND_SESSION;
	p.count = count;
	p.timeout_ms = timeout_ms;
	imsg_compose_event(&iev_parent, IMSG_RTT_PROBE, round, 0, -1, &p,
	    sizeof(p));
}

/* Run the loop until n answers came, or 10 seconds passed. */
static int
run(int n)
{
	struct event	 ev;
	struct timeval	 tv = { 10, 0 };

	ndone = 0;
	evtimer_set(&ev, timeout, NULL);
	evtimer_add(&ev, &tv);
	while (ndone < n && evtimer_pending(&ev, NULL))
		event_loop(EVLOOP_ONCE);
	evtimer_del(&ev);
	return ndone == n ? 0 : -1;
}

static const struct rtt_done_msg *
find(uint32_t index)
{
	int	 i;

	for (i = 0; i < ndone; i++)
		if (done[i].index == index)
			return &done[i];
	return NULL;
}

static void
live(void)
{
	const struct rtt_done_msg	*d;
	int				 sv[2];

	if (getuid() != 0) {
		REGRESS_SKIP("rtt_live", "needs root");
		return;
	}
	if (unshare(CLONE_NEWNET) == -1 || lo_up() == -1) {
		REGRESS_SKIP("rtt_live", "no network namespace");
		return;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		fatal("socketpair");
	event_init();
	imsgev_init(&iev_parent, sv[0], "parent", parent_read, NULL);
	imsgev_init(&iev_child, sv[1], "fetcher", child_read, NULL);
	rtt_probe_init(&iev_child);

	/* Refused: an answer at once, unknown, for each target. */
	REGRESS_CHECK("rtt_live_set_refused", set_range("1 0") == 0);
	probe(1, 0, AF_INET, "127.0.0.1", 3, 1000);
	probe(1, 1, AF_INET6, "::1", 3, 1000);
	REGRESS_CHECK("rtt_refused_answered", run(2) == 0);
	d = find(0);
	REGRESS_CHECK("rtt_refused_unknown4", d != NULL &&
	    (d->flags & RTT_DONE_UNAVAILABLE) && d->rtt_us == -1 &&
	    d->received == 0 && d->sent == 3);
	d = find(1);
	REGRESS_CHECK("rtt_refused_unknown6", d != NULL &&
	    (d->flags & RTT_DONE_UNAVAILABLE) && d->rtt_us == -1);

	/* Allowed: the next round opens the sockets. */
	REGRESS_CHECK("rtt_live_set_allowed",
	    set_range("0 2147483647") == 0);
	probe(2, 0, AF_INET, "127.0.0.1", 3, 1000);
	probe(2, 1, AF_INET, "127.0.0.2", 2, 1000);
	probe(2, 2, AF_INET6, "::1", 3, 1000);
	/* TEST-NET-1: no route in this namespace, every probe lost. */
	probe(2, 3, AF_INET, "192.0.2.1", 2, 1000);
	REGRESS_CHECK("rtt_allowed_answered", run(4) == 0);
	d = find(0);
	REGRESS_CHECK("rtt_loopback4", d != NULL && d->flags == 0 &&
	    d->received == 3 && d->sent == 3 && d->loss == 0 &&
	    d->rtt_us >= 0 && d->rtt_us < 1000000 &&
	    strcmp(d->key, "target-0") == 0);
	d = find(1);
	REGRESS_CHECK("rtt_loopback4_other", d != NULL && d->received == 2 &&
	    d->sent == 2 && d->loss == 0);
	d = find(2);
	REGRESS_CHECK("rtt_loopback6", d != NULL && d->flags == 0 &&
	    d->received == 3 && d->loss == 0 && d->rtt_us >= 0);
	d = find(3);
	REGRESS_CHECK("rtt_unreachable_lost", d != NULL && d->flags == 0 &&
	    d->received == 0 && d->sent == 2 && d->loss == 100 &&
	    d->rtt_us == -1);
	REGRESS_CHECK("rtt_only_done_messages", bad == 0);
}

int
main(void)
{
	int64_t	 a[] = { 1000, 2000, 3000 };
	int64_t	 b[] = { 1000, -1, 2000 };
	int64_t	 c[] = { -1, -1, -1, -1 };
	int64_t	 e[] = { 1, 2 };
	int64_t	 f[] = { -1, -1, 500 };
	int64_t	 g[] = { 777 };

	log_init(1, LOG_DAEMON);
	summarize("rtt_mean_all", a, 3, 2000, 3, 0);
	summarize("rtt_mean_some_lost", b, 3, 1500, 2, 33);
	summarize("rtt_all_lost", c, 4, -1, 0, 100);
	summarize("rtt_mean_rounds", e, 2, 2, 2, 0);
	summarize("rtt_loss_rounds_up", f, 3, 500, 1, 67);
	summarize("rtt_single", g, 1, 777, 1, 0);
	live();
	REGRESS_EXIT();
}
