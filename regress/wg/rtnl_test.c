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
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wgctl/rtnl.h"
#include "wgctl/wg_diff.h"
#include "regress/regress.h"
#include "regress/wg/wgtest.h"

#define MAX_ADDRS	16
#define OPER_UNKNOWN	0	/* linux/if.h, which clashes with net/if.h */

struct addrs {
	struct rtnl_addr	a[MAX_ADDRS];
	size_t			n;
};

static void	test_encode(void);
static void	test_parse(void);
static void	test_real(void);
static int	collect_addr(const struct rtnl_addr *, void *);
static int	count_link(const struct rtnl_link *, void *);

static void
test_encode(void)
{
	struct rtnl_batch	*b;
	struct rtnl_addr	 a;
	const struct nlmsghdr	*nlh;
	const uint8_t		*data;
	size_t			 len, off;
	char			*t;
	FILE			*fp;
	int			 n = 0;

	b = malloc(sizeof(*b));
	rtnl_batch_init(b, 1000);
	rtnl_link_create(b, "dn42_4242420001", "wireguard");
	rtnl_link_addrgenmode_none(b, 7);
	rtnl_link_set(b, 7, 1420, 1);
	rtnl_addr_from_str(&a, 7, "fe80::998:101:4:1/64");
	rtnl_addr_change(b, RTM_NEWADDR, &a);
	rtnl_addr_from_str(&a, 7, "172.20.1.1/32");
	rtnl_addr_from_str(&a, 7, "172.20.1.1/32");
	a.has_peer = 1;
	a.peer.v4.s_addr = htonl(0xac140202);
	rtnl_addr_change(b, RTM_NEWADDR, &a);
	rtnl_addr_change(b, RTM_DELADDR, &a);
	rtnl_link_set(b, 7, 0, 0);
	rtnl_link_delete(b, 7, NULL);
	rtnl_link_delete(b, 0, "dn42_4242420001");
	REGRESS_CHECK("batch_count", b->n == 9);

	fp = open_memstream(&t, &len);
	data = rtnl_batch_data(b, &off);
	for (len = 0; len < off; len += NLMSG_ALIGN(nlh->nlmsg_len)) {
		nlh = (const struct nlmsghdr *)(data + len);
		fprintf(fp, "message %d: type %u flags 0x%x seq %u\n", n++,
		    nlh->nlmsg_type, nlh->nlmsg_flags, nlh->nlmsg_seq);
		wgtest_hexdump(fp, nlh, nlh->nlmsg_len);
	}
	fclose(fp);
	REGRESS_CHECK("batch_golden", wgtest_golden("rtnl_batch", t,
	    strlen(t)) == 0);
	free(t);

	/* refused before anything is written */
	REGRESS_CHECK("create_long_name", rtnl_link_create(b,
	    "0123456789abcdef", "wireguard") == -1 && b->n == 9);
	REGRESS_CHECK("set_bad_mtu", rtnl_link_set(b, 7, 20, -1) == -1);
	REGRESS_CHECK("set_no_index", rtnl_link_set(b, 0, 1420, 1) == -1);
	a.prefixlen = 33;
	REGRESS_CHECK("addr_bad_prefix", rtnl_addr_change(b, RTM_NEWADDR,
	    &a) == -1);

	/* a full batch says so instead of overflowing */
	rtnl_batch_init(b, 1);
	while (rtnl_link_set(b, 7, 1420, 1) == 0)
		;
	REGRESS_CHECK("batch_full", errno == ENOBUFS &&
	    b->n == RTNL_BATCH_MAX);
	free(b);
}

/* Messages as a dump returns them. */
static void
test_parse(void)
{
	uint8_t			 buf[1024];
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;
	struct ifaddrmsg	*ifa;
	struct nlattr		*n1, *n2;
	struct rtnl_link	 l;
	struct rtnl_addr	 a;
	struct in6_addr		 v6;
	char			 s[128];

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 12;
	ifi->ifi_flags = IFF_UP | IFF_POINTOPOINT;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "wg0");
	mnl_attr_put_u32(nlh, IFLA_MTU, 1420);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, OPER_UNKNOWN);
	n1 = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put(nlh, IFLA_INFO_KIND, 3, "tun");	/* no NUL */
	mnl_attr_nest_end(nlh, n1);
	n1 = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	n2 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, n2);
	mnl_attr_nest_end(nlh, n1);
	REGRESS_CHECK("parse_link", rtnl_link_parse(nlh, &l) == 0 &&
	    l.ifindex == 12 && l.mtu == 1420 && strcmp(l.ifname, "wg0") == 0 &&
	    strcmp(l.kind, "tun") == 0 && (l.flags & IFF_UP) &&
	    l.operstate == OPER_UNKNOWN && l.has_addrgenmode &&
	    l.addrgenmode == IN6_ADDR_GEN_MODE_NONE);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "0123456789abcdefgh");
	REGRESS_CHECK("parse_link_long_name", rtnl_link_parse(nlh, &l) == -1);

	/* IPv6 with a peer: IFA_LOCAL ours, IFA_ADDRESS the peer */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = 128;
	ifa->ifa_index = 12;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	inet_pton(AF_INET6, "fd00::1", &v6);
	mnl_attr_put(nlh, IFA_LOCAL, 16, &v6);
	inet_pton(AF_INET6, "fd00::2", &v6);
	mnl_attr_put(nlh, IFA_ADDRESS, 16, &v6);
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD | IFA_F_PERMANENT);
	REGRESS_CHECK("parse_addr_peer", rtnl_addr_parse(nlh, &a) == 0 &&
	    rtnl_addr_fmt(&a, s, sizeof(s)) == 0 &&
	    strcmp(s, "fd00::1 peer fd00::2/128") == 0 &&
	    a.flags == (IFA_F_NODAD | IFA_F_PERMANENT));

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	mnl_attr_put(nlh, IFA_ADDRESS, 16, &v6);
	REGRESS_CHECK("parse_addr_bad_len", rtnl_addr_parse(nlh, &a) == -1);
}

static int
collect_addr(const struct rtnl_addr *a, void *arg)
{
	struct addrs	*as = arg;

	if (as->n < MAX_ADDRS)
		as->a[as->n++] = *a;
	return 0;
}

static int
count_link(const struct rtnl_link *l, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

/*
 * Against the kernel, in a network namespace of its own (rtnl.sh makes
 * it): there is no wireguard module, so the links are veth.
 */
static void
test_real(void)
{
	struct mnl_socket	*nl;
	struct rtnl_batch	*b;
	struct rtnl_link	 l, p;
	struct rtnl_addr	 want[3], add[3], del[MAX_ADDRS];
	struct addrs		 as;
	size_t			 nadd, ndel, i;
	int			 errs[4], n;
	char			 s[128];

	b = malloc(sizeof(*b));
	if ((nl = mnl_socket_open(NETLINK_ROUTE)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		REGRESS_FAIL("real_socket", "%s", strerror(errno));
		return;
	}
	/* Linux 4.20 and later: the address dump below is filtered there */
	REGRESS_CHECK("real_strict", rtnl_strict(nl) == 0);
	rtnl_batch_init(b, 1);
	rtnl_link_create(b, "mwt0", "veth");
	rtnl_link_create(b, "mwt1", "wireguard");
	rtnl_link_create(b, "mwt0", "veth");
	n = rtnl_batch_send(nl, b, errs);
	REGRESS_CHECK("real_create_errors", n == -1 && errs[0] == 0 &&
	    errs[1] == EOPNOTSUPP && errs[2] == EEXIST);
	REGRESS_CHECK("real_batch_reset", b->n == 0);
	REGRESS_CHECK("real_link_get", rtnl_link_get(nl, "mwt0", &l) == 0 &&
	    strcmp(l.kind, "veth") == 0 && !(l.flags & IFF_UP));
	REGRESS_CHECK("real_link_absent", rtnl_link_get(nl, "mwt1", &p) ==
	    -1 && errno == ENODEV);
	REGRESS_CHECK("real_link_absent_again", rtnl_link_get(nl, "mwt1",
	    &p) == -1 && errno == ENODEV && rtnl_link_get(nl, "lo", &p) ==
	    0 && p.ifindex == 1 && (p.flags & IFF_LOOPBACK));
	n = 0;
	REGRESS_CHECK("real_link_dump", rtnl_link_dump(nl, count_link,
	    &n) == 0 && n == 3);	/* lo, mwt0 and its veth peer */

	rtnl_link_addrgenmode_none(b, l.ifindex);
	rtnl_link_set(b, l.ifindex, 1380, 1);
	rtnl_addr_from_str(&want[0], l.ifindex, "fe80::998:101:4:1/64");
	rtnl_addr_from_str(&want[1], l.ifindex, "172.20.1.1/32");
	want[1].has_peer = 1;
	inet_pton(AF_INET, "172.20.2.2", &want[1].peer);
	rtnl_addr_from_str(&want[2], l.ifindex, "fd00:4242::1/128");
	for (i = 0; i < 3; i++)
		rtnl_addr_change(b, RTM_NEWADDR, &want[i]);
	REGRESS_CHECK("real_configure", rtnl_batch_send(nl, b, NULL) == 0);
	REGRESS_CHECK("real_mtu_up", rtnl_link_get(nl, "mwt0", &l) == 0 &&
	    l.mtu == 1380 && (l.flags & IFF_UP) && l.has_addrgenmode &&
	    l.addrgenmode == IN6_ADDR_GEN_MODE_NONE);

	memset(&as, 0, sizeof(as));
	REGRESS_CHECK("real_addr_dump", rtnl_addr_dump(nl, l.ifindex,
	    collect_addr, &as) == 0);
	n = wg_diff_addrs(want, 3, as.a, as.n, add, &nadd, del, &ndel);
	if (n != 0) {
		for (i = 0; i < as.n; i++)
			if (rtnl_addr_fmt(&as.a[i], s, sizeof(s)) == 0)
				printf("# have %s\n", s);
		REGRESS_FAIL("real_addrs_as_asked", "%d differences", n);
	} else
		REGRESS_OK("real_addrs_as_asked");
	REGRESS_CHECK("real_addr_nodad", as.n > 0 &&
	    (as.a[0].flags & IFA_F_NODAD || as.a[1].flags & IFA_F_NODAD));

	/* down drops the IPv6 addresses: the diff puts them back */
	rtnl_link_set(b, l.ifindex, 0, 0);
	rtnl_batch_send(nl, b, NULL);
	memset(&as, 0, sizeof(as));
	rtnl_addr_dump(nl, l.ifindex, collect_addr, &as);
	n = wg_diff_addrs(want, 3, as.a, as.n, add, &nadd, del, &ndel);
	REGRESS_CHECK("real_down_drops_v6", nadd == 2 && ndel == 0);
	rtnl_link_set(b, l.ifindex, 0, 1);
	for (i = 0; i < nadd; i++)
		rtnl_addr_change(b, RTM_NEWADDR, &add[i]);
	/* one extra to delete */
	rtnl_addr_change(b, RTM_DELADDR, &want[2]);
	REGRESS_CHECK("real_repair", rtnl_batch_send(nl, b, NULL) == 0);
	memset(&as, 0, sizeof(as));
	rtnl_addr_dump(nl, l.ifindex, collect_addr, &as);
	n = wg_diff_addrs(want, 2, as.a, as.n, add, &nadd, del, &ndel);
	REGRESS_CHECK("real_repaired", n == 0 && as.n == 2);

	rtnl_link_delete(b, l.ifindex, NULL);
	REGRESS_CHECK("real_delete", rtnl_batch_send(nl, b, NULL) == 0 &&
	    rtnl_link_get(nl, "mwt0", &l) == -1 && errno == ENODEV);
	rtnl_link_delete(b, 0, "mwt0");
	REGRESS_CHECK("real_delete_absent", rtnl_batch_send(nl, b, errs) ==
	    -1 && errs[0] == ENODEV);
	mnl_socket_close(nl);
	free(b);
}

int
main(int argc, char *argv[])
{
	wgtest_init(argv[0]);
	if (argc > 1 && strcmp(argv[1], "-r") == 0)
		test_real();
	else {
		test_encode();
		test_parse();
	}
	REGRESS_EXIT();
}
