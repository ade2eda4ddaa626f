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

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <net/if.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "key.h"
#include "rtnl.h"
#include "wg.h"
#include "wg_diff.h"

static int	aip_in(const struct wg_allowedip *, const struct wg_peer *);
static int	aips_equal(const struct wg_peer *, const struct wg_peer *);
static int	diff_peer(struct wg_device *, const struct wg_peer *,
		    const struct wg_peer *);
static int	addr_in(const struct rtnl_addr *, const struct rtnl_addr *,
		    size_t);

static int
aip_in(const struct wg_allowedip *a, const struct wg_peer *p)
{
	const struct wg_allowedip	*b;
	size_t				 alen;

	alen = a->family == AF_INET ? sizeof(struct in_addr) :
	    sizeof(struct in6_addr);
	TAILQ_FOREACH(b, &p->allowedips, entry)
		if (a->family == b->family && a->cidr == b->cidr &&
		    memcmp(&a->addr, &b->addr, alen) == 0)
			return 1;
	return 0;
}

/* As sets: order and repetition do not matter. */
static int
aips_equal(const struct wg_peer *x, const struct wg_peer *y)
{
	const struct wg_allowedip	*a;

	TAILQ_FOREACH(a, &x->allowedips, entry)
		if (!aip_in(a, y))
			return 0;
	TAILQ_FOREACH(a, &y->allowedips, entry)
		if (!aip_in(a, x))
			return 0;
	return 1;
}

/*
 * Adds to chg the changes that turn the existing peer cur into want;
 * nothing when they agree.  Returns 1 if a change was added, 0 if
 * none, -1 on error.
 */
static int
diff_peer(struct wg_device *chg, const struct wg_peer *want,
    const struct wg_peer *cur)
{
	static const uint8_t		 zero[WG_KEY_LEN];
	const struct wg_allowedip	*a;
	const uint8_t			*wpsk, *cpsk;
	struct wg_peer			*p;
	uint16_t			 wka, cka;
	int				 psk, ep, ka, aips;

	wpsk = want->flags & WGPEER_HAS_PRESHARED_KEY ? want->preshared_key :
	    zero;
	cpsk = cur->flags & WGPEER_HAS_PRESHARED_KEY ? cur->preshared_key :
	    zero;
	psk = !key_eq(wpsk, cpsk);
	/* no endpoint wanted: the peer's roaming decides it */
	ep = (want->flags & WGPEER_HAS_ENDPOINT) &&
	    (!(cur->flags & WGPEER_HAS_ENDPOINT) ||
	    !wg_endpoint_eq(&want->endpoint, &cur->endpoint));
	wka = want->flags & WGPEER_HAS_KEEPALIVE ? want->keepalive : 0;
	cka = cur->flags & WGPEER_HAS_KEEPALIVE ? cur->keepalive : 0;
	ka = wka != cka;
	aips = !aips_equal(want, cur);
	if (!psk && !ep && !ka && !aips)
		return 0;

	if ((p = wg_peer_add(chg, want->public_key)) == NULL)
		return -1;
	if (psk) {
		memcpy(p->preshared_key, wpsk, WG_KEY_LEN);
		p->flags |= WGPEER_HAS_PRESHARED_KEY;
	}
	if (ep) {
		p->endpoint = want->endpoint;
		p->flags |= WGPEER_HAS_ENDPOINT;
	}
	if (ka) {
		p->keepalive = wka;
		p->flags |= WGPEER_HAS_KEEPALIVE;
	}
	if (aips) {
		p->flags |= WGPEER_REPLACE_ALLOWEDIPS;
		TAILQ_FOREACH(a, &want->allowedips, entry)
			if (!aip_in(a, p) && wg_allowedip_add(p, a->family,
			    &a->addr, a->cidr) == -1)
				return -1;
	}
	return 1;
}

/*
 * chg receives the change that turns cur into want; it is initialised
 * here and must be cleared by the caller.  want's WGDEV_REPLACE_PEERS
 * and per-peer REPLACE flags are ignored: the diff decides.  Returns
 * the number of changed items (0: nothing to send), or -1.
 */
int
wg_diff(const struct wg_device *want, const struct wg_device *cur,
    struct wg_device *chg)
{
	const struct wg_peer	*wp, *cp;
	struct wg_peer		*p;
	uint32_t		 cmark;
	int			 n = 0, r;

	if (wg_device_init(chg, want->ifname[0] ? want->ifname :
	    cur->ifname[0] ? cur->ifname : NULL) == -1)
		return -1;
	chg->ifindex = want->ifindex ? want->ifindex : cur->ifindex;

	if ((want->flags & WGDEV_HAS_PRIVATE_KEY) &&
	    (!(cur->flags & WGDEV_HAS_PRIVATE_KEY) ||
	    !key_eq(want->private_key, cur->private_key))) {
		memcpy(chg->private_key, want->private_key, WG_KEY_LEN);
		chg->flags |= WGDEV_HAS_PRIVATE_KEY;
		n++;
	}
	/* port 0 asks for any port: whichever is bound will do */
	if ((want->flags & WGDEV_HAS_LISTEN_PORT) &&
	    (!(cur->flags & WGDEV_HAS_LISTEN_PORT) ||
	    (want->listen_port != 0 &&
	    want->listen_port != cur->listen_port))) {
		chg->listen_port = want->listen_port;
		chg->flags |= WGDEV_HAS_LISTEN_PORT;
		n++;
	}
	cmark = cur->flags & WGDEV_HAS_FWMARK ? cur->fwmark : 0;
	if ((want->flags & WGDEV_HAS_FWMARK) && want->fwmark != cmark) {
		chg->fwmark = want->fwmark;
		chg->flags |= WGDEV_HAS_FWMARK;
		n++;
	}

	TAILQ_FOREACH(wp, &want->peers, entry) {
		if (wp->flags & WGPEER_REMOVE)
			continue;
		if ((cp = wg_peer_find(cur, wp->public_key)) != NULL) {
			if ((r = diff_peer(chg, wp, cp)) == -1)
				goto fail;
			n += r;
			continue;
		}
		if ((p = wg_peer_add(chg, wp->public_key)) == NULL ||
		    wg_peer_copy(p, wp) == -1)
			goto fail;
		p->flags &= ~(WGPEER_REMOVE | WGPEER_UPDATE_ONLY |
		    WGPEER_REPLACE_ALLOWEDIPS);
		memset(&p->stats, 0, sizeof(p->stats));
		n++;
	}
	TAILQ_FOREACH(cp, &cur->peers, entry) {
		if ((wp = wg_peer_find(want, cp->public_key)) != NULL &&
		    !(wp->flags & WGPEER_REMOVE))
			continue;
		if ((p = wg_peer_add(chg, cp->public_key)) == NULL)
			goto fail;
		p->flags |= WGPEER_REMOVE;
		n++;
	}
	return n;
 fail:
	wg_device_clear(chg);
	return -1;
}

int
wg_diff_empty(const struct wg_device *chg)
{
	return (chg->flags & (WGDEV_HAS_PRIVATE_KEY | WGDEV_HAS_LISTEN_PORT |
	    WGDEV_HAS_FWMARK | WGDEV_REPLACE_PEERS)) == 0 &&
	    TAILQ_EMPTY(&chg->peers);
}

static int
addr_in(const struct rtnl_addr *a, const struct rtnl_addr *set, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (rtnl_addr_eq(a, &set[i]))
			return 1;
	return 0;
}

/*
 * Addresses of one tunnel: the wanted ones missing go to add (room for
 * nwant), the present ones not wanted go to del (room for ncur).  The
 * tunnel is ours, so anything on it we did not ask for goes, such as a
 * kernel-made fe80:: from before addrgenmode was set.  Returns the
 * number of changes.
 */
int
wg_diff_addrs(const struct rtnl_addr *want, size_t nwant,
    const struct rtnl_addr *cur, size_t ncur, struct rtnl_addr *add,
    size_t *nadd, struct rtnl_addr *del, size_t *ndel)
{
	size_t	i;

	*nadd = *ndel = 0;
	for (i = 0; i < nwant; i++)
		if (!addr_in(&want[i], cur, ncur) &&
		    !addr_in(&want[i], add, *nadd))
			add[(*nadd)++] = want[i];
	for (i = 0; i < ncur; i++)
		if (!addr_in(&cur[i], want, nwant))
			del[(*ndel)++] = cur[i];
	return *nadd + *ndel;
}

/*
 * MTU and administrative state.  want_mtu 0 and want_up -1 mean "do not
 * care".  Sets *mtu (0: leave) and *up (-1: leave) for rtnl_link_set
 * and returns 1 when something must change.
 */
int
wg_diff_link(uint32_t want_mtu, int want_up, const struct rtnl_link *cur,
    uint32_t *mtu, int *up)
{
	int	is_up = (cur->flags & IFF_UP) != 0;

	*mtu = want_mtu != 0 && want_mtu != cur->mtu ? want_mtu : 0;
	*up = want_up != -1 && (want_up != 0) != is_up ? (want_up != 0) : -1;
	return *mtu != 0 || *up != -1;
}
