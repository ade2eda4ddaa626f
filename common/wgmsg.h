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

#ifndef MOENET_WGMSG_H
#define MOENET_WGMSG_H

/*
 * What the parent and wgctl say to each other about tunnels.  Fixed
 * size structs, checked for their exact size on receipt; strings are
 * NUL-terminated within their field, counts and enums range-checked.
 * The request id travels in the imsg's peerid both ways.
 */

#include <sys/types.h>

#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>

#define WGMSG_ADDRS_MAX		8	/* our link-local and WGT_ADDRS_MAX */
#define WGMSG_ALLOWED_MAX	16
#define WGMSG_ERR_LEN		256

enum wgmsg_backend {
	WGMSG_BACKEND_KERNEL,		/* genl; wgctl makes the link */
	WGMSG_BACKEND_UAPI,		/* a UAPI fd comes with the request */
	WGMSG_BACKEND_MAX
};

/* What an apply changed: bits of wgmsg_result.changes. */
#define WGMSG_CH_CREATE		0x0001	/* RTM_NEWLINK type wireguard */
#define WGMSG_CH_ADDRGENMODE	0x0002
#define WGMSG_CH_MTU		0x0004
#define WGMSG_CH_UP		0x0008
#define WGMSG_CH_ADDR_ADD	0x0010
#define WGMSG_CH_ADDR_DEL	0x0020
#define WGMSG_CH_PRIVKEY	0x0040
#define WGMSG_CH_PORT		0x0080
#define WGMSG_CH_PEER_ADD	0x0100
#define WGMSG_CH_PEER_DEL	0x0200	/* a peer that is not ours */
#define WGMSG_CH_PSK		0x0400
#define WGMSG_CH_ENDPOINT	0x0800
#define WGMSG_CH_KEEPALIVE	0x1000
#define WGMSG_CH_ALLOWED	0x2000
#define WGMSG_CH_WG		(WGMSG_CH_PRIVKEY | WGMSG_CH_PORT | \
				WGMSG_CH_PEER_ADD | WGMSG_CH_PEER_DEL | \
				WGMSG_CH_PSK | WGMSG_CH_ENDPOINT | \
				WGMSG_CH_KEEPALIVE | WGMSG_CH_ALLOWED)

struct wgmsg_prefix {
	uint8_t		 af;		/* AF_INET or AF_INET6 */
	uint8_t		 plen;
	uint8_t		 has_peer;	/* AF_INET only: "peer" address */
	uint8_t		 pad;
	uint8_t		 addr[16];
	uint8_t		 peer[16];
};

/* IMSG_WG_PROBE_RESULT */
struct wgmsg_probe {
	int32_t		 kernel;	/* genl family "wireguard" exists */
	int32_t		 err;		/* errno of the lookup */
};

/* IMSG_WG_PRIVKEY: the node's key, for every tunnel */
struct wgmsg_privkey {
	uint8_t		 key[32];
};

/*
 * IMSG_WG_APPLY.  With the UAPI back end the request brings a fresh
 * connection to the daemon, or none when the last answer said wgctl
 * holds one (WGMSG_RES_HELD); with none held the answer is ESTALE.
 */
struct wgmsg_apply {
	char		 ifname[IFNAMSIZ];
	uint32_t	 backend;	/* enum wgmsg_backend */
	uint32_t	 mtu;
	uint16_t	 listen_port;
	uint16_t	 keepalive;
	uint8_t		 peer_key[32];
	uint8_t		 psk[32];
	uint8_t		 has_psk;
	uint8_t		 has_endpoint;
	uint8_t		 endpoint_af;
	uint8_t		 pad;
	uint16_t	 endpoint_port;
	uint16_t	 pad2;
	uint8_t		 endpoint_addr[16];	/* resolved by the parent */
	uint32_t	 naddrs;
	uint32_t	 nold;
	uint32_t	 nallowed;
	struct wgmsg_prefix addrs[WGMSG_ADDRS_MAX];	/* wanted */
	struct wgmsg_prefix old[WGMSG_ADDRS_MAX];	/* ours from before */
	struct wgmsg_prefix allowed[WGMSG_ALLOWED_MAX];
};

/* IMSG_WG_REMOVE, IMSG_WG_GET */
struct wgmsg_name {
	char		 ifname[IFNAMSIZ];
	uint32_t	 backend;	/* enum wgmsg_backend */
};

/* IMSG_WG_RESULT: the outcome of a probe, apply or remove */
struct wgmsg_result {
	int32_t		 err;		/* 0 or an errno */
	uint32_t	 changes;	/* WGMSG_CH_* sent (also on error) */
	uint32_t	 rtnl_msgs;	/* rtnetlink requests sent */
	uint32_t	 wg_sets;	/* UAPI or genl set operations */
	int32_t		 rp_filter;	/* the link's, as found; -1: unknown */
	uint32_t	 flags;		/* WGMSG_RES_* */
	char		 msg[WGMSG_ERR_LEN];	/* what failed */
};

/* wgctl holds the tunnel's UAPI connection: the next request needs none. */
#define WGMSG_RES_HELD	0x01

/* IMSG_WG_STATS: one tunnel */
struct wgmsg_stats {
	char		 ifname[IFNAMSIZ];
	int64_t		 last_handshake;	/* 0: never */
	uint64_t	 rx_bytes;
	uint64_t	 tx_bytes;
	uint8_t		 present;
	uint8_t		 link_up;
	uint8_t		 has_wg;	/* the device could be read */
	uint8_t		 held;		/* as WGMSG_RES_HELD */
	int32_t		 err;
};

/*
 * IMSG_WG_LOOPBACK: the router's own addresses on an existing interface
 * (lo), or on one wgctl creates when missing (kind "dummy").  Wanted
 * addresses missing are added, "old" ones (ours from before) no longer
 * wanted are removed, anything else on the link is left alone.  The
 * answer is an IMSG_WG_RESULT whose changes has bit i set when addrs[i]
 * was added by this request.
 */
#define WGMSG_LOOP_MAX		8
#define WGMSG_KIND_LEN		16

struct wgmsg_loopback {
	char		 ifname[IFNAMSIZ];
	char		 kind[WGMSG_KIND_LEN];	/* "" or "dummy" */
	uint32_t	 naddrs;
	uint32_t	 nold;
	struct wgmsg_prefix addrs[WGMSG_LOOP_MAX];
	struct wgmsg_prefix old[WGMSG_LOOP_MAX];
};

/*
 * IMSG_WG_PUBADDR_RESULT: the router's public addresses as the default
 * routes show them (wgctl/pubaddr.c), the answer to an IMSG_WG_PUBADDR
 * without payload.  err4, err6: errno of a failed dump, else 0.
 */
#define WGMSG_PUB_V4		0x01
#define WGMSG_PUB_V6		0x02

struct wgmsg_pubaddr {
	uint32_t	 flags;		/* WGMSG_PUB_* */
	int32_t		 err4;
	int32_t		 err6;
	struct in_addr	 v4;
	struct in6_addr	 v6;
};

#endif /* MOENET_WGMSG_H */
