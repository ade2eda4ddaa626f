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
 * The choice of the public address (wgctl/pubaddr.c) on rtnetlink
 * messages encoded here with libmnl, laid out as a dump returns them.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wgctl/pubaddr.h"
#include "regress/regress.h"

#define DUMP_SIZE	8192

/* A dump being written: routes and addresses, one after the other. */
struct dump {
	uint8_t		 buf[DUMP_SIZE] __attribute__((aligned(4)));
	size_t		 len;
};

struct route {
	int		 af;
	uint8_t		 dst_len;
	uint8_t		 type;		/* 0: RTN_UNICAST */
	uint32_t	 table;		/* 0: main */
	int		 rta_table;	/* the table in RTA_TABLE too */
	uint32_t	 oif;
	uint32_t	 prio;		/* 0: no RTA_PRIORITY */
	const char	*prefsrc;
	uint32_t	 mp_oif;	/* RTA_MULTIPATH, first hop */
};

static struct nlmsghdr *msg_start(struct dump *, uint16_t);
static void	add_route(struct dump *, const struct route *);
static void	add_addr(struct dump *, int, const char *, uint8_t, uint32_t);
static const char *pick(int, const struct dump *);
static void	check_pick(const char *, int, const struct dump *,
		    const char *);
static void	test_public(void);
static void	test_v4(void);
static void	test_v6(void);
static void	test_malformed(void);

static struct nlmsghdr *
msg_start(struct dump *d, uint16_t type)
{
	struct nlmsghdr	*nlh;

	if (d->len + 512 > sizeof(d->buf)) {
		fprintf(stderr, "dump full\n");
		exit(2);
	}
	nlh = mnl_nlmsg_put_header(d->buf + d->len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_MULTI;
	return nlh;
}

static void
add_route(struct dump *d, const struct route *r)
{
	struct nlmsghdr		*nlh;
	struct rtmsg		*rtm;
	struct rtnexthop	*nh;
	struct nlattr		*mp;
	uint8_t			 a[16];
	uint32_t		 table = r->table ? r->table : RT_TABLE_MAIN;

	nlh = msg_start(d, RTM_NEWROUTE);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = r->af;
	rtm->rtm_dst_len = r->dst_len;
	rtm->rtm_table = table < 256 ? table : RT_TABLE_COMPAT;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = r->type ? r->type : RTN_UNICAST;
	if (r->rta_table || table >= 256)
		mnl_attr_put_u32(nlh, RTA_TABLE, table);
	if (r->prio != 0)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->prio);
	if (r->prefsrc != NULL) {
		if (inet_pton(r->af, r->prefsrc, a) != 1)
			exit(2);
		mnl_attr_put(nlh, RTA_PREFSRC, r->af == AF_INET ? 4 : 16, a);
	}
	if (r->oif != 0)
		mnl_attr_put_u32(nlh, RTA_OIF, r->oif);
	if (r->mp_oif != 0) {
		mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
		nh = mnl_nlmsg_put_extra_header(nlh, sizeof(*nh));
		nh->rtnh_len = sizeof(*nh);
		nh->rtnh_ifindex = r->mp_oif;
		nh = mnl_nlmsg_put_extra_header(nlh, sizeof(*nh));
		nh->rtnh_len = sizeof(*nh);
		nh->rtnh_ifindex = r->mp_oif + 1;
		mnl_attr_nest_end(nlh, mp);
	}
	d->len += nlh->nlmsg_len;
}

static void
add_addr(struct dump *d, int ifindex, const char *s, uint8_t scope,
    uint32_t flags)
{
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;
	uint8_t			 a[16];
	int			 af;

	af = strchr(s, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(af, s, a) != 1)
		exit(2);
	nlh = msg_start(d, RTM_NEWADDR);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = af;
	ifa->ifa_prefixlen = af == AF_INET ? 24 : 64;
	ifa->ifa_flags = flags & 0xff;
	ifa->ifa_scope = scope;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_ADDRESS, af == AF_INET ? 4 : 16, a);
	if (af == AF_INET)
		mnl_attr_put(nlh, IFA_LOCAL, 4, a);
	mnl_attr_put_u32(nlh, IFA_FLAGS, flags);
	d->len += nlh->nlmsg_len;
}

/*
 * As wgctl does: every route, then every address if the best route
 * wants them.  The address found, "none", or "error".
 */
static const char *
pick(int af, const struct dump *d)
{
	static char		 out[INET6_ADDRSTRLEN];
	const struct nlmsghdr	*nlh;
	struct pubaddr		 p;
	union rtnl_ip		 ip;
	int			 len, pass;

	pubaddr_init(&p, af);
	for (pass = 0; pass < 2; pass++) {
		if (pass == 1 && !pubaddr_need_addrs(&p))
			break;
		len = d->len;
		for (nlh = (const struct nlmsghdr *)d->buf;
		    mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type != (pass == 0 ? RTM_NEWROUTE :
			    RTM_NEWADDR))
				continue;
			if ((pass == 0 ? pubaddr_route(&p, nlh) :
			    pubaddr_addr(&p, nlh)) == -1)
				return "error";
		}
	}
	if (!pubaddr_result(&p, &ip))
		return "none";
	if (inet_ntop(af, &ip, out, sizeof(out)) == NULL)
		return "error";
	return out;
}

static void
check_pick(const char *name, int af, const struct dump *d, const char *want)
{
	const char	*got = pick(af, d);

	if (strcmp(got, want) == 0)
		REGRESS_OK(name);
	else
		REGRESS_FAIL(name, "got %s, want %s", got, want);
}

static void
test_public(void)
{
	static const struct {
		const char	*a;
		int		 pub;
	} t[] = {
		{ "0.1.2.3", 0 }, { "10.1.2.3", 0 }, { "100.64.0.1", 0 },
		{ "100.127.255.255", 0 }, { "100.128.0.1", 1 },
		{ "100.63.255.255", 1 }, { "127.0.0.1", 0 },
		{ "169.254.1.1", 0 }, { "172.15.255.255", 1 },
		{ "172.16.0.1", 0 }, { "172.20.10.1", 0 },
		{ "172.31.255.255", 0 }, { "172.32.0.1", 1 },
		{ "192.168.1.1", 0 }, { "192.169.0.1", 1 },
		{ "224.0.0.1", 0 }, { "239.1.1.1", 0 }, { "240.0.0.1", 0 },
		{ "255.255.255.255", 0 }, { "223.255.255.255", 1 },
		{ "8.8.8.8", 1 }, { "192.0.2.10", 1 }, { "198.51.100.1", 1 },
		{ "203.0.113.1", 1 },
		{ "::", 0 }, { "::1", 0 }, { "::2", 1 }, { "fe80::1", 0 },
		{ "febf::1", 0 }, { "fc00::1", 0 }, { "fd00:4242:7777::1", 0 },
		{ "fdff::1", 0 }, { "ff02::1", 0 }, { "2001:db8::10", 1 },
		{ "2a01:4f8::1", 1 }, { "fec0::1", 1 },
	};
	uint8_t	 a[16];
	char	 name[64];
	size_t	 i;
	int	 af;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		af = strchr(t[i].a, ':') != NULL ? AF_INET6 : AF_INET;
		inet_pton(af, t[i].a, a);
		snprintf(name, sizeof(name), "public_%s", t[i].a);
		REGRESS_CHECK(name, pubaddr_is_public(af, a) == t[i].pub);
	}
	memset(a, 0, sizeof(a));
	REGRESS_CHECK("public_bad_family", !pubaddr_is_public(AF_UNIX, a));
}

static void
test_v4(void)
{
	struct dump	*d;
	struct route	 r;

	d = calloc(1, sizeof(*d));

	/* The preferred source wins over the link's addresses. */
	r = (struct route){ .af = AF_INET, .oif = 2,
	    .prefsrc = "198.51.100.7" };
	add_route(d, &r);
	add_addr(d, 2, "192.0.2.10", RT_SCOPE_UNIVERSE, 0);
	check_pick("v4_prefsrc_wins", AF_INET, d, "198.51.100.7");

	/* A private preferred source: behind NAT, nothing to say. */
	memset(d, 0, sizeof(*d));
	r = (struct route){ .af = AF_INET, .oif = 2,
	    .prefsrc = "192.168.1.2" };
	add_route(d, &r);
	add_addr(d, 2, "192.0.2.10", RT_SCOPE_UNIVERSE, 0);
	check_pick("v4_private_prefsrc_none", AF_INET, d, "none");

	/* No preferred source: the primary address of the link. */
	memset(d, 0, sizeof(*d));
	r = (struct route){ .af = AF_INET, .oif = 2 };
	add_route(d, &r);
	add_addr(d, 1, "127.0.0.1", RT_SCOPE_HOST, 0);
	add_addr(d, 3, "203.0.113.3", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 2, "192.0.2.10", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 2, "192.0.2.11", RT_SCOPE_UNIVERSE, 0);
	check_pick("v4_oif_address", AF_INET, d, "192.0.2.10");

	/* The lowest metric wins, in either order. */
	memset(d, 0, sizeof(*d));
	r = (struct route){ .af = AF_INET, .oif = 2, .prio = 200 };
	add_route(d, &r);
	r = (struct route){ .af = AF_INET, .oif = 3, .prio = 100 };
	add_route(d, &r);
	r = (struct route){ .af = AF_INET, .oif = 4, .prio = 300 };
	add_route(d, &r);
	add_addr(d, 2, "192.0.2.10", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 3, "203.0.113.3", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 4, "198.51.100.4", RT_SCOPE_UNIVERSE, 0);
	check_pick("v4_lowest_metric", AF_INET, d, "203.0.113.3");
	memset(d, 0, sizeof(*d));
	r = (struct route){ .af = AF_INET, .oif = 3, .prio = 100 };
	add_route(d, &r);
	r = (struct route){ .af = AF_INET, .oif = 2, .prio = 200 };
	add_route(d, &r);
	add_addr(d, 2, "192.0.2.10", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 3, "203.0.113.3", RT_SCOPE_UNIVERSE, 0);
	check_pick("v4_lowest_metric_first", AF_INET, d, "203.0.113.3");
	/* no RTA_PRIORITY is metric 0 */
	r = (struct route){ .af = AF_INET, .oif = 4 };
	add_route(d, &r);
	add_addr(d, 4, "198.51.100.4", RT_SCOPE_UNIVERSE, 0);
	check_pick("v4_metric_0", AF_INET, d, "198.51.100.4");

	/* Secondary and private addresses are passed over. */
	memset(d, 0, sizeof(*d));
	r = (struct route){ .af = AF_INET, .oif = 2 };
	add_route(d, &r);
	add_addr(d, 2, "10.0.0.5", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 2, "192.0.2.99", RT_SCOPE_UNIVERSE, IFA_F_SECONDARY);
	add_addr(d, 2, "100.64.1.1", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 2, "203.0.113.9", RT_SCOPE_UNIVERSE, 0);
	check_pick("v4_secondary_private_skipped", AF_INET, d, "203.0.113.9");
	memset(d, 0, sizeof(*d));
	add_route(d, &r);
	add_addr(d, 2, "10.0.0.5", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 2, "192.0.2.99", RT_SCOPE_UNIVERSE, IFA_F_SECONDARY);
	check_pick("v4_only_private_none", AF_INET, d, "none");

	/* Other tables, other routes and the other family are not ours. */
	memset(d, 0, sizeof(*d));
	r = (struct route){ .af = AF_INET, .oif = 3, .table = 100 };
	add_route(d, &r);
	r = (struct route){ .af = AF_INET, .oif = 4, .table = 1000 };
	add_route(d, &r);
	r = (struct route){ .af = AF_INET, .oif = 5, .table = RT_TABLE_LOCAL };
	add_route(d, &r);
	r = (struct route){ .af = AF_INET, .oif = 6, .dst_len = 8 };
	add_route(d, &r);
	r = (struct route){ .af = AF_INET, .oif = 7,
	    .type = RTN_UNREACHABLE };
	add_route(d, &r);
	r = (struct route){ .af = AF_INET6, .oif = 8 };
	add_route(d, &r);
	r = (struct route){ .af = AF_INET, .oif = 2, .prio = 500,
	    .rta_table = 1 };
	add_route(d, &r);
	add_addr(d, 2, "192.0.2.10", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 3, "203.0.113.3", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 4, "203.0.113.4", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 5, "203.0.113.5", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 6, "203.0.113.6", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 7, "203.0.113.7", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 8, "2001:db8::8", RT_SCOPE_UNIVERSE, 0);
	check_pick("v4_main_table_default_only", AF_INET, d, "192.0.2.10");

	/* A multipath route: the first hop's link. */
	memset(d, 0, sizeof(*d));
	r = (struct route){ .af = AF_INET, .mp_oif = 4 };
	add_route(d, &r);
	add_addr(d, 5, "203.0.113.5", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 4, "203.0.113.4", RT_SCOPE_UNIVERSE, 0);
	check_pick("v4_multipath", AF_INET, d, "203.0.113.4");

	/* Nothing found: no flag. */
	memset(d, 0, sizeof(*d));
	check_pick("v4_empty_none", AF_INET, d, "none");
	add_addr(d, 2, "192.0.2.10", RT_SCOPE_UNIVERSE, 0);
	check_pick("v4_no_route_none", AF_INET, d, "none");
	r = (struct route){ .af = AF_INET, .oif = 3 };
	add_route(d, &r);
	check_pick("v4_no_address_on_link_none", AF_INET, d, "none");
	r = (struct route){ .af = AF_INET, .oif = 2, .table = 200 };
	add_route(d, &r);
	check_pick("v4_other_table_only_none", AF_INET, d, "none");
	free(d);
}

static void
test_v6(void)
{
	struct dump	*d;
	struct route	 r;

	d = calloc(1, sizeof(*d));

	r = (struct route){ .af = AF_INET6, .oif = 2, .prio = 1024,
	    .prefsrc = "2001:db8:5::5" };
	add_route(d, &r);
	add_addr(d, 2, "2001:db8::10", RT_SCOPE_UNIVERSE, IFA_F_PERMANENT);
	check_pick("v6_prefsrc_wins", AF_INET6, d, "2001:db8:5::5");

	/* Passed over: link-local, ULA, deprecated, tentative, failed. */
	memset(d, 0, sizeof(*d));
	r = (struct route){ .af = AF_INET6, .oif = 2, .prio = 1024 };
	add_route(d, &r);
	add_addr(d, 2, "fe80::10", RT_SCOPE_LINK, IFA_F_PERMANENT);
	add_addr(d, 2, "fe80::11", RT_SCOPE_UNIVERSE, IFA_F_PERMANENT);
	add_addr(d, 2, "fd00:4242::10", RT_SCOPE_UNIVERSE, IFA_F_PERMANENT);
	add_addr(d, 2, "2001:db8::1", RT_SCOPE_UNIVERSE, IFA_F_DEPRECATED);
	add_addr(d, 2, "2001:db8::2", RT_SCOPE_UNIVERSE, IFA_F_TENTATIVE);
	add_addr(d, 2, "2001:db8::3", RT_SCOPE_UNIVERSE,
	    IFA_F_DADFAILED | IFA_F_TENTATIVE);
	add_addr(d, 3, "2001:db8:3::3", RT_SCOPE_UNIVERSE, 0);
	check_pick("v6_unusable_none", AF_INET6, d, "none");
	add_addr(d, 2, "2001:db8::10", RT_SCOPE_UNIVERSE,
	    IFA_F_PERMANENT | IFA_F_NODAD);
	check_pick("v6_unusable_skipped", AF_INET6, d, "2001:db8::10");

	/* A stable address before a temporary one, whatever the order. */
	memset(d, 0, sizeof(*d));
	add_route(d, &r);
	add_addr(d, 2, "2001:db8::aaaa", RT_SCOPE_UNIVERSE,
	    IFA_F_TEMPORARY);
	check_pick("v6_temporary_if_alone", AF_INET6, d, "2001:db8::aaaa");
	add_addr(d, 2, "2001:db8::10", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 2, "2001:db8::bbbb", RT_SCOPE_UNIVERSE,
	    IFA_F_TEMPORARY);
	add_addr(d, 2, "2001:db8::11", RT_SCOPE_UNIVERSE, 0);
	check_pick("v6_stable_before_temporary", AF_INET6, d, "2001:db8::10");

	/* The lowest metric; other tables and the other family ignored. */
	memset(d, 0, sizeof(*d));
	r = (struct route){ .af = AF_INET6, .oif = 2, .prio = 1024 };
	add_route(d, &r);
	r = (struct route){ .af = AF_INET6, .oif = 3, .prio = 100 };
	add_route(d, &r);
	r = (struct route){ .af = AF_INET6, .oif = 4, .prio = 1,
	    .table = 100 };
	add_route(d, &r);
	r = (struct route){ .af = AF_INET, .oif = 5 };
	add_route(d, &r);
	add_addr(d, 2, "2001:db8:2::2", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 3, "2001:db8:3::3", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 4, "2001:db8:4::4", RT_SCOPE_UNIVERSE, 0);
	add_addr(d, 5, "203.0.113.5", RT_SCOPE_UNIVERSE, 0);
	check_pick("v6_lowest_metric", AF_INET6, d, "2001:db8:3::3");
	check_pick("v4_beside_v6", AF_INET, d, "203.0.113.5");

	memset(d, 0, sizeof(*d));
	check_pick("v6_empty_none", AF_INET6, d, "none");
	free(d);
}

static void
test_malformed(void)
{
	struct dump		*d;
	struct nlmsghdr		*nlh;
	struct rtmsg		*rtm;
	struct pubaddr		 p;
	uint8_t			 a[16];

	d = calloc(1, sizeof(*d));
	/* an IPv4 route with a 16-byte preferred source */
	nlh = msg_start(d, RTM_NEWROUTE);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_type = RTN_UNICAST;
	memset(a, 0, sizeof(a));
	mnl_attr_put(nlh, RTA_PREFSRC, sizeof(a), a);
	pubaddr_init(&p, AF_INET);
	errno = 0;
	REGRESS_CHECK("bad_prefsrc_len", pubaddr_route(&p, nlh) == -1 &&
	    errno == EBADMSG && !p.have_route);

	/* too short for its header */
	memset(d, 0, sizeof(*d));
	nlh = msg_start(d, RTM_NEWROUTE);
	pubaddr_init(&p, AF_INET);
	REGRESS_CHECK("short_route", pubaddr_route(&p, nlh) == -1);
	nlh->nlmsg_type = RTM_NEWLINK;
	REGRESS_CHECK("not_a_route", pubaddr_route(&p, nlh) == -1);
	REGRESS_CHECK("short_addr", pubaddr_addr(&p, nlh) == -1);
	free(d);
}

int
main(void)
{
	test_public();
	test_v4();
	test_v6();
	test_malformed();
	REGRESS_EXIT();
}
