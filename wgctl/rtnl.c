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

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/ip.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <stddef.h>
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "nlbuf.h"
#include "nlerr.h"
#include "rtnl.h"

/* Room every request must find before it is started. */
#define RTNL_MSG_MAX	256

struct ack_ctx {
	struct rtnl_batch	*b;
	int			*errs;
	uint32_t		 acked;
	int			 first_err;
};

struct dump_ctx {
	rtnl_link_cb_t		 link_cb;
	rtnl_addr_cb_t		 addr_cb;
	rtnl_msg_cb_t		 msg_cb;
	void			*arg;
	uint32_t		 ifindex;
	int			 stop;
	int			 err;		/* msg_cb's errno */
};

static struct nlmsghdr	*batch_msg(struct rtnl_batch *, uint16_t,
			    uint16_t);
static int	batch_done(struct rtnl_batch *);
static int	ack_cb(const struct nlmsghdr *, void *);
static int	done_cb(const struct nlmsghdr *, void *);
static int	err_cb(const struct nlmsghdr *, void *);
static int	link_attr_cb(const struct nlattr *, void *);
static int	dump_msg_cb(const struct nlmsghdr *, void *);
static int	dump_run(struct mnl_socket *, struct nlmsghdr *,
		    struct dump_ctx *);
static int	get_link_cb(const struct rtnl_link *, void *);

/*
 * No mnl_nlmsg_batch: it is malloc'd at every start and the batches
 * are started again and again, never stopped.
 */
void
rtnl_batch_init(struct rtnl_batch *b, uint32_t seq)
{
	memset(b->buf, 0, sizeof(b->buf));
	b->len = 0;
	b->seq = seq;
	b->n = 0;
}

const void *
rtnl_batch_data(struct rtnl_batch *b, size_t *len)
{
	*len = b->len;
	return b->buf;
}

/* NULL with ENOBUFS when full: send the batch and start another. */
static struct nlmsghdr *
batch_msg(struct rtnl_batch *b, uint16_t type, uint16_t flags)
{
	struct nlmsghdr	*nlh;

	if (b->n >= RTNL_BATCH_MAX || b->len + RTNL_MSG_MAX > RTNL_BATCH_SIZE) {
		errno = ENOBUFS;
		return NULL;
	}
	nlh = mnl_nlmsg_put_header(b->buf + b->len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = b->seq + b->n;
	return nlh;
}

static int
batch_done(struct rtnl_batch *b)
{
	const struct nlmsghdr	*nlh = (const struct nlmsghdr *)(b->buf +
				    b->len);

	b->len += NLMSG_ALIGN(nlh->nlmsg_len);
	b->n++;
	return 0;
}

int
rtnl_link_create(struct rtnl_batch *b, const char *ifname, const char *kind)
{
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;
	struct nlattr		*nest;

	if (*ifname == '\0' || strnlen(ifname, IFNAMSIZ) >= IFNAMSIZ ||
	    *kind == '\0' || strnlen(kind, RTNL_KIND_LEN) >= RTNL_KIND_LEN) {
		errno = EINVAL;
		return -1;
	}
	if ((nlh = batch_msg(b, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL)) ==
	    NULL)
		return -1;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
	mnl_attr_nest_end(nlh, nest);
	return batch_done(b);
}

int
rtnl_link_delete(struct rtnl_batch *b, uint32_t ifindex, const char *ifname)
{
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;

	if (ifindex == 0 && (ifname == NULL || *ifname == '\0' ||
	    strnlen(ifname, IFNAMSIZ) >= IFNAMSIZ)) {
		errno = EINVAL;
		return -1;
	}
	if ((nlh = batch_msg(b, RTM_DELLINK, 0)) == NULL)
		return -1;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (ifindex == 0)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	return batch_done(b);
}

/* mtu 0 leaves the MTU; up -1 leaves the state, 0 down, 1 up. */
int
rtnl_link_set(struct rtnl_batch *b, uint32_t ifindex, uint32_t mtu, int up)
{
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;

	if (ifindex == 0 || up < -1 || up > 1 || (mtu != 0 && mtu < 68)) {
		errno = EINVAL;
		return -1;
	}
	if ((nlh = batch_msg(b, RTM_NEWLINK, 0)) == NULL)
		return -1;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (up != -1) {
		ifi->ifi_change = IFF_UP;
		ifi->ifi_flags = up ? IFF_UP : 0;
	}
	if (mtu != 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return batch_done(b);
}

/*
 * Without this the kernel gives the tunnel a random fe80:: address when
 * it comes up, which BIRD may then pick as its source.
 */
int
rtnl_link_addrgenmode_none(struct rtnl_batch *b, uint32_t ifindex)
{
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;
	struct nlattr		*spec, *af;

	if (ifindex == 0) {
		errno = EINVAL;
		return -1;
	}
	if ((nlh = batch_msg(b, RTM_NEWLINK, 0)) == NULL)
		return -1;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	af = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, af);
	mnl_attr_nest_end(nlh, spec);
	return batch_done(b);
}

/*
 * RTM_NEWADDR or RTM_DELADDR.  IPv6 addresses skip duplicate address
 * detection: a tunnel has one peer, and DAD would delay the address.
 */
int
rtnl_addr_change(struct rtnl_batch *b, int cmd, const struct rtnl_addr *a)
{
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;
	size_t			 alen;
	uint16_t		 flags = 0;

	if ((cmd != RTM_NEWADDR && cmd != RTM_DELADDR) || a->ifindex == 0) {
		errno = EINVAL;
		return -1;
	}
	if (a->family == AF_INET && a->prefixlen <= 32)
		alen = sizeof(struct in_addr);
	else if (a->family == AF_INET6 && a->prefixlen <= 128)
		alen = sizeof(struct in6_addr);
	else {
		errno = EINVAL;
		return -1;
	}
	if (cmd == RTM_NEWADDR)
		flags = NLM_F_CREATE | NLM_F_REPLACE;
	if ((nlh = batch_msg(b, cmd, flags)) == NULL)
		return -1;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = a->family;
	ifa->ifa_prefixlen = a->prefixlen;
	ifa->ifa_index = a->ifindex;
	if (a->family == AF_INET6 && cmd == RTM_NEWADDR)
		ifa->ifa_flags = IFA_F_NODAD;
	mnl_attr_put(nlh, IFA_LOCAL, alen, &a->local);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, a->has_peer ? &a->peer :
	    &a->local);
	return batch_done(b);
}

static int
ack_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct ack_ctx		*ctx = arg;
	const struct nlmsgerr	*e;
	uint32_t		 idx;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	e = mnl_nlmsg_get_payload(nlh);
	idx = nlh->nlmsg_seq - ctx->b->seq;
	if (idx >= ctx->b->n)
		return MNL_CB_OK;	/* not ours: a stale reply */
	if (ctx->errs != NULL)
		ctx->errs[idx] = nl_errno(e->error);
	if (e->error != 0 && ctx->first_err == 0)
		ctx->first_err = nl_errno(e->error);
	ctx->acked++;
	return MNL_CB_OK;
}

/*
 * Sends the whole batch in one write and collects one ack per request.
 * errs, if not NULL, has room for b->n results (0 or an errno).
 * Returns 0 when every request succeeded, else -1 with errno of the
 * first failure.  The batch is empty afterwards.
 */
int
rtnl_batch_send(struct mnl_socket *nl, struct rtnl_batch *b, int *errs)
{
	char		 buf[MNL_SOCKET_BUFFER_SIZE];
	mnl_cb_t	 ctl[NLMSG_MIN_TYPE];
	struct ack_ctx	 ctx;
	const void	*data;
	size_t		 len;
	ssize_t		 n;
	int		 rc = 0;

	if (b->n == 0)
		return 0;
	memset(&ctx, 0, sizeof(ctx));
	ctx.b = b;
	ctx.errs = errs;
	memset(ctl, 0, sizeof(ctl));
	ctl[NLMSG_ERROR] = ack_cb;
	data = rtnl_batch_data(b, &len);
	if (mnl_socket_sendto(nl, data, len) == -1)
		rc = -1;
	while (rc == 0 && ctx.acked < b->n) {
		if ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) == -1 ||
		    nl_buf_check(buf, n) == -1 ||
		    mnl_cb_run2(buf, n, 0, mnl_socket_get_portid(nl), NULL,
		    &ctx, ctl, NLMSG_MIN_TYPE) == MNL_CB_ERROR)
			rc = -1;
	}
	rtnl_batch_init(b, b->seq + b->n);
	if (rc == 0 && ctx.first_err != 0) {
		errno = ctx.first_err;
		rc = -1;
	}
	return rc;
}

/*
 * A dump request: ifinfomsg, ifaddrmsg and rtmsg all begin with their
 * address family, the only field a dump of them sets.
 */
_Static_assert(offsetof(struct ifinfomsg, ifi_family) == 0 &&
    offsetof(struct ifaddrmsg, ifa_family) == 0 &&
    offsetof(struct rtmsg, rtm_family) == 0, "family first");
static struct nlmsghdr *
dump_req(void *buf, size_t len, uint32_t seq, uint16_t type, size_t hdrlen,
    int family)
{
	struct nlmsghdr	*nlh;
	uint8_t		*fam;

	if (len < MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen)) {
		errno = ENOSPC;
		return NULL;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	fam = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	*fam = family;
	return nlh;
}

struct nlmsghdr *
rtnl_link_dump_req(void *buf, size_t len, uint32_t seq)
{
	return dump_req(buf, len, seq, RTM_GETLINK, sizeof(struct ifinfomsg),
	    AF_UNSPEC);
}

struct nlmsghdr *
rtnl_addr_dump_req(void *buf, size_t len, uint32_t seq, int family)
{
	return dump_req(buf, len, seq, RTM_GETADDR, sizeof(struct ifaddrmsg),
	    family);
}

struct nlmsghdr *
rtnl_route_dump_req(void *buf, size_t len, uint32_t seq, int family)
{
	return dump_req(buf, len, seq, RTM_GETROUTE, sizeof(struct rtmsg),
	    family);
}


/*
 * The link's IPv4 settings come with it, an array of u32 indexed by
 * IPV4_DEVCONF_* - 1: rp_filter is read here rather than from /proc
 * on every apply.
 */
static void
link_inet_conf(const struct nlattr *af, struct rtnl_link *l)
{
	const struct nlattr	*c;
	uint32_t		 v;

	mnl_attr_for_each_nested(c, af) {
		if (mnl_attr_get_type(c) != IFLA_INET_CONF ||
		    mnl_attr_get_payload_len(c) <
		    IPV4_DEVCONF_RP_FILTER * sizeof(uint32_t))
			continue;
		memcpy(&v, (const char *)mnl_attr_get_payload(c) +
		    (IPV4_DEVCONF_RP_FILTER - 1) * sizeof(uint32_t),
		    sizeof(v));
		l->rp_filter = v;
		l->has_rp_filter = 1;
	}
}
static int
link_attr_cb(const struct nlattr *a, void *arg)
{
	struct rtnl_link	*l = arg;
	const struct nlattr	*i, *g;
	size_t			 len;

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		len = mnl_attr_get_payload_len(a);
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == -1 ||
		    len > sizeof(l->ifname))
			return MNL_CB_ERROR;
		strlcpy(l->ifname, mnl_attr_get_str(a), sizeof(l->ifname));
		break;
	case IFLA_MTU:
		if (mnl_attr_validate(a, MNL_TYPE_U32) == -1)
			return MNL_CB_ERROR;
		l->mtu = mnl_attr_get_u32(a);
		break;
	case IFLA_OPERSTATE:
		if (mnl_attr_validate(a, MNL_TYPE_U8) == -1)
			return MNL_CB_ERROR;
		l->operstate = mnl_attr_get_u8(a);
		break;
	case IFLA_AF_SPEC:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) == -1)
			return MNL_CB_ERROR;
		mnl_attr_for_each_nested(i, a) {
			if (mnl_attr_get_type(i) == AF_INET) {
				link_inet_conf(i, l);
				continue;
			}
			if (mnl_attr_get_type(i) != AF_INET6)
				continue;
			mnl_attr_for_each_nested(g, i) {
				if (mnl_attr_get_type(g) !=
				    IFLA_INET6_ADDR_GEN_MODE)
					continue;
				if (mnl_attr_validate(g, MNL_TYPE_U8) == -1)
					return MNL_CB_ERROR;
				l->addrgenmode = mnl_attr_get_u8(g);
				l->has_addrgenmode = 1;
			}
		}
		break;
	case IFLA_LINKINFO:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) == -1)
			return MNL_CB_ERROR;
		mnl_attr_for_each_nested(i, a) {
			if (mnl_attr_get_type(i) != IFLA_INFO_KIND)
				continue;
			/* the kind is not always NUL-terminated */
			len = mnl_attr_get_payload_len(i);
			if (len >= sizeof(l->kind))
				return MNL_CB_ERROR;
			memcpy(l->kind, mnl_attr_get_payload(i), len);
			l->kind[len] = '\0';
		}
		break;
	}
	return MNL_CB_OK;
}

int
rtnl_link_parse(const struct nlmsghdr *nlh, struct rtnl_link *l)
{
	const struct ifinfomsg	*ifi;

	memset(l, 0, sizeof(*l));
	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi)) {
		errno = EBADMSG;
		return -1;
	}
	ifi = mnl_nlmsg_get_payload(nlh);
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	if (mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, l) !=
	    MNL_CB_OK || l->ifname[0] == '\0') {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

int
rtnl_addr_parse(const struct nlmsghdr *nlh, struct rtnl_addr *ra)
{
	const struct ifaddrmsg	*ifa;
	const struct nlattr	*a, *address = NULL, *local = NULL;
	size_t			 alen;

	memset(ra, 0, sizeof(*ra));
	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		goto bad;
	ifa = mnl_nlmsg_get_payload(nlh);
	ra->family = ifa->ifa_family;
	ra->prefixlen = ifa->ifa_prefixlen;
	ra->scope = ifa->ifa_scope;
	ra->flags = ifa->ifa_flags;
	ra->ifindex = ifa->ifa_index;
	if (ra->family == AF_INET)
		alen = sizeof(struct in_addr);
	else if (ra->family == AF_INET6)
		alen = sizeof(struct in6_addr);
	else
		goto bad;
	mnl_attr_for_each(a, nlh, sizeof(*ifa)) {
		switch (mnl_attr_get_type(a)) {
		case IFA_ADDRESS:
			address = a;
			break;
		case IFA_LOCAL:
			local = a;
			break;
		case IFA_FLAGS:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == -1)
				goto bad;
			ra->flags = mnl_attr_get_u32(a);
			break;
		}
	}
	if ((address != NULL && mnl_attr_get_payload_len(address) != alen) ||
	    (local != NULL && mnl_attr_get_payload_len(local) != alen))
		goto bad;
	/* IFA_LOCAL is ours; IFA_ADDRESS is the peer when they differ. */
	if (local == NULL)
		local = address;
	if (local == NULL)
		goto bad;
	memcpy(&ra->local, mnl_attr_get_payload(local), alen);
	if (address != NULL && memcmp(mnl_attr_get_payload(address),
	    mnl_attr_get_payload(local), alen) != 0) {
		memcpy(&ra->peer, mnl_attr_get_payload(address), alen);
		ra->has_peer = 1;
	}
	return 0;
 bad:
	errno = EBADMSG;
	return -1;
}

static int
done_cb(const struct nlmsghdr *nlh, void *arg)
{
	int	err;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		if (err < 0) {
			errno = nl_errno(err);
			return MNL_CB_ERROR;
		}
	}
	return MNL_CB_STOP;
}

/* An ack ends the exchange; an error ends it with errno set. */
static int
err_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlmsgerr	*e;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	e = mnl_nlmsg_get_payload(nlh);
	if (e->error != 0) {
		errno = nl_errno(e->error);
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int
dump_msg_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_ctx		*ctx = arg;
	struct rtnl_link	 l;
	struct rtnl_addr	 a;

	/* keep reading to the end even after the callback said stop */
	if (ctx->stop)
		return MNL_CB_OK;
	if (ctx->msg_cb != NULL) {
		/* Read on to the end: the socket serves the next dump. */
		if (ctx->msg_cb(nlh, ctx->arg) == -1) {
			ctx->err = errno != 0 ? errno : EIO;
			ctx->stop = 1;
		}
	} else if (ctx->link_cb != NULL) {
		if (rtnl_link_parse(nlh, &l) == -1)
			return MNL_CB_ERROR;
		if (ctx->link_cb(&l, ctx->arg) != 0)
			ctx->stop = 1;
	} else {
		if (rtnl_addr_parse(nlh, &a) == -1)
			return MNL_CB_ERROR;
		if (ctx->ifindex != 0 && a.ifindex != ctx->ifindex)
			return MNL_CB_OK;
		if (ctx->addr_cb(&a, ctx->arg) != 0)
			ctx->stop = 1;
	}
	return MNL_CB_OK;
}

static int
dump_run(struct mnl_socket *nl, struct nlmsghdr *nlh, struct dump_ctx *ctx)
{
	char		buf[MNL_SOCKET_BUFFER_SIZE];
	mnl_cb_t	ctl[NLMSG_MIN_TYPE];
	uint32_t	seq = nlh->nlmsg_seq;
	ssize_t		n;
	int		rc;

	memset(ctl, 0, sizeof(ctl));
	ctl[NLMSG_DONE] = done_cb;
	ctl[NLMSG_ERROR] = err_cb;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) == -1)
		return -1;
	for (;;) {
		if ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) == -1 ||
		    nl_buf_check(buf, n) == -1)
			return -1;
		rc = mnl_cb_run2(buf, n, seq, mnl_socket_get_portid(nl),
		    dump_msg_cb, ctx, ctl, NLMSG_MIN_TYPE);
		if (rc == MNL_CB_ERROR)
			return -1;
		if (rc == MNL_CB_STOP)
			return 0;
	}
}

/* Calls cb for every link; a non-zero return stops the calls. */
int
rtnl_link_dump(struct mnl_socket *nl, rtnl_link_cb_t cb, void *arg)
{
	char		 buf[64];
	struct nlmsghdr	*nlh;
	struct dump_ctx	 ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.link_cb = cb;
	ctx.arg = arg;
	if ((nlh = rtnl_link_dump_req(buf, sizeof(buf), time(NULL))) == NULL)
		return -1;
	return dump_run(nl, nlh, &ctx);
}

static int
get_link_cb(const struct rtnl_link *l, void *arg)
{
	struct rtnl_link	*want = arg;

	if (strcmp(l->ifname, want->ifname) != 0)
		return 0;
	*want = *l;
	return 1;
}

/*
 * Looks a link up by name: -1 with ENODEV when there is none.  One
 * RTM_GETLINK naming it, not a dump: a dump costs every link of the
 * router, and this runs once per tunnel per sync.
 */
int
rtnl_link_get(struct mnl_socket *nl, const char *ifname, struct rtnl_link *l)
{
	char			 buf[128];
	struct nlmsghdr		*nlh;
	struct ifinfomsg	*ifi;
	struct dump_ctx		 ctx;

	memset(l, 0, sizeof(*l));
	if (*ifname == '\0' ||
	    strlcpy(l->ifname, ifname, sizeof(l->ifname)) >=
	    sizeof(l->ifname)) {
		errno = EINVAL;
		return -1;
	}
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	/* the ack ends the exchange as NLMSG_DONE ends a dump */
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = time(NULL);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	memset(&ctx, 0, sizeof(ctx));
	ctx.link_cb = get_link_cb;
	ctx.arg = l;
	if (dump_run(nl, nlh, &ctx) == -1)
		return -1;	/* ENODEV from the kernel when absent */
	if (l->ifindex == 0) {
		errno = ENODEV;
		return -1;
	}
	return 0;
}

/*
 * The kernel filters a dump by the request's fields only when the
 * socket asks for strict checking (Linux 4.20): then an address dump
 * of one link costs that link, not every address of the router.
 * Without it the filter below still gives the right answer.
 */
int
rtnl_strict(struct mnl_socket *nl)
{
	int	one = 1;

	return mnl_socket_setsockopt(nl, NETLINK_GET_STRICT_CHK, &one,
	    sizeof(one));
}

/* Addresses of one link (ifindex), or of all (0). */
int
rtnl_addr_dump(struct mnl_socket *nl, uint32_t ifindex, rtnl_addr_cb_t cb,
    void *arg)
{
	char			 buf[64];
	struct nlmsghdr		*nlh;
	struct ifaddrmsg	*ifa;
	struct dump_ctx		 ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.addr_cb = cb;
	ctx.arg = arg;
	ctx.ifindex = ifindex;
	if ((nlh = rtnl_addr_dump_req(buf, sizeof(buf), time(NULL),
	    AF_UNSPEC)) == NULL)
		return -1;
	ifa = mnl_nlmsg_get_payload(nlh);
	ifa->ifa_index = ifindex;
	return dump_run(nl, nlh, &ctx);
}

/*
 * Any dump request: cb sees every message as it is, and a -1 from it
 * ends the dump with its errno.
 */
int
rtnl_dump(struct mnl_socket *nl, struct nlmsghdr *nlh, rtnl_msg_cb_t cb,
    void *arg)
{
	struct dump_ctx	 ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.msg_cb = cb;
	ctx.arg = arg;
	if (dump_run(nl, nlh, &ctx) == -1)
		return -1;
	if (ctx.err != 0) {
		errno = ctx.err;
		return -1;
	}
	return 0;
}

/* "fe80::1/64" or "192.0.2.1/32"; a bare address is a host prefix. */
int
rtnl_addr_from_str(struct rtnl_addr *a, uint32_t ifindex, const char *s)
{
	char		 buf[INET6_ADDRSTRLEN + 4], *slash;
	const char	*errstr;
	int		 max;

	memset(a, 0, sizeof(*a));
	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf) ||
	    strspn(buf, "0123456789abcdefABCDEF.:/") != strlen(buf))
		goto bad;
	a->family = strchr(buf, ':') != NULL ? AF_INET6 : AF_INET;
	max = a->family == AF_INET6 ? 128 : 32;
	a->prefixlen = max;
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		a->prefixlen = strtonum(slash, 0, max, &errstr);
		if (errstr != NULL)
			goto bad;
	}
	if (inet_pton(a->family, buf, &a->local) != 1)
		goto bad;
	a->ifindex = ifindex;
	return 0;
 bad:
	memset(a, 0, sizeof(*a));
	errno = EINVAL;
	return -1;
}

int
rtnl_addr_fmt(const struct rtnl_addr *a, char *buf, size_t len)
{
	char	s[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN];
	int	n;

	if (inet_ntop(a->family, &a->local, s, sizeof(s)) == NULL)
		return -1;
	if (a->has_peer) {
		if (inet_ntop(a->family, &a->peer, p, sizeof(p)) == NULL)
			return -1;
		n = snprintf(buf, len, "%s peer %s/%u", s, p, a->prefixlen);
	} else
		n = snprintf(buf, len, "%s/%u", s, a->prefixlen);
	if (n < 0 || (size_t)n >= len) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

/* Same address on the same link: flags and scope do not count. */
int
rtnl_addr_eq(const struct rtnl_addr *a, const struct rtnl_addr *b)
{
	size_t	alen;

	if (a->family != b->family || a->prefixlen != b->prefixlen ||
	    a->ifindex != b->ifindex || a->has_peer != b->has_peer)
		return 0;
	alen = a->family == AF_INET ? sizeof(struct in_addr) :
	    sizeof(struct in6_addr);
	if (memcmp(&a->local, &b->local, alen) != 0)
		return 0;
	return !a->has_peer || memcmp(&a->peer, &b->peer, alen) == 0;
}
