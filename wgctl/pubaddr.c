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
 * Which address is this router's public one: decided on rtnetlink
 * messages alone, so that the tests can feed it encoded bytes.  See
 * pubaddr.h for the order of calls.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <string.h>

#include "wgctl/pubaddr.h"

/* An IPv6 address rank: a stable one beats a temporary one. */
#define RANK_TEMPORARY	1
#define RANK_STABLE	2

/*
 * Never anyone's public address: this network, private, shared (CGN),
 * loopback, link-local, multicast and reserved; for IPv6 unspecified,
 * loopback, link-local, unique local (DN42's fd00::/8 among them) and
 * multicast.  The documentation prefixes (192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24, 2001:db8::/32) are deliberately not here: no router
 * has them on its real uplink, and the tests need addresses that count
 * as public yet can never reach the Internet.
 */
static const struct {
	uint8_t		 af;
	uint8_t		 plen;
	uint8_t		 net[16];
} not_public[] = {
	{ AF_INET, 8, { 0 } },
	{ AF_INET, 8, { 10 } },
	{ AF_INET, 10, { 100, 64 } },
	{ AF_INET, 8, { 127 } },
	{ AF_INET, 16, { 169, 254 } },
	{ AF_INET, 12, { 172, 16 } },
	{ AF_INET, 16, { 192, 168 } },
	{ AF_INET, 4, { 224 } },	/* multicast */
	{ AF_INET, 4, { 240 } },	/* reserved, broadcast */
	{ AF_INET6, 128, { 0 } },
	{ AF_INET6, 128, { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } },
	{ AF_INET6, 10, { 0xfe, 0x80 } },
	{ AF_INET6, 7, { 0xfc } },
	{ AF_INET6, 8, { 0xff } },
};

static int	prefix_match(const uint8_t *, const uint8_t *, unsigned int);

void
pubaddr_init(struct pubaddr *p, int family)
{
	memset(p, 0, sizeof(*p));
	p->family = family;
}

static int
prefix_match(const uint8_t *a, const uint8_t *net, unsigned int plen)
{
	unsigned int	 bytes = plen / 8, bits = plen % 8;
	uint8_t		 mask;

	if (memcmp(a, net, bytes) != 0)
		return 0;
	if (bits == 0)
		return 1;
	mask = 0xff << (8 - bits);
	return (a[bytes] & mask) == (net[bytes] & mask);
}

int
pubaddr_is_public(int af, const void *addr)
{
	size_t	 i;

	if (af != AF_INET && af != AF_INET6)
		return 0;
	for (i = 0; i < sizeof(not_public) / sizeof(not_public[0]); i++)
		if (not_public[i].af == af &&
		    prefix_match(addr, not_public[i].net, not_public[i].plen))
			return 0;
	return 1;
}

/*
 * One RTM_NEWROUTE of a dump.  Kept: a unicast default route of the
 * main table with a lower metric than the best so far (of equal ones
 * the first stays).  Routes of the other family, other tables and
 * other kinds are passed over; -1 with EBADMSG on a malformed message.
 */
int
pubaddr_route(struct pubaddr *p, const struct nlmsghdr *nlh)
{
	const struct rtmsg	*rtm;
	const struct rtnexthop	*nh;
	const struct nlattr	*a, *prefsrc = NULL;
	size_t			 alen;
	uint32_t		 table, oif = 0, mp_oif = 0, prio = 0;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		goto bad;
	rtm = mnl_nlmsg_get_payload(nlh);
	if (rtm->rtm_family != p->family)
		return 0;
	alen = p->family == AF_INET ? sizeof(struct in_addr) :
	    sizeof(struct in6_addr);
	table = rtm->rtm_table;
	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		switch (mnl_attr_get_type(a)) {
		case RTA_TABLE:
			/* tables above 255 are only here */
			if (mnl_attr_validate(a, MNL_TYPE_U32) == -1)
				goto bad;
			table = mnl_attr_get_u32(a);
			break;
		case RTA_OIF:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == -1)
				goto bad;
			oif = mnl_attr_get_u32(a);
			break;
		case RTA_PRIORITY:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == -1)
				goto bad;
			prio = mnl_attr_get_u32(a);
			break;
		case RTA_PREFSRC:
			if (mnl_attr_get_payload_len(a) != alen)
				goto bad;
			prefsrc = a;
			break;
		case RTA_MULTIPATH:
			/* Several next hops: the first one's link. */
			if (mnl_attr_get_payload_len(a) < sizeof(*nh))
				goto bad;
			nh = mnl_attr_get_payload(a);
			if (nh->rtnh_len < sizeof(*nh) ||
			    nh->rtnh_len > mnl_attr_get_payload_len(a))
				goto bad;
			mp_oif = nh->rtnh_ifindex;
			break;
		}
	}
	if (oif == 0)
		oif = mp_oif;
	if (rtm->rtm_dst_len != 0 || rtm->rtm_src_len != 0 ||
	    rtm->rtm_type != RTN_UNICAST || table != RT_TABLE_MAIN ||
	    (oif == 0 && prefsrc == NULL))
		return 0;
	if (p->have_route && prio >= p->priority)
		return 0;
	p->have_route = 1;
	p->oif = oif;
	p->priority = prio;
	p->has_prefsrc = prefsrc != NULL;
	memset(&p->prefsrc, 0, sizeof(p->prefsrc));
	if (prefsrc != NULL)
		memcpy(&p->prefsrc, mnl_attr_get_payload(prefsrc), alen);
	p->rank = 0;
	return 0;
 bad:
	errno = EBADMSG;
	return -1;
}

/* The addresses are needed when the best route names no source. */
int
pubaddr_need_addrs(const struct pubaddr *p)
{
	return p->have_route && !p->has_prefsrc && p->oif != 0;
}

/*
 * One RTM_NEWADDR of a dump, after the routes.  A candidate is public,
 * of global scope, on the best route's link; for IPv4 a primary
 * address (the kernel's choice of source, secondaries are aliases), for
 * IPv6 one usable as a source (not tentative, failed or deprecated),
 * stable before temporary.  The first of equal candidates stays.
 */
int
pubaddr_addr(struct pubaddr *p, const struct nlmsghdr *nlh)
{
	struct rtnl_addr	 a;
	int			 rank;

	if (rtnl_addr_parse(nlh, &a) == -1)
		return -1;
	if (a.family != p->family || !p->have_route || a.ifindex != p->oif ||
	    a.scope != RT_SCOPE_UNIVERSE ||
	    !pubaddr_is_public(a.family, &a.local))
		return 0;
	if (a.family == AF_INET) {
		if (a.flags & IFA_F_SECONDARY)
			return 0;
		rank = RANK_STABLE;
	} else {
		if (a.flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED |
		    IFA_F_DEPRECATED))
			return 0;
		rank = (a.flags & IFA_F_TEMPORARY) ? RANK_TEMPORARY :
		    RANK_STABLE;
	}
	if (rank > p->rank) {
		p->rank = rank;
		p->addr = a.local;
	}
	return 0;
}

/*
 * 1 and the address, or 0: no default route, or its source is not
 * public.  A private preferred source means the router is behind NAT
 * and its public address cannot be known from here.
 */
int
pubaddr_result(const struct pubaddr *p, union rtnl_ip *out)
{
	memset(out, 0, sizeof(*out));
	if (!p->have_route)
		return 0;
	if (p->has_prefsrc) {
		if (!pubaddr_is_public(p->family, &p->prefsrc))
			return 0;
		*out = p->prefsrc;
		return 1;
	}
	if (p->rank == 0)
		return 0;
	*out = p->addr;
	return 1;
}
