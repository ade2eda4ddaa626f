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

#ifndef MOENET_NFTMSG_H
#define MOENET_NFTMSG_H

/*
 * nf_tables messages: the chains and rules the kernel dumps, read into
 * what the firewall module needs, and the requests it sends.  No I/O
 * here: wgctl/nft.c talks to the kernel, the fuzzer feeds bytes.
 *
 * A rule is the agent's when its comment is exactly
 * "moenet-dn42-<port>", in either place a comment lives: the rule's
 * user data (nft's "comment") or an xt comment match (iptables-nft's
 * "-m comment").  That is also the previous agent's comment.
 */

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define NFT_NAME_LEN		256	/* NFT_TABLE_MAXNAMELEN */
#define NFT_COMMENT_PREFIX	"moenet-dn42-"

struct nlmsghdr;

struct nft_chain_info {
	uint8_t		 family;
	char		 table[NFT_NAME_LEN];
	char		 name[NFT_NAME_LEN];
	int		 base;		/* hooked */
	uint32_t	 hooknum;
	int		 has_policy;
	uint32_t	 policy;	/* NF_DROP, NF_ACCEPT */
};

struct nft_rule_info {
	uint8_t		 family;
	char		 table[NFT_NAME_LEN];
	char		 chain[NFT_NAME_LEN];
	uint64_t	 handle;
	uint16_t	 port;		/* 0: not the agent's */
};

int	nft_comment_port(const char *, size_t);
int	nft_parse_chain(const struct nlmsghdr *, struct nft_chain_info *);
int	nft_parse_rule(const struct nlmsghdr *, struct nft_rule_info *);
int	nft_parse_genid(const struct nlmsghdr *, uint32_t *);

/* Encoders: each returns the message length, or 0 if it does not fit. */
size_t	nft_put_batch(void *, size_t, uint16_t, uint32_t, uint32_t, int);
size_t	nft_put_rule_add(void *, size_t, uint32_t, uint8_t, const char *,
	    const char *, uint16_t, int);
size_t	nft_put_rule_del(void *, size_t, uint32_t, uint8_t, const char *,
	    const char *, uint64_t);
size_t	nft_put_dump(void *, size_t, uint16_t, uint32_t, uint8_t,
	    const char *, const char *);

#endif /* MOENET_NFTMSG_H */
