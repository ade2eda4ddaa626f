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
 * The parent's side of WireGuard tunnels, through wgctl.
 *
 * The parent does what needs root or files: it reads the private key
 * (sent to wgctl alone, then wiped), starts userspace WireGuard where
 * the kernel has none, connects to its UAPI socket and passes the fd,
 * resolves endpoint names, writes rp_filter, and remembers in the state
 * directory what it owns (the addresses it put on each link, the
 * wireguard-go it started), so that a restarted agent adopts tunnels
 * instead of recreating them.  wgctl does the netlink and UAPI work,
 * by diff: an unchanged tunnel costs no change at all.
 *
 * Userspace WireGuard must outlive the agent: an agent restart must
 * not drop tunnels.  wireguard-go is started through a helper that
 * calls setsid() (its own session, away from the agent's signals and
 * terminal) and runs "<userspaceCommand> <ifname>" in daemon mode with
 * a clean environment; daemon mode returns once the tun device and the
 * UAPI socket exist, and its daemon then belongs to no agent process.
 * Under systemd that is not enough: the unit's stop kills its whole
 * cgroup.  So where systemd runs (/run/systemd/system), the helper
 * starts the command through "systemd-run --scope": a transient scope
 * unit per tunnel, outside moenet-agent.service's cgroup, gone when
 * wireguard-go exits (ecosystem.md 5.4 option a, without a template
 * unit to install).  The kernel back end has no process at all and is
 * chosen whenever the kernel has WireGuard.
 */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/tree.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "parent/core/pending.h"
#include "parent/core/reload.h"
#include "parent/core/reap.h"
#include "parent/core/route.h"
#include "parent/ports/render.h"
#include "parent/core/statefile.h"
#include "parent/core/store.h"
#include "parent/ports/wg.h"
#include "wgmsg.h"
#include "resolvemsg.h"
#include "wgctl/key.h"
#include "wgctl/wg_uapi.h"

#define WG_TUNS_MAX		4096
#define WG_REQS_MAX		8192
#define WG_START_TIMEOUT	15	/* s, for "wireguard-go <if>" */
#define WG_EXIT_WAIT		50	/* ticks of 100 ms after RTM_DELLINK */
#define WG_KILL_WAIT		20	/* ticks after SIGTERM */
#define WG_OUT_LEN		512
#define WG_PUBADDR_TIMEOUT	3	/* s: wgctl may be busy applying */

enum req_type {
	REQ_APPLY,
	REQ_REMOVE,
	REQ_STATS,
	REQ_LOOPBACK,
	REQ_PUBADDR
};

enum req_stage {
	ST_WAIT_RESOLVE,	/* the fetcher looks the endpoint up */
	ST_WAIT_BACKEND,	/* the probe has not answered yet */
	ST_WAIT_START,		/* wireguard-go is starting */
	ST_SENT,		/* wgctl has it */
	ST_WAIT_EXIT,		/* link gone, waiting for wireguard-go */
	ST_DONE			/* result known, callback pending */
};

/* A tunnel the agent manages. */
struct wg_tun {
	TAILQ_ENTRY(wg_tun)	 entry;
	RB_ENTRY(wg_tun)	 node;		/* by ifname */
	char			 ifname[IFNAMSIZ];
	struct wgmsg_prefix	 owned[WGMSG_ADDRS_MAX];
	uint32_t		 nowned;
	pid_t			 pid;		/* wireguard-go we started */
	uint16_t		 listen_port;	/* asked for; 0: any */
	int			 starting;
	int			 uapi_held;	/* wgctl keeps a connection */
	int			 start_fd;
	pid_t			 start_helper;
	struct event		 ev_start;
};
TAILQ_HEAD(wg_tuns, wg_tun);
RB_HEAD(tun_tree, wg_tun);

static int
tun_cmp(const struct wg_tun *a, const struct wg_tun *b)
{
	return strcmp(a->ifname, b->ifname);
}
/* Every apply looks its tunnel up: by name, not along the list. */
RB_PROTOTYPE_STATIC(tun_tree, wg_tun, node, tun_cmp)
RB_GENERATE_STATIC(tun_tree, wg_tun, node, tun_cmp)

struct wg_req {
	struct pending		 pend;
	enum req_type		 type;
	enum req_stage		 stage;
	char			 ifname[IFNAMSIZ];
	wg_done_cb		 cb;
	wg_stats_cb		 scb;
	void			*arg;
	struct wgmsg_apply	 m;
	int			 uapi_reused;	/* sent on wgctl's connection */
	char			 host[WGT_HOST_LEN];	/* the endpoint's */
	struct event		 ev;
	int			 err;
	char			 msg[WGT_ERROR_LEN];
	struct wg_tunnel_stats	*st;
	size_t			 nst;
	size_t			 nans;
	pid_t			 pid;
	int			 ticks;
	wg_loopback_cb		 lcb;		/* REQ_LOOPBACK */
	struct wgmsg_loopback	 lm;
	uint32_t		 added;
	wg_pubaddr_cb		 pcb;		/* REQ_PUBADDR */
	struct wg_pubaddr	 pa;
};

/* What the start helper tells the parent. */
struct start_report {
	int32_t			 status;	/* wait status; -1 timed out */
	int32_t			 pid;		/* the daemon, 0 if not seen */
	char			 out[WG_OUT_LEN];
};

static struct wg_req	*req_new(enum req_type, const char *);
static void		 req_fail(struct wg_req *, int, const char *, ...)
			    __attribute__((__format__ (printf, 3, 4)));
static void		 req_finish(struct wg_req *);
static void		 req_deferred(int, short, void *);
static struct wg_req	*req_find(uint32_t, enum req_type);
static void		 req_proceed(struct wg_req *);
static void		 apply_proceed(struct wg_req *);
static void		 apply_send(struct wg_req *, struct wg_tun *, int);
static void		 apply_result(struct wg_req *,
			    const struct wgmsg_result *);
static void		 remove_result(struct wg_req *,
			    const struct wgmsg_result *);
static void		 remove_tick(int, short, void *);
static void		 remove_done(struct wg_req *);
static void		 stats_proceed(struct wg_req *);
static void		 stats_answer(struct wg_req *,
			    const struct wgmsg_stats *);
static void		 pubaddr_send(struct wg_req *);
static void		 req_expired(void *);
static void		 wg_reload(const struct moenet_conf *,
			    const struct moenet_conf *);
static void		 pubaddr_answer(struct imsg *);
static struct wg_tun	*tun_get(const char *, int);
static void		 tun_free(struct wg_tun *);
static void		 tun_save_addrs(struct wg_tun *);
static int		 state_path(char *, size_t, const char *,
			    const char *);
static int		 start_userspace(struct wg_tun *, char *, size_t);
static __dead void	 start_helper(int, const char *, const char *);
static pid_t		 daemon_find(pid_t);
static void		 start_done(int, short, void *);
static int		 proc_is_ours(pid_t, const char *);
static int		 proc_gone(pid_t);
static int		 ifname_valid(const char *);
static int		 prefix_from(const struct wgt_prefix *,
			    struct wgmsg_prefix *);
static int		 prefix_eq(const struct wgmsg_prefix *,
			    const struct wgmsg_prefix *);
static int		 prefix_fmt(const struct wgmsg_prefix *, char *,
			    size_t);
static int		 prefix_parse(const char *, struct wgmsg_prefix *);
static int		 endpoint_literal(const char *, uint16_t,
			    struct wgmsg_apply *);
static void		 resolve_send(struct wg_req *, const char *, uint16_t);
static void		 resolve_result(struct imsg *);
static int		 set_rp_filter(const char *, char *, size_t);
static int		 load_key(char *, size_t);
static uint32_t		 backend_msg(void);
static void		 ports_changed(void);

static struct wg_tuns	 tuns = TAILQ_HEAD_INITIALIZER(tuns);
static struct tun_tree	 tun_byname = RB_INITIALIZER(&tun_byname);
static struct pending_set wg_reqs =
    PENDING_SET_INITIALIZER(wg_reqs, "wgctl", WG_REQS_MAX, req_expired);
static size_t		 ntuns;
static int		 started;	/* wg_init ran: wgctl is there */
static int		 backend = -1;	/* enum wgmsg_backend, -1: unknown */
static int		 key_ok;
static char		 key_err[WGT_ERROR_LEN] = "private key not read yet";
static uint8_t		 our_pubkey[WG_KEY_LEN];
static struct wg_counters counters;
static void		(*ports_cb)(void);

void
wg_init(void)
{
	static const struct reload_hook	 hook = { "WireGuard", NULL,
					    wg_reload };
	char				 err[WGT_ERROR_LEN];

	started = 1;
	reload_add(&hook);
	/* Bootstrap mode: the key's path comes with the node config. */
	if (conf->mode == CONF_MODE_BOOTSTRAP &&
	    conf->wg_privkey_path[0] == '\0')
		log_debug("%s: the private key waits for the node config",
		    __func__);
	else if (load_key(err, sizeof(err)) == -1)
		log_warnx("WireGuard: %s; no tunnel will be configured until "
		    "it is fixed", err);
	if (conf->wg_backend == WG_BACKEND_USERSPACE) {
		backend = WGMSG_BACKEND_UAPI;
		log_info("WireGuard back end: userspace (%s), as configured",
		    conf->wg_userspace_cmd);
	}
	/* Always asked: a forced kernel back end needs the family too. */
	parent_imsg_compose(PROC_WGCTL, IMSG_WG_PROBE, 0, -1, NULL, 0);
	log_debug("%s: wgctl ready", __func__);
}

/*
 * The key is read again whatever changed (the file may have); the
 * link-local address and the MTU are read at each apply.
 */
static void
wg_reload(const struct moenet_conf *old, const struct moenet_conf *new)
{
	char	 err[WGT_ERROR_LEN];

	if (strcmp(old->wg_privkey_path, new->wg_privkey_path) != 0)
		log_info("WireGuard: private key now from %s",
		    new->wg_privkey_path);
	if (load_key(err, sizeof(err)) == -1)
		log_warnx("WireGuard: %s", err);
}

int
wg_reload_key(char *err, size_t errlen)
{
	return load_key(err, errlen);
}

const struct wg_counters *
wg_get_counters(void)
{
	return &counters;
}

const char *
wg_backend_name(void)
{
	switch (backend) {
	case WGMSG_BACKEND_KERNEL:
		return "kernel";
	case WGMSG_BACKEND_UAPI:
		return "userspace";
	}
	return "unknown";
}

int
wg_public_key(uint8_t pub[32])
{
	if (!key_ok) {
		errno = ENOKEY;
		return -1;
	}
	memcpy(pub, our_pubkey, WG_KEY_LEN);
	return 0;
}

static uint32_t
backend_msg(void)
{
	return backend == WGMSG_BACKEND_KERNEL ? WGMSG_BACKEND_KERNEL :
	    WGMSG_BACKEND_UAPI;
}

/*
 * The private key: a regular file that only its owner may read, one
 * base64 key.  Never generated here: an unreadable key is an error for
 * the operator.  Sent to wgctl alone and wiped.
 */
static int
load_key(char *err, size_t errlen)
{
	struct wgmsg_privkey	 k;
	struct stat		 st;
	const char		*path = conf->wg_privkey_path;
	char			 buf[128], *p;
	ssize_t			 n;
	int			 fd;

	key_ok = 0;
	if (*path == '\0') {
		snprintf(err, errlen, "wireguard.privateKeyPath is not set");
		goto fail;
	}
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "private key %s: %s", path,
		    strerror(errno));
		goto fail;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "private key %s: not a regular file",
		    path);
		close(fd);
		goto fail;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen, "private key %s: mode %04o lets group "
		    "or others access it; refusing it (chmod 600)", path,
		    (unsigned)(st.st_mode & 07777));
		close(fd);
		goto fail;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "private key %s: %s", path,
		    strerror(errno));
		goto fail;
	}
	buf[n] = '\0';
	for (p = buf; isspace((unsigned char)*p); p++)
		;
	p[strcspn(p, " \t\r\n")] = '\0';
	memset(&k, 0, sizeof(k));
	if (key_from_base64(k.key, p) == -1 || key_is_zero(k.key)) {
		explicit_bzero(buf, sizeof(buf));
		explicit_bzero(&k, sizeof(k));
		snprintf(err, errlen, "private key %s: not a base64 "
		    "WireGuard key of 32 bytes", path);
		goto fail;
	}
	explicit_bzero(buf, sizeof(buf));
	key_public(our_pubkey, k.key);
	if (started)
		parent_imsg_compose(PROC_WGCTL, IMSG_WG_PRIVKEY, 0, -1, &k,
		    sizeof(k));
	explicit_bzero(&k, sizeof(k));
	key_ok = 1;
	key_err[0] = '\0';
	return 0;
 fail:
	strlcpy(key_err, err, sizeof(key_err));
	return -1;
}

/* Requests. */

static struct wg_req *
req_new(enum req_type type, const char *ifname)
{
	struct wg_req	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if (pending_add(&wg_reqs, &r->pend, r) == -1) {
		free(r);
		return NULL;
	}
	r->type = type;
	if (ifname != NULL)
		strlcpy(r->ifname, ifname, sizeof(r->ifname));
	evtimer_set(&r->ev, req_deferred, r);
	return r;
}

/* Fails the request; its callback runs from the event loop. */
static void
req_fail(struct wg_req *r, int err, const char *fmt, ...)
{
	va_list	 ap;

	r->err = err != 0 ? err : EIO;
	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	req_finish(r);
}

static void
req_finish(struct wg_req *r)
{
	struct timeval	 tv = { 0, 0 };

	r->stage = ST_DONE;
	evtimer_del(&r->ev);
	evtimer_set(&r->ev, req_deferred, r);
	evtimer_add(&r->ev, &tv);
}

static void
req_deferred(int fd, short event, void *arg)
{
	struct wg_req	*r = arg;

	if (r->stage == ST_WAIT_EXIT) {
		remove_tick(fd, event, arg);
		return;
	}
	pending_del(&r->pend);
	if (r->err != 0) {
		counters.errors++;
		/* These callers decide what is worth a warning. */
		if (r->type != REQ_LOOPBACK && r->type != REQ_PUBADDR)
			log_warnx("WireGuard %s: %s", r->ifname[0] ?
			    r->ifname : "tunnels", r->msg);
	}
	if (r->type == REQ_STATS) {
		if (r->scb != NULL)
			r->scb(r->st, r->nans, r->arg);
		free(r->st);
	} else if (r->type == REQ_LOOPBACK) {
		if (r->lcb != NULL)
			r->lcb(r->err, r->err ? r->msg : NULL, r->added,
			    r->arg);
	} else if (r->type == REQ_PUBADDR) {
		if (r->pcb != NULL)
			r->pcb(r->err, r->err ? NULL : &r->pa, r->arg);
	} else if (r->cb != NULL)
		r->cb(r->err, r->err ? r->msg : NULL, r->arg);
	explicit_bzero(&r->m, sizeof(r->m));
	free(r);
}

static struct wg_req *
req_find(uint32_t id, enum req_type type)
{
	struct wg_req	*r;

	r = pending_find(&wg_reqs, id);
	if (r == NULL || r->stage != ST_SENT || r->type != type)
		fatalx("wgctl answered request %u, which is not waiting",
		    id);
	return r;
}

static void
req_proceed(struct wg_req *r)
{
	/* Routes do not depend on the WireGuard back end. */
	if (r->type == REQ_PUBADDR) {
		pubaddr_send(r);
		return;
	}
	if (backend == -1) {
		r->stage = ST_WAIT_BACKEND;
		return;
	}
	switch (r->type) {
	case REQ_APPLY:
		apply_proceed(r);
		break;
	case REQ_REMOVE:
		r->stage = ST_SENT;
		{
			struct wgmsg_name	 m;

			memset(&m, 0, sizeof(m));
			strlcpy(m.ifname, r->ifname, sizeof(m.ifname));
			m.backend = backend_msg();
			parent_imsg_compose(PROC_WGCTL, IMSG_WG_REMOVE,
			    r->pend.id, -1, &m, sizeof(m));
		}
		break;
	case REQ_STATS:
		stats_proceed(r);
		break;
	case REQ_LOOPBACK:
		r->stage = ST_SENT;
		parent_imsg_compose(PROC_WGCTL, IMSG_WG_LOOPBACK, r->pend.id,
		    -1, &r->lm, sizeof(r->lm));
		break;
	case REQ_PUBADDR:
		break;
	}
}

/* Apply. */

int
wg_tunnel_apply(const struct wg_tunnel *t, wg_done_cb cb, void *arg)
{
	struct wgmsg_apply	*m;
	struct wg_req		*r;
	struct in6_addr		 ll;
	struct wgmsg_prefix	 p;
	char			 err[WGT_ERROR_LEN], llstr[INET6_ADDRSTRLEN];
	int			 i, j, dup;

	if ((r = req_new(REQ_APPLY, NULL)) == NULL)
		return -1;
	r->cb = cb;
	r->arg = arg;
	m = &r->m;
	if (!ifname_valid(t->ifname)) {
		req_fail(r, EINVAL, "interface name \"%.*s\": 1 to 15 of "
		    "A-Z a-z 0-9 _ . -", IFNAMSIZ, t->ifname);
		return 0;
	}
	strlcpy(r->ifname, t->ifname, sizeof(r->ifname));
	strlcpy(m->ifname, t->ifname, sizeof(m->ifname));
	if (!key_ok) {
		req_fail(r, ENOKEY, "%s", key_err);
		return 0;
	}
	if (t->mtu < MOENET_MTU_MIN || t->mtu > MOENET_MTU_MAX) {
		req_fail(r, EINVAL, "MTU %u: not within %d..%d", t->mtu,
		    MOENET_MTU_MIN, MOENET_MTU_MAX);
		return 0;
	}
	if (key_is_zero(t->peer_pubkey)) {
		req_fail(r, EINVAL, "peer public key: all zero");
		return 0;
	}
	if (key_eq(t->peer_pubkey, our_pubkey)) {
		req_fail(r, EINVAL, "peer public key is our own public key");
		return 0;
	}
	if (t->has_psk && key_is_zero(t->psk)) {
		req_fail(r, EINVAL, "preshared key: all zero");
		return 0;
	}
	if (t->naddrs < 0 || t->naddrs > WGT_ADDRS_MAX ||
	    t->nallowed < 0 || t->nallowed > WGT_ALLOWED_MAX) {
		req_fail(r, EINVAL, "too many addresses or allowed IPs");
		return 0;
	}
	m->mtu = t->mtu;
	m->listen_port = t->listen_port;
	m->keepalive = t->keepalive;
	memcpy(m->peer_key, t->peer_pubkey, sizeof(m->peer_key));
	if (t->has_psk) {
		memcpy(m->psk, t->psk, sizeof(m->psk));
		m->has_psk = 1;
	}
	/* Our link-local address first, then the engine's. */
	if (render_own_ll(conf->wg_dn42_ipv6, conf->wg_dn42_ipv6_ll, llstr,
	    sizeof(llstr), err, sizeof(err)) == -1) {
		req_fail(r, EINVAL, "%s", err);
		return 0;
	}
	if (inet_pton(AF_INET6, llstr, &ll) != 1) {
		req_fail(r, EINVAL, "own link-local address %s", llstr);
		return 0;
	}
	memset(&p, 0, sizeof(p));
	p.af = AF_INET6;
	p.plen = 64;
	memcpy(p.addr, &ll, 16);
	m->addrs[m->naddrs++] = p;
	for (i = 0; i < t->naddrs; i++) {
		if (prefix_from(&t->addrs[i], &p) == -1) {
			req_fail(r, EINVAL, "address %d: bad family or "
			    "prefix length", i);
			return 0;
		}
		if (p.af == AF_INET && p.plen == 32 && t->has_peer_v4) {
			p.has_peer = 1;
			memcpy(p.peer, &t->peer_v4, 4);
		}
		for (dup = 0, j = 0; j < (int)m->naddrs; j++)
			dup |= prefix_eq(&p, &m->addrs[j]);
		if (!dup)
			m->addrs[m->naddrs++] = p;
	}
	for (i = 0; i < t->nallowed; i++) {
		if (prefix_from(&t->allowed[i], &m->allowed[i]) == -1) {
			req_fail(r, EINVAL, "allowed IP %d: bad family or "
			    "prefix length", i);
			return 0;
		}
		m->nallowed++;
	}
	if (t->endpoint_host[0] != '\0') {
		if (memchr(t->endpoint_host, '\0', sizeof(t->endpoint_host)) ==
		    NULL || t->endpoint_port == 0) {
			req_fail(r, EINVAL, "endpoint: bad host or port 0");
			return 0;
		}
		switch (endpoint_literal(t->endpoint_host, t->endpoint_port,
		    m)) {
		case -1:
			req_fail(r, EHOSTUNREACH, "endpoint %s: not an address "
			    "or host name", t->endpoint_host);
			return 0;
		case 1:
			resolve_send(r, t->endpoint_host, t->endpoint_port);
			return 0;
		}
	}
	req_proceed(r);
	return 0;
}

static void
apply_proceed(struct wg_req *r)
{
	struct wg_tun	*t;
	char		 err[WGT_ERROR_LEN];
	int		 fd;

	if ((t = tun_get(r->ifname, 1)) == NULL) {
		req_fail(r, errno, "cannot track tunnel: %s",
		    strerror(errno));
		return;
	}
	r->m.backend = backend_msg();
	if (t->listen_port != r->m.listen_port) {
		t->listen_port = r->m.listen_port;
		ports_changed();
	}
	if (backend == WGMSG_BACKEND_KERNEL) {
		apply_send(r, t, -1);
		return;
	}
	if (t->starting) {
		r->stage = ST_WAIT_START;
		return;
	}
	if (t->uapi_held) {
		r->uapi_reused = 1;
		apply_send(r, t, -1);
		return;
	}
	if ((fd = wg_uapi_connect(NULL, r->ifname)) != -1) {
		counters.uapi_connects++;
		apply_send(r, t, fd);
		return;
	}
	if (errno != ENOENT && errno != ECONNREFUSED) {
		req_fail(r, errno, "UAPI %s/%s.sock: %s", WG_UAPI_DIR,
		    r->ifname, strerror(errno));
		return;
	}
	/* No process serves the interface: start one. */
	if (start_userspace(t, err, sizeof(err)) == -1) {
		req_fail(r, errno, "%s", err);
		return;
	}
	r->stage = ST_WAIT_START;
}

static void
apply_send(struct wg_req *r, struct wg_tun *t, int fd)
{
	memcpy(r->m.old, t->owned, sizeof(r->m.old));
	r->m.nold = t->nowned;
	r->stage = ST_SENT;
	parent_imsg_compose(PROC_WGCTL, IMSG_WG_APPLY, r->pend.id, fd, &r->m,
	    sizeof(r->m));
}

static void
apply_result(struct wg_req *r, const struct wgmsg_result *res)
{
	struct wg_tun		*t;
	struct wgmsg_prefix	 owned[WGMSG_ADDRS_MAX];
	uint32_t		 n, i, j;
	int			 dup;
	char			 err[WGT_ERROR_LEN];

	if (res->err == ESTALE && r->uapi_reused) {
		/* The daemon behind wgctl's connection went: connect anew. */
		if ((t = tun_get(r->ifname, 0)) != NULL)
			t->uapi_held = 0;
		r->uapi_reused = 0;
		apply_proceed(r);
		return;
	}
	counters.applies++;
	counters.rtnl_msgs += res->rtnl_msgs;
	counters.wg_sets += res->wg_sets;
	counters.last_changes = res->changes;
	if ((t = tun_get(r->ifname, 1)) != NULL) {
		t->uapi_held = (res->flags & WGMSG_RES_HELD) != 0;
		/* Ours: what we want now, and on failure what was ours. */
		memcpy(owned, r->m.addrs, sizeof(owned));
		n = r->m.naddrs;
		for (i = 0; res->err != 0 && i < t->nowned &&
		    n < WGMSG_ADDRS_MAX; i++) {
			for (dup = 0, j = 0; j < n; j++)
				dup |= prefix_eq(&t->owned[i], &owned[j]);
			if (!dup)
				owned[n++] = t->owned[i];
		}
		if (n != t->nowned || memcmp(owned, t->owned,
		    n * sizeof(owned[0])) != 0) {
			memcpy(t->owned, owned, sizeof(owned));
			t->nowned = n;
			tun_save_addrs(t);
		}
	}
	if (res->err != 0) {
		req_fail(r, res->err, "%s", res->msg);
		return;
	}
	/* wgctl read the link: rp_filter is written only when not off. */
	if (res->rp_filter != 0 &&
	    set_rp_filter(r->ifname, err, sizeof(err)) == -1) {
		req_fail(r, errno, "%s", err);
		return;
	}
	req_finish(r);
}

/* DN42 needs rp_filter off on tunnels (routes are asymmetric). */
static int
set_rp_filter(const char *ifname, char *err, size_t errlen)
{
	char	 path[80], cur[8];
	ssize_t	 n;
	int	 fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/rp_filter",
	    ifname);
	counters.rp_filter_opens++;
	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = read(fd, cur, sizeof(cur) - 1);
	if (n > 0 && cur[0] == '0' && (n == 1 || cur[1] == '\n')) {
		close(fd);
		return 0;
	}
	if (lseek(fd, 0, SEEK_SET) == -1 || write(fd, "0\n", 2) != 2) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * UAPI and netlink take numbers.  A name is looked up at every apply,
 * which the engine runs every sync, so a moved peer is followed; the
 * fetcher looks it up (the root never waits on DNS) and answers within
 * RESOLVE_TIMEOUT.  0: an address, filled in; 1: a name to look up;
 * -1: neither.
 */
static int
endpoint_literal(const char *host, uint16_t port, struct wgmsg_apply *m)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;
	char		 h[WGT_HOST_LEN];
	size_t		 len;

	if (strlcpy(h, host, sizeof(h)) >= sizeof(h))
		return -1;
	len = strlen(h);
	if (h[0] == '[' && len > 2 && h[len - 1] == ']') {
		memmove(h, h + 1, len - 2);
		h[len - 2] = '\0';
	}
	m->has_endpoint = 1;
	m->endpoint_port = port;
	if (inet_pton(AF_INET6, h, &a6) == 1) {
		m->endpoint_af = AF_INET6;
		memcpy(m->endpoint_addr, &a6, 16);
		return 0;
	}
	if (inet_pton(AF_INET, h, &a4) == 1) {
		m->endpoint_af = AF_INET;
		memcpy(m->endpoint_addr, &a4, 4);
		return 0;
	}
	if (h[0] == '\0' || len >= RESOLVE_HOST_LEN ||
	    strspn(h, RESOLVE_HOST_CHARS) != len)
		return -1;
	return 1;
}

static void
resolve_send(struct wg_req *r, const char *host, uint16_t port)
{
	struct resolve_msg	 m;

	memset(&m, 0, sizeof(m));
	strlcpy(m.host, host, sizeof(m.host));
	strlcpy(r->host, host, sizeof(r->host));
	m.port = port;
	r->stage = ST_WAIT_RESOLVE;
	parent_imsg_compose(PROC_FETCHER, IMSG_RESOLVE, r->pend.id, -1, &m,
	    sizeof(m));
}

/* IMSG_RESOLVE_RESULT from the fetcher. */
static void
resolve_result(struct imsg *imsg)
{
	struct resolve_result_msg	 res;
	struct wg_req			*r;

	if (imsg_get_data(imsg, &res, sizeof(res)) == -1)
		fatalx("%s: IMSG_RESOLVE_RESULT wrong length", __func__);
	res.text[sizeof(res.text) - 1] = '\0';
	if (res.err < 0 || (res.err == 0 && res.af != AF_INET &&
	    res.af != AF_INET6))
		fatalx("%s: bad IMSG_RESOLVE_RESULT", __func__);
	r = pending_find(&wg_reqs, imsg_get_id(imsg));
	if (r == NULL || r->stage != ST_WAIT_RESOLVE)
		fatalx("%s: result for request %u, which does not wait for "
		    "one", __func__, imsg_get_id(imsg));
	if (res.err != 0) {
		req_fail(r, EHOSTUNREACH, "endpoint %s: %s", r->host,
		    res.text);
		return;
	}
	r->m.endpoint_af = res.af;
	memcpy(r->m.endpoint_addr, res.addr, res.af == AF_INET6 ? 16 : 4);
	req_proceed(r);
}

/* Remove. */

int
wg_tunnel_remove(const char *ifname, wg_done_cb cb, void *arg)
{
	struct wg_req	*r;

	if ((r = req_new(REQ_REMOVE, NULL)) == NULL)
		return -1;
	r->cb = cb;
	r->arg = arg;
	if (!ifname_valid(ifname)) {
		req_fail(r, EINVAL, "interface name: 1 to 15 of "
		    "A-Z a-z 0-9 _ . -");
		return 0;
	}
	strlcpy(r->ifname, ifname, sizeof(r->ifname));
	req_proceed(r);
	return 0;
}

static void
remove_result(struct wg_req *r, const struct wgmsg_result *res)
{
	struct wg_tun	*t;
	struct timeval	 tv = { 0, 100 * 1000 };

	counters.rtnl_msgs += res->rtnl_msgs;
	/* wgctl let go of its connection, whatever the outcome. */
	if ((t = tun_get(r->ifname, 0)) != NULL)
		t->uapi_held = 0;
	if (res->err != 0) {
		req_fail(r, res->err, "%s", res->msg);
		return;
	}
	/* Made if need be: a restarted agent learns its pid from disk. */
	t = tun_get(r->ifname, 1);
	if (t != NULL && t->pid > 0 && proc_is_ours(t->pid, r->ifname)) {
		/* wireguard-go ends when its tun goes: make sure it did. */
		r->pid = t->pid;
		r->stage = ST_WAIT_EXIT;
		evtimer_add(&r->ev, &tv);
		return;
	}
	remove_done(r);
}

static void
remove_tick(int fd, short event, void *arg)
{
	struct wg_req	*r = arg;
	struct timeval	 tv = { 0, 100 * 1000 };

	if (proc_gone(r->pid)) {
		remove_done(r);
		return;
	}
	r->ticks++;
	if (r->ticks == WG_EXIT_WAIT) {
		log_warnx("%s: wireguard-go pid %d still running without its "
		    "link; sending SIGTERM", r->ifname, (int)r->pid);
		kill(r->pid, SIGTERM);
		counters.userspace_killed++;
	} else if (r->ticks == WG_EXIT_WAIT + WG_KILL_WAIT) {
		log_warnx("%s: wireguard-go pid %d: SIGKILL", r->ifname,
		    (int)r->pid);
		kill(r->pid, SIGKILL);
	} else if (r->ticks > WG_EXIT_WAIT + 2 * WG_KILL_WAIT) {
		req_fail(r, ETIMEDOUT, "wireguard-go pid %d does not exit",
		    (int)r->pid);
		return;
	}
	evtimer_add(&r->ev, &tv);
}

/* The link is gone: forget the tunnel, here and on disk. */
static void
remove_done(struct wg_req *r)
{
	struct wg_tun	*t;
	char		 path[PATH_MAX];

	if ((t = tun_get(r->ifname, 0)) != NULL && !t->starting) {
		tun_free(t);
		ports_changed();
	}
	if (state_path(path, sizeof(path), r->ifname, "pid") == 0)
		unlink(path);
	if (state_path(path, sizeof(path), r->ifname, "addrs") == 0)
		unlink(path);
	r->stage = ST_SENT;
	req_finish(r);
}

/* Statistics. */

int
wg_tunnel_stats(wg_stats_cb cb, void *arg)
{
	struct wg_req	*r;

	if ((r = req_new(REQ_STATS, NULL)) == NULL)
		return -1;
	r->scb = cb;
	r->arg = arg;
	req_proceed(r);
	return 0;
}

static void
stats_proceed(struct wg_req *r)
{
	struct wg_tun		*t;
	struct wgmsg_name	 m;
	size_t			 i = 0;
	int			 fd;

	if (ntuns == 0) {
		req_finish(r);
		return;
	}
	if ((r->st = calloc(ntuns, sizeof(*r->st))) == NULL) {
		req_fail(r, errno, "stats: %s", strerror(errno));
		return;
	}
	r->stage = ST_SENT;
	TAILQ_FOREACH(t, &tuns, entry) {
		strlcpy(r->st[i].ifname, t->ifname, sizeof(r->st[i].ifname));
		memset(&m, 0, sizeof(m));
		strlcpy(m.ifname, t->ifname, sizeof(m.ifname));
		m.backend = backend_msg();
		fd = -1;
		if (backend != WGMSG_BACKEND_KERNEL && !t->starting &&
		    !t->uapi_held &&
		    (fd = wg_uapi_connect(NULL, t->ifname)) != -1)
			counters.uapi_connects++;
		parent_imsg_compose(PROC_WGCTL, IMSG_WG_GET, r->pend.id, fd, &m,
		    sizeof(m));
		i++;
	}
	r->nst = i;
}

static void
stats_answer(struct wg_req *r, const struct wgmsg_stats *s)
{
	struct wg_tunnel_stats	*st;
	struct wg_tun		*t;

	if (r->nans >= r->nst)
		fatalx("wgctl: more statistics than asked for");
	st = &r->st[r->nans++];
	if (strcmp(st->ifname, s->ifname) != 0)
		fatalx("wgctl: statistics out of order");
	if ((t = tun_get(s->ifname, 0)) != NULL && !t->starting)
		t->uapi_held = s->held != 0;
	st->present = s->present;
	st->link_up = s->link_up;
	st->last_handshake = s->last_handshake;
	st->rx_bytes = s->rx_bytes;
	st->tx_bytes = s->tx_bytes;
	if (r->nans == r->nst)
		req_finish(r);
}

/* Loopback addresses. */

/*
 * The router's own addresses on ifname: want is what should be there,
 * old what the agent put there before (removed unless wanted).  kind
 * "dummy" creates a missing link of that kind; NULL or "" wants the
 * link to exist.  cb gets the bits of want that were added.
 */
int
wg_loopback_apply(const char *ifname, const char *kind,
    const struct wgt_prefix *want, size_t nwant,
    const struct wgt_prefix *old, size_t nold, wg_loopback_cb cb, void *arg)
{
	struct wg_req	*r;
	size_t		 i;

	if (!ifname_valid(ifname) || nwant > WGMSG_LOOP_MAX ||
	    nold > WGMSG_LOOP_MAX || (kind != NULL && *kind != '\0' &&
	    strcmp(kind, "dummy") != 0)) {
		errno = EINVAL;
		return -1;
	}
	if ((r = req_new(REQ_LOOPBACK, ifname)) == NULL)
		return -1;
	r->lcb = cb;
	r->arg = arg;
	strlcpy(r->lm.ifname, ifname, sizeof(r->lm.ifname));
	if (kind != NULL)
		strlcpy(r->lm.kind, kind, sizeof(r->lm.kind));
	for (i = 0; i < nwant; i++)
		if (prefix_from(&want[i], &r->lm.addrs[r->lm.naddrs++]) ==
		    -1) {
			req_fail(r, EINVAL, "loopback address %zu: bad family "
			    "or length", i);
			return 0;
		}
	for (i = 0; i < nold; i++)
		if (prefix_from(&old[i], &r->lm.old[r->lm.nold++]) == -1) {
			req_fail(r, EINVAL, "old loopback address %zu: bad "
			    "family or length", i);
			return 0;
		}
	req_proceed(r);
	return 0;
}

/* Public addresses. */

int
wg_pubaddr(wg_pubaddr_cb cb, void *arg)
{
	struct wg_req	*r;

	if (!started) {
		errno = ENOTCONN;
		return -1;
	}
	if ((r = req_new(REQ_PUBADDR, NULL)) == NULL)
		return -1;
	r->pcb = cb;
	r->arg = arg;
	req_proceed(r);
	return 0;
}

/*
 * wgctl serves one request at a time, and a tunnel being applied can
 * keep it for seconds: the caller gets a timeout instead of waiting,
 * and the late answer finds the request with its callback cleared.
 */
static void
pubaddr_send(struct wg_req *r)
{
	r->stage = ST_SENT;
	parent_imsg_compose(PROC_WGCTL, IMSG_WG_PUBADDR, r->pend.id, -1, NULL,
	    0);
	pending_timeout(&r->pend, WG_PUBADDR_TIMEOUT);
}

/* Only the public addresses have a time limit. */
static void
req_expired(void *arg)
{
	struct wg_req	*r = arg;
	wg_pubaddr_cb	 cb = r->pcb;

	if (r->type != REQ_PUBADDR)
		return;
	r->pcb = NULL;
	if (cb != NULL)
		cb(ETIMEDOUT, NULL, r->arg);
}

static void
pubaddr_answer(struct imsg *imsg)
{
	struct wgmsg_pubaddr	 m;
	struct wg_req		*r;

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1)
		fatalx("%s: IMSG_WG_PUBADDR_RESULT wrong length", __func__);
	if ((m.flags & ~(WGMSG_PUB_V4 | WGMSG_PUB_V6)) != 0 || m.err4 < 0 ||
	    m.err6 < 0)
		fatalx("%s: malformed IMSG_WG_PUBADDR_RESULT", __func__);
	r = req_find(imsg_get_id(imsg), REQ_PUBADDR);
	pending_untime(&r->pend);
	if (m.err4 != 0)
		log_debug("public IPv4 address: %s", strerror(m.err4));
	if (m.err6 != 0)
		log_debug("public IPv6 address: %s", strerror(m.err6));
	r->pa.has_v4 = (m.flags & WGMSG_PUB_V4) != 0;
	r->pa.has_v6 = (m.flags & WGMSG_PUB_V6) != 0;
	r->pa.v4 = m.v4;
	r->pa.v6 = m.v6;
	req_finish(r);
}

/* Who wants to know when the set of listen ports may have changed. */
void
wg_on_ports_changed(void (*cb)(void))
{
	ports_cb = cb;
}

static void
ports_changed(void)
{
	if (ports_cb != NULL)
		ports_cb();
}

/* The UDP ports the tunnels were asked to listen on, unsorted. */
size_t
wg_listen_ports(uint16_t *ports, size_t max)
{
	struct wg_tun	*t;
	size_t		 n = 0;

	TAILQ_FOREACH(t, &tuns, entry)
		if (t->listen_port != 0 && n < max)
			ports[n++] = t->listen_port;
	return n;
}

/* From wgctl. */

#define WG_ROUTE(t, len)	{ (t), ROUTE_FROM(PROC_WGCTL), (len), \
	parent_dispatch_wgctl }

static const struct route wg_route_table[] = {
	WG_ROUTE(IMSG_WG_PROBE_RESULT, sizeof(struct wgmsg_probe)),
	WG_ROUTE(IMSG_WG_RESULT, sizeof(struct wgmsg_result)),
	WG_ROUTE(IMSG_WG_STATS, sizeof(struct wgmsg_stats)),
	WG_ROUTE(IMSG_WG_PUBADDR_RESULT, sizeof(struct wgmsg_pubaddr)),
	/* The fetcher looks endpoint names up for the tunnels. */
	{ IMSG_RESOLVE_RESULT, ROUTE_FROM(PROC_FETCHER),
	    sizeof(struct resolve_result_msg), resolve_result },
};

void
wg_routes(void)
{
	route_add(wg_route_table,
	    sizeof(wg_route_table) / sizeof(wg_route_table[0]));
}

void
parent_dispatch_wgctl(struct imsg *imsg)
{
	struct wgmsg_probe	 probe;
	struct wgmsg_result	 res;
	struct wgmsg_stats	 st;
	struct wg_req		*r, *next;

	switch (imsg_get_type(imsg)) {
	case IMSG_WG_PROBE_RESULT:
		if (imsg_get_data(imsg, &probe, sizeof(probe)) == -1)
			fatalx("%s: IMSG_WG_PROBE_RESULT wrong length",
			    __func__);
		if (conf->wg_backend == WG_BACKEND_AUTO) {
			backend = probe.kernel ? WGMSG_BACKEND_KERNEL :
			    WGMSG_BACKEND_UAPI;
			log_info("WireGuard back end: %s", probe.kernel ?
			    "kernel" : "userspace (the kernel has no "
			    "WireGuard)");
		} else if (conf->wg_backend == WG_BACKEND_KERNEL) {
			backend = WGMSG_BACKEND_KERNEL;
			if (!probe.kernel)
				log_warnx("WireGuard back end: kernel, as "
				    "configured, but the kernel has none: %s",
				    strerror(probe.err));
		}
		for (r = pending_first(&wg_reqs); r != NULL; r = next) {
			next = pending_next(&r->pend);
			if (r->stage == ST_WAIT_BACKEND)
				req_proceed(r);
		}
		break;
	case IMSG_WG_RESULT:
		if (imsg_get_data(imsg, &res, sizeof(res)) == -1)
			fatalx("%s: IMSG_WG_RESULT wrong length", __func__);
		res.msg[sizeof(res.msg) - 1] = '\0';
		if (res.err < 0)
			fatalx("%s: IMSG_WG_RESULT: bad errno", __func__);
		r = pending_find(&wg_reqs, imsg_get_id(imsg));
		if (r == NULL || r->stage != ST_SENT)
			fatalx("%s: result for unknown request %u", __func__,
			    imsg_get_id(imsg));
		if (r->type == REQ_APPLY)
			apply_result(r, &res);
		else if (r->type == REQ_REMOVE)
			remove_result(r, &res);
		else if (r->type == REQ_LOOPBACK) {
			counters.rtnl_msgs += res.rtnl_msgs;
			if (r->lm.naddrs < 32 &&
			    (res.changes >> r->lm.naddrs) != 0)
				fatalx("%s: loopback result: bad changes",
				    __func__);
			r->added = res.changes;
			if (res.err != 0)
				req_fail(r, res.err, "%s", res.msg);
			else
				req_finish(r);
		}
		else
			fatalx("%s: result for a stats request", __func__);
		break;
	case IMSG_WG_STATS:
		if (imsg_get_data(imsg, &st, sizeof(st)) == -1)
			fatalx("%s: IMSG_WG_STATS wrong length", __func__);
		st.ifname[sizeof(st.ifname) - 1] = '\0';
		r = req_find(imsg_get_id(imsg), REQ_STATS);
		stats_answer(r, &st);
		break;
	case IMSG_WG_PUBADDR_RESULT:
		pubaddr_answer(imsg);
		break;
	default:
		fatalx("%s: unexpected imsg %s", __func__,
		    imsg_type_name(imsg_get_type(imsg)));
	}
}

/* Tunnels and what the state directory remembers of them. */

static int
state_path(char *buf, size_t len, const char *ifname, const char *what)
{
	return store_path(strcmp(what, "pid") == 0 ? STORE_WG_PID :
	    STORE_WG_ADDRS, ifname, buf, len);
}

/* Finds the tunnel; create: else make it, adopting what disk says. */
static struct wg_tun *
tun_get(const char *ifname, int create)
{
	struct wg_tun		*t;
	struct wgmsg_prefix	 p;
	const char		*errstr;
	char			 path[PATH_MAX], *buf, *line, *s;
	size_t			 len;
	struct wg_tun		 key;

	memset(&key, 0, sizeof(key));
	if (strlcpy(key.ifname, ifname, sizeof(key.ifname)) <
	    sizeof(key.ifname) &&
	    (t = RB_FIND(tun_tree, &tun_byname, &key)) != NULL)
		return t;
	if (!create)
		return NULL;
	if (ntuns >= WG_TUNS_MAX) {
		errno = ENOSPC;
		return NULL;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	strlcpy(t->ifname, ifname, sizeof(t->ifname));
	t->start_fd = -1;
	if (state_path(path, sizeof(path), ifname, "pid") == 0 &&
	    (buf = statefile_read(path, store_max(STORE_WG_PID), &len)) !=
	    NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		t->pid = strtonum(buf, 1, INT_MAX, &errstr);
		if (errstr != NULL || !proc_is_ours(t->pid, ifname))
			t->pid = 0;
		else
			log_debug("%s: adopting wireguard-go pid %d", ifname,
			    (int)t->pid);
		free(buf);
	}
	if (state_path(path, sizeof(path), ifname, "addrs") == 0 &&
	    (buf = statefile_read(path, store_max(STORE_WG_ADDRS),
	    &len)) != NULL) {
		for (s = buf; (line = strsep(&s, "\n")) != NULL;) {
			if (*line == '\0')
				continue;
			if (prefix_parse(line, &p) == -1 ||
			    t->nowned >= WGMSG_ADDRS_MAX) {
				log_warnx("%s: bad line, ignored", path);
				continue;
			}
			t->owned[t->nowned++] = p;
		}
		free(buf);
	}
	TAILQ_INSERT_TAIL(&tuns, t, entry);
	RB_INSERT(tun_tree, &tun_byname, t);
	ntuns++;
	return t;
}

static void
tun_free(struct wg_tun *t)
{
	TAILQ_REMOVE(&tuns, t, entry);
	RB_REMOVE(tun_tree, &tun_byname, t);
	ntuns--;
	free(t);
}

static void
tun_save_addrs(struct wg_tun *t)
{
	char		 path[PATH_MAX], buf[WGMSG_ADDRS_MAX * 96], line[96];
	uint32_t	 i;

	if (state_path(path, sizeof(path), t->ifname, "addrs") == -1)
		return;
	buf[0] = '\0';
	for (i = 0; i < t->nowned; i++)
		if (prefix_fmt(&t->owned[i], line, sizeof(line)) == 0) {
			strlcat(buf, line, sizeof(buf));
			strlcat(buf, "\n", sizeof(buf));
		}
	if (statefile_write(path, buf, strlen(buf)) == -1)
		log_warnx("%s: cannot remember the addresses of %s", path,
		    t->ifname);
}

/* Userspace WireGuard. */

/*
 * Each wireguard-go watches its UAPI socket with an inotify instance of
 * its own; past fs.inotify.max_user_instances (128 on Debian, counted
 * per user: every root process's together) the next one creates its
 * socket, fails to watch it and exits, and connecting says "Connection
 * refused".  The limit is raised ahead of the tunnels, with half the default
 * room left for the rest of the system, in steps so that it is seldom
 * written; never lowered, and never put back: it is the router's.
 */
#define INOTIFY_LIMIT	"/proc/sys/fs/inotify/max_user_instances"
#define INOTIFY_SPARE	64
#define INOTIFY_STEP	512

static long	 inotify_known;		/* the limit last read or set */
static long	 inotify_extra;		/* others hold more than thought */

static void
inotify_room(void)
{
	static int	 warned;
	const char	*errstr;
	char		 buf[32];
	ssize_t		 n;
	long		 need, want, cur;
	int		 fd;

	need = (long)ntuns + INOTIFY_SPARE + inotify_extra;
	want = (need + INOTIFY_STEP - 1) / INOTIFY_STEP * INOTIFY_STEP;
	if (inotify_known >= need)
		return;
	if ((fd = open(INOTIFY_LIMIT, O_RDWR | O_CLOEXEC)) == -1) {
		if (!warned++)
			log_warn("%s", INOTIFY_LIMIT);
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	cur = strtonum(buf, 0, INT_MAX, &errstr);
	if (errstr != NULL) {
		if (!warned++)
			log_warnx("%s: \"%s\": %s", INOTIFY_LIMIT, buf, errstr);
		close(fd);
		return;
	}
	inotify_known = cur;
	if (cur >= need) {
		close(fd);
		return;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", want);
	if (lseek(fd, 0, SEEK_SET) == -1 || write(fd, buf, n) != n) {
		if (!warned++)
			log_warn("%zu userspace tunnels need more inotify "
			    "instances than fs.inotify.max_user_instances = "
			    "%ld allows; set it to %ld or more", ntuns, cur,
			    want);
		close(fd);
		return;
	}
	close(fd);
	inotify_known = want;
	log_info("fs.inotify.max_user_instances raised from %ld to %ld: "
	    "each userspace WireGuard tunnel takes one (%zu tunnels)", cur,
	    want, ntuns);
}

/*
 * A wireguard-go whose socket refuses found no inotify instance: other
 * processes hold more than the spare.  The next start asks for a step
 * more (the session is retried by the engine).
 */
static void
inotify_short(void)
{
	if (inotify_known == 0)
		return;		/* the starts under way failed together */
	if (inotify_extra < INT_MAX / 2)
		inotify_extra += INOTIFY_STEP;
	inotify_known = 0;
}

static int
start_userspace(struct wg_tun *t, char *err, size_t errlen)
{
	struct timeval	 tv = { WG_START_TIMEOUT + 5, 0 };
	pid_t		 pid;
	int		 p;

	if (conf->wg_userspace_cmd[0] == '\0') {
		snprintf(err, errlen, "no wireguard.userspaceCommand");
		errno = EINVAL;
		return -1;
	}
	inotify_room();
	if ((pid = reap_fork_pipe(&p, err, errlen)) == -1)
		return -1;
	if (pid == 0)
		start_helper(p, conf->wg_userspace_cmd, t->ifname);
	log_info("%s: starting %s", t->ifname, conf->wg_userspace_cmd);
	t->starting = 1;
	t->uapi_held = 0;
	t->start_fd = p;
	t->start_helper = pid;
	event_set(&t->ev_start, p, EV_READ, start_done, t);
	event_add(&t->ev_start, &tv);
	return 0;
}

/*
 * The daemon, reparented to the helper (a subreaper) when its parent
 * left.  Without /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN,
 * off in Debian's kernels) only /proc tells, and reading the stat of
 * every process for each of hundreds of tunnels was most of a cold
 * apply's CPU: the daemon was forked after b, so the processes made
 * after b are looked at first, the others only when pids wrapped.
 */
static pid_t
daemon_find(pid_t b)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[64], buf[512], *s;
	const char	*errstr;
	ssize_t		 n;
	pid_t		 pid, ppid, found = 0;
	int		 fd, pass;

	for (pass = 0; pass < 2 && found == 0; pass++) {
		if ((d = opendir("/proc")) == NULL)
			return 0;
		while (found == 0 && (de = readdir(d)) != NULL) {
			pid = strtonum(de->d_name, 1, INT_MAX, &errstr);
			if (errstr != NULL || (pass == 0) != (pid > b))
				continue;
			snprintf(path, sizeof(path), "/proc/%d/stat",
			    (int)pid);
			if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
				continue;
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			if (n <= 0)
				continue;
			buf[n] = '\0';
			if ((s = strrchr(buf, ')')) != NULL &&
			    sscanf(s + 1, " %*c %d", &ppid) == 1 &&
			    ppid == getpid())
				found = pid;
		}
		closedir(d);
	}
	return found;
}

/*
 * The helper, a child of the parent: its own session, a subreaper so
 * that the daemon wireguard-go forks is seen (its pid goes to the
 * state directory), then "cmd ifname" with a clean environment.  It
 * reports the exit status, the daemon's pid and the first output, and
 * exits; the daemon then belongs to init.
 */
static __dead void
start_helper(int wfd, const char *cmd, const char *ifname)
{
	struct start_report	 rep;
	struct pollfd		 pfd;
	struct timespec		 t0, now;
	sigset_t		 set;
	char			 buf[512];
	size_t			 off = 0;
	ssize_t			 n;
	pid_t			 b;
	int			 q[2], fd, status = -1, i, eof = 0;

	for (i = 1; i < NSIG; i++)
		signal(i, SIG_DFL);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	memset(&rep, 0, sizeof(rep));
	setsid();
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (pipe2(q, O_CLOEXEC) == -1)
		_exit(1);
	switch (b = fork()) {
	case -1:
		_exit(1);
	case 0:
		if ((fd = open("/dev/null", O_RDWR)) == -1 ||
		    dup2(fd, STDIN_FILENO) == -1 ||
		    dup2(q[1], STDOUT_FILENO) == -1 ||
		    dup2(q[1], STDERR_FILENO) == -1)
			_exit(126);
		closefrom(STDERR_FILENO + 1);
		if (chdir("/") == -1)
			_exit(126);
		clearenv();
		setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:"
		    "/usr/bin:/sbin:/bin", 1);
		/*
		 * Under systemd, a scope of its own: stopping or restarting
		 * moenet-agent.service then leaves the tunnel alone.  The
		 * scope runs the command in this very process, so the pid
		 * and exit status reach us as without it.
		 */
		if (access("/run/systemd/system", F_OK) == 0) {
			char	 unit[64];

			snprintf(unit, sizeof(unit), "moenet-wg-%s-%d", ifname,
			    (int)getpid());
			execlp("systemd-run", "systemd-run", "--scope",
			    "--quiet", "--collect", "--unit", unit, cmd,
			    ifname, (char *)NULL);
			/* No systemd-run: as without systemd. */
		}
		execlp(cmd, cmd, ifname, (char *)NULL);
		dprintf(STDERR_FILENO, "exec %s: %s\n", cmd, strerror(errno));
		_exit(127);
	}
	close(q[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pfd.fd = q[0];
	pfd.events = POLLIN;
	for (;;) {
		if (!eof && poll(&pfd, 1, 100) > 0) {
			if ((n = read(q[0], buf, sizeof(buf))) <= 0)
				eof = 1;
			else if (off < sizeof(rep.out) - 1) {
				if ((size_t)n > sizeof(rep.out) - 1 - off)
					n = sizeof(rep.out) - 1 - off;
				memcpy(rep.out + off, buf, n);
				off += n;
			}
		} else if (eof)
			usleep(10 * 1000);
		if (waitpid(b, &status, WNOHANG) == b)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec > WG_START_TIMEOUT) {
			kill(b, SIGKILL);
			waitpid(b, NULL, 0);
			status = -1;
			break;
		}
	}
	rep.status = status;
	if (status == 0)
		rep.pid = daemon_find(b);
	if (write(wfd, &rep, sizeof(rep)) != sizeof(rep))
		_exit(1);
	_exit(0);
}

static void
start_done(int fd, short event, void *arg)
{
	struct wg_tun		*t = arg;
	struct start_report	 rep;
	struct wg_req		*r, *next;
	char			 err[PATH_MAX + 1024], path[PATH_MAX], buf[32];
	char			*nl;
	ssize_t			 n;
	int			 ufd, ok = 0, refused;

	memset(&rep, 0, sizeof(rep));
	if (event & EV_TIMEOUT) {
		kill(t->start_helper, SIGKILL);
		snprintf(err, sizeof(err), "%s %s: no answer within %d s",
		    conf->wg_userspace_cmd, t->ifname, WG_START_TIMEOUT + 5);
	} else if ((n = read(fd, &rep, sizeof(rep))) != sizeof(rep))
		snprintf(err, sizeof(err), "%s %s: the start helper died",
		    conf->wg_userspace_cmd, t->ifname);
	else {
		rep.out[sizeof(rep.out) - 1] = '\0';
		if ((nl = strchr(rep.out, '\n')) != NULL)
			*nl = '\0';
		if (rep.status == -1)
			snprintf(err, sizeof(err), "%s %s: no answer within "
			    "%d s", conf->wg_userspace_cmd, t->ifname,
			    WG_START_TIMEOUT);
		else if (WIFSIGNALED(rep.status))
			snprintf(err, sizeof(err), "%s: killed by signal "
			    "%d%s%s",
			    conf->wg_userspace_cmd, WTERMSIG(rep.status),
			    rep.out[0] ? ": " : "", rep.out);
		else if (WEXITSTATUS(rep.status) != 0)
			snprintf(err, sizeof(err), "%s: exited %d%s%s",
			    conf->wg_userspace_cmd, WEXITSTATUS(rep.status),
			    rep.out[0] ? ": " : "", rep.out);
		else if ((ufd = wg_uapi_connect(NULL, t->ifname)) == -1) {
			refused = errno == ECONNREFUSED;
			snprintf(err, sizeof(err), "%s started, but %s/%s.sock:"
			    " %s%s", conf->wg_userspace_cmd, WG_UAPI_DIR,
			    t->ifname, strerror(errno), refused ?
			    " (out of inotify instances? see "
			    "fs.inotify.max_user_instances)" : "");
			if (refused)
				inotify_short();
		} else {
			close(ufd);
			ok = 1;
		}
	}
	event_del(&t->ev_start);
	close(fd);
	t->start_fd = -1;
	t->starting = 0;
	/* Reaped here unless the agent's SIGCHLD handler was first. */
	waitpid(t->start_helper, NULL, WNOHANG);
	t->start_helper = 0;
	if (ok) {
		counters.userspace_started++;
		t->pid = rep.pid;
		log_info("%s: %s running, pid %d", t->ifname,
		    conf->wg_userspace_cmd, (int)rep.pid);
		if (rep.pid > 0 && state_path(path, sizeof(path), t->ifname,
		    "pid") == 0) {
			snprintf(buf, sizeof(buf), "%d\n", (int)rep.pid);
			if (statefile_write(path, buf, strlen(buf)) == -1)
				log_warnx("%s: cannot remember the pid", path);
		}
	}
	for (r = pending_first(&wg_reqs); r != NULL; r = next) {
		next = pending_next(&r->pend);
		if (r->stage != ST_WAIT_START || strcmp(r->ifname,
		    t->ifname) != 0)
			continue;
		if (ok)
			apply_proceed(r);
		else
			req_fail(r, ECHILD, "%s", err);
	}
}

/* pid is a live "<userspace command> ifname". */
static int
proc_is_ours(pid_t pid, const char *ifname)
{
	char		 path[64], buf[1024], *last, *base;
	const char	*want;
	ssize_t		 n;
	int		 fd;

	if (pid <= 0 || proc_gone(pid))
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 1)
		return 0;
	buf[n] = '\0';
	if (buf[n - 1] == '\0')
		n--;
	for (last = buf + n; last > buf && last[-1] != '\0'; last--)
		;
	if (strcmp(last, ifname) != 0)
		return 0;
	want = strrchr(conf->wg_userspace_cmd, '/');
	want = want ? want + 1 : conf->wg_userspace_cmd;
	base = strrchr(buf, '/');
	base = base ? base + 1 : buf;
	return strcmp(base, want) == 0;
}

/* Gone, or a zombie whose parent (init) has yet to reap it. */
static int
proc_gone(pid_t pid)
{
	char	 path[64], buf[256], *s;
	ssize_t	 n;
	int	 fd;

	if (kill(pid, 0) == -1 && errno == ESRCH)
		return 1;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return errno == ENOENT;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 1;
	buf[n] = '\0';
	if ((s = strrchr(buf, ')')) == NULL)
		return 0;
	return s[1] == ' ' && (s[2] == 'Z' || s[2] == 'X');
}

/* Small helpers. */

static int
ifname_valid(const char *s)
{
	return ifname_check(s, IFNAMSIZ) == NULL;
}

static int
prefix_from(const struct wgt_prefix *in, struct wgmsg_prefix *out)
{
	memset(out, 0, sizeof(*out));
	if (in->af == AF_INET && in->plen <= 32) {
		out->af = AF_INET;
		memcpy(out->addr, &in->addr.v4, 4);
	} else if (in->af == AF_INET6 && in->plen <= 128) {
		out->af = AF_INET6;
		memcpy(out->addr, &in->addr.v6, 16);
	} else
		return -1;
	out->plen = in->plen;
	return 0;
}

static int
prefix_eq(const struct wgmsg_prefix *a, const struct wgmsg_prefix *b)
{
	return a->af == b->af && a->plen == b->plen &&
	    a->has_peer == b->has_peer &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0 &&
	    memcmp(a->peer, b->peer, sizeof(a->peer)) == 0;
}

/* "fe80::1/64", "172.20.0.1/32 peer 172.20.0.2". */
static int
prefix_fmt(const struct wgmsg_prefix *p, char *buf, size_t len)
{
	char	 a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	int	 n;

	if (inet_ntop(p->af, p->addr, a, sizeof(a)) == NULL)
		return -1;
	if (p->has_peer) {
		if (inet_ntop(AF_INET, p->peer, b, sizeof(b)) == NULL)
			return -1;
		n = snprintf(buf, len, "%s/%u peer %s", a, p->plen, b);
	} else
		n = snprintf(buf, len, "%s/%u", a, p->plen);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int
prefix_parse(const char *s, struct wgmsg_prefix *p)
{
	char		 buf[128], *slash, *peer;
	const char	*errstr;

	memset(p, 0, sizeof(*p));
	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -1;
	if ((peer = strstr(buf, " peer ")) != NULL) {
		*peer = '\0';
		peer += 6;
	}
	if ((slash = strchr(buf, '/')) == NULL)
		return -1;
	*slash++ = '\0';
	p->af = strchr(buf, ':') != NULL ? AF_INET6 : AF_INET;
	p->plen = strtonum(slash, 0, p->af == AF_INET ? 32 : 128, &errstr);
	if (errstr != NULL || inet_pton(p->af, buf, p->addr) != 1)
		return -1;
	if (peer != NULL) {
		if (p->af != AF_INET || inet_pton(AF_INET, peer, p->peer) != 1)
			return -1;
		p->has_peer = 1;
	}
	return 0;
}
