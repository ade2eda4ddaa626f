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
 * libFuzzer harness for what the kernel and wireguard-go answer: UAPI
 * "get=1" replies and errno lines (wg_uapi.c), generic netlink family
 * and device replies (wg_genl.c), rtnetlink link and address dumps and
 * batch acks (rtnl.c).  The netlink calls run whole, receive loops and
 * NLMSG_DONE/NLMSG_ERROR handlers included: this file stands in for
 * libmnl's socket calls, and what they receive is the input.  A device
 * read back is encoded again as the next sync would (UAPI "set=1",
 * netlink SET_DEVICE split at a buffer size the input picks).
 *
 * Input: one byte choosing the call, then datagrams, each a 16-bit
 * little-endian length and its bytes (the UAPI calls take the rest as
 * one text).
 */

#include <sys/types.h>

#include <arpa/inet.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wgctl/rtnl.h"
#include "wgctl/wg.h"
#include "wgctl/wg_genl.h"
#include "wgctl/wg_uapi.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const uint8_t	*in;
static size_t		 inlen;

/* The harness's netlink "socket": sends vanish, receives read the input. */
ssize_t
mnl_socket_sendto(const struct mnl_socket *nl, const void *buf, size_t len)
{
	return len;
}

ssize_t
mnl_socket_recvfrom(const struct mnl_socket *nl, void *buf, size_t bufsiz)
{
	size_t	 n;

	if (inlen < 2) {
		errno = EAGAIN;
		return -1;
	}
	n = in[0] | (size_t)in[1] << 8;
	in += 2;
	inlen -= 2;
	if (n > inlen)
		n = inlen;
	if (n > bufsiz)
		n = bufsiz;
	memcpy(buf, in, n);
	in += n;
	inlen -= n;
	return n;
}

unsigned int
mnl_socket_get_portid(const struct mnl_socket *nl)
{
	return 0;
}

static int
emit(const struct nlmsghdr *nlh, void *arg)
{
	size_t	*total = arg;

	if (nlh->nlmsg_len > 65536)
		abort();
	*total += nlh->nlmsg_len;
	return 0;
}

/* A device read back: encoded again, both ways, must not break. */
static void
reencode(struct wg_device *dev, size_t bufsz)
{
	char	*out;
	size_t	 len, total = 0;

	if (wg_uapi_set_encode(dev, &out, &len) == 0) {
		if (strlen(out) != len)
			abort();
		wg_uapi_free(out, len);
	}
	wg_genl_set_encode(dev, 21, 1, bufsz, emit, &total);
}

static int
link_cb(const struct rtnl_link *l, void *arg)
{
	if (strnlen(l->ifname, sizeof(l->ifname)) == sizeof(l->ifname) ||
	    strnlen(l->kind, sizeof(l->kind)) == sizeof(l->kind))
		abort();
	return 0;
}

static int
addr_cb(const struct rtnl_addr *a, void *arg)
{
	char	 buf[INET6_ADDRSTRLEN + 8];

	if (rtnl_addr_fmt(a, buf, sizeof(buf)) == 0 &&
	    strnlen(buf, sizeof(buf)) == sizeof(buf))
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mnl_socket	*nl = (struct mnl_socket *)&in;
	struct wg_device	 dev;
	struct rtnl_batch	 b;
	struct rtnl_link	 l;
	struct rtnl_addr	 a;
	uint16_t		 id;
	int			 err, errs[4];

	if (size < 2)
		return 0;
	in = data + 2;
	inlen = size - 2;
	wg_device_init(&dev, "wg0");
	switch (data[0] % 8) {
	case 0:
		if (wg_uapi_get_decode((const char *)in, inlen, &dev) == 0)
			reencode(&dev, 64 + data[1] * 16);
		break;
	case 1:
		wg_uapi_errno_parse((const char *)in, inlen, &err);
		break;
	case 2:
		genl_resolve(nl, "wireguard", &id);
		break;
	case 3:
		if (wg_genl_get(nl, 21, "wg0", &dev) == 0)
			reencode(&dev, 64 + data[1] * 16);
		break;
	case 4:
		rtnl_link_get(nl, "wg0", &l);
		break;
	case 5:
		rtnl_link_dump(nl, link_cb, NULL);
		break;
	case 6:
		rtnl_addr_dump(nl, data[1] & 1, addr_cb, NULL);
		break;
	default:
		rtnl_batch_init(&b, 1);
		rtnl_link_create(&b, "wg0", "wireguard");
		rtnl_link_set(&b, 7, 1420, 1);
		if (rtnl_addr_from_str(&a, 7, "fe80::1/64") == 0)
			rtnl_addr_change(&b, RTM_NEWADDR, &a);
		rtnl_link_addrgenmode_none(&b, 7);
		rtnl_batch_send(nl, &b, errs);
		break;
	}
	wg_device_clear(&dev);
	return 0;
}
