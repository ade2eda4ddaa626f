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

#ifndef MOENET_RTTMSG_H
#define MOENET_RTTMSG_H

/*
 * RTT probes between the parent and the fetcher.  A target is a typed
 * address, never a string: nothing here can reach a command or a name
 * lookup.  The parent sends one IMSG_RTT_PROBE per target, all with
 * the round's id in the imsg's peerid; the fetcher answers each with
 * one IMSG_RTT_DONE carrying the same id, index and key.  Fixed sizes,
 * checked for their exact size on receipt; key is NUL-terminated
 * within its field; counts and enums are range-checked both ways.
 */

#include <sys/types.h>

#include <netinet/in.h>
#include <stdint.h>

#define RTT_KEY_LEN		64	/* CP_UUID_LEN */
#define RTT_COUNT_MAX		100	/* metric.pingCount */
#define RTT_TIMEOUT_MAX_MS	60000	/* metric.pingTimeout */
#define RTT_INTERVAL_MS		1000	/* between the probes of a target */
#define RTT_TARGETS_MAX		4096	/* per round */

/* Who a target belongs to, so that its result finds its way back. */
enum rtt_kind {
	RTT_KIND_SESSION,	/* key: the session's uuid */
	RTT_KIND_MESH,		/* key: the mesh peer's node id */
	RTT_KIND_PROBE,		/* key: the session's uuid; the bot's probe */
	RTT_KIND_MAX = RTT_KIND_PROBE
};

/* P -> F: probe one address count times. */
struct rtt_probe_msg {
	char		key[RTT_KEY_LEN];
	struct in_addr	addr4;		/* family AF_INET */
	struct in6_addr	addr6;		/* family AF_INET6 */
	uint32_t	family;		/* AF_INET or AF_INET6 */
	uint32_t	scope;		/* ifindex for link-local, else 0 */
	uint32_t	index;		/* position in the round, echoed */
	uint32_t	kind;		/* enum rtt_kind */
	uint32_t	count;		/* 1..RTT_COUNT_MAX */
	uint32_t	timeout_ms;	/* per probe, 1..RTT_TIMEOUT_MAX_MS */
};

/* rtt_done_msg.flags */
#define RTT_DONE_UNAVAILABLE	0x0001	/* no ICMP socket: result unknown */
#define RTT_DONE_FLAGS		RTT_DONE_UNAVAILABLE

/* F -> P: the outcome for one target. */
struct rtt_done_msg {
	char		key[RTT_KEY_LEN];
	int64_t		rtt_us;		/* mean of the answered; -1: none */
	uint32_t	index;
	uint32_t	kind;
	uint32_t	sent;		/* probes asked for */
	uint32_t	received;	/* answered within the timeout */
	uint32_t	loss;		/* percent, rounded, 0..100 */
	uint32_t	flags;		/* RTT_DONE_* */
};

#endif /* MOENET_RTTMSG_H */
