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

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/wireguard.h>

#include <errno.h>
#include <limits.h>
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wgctl/key.h"
#include "wgctl/wg.h"
#include "wgctl/wg_genl.h"
#include "regress/regress.h"
#include "regress/wg/wgtest.h"

#define FAMILY		0x1d	/* any id: the kernel here has none */
#define STREAM_MAX	(256 * 1024)

/* What the emit callback saw. */
struct capture {
	FILE	*fp;		/* hexdump text */
	char	*text;
	size_t	 textlen;
	uint8_t	 stream[STREAM_MAX];	/* messages turned into a GET reply */
	size_t	 len;
	int	 n;
	int	 bad;		/* a rule of the split broken */
	int	 continued;	/* peers continued from a message */
	int	 have_last;
	uint8_t	 last_key[32];
	char	 why[128];
};

static void	cap_open(struct capture *);
static void	cap_close(struct capture *);
static int	emit(const struct nlmsghdr *, void *);
static void	check_msg(struct capture *, const struct nlmsghdr *);
static void	cap_done(struct capture *, int);
static void	build_basic(struct wg_device *);
static void	build_big(struct wg_device *, int, int);
static int	same(const struct wg_device *, const struct wg_device *);
static void	test_golden(void);
static void	test_split(void);
static void	test_get_stats(void);
static void	test_get_bad(void);
static void	test_family(void);

static void
cap_open(struct capture *c)
{
	memset(c, 0, sizeof(*c));
	c->fp = open_memstream(&c->text, &c->textlen);
}

static void
cap_close(struct capture *c)
{
	fclose(c->fp);
	free(c->text);
}

static int
emit(const struct nlmsghdr *nlh, void *arg)
{
	struct capture	*c = arg;
	struct nlmsghdr	*copy;

	fprintf(c->fp, "message %d: %u bytes\n", c->n, nlh->nlmsg_len);
	wgtest_hexdump(c->fp, nlh, nlh->nlmsg_len);
	check_msg(c, nlh);
	if (c->len + nlh->nlmsg_len > sizeof(c->stream))
		return -1;
	/* the same attributes, dressed as a part of a GET dump reply */
	copy = (struct nlmsghdr *)(c->stream + c->len);
	memcpy(copy, nlh, nlh->nlmsg_len);
	copy->nlmsg_flags = NLM_F_MULTI;
	copy->nlmsg_seq = 100;
	((struct genlmsghdr *)mnl_nlmsg_get_payload(copy))->cmd =
	    WG_CMD_GET_DEVICE;
	c->len += MNL_ALIGN(nlh->nlmsg_len);
	c->n++;
	return 0;
}

/*
 * The split rules: device fields and flags only in the first message;
 * a peer continued from the previous message carries its public key
 * and allowed IPs and nothing else.
 */
static void
check_msg(struct capture *c, const struct nlmsghdr *nlh)
{
	const struct nlattr	*a, *p, *pa, *key;
	int			 t, first = c->n == 0, i;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		t = mnl_attr_get_type(a);
		if (!first && (t == WGDEVICE_A_PRIVATE_KEY ||
		    t == WGDEVICE_A_LISTEN_PORT || t == WGDEVICE_A_FWMARK ||
		    t == WGDEVICE_A_FLAGS)) {
			c->bad = 1;
			snprintf(c->why, sizeof(c->why),
			    "device attribute %d in message %d", t, c->n);
		}
		if (t != WGDEVICE_A_PEERS)
			continue;
		i = 0;
		mnl_attr_for_each_nested(p, a) {
			key = NULL;
			mnl_attr_for_each_nested(pa, p)
				if (mnl_attr_get_type(pa) ==
				    WGPEER_A_PUBLIC_KEY)
					key = pa;
			if (key == NULL) {
				c->bad = 1;
				snprintf(c->why, sizeof(c->why),
				    "peer without key in message %d", c->n);
				continue;
			}
			/* the first peer continues the previous message's last */
			if (i++ == 0 && c->have_last && memcmp(c->last_key,
			    mnl_attr_get_payload(key), 32) == 0) {
				c->continued++;
				mnl_attr_for_each_nested(pa, p) {
					t = mnl_attr_get_type(pa);
					if (t == WGPEER_A_PUBLIC_KEY ||
					    t == WGPEER_A_ALLOWEDIPS)
						continue;
					c->bad = 1;
					snprintf(c->why, sizeof(c->why),
					    "continued peer has attribute %d "
					    "in message %d", t, c->n);
				}
			}
			memcpy(c->last_key, mnl_attr_get_payload(key), 32);
			c->have_last = 1;
		}
	}
	if (nlh->nlmsg_seq != (uint32_t)(100 + c->n)) {
		c->bad = 1;
		snprintf(c->why, sizeof(c->why), "seq %u in message %d",
		    nlh->nlmsg_seq, c->n);
	}
}

/* Ends the GET reply stream with NLMSG_DONE carrying err. */
static void
cap_done(struct capture *c, int err)
{
	struct nlmsghdr	*nlh;

	nlh = mnl_nlmsg_put_header(c->stream + c->len);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = 100;
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(int)), &err,
	    sizeof(err));
	c->len += nlh->nlmsg_len;
}

static void
build_basic(struct wg_device *dev)
{
	struct wg_peer	*p;

	wg_device_init(dev, "wg0");
	wgtest_key(dev->private_key, 1);
	dev->listen_port = 51820;
	dev->fwmark = 0x1234;
	dev->flags = WGDEV_HAS_PRIVATE_KEY | WGDEV_HAS_LISTEN_PORT |
	    WGDEV_HAS_FWMARK;
	p = wgtest_peer(dev, 2, "::/0,0.0.0.0/0,fe80::/64",
	    "[fd00:ab::2]:51820");
	wgtest_key(p->preshared_key, 3);
	p->keepalive = 25;
	p->flags |= WGPEER_HAS_PRESHARED_KEY | WGPEER_HAS_KEEPALIVE;
	p = wgtest_peer(dev, 4, "172.20.0.0/14", "192.0.2.7:20001");
	p->flags |= WGPEER_REPLACE_ALLOWEDIPS | WGPEER_UPDATE_ONLY;
	p = wgtest_peer(dev, 5, NULL, NULL);
	p->flags |= WGPEER_REMOVE;
}

/* npeers peers with naips allowed IPs each, half of them IPv6. */
static void
build_big(struct wg_device *dev, int npeers, int naips)
{
	struct wg_peer	*p;
	char		 s[64];
	int		 i, j;

	wg_device_init(dev, "dn42-wg-igp-12");
	wgtest_key(dev->private_key, 9);
	dev->listen_port = 51832;
	dev->flags = WGDEV_HAS_PRIVATE_KEY | WGDEV_HAS_LISTEN_PORT |
	    WGDEV_REPLACE_PEERS;
	for (i = 0; i < npeers; i++) {
		snprintf(s, sizeof(s), "[2001:db8::%d]:%d", i + 1, 51820 + i);
		p = wgtest_peer(dev, 10 + i, NULL, i % 2 ? s : NULL);
		p->keepalive = 25;
		p->flags |= WGPEER_HAS_KEEPALIVE | WGPEER_REPLACE_ALLOWEDIPS;
		for (j = 0; j < naips; j++) {
			if (j % 2)
				snprintf(s, sizeof(s), "fd%02x:%x::/48", i, j);
			else
				snprintf(s, sizeof(s), "10.%d.%d.0/24", i, j);
			wg_allowedip_parse(p, s);
		}
	}
}

/* Equal in everything SET carries. */
static int
same(const struct wg_device *a, const struct wg_device *b)
{
	char	*ta, *tb;
	size_t	 la, lb;
	FILE	*fa, *fb;
	int	 eq;

	fa = open_memstream(&ta, &la);
	fb = open_memstream(&tb, &lb);
	wgtest_dev_print(fa, a);
	wgtest_dev_print(fb, b);
	fclose(fa);
	fclose(fb);
	eq = la == lb && memcmp(ta, tb, la) == 0;
	if (!eq)
		printf("# want:\n%s# got:\n%s", ta, tb);
	free(ta);
	free(tb);
	return eq;
}

static void
test_golden(void)
{
	struct capture		*c;
	struct wg_device	 dev;
	int			 n;

	c = malloc(sizeof(*c));
	build_basic(&dev);
	cap_open(c);
	n = wg_genl_set_encode(&dev, FAMILY, 100, MNL_SOCKET_BUFFER_SIZE,
	    emit, c);
	fflush(c->fp);
	REGRESS_CHECK("set_basic_one_message", n == 1);
	REGRESS_CHECK("set_basic_golden",
	    wgtest_golden("genl_set_basic", c->text, c->textlen) == 0);
	cap_close(c);
	wg_device_clear(&dev);

	/* 3 peers of 6 allowed IPs in 200-byte messages */
	build_big(&dev, 3, 6);
	cap_open(c);
	n = wg_genl_set_encode(&dev, FAMILY, 100, 200, emit, c);
	fflush(c->fp);
	if (n < 4)
		REGRESS_FAIL("set_chunked_count", "%d messages", n);
	else
		REGRESS_OK("set_chunked_count");
	REGRESS_CHECK("set_chunked_rules", !c->bad && c->continued > 0);
	REGRESS_CHECK("set_chunked_golden",
	    wgtest_golden("genl_set_chunked", c->text, c->textlen) == 0);
	cap_close(c);
	wg_device_clear(&dev);
	free(c);
}

/*
 * For many buffer sizes: every message fits, the rules hold, and the
 * messages read back as a GET reply give the device again, peers that
 * spanned messages coalesced.
 */
static void
test_split(void)
{
	struct capture		*c;
	struct wg_device	 dev, back;
	struct wg_peer		*p;
	struct nlmsghdr		*nlh;
	size_t			 bufsz, off;
	int			 n, rc, good = 1, spans = 0, eq = 1;

	c = malloc(sizeof(*c));
	build_big(&dev, 5, 60);
	for (bufsz = 180; bufsz <= 9000 && good; bufsz += 37) {
		cap_open(c);
		n = wg_genl_set_encode(&dev, FAMILY, 100, bufsz, emit, c);
		if (n <= 0 || c->bad) {
			printf("# bufsz %zu: n %d %s\n", bufsz, n, c->why);
			good = 0;
		}
		for (off = 0; off < c->len; off += MNL_ALIGN(nlh->nlmsg_len)) {
			nlh = (struct nlmsghdr *)(c->stream + off);
			if (nlh->nlmsg_len > bufsz)
				good = 0;
		}
		if (c->continued > 0)
			spans++;
		cap_done(c, 0);
		wg_device_init(&back, NULL);
		rc = wg_genl_get_parse(c->stream, c->len, 100, &back);
		/* what SET carries but GET does not report */
		back.flags |= WGDEV_REPLACE_PEERS;
		TAILQ_FOREACH(p, &back.peers, entry)
			p->flags |= WGPEER_REPLACE_ALLOWEDIPS;
		if (rc != MNL_CB_STOP || !same(&dev, &back)) {
			printf("# bufsz %zu: rc %d\n", bufsz, rc);
			eq = 0;
			good = 0;
		}
		wg_device_clear(&back);
		cap_close(c);
	}
	REGRESS_CHECK("split_all_sizes", good);
	REGRESS_CHECK("split_peers_spanned", spans > 10);
	REGRESS_CHECK("split_coalesced_equal", eq);

	/* too small to make progress: refused, not a loop */
	cap_open(c);
	n = wg_genl_set_encode(&dev, FAMILY, 100, 90, emit, c);
	REGRESS_CHECK("split_too_small", n == -1 && errno == EMSGSIZE);
	cap_close(c);
	wg_device_clear(&dev);
	free(c);
}

/* A reply as the kernel writes it: stats, public key, ifindex. */
static void
test_get_stats(void)
{
	struct wg_device	 dev;
	struct nlmsghdr		*nlh;
	struct nlattr		*peers, *peer, *aips, *aip;
	struct sockaddr_in	 sin;
	struct wg_peer		*p;
	uint8_t			 buf[2048], k[32];
	int64_t			 ts[2] = { 1700000000, 123456789 };
	struct in_addr		 in;
	size_t			 len;
	char			*t;
	FILE			*fp;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = FAMILY;
	nlh->nlmsg_flags = NLM_F_MULTI;
	nlh->nlmsg_seq = 7;
	((struct genlmsghdr *)mnl_nlmsg_put_extra_header(nlh,
	    sizeof(struct genlmsghdr)))->cmd = WG_CMD_GET_DEVICE;
	mnl_attr_put_u32(nlh, WGDEVICE_A_IFINDEX, 42);
	mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, "wg7");
	wgtest_key(k, 1);
	mnl_attr_put(nlh, WGDEVICE_A_PRIVATE_KEY, 32, k);
	key_public(k, k);
	mnl_attr_put(nlh, WGDEVICE_A_PUBLIC_KEY, 32, k);
	mnl_attr_put_u16(nlh, WGDEVICE_A_LISTEN_PORT, 51820);
	mnl_attr_put_u32(nlh, WGDEVICE_A_FWMARK, 0);
	peers = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	peer = mnl_attr_nest_start(nlh, 0);
	wgtest_key(k, 2);
	mnl_attr_put(nlh, WGPEER_A_PUBLIC_KEY, 32, k);
	memset(k, 0, sizeof(k));
	mnl_attr_put(nlh, WGPEER_A_PRESHARED_KEY, 32, k);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(4500);
	sin.sin_addr.s_addr = htonl(0xc0000207);
	mnl_attr_put(nlh, WGPEER_A_ENDPOINT, sizeof(sin), &sin);
	mnl_attr_put_u16(nlh, WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL, 0);
	mnl_attr_put(nlh, WGPEER_A_LAST_HANDSHAKE_TIME, sizeof(ts), ts);
	mnl_attr_put_u64(nlh, WGPEER_A_RX_BYTES, 1000000000000ULL);
	mnl_attr_put_u64(nlh, WGPEER_A_TX_BYTES, 5);
	mnl_attr_put_u32(nlh, WGPEER_A_PROTOCOL_VERSION, 1);
	aips = mnl_attr_nest_start(nlh, WGPEER_A_ALLOWEDIPS);
	aip = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u16(nlh, WGALLOWEDIP_A_FAMILY, AF_INET);
	in.s_addr = htonl(0x0a0000ff);	/* host bits set: masked */
	mnl_attr_put(nlh, WGALLOWEDIP_A_IPADDR, 4, &in);
	mnl_attr_put_u8(nlh, WGALLOWEDIP_A_CIDR_MASK, 8);
	mnl_attr_nest_end(nlh, aip);
	mnl_attr_nest_end(nlh, aips);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, peers);
	len = nlh->nlmsg_len;

	wg_device_init(&dev, NULL);
	REGRESS_CHECK("get_stats_more", wg_genl_get_parse(buf, len, 7, &dev) ==
	    MNL_CB_OK);
	nlh = mnl_nlmsg_put_header(buf + MNL_ALIGN(len));
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_seq = 7;
	memset(mnl_nlmsg_put_extra_header(nlh, sizeof(int)), 0, sizeof(int));
	REGRESS_CHECK("get_stats_done", wg_genl_get_parse(nlh,
	    nlh->nlmsg_len, 7, &dev) == MNL_CB_STOP);
	fp = open_memstream(&t, &len);
	wgtest_dev_print(fp, &dev);
	fclose(fp);
	REGRESS_CHECK("get_stats_golden", wgtest_golden("genl_get_stats", t,
	    len) == 0);
	free(t);
	p = TAILQ_FIRST(&dev.peers);
	REGRESS_CHECK("get_stats_values", dev.ifindex == 42 &&
	    p != NULL && p->stats.rx_bytes == 1000000000000ULL &&
	    p->stats.last_handshake.tv_nsec == 123456789 &&
	    !(p->flags & WGPEER_HAS_PRESHARED_KEY));
	wg_device_clear(&dev);
}

static void
test_get_bad(void)
{
	struct wg_device	 dev;
	struct nlmsghdr		*nlh;
	struct nlattr		*peers, *peer, *aips, *aip;
	uint8_t			 buf[1024], k[32];
	struct nlmsgerr		*nle;
	int			 err = -ENODEV, rc;

	/* an IPv4 allowed IP with 16 address bytes */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = FAMILY;
	nlh->nlmsg_seq = 7;
	((struct genlmsghdr *)mnl_nlmsg_put_extra_header(nlh,
	    sizeof(struct genlmsghdr)))->cmd = WG_CMD_GET_DEVICE;
	peers = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	peer = mnl_attr_nest_start(nlh, 0);
	wgtest_key(k, 2);
	mnl_attr_put(nlh, WGPEER_A_PUBLIC_KEY, 32, k);
	aips = mnl_attr_nest_start(nlh, WGPEER_A_ALLOWEDIPS);
	aip = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u16(nlh, WGALLOWEDIP_A_FAMILY, AF_INET);
	mnl_attr_put(nlh, WGALLOWEDIP_A_IPADDR, 16, k);
	mnl_attr_put_u8(nlh, WGALLOWEDIP_A_CIDR_MASK, 8);
	mnl_attr_nest_end(nlh, aip);
	mnl_attr_nest_end(nlh, aips);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, peers);
	wg_device_init(&dev, NULL);
	rc = wg_genl_get_parse(buf, nlh->nlmsg_len, 7, &dev);
	REGRESS_CHECK("get_bad_allowedip", rc == -1 && errno == EBADMSG);
	wg_device_clear(&dev);

	/* a public key of 31 bytes */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = FAMILY;
	nlh->nlmsg_seq = 7;
	((struct genlmsghdr *)mnl_nlmsg_put_extra_header(nlh,
	    sizeof(struct genlmsghdr)))->cmd = WG_CMD_GET_DEVICE;
	peers = mnl_attr_nest_start(nlh, WGDEVICE_A_PEERS);
	peer = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put(nlh, WGPEER_A_PUBLIC_KEY, 31, k);
	mnl_attr_nest_end(nlh, peer);
	mnl_attr_nest_end(nlh, peers);
	wg_device_init(&dev, NULL);
	rc = wg_genl_get_parse(buf, nlh->nlmsg_len, 7, &dev);
	REGRESS_CHECK("get_bad_pubkey", rc == -1 && errno == EBADMSG);
	wg_device_clear(&dev);

	/* a dump that ended in an error */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_seq = 7;
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(int)), &err,
	    sizeof(err));
	wg_device_init(&dev, NULL);
	rc = wg_genl_get_parse(buf, nlh->nlmsg_len, 7, &dev);
	REGRESS_CHECK("get_done_error", rc == -1 && errno == ENODEV);

	/* a reply to another request */
	rc = wg_genl_get_parse(buf, nlh->nlmsg_len, 8, &dev);
	REGRESS_CHECK("get_wrong_seq", rc == -1 && errno == EPROTO);
	wg_device_clear(&dev);

	/*
	 * Error codes no kernel sends: INT_MIN, whose negation overflows,
	 * and a positive one.  Either is a protocol error, errno > 0.
	 */
	err = INT_MIN;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_seq = 7;
	memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(int)), &err,
	    sizeof(err));
	wg_device_init(&dev, NULL);
	errno = 0;
	rc = wg_genl_get_parse(buf, nlh->nlmsg_len, 7, &dev);
	REGRESS_CHECK("get_done_int_min", rc == -1 && errno == EPROTO);
	wg_device_clear(&dev);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = 7;
	nle = mnl_nlmsg_put_extra_header(nlh, sizeof(*nle));
	nle->error = INT_MIN;
	wg_device_init(&dev, NULL);
	errno = 0;
	rc = wg_genl_get_parse(buf, nlh->nlmsg_len, 7, &dev);
	REGRESS_CHECK("get_error_int_min", rc == -1 && errno == EPROTO);
	wg_device_clear(&dev);

	nle->error = -EBUSY;
	wg_device_init(&dev, NULL);
	rc = wg_genl_get_parse(buf, nlh->nlmsg_len, 7, &dev);
	REGRESS_CHECK("get_error_errno", rc == -1 && errno == EBUSY);
	wg_device_clear(&dev);

	REGRESS_CHECK("get_req_bad_name", wg_genl_get_req(buf, sizeof(buf),
	    FAMILY, 1, "0123456789abcdef") == NULL);
}

static void
test_family(void)
{
	struct mnl_socket	*nl;
	struct nlmsghdr		*nlh;
	uint8_t			 buf[512];
	uint16_t		 id = 0;
	char			*t;
	size_t			 len;
	FILE			*fp;
	int			 rc;

	fp = open_memstream(&t, &len);
	nlh = wg_genl_get_req(buf, sizeof(buf), FAMILY, 5, "wg0");
	fprintf(fp, "get_device wg0:\n");
	wgtest_hexdump(fp, nlh, nlh->nlmsg_len);
	nlh = genl_family_req(buf, sizeof(buf), 6, "wireguard");
	fprintf(fp, "getfamily wireguard:\n");
	wgtest_hexdump(fp, nlh, nlh->nlmsg_len);
	fclose(fp);
	REGRESS_CHECK("requests_golden", wgtest_golden("genl_requests", t,
	    len) == 0);
	free(t);

	/* a reply as nlctrl writes it */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_seq = 6;
	((struct genlmsghdr *)mnl_nlmsg_put_extra_header(nlh,
	    sizeof(struct genlmsghdr)))->cmd = CTRL_CMD_NEWFAMILY;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "wireguard");
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x23);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, 1);
	rc = genl_family_parse(buf, nlh->nlmsg_len, 6, &id);
	REGRESS_CHECK("family_parse", rc == MNL_CB_OK && id == 0x23);

	/* the real kernel: nlctrl resolves itself, wireguard is absent */
	if ((nl = mnl_socket_open(NETLINK_GENERIC)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		REGRESS_SKIP("family_kernel", "no generic netlink socket");
		return;
	}
	rc = genl_resolve(nl, "nlctrl", &id);
	REGRESS_CHECK("family_kernel_nlctrl", rc == 0 && id == GENL_ID_CTRL);
	rc = genl_resolve(nl, "wireguard", &id);
	if (rc == 0)
		REGRESS_SKIP("family_kernel_absent",
		    "this kernel has wireguard");
	else
		REGRESS_CHECK("family_kernel_absent", errno == ENOENT);
	mnl_socket_close(nl);
}

int
main(int argc, char *argv[])
{
	wgtest_init(argv[0]);
	test_golden();
	test_split();
	test_get_stats();
	test_get_bad();
	test_family();
	REGRESS_EXIT();
}
