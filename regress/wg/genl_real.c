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
 * wgctl's generic netlink code against the real WireGuard module (run
 * by genl_real.sh under a kernel that has it): SET and GET of a device
 * with more peers than one netlink message holds, both ways; then a
 * change and a removal of single peers, which must leave the others
 * alone.  Usage: genl_real ifname npeers
 */

#include <sys/random.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regress.h"
#include "wgctl/wg.h"
#include "wgctl/wg_genl.h"

#define NAIPS	3	/* allowed IPs per peer */

static void	build(struct wg_device *, const char *, int);
static int	same(const struct wg_device *, const struct wg_device *,
		    char *, size_t);
static int	same_peer(const struct wg_peer *, const struct wg_peer *);
static int	get(struct mnl_socket *, uint16_t, const char *,
		    struct wg_device *);

/* Peer i: 10.i.i/32, fd00::i/128 and 172.16.i/30; every 3rd an
 * endpoint, every 5th a preshared key, every 7th a keepalive. */
static void
build(struct wg_device *d, const char *ifname, int n)
{
	struct wg_peer	*p;
	uint8_t		 k[WG_KEY_LEN];
	char		 s[64];
	int		 i;

	wg_device_init(d, ifname);
	if (getrandom(d->private_key, WG_KEY_LEN, 0) != WG_KEY_LEN)
		err(1, "getrandom");
	/* Clamped as wg genkey does: the kernel keeps it so. */
	d->private_key[0] &= 248;
	d->private_key[31] = (d->private_key[31] & 127) | 64;
	d->flags = WGDEV_HAS_PRIVATE_KEY | WGDEV_HAS_LISTEN_PORT;
	d->listen_port = 51999;
	for (i = 0; i < n; i++) {
		if (getrandom(k, sizeof(k), 0) != sizeof(k))
			err(1, "getrandom");
		if ((p = wg_peer_add(d, k)) == NULL)
			err(1, "peer");
		p->flags |= WGPEER_HAS_PUBLIC_KEY | WGPEER_REPLACE_ALLOWEDIPS;
		snprintf(s, sizeof(s), "10.%d.%d.1/32", i / 256, i % 256);
		if (wg_allowedip_parse(p, s) == -1)
			errx(1, "aip %s", s);
		snprintf(s, sizeof(s), "fd00::%x/128", i + 1);
		if (wg_allowedip_parse(p, s) == -1)
			errx(1, "aip %s", s);
		snprintf(s, sizeof(s), "172.16.%d.%d/30", i / 64,
		    (i % 64) * 4);
		if (wg_allowedip_parse(p, s) == -1)
			errx(1, "aip %s", s);
		if (i % 3 == 0) {
			snprintf(s, sizeof(s), "[fd00:ab::%x]:%d", i + 1,
			    20000 + i);
			if (wg_endpoint_parse(&p->endpoint, s) == -1)
				errx(1, "endpoint %s", s);
			p->flags |= WGPEER_HAS_ENDPOINT;
		}
		if (i % 5 == 0) {
			if (getrandom(p->preshared_key, WG_KEY_LEN, 0) !=
			    WG_KEY_LEN)
				err(1, "getrandom");
			p->flags |= WGPEER_HAS_PRESHARED_KEY;
		}
		if (i % 7 == 0) {
			p->keepalive = 25;
			p->flags |= WGPEER_HAS_KEEPALIVE;
		}
	}
}

static int
same_peer(const struct wg_peer *a, const struct wg_peer *b)
{
	const struct wg_allowedip	*x, *y;
	static const uint8_t		 zero[WG_KEY_LEN];
	const uint8_t			*psk;
	int				 found;

	if (a->nallowedips != b->nallowedips ||
	    a->keepalive != b->keepalive)
		return 0;
	psk = (a->flags & WGPEER_HAS_PRESHARED_KEY) ? a->preshared_key : zero;
	if (memcmp(psk, b->preshared_key, WG_KEY_LEN) != 0)
		return 0;
	if ((a->flags & WGPEER_HAS_ENDPOINT) ?
	    !wg_endpoint_eq(&a->endpoint, &b->endpoint) :
	    b->endpoint.ss_family != AF_UNSPEC)
		return 0;
	TAILQ_FOREACH(x, &a->allowedips, entry) {
		found = 0;
		TAILQ_FOREACH(y, &b->allowedips, entry)
			if (x->family == y->family && x->cidr == y->cidr &&
			    memcmp(&x->addr, &y->addr, x->family == AF_INET ?
			    4 : 16) == 0)
				found = 1;
		if (!found)
			return 0;
	}
	return 1;
}

/* The device read back holds exactly what was set. */
static int
same(const struct wg_device *want, const struct wg_device *got, char *why,
    size_t len)
{
	const struct wg_peer	*p, *q;

	if (got->listen_port != want->listen_port) {
		snprintf(why, len, "listen port %u", got->listen_port);
		return 0;
	}
	if (memcmp(got->private_key, want->private_key, WG_KEY_LEN) != 0) {
		snprintf(why, len, "private key differs");
		return 0;
	}
	if (got->npeers != want->npeers) {
		snprintf(why, len, "%zu peers, not %zu", got->npeers,
		    want->npeers);
		return 0;
	}
	TAILQ_FOREACH(p, &want->peers, entry) {
		if ((q = wg_peer_find(got, p->public_key)) == NULL) {
			snprintf(why, len, "a peer is missing");
			return 0;
		}
		if (!same_peer(p, q)) {
			snprintf(why, len, "a peer differs");
			return 0;
		}
	}
	return 1;
}

static int
get(struct mnl_socket *nl, uint16_t family, const char *ifname,
    struct wg_device *d)
{
	wg_device_init(d, ifname);
	return wg_genl_get(nl, family, ifname, d);
}

int
main(int argc, char *argv[])
{
	struct mnl_socket	*nl;
	struct wg_device	 want, got, chg;
	struct wg_peer		*p, *q, *gone;
	const char		*errstr;
	char			 why[128];
	uint16_t		 family;
	int			 n;

	if (argc != 3)
		errx(2, "usage: genl_real ifname npeers");
	n = strtonum(argv[2], 1, WG_MAX_PEERS, &errstr);
	if (errstr != NULL)
		errx(2, "npeers %s", errstr);
	if ((nl = mnl_socket_open(NETLINK_GENERIC)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1)
		err(1, "netlink");
	if (genl_resolve(nl, "wireguard", &family) == -1) {
		REGRESS_FAIL("genl_real_family", "no wireguard family: %s",
		    strerror(errno));
		REGRESS_EXIT();
	}
	REGRESS_OK("genl_real_family");

	build(&want, argv[1], n);
	if (wg_genl_set(nl, family, &want) == -1)
		REGRESS_FAIL("genl_real_set", "%s", strerror(errno));
	else
		REGRESS_OK("genl_real_set");
	if (get(nl, family, argv[1], &got) == -1)
		REGRESS_FAIL("genl_real_get", "%s", strerror(errno));
	else if (!same(&want, &got, why, sizeof(why)))
		REGRESS_FAIL("genl_real_get", "%s", why);
	else
		REGRESS_OK("genl_real_get");
	wg_device_clear(&got);

	/*
	 * One peer's keepalive changes, one peer goes; without
	 * REPLACE_PEERS every other peer must stay as it was.
	 */
	wg_device_init(&chg, argv[1]);
	p = TAILQ_FIRST(&want.peers);
	gone = TAILQ_NEXT(p, entry);
	if ((q = wg_peer_add(&chg, p->public_key)) == NULL ||
	    wg_peer_add(&chg, gone->public_key) == NULL)
		err(1, "peer");
	q->flags |= WGPEER_HAS_PUBLIC_KEY | WGPEER_UPDATE_ONLY |
	    WGPEER_HAS_KEEPALIVE;
	q->keepalive = p->keepalive = 10;
	p->flags |= WGPEER_HAS_KEEPALIVE;
	q = TAILQ_LAST(&chg.peers, wg_peers);
	q->flags |= WGPEER_HAS_PUBLIC_KEY | WGPEER_REMOVE;
	wg_peer_remove(&want, gone);
	if (wg_genl_set(nl, family, &chg) == -1)
		REGRESS_FAIL("genl_real_change", "%s", strerror(errno));
	else if (get(nl, family, argv[1], &got) == -1)
		REGRESS_FAIL("genl_real_change", "get: %s", strerror(errno));
	else if (!same(&want, &got, why, sizeof(why)))
		REGRESS_FAIL("genl_real_change", "%s", why);
	else
		REGRESS_OK("genl_real_change");
	wg_device_clear(&got);
	wg_device_clear(&chg);
	/* For genl_real.sh to count with wg(8). */
	printf("# %zu peers\n", want.npeers);
	wg_device_clear(&want);
	mnl_socket_close(nl);
	REGRESS_EXIT();
}
