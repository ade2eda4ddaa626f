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

#include <net/if.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wgctl/key.h"
#include "wgctl/rtnl.h"
#include "wgctl/wg.h"
#include "wgctl/wg_diff.h"
#include "wgctl/wg_uapi.h"
#include "regress/regress.h"
#include "regress/wg/wgtest.h"

#define K2	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
#define K3	"303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f"
#define K4	"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
#define K7	"707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f"
#define Z	"0000000000000000000000000000000000000000000000000000000000000000"

static void	build(struct wg_device *);
static void	expect(const char *, const struct wg_device *,
		    const struct wg_device *, int, const char *);
static void	test_device(void);
static void	test_addrs(void);
static void	test_link(void);

/* The wanted tunnel: what the parent asks for. */
static void
build(struct wg_device *d)
{
	struct wg_peer	*p;

	wg_device_init(d, "dn42_4242420001");
	wgtest_key(d->private_key, 1);
	d->listen_port = 20001;
	d->flags = WGDEV_HAS_PRIVATE_KEY | WGDEV_HAS_LISTEN_PORT;
	p = wgtest_peer(d, 2, "fe80::/64,::/0,0.0.0.0/0",
	    "[2001:db8::2]:20001");
	p->keepalive = 25;
	p->flags |= WGPEER_HAS_KEEPALIVE;
}

/* Diffs want against cur and compares the UAPI text it would send. */
static void
expect(const char *name, const struct wg_device *want,
    const struct wg_device *cur, int nchanges, const char *text)
{
	struct wg_device	 chg;
	char			*out;
	size_t			 len;
	int			 n;

	if ((n = wg_diff(want, cur, &chg)) != nchanges) {
		REGRESS_FAIL(name, "%d changes, want %d", n, nchanges);
		if (n != -1)
			wg_device_clear(&chg);
		return;
	}
	if ((n == 0) != wg_diff_empty(&chg)) {
		REGRESS_FAIL(name, "wg_diff_empty disagrees");
		wg_device_clear(&chg);
		return;
	}
	if (wg_uapi_set_encode(&chg, &out, &len) == -1) {
		REGRESS_FAIL(name, "encode");
		wg_device_clear(&chg);
		return;
	}
	if (strcmp(out, text) == 0)
		REGRESS_OK(name);
	else
		REGRESS_FAIL(name, "sent:\n%s---", out);
	wg_uapi_free(out, len);
	wg_device_clear(&chg);
}

static void
test_device(void)
{
	struct wg_device	 want, cur;
	struct wg_peer		*p, *c;

	build(&want);
	build(&cur);
	/* what a read back adds: stats, public key */
	c = TAILQ_FIRST(&cur.peers);
	c->stats.rx_bytes = 100;
	c->stats.last_handshake.tv_sec = 1700000000;
	key_public(cur.public_key, cur.private_key);
	cur.flags |= WGDEV_HAS_PUBLIC_KEY;
	expect("equal_nothing", &want, &cur, 0, "set=1\n\n");

	/* allowed IPs in another order are the same set */
	wg_allowedips_clear(c);
	wg_allowedip_parse(c, "0.0.0.0/0");
	wg_allowedip_parse(c, "::/0");
	wg_allowedip_parse(c, "fe80::/64");
	expect("allowedips_order", &want, &cur, 0, "set=1\n\n");

	want.flags |= WGDEV_REPLACE_PEERS;
	expect("never_replace_peers", &want, &cur, 0, "set=1\n\n");
	want.flags &= ~WGDEV_REPLACE_PEERS;

	wgtest_key(want.private_key, 7);
	expect("private_key_only", &want, &cur, 1,
	    "set=1\nprivate_key=" K7 "\n\n");
	wgtest_key(want.private_key, 1);

	want.listen_port = 20002;
	expect("listen_port_only", &want, &cur, 1,
	    "set=1\nlisten_port=20002\n\n");
	want.listen_port = 0;
	expect("listen_port_any", &want, &cur, 0, "set=1\n\n");
	want.listen_port = 20001;

	want.fwmark = 51;
	want.flags |= WGDEV_HAS_FWMARK;
	expect("fwmark_only", &want, &cur, 1, "set=1\nfwmark=51\n\n");
	want.fwmark = 0;
	expect("fwmark_zero_equal", &want, &cur, 0, "set=1\n\n");
	want.flags &= ~WGDEV_HAS_FWMARK;

	p = TAILQ_FIRST(&want.peers);
	wg_endpoint_parse(&p->endpoint, "[2001:db8::3]:20001");
	expect("endpoint_only", &want, &cur, 1, "set=1\npublic_key=" K2
	    "\nprotocol_version=1\nendpoint=[2001:db8::3]:20001\n\n");
	wg_endpoint_parse(&p->endpoint, "[2001:db8::2]:20002");
	expect("endpoint_port_only", &want, &cur, 1, "set=1\npublic_key=" K2
	    "\nprotocol_version=1\nendpoint=[2001:db8::2]:20002\n\n");
	/* passive: whatever the peer roamed to stays */
	p->flags &= ~WGPEER_HAS_ENDPOINT;
	expect("endpoint_passive", &want, &cur, 0, "set=1\n\n");
	wg_endpoint_parse(&p->endpoint, "[2001:db8::2]:20001");
	p->flags |= WGPEER_HAS_ENDPOINT;

	wgtest_key(p->preshared_key, 3);
	p->flags |= WGPEER_HAS_PRESHARED_KEY;
	expect("psk_added", &want, &cur, 1, "set=1\npublic_key=" K2
	    "\nprotocol_version=1\npreshared_key=" K3 "\n\n");
	memcpy(c->preshared_key, p->preshared_key, 32);
	c->flags |= WGPEER_HAS_PRESHARED_KEY;
	expect("psk_equal", &want, &cur, 0, "set=1\n\n");
	wgtest_key(p->preshared_key, 4);
	expect("psk_changed", &want, &cur, 1, "set=1\npublic_key=" K2
	    "\nprotocol_version=1\npreshared_key=" K4 "\n\n");
	p->flags &= ~WGPEER_HAS_PRESHARED_KEY;
	expect("psk_removed", &want, &cur, 1, "set=1\npublic_key=" K2
	    "\nprotocol_version=1\npreshared_key=" Z "\n\n");
	c->flags &= ~WGPEER_HAS_PRESHARED_KEY;

	p->keepalive = 15;
	expect("keepalive_only", &want, &cur, 1, "set=1\npublic_key=" K2
	    "\nprotocol_version=1\npersistent_keepalive_interval=15\n\n");
	p->flags &= ~WGPEER_HAS_KEEPALIVE;
	expect("keepalive_off", &want, &cur, 1, "set=1\npublic_key=" K2
	    "\nprotocol_version=1\npersistent_keepalive_interval=0\n\n");
	p->keepalive = 25;
	p->flags |= WGPEER_HAS_KEEPALIVE;

	wg_allowedip_parse(p, "172.20.0.0/14");
	expect("allowedips_replaced", &want, &cur, 1, "set=1\npublic_key=" K2
	    "\nprotocol_version=1\nreplace_allowed_ips=true\n"
	    "allowed_ip=fe80::/64\nallowed_ip=::/0\nallowed_ip=0.0.0.0/0\n"
	    "allowed_ip=172.20.0.0/14\n\n");
	wg_allowedips_clear(p);
	wg_allowedip_parse(p, "fe80::/64");
	wg_allowedip_parse(p, "::/0");
	expect("allowedips_fewer", &want, &cur, 1, "set=1\npublic_key=" K2
	    "\nprotocol_version=1\nreplace_allowed_ips=true\n"
	    "allowed_ip=fe80::/64\nallowed_ip=::/0\n\n");
	wg_allowedip_parse(p, "0.0.0.0/0");

	/* a peer that is not there is added whole; one not wanted goes */
	wg_peer_remove(&cur, c);
	expect("peer_missing", &want, &cur, 1, "set=1\npublic_key=" K2
	    "\nprotocol_version=1\nendpoint=[2001:db8::2]:20001\n"
	    "persistent_keepalive_interval=25\nallowed_ip=fe80::/64\n"
	    "allowed_ip=::/0\nallowed_ip=0.0.0.0/0\n\n");
	wg_device_clear(&cur);
	build(&cur);
	wgtest_peer(&cur, 4, "10.0.0.0/8", NULL);
	expect("peer_extra_removed", &want, &cur, 1, "set=1\npublic_key=" K4
	    "\nremove=true\n\n");

	/* a fresh device: everything */
	wg_device_clear(&cur);
	wg_device_init(&cur, "dn42_4242420001");
	expect("fresh_device", &want, &cur, 3, "set=1\nprivate_key="
	    "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f"
	    "\nlisten_port=20001\npublic_key=" K2 "\nprotocol_version=1\n"
	    "endpoint=[2001:db8::2]:20001\npersistent_keepalive_interval=25\n"
	    "allowed_ip=fe80::/64\nallowed_ip=::/0\nallowed_ip=0.0.0.0/0\n\n");
	wg_device_clear(&cur);
	wg_device_clear(&want);
}

static void
test_addrs(void)
{
	struct rtnl_addr	want[3], cur[3], add[3], del[3];
	size_t			nadd, ndel;
	int			n;

	rtnl_addr_from_str(&want[0], 5, "fe80::998:101:4:1/64");
	rtnl_addr_from_str(&want[1], 5, "172.20.1.1/32");
	rtnl_addr_from_str(&want[2], 5, "fd00:4242::1/128");
	memcpy(cur, want, sizeof(cur));
	/* flags and scope as the kernel reports them do not matter */
	cur[0].flags = 0x80;
	cur[0].scope = 253;
	n = wg_diff_addrs(want, 3, cur, 3, add, &nadd, del, &ndel);
	REGRESS_CHECK("addrs_equal", n == 0 && nadd == 0 && ndel == 0);

	/* ip link set down dropped the IPv6 ones; a kernel fe80:: came */
	rtnl_addr_from_str(&cur[0], 5, "172.20.1.1/32");
	rtnl_addr_from_str(&cur[1], 5, "fe80::1234:5678/64");
	n = wg_diff_addrs(want, 3, cur, 2, add, &nadd, del, &ndel);
	REGRESS_CHECK("addrs_add_del", n == 3 && nadd == 2 && ndel == 1 &&
	    rtnl_addr_eq(&add[0], &want[0]) &&
	    rtnl_addr_eq(&add[1], &want[2]) &&
	    rtnl_addr_eq(&del[0], &cur[1]));

	/* another prefix length is another address */
	rtnl_addr_from_str(&cur[0], 5, "172.20.1.1/24");
	n = wg_diff_addrs(want + 1, 1, cur, 1, add, &nadd, del, &ndel);
	REGRESS_CHECK("addrs_prefixlen", n == 2 && nadd == 1 && ndel == 1);

	REGRESS_CHECK("addr_bad", rtnl_addr_from_str(&cur[0], 5,
	    "172.20.1.1/33") == -1 && rtnl_addr_from_str(&cur[0], 5,
	    "fe80::1 /64") == -1 && rtnl_addr_from_str(&cur[0], 5,
	    "fe80::g/64") == -1);
}

static void
test_link(void)
{
	struct rtnl_link	l;
	uint32_t		mtu;
	int			up;

	memset(&l, 0, sizeof(l));
	l.mtu = 1420;
	l.flags = IFF_UP;
	REGRESS_CHECK("link_equal", wg_diff_link(1420, 1, &l, &mtu, &up) == 0 &&
	    mtu == 0 && up == -1);
	REGRESS_CHECK("link_mtu_only", wg_diff_link(1280, 1, &l, &mtu,
	    &up) == 1 && mtu == 1280 && up == -1);
	REGRESS_CHECK("link_down_only", wg_diff_link(1420, 0, &l, &mtu,
	    &up) == 1 && mtu == 0 && up == 0);
	l.flags = 0;
	REGRESS_CHECK("link_up_only", wg_diff_link(1420, 1, &l, &mtu,
	    &up) == 1 && mtu == 0 && up == 1);
	REGRESS_CHECK("link_dont_care", wg_diff_link(0, -1, &l, &mtu,
	    &up) == 0);
}

int
main(int argc, char *argv[])
{
	wgtest_init(argv[0]);
	test_device();
	test_addrs();
	test_link();
	REGRESS_EXIT();
}
