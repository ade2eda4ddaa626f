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
 * ping and trace over ICMP datagram ("ping") sockets: no privilege, only
 * a group in net.ipv4.ping_group_range.  Each run has its own socket, so
 * the kernel's echo identifier keeps runs apart and the sequence number
 * names the probe.  trace sends echo requests with growing TTL (hop
 * limit) and reads the routers' Time Exceeded from the socket's error
 * queue (IP_RECVERR), where the kernel puts them with the offender's
 * address and the probe they answer.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <netinet/icmp6.h>
#include <arpa/inet.h>
#include <linux/errqueue.h>

#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "diagjob.h"

#define ICMP_DATA_LEN		56	/* ping's default: 64 bytes sent */
#define PING_INTERVAL_MS	1000
#define PING_LINGER_MS		2000	/* after the last probe */
#define TRACE_GAP_MS		50	/* between the probes of a sweep */
#define TRACE_WAIT_MS		3000	/* after the last probe */

/*
 * ICMP for IPv4 (RFC 792), by the numbers: libbsd's <netinet/ip_icmp.h>
 * shadows glibc's and names them otherwise.
 */
#define ICMP4_ECHOREPLY		0
#define ICMP4_UNREACH		3
#define ICMP4_ECHO		8
#define ICMP4_TIMXCEED		11
#define ICMP4_UNREACH_NET	0
#define ICMP4_UNREACH_HOST	1
#define ICMP4_UNREACH_PROTO	2
#define ICMP4_UNREACH_PORT	3
#define ICMP4_UNREACH_NET_ANO	9
#define ICMP4_UNREACH_HOST_ANO	10
#define ICMP4_UNREACH_FILTER	13

struct echo_hdr {
	uint8_t		type;
	uint8_t		code;
	uint16_t	cksum;		/* the kernel's */
	uint16_t	id;		/* the kernel's */
	uint16_t	seq;
};

static int	icmp_open(struct diag_job *, const char *);
static int	icmp_send(struct diag_job *, int, int);
static void	icmp_read(int, short, void *);
static int	icmp_errqueue(struct diag_job *);
static int	icmp_reply(struct diag_job *, int,
		    const struct sockaddr_storage *, int, int64_t);
static int	icmp_error(struct diag_job *, int,
		    const struct sock_extended_err *, const struct sockaddr *,
		    int64_t);
static const char *icmp_error_text(int, int, int, char *, size_t);
static void	ping_tick(int, short, void *);
static void	ping_finish(struct diag_job *);
static void	trace_tick(int, short, void *);
static int	trace_check(struct diag_job *);
static void	trace_finish(struct diag_job *);
static const char *tool_word(const struct diag_job *);

static const char *
tool_word(const struct diag_job *j)
{
	return j->tool == DIAG_TRACE ? "traceroute" : "ping";
}

/* -1 when there is no socket: the reason is in the output then. */
static int
icmp_open(struct diag_job *j, const char *what)
{
	int	 af = j->sa.ss_family, fd, on = 1;
	gid_t	 gid;

	fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    af == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6);
	if (fd == -1) {
		if (errno == EACCES || errno == EPERM) {
			gid = getegid();
			diag_out_printf(&j->out, "%s: ICMP echo sockets are "
			    "not allowed for the agent's group (gid %u) on this "
			    "router; allow them with: sysctl -w "
			    "net.ipv4.ping_group_range=\"%u %u\"\n", what,
			    (unsigned int)gid, (unsigned int)gid,
			    (unsigned int)gid);
		} else
			diag_out_printf(&j->out, "%s: ICMP%s socket: %s\n",
			    what, af == AF_INET ? "" : "v6", strerror(errno));
		return -1;
	}
	if (af == AF_INET) {
		if (setsockopt(fd, IPPROTO_IP, IP_RECVERR, &on,
		    sizeof(on)) == -1 ||
		    setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &on,
		    sizeof(on)) == -1)
			log_debug("%s: setsockopt: %s", what, strerror(errno));
	} else {
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &on,
		    sizeof(on)) == -1 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on,
		    sizeof(on)) == -1)
			log_debug("%s: setsockopt: %s", what, strerror(errno));
	}
	diag_io(j, fd, EV_READ | EV_PERSIST, icmp_read);
	return 0;
}

/* Probe seq, with a TTL when ttl > 0; -1 when it could not leave. */
static int
icmp_send(struct diag_job *j, int seq, int ttl)
{
	struct echo_hdr	 e;
	unsigned char	 buf[sizeof(e) + ICMP_DATA_LEN];
	size_t		 i;

	if (ttl > 0 && (j->sa.ss_family == AF_INET ?
	    setsockopt(j->fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) :
	    setsockopt(j->fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl,
	    sizeof(ttl))) == -1)
		return -1;
	memset(&e, 0, sizeof(e));
	e.type = j->sa.ss_family == AF_INET ? ICMP4_ECHO : ICMP6_ECHO_REQUEST;
	e.seq = htons((uint16_t)seq);
	memcpy(buf, &e, sizeof(e));
	for (i = sizeof(e); i < sizeof(buf); i++)
		buf[i] = (unsigned char)i;
	clock_gettime(CLOCK_MONOTONIC, &j->p[seq].sent);
	j->p[seq].us = -1;
	j->p[seq].ttl = -1;
	j->nsent++;
	if (sendto(j->fd, buf, sizeof(buf), 0, (struct sockaddr *)&j->sa,
	    j->salen) == -1) {
		snprintf(j->p[seq].note, sizeof(j->p[seq].note), " !%s",
		    errno == ENETUNREACH ? "N" : errno == EHOSTUNREACH ? "H" :
		    "E");
		if (j->tool == DIAG_PING)
			diag_out_printf(&j->out, "From %s icmp_seq=%d: %s\n",
			    j->addr, seq, strerror(errno));
		return -1;
	}
	return 0;
}

static void
icmp_read(int fd, short event, void *arg)
{
	struct diag_job		*j = arg;
	struct sockaddr_storage	 from;
	struct msghdr		 msg;
	struct iovec		 iov;
	struct cmsghdr		*cm;
	struct echo_hdr		 e;
	union {
		struct cmsghdr	 hdr;
		unsigned char	 buf[256];
	}			 cbuf;
	unsigned char		 buf[1500];
	int64_t			 us;
	ssize_t			 n;
	int			 ttl, seq, af = j->sa.ss_family;

	/* Each step may end the run, and j with it: then stop. */
	if (icmp_errqueue(j))
		return;
	for (;;) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		msg.msg_name = &from;
		msg.msg_namelen = sizeof(from);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cbuf.buf;
		msg.msg_controllen = sizeof(cbuf.buf);
		if ((n = recvmsg(fd, &msg, 0)) == -1) {
			if (errno != EAGAIN && errno != EINTR)
				log_debug("%s: receive: %s", tool_word(j),
				    strerror(errno));
			return;
		}
		if ((size_t)n < sizeof(e) || from.ss_family != af)
			continue;
		memcpy(&e, buf, sizeof(e));
		if (e.type != (af == AF_INET ? ICMP4_ECHOREPLY :
		    ICMP6_ECHO_REPLY) || e.code != 0)
			continue;
		ttl = -1;
		for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
		    cm = CMSG_NXTHDR(&msg, cm))
			if (((cm->cmsg_level == IPPROTO_IP &&
			    cm->cmsg_type == IP_TTL) ||
			    (cm->cmsg_level == IPPROTO_IPV6 &&
			    cm->cmsg_type == IPV6_HOPLIMIT)) &&
			    cm->cmsg_len >= CMSG_LEN(sizeof(int)))
				memcpy(&ttl, CMSG_DATA(cm), sizeof(int));
		seq = ntohs(e.seq);
		if (seq < 1 || seq > DIAG_PROBES_MAX || seq > j->nsent)
			continue;
		us = diag_elapsed_us(&j->p[seq].sent);
		if (icmp_reply(j, seq, &from, ttl, us))
			return;
	}
}

/* Errors the kernel queued for our probes: ICMP from routers. */
static int
icmp_errqueue(struct diag_job *j)
{
	struct sock_extended_err	 ee;
	struct sockaddr_storage		 off, to;
	struct msghdr			 msg;
	struct iovec			 iov;
	struct cmsghdr			*cm;
	struct echo_hdr			 e;
	union {
		struct cmsghdr		 hdr;
		unsigned char		 buf[512];
	}				 cbuf;
	unsigned char			 buf[1500];
	size_t				 dlen;
	ssize_t				 n;
	int				 got, seq;

	for (;;) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		msg.msg_name = &to;
		msg.msg_namelen = sizeof(to);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cbuf.buf;
		msg.msg_controllen = sizeof(cbuf.buf);
		if ((n = recvmsg(j->fd, &msg, MSG_ERRQUEUE)) == -1)
			return 0;
		/* The kernel hands back the probe itself: its sequence. */
		if ((size_t)n < sizeof(e))
			continue;
		memcpy(&e, buf, sizeof(e));
		seq = ntohs(e.seq);
		if (seq < 1 || seq > DIAG_PROBES_MAX || seq > j->nsent)
			continue;
		got = 0;
		memset(&off, 0, sizeof(off));
		for (cm = CMSG_FIRSTHDR(&msg); cm != NULL;
		    cm = CMSG_NXTHDR(&msg, cm)) {
			if (!((cm->cmsg_level == IPPROTO_IP &&
			    cm->cmsg_type == IP_RECVERR) ||
			    (cm->cmsg_level == IPPROTO_IPV6 &&
			    cm->cmsg_type == IPV6_RECVERR)))
				continue;
			if (cm->cmsg_len < CMSG_LEN(sizeof(ee)))
				continue;
			dlen = cm->cmsg_len - CMSG_LEN(0);
			memcpy(&ee, CMSG_DATA(cm), sizeof(ee));
			dlen -= sizeof(ee);
			if (dlen > sizeof(off))
				dlen = sizeof(off);
			memcpy(&off, CMSG_DATA(cm) + sizeof(ee), dlen);
			got = 1;
		}
		if (!got)
			continue;
		if (icmp_error(j, seq, &ee, (struct sockaddr *)&off,
		    diag_elapsed_us(&j->p[seq].sent)))
			return 1;
	}
}

static const char *
icmp_error_text(int af, int type, int code, char *buf, size_t len)
{
	if (af == AF_INET && type == ICMP4_TIMXCEED)
		return "Time to live exceeded";
	if (af == AF_INET6 && type == ICMP6_TIME_EXCEEDED)
		return "Time exceeded: Hop limit";
	if (af == AF_INET && type == ICMP4_UNREACH) {
		switch (code) {
		case ICMP4_UNREACH_NET:
			return "Destination Net Unreachable";
		case ICMP4_UNREACH_HOST:
			return "Destination Host Unreachable";
		case ICMP4_UNREACH_PROTO:
			return "Destination Protocol Unreachable";
		case ICMP4_UNREACH_PORT:
			return "Destination Port Unreachable";
		case ICMP4_UNREACH_NET_ANO:
		case ICMP4_UNREACH_HOST_ANO:
		case ICMP4_UNREACH_FILTER:
			return "Packet filtered";
		}
	}
	if (af == AF_INET6 && type == ICMP6_DST_UNREACH) {
		switch (code) {
		case ICMP6_DST_UNREACH_NOROUTE:
			return "Destination unreachable: No route";
		case ICMP6_DST_UNREACH_ADMIN:
			return "Destination unreachable: Administratively "
			    "prohibited";
		case ICMP6_DST_UNREACH_ADDR:
			return "Destination unreachable: Address unreachable";
		case ICMP6_DST_UNREACH_NOPORT:
			return "Destination unreachable: Port unreachable";
		}
	}
	snprintf(buf, len, "ICMP%s type %d code %d", af == AF_INET ? "" : "v6",
	    type, code);
	return buf;
}

/* 1 when the run ended on this answer. */
static int
icmp_reply(struct diag_job *j, int seq, const struct sockaddr_storage *from,
    int ttl, int64_t us)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)from;
	const struct sockaddr_in6	*sin6 =
	    (const struct sockaddr_in6 *)from;
	struct diag_probe		*p = &j->p[seq];
	char				 ms[32], tbuf[16];

	/* Only the target answers an echo; anyone else is noise. */
	if (j->sa.ss_family == AF_INET ? sin->sin_addr.s_addr !=
	    ((struct sockaddr_in *)&j->sa)->sin_addr.s_addr :
	    !IN6_ARE_ADDR_EQUAL(&sin6->sin6_addr,
	    &((struct sockaddr_in6 *)&j->sa)->sin6_addr))
		return 0;
	if (j->tool == DIAG_PING) {
		diag_fmt_ms(ms, sizeof(ms), us);
		snprintf(tbuf, sizeof(tbuf), " ttl=%d", ttl);
		diag_out_printf(&j->out, "%d bytes from %s: icmp_seq=%d%s "
		    "time=%s ms%s\n", ICMP_DATA_LEN + 8, j->addr, seq,
		    ttl >= 0 ? tbuf : "", ms, p->us >= 0 ? " (DUP!)" : "");
		if (p->us >= 0)
			return 0;
		p->us = us;
		p->ttl = ttl;
		if (++j->nrecv == j->count && j->nsent == j->count) {
			ping_finish(j);
			return 1;
		}
		return 0;
	}
	/* trace: the destination answered this hop's probe */
	if (p->us >= 0)
		return 0;
	p->us = us;
	strlcpy(p->from, j->addr, sizeof(p->from));
	if (j->dest_hop == 0 || seq < j->dest_hop)
		j->dest_hop = seq;
	return trace_check(j);
}

/* 1 when the run ended on this error. */
static int
icmp_error(struct diag_job *j, int seq, const struct sock_extended_err *ee,
    const struct sockaddr *off, int64_t us)
{
	struct diag_probe	*p = &j->p[seq];
	char			 from[DIAG_ADDR_LEN], tbuf[48];
	const char		*text;
	int			 af = j->sa.ss_family, te, unreach;

	if (ee->ee_origin != SO_EE_ORIGIN_ICMP &&
	    ee->ee_origin != SO_EE_ORIGIN_ICMP6) {
		/* Local trouble (a full queue, a too large packet). */
		if (j->tool == DIAG_PING)
			diag_out_printf(&j->out, "local error: icmp_seq=%d: "
			    "%s\n", seq, strerror(ee->ee_errno));
		return 0;
	}
	if (off->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)off)->sin_addr,
		    from, sizeof(from));
	else if (off->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)off)->sin6_addr, from,
		    sizeof(from));
	else
		strlcpy(from, "?", sizeof(from));
	text = icmp_error_text(af, ee->ee_type, ee->ee_code, tbuf,
	    sizeof(tbuf));
	te = af == AF_INET ? ee->ee_type == ICMP4_TIMXCEED :
	    ee->ee_type == ICMP6_TIME_EXCEEDED;
	unreach = af == AF_INET ? ee->ee_type == ICMP4_UNREACH :
	    ee->ee_type == ICMP6_DST_UNREACH;

	if (j->tool == DIAG_PING) {
		diag_out_printf(&j->out, "From %s icmp_seq=%d %s\n", from, seq,
		    text);
		return 0;
	}
	if (p->us >= 0 || (!te && !unreach))
		return 0;
	p->us = us;
	strlcpy(p->from, from, sizeof(p->from));
	if (unreach) {
		/* traceroute's marks: the path ends here. */
		if (af == AF_INET)
			strlcpy(p->note, ee->ee_code == ICMP4_UNREACH_NET ?
			    " !N" : ee->ee_code == ICMP4_UNREACH_HOST ? " !H" :
			    ee->ee_code == ICMP4_UNREACH_PROTO ? " !P" : " !X",
			    sizeof(p->note));
		else
			strlcpy(p->note, ee->ee_code ==
			    ICMP6_DST_UNREACH_NOROUTE ? " !N" : ee->ee_code ==
			    ICMP6_DST_UNREACH_ADDR ? " !H" : " !X",
			    sizeof(p->note));
		if (j->dest_hop == 0 || seq < j->dest_hop)
			j->dest_hop = seq;
	}
	return trace_check(j);
}

void
diag_ping_start(struct diag_job *j)
{
	j->finish = ping_finish;
	j->count = DIAG_PING_COUNT;
	diag_out_printf(&j->out, "PING %s (%s): %d data bytes\n",
	    j->t.kind == TARGET_HOST ? j->t.host : j->addr, j->addr,
	    ICMP_DATA_LEN);
	if (icmp_open(j, "ping") == -1) {
		diag_done(j);
		return;
	}
	ping_tick(-1, 0, j);
}

static void
ping_tick(int fd, short event, void *arg)
{
	struct diag_job	*j = arg;

	if (j->nsent == j->count) {
		ping_finish(j);
		return;
	}
	icmp_send(j, j->nsent + 1, 0);
	diag_timer(j, j->nsent < j->count ? PING_INTERVAL_MS :
	    PING_LINGER_MS, ping_tick);
}

static void
ping_finish(struct diag_job *j)
{
	int	 lost;

	lost = j->nsent == 0 ? 100 : (j->nsent - j->nrecv) * 100 / j->nsent;
	diag_out_printf(&j->out, "\n--- %s ping statistics ---\n%d packets "
	    "transmitted, %d received, %d%% packet loss, time %lldms\n",
	    j->t.kind == TARGET_HOST ? j->t.host : j->addr, j->nsent, j->nrecv,
	    lost, (long long)(diag_elapsed_us(&j->p[1].sent) / 1000));
	diag_out_minavgmax(j, "rtt");
	diag_done(j);
}

void
diag_trace_start(struct diag_job *j)
{
	j->finish = trace_finish;
	j->count = DIAG_TRACE_HOPS;
	diag_out_printf(&j->out, "traceroute to %s (%s), %d hops max\n",
	    j->t.kind == TARGET_HOST ? j->t.host : j->addr, j->addr,
	    DIAG_TRACE_HOPS);
	if (icmp_open(j, "traceroute") == -1) {
		diag_done(j);
		return;
	}
	trace_tick(-1, 0, j);
}

/* One hop's probe per tick, until past the destination or hop 30. */
static void
trace_tick(int fd, short event, void *arg)
{
	struct diag_job	*j = arg;
	int		 ttl;

	if (j->sweep_done) {
		trace_finish(j);
		return;
	}
	ttl = j->nsent + 1;
	if (icmp_send(j, ttl, ttl) == -1 && j->p[ttl].note[0] == '\0')
		strlcpy(j->p[ttl].note, " !E", sizeof(j->p[ttl].note));
	if (j->nsent >= j->count || (j->dest_hop != 0 &&
	    j->nsent >= j->dest_hop)) {
		j->sweep_done = 1;
		diag_timer(j, TRACE_WAIT_MS, trace_tick);
		trace_check(j);		/* may end the run */
		return;
	}
	diag_timer(j, TRACE_GAP_MS, trace_tick);
}

/* Done early once every hop up to the destination has answered: 1. */
static int
trace_check(struct diag_job *j)
{
	int	 i;

	if (j->dest_hop == 0 || j->nsent < j->dest_hop)
		return 0;
	for (i = 1; i <= j->dest_hop; i++)
		if (j->p[i].us < 0)
			return 0;
	trace_finish(j);
	return 1;
}

static void
trace_finish(struct diag_job *j)
{
	struct diag_probe	*p;
	char			 ms[32];
	int			 i, last;

	last = j->dest_hop != 0 ? j->dest_hop : j->nsent;
	for (i = 1; i <= last; i++) {
		p = &j->p[i];
		if (p->us < 0) {
			diag_out_printf(&j->out, "%2d  *%s\n", i, p->note);
			continue;
		}
		diag_fmt_ms(ms, sizeof(ms), p->us);
		diag_out_printf(&j->out, "%2d  %s  %s ms%s\n", i, p->from, ms,
		    p->note);
	}
	if (j->dest_hop == 0)
		diag_out_printf(&j->out, "(no answer from %s within %d hops)\n",
		    j->addr, j->nsent);
	diag_done(j);
}
