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
 * wgctl: tunnels over rtnetlink, generic netlink (kernel WireGuard) and
 * UAPI (userspace WireGuard, on a socket the parent connected).  Every
 * request is reconciled by diff: read what is there, send only what
 * differs, nothing when nothing does.  A failed request is answered
 * with what failed and the next one is served as usual.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <event.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>

#include "moenet.h"
#include "imsgev.h"
#include "proc.h"
#include "sandbox.h"
#include "wgmsg.h"
#include "fwmsg.h"
#include "wgctl/key.h"
#include "wgctl/nft.h"
#include "wgctl/pubaddr.h"
#include "wgctl/rtnl.h"
#include "wgctl/uapiconn.h"
#include "wgctl/wg.h"
#include "wgctl/wg_diff.h"
#include "wgctl/wg_genl.h"
#include "wgctl/wg_uapi.h"

#define WGCTL_CUR_ADDRS		64	/* addresses read back per link */

struct req_ctx {
	struct wgmsg_result	 res;
};

struct addr_set {
	struct rtnl_addr	 a[WGCTL_CUR_ADDRS];
	size_t			 n;
	int			 overflow;
};

static void	wgctl_dispatch_parent(int, short, void *);
static void	wgctl_sig(int, short, void *);
static __dead void wgctl_shutdown(void);
static void	wgctl_probe(uint32_t);
static void	wgctl_privkey(struct imsg *);
static void	wgctl_apply(struct imsg *);
static void	wgctl_remove(struct imsg *);
static void	wgctl_get(struct imsg *);
static void	wgctl_loopback(struct imsg *);
static void	wgctl_pubaddr(struct imsg *);
static void	wgctl_firewall(struct imsg *);
static int	pubaddr_find(int, union rtnl_ip *, int32_t *);
static int	pubaddr_route_cb(const struct nlmsghdr *, void *);
static int	pubaddr_addr_cb(const struct nlmsghdr *, void *);
static int	fail(struct req_ctx *, int, const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));
static int	ifname_ok(const char *, size_t);
static int	prefix_ok(const struct wgmsg_prefix *, int);
static void	prefix_to_rtnl(const struct wgmsg_prefix *, uint32_t,
		    struct rtnl_addr *);
static int	collect_addr(const struct rtnl_addr *, void *);
static int	addr_in(const struct rtnl_addr *, const struct rtnl_addr *,
		    size_t);
static int	apply_link(struct req_ctx *, const struct wgmsg_apply *);
static int	apply_wg(struct req_ctx *, const struct wgmsg_apply *, int,
		    struct wg_device *, int);
static int	wg_read(int, uint32_t, const char *, struct wg_device *);
static void	changes_of(const struct wg_device *, const struct wg_device *,
		    uint32_t *);
static void	req_init(struct req_ctx *);
static void	send_result(uint32_t, const struct req_ctx *);

static struct imsgev	 iev_parent;
static struct mnl_socket	*nl_route, *nl_genl;
static uint16_t			 genl_family;
static uint8_t			 privkey[WG_KEY_LEN];
static int			 have_privkey;

void
wgctl_main(const struct child_opts *o)
{
	struct sandbox_opts	 sb;

	proc_child_init(PROC_WGCTL, o);

	/* Netlink needs CAP_NET_ADMIN at send time, not at open. */
	if ((nl_route = mnl_socket_open(NETLINK_ROUTE)) == NULL)
		fatal("mnl_socket_open NETLINK_ROUTE");
	if (mnl_socket_bind(nl_route, 0, MNL_SOCKET_AUTOPID) == -1)
		fatal("mnl_socket_bind NETLINK_ROUTE");
	if (rtnl_strict(nl_route) == -1)
		log_debug("rtnetlink: no strict checking (%s): address dumps "
		    "filtered here", strerror(errno));
	if ((nl_genl = mnl_socket_open(NETLINK_GENERIC)) == NULL)
		fatal("mnl_socket_open NETLINK_GENERIC");
	if (mnl_socket_bind(nl_genl, 0, MNL_SOCKET_AUTOPID) == -1)
		fatal("mnl_socket_bind NETLINK_GENERIC");
	/* Without it the firewall answers every request with why. */
	if (nft_open() == -1)
		log_debug("NETLINK_NETFILTER: %s", strerror(errno));
	event_init();

	proc_child_setup(PROC_WGCTL, o, &sb);
	sandbox_apply(PROC_WGCTL, &sb);


	/* UAPI sockets come from the parent. */
	uapiconn_init();
	proc_child_ready(PROC_WGCTL, o, &iev_parent, wgctl_dispatch_parent,
	    wgctl_sig, 1);

	event_dispatch();
	wgctl_shutdown();
}

static void
wgctl_sig(int sig, short event, void *arg)
{
	wgctl_shutdown();
}

static __dead void
wgctl_shutdown(void)
{
	explicit_bzero(privkey, sizeof(privkey));
	imsgbuf_clear(&iev_parent.ibuf);
	close(PARENT_FD);
	log_debug("exiting");
	exit(0);
}

static void
wgctl_dispatch_parent(int fd, short event, void *arg)
{
	struct imsgev	*iev = arg;
	struct imsg	 imsg;
	ssize_t		 n;

	if (imsgev_io(iev, event) == -1)
		/* The parent is gone: shared fate. */
		wgctl_shutdown();

	for (;;) {
		if ((n = imsg_get(&iev->ibuf, &imsg)) == -1)
			fatal("%s: imsg_get", __func__);
		if (n == 0)
			break;
		if (proc_child_imsg(iev, &imsg)) {
			imsg_free(&imsg);
			continue;
		}
		switch (imsg_get_type(&imsg)) {
		case IMSG_WG_PROBE:
			if (imsg_get_len(&imsg) != 0)
				fatalx("%s: IMSG_WG_PROBE wrong length",
				    __func__);
			wgctl_probe(imsg_get_id(&imsg));
			break;
		case IMSG_WG_PRIVKEY:
			wgctl_privkey(&imsg);
			break;
		case IMSG_WG_APPLY:
			wgctl_apply(&imsg);
			break;
		case IMSG_WG_REMOVE:
			wgctl_remove(&imsg);
			break;
		case IMSG_WG_GET:
			wgctl_get(&imsg);
			break;
		case IMSG_WG_LOOPBACK:
			wgctl_loopback(&imsg);
			break;
		case IMSG_WG_PUBADDR:
			wgctl_pubaddr(&imsg);
			break;
		case IMSG_FW_PORTS:
			wgctl_firewall(&imsg);
			break;
		default:
			fatalx("%s: unexpected imsg %s", __func__,
			    imsg_type_name(imsg_get_type(&imsg)));
		}
		imsg_free(&imsg);
	}
	imsg_event_add(iev);
}

/* Note what failed, first failure wins.  Always returns -1. */
static int
fail(struct req_ctx *c, int err, const char *fmt, ...)
{
	va_list	 ap;

	if (c->res.err != 0)
		return -1;
	c->res.err = err != 0 ? err : EIO;
	va_start(ap, fmt);
	vsnprintf(c->res.msg, sizeof(c->res.msg), fmt, ap);
	va_end(ap);
	return -1;
}

static void
req_init(struct req_ctx *c)
{
	memset(c, 0, sizeof(*c));
	c->res.rp_filter = -1;		/* not read */
}

static void
send_result(uint32_t id, const struct req_ctx *c)
{
	if (c->res.err != 0)
		log_debug("request %u: %s", id, c->res.msg);
	imsg_compose_event(&iev_parent, IMSG_WG_RESULT, id, 0, -1, &c->res,
	    sizeof(c->res));
}

/* [A-Za-z0-9_.-], 1..15 bytes, NUL-terminated within len. */
static int
ifname_ok(const char *s, size_t len)
{
	return ifname_check(s, len) == NULL;
}

static int
prefix_ok(const struct wgmsg_prefix *p, int peer_ok)
{
	if (p->af == AF_INET)
		return p->plen <= 32 && (p->has_peer == 0 ||
		    (peer_ok && p->has_peer == 1));
	if (p->af == AF_INET6)
		return p->plen <= 128 && p->has_peer == 0;
	return 0;
}

static void
prefix_to_rtnl(const struct wgmsg_prefix *p, uint32_t ifindex,
    struct rtnl_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = p->af;
	a->prefixlen = p->plen;
	a->ifindex = ifindex;
	memcpy(&a->local, p->addr, p->af == AF_INET ? 4 : 16);
	if (p->has_peer) {
		a->has_peer = 1;
		memcpy(&a->peer, p->peer, 4);
	}
}

static int
collect_addr(const struct rtnl_addr *a, void *arg)
{
	struct addr_set	*as = arg;

	if (as->n < WGCTL_CUR_ADDRS)
		as->a[as->n++] = *a;
	else
		as->overflow = 1;
	return 0;
}

static int
addr_in(const struct rtnl_addr *a, const struct rtnl_addr *set, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (rtnl_addr_eq(a, &set[i]))
			return 1;
	return 0;
}

/* Which back end there is: the genl family, autoloaded if need be. */
static void
wgctl_probe(uint32_t id)
{
	struct wgmsg_probe	 p;

	memset(&p, 0, sizeof(p));
	if (genl_resolve(nl_genl, "wireguard", &genl_family) == 0)
		p.kernel = 1;
	else {
		p.err = errno;
		genl_family = 0;
	}
	log_debug("%s: kernel WireGuard %s", __func__, p.kernel ? "present" :
	    strerror(p.err));
	imsg_compose_event(&iev_parent, IMSG_WG_PROBE_RESULT, id, 0, -1, &p,
	    sizeof(p));
}

static void
wgctl_privkey(struct imsg *imsg)
{
	struct wgmsg_privkey	 k;

	if (imsg_get_data(imsg, &k, sizeof(k)) == -1)
		fatalx("%s: IMSG_WG_PRIVKEY wrong length", __func__);
	if (key_is_zero(k.key))
		fatalx("%s: all-zero private key", __func__);
	memcpy(privkey, k.key, sizeof(privkey));
	explicit_bzero(&k, sizeof(k));
	have_privkey = 1;
	log_debug("%s: private key set", __func__);
}

/*
 * The link and its addresses, in one rtnetlink batch: addrgenmode none
 * before the link goes up (no kernel-made fe80::), MTU and up, then our
 * addresses: the wanted ones missing are added, and ours from before
 * that are no longer wanted are removed.  Addresses someone else put
 * on the link are left alone.
 */
static int
apply_link(struct req_ctx *c, const struct wgmsg_apply *m)
{
	static struct rtnl_batch	 b;
	static struct addr_set		 cur;
	struct rtnl_link		 l;
	struct rtnl_addr		 a, want[WGMSG_ADDRS_MAX];
	const char			*want_kind;
	char				 what[RTNL_BATCH_MAX][128], s[96];
	int				 errs[RTNL_BATCH_MAX], up;
	uint32_t			 mtu, i, n;

	want_kind = m->backend == WGMSG_BACKEND_KERNEL ? "wireguard" : "tun";
	if (rtnl_link_get(nl_route, m->ifname, &l) == -1) {
		if (errno != ENODEV)
			return fail(c, errno, "RTM_GETLINK %s: %s", m->ifname,
			    strerror(errno));
		if (m->backend != WGMSG_BACKEND_KERNEL)
			return fail(c, ENODEV, "link %s: not found (userspace "
			    "WireGuard did not create it)", m->ifname);
		rtnl_batch_init(&b, time(NULL));
		if (rtnl_link_create(&b, m->ifname, "wireguard") == -1 ||
		    rtnl_batch_send(nl_route, &b, NULL) == -1)
			return fail(c, errno, "RTM_NEWLINK %s type wireguard: "
			    "%s", m->ifname, strerror(errno));
		c->res.changes |= WGMSG_CH_CREATE;
		c->res.rtnl_msgs++;
		if (rtnl_link_get(nl_route, m->ifname, &l) == -1)
			return fail(c, errno, "RTM_GETLINK %s: %s", m->ifname,
			    strerror(errno));
	}
	/* Never touch an interface of another kind that has the name. */
	if (strcmp(l.kind, want_kind) != 0)
		return fail(c, EEXIST, "link %s is of kind \"%s\", not %s",
		    m->ifname, l.kind, want_kind);
	if (l.has_rp_filter && l.rp_filter <= INT32_MAX)
		c->res.rp_filter = l.rp_filter;

	memset(&cur, 0, sizeof(cur));
	if (rtnl_addr_dump(nl_route, l.ifindex, collect_addr, &cur) == -1)
		return fail(c, errno, "RTM_GETADDR %s: %s", m->ifname,
		    strerror(errno));
	if (cur.overflow)
		return fail(c, E2BIG, "%s: more than %d addresses", m->ifname,
		    WGCTL_CUR_ADDRS);

	rtnl_batch_init(&b, time(NULL));
	n = 0;
	if (!l.has_addrgenmode || l.addrgenmode != IN6_ADDR_GEN_MODE_NONE) {
		if (rtnl_link_addrgenmode_none(&b, l.ifindex) == -1)
			return fail(c, errno, "addrgenmode: %s",
			    strerror(errno));
		snprintf(what[n++], sizeof(what[0]), "RTM_NEWLINK %s "
		    "addrgenmode none", m->ifname);
		c->res.changes |= WGMSG_CH_ADDRGENMODE;
	}
	if (wg_diff_link(m->mtu, 1, &l, &mtu, &up)) {
		if (rtnl_link_set(&b, l.ifindex, mtu, up) == -1)
			return fail(c, errno, "link set: %s", strerror(errno));
		snprintf(what[n++], sizeof(what[0]), "RTM_NEWLINK %s%s%.0u%s",
		    m->ifname, mtu ? " mtu " : "", mtu, up == 1 ? " up" : "");
		if (mtu)
			c->res.changes |= WGMSG_CH_MTU;
		if (up == 1)
			c->res.changes |= WGMSG_CH_UP;
	}
	for (i = 0; i < m->naddrs; i++)
		prefix_to_rtnl(&m->addrs[i], l.ifindex, &want[i]);
	for (i = 0; i < m->nold; i++) {
		prefix_to_rtnl(&m->old[i], l.ifindex, &a);
		if (!addr_in(&a, cur.a, cur.n) ||
		    addr_in(&a, want, m->naddrs))
			continue;
		if (n >= RTNL_BATCH_MAX || rtnl_addr_change(&b, RTM_DELADDR,
		    &a) == -1)
			return fail(c, E2BIG, "RTM_DELADDR: cannot encode");
		rtnl_addr_fmt(&a, s, sizeof(s));
		snprintf(what[n++], sizeof(what[0]), "RTM_DELADDR %s", s);
		c->res.changes |= WGMSG_CH_ADDR_DEL;
	}
	for (i = 0; i < m->naddrs; i++) {
		if (addr_in(&want[i], cur.a, cur.n))
			continue;
		if (n >= RTNL_BATCH_MAX || rtnl_addr_change(&b, RTM_NEWADDR,
		    &want[i]) == -1)
			return fail(c, E2BIG, "RTM_NEWADDR: cannot encode");
		rtnl_addr_fmt(&want[i], s, sizeof(s));
		snprintf(what[n++], sizeof(what[0]), "RTM_NEWADDR %s", s);
		c->res.changes |= WGMSG_CH_ADDR_ADD;
	}
	if (n == 0)
		return 0;
	memset(errs, 0, sizeof(errs));
	c->res.rtnl_msgs += n;
	if (rtnl_batch_send(nl_route, &b, errs) == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (errs[i] != 0)
			return fail(c, errs[i], "%s: %s", what[i],
			    strerror(errs[i]));
	return fail(c, errno, "rtnetlink %s: %s", m->ifname, strerror(errno));
}

/* Reads the device through the UAPI fd, or genl when fd is -1. */
static int
wg_read(int fd, uint32_t backend, const char *ifname, struct wg_device *dev)
{
	if (backend == WGMSG_BACKEND_UAPI)
		return wg_uapi_get(fd, dev, WG_UAPI_TIMEOUT);
	if (genl_family == 0 && genl_resolve(nl_genl, "wireguard",
	    &genl_family) == -1)
		return -1;
	return wg_genl_get(nl_genl, genl_family, ifname, dev);
}

/* What the diff chg will change, as WGMSG_CH_* bits. */
static void
changes_of(const struct wg_device *chg, const struct wg_device *cur,
    uint32_t *ch)
{
	const struct wg_peer	*p;

	if (chg->flags & WGDEV_HAS_PRIVATE_KEY)
		*ch |= WGMSG_CH_PRIVKEY;
	if (chg->flags & WGDEV_HAS_LISTEN_PORT)
		*ch |= WGMSG_CH_PORT;
	TAILQ_FOREACH(p, &chg->peers, entry) {
		if (p->flags & WGPEER_REMOVE) {
			*ch |= WGMSG_CH_PEER_DEL;
			continue;
		}
		if (wg_peer_find(cur, p->public_key) == NULL) {
			*ch |= WGMSG_CH_PEER_ADD;
			continue;
		}
		if (p->flags & WGPEER_HAS_PRESHARED_KEY)
			*ch |= WGMSG_CH_PSK;
		if (p->flags & WGPEER_HAS_ENDPOINT)
			*ch |= WGMSG_CH_ENDPOINT;
		if (p->flags & WGPEER_HAS_KEEPALIVE)
			*ch |= WGMSG_CH_KEEPALIVE;
		if (p->flags & WGPEER_REPLACE_ALLOWEDIPS)
			*ch |= WGMSG_CH_ALLOWED;
	}
}

/*
 * The device and its one peer, by diff: nothing sent when none.  cur
 * is the device as read before (have_cur) or is read here.
 */
static int
apply_wg(struct req_ctx *c, const struct wgmsg_apply *m, int fd,
    struct wg_device *cur, int have_cur)
{
	struct wg_device	 want, chg;
	struct wg_peer		*p;
	struct sockaddr_in	*sin;
	struct sockaddr_in6	*sin6;
	const char		*how;
	uint32_t		 i;
	int			 n, rc = -1;

	how = m->backend == WGMSG_BACKEND_UAPI ? "UAPI" : "genl";
	wg_device_init(&want, m->ifname);
	wg_device_init(&chg, m->ifname);
	memcpy(want.private_key, privkey, WG_KEY_LEN);
	want.listen_port = m->listen_port;
	want.flags = WGDEV_HAS_PRIVATE_KEY | WGDEV_HAS_LISTEN_PORT;
	if ((p = wg_peer_add(&want, m->peer_key)) == NULL) {
		fail(c, errno, "%s: %s", m->ifname, strerror(errno));
		goto done;
	}
	p->keepalive = m->keepalive;
	p->flags |= WGPEER_HAS_KEEPALIVE;
	if (m->has_psk) {
		memcpy(p->preshared_key, m->psk, WG_KEY_LEN);
		p->flags |= WGPEER_HAS_PRESHARED_KEY;
	}
	if (m->has_endpoint) {
		memset(&p->endpoint, 0, sizeof(p->endpoint));
		if (m->endpoint_af == AF_INET) {
			sin = (struct sockaddr_in *)&p->endpoint;
			sin->sin_family = AF_INET;
			sin->sin_port = htons(m->endpoint_port);
			memcpy(&sin->sin_addr, m->endpoint_addr, 4);
		} else {
			sin6 = (struct sockaddr_in6 *)&p->endpoint;
			sin6->sin6_family = AF_INET6;
			sin6->sin6_port = htons(m->endpoint_port);
			memcpy(&sin6->sin6_addr, m->endpoint_addr, 16);
		}
		p->flags |= WGPEER_HAS_ENDPOINT;
	}
	for (i = 0; i < m->nallowed; i++)
		if (wg_allowedip_add(p, m->allowed[i].af, m->allowed[i].addr,
		    m->allowed[i].plen) == -1) {
			fail(c, errno, "allowed IP: %s", strerror(errno));
			goto done;
		}

	if (!have_cur && wg_read(fd, m->backend, m->ifname, cur) == -1) {
		fail(c, errno, "%s get %s: %s", how, m->ifname,
		    strerror(errno));
		goto done;
	}
	if ((n = wg_diff(&want, cur, &chg)) == -1) {
		fail(c, errno, "diff %s: %s", m->ifname, strerror(errno));
		goto done;
	}
	if (n == 0) {
		rc = 0;
		goto done;
	}
	changes_of(&chg, cur, &c->res.changes);
	c->res.wg_sets++;
	if (m->backend == WGMSG_BACKEND_UAPI) {
		if (wg_uapi_set(fd, &chg, WG_UAPI_TIMEOUT) == -1) {
			if (errno == ETIMEDOUT || errno == ECONNRESET ||
			    errno == EPIPE)
				fail(c, errno, "UAPI set %s: %s", m->ifname,
				    strerror(errno));
			else
				fail(c, errno, "UAPI set %s: errno=-%d (%s)",
				    m->ifname, errno, strerror(errno));
			goto done;
		}
	} else {
		chg.ifindex = 0;
		if (wg_genl_set(nl_genl, genl_family, &chg) == -1) {
			fail(c, errno, "genl set %s: %s", m->ifname,
			    strerror(errno));
			goto done;
		}
	}
	rc = 0;
 done:
	wg_device_clear(&want);
	wg_device_clear(&chg);
	return rc;
}

static void
wgctl_apply(struct imsg *imsg)
{
	struct wgmsg_apply	 m;
	struct req_ctx		 c;
	struct wg_device	 cur;
	uint32_t		 id = imsg_get_id(imsg), i;
	int			 fd, have_cur = 0, held = 0, reused = 0;

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1)
		fatalx("%s: IMSG_WG_APPLY wrong length", __func__);
	fd = imsg_get_fd(imsg);
	req_init(&c);
	if (!ifname_ok(m.ifname, sizeof(m.ifname)) ||
	    m.backend >= WGMSG_BACKEND_MAX || m.naddrs > WGMSG_ADDRS_MAX ||
	    m.nold > WGMSG_ADDRS_MAX || m.nallowed > WGMSG_ALLOWED_MAX ||
	    m.mtu < MOENET_MTU_MIN || m.mtu > MOENET_MTU_MAX || m.has_psk > 1 ||
	    m.has_endpoint > 1 || (m.has_endpoint && (m.endpoint_port == 0 ||
	    (m.endpoint_af != AF_INET && m.endpoint_af != AF_INET6))) ||
	    key_is_zero(m.peer_key) || (m.has_psk && key_is_zero(m.psk)))
		fatalx("%s: malformed IMSG_WG_APPLY", __func__);
	for (i = 0; i < m.naddrs; i++)
		if (!prefix_ok(&m.addrs[i], 1))
			fatalx("%s: bad address", __func__);
	for (i = 0; i < m.nold; i++)
		if (!prefix_ok(&m.old[i], 1))
			fatalx("%s: bad old address", __func__);
	for (i = 0; i < m.nallowed; i++)
		if (!prefix_ok(&m.allowed[i], 0))
			fatalx("%s: bad allowed IP", __func__);

	if (m.backend == WGMSG_BACKEND_UAPI) {
		reused = fd == -1;
		fd = uapiconn_use(m.ifname, fd, &held);
	}

	wg_device_init(&cur, m.ifname);
	if (!have_privkey)
		fail(&c, ENOKEY, "%s: no private key", m.ifname);
	else if (m.backend == WGMSG_BACKEND_UAPI && fd == -1)
		fail(&c, ESTALE, "%s: no UAPI connection held", m.ifname);
	else if (m.backend == WGMSG_BACKEND_UAPI &&
	    wg_uapi_get(fd, &cur, WG_UAPI_TIMEOUT) == -1) {
		/*
		 * First: a just started wireguard-go answers only once it
		 * has set up its tun, MTU included; our link changes must
		 * come after that.  A held connection that fails is gone
		 * (the daemon was restarted): the parent connects anew.
		 */
		if (reused)
			fail(&c, ESTALE, "UAPI get %s on the held connection: "
			    "%s", m.ifname, strerror(errno));
		else
			fail(&c, errno, "UAPI get %s: %s", m.ifname,
			    strerror(errno));
	} else {
		have_cur = m.backend == WGMSG_BACKEND_UAPI;
		if (apply_link(&c, &m) == 0)
			apply_wg(&c, &m, fd, &cur, have_cur);
	}
	wg_device_clear(&cur);
	if (uapiconn_release(m.ifname, fd, held, c.res.err != 0))
		c.res.flags |= WGMSG_RES_HELD;
	explicit_bzero(&m, sizeof(m));
	send_result(id, &c);
}

/* Exactly that link; one already gone is fine. */
static void
wgctl_remove(struct imsg *imsg)
{
	static struct rtnl_batch	 b;
	struct wgmsg_name		 m;
	struct rtnl_link		 l;
	struct req_ctx			 c;

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1 ||
	    !ifname_ok(m.ifname, sizeof(m.ifname)) ||
	    m.backend >= WGMSG_BACKEND_MAX)
		fatalx("%s: malformed IMSG_WG_REMOVE", __func__);
	req_init(&c);
	uapiconn_drop(m.ifname);
	if (rtnl_link_get(nl_route, m.ifname, &l) == -1) {
		if (errno != ENODEV)
			fail(&c, errno, "RTM_GETLINK %s: %s", m.ifname,
			    strerror(errno));
	} else if (strcmp(l.kind, m.backend == WGMSG_BACKEND_KERNEL ?
	    "wireguard" : "tun") != 0)
		fail(&c, EEXIST, "link %s is of kind \"%s\", not removed",
		    m.ifname, l.kind);
	else {
		rtnl_batch_init(&b, time(NULL));
		c.res.rtnl_msgs++;
		if (rtnl_link_delete(&b, l.ifindex, NULL) == -1 ||
		    rtnl_batch_send(nl_route, &b, NULL) == -1) {
			if (errno != ENODEV)
				fail(&c, errno, "RTM_DELLINK %s: %s",
				    m.ifname, strerror(errno));
		}
	}
	send_result(imsg_get_id(imsg), &c);
}

/* Statistics of one tunnel: the link, then the device if it is there. */
static void
wgctl_get(struct imsg *imsg)
{
	struct wgmsg_name	 m;
	struct wgmsg_stats	 st;
	struct rtnl_link	 l;
	struct wg_device	 dev;
	struct wg_peer		*p;
	int			 fd, held = 0;

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1 ||
	    !ifname_ok(m.ifname, sizeof(m.ifname)) ||
	    m.backend >= WGMSG_BACKEND_MAX)
		fatalx("%s: malformed IMSG_WG_GET", __func__);
	fd = imsg_get_fd(imsg);
	if (m.backend == WGMSG_BACKEND_UAPI)
		fd = uapiconn_use(m.ifname, fd, &held);
	memset(&st, 0, sizeof(st));
	strlcpy(st.ifname, m.ifname, sizeof(st.ifname));
	if (rtnl_link_get(nl_route, m.ifname, &l) == 0) {
		st.present = 1;
		st.link_up = (l.flags & IFF_UP) != 0;
	} else
		st.err = errno;
	if (st.present && (m.backend == WGMSG_BACKEND_KERNEL || fd != -1)) {
		wg_device_init(&dev, m.ifname);
		if (wg_read(fd, m.backend, m.ifname, &dev) == 0) {
			st.has_wg = 1;
			TAILQ_FOREACH(p, &dev.peers, entry) {
				if (p->stats.last_handshake.tv_sec >
				    st.last_handshake)
					st.last_handshake =
					    p->stats.last_handshake.tv_sec;
				st.rx_bytes += p->stats.rx_bytes;
				st.tx_bytes += p->stats.tx_bytes;
			}
		} else
			st.err = errno;
		wg_device_clear(&dev);
	}
	st.held = uapiconn_release(m.ifname, fd, held, st.err != 0);
	imsg_compose_event(&iev_parent, IMSG_WG_STATS, imsg_get_id(imsg), 0,
	    -1, &st, sizeof(st));
}

/*
 * The router's loopback addresses.  A missing link of a kind we may
 * create is created (and brought up); the kernel's refusal (no such
 * driver) goes back as the errno, and the parent chooses another link.
 * A link of another kind under the name is never touched.
 */
static void
wgctl_loopback(struct imsg *imsg)
{
	static struct rtnl_batch	 b;
	static struct addr_set		 cur;
	struct wgmsg_loopback		 m;
	struct rtnl_link		 l;
	struct rtnl_addr		 a, want[WGMSG_LOOP_MAX];
	struct req_ctx			 c;
	char				 what[RTNL_BATCH_MAX][128], s[96];
	int				 errs[RTNL_BATCH_MAX], slot[RTNL_BATCH_MAX];
	uint32_t			 i, n = 0, added = 0;

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1 ||
	    !ifname_ok(m.ifname, sizeof(m.ifname)) ||
	    memchr(m.kind, '\0', sizeof(m.kind)) == NULL ||
	    (m.kind[0] != '\0' && strcmp(m.kind, "dummy") != 0) ||
	    m.naddrs > WGMSG_LOOP_MAX || m.nold > WGMSG_LOOP_MAX)
		fatalx("%s: malformed IMSG_WG_LOOPBACK", __func__);
	for (i = 0; i < m.naddrs; i++)
		if (!prefix_ok(&m.addrs[i], 0))
			fatalx("%s: bad address", __func__);
	for (i = 0; i < m.nold; i++)
		if (!prefix_ok(&m.old[i], 0))
			fatalx("%s: bad old address", __func__);
	req_init(&c);

	if (rtnl_link_get(nl_route, m.ifname, &l) == -1) {
		if (errno != ENODEV) {
			fail(&c, errno, "RTM_GETLINK %s: %s", m.ifname,
			    strerror(errno));
			goto done;
		}
		/* Nothing to remove from a link that is gone. */
		if (m.naddrs == 0)
			goto done;
		if (m.kind[0] == '\0') {
			fail(&c, ENODEV, "link %s: not found", m.ifname);
			goto done;
		}
		rtnl_batch_init(&b, time(NULL));
		c.res.rtnl_msgs++;
		if (rtnl_link_create(&b, m.ifname, m.kind) == -1 ||
		    rtnl_batch_send(nl_route, &b, NULL) == -1) {
			fail(&c, errno, "RTM_NEWLINK %s type %s: %s", m.ifname,
			    m.kind, strerror(errno));
			goto done;
		}
		if (rtnl_link_get(nl_route, m.ifname, &l) == -1) {
			fail(&c, errno, "RTM_GETLINK %s: %s", m.ifname,
			    strerror(errno));
			goto done;
		}
	}
	if (m.kind[0] != '\0' && strcmp(l.kind, m.kind) != 0) {
		fail(&c, EEXIST, "link %s is of kind \"%s\", not %s",
		    m.ifname, l.kind, m.kind);
		goto done;
	}

	memset(&cur, 0, sizeof(cur));
	if (rtnl_addr_dump(nl_route, l.ifindex, collect_addr, &cur) == -1) {
		fail(&c, errno, "RTM_GETADDR %s: %s", m.ifname,
		    strerror(errno));
		goto done;
	}
	if (cur.overflow) {
		fail(&c, E2BIG, "%s: more than %d addresses", m.ifname,
		    WGCTL_CUR_ADDRS);
		goto done;
	}
	rtnl_batch_init(&b, time(NULL));
	memset(slot, -1, sizeof(slot));
	if (m.naddrs > 0 && (l.flags & IFF_UP) == 0) {
		if (rtnl_link_set(&b, l.ifindex, 0, 1) == -1) {
			fail(&c, errno, "link set: %s", strerror(errno));
			goto done;
		}
		snprintf(what[n++], sizeof(what[0]), "RTM_NEWLINK %s up",
		    m.ifname);
		c.res.rtnl_msgs++;
	}
	for (i = 0; i < m.naddrs; i++)
		prefix_to_rtnl(&m.addrs[i], l.ifindex, &want[i]);
	for (i = 0; i < m.nold; i++) {
		prefix_to_rtnl(&m.old[i], l.ifindex, &a);
		if (!addr_in(&a, cur.a, cur.n) || addr_in(&a, want, m.naddrs))
			continue;
		if (n >= RTNL_BATCH_MAX || rtnl_addr_change(&b, RTM_DELADDR,
		    &a) == -1) {
			fail(&c, E2BIG, "RTM_DELADDR: cannot encode");
			goto done;
		}
		rtnl_addr_fmt(&a, s, sizeof(s));
		snprintf(what[n++], sizeof(what[0]), "RTM_DELADDR %s dev %s",
		    s, m.ifname);
		c.res.rtnl_msgs++;
	}
	for (i = 0; i < m.naddrs; i++) {
		if (addr_in(&want[i], cur.a, cur.n))
			continue;
		if (n >= RTNL_BATCH_MAX || rtnl_addr_change(&b, RTM_NEWADDR,
		    &want[i]) == -1) {
			fail(&c, E2BIG, "RTM_NEWADDR: cannot encode");
			goto done;
		}
		rtnl_addr_fmt(&want[i], s, sizeof(s));
		slot[n] = i;
		snprintf(what[n++], sizeof(what[0]), "RTM_NEWADDR %s dev %s",
		    s, m.ifname);
		c.res.rtnl_msgs++;
	}
	if (n == 0)
		goto done;
	memset(errs, 0, sizeof(errs));
	if (rtnl_batch_send(nl_route, &b, errs) == -1) {
		for (i = 0; i < n; i++)
			if (errs[i] != 0)
				break;
		if (i == n) {
			/* No answer to tell what was done: claim nothing. */
			fail(&c, errno, "rtnetlink %s: %s", m.ifname,
			    strerror(errno));
			goto done;
		}
		fail(&c, errs[i], "%s: %s", what[i], strerror(errs[i]));
	}
	/* What was added, even when another request failed. */
	for (i = 0; i < n; i++)
		if (slot[i] >= 0 && errs[i] == 0)
			added |= 1U << slot[i];
 done:
	c.res.changes = added;
	send_result(imsg_get_id(imsg), &c);
}

static int
pubaddr_route_cb(const struct nlmsghdr *nlh, void *arg)
{
	return pubaddr_route(arg, nlh);
}

static int
pubaddr_addr_cb(const struct nlmsghdr *nlh, void *arg)
{
	return pubaddr_addr(arg, nlh);
}

/*
 * The public address of one family: the routes, then the addresses
 * when the best default route has no preferred source.  1 and the
 * address, 0 when there is none; a failed dump leaves its errno.
 */
static int
pubaddr_find(int af, union rtnl_ip *ip, int32_t *err)
{
	struct pubaddr	 p;
	struct nlmsghdr	*nlh;
	char		 buf[64];
	const char	*what = "RTM_GETROUTE";

	pubaddr_init(&p, af);
	if ((nlh = rtnl_route_dump_req(buf, sizeof(buf), time(NULL),
	    af)) == NULL || rtnl_dump(nl_route, nlh, pubaddr_route_cb,
	    &p) == -1)
		goto fail;
	what = "RTM_GETADDR";
	if (pubaddr_need_addrs(&p) && ((nlh = rtnl_addr_dump_req(buf,
	    sizeof(buf), time(NULL), af)) == NULL || rtnl_dump(nl_route, nlh,
	    pubaddr_addr_cb, &p) == -1))
		goto fail;
	return pubaddr_result(&p, ip);
 fail:
	*err = errno != 0 ? errno : EIO;
	log_debug("%s: %s %s: %s", __func__, what,
	    af == AF_INET ? "IPv4" : "IPv6", strerror(*err));
	return 0;
}

/* The router's public addresses, for the heartbeat. */
static void
wgctl_pubaddr(struct imsg *imsg)
{
	struct wgmsg_pubaddr	 m;
	union rtnl_ip		 ip;

	if (imsg_get_len(imsg) != 0)
		fatalx("%s: IMSG_WG_PUBADDR wrong length", __func__);
	memset(&m, 0, sizeof(m));
	if (pubaddr_find(AF_INET, &ip, &m.err4) == 1) {
		m.flags |= WGMSG_PUB_V4;
		m.v4 = ip.v4;
	}
	if (pubaddr_find(AF_INET6, &ip, &m.err6) == 1) {
		m.flags |= WGMSG_PUB_V6;
		m.v6 = ip.v6;
	}
	imsg_compose_event(&iev_parent, IMSG_WG_PUBADDR_RESULT,
	    imsg_get_id(imsg), 0, -1, &m, sizeof(m));
}

/* The tunnels' ports in the input chains: the whole set each time. */
static void
wgctl_firewall(struct imsg *imsg)
{
	static struct fwmsg_ports	 m;
	static struct fwmsg_result	 res;
	uint32_t			 i;

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1 ||
	    m.mode >= FW_MODE_NONE || m.prune > 1 ||
	    m.nports > FWMSG_PORTS_MAX)
		fatalx("%s: malformed IMSG_FW_PORTS", __func__);
	for (i = 0; i < m.nports; i++)
		if (m.ports[i] == 0 || (i > 0 && m.ports[i] <= m.ports[i - 1]))
			fatalx("%s: ports not sorted and unique", __func__);
	nft_sync(&m, &res);
	imsg_compose_event(&iev_parent, IMSG_FW_RESULT, imsg_get_id(imsg), 0,
	    -1, &res, sizeof(res));
}
