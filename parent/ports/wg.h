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

#ifndef MOENET_PARENT_WG_H
#define MOENET_PARENT_WG_H

/*
 * The parent's side of WireGuard tunnels: what the engine asks for.
 * wgctl does the netlink and UAPI work; the parent starts userspace
 * implementations, opens their UAPI sockets and reads private keys.
 */

#include <sys/types.h>

#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <time.h>

#define WGT_ADDRS_MAX		4
#define WGT_ALLOWED_MAX		16
#define WGT_HOST_LEN		256
#define WGT_ERROR_LEN		256

struct wgt_prefix {
	int		 af;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr	 v4;
		struct in6_addr	 v6;
	}		 addr;
	uint8_t		 plen;
};

/* One tunnel as the engine wants it. */
struct wg_tunnel {
	char		 ifname[IFNAMSIZ];
	uint8_t		 peer_pubkey[32];
	uint8_t		 psk[32];
	int		 has_psk;
	char		 endpoint_host[WGT_HOST_LEN];	/* "": passive */
	uint16_t	 endpoint_port;
	uint16_t	 listen_port;			/* 0: any */
	uint16_t	 mtu;				/* 1280..9000 */
	uint16_t	 keepalive;			/* seconds, 0: off */
	struct wgt_prefix addrs[WGT_ADDRS_MAX];		/* ours, on the link */
	struct in_addr	 peer_v4;			/* for a /32 peer route */
	int		 has_peer_v4;
	int		 naddrs;
	struct wgt_prefix allowed[WGT_ALLOWED_MAX];
	int		 nallowed;
};

/* What wgctl saw of a tunnel, for metrics and status. */
struct wg_tunnel_stats {
	char		 ifname[IFNAMSIZ];
	time_t		 last_handshake;		/* 0: never */
	uint64_t	 rx_bytes;
	uint64_t	 tx_bytes;
	int		 link_up;
	int		 present;
};

typedef void	(*wg_done_cb)(int, const char *, void *);
typedef void	(*wg_stats_cb)(const struct wg_tunnel_stats *, size_t, void *);

int	wg_tunnel_apply(const struct wg_tunnel *, wg_done_cb, void *);
int	wg_tunnel_remove(const char *, wg_done_cb, void *);
int	wg_tunnel_stats(wg_stats_cb, void *);
const char *wg_backend_name(void);
int	wg_public_key(uint8_t [32]);

/*
 * Additions.  wg_reload_key reads the private key file again (at
 * reload); -1 with the reason in the buffer, and until a key is read
 * every apply fails with that reason.  The counters let the status
 * output and the tests see what was sent: last_changes holds the
 * WGMSG_CH_* bits (common/wgmsg.h) of the last apply answered.
 */
struct wg_counters {
	uint64_t	 applies;		/* answered by wgctl */
	uint64_t	 errors;
	uint64_t	 rtnl_msgs;		/* rtnetlink requests sent */
	uint64_t	 wg_sets;		/* UAPI or genl sets sent */
	uint64_t	 userspace_started;	/* wireguard-go processes */
	uint64_t	 userspace_killed;	/* outlived their link */
	uint64_t	 rp_filter_opens;	/* /proc read: found on */
	uint64_t	 uapi_connects;		/* wgctl held none */
	uint32_t	 last_changes;
};

int	wg_reload_key(char *, size_t);

/* The loopback addresses (parent/policy.c): added bits of want. */
typedef void	(*wg_loopback_cb)(int, const char *, uint32_t, void *);
int	wg_loopback_apply(const char *, const char *,
	    const struct wgt_prefix *, size_t, const struct wgt_prefix *,
	    size_t, wg_loopback_cb, void *);
const struct wg_counters *wg_get_counters(void);

/*
 * The router's public addresses as wgctl reads them from the default
 * routes.  cb runs once, from the event loop: err 0 and the addresses,
 * or err (ETIMEDOUT when wgctl did not answer in time) and NULL.
 */
struct wg_pubaddr {
	int		 has_v4;
	int		 has_v6;
	struct in_addr	 v4;
	struct in6_addr	 v6;
};

typedef void	(*wg_pubaddr_cb)(int, const struct wg_pubaddr *, void *);
int	wg_pubaddr(wg_pubaddr_cb, void *);

struct imsg;
void	wg_init(void);
void	wg_routes(void);
void	parent_dispatch_wgctl(struct imsg *);

/* The UDP ports tunnels listen on (parent/firewall.c). */
size_t	wg_listen_ports(uint16_t *, size_t);
void	wg_on_ports_changed(void (*)(void));

#endif /* MOENET_PARENT_WG_H */
