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
 * nf_tables messages in and out.  Replies are read defensively: every
 * attribute is checked against its type's size by libmnl before it is
 * used, names must be NUL-terminated within their attribute, and
 * anything unexpected makes a rule "not ours" rather than an error,
 * since a rule of someone else's must never be taken for one of ours.
 */

#include <sys/types.h>

#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>

#include <endian.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "wgctl/nftmsg.h"

#define XT_COMMENT_LEN		256	/* struct xt_comment_info */
#define UDATA_RULE_COMMENT	0	/* NFTNL_UDATA_RULE_COMMENT */

struct attrs {
	const struct nlattr	*tb[16];
};

static int	msg_ok(const struct nlmsghdr *, size_t);
static int	attr_cb(const struct nlattr *, void *);
static int	get_str(const struct nlattr *, char *, size_t);
static int	expr_comment_port(const struct nlattr *);
static int	udata_comment_port(const struct nlattr *);

/*
 * The caller read nlmsg_len bytes (mnl_nlmsg_ok).  That check takes a
 * length past INT_MAX for a negative one: refused here.
 */
static int
msg_ok(const struct nlmsghdr *nlh, size_t extra)
{
	return nlh->nlmsg_len <= INT_MAX &&
	    nlh->nlmsg_len >= mnl_nlmsg_size(extra);
}

/* Collects attributes by type; types past the table are skipped. */
static int
attr_cb(const struct nlattr *a, void *arg)
{
	struct attrs	*at = arg;
	uint16_t	 t = mnl_attr_get_type(a);

	if (t < sizeof(at->tb) / sizeof(at->tb[0]))
		at->tb[t] = a;
	return MNL_CB_OK;
}

static int
get_str(const struct nlattr *a, char *buf, size_t len)
{
	const char	*s;
	size_t		 n;

	if (a == NULL)
		return -1;
	s = mnl_attr_get_payload(a);
	n = mnl_attr_get_payload_len(a);
	if (n == 0 || memchr(s, '\0', n) == NULL || strlen(s) >= len)
		return -1;
	strlcpy(buf, s, len);
	return 0;
}

/* "moenet-dn42-<port>", port 1..65535 without leading zeros: the port. */
int
nft_comment_port(const char *s, size_t len)
{
	size_t		 plen = sizeof(NFT_COMMENT_PREFIX) - 1, i, n;
	unsigned long	 v = 0;

	if ((n = strnlen(s, len)) <= plen || n > plen + 5 ||
	    memcmp(s, NFT_COMMENT_PREFIX, plen) != 0 || s[plen] == '0')
		return 0;
	for (i = plen; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 65535 ? (int)v : 0;
}

int
nft_parse_chain(const struct nlmsghdr *nlh, struct nft_chain_info *c)
{
	const struct nfgenmsg	*g;
	struct attrs		 at, hk;

	memset(c, 0, sizeof(*c));
	memset(&at, 0, sizeof(at));
	if (!msg_ok(nlh, sizeof(*g)))
		return -1;
	g = mnl_nlmsg_get_payload(nlh);
	c->family = g->nfgen_family;
	if (mnl_attr_parse(nlh, sizeof(*g), attr_cb, &at) != MNL_CB_OK)
		return -1;
	if (get_str(at.tb[NFTA_CHAIN_TABLE], c->table, sizeof(c->table)) ==
	    -1 || get_str(at.tb[NFTA_CHAIN_NAME], c->name, sizeof(c->name)) ==
	    -1)
		return -1;
	if (at.tb[NFTA_CHAIN_POLICY] != NULL) {
		if (mnl_attr_validate(at.tb[NFTA_CHAIN_POLICY], MNL_TYPE_U32) <
		    0)
			return -1;
		c->has_policy = 1;
		c->policy = ntohl(mnl_attr_get_u32(at.tb[NFTA_CHAIN_POLICY]));
	}
	if (at.tb[NFTA_CHAIN_HOOK] != NULL) {
		memset(&hk, 0, sizeof(hk));
		if (mnl_attr_validate(at.tb[NFTA_CHAIN_HOOK], MNL_TYPE_NESTED) <
		    0 || mnl_attr_parse_nested(at.tb[NFTA_CHAIN_HOOK], attr_cb,
		    &hk) != MNL_CB_OK || hk.tb[NFTA_HOOK_HOOKNUM] == NULL ||
		    mnl_attr_validate(hk.tb[NFTA_HOOK_HOOKNUM], MNL_TYPE_U32) <
		    0)
			return -1;
		c->base = 1;
		c->hooknum = ntohl(mnl_attr_get_u32(hk.tb[NFTA_HOOK_HOOKNUM]));
	}
	return 0;
}

/* An xt "comment" match of ours in one expression: its port, or 0. */
static int
expr_comment_port(const struct nlattr *elem)
{
	struct attrs	 ex, m;
	char		 name[32];

	memset(&ex, 0, sizeof(ex));
	memset(&m, 0, sizeof(m));
	if (mnl_attr_get_type(elem) != NFTA_LIST_ELEM ||
	    mnl_attr_validate(elem, MNL_TYPE_NESTED) < 0 ||
	    mnl_attr_parse_nested(elem, attr_cb, &ex) != MNL_CB_OK ||
	    get_str(ex.tb[NFTA_EXPR_NAME], name, sizeof(name)) == -1 ||
	    strcmp(name, "match") != 0 || ex.tb[NFTA_EXPR_DATA] == NULL ||
	    mnl_attr_validate(ex.tb[NFTA_EXPR_DATA], MNL_TYPE_NESTED) < 0 ||
	    mnl_attr_parse_nested(ex.tb[NFTA_EXPR_DATA], attr_cb, &m) !=
	    MNL_CB_OK ||
	    get_str(m.tb[NFTA_MATCH_NAME], name, sizeof(name)) == -1 ||
	    strcmp(name, "comment") != 0 || m.tb[NFTA_MATCH_INFO] == NULL)
		return 0;
	return nft_comment_port(mnl_attr_get_payload(m.tb[NFTA_MATCH_INFO]),
	    mnl_attr_get_payload_len(m.tb[NFTA_MATCH_INFO]));
}

/* The comment in nft's user data TLVs (type, length, value). */
static int
udata_comment_port(const struct nlattr *a)
{
	const uint8_t	*p = mnl_attr_get_payload(a);
	size_t		 n = mnl_attr_get_payload_len(a), off = 0;

	while (off + 2 <= n) {
		if (off + 2 + p[off + 1] > n)
			return 0;
		if (p[off] == UDATA_RULE_COMMENT)
			return nft_comment_port((const char *)p + off + 2,
			    p[off + 1]);
		off += 2 + p[off + 1];
	}
	return 0;
}

int
nft_parse_rule(const struct nlmsghdr *nlh, struct nft_rule_info *r)
{
	const struct nfgenmsg	*g;
	const struct nlattr	*e;
	struct attrs		 at;
	int			 port = 0, p;

	memset(r, 0, sizeof(*r));
	memset(&at, 0, sizeof(at));
	if (!msg_ok(nlh, sizeof(*g)))
		return -1;
	g = mnl_nlmsg_get_payload(nlh);
	r->family = g->nfgen_family;
	if (mnl_attr_parse(nlh, sizeof(*g), attr_cb, &at) != MNL_CB_OK)
		return -1;
	if (get_str(at.tb[NFTA_RULE_TABLE], r->table, sizeof(r->table)) ==
	    -1 || get_str(at.tb[NFTA_RULE_CHAIN], r->chain,
	    sizeof(r->chain)) == -1 || at.tb[NFTA_RULE_HANDLE] == NULL ||
	    mnl_attr_validate(at.tb[NFTA_RULE_HANDLE], MNL_TYPE_U64) < 0)
		return -1;
	r->handle = be64toh(mnl_attr_get_u64(at.tb[NFTA_RULE_HANDLE]));
	if (at.tb[NFTA_RULE_USERDATA] != NULL)
		port = udata_comment_port(at.tb[NFTA_RULE_USERDATA]);
	if (at.tb[NFTA_RULE_EXPRESSIONS] != NULL &&
	    mnl_attr_validate(at.tb[NFTA_RULE_EXPRESSIONS],
	    MNL_TYPE_NESTED) == 0) {
		mnl_attr_for_each_nested(e, at.tb[NFTA_RULE_EXPRESSIONS]) {
			if ((p = expr_comment_port(e)) == 0)
				continue;
			/* Two comments that disagree: not ours to judge. */
			if (port != 0 && port != p)
				return 0;
			port = p;
		}
	}
	r->port = port;
	return 0;
}

int
nft_parse_genid(const struct nlmsghdr *nlh, uint32_t *genid)
{
	struct attrs	 at;

	memset(&at, 0, sizeof(at));
	if (!msg_ok(nlh, sizeof(struct nfgenmsg)) ||
	    mnl_attr_parse(nlh, sizeof(struct nfgenmsg), attr_cb, &at) !=
	    MNL_CB_OK || at.tb[NFTA_GEN_ID] == NULL ||
	    mnl_attr_validate(at.tb[NFTA_GEN_ID], MNL_TYPE_U32) < 0)
		return -1;
	*genid = ntohl(mnl_attr_get_u32(at.tb[NFTA_GEN_ID]));
	return 0;
}

/* Encoders. */

static struct nlmsghdr *
put_hdr(void *buf, size_t len, uint16_t type, uint16_t flags, uint32_t seq,
    uint8_t family, uint16_t res_id)
{
	struct nlmsghdr	*nlh;
	struct nfgenmsg	*g;

	if (len < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*g)))
		return NULL;
	memset(buf, 0, MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(*g)));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	g->res_id = htons(res_id);
	return nlh;
}

/* NFNL_MSG_BATCH_BEGIN or _END; a generation id makes the batch fail
 * with ERESTART when the ruleset changed since it was read. */
size_t
nft_put_batch(void *buf, size_t len, uint16_t type, uint32_t seq,
    uint32_t genid, int has_genid)
{
	struct nlmsghdr	*nlh;

	if ((nlh = put_hdr(buf, len, type, 0, seq, AF_UNSPEC,
	    NFNL_SUBSYS_NFTABLES)) == NULL)
		return 0;
	if (has_genid && !mnl_attr_put_u32_check(nlh, len, NFNL_BATCH_GENID,
	    htonl(genid)))
		return 0;
	return nlh->nlmsg_len;
}

#define NEST(nlh, len, t, n) \
	if (((n) = mnl_attr_nest_start_check((nlh), (len), (t))) == NULL) \
		return 0
#define PUT32(nlh, len, t, v) \
	if (!mnl_attr_put_u32_check((nlh), (len), (t), htonl(v))) \
		return 0

static int
put_cmp(struct nlmsghdr *nlh, size_t len, const void *v, size_t vlen)
{
	struct nlattr	*el, *d, *dv;

	if ((el = mnl_attr_nest_start_check(nlh, len, NFTA_LIST_ELEM)) ==
	    NULL || !mnl_attr_put_strz_check(nlh, len, NFTA_EXPR_NAME, "cmp") ||
	    (d = mnl_attr_nest_start_check(nlh, len, NFTA_EXPR_DATA)) == NULL ||
	    !mnl_attr_put_u32_check(nlh, len, NFTA_CMP_SREG,
	    htonl(NFT_REG_1)) ||
	    !mnl_attr_put_u32_check(nlh, len, NFTA_CMP_OP, htonl(NFT_CMP_EQ)) ||
	    (dv = mnl_attr_nest_start_check(nlh, len, NFTA_CMP_DATA)) == NULL ||
	    !mnl_attr_put_check(nlh, len, NFTA_DATA_VALUE, vlen, v))
		return -1;
	mnl_attr_nest_end(nlh, dv);
	mnl_attr_nest_end(nlh, d);
	mnl_attr_nest_end(nlh, el);
	return 0;
}

/*
 * "udp dport <port> counter accept" appended to the chain, with the
 * comment in the form the chain's owner writes: xt is iptables-nft's
 * (an xt comment match, what "iptables -m comment" puts there, so that
 * "iptables -S" lists it as its own), else nft's user data.
 */
size_t
nft_put_rule_add(void *buf, size_t len, uint32_t seq, uint8_t family,
    const char *table, const char *chain, uint16_t port, int xt)
{
	struct nlmsghdr	*nlh;
	struct nlattr	*exprs, *el, *d, *v, *vd;
	char		 comment[XT_COMMENT_LEN];
	uint8_t		 proto = IPPROTO_UDP, ud[2 + 32];
	uint16_t	 nport = htons(port);
	int		 n;

	memset(comment, 0, sizeof(comment));
	n = snprintf(comment, sizeof(comment), NFT_COMMENT_PREFIX "%u",
	    (unsigned int)port);
	if ((nlh = put_hdr(buf, len, (NFNL_SUBSYS_NFTABLES << 8) |
	    NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK, seq,
	    family, 0)) == NULL ||
	    !mnl_attr_put_strz_check(nlh, len, NFTA_RULE_TABLE, table) ||
	    !mnl_attr_put_strz_check(nlh, len, NFTA_RULE_CHAIN, chain))
		return 0;
	NEST(nlh, len, NFTA_RULE_EXPRESSIONS, exprs);

	NEST(nlh, len, NFTA_LIST_ELEM, el);
	if (!mnl_attr_put_strz_check(nlh, len, NFTA_EXPR_NAME, "meta"))
		return 0;
	NEST(nlh, len, NFTA_EXPR_DATA, d);
	PUT32(nlh, len, NFTA_META_DREG, NFT_REG_1);
	PUT32(nlh, len, NFTA_META_KEY, NFT_META_L4PROTO);
	mnl_attr_nest_end(nlh, d);
	mnl_attr_nest_end(nlh, el);
	if (put_cmp(nlh, len, &proto, sizeof(proto)) == -1)
		return 0;

	NEST(nlh, len, NFTA_LIST_ELEM, el);
	if (!mnl_attr_put_strz_check(nlh, len, NFTA_EXPR_NAME, "payload"))
		return 0;
	NEST(nlh, len, NFTA_EXPR_DATA, d);
	PUT32(nlh, len, NFTA_PAYLOAD_DREG, NFT_REG_1);
	PUT32(nlh, len, NFTA_PAYLOAD_BASE, NFT_PAYLOAD_TRANSPORT_HEADER);
	PUT32(nlh, len, NFTA_PAYLOAD_OFFSET, 2);
	PUT32(nlh, len, NFTA_PAYLOAD_LEN, 2);
	mnl_attr_nest_end(nlh, d);
	mnl_attr_nest_end(nlh, el);
	if (put_cmp(nlh, len, &nport, sizeof(nport)) == -1)
		return 0;

	if (xt) {
		NEST(nlh, len, NFTA_LIST_ELEM, el);
		if (!mnl_attr_put_strz_check(nlh, len, NFTA_EXPR_NAME,
		    "match"))
			return 0;
		NEST(nlh, len, NFTA_EXPR_DATA, d);
		if (!mnl_attr_put_strz_check(nlh, len, NFTA_MATCH_NAME,
		    "comment"))
			return 0;
		PUT32(nlh, len, NFTA_MATCH_REV, 0);
		if (!mnl_attr_put_check(nlh, len, NFTA_MATCH_INFO,
		    sizeof(comment), comment))
			return 0;
		mnl_attr_nest_end(nlh, d);
		mnl_attr_nest_end(nlh, el);
	}

	NEST(nlh, len, NFTA_LIST_ELEM, el);
	if (!mnl_attr_put_strz_check(nlh, len, NFTA_EXPR_NAME, "counter"))
		return 0;
	NEST(nlh, len, NFTA_EXPR_DATA, d);
	if (!mnl_attr_put_u64_check(nlh, len, NFTA_COUNTER_BYTES, 0) ||
	    !mnl_attr_put_u64_check(nlh, len, NFTA_COUNTER_PACKETS, 0))
		return 0;
	mnl_attr_nest_end(nlh, d);
	mnl_attr_nest_end(nlh, el);

	NEST(nlh, len, NFTA_LIST_ELEM, el);
	if (!mnl_attr_put_strz_check(nlh, len, NFTA_EXPR_NAME, "immediate"))
		return 0;
	NEST(nlh, len, NFTA_EXPR_DATA, d);
	PUT32(nlh, len, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	NEST(nlh, len, NFTA_IMMEDIATE_DATA, v);
	NEST(nlh, len, NFTA_DATA_VERDICT, vd);
	PUT32(nlh, len, NFTA_VERDICT_CODE, NF_ACCEPT);
	mnl_attr_nest_end(nlh, vd);
	mnl_attr_nest_end(nlh, v);
	mnl_attr_nest_end(nlh, d);
	mnl_attr_nest_end(nlh, el);
	mnl_attr_nest_end(nlh, exprs);

	if (!xt) {
		ud[0] = UDATA_RULE_COMMENT;
		ud[1] = n + 1;
		memcpy(ud + 2, comment, n + 1);
		if (!mnl_attr_put_check(nlh, len, NFTA_RULE_USERDATA, 2 + n + 1,
		    ud))
			return 0;
	}
	return nlh->nlmsg_len;
}

size_t
nft_put_rule_del(void *buf, size_t len, uint32_t seq, uint8_t family,
    const char *table, const char *chain, uint64_t handle)
{
	struct nlmsghdr	*nlh;

	if ((nlh = put_hdr(buf, len, (NFNL_SUBSYS_NFTABLES << 8) |
	    NFT_MSG_DELRULE, NLM_F_ACK, seq, family, 0)) == NULL ||
	    !mnl_attr_put_strz_check(nlh, len, NFTA_RULE_TABLE, table) ||
	    !mnl_attr_put_strz_check(nlh, len, NFTA_RULE_CHAIN, chain) ||
	    !mnl_attr_put_u64_check(nlh, len, NFTA_RULE_HANDLE,
	    htobe64(handle)))
		return 0;
	return nlh->nlmsg_len;
}

/* A GET: a dump unless it is NFT_MSG_GETGEN; rules of one chain. */
size_t
nft_put_dump(void *buf, size_t len, uint16_t msg, uint32_t seq,
    uint8_t family, const char *table, const char *chain)
{
	struct nlmsghdr	*nlh;

	if ((nlh = put_hdr(buf, len, (NFNL_SUBSYS_NFTABLES << 8) | msg,
	    msg == NFT_MSG_GETGEN ? 0 : NLM_F_DUMP, seq, family, 0)) == NULL)
		return 0;
	if (table != NULL && !mnl_attr_put_strz_check(nlh, len,
	    NFTA_RULE_TABLE, table))
		return 0;
	if (chain != NULL && !mnl_attr_put_strz_check(nlh, len,
	    NFTA_RULE_CHAIN, chain))
		return 0;
	return nlh->nlmsg_len;
}
