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
 * libFuzzer harness for the nf_tables reply parsers (wgctl/nftmsg.c):
 * the input is what a recv() of a dump could hold, any number of
 * netlink messages; each is read as a chain, a rule and a generation.
 * Names must come out terminated, a port of ours must be a real port
 * whose comment is exactly ours.  Then the rule encoder's output, with
 * a handle added, must read back as the port it was made for.
 */

#include <sys/types.h>

#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_tables.h>

#include "wgctl/nftmsg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_name(const char *s, size_t size)
{
	if (strnlen(s, size) == size)
		abort();
}

static void
roundtrip(uint16_t port, int xt)
{
	static char		 buf[4096];
	struct nft_rule_info	 r;
	struct nlmsghdr		*nlh = (struct nlmsghdr *)(void *)buf;

	if (nft_put_rule_add(buf, sizeof(buf), 1, 1, "filter", "INPUT", port,
	    xt) == 0)
		abort();
	mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(7));
	if (nft_parse_rule(nlh, &r) == -1 || r.port != port ||
	    r.handle != 7 || strcmp(r.table, "filter") != 0 ||
	    strcmp(r.chain, "INPUT") != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t		 buf[65536];
	const struct nlmsghdr	*nlh;
	struct nft_chain_info	 c;
	struct nft_rule_info	 r;
	char			 comment[32];
	uint32_t		 genid;
	int			 len, port;

	if (size > sizeof(buf))
		return 0;
	/* Aligned, as a receive buffer is. */
	memcpy(buf, data, size);
	len = (int)size;
	/* As mnl_cb_run() walks them: the length is checked before use. */
	for (nlh = (const struct nlmsghdr *)(void *)buf; mnl_nlmsg_ok(nlh, len);
	    nlh = mnl_nlmsg_next(nlh, &len)) {
		if (nlh->nlmsg_len > (uint32_t)len)
			break;
		if (nft_parse_chain(nlh, &c) == 0) {
			check_name(c.table, sizeof(c.table));
			check_name(c.name, sizeof(c.name));
		}
		if (nft_parse_rule(nlh, &r) == 0) {
			check_name(r.table, sizeof(r.table));
			check_name(r.chain, sizeof(r.chain));
			if (r.port != 0) {
				snprintf(comment, sizeof(comment),
				    NFT_COMMENT_PREFIX "%u", r.port);
				if (nft_comment_port(comment,
				    sizeof(comment)) != r.port)
					abort();
			}
		}
		(void)nft_parse_genid(nlh, &genid);
	}
	port = nft_comment_port((const char *)data, size);
	if (port < 0 || port > 65535)
		abort();
	if (size >= 3) {
		port = data[0] | data[1] << 8;
		if (port != 0)
			roundtrip(port, data[2] & 1);
	}
	return 0;
}
