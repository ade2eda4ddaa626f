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

#ifndef MOENET_WG_H
#define MOENET_WG_H

/*
 * The WireGuard device model shared by the kernel (generic netlink) and
 * userspace (UAPI) back ends and by the reconcile diff.  Flags follow
 * wireguard-tools: a HAS flag says the field is meant, so that "not set"
 * and "set to zero" stay distinct.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <time.h>

#ifndef WG_KEY_LEN
#define WG_KEY_LEN		32
#endif
#define WG_KEY_B64_LEN		45	/* 44 characters and the NUL */
#define WG_KEY_HEX_LEN		65	/* 64 characters and the NUL */

/* Bounds on what a device read back may hold; more is refused. */
#define WG_MAX_PEERS		4096
#define WG_MAX_ALLOWEDIPS	1024	/* per peer */

enum wg_device_flags {
	WGDEV_REPLACE_PEERS =		1 << 0,
	WGDEV_HAS_PRIVATE_KEY =		1 << 1,
	WGDEV_HAS_PUBLIC_KEY =		1 << 2,
	WGDEV_HAS_LISTEN_PORT =		1 << 3,
	WGDEV_HAS_FWMARK =		1 << 4
};

enum wg_peer_flags {
	WGPEER_REMOVE =			1 << 0,
	WGPEER_REPLACE_ALLOWEDIPS =	1 << 1,
	WGPEER_UPDATE_ONLY =		1 << 2,
	WGPEER_HAS_PUBLIC_KEY =		1 << 3,
	WGPEER_HAS_PRESHARED_KEY =	1 << 4,
	WGPEER_HAS_KEEPALIVE =		1 << 5,
	WGPEER_HAS_ENDPOINT =		1 << 6
};

struct wg_allowedip {
	TAILQ_ENTRY(wg_allowedip)	 entry;
	union {
		struct in_addr		 ip4;
		struct in6_addr		 ip6;
	}				 addr;
	uint16_t			 family;	/* AF_INET, AF_INET6 */
	uint8_t				 cidr;
};
TAILQ_HEAD(wg_allowedips, wg_allowedip);

/* Read back only; never sent. */
struct wg_peer_stats {
	struct timespec			 last_handshake;
	uint64_t			 rx_bytes;
	uint64_t			 tx_bytes;
};

struct wg_peer {
	TAILQ_ENTRY(wg_peer)		 entry;
	struct wg_allowedips		 allowedips;
	struct sockaddr_storage		 endpoint;	/* AF_UNSPEC: none */
	struct wg_peer_stats		 stats;
	size_t				 nallowedips;
	uint32_t			 flags;
	uint16_t			 keepalive;	/* seconds, 0 = off */
	uint8_t				 public_key[WG_KEY_LEN];
	uint8_t				 preshared_key[WG_KEY_LEN];
};
TAILQ_HEAD(wg_peers, wg_peer);

struct wg_device {
	char				 ifname[IFNAMSIZ];
	struct wg_peers			 peers;
	size_t				 npeers;
	uint32_t			 ifindex;
	uint32_t			 flags;
	uint32_t			 fwmark;
	uint16_t			 listen_port;
	uint8_t				 public_key[WG_KEY_LEN];
	uint8_t				 private_key[WG_KEY_LEN];
};

/* wg.c: model lifetime and helpers */
int		 wg_device_init(struct wg_device *, const char *);
void		 wg_device_clear(struct wg_device *);
struct wg_peer	*wg_peer_add(struct wg_device *, const uint8_t *);
struct wg_peer	*wg_peer_find(const struct wg_device *, const uint8_t *);
void		 wg_peer_remove(struct wg_device *, struct wg_peer *);
int		 wg_allowedip_add(struct wg_peer *, int, const void *, int);
int		 wg_allowedip_parse(struct wg_peer *, const char *);
int		 wg_allowedip_fmt(const struct wg_allowedip *, char *, size_t);
void		 wg_allowedips_clear(struct wg_peer *);
int		 wg_peer_copy(struct wg_peer *, const struct wg_peer *);
int		 wg_endpoint_parse(struct sockaddr_storage *, const char *);
int		 wg_endpoint_fmt(const struct sockaddr_storage *, char *, size_t);
int		 wg_endpoint_eq(const struct sockaddr_storage *,
		    const struct sockaddr_storage *);

#endif /* MOENET_WG_H */
