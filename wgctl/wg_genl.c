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
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "key.h"
#include "log.h"
#include "wg.h"
#include "nlbuf.h"
#include "nlerr.h"
#include "wg_genl.h"

/* The kernel's own timespec on the wire: two 64-bit fields. */
struct wg_kts {
	int64_t		sec;
	int64_t		nsec;
};

struct get_ctx {
	struct wg_device	*dev;
};

static struct nlmsghdr	*genl_msg(void *, uint16_t, uint8_t, uint16_t,
			    uint32_t);
static int	family_attr_cb(const struct nlattr *, void *);
static int	family_msg_cb(const struct nlmsghdr *, void *);
static int	done_cb(const struct nlmsghdr *, void *);
static int	err_cb(const struct nlmsghdr *, void *);
static int	cb_run(const void *, size_t, uint32_t, mnl_cb_t, void *);
static int	put_ifname(struct nlmsghdr *, const struct wg_device *);
static int	get_msg_cb(const struct nlmsghdr *, void *);
static int	parse_peer(const struct nlattr *, struct wg_device *);
static int	parse_allowedip(const struct nlattr *, struct wg_peer *);
static int	parse_endpoint(const struct nlattr *, struct wg_peer *);
static int	send_ack_cb(const struct nlmsghdr *, void *);
static int	recv_run(struct mnl_socket *, uint32_t, mnl_cb_t, void *);

static struct nlmsghdr *
genl_msg(void *buf, uint16_t type, uint8_t cmd, uint16_t flags, uint32_t seq)
{
	struct nlmsghdr		*nlh;
	struct genlmsghdr	*g;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = WG_GENL_VERSION;
	return nlh;
}

struct nlmsghdr *
genl_family_req(void *buf, size_t len, uint32_t seq, const char *name)
{
	struct nlmsghdr	*nlh;

	if (len < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)) +
	    MNL_ATTR_HDRLEN + MNL_ALIGN(GENL_NAMSIZ)) {
		errno = ENOSPC;
		return NULL;
	}
	if (strnlen(name, GENL_NAMSIZ) >= GENL_NAMSIZ) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	nlh = genl_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
	    NLM_F_REQUEST | NLM_F_ACK, seq);
	((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	return nlh;
}

static int
family_attr_cb(const struct nlattr *a, void *arg)
{
	uint16_t	*id = arg;

	if (mnl_attr_get_type(a) != CTRL_ATTR_FAMILY_ID)
		return MNL_CB_OK;
	if (mnl_attr_validate(a, MNL_TYPE_U16) == -1)
		return MNL_CB_ERROR;
	*id = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int
family_msg_cb(const struct nlmsghdr *nlh, void *arg)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb,
	    arg);
}

/* A dump's NLMSG_DONE carries the error that cut it short, if any. */
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

/*
 * mnl_cb_run with our NLMSG_DONE handler.  Returns MNL_CB_OK when more
 * is to come, MNL_CB_STOP at the end, -1 with errno on error.
 */
static int
cb_run(const void *buf, size_t len, uint32_t seq, mnl_cb_t cb, void *arg)
{
	mnl_cb_t	ctl[NLMSG_MIN_TYPE];

	if (nl_buf_check(buf, len) == -1)
		return MNL_CB_ERROR;
	memset(ctl, 0, sizeof(ctl));
	ctl[NLMSG_DONE] = done_cb;
	ctl[NLMSG_ERROR] = err_cb;
	return mnl_cb_run2(buf, len, seq, 0, cb, arg, ctl, NLMSG_MIN_TYPE);
}

int
genl_family_parse(const void *buf, size_t len, uint32_t seq, uint16_t *id)
{
	return cb_run(buf, len, seq, family_msg_cb, id);
}

int
genl_resolve(struct mnl_socket *nl, const char *name, uint16_t *id)
{
	char		 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr	*nlh;
	uint32_t	 seq = time(NULL);

	*id = 0;
	if ((nlh = genl_family_req(buf, sizeof(buf), seq, name)) == NULL)
		return -1;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) == -1)
		return -1;
	if (recv_run(nl, seq, family_msg_cb, id) == -1)
		return -1;
	if (*id == 0) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

static int
put_ifname(struct nlmsghdr *nlh, const struct wg_device *dev)
{
	if (dev->ifname[0] != '\0')
		mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, dev->ifname);
	else if (dev->ifindex != 0)
		mnl_attr_put_u32(nlh, WGDEVICE_A_IFINDEX, dev->ifindex);
	else {
		errno = ENODEV;
		return -1;
	}
	return 0;
}

/*
 * Builds WG_CMD_SET_DEVICE messages of at most bufsz bytes each, as
 * wireguard-tools does: the device fields and the replace flags go only
 * into the first message, each peer's flags, key, endpoint and
 * keepalive only into the message where the peer starts; a peer whose
 * allowed IPs overflow is repeated in the next message with only its
 * public key and the allowed IPs left.  Returns the number of messages,
 * or -1 (EMSGSIZE when bufsz cannot hold even one step).
 */
int
wg_genl_set_encode(const struct wg_device *dev, uint16_t family,
    uint32_t seq, size_t bufsz, wg_genl_emit_t emit, void *arg)
{
	struct nlmsghdr			*nlh;
	struct nlattr			*peers_nest, *peer_nest;
	struct nlattr			*aips_nest, *aip_nest;
	struct sockaddr_in		 sin;
	struct sockaddr_in6		 sin6;
	const struct wg_peer		*peer = NULL, *start_peer;
	const struct wg_allowedip	*aip = NULL, *start_aip;
	char				*buf;
	uint32_t			 flags;
	size_t				 alen;
	int				 n = 0, first = 1, rc = -1;

	if (bufsz < MNL_NLMSG_HDRLEN + 64 || (buf = malloc(bufsz)) == NULL) {
		if (bufsz < MNL_NLMSG_HDRLEN + 64)
			errno = EMSGSIZE;
		return -1;
	}
	for (;;) {
		memset(buf, 0, bufsz);
		nlh = genl_msg(buf, family, WG_CMD_SET_DEVICE,
		    NLM_F_REQUEST | NLM_F_ACK, seq + n);
		if (put_ifname(nlh, dev) == -1)
			goto out;
		start_peer = peer;
		start_aip = aip;
		if (first) {
			/* Checked before each write: the buffer may be small. */
			flags = 0;
			if (dev->flags & WGDEV_REPLACE_PEERS)
				flags |= WGDEVICE_F_REPLACE_PEERS;
			if (((dev->flags & WGDEV_HAS_PRIVATE_KEY) &&
			    !mnl_attr_put_check(nlh, bufsz,
			    WGDEVICE_A_PRIVATE_KEY, WG_KEY_LEN,
			    dev->private_key)) ||
			    ((dev->flags & WGDEV_HAS_LISTEN_PORT) &&
			    !mnl_attr_put_u16_check(nlh, bufsz,
			    WGDEVICE_A_LISTEN_PORT, dev->listen_port)) ||
			    ((dev->flags & WGDEV_HAS_FWMARK) &&
			    !mnl_attr_put_u32_check(nlh, bufsz,
			    WGDEVICE_A_FWMARK, dev->fwmark)) ||
			    (flags != 0 && !mnl_attr_put_u32_check(nlh, bufsz,
			    WGDEVICE_A_FLAGS, flags))) {
				errno = EMSGSIZE;
				goto out;
			}
			peer = TAILQ_FIRST(&dev->peers);
		}
		if (peer == NULL)
			goto send;

		peers_nest = peer_nest = aips_nest = aip_nest = NULL;
		if ((peers_nest = mnl_attr_nest_start_check(nlh, bufsz,
		    WGDEVICE_A_PEERS)) == NULL)
			goto send;
		for (; peer != NULL; peer = TAILQ_NEXT(peer, entry)) {
			if ((peer_nest = mnl_attr_nest_start_check(nlh, bufsz,
			    0)) == NULL)
				goto toobig_peers;
			if (!mnl_attr_put_check(nlh, bufsz, WGPEER_A_PUBLIC_KEY,
			    WG_KEY_LEN, peer->public_key))
				goto toobig_peers;
			if (aip == NULL) {
				flags = 0;
				if (peer->flags & WGPEER_REMOVE)
					flags |= WGPEER_F_REMOVE_ME;
				if (peer->flags & WGPEER_REPLACE_ALLOWEDIPS)
					flags |= WGPEER_F_REPLACE_ALLOWEDIPS;
				if (peer->flags & WGPEER_UPDATE_ONLY)
					flags |= WGPEER_F_UPDATE_ONLY;
				if (flags != 0 && !mnl_attr_put_u32_check(nlh,
				    bufsz, WGPEER_A_FLAGS, flags))
					goto toobig_peers;
				if ((peer->flags & WGPEER_HAS_PRESHARED_KEY) &&
				    !mnl_attr_put_check(nlh, bufsz,
				    WGPEER_A_PRESHARED_KEY, WG_KEY_LEN,
				    peer->preshared_key))
					goto toobig_peers;
				if ((peer->flags & WGPEER_HAS_ENDPOINT) &&
				    peer->endpoint.ss_family == AF_INET) {
					memcpy(&sin, &peer->endpoint,
					    sizeof(sin));
					if (!mnl_attr_put_check(nlh, bufsz,
					    WGPEER_A_ENDPOINT, sizeof(sin),
					    &sin))
						goto toobig_peers;
				} else if ((peer->flags &
				    WGPEER_HAS_ENDPOINT) &&
				    peer->endpoint.ss_family == AF_INET6) {
					memcpy(&sin6, &peer->endpoint,
					    sizeof(sin6));
					if (!mnl_attr_put_check(nlh, bufsz,
					    WGPEER_A_ENDPOINT, sizeof(sin6),
					    &sin6))
						goto toobig_peers;
				}
				if ((peer->flags & WGPEER_HAS_KEEPALIVE) &&
				    !mnl_attr_put_u16_check(nlh, bufsz,
				    WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL,
				    peer->keepalive))
					goto toobig_peers;
			}
			if (!(peer->flags & WGPEER_REMOVE) &&
			    !TAILQ_EMPTY(&peer->allowedips)) {
				if (aip == NULL)
					aip = TAILQ_FIRST(&peer->allowedips);
				if ((aips_nest = mnl_attr_nest_start_check(nlh,
				    bufsz, WGPEER_A_ALLOWEDIPS)) == NULL)
					goto toobig_aips;
				for (; aip != NULL;
				    aip = TAILQ_NEXT(aip, entry)) {
					alen = aip->family == AF_INET ?
					    sizeof(struct in_addr) :
					    sizeof(struct in6_addr);
					if ((aip_nest =
					    mnl_attr_nest_start_check(nlh,
					    bufsz, 0)) == NULL ||
					    !mnl_attr_put_u16_check(nlh, bufsz,
					    WGALLOWEDIP_A_FAMILY,
					    aip->family) ||
					    !mnl_attr_put_check(nlh, bufsz,
					    WGALLOWEDIP_A_IPADDR, alen,
					    &aip->addr) ||
					    !mnl_attr_put_u8_check(nlh, bufsz,
					    WGALLOWEDIP_A_CIDR_MASK, aip->cidr))
						goto toobig_aips;
					mnl_attr_nest_end(nlh, aip_nest);
					aip_nest = NULL;
				}
				mnl_attr_nest_end(nlh, aips_nest);
				aips_nest = NULL;
			}
			mnl_attr_nest_end(nlh, peer_nest);
			peer_nest = NULL;
		}
		mnl_attr_nest_end(nlh, peers_nest);
		goto send;

 toobig_aips:
		if (aip_nest != NULL)
			mnl_attr_nest_cancel(nlh, aip_nest);
		if (aips_nest != NULL)
			mnl_attr_nest_end(nlh, aips_nest);
		mnl_attr_nest_end(nlh, peer_nest);
		mnl_attr_nest_end(nlh, peers_nest);
		goto send;
 toobig_peers:
		if (peer_nest != NULL)
			mnl_attr_nest_cancel(nlh, peer_nest);
		mnl_attr_nest_end(nlh, peers_nest);
 send:
		/* a continuation that carried nothing new would loop */
		if (!first && peer == start_peer && aip == start_aip) {
			errno = EMSGSIZE;
			goto out;
		}
		n++;
		first = 0;
		if (emit(nlh, arg) != 0)
			goto out;
		if (peer == NULL)
			break;
	}
	rc = n;
 out:
	freezero(buf, bufsz);
	return rc;
}

struct nlmsghdr *
wg_genl_get_req(void *buf, size_t len, uint16_t family, uint32_t seq,
    const char *ifname)
{
	struct nlmsghdr	*nlh;

	if (len < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)) +
	    MNL_ATTR_HDRLEN + MNL_ALIGN(IFNAMSIZ)) {
		errno = ENOSPC;
		return NULL;
	}
	if (*ifname == '\0' || strnlen(ifname, IFNAMSIZ) >= IFNAMSIZ) {
		errno = EINVAL;
		return NULL;
	}
	nlh = genl_msg(buf, family, WG_CMD_GET_DEVICE,
	    NLM_F_REQUEST | NLM_F_DUMP, seq);
	mnl_attr_put_strz(nlh, WGDEVICE_A_IFNAME, ifname);
	return nlh;
}

static int
parse_endpoint(const struct nlattr *a, struct wg_peer *p)
{
	struct sockaddr_in	sin;
	struct sockaddr_in6	sin6;
	size_t			len = mnl_attr_get_payload_len(a);

	if (len == sizeof(sin)) {
		memcpy(&sin, mnl_attr_get_payload(a), sizeof(sin));
		if (sin.sin_family != AF_INET)
			return -1;
		memset(&p->endpoint, 0, sizeof(p->endpoint));
		memcpy(&p->endpoint, &sin, sizeof(sin));
	} else if (len == sizeof(sin6)) {
		memcpy(&sin6, mnl_attr_get_payload(a), sizeof(sin6));
		if (sin6.sin6_family != AF_INET6)
			return -1;
		memset(&p->endpoint, 0, sizeof(p->endpoint));
		memcpy(&p->endpoint, &sin6, sizeof(sin6));
	} else
		return -1;
	p->flags |= WGPEER_HAS_ENDPOINT;
	return 0;
}

static int
parse_allowedip(const struct nlattr *nest, struct wg_peer *p)
{
	const struct nlattr	*a;
	const void		*addr = NULL;
	size_t			 alen = 0;
	int			 family = -1, cidr = -1;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case WGALLOWEDIP_A_FAMILY:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == -1)
				return -1;
			family = mnl_attr_get_u16(a);
			break;
		case WGALLOWEDIP_A_IPADDR:
			addr = mnl_attr_get_payload(a);
			alen = mnl_attr_get_payload_len(a);
			break;
		case WGALLOWEDIP_A_CIDR_MASK:
			if (mnl_attr_validate(a, MNL_TYPE_U8) == -1)
				return -1;
			cidr = mnl_attr_get_u8(a);
			break;
		}
	}
	if (addr == NULL || cidr == -1 ||
	    !((family == AF_INET && alen == sizeof(struct in_addr)) ||
	    (family == AF_INET6 && alen == sizeof(struct in6_addr))))
		return -1;
	return wg_allowedip_add(p, family, addr, cidr);
}

/*
 * A peer whose public key equals the last one parsed continues it: the
 * kernel splits a long allowed-IPs list over several messages.
 */
static int
parse_peer(const struct nlattr *nest, struct wg_device *dev)
{
	const struct nlattr	*a, *key = NULL, *aip;
	struct wg_peer		*p;
	struct wg_kts		 ts;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == WGPEER_A_PUBLIC_KEY)
			key = a;
	if (key == NULL || mnl_attr_get_payload_len(key) != WG_KEY_LEN)
		return -1;
	p = TAILQ_LAST(&dev->peers, wg_peers);
	if (p == NULL || memcmp(p->public_key, mnl_attr_get_payload(key),
	    WG_KEY_LEN) != 0)
		if ((p = wg_peer_add(dev, mnl_attr_get_payload(key))) == NULL)
			return -1;

	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case WGPEER_A_PRESHARED_KEY:
			if (mnl_attr_get_payload_len(a) != WG_KEY_LEN)
				return -1;
			memcpy(p->preshared_key, mnl_attr_get_payload(a),
			    WG_KEY_LEN);
			if (!key_is_zero(p->preshared_key))
				p->flags |= WGPEER_HAS_PRESHARED_KEY;
			break;
		case WGPEER_A_ENDPOINT:
			if (parse_endpoint(a, p) == -1)
				return -1;
			break;
		case WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == -1)
				return -1;
			p->keepalive = mnl_attr_get_u16(a);
			p->flags |= WGPEER_HAS_KEEPALIVE;
			break;
		case WGPEER_A_LAST_HANDSHAKE_TIME:
			if (mnl_attr_get_payload_len(a) != sizeof(ts))
				return -1;
			memcpy(&ts, mnl_attr_get_payload(a), sizeof(ts));
			p->stats.last_handshake.tv_sec = ts.sec;
			p->stats.last_handshake.tv_nsec = ts.nsec;
			break;
		case WGPEER_A_RX_BYTES:
			if (mnl_attr_validate(a, MNL_TYPE_U64) == -1)
				return -1;
			p->stats.rx_bytes = mnl_attr_get_u64(a);
			break;
		case WGPEER_A_TX_BYTES:
			if (mnl_attr_validate(a, MNL_TYPE_U64) == -1)
				return -1;
			p->stats.tx_bytes = mnl_attr_get_u64(a);
			break;
		case WGPEER_A_ALLOWEDIPS:
			if (mnl_attr_validate(a, MNL_TYPE_NESTED) == -1)
				return -1;
			mnl_attr_for_each_nested(aip, a)
				if (parse_allowedip(aip, p) == -1)
					return -1;
			break;
		}
	}
	return 0;
}

static int
get_msg_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct get_ctx		*ctx = arg;
	struct wg_device	*dev = ctx->dev;
	const struct genlmsghdr	*g;
	const struct nlattr	*a, *p;
	size_t			 len;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*g))
		goto bad;
	g = mnl_nlmsg_get_payload(nlh);
	if (g->cmd != WG_CMD_GET_DEVICE)
		goto bad;
	mnl_attr_for_each(a, nlh, sizeof(*g)) {
		switch (mnl_attr_get_type(a)) {
		case WGDEVICE_A_IFINDEX:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == -1)
				goto bad;
			dev->ifindex = mnl_attr_get_u32(a);
			break;
		case WGDEVICE_A_IFNAME:
			len = mnl_attr_get_payload_len(a);
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == -1 ||
			    len > sizeof(dev->ifname))
				goto bad;
			strlcpy(dev->ifname, mnl_attr_get_str(a),
			    sizeof(dev->ifname));
			break;
		case WGDEVICE_A_PRIVATE_KEY:
			if (mnl_attr_get_payload_len(a) != WG_KEY_LEN)
				goto bad;
			memcpy(dev->private_key, mnl_attr_get_payload(a),
			    WG_KEY_LEN);
			if (!key_is_zero(dev->private_key))
				dev->flags |= WGDEV_HAS_PRIVATE_KEY;
			break;
		case WGDEVICE_A_PUBLIC_KEY:
			if (mnl_attr_get_payload_len(a) != WG_KEY_LEN)
				goto bad;
			memcpy(dev->public_key, mnl_attr_get_payload(a),
			    WG_KEY_LEN);
			if (!key_is_zero(dev->public_key))
				dev->flags |= WGDEV_HAS_PUBLIC_KEY;
			break;
		case WGDEVICE_A_LISTEN_PORT:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == -1)
				goto bad;
			dev->listen_port = mnl_attr_get_u16(a);
			dev->flags |= WGDEV_HAS_LISTEN_PORT;
			break;
		case WGDEVICE_A_FWMARK:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == -1)
				goto bad;
			dev->fwmark = mnl_attr_get_u32(a);
			dev->flags |= WGDEV_HAS_FWMARK;
			break;
		case WGDEVICE_A_PEERS:
			if (mnl_attr_validate(a, MNL_TYPE_NESTED) == -1)
				goto bad;
			mnl_attr_for_each_nested(p, a)
				if (parse_peer(p, dev) == -1)
					goto bad;
			break;
		}
	}
	return MNL_CB_OK;
 bad:
	if (errno != E2BIG && errno != ENOMEM)
		errno = EBADMSG;
	return MNL_CB_ERROR;
}

/*
 * Feeds one chunk of the reply stream into dev, which accumulates
 * across calls.  MNL_CB_OK: more to come; MNL_CB_STOP: done; -1: error.
 */
int
wg_genl_get_parse(const void *buf, size_t len, uint32_t seq,
    struct wg_device *dev)
{
	struct get_ctx	ctx;

	ctx.dev = dev;
	return cb_run(buf, len, seq, get_msg_cb, &ctx);
}

static int
send_ack_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct mnl_socket	*nl = arg;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) == -1)
		return -1;
	return recv_run(nl, nlh->nlmsg_seq, NULL, NULL) == -1 ? -1 : 0;
}

/* Reads replies to seq until the ack, NLMSG_DONE or an error. */
static int
recv_run(struct mnl_socket *nl, uint32_t seq, mnl_cb_t cb, void *arg)
{
	char	buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t	n;
	int	rc;

	for (;;) {
		if ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) == -1)
			return -1;
		rc = cb_run(buf, n, seq, cb, arg);
		if (rc <= MNL_CB_STOP) {
			explicit_bzero(buf, sizeof(buf));
			return rc == MNL_CB_STOP ? 0 : -1;
		}
	}
}

int
wg_genl_set(struct mnl_socket *nl, uint16_t family,
    const struct wg_device *dev)
{
	return wg_genl_set_encode(dev, family, time(NULL),
	    MNL_SOCKET_BUFFER_SIZE, send_ack_cb, nl) == -1 ? -1 : 0;
}

int
wg_genl_get(struct mnl_socket *nl, uint16_t family, const char *ifname,
    struct wg_device *dev)
{
	char		 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr	*nlh;
	struct get_ctx	 ctx;
	uint32_t	 seq = time(NULL);
	ssize_t		 n;
	int		 rc;

	if ((nlh = wg_genl_get_req(buf, sizeof(buf), family, seq,
	    ifname)) == NULL)
		return -1;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) == -1)
		return -1;
	ctx.dev = dev;
	for (;;) {
		if ((n = mnl_socket_recvfrom(nl, buf, sizeof(buf))) == -1)
			return -1;
		rc = cb_run(buf, n, seq, get_msg_cb, &ctx);
		if (rc <= MNL_CB_STOP)
			break;
	}
	/* the reply held the private key */
	explicit_bzero(buf, sizeof(buf));
	return rc == MNL_CB_STOP ? 0 : -1;
}
