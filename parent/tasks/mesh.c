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
 * The network's own routers.
 *
 * meshSync: GET mesh lists the other routers of the network.  Each
 * gets a WireGuard tunnel "dn42-wg-igp-<nodeId>" listening on
 * 51820 + nodeId, through wgctl one at a time by the reconcile step
 * the session sync uses (reconcile.c); then the Babel file
 * (templates/babel.conf.in) goes through the apply pipeline, and POST
 * mesh/status says per peer "configured" or "error: <why>".
 *
 * ibgpSync: GET bird-config gives our AS, the aggregates and the
 * ibgpPeers; each peer gets "ibgp_<nodeId>.conf" (render_ibgp_peer),
 * all of them in one apply transaction, the reconcile step's too.
 *
 * Both kinds of file live in bird.ibgpConfDir, which the operator's
 * bird.conf includes: the Babel file is "mesh_babel.conf", a name the
 * iBGP files ("ibgp_<id>.conf") never take.
 *
 * What the agent owns (tunnels, iBGP files) is kept in mesh_state.json
 * in the state directory, and iBGP files are also recognised by their
 * first line, so that a restarted agent still removes what it made.
 * A peer missing from a valid document is removed only once it has
 * been missing from controlPlane.removeAfterMissing documents in a row,
 * as for sessions: a list that comes back empty by mistake does not
 * tear the network's own mesh down at once.  A failed or malformed
 * fetch changes nothing.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/tree.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <event.h>
#include <ifaddrs.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "cp.h"
#include "cpctl.h"
#include "parent/ports/cpclient.h"
#include "parent/ports/cphealth.h"
#include "parent/ports/render.h"
#include "parent/ports/apply.h"
#include "parent/ports/wg.h"
#include "parent/core/sched.h"
#include "parent/tasks/engine.h"
#include "parent/core/jdom.h"
#include "parent/core/statefile.h"
#include "parent/core/store.h"
#include "parent/tasks/disabled.h"
#include "parent/tasks/policy.h"
#include "parent/tasks/mesh.h"
#include "parent/tasks/reconcile.h"
#include "parent/ports/firewall.h"
#include "parent/ports/birdfiles.h"
#include "parent/tasks/owner.h"

#define MSTATE_VERSION		1
#define HEADER_MAX		512
#define IBGP_ID_MAX		UINT16_MAX
#define SET_MAX			(64 * 1024)

enum act {
	ACT_NONE,
	ACT_UP,		/* set up or keep as the document says */
	ACT_DOWN,	/* gone from the documents: remove */
	ACT_FAIL	/* listed, but invalid: report, touch nothing */
};

struct mpeer {
	RB_ENTRY(mpeer)		 entry;
	uint32_t		 id;
	struct cp_mesh_peer_msg	 want;
	unsigned int		 missing;
	int			 listed;
	int			 owned;		/* its tunnel may exist */
	enum act		 act;
	char			 error[CP_ERROR_LEN];	/* this sync */
	char			 logged[CP_ERROR_LEN];	/* last logged */
	int			 said;		/* logged[] is set */
};

struct ipeer {
	RB_ENTRY(ipeer)		 entry;
	uint32_t		 id;
	struct render_ibgp_peer	 want;
	unsigned int		 missing;
	int			 listed;
	int			 owned;		/* its file may exist */
	int			 failed;	/* this sync */
	enum act		 act;
	char			 logged[CP_ERROR_LEN];
};

RB_HEAD(mpeer_tree, mpeer);
RB_HEAD(ipeer_tree, ipeer);

static int	mpeer_cmp(const struct mpeer *, const struct mpeer *);
static int	ipeer_cmp(const struct ipeer *, const struct ipeer *);
RB_PROTOTYPE_STATIC(mpeer_tree, mpeer, entry, mpeer_cmp)
RB_PROTOTYPE_STATIC(ipeer_tree, ipeer, entry, ipeer_cmp)

static struct mpeer	*mpeer_get(uint32_t, int);
static struct ipeer	*ipeer_get(uint32_t, int);
static void	mesh_fetched(const struct cp_result_msg *,
		    const struct cp_reply *, void *);
static void	mesh_tunnel(const struct mpeer *, struct wg_tunnel *);
static enum reconcile_op mesh_tunnel_want(size_t, struct wg_tunnel *);
static void	mesh_tunnel_done(size_t, enum reconcile_op, const char *,
		    int);
static void	mesh_babel(void);
static void	mesh_babel_done(const struct apply_result *, void *);
static void	mesh_report(void);
static void	mesh_status_done(const struct cp_result_msg *,
		    const struct cp_reply *, void *);
static void	mesh_finish(void);
static int	babel_render(char **, size_t *, char *, size_t);
static int	babel_set(char *, size_t, int);
static void	babel_loopback_if(char *, size_t);
static void	ibgp_fetched(const struct cp_result_msg *,
		    const struct cp_reply *, void *);
static int	ibgp_params(const struct cp_policy_msg *, char *, size_t);
static int	ibgp_stage(struct reconcile *, size_t);
static int	ibgp_names(size_t, const struct apply_result *);
static void	ibgp_refused(size_t, const struct apply_result *);
static void	ibgp_done(const struct apply_result *);
static void	ibgp_finish(void);
static void	ibgp_scan_dir(void);
static void	task_kick(struct sched_task *);
static int	ifname_ok(const char *);
static void	mstate_load(void);
static void	mstate_save(void);
static int	mstate_write(FILE *);
static void	mstate_read(const struct jnode *);
static void	mstate_migrate(const char *, char *, size_t);
static void	sbuf_add(char **, size_t *, size_t *, const char *, ...)
		    __attribute__((__format__ (printf, 4, 5)));
static void	errf(char *, size_t, const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));

static struct mpeer_tree	 mpeers = RB_INITIALIZER(&mpeers);
static struct ipeer_tree	 ipeers = RB_INITIALIZER(&ipeers);

static struct sched_task	*mesh_task, *ibgp_task;
static int			 initialised;
static int			 mesh_kicked, ibgp_kicked;

/* The mesh sync in progress. */
static struct mpeer		**mrun;
static size_t			 nmrun;
static char			 babel_error[CP_ERROR_LEN];

static const struct reconcile_ops mesh_ops = {
	.what = "mesh sync",
	.tunnel = mesh_tunnel_want,
	.tunnel_done = mesh_tunnel_done,
	.tunnels_done = mesh_babel
};
static struct reconcile		 mesh_rc = { .ops = &mesh_ops };

/* The iBGP sync in progress: its peers in id order. */
static struct ipeer		**irun;
static size_t			 nirun;

static const struct reconcile_ops ibgp_ops = {
	.what = "iBGP sync",
	.stage = ibgp_stage,
	.names = ibgp_names,
	.refused = ibgp_refused,
	.files_done = ibgp_done
};
static struct reconcile		 ibgp_rc = { .ops = &ibgp_ops };

/* What the documents said about the network as a whole. */
static struct {
	struct in_addr		 v4;
	struct in6_addr		 v6;
	uint8_t			 len4, len6;
	int			 has4, has6;
} agg;
static int			 self_rr;

/* iBGP rendering. */
static struct render_templates	*templates;
static struct render_params	 rparams;

static int			 loopback_warned;

static int
mpeer_cmp(const struct mpeer *a, const struct mpeer *b)
{
	return a->id < b->id ? -1 : a->id > b->id;
}

static int
ipeer_cmp(const struct ipeer *a, const struct ipeer *b)
{
	return a->id < b->id ? -1 : a->id > b->id;
}

RB_GENERATE_STATIC(mpeer_tree, mpeer, entry, mpeer_cmp)
RB_GENERATE_STATIC(ipeer_tree, ipeer, entry, ipeer_cmp)

static struct mpeer *
mpeer_get(uint32_t id, int create)
{
	struct mpeer	 key, *p;

	memset(&key, 0, sizeof(key));
	key.id = id;
	if ((p = RB_FIND(mpeer_tree, &mpeers, &key)) != NULL || !create)
		return p;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal("%s", __func__);
	p->id = id;
	p->want.node_id = id;
	RB_INSERT(mpeer_tree, &mpeers, p);
	return p;
}

static struct ipeer *
ipeer_get(uint32_t id, int create)
{
	struct ipeer	 key, *q;

	memset(&key, 0, sizeof(key));
	key.id = id;
	if ((q = RB_FIND(ipeer_tree, &ipeers, &key)) != NULL || !create)
		return q;
	if ((q = calloc(1, sizeof(*q))) == NULL)
		fatal("%s", __func__);
	q->id = id;
	q->want.node_id = id;
	RB_INSERT(ipeer_tree, &ipeers, q);
	return q;
}

/*
 * moenetctl restart|disable|enable: the iBGP protocol arg names,
 * "ibgp_<nodeId>" or the peer's node name, if its file is the agent's.
 */
int
mesh_ibgp_find(const char *arg, char *proto, size_t len)
{
	struct ipeer	*q;
	char		 name[RENDER_NAME_LEN];

	RB_FOREACH(q, ipeer_tree, &ipeers) {
		if (!q->owned || !q->listed)
			continue;
		(void)snprintf(name, sizeof(name), "ibgp_%u", q->id);
		if (strcmp(name, arg) == 0 ||
		    strcmp(q->want.node_name, arg) == 0) {
			strlcpy(proto, name, len);
			return 0;
		}
	}
	return -1;
}

/* The iBGP files again now: one disabled or enabled. */
void
mesh_ibgp_kick(void)
{
	task_kick(ibgp_task);
}

void
mesh_init(void)
{
	if (initialised)
		return;
	initialised = 1;
	if (mkdir(conf->bird_ibgp_dir, 0755) == 0)
		log_info("created %s for the iBGP and Babel files",
		    conf->bird_ibgp_dir);
	else if (errno != EEXIST)
		log_warn("%s", conf->bird_ibgp_dir);
	mstate_load();
	ibgp_scan_dir();
}

/*
 * Run a task now (or right after the run in progress): a change that
 * one document brings to the other task's work.
 */
static void
task_kick(struct sched_task *t)
{
	if (t == NULL)
		return;
	/* An extra run is no extra evidence that a peer has gone. */
	if (t == mesh_task)
		mesh_kicked = 1;
	else if (t == ibgp_task)
		ibgp_kicked = 1;
	if (t->running) {
		t->again = 1;
		return;
	}
	evtimer_del(&t->ev);
	t->running = 1;
	t->run(t);
}

static int
ifname_ok(const char *s)
{
	return ifname_check(s, IFNAMSIZ) == NULL;
}

/* Error texts are cut to fit: they are for people. */
static void
errf(char *buf, size_t len, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* Mesh sync. */

void
mesh_run(struct sched_task *t)
{
	mesh_task = t;
	mesh_init();
	cp_fetch(CP_EP_MESH, mesh_fetched, NULL);
}

static void
mesh_fetched(const struct cp_result_msg *r, const struct cp_reply *rep,
    void *arg)
{
	const struct cp_mesh_peer_msg	*d;
	struct mpeer			*p, *next;
	size_t				 i, n;
	int				 rr, count;

	count = !mesh_kicked;
	mesh_kicked = 0;
	if (r->result != CP_RES_OK) {
		cphealth_failed("mesh sync", r);
		sched_done(mesh_task);
		return;
	}
	RB_FOREACH(p, mpeer_tree, &mpeers) {
		p->listed = 0;
		p->act = ACT_NONE;
		p->error[0] = '\0';
	}
	for (i = 0; i < rep->nmesh; i++) {
		d = &rep->mesh[i];
		if (d->flags & CP_PEER_SELF) {
			rr = (d->flags & CP_PEER_RR) != 0;
			if (rr != self_rr) {
				self_rr = rr;
				log_info("mesh: the control plane says this "
				    "router is%s a route reflector",
				    rr ? "" : " not");
				task_kick(ibgp_task);
			}
			continue;
		}
		if (d->node_id == 0 || d->node_id > CP_MESH_NODEID_MAX)
			continue;
		if (conf->node_id > 0 &&
		    d->node_id == (uint32_t)conf->node_id) {
			log_warnx("mesh peer %u is this router: ignored",
			    d->node_id);
			continue;
		}
		p = mpeer_get(d->node_id, 1);
		p->want = *d;
		p->want.node_name[sizeof(p->want.node_name) - 1] = '\0';
		p->want.endpoint_host[sizeof(p->want.endpoint_host) - 1] = '\0';
		p->want.error[sizeof(p->want.error) - 1] = '\0';
		p->listed = 1;
		p->missing = 0;
		if (d->flags & CP_PEER_INVALID) {
			p->act = ACT_FAIL;
			snprintf(p->error, sizeof(p->error), "%s",
			    p->want.error);
		} else
			p->act = ACT_UP;
	}
	/* Missing from a valid document: removed after enough of them. */
	RB_FOREACH_SAFE(p, mpeer_tree, &mpeers, next) {
		if (p->listed)
			continue;
		if (!p->owned) {
			RB_REMOVE(mpeer_tree, &mpeers, p);
			freezero(p, sizeof(*p));
			continue;
		}
		if (count)
			p->missing++;
		if (p->missing < (unsigned int)conf->cp_remove_after_missing) {
			log_info("mesh peer %u missing from the list (%u of "
			    "%d)", p->id, p->missing,
			    conf->cp_remove_after_missing);
			continue;
		}
		log_info("mesh peer %u gone from the control plane: removing",
		    p->id);
		p->act = ACT_DOWN;
	}

	n = 0;
	RB_FOREACH(p, mpeer_tree, &mpeers)
		n++;
	free(mrun);
	if ((mrun = calloc(n + 1, sizeof(*mrun))) == NULL)
		fatal("%s", __func__);
	nmrun = 0;
	RB_FOREACH(p, mpeer_tree, &mpeers)
		if (p->act == ACT_UP || p->act == ACT_DOWN)
			mrun[nmrun++] = p;
	reconcile_tunnels(&mesh_rc, nmrun);
}

/* The tunnel CONTRACT.md describes for a mesh peer. */
static void
mesh_tunnel(const struct mpeer *p, struct wg_tunnel *t)
{
	const struct cp_mesh_peer_msg	*d = &p->want;
	struct wgt_prefix		*a;

	memset(t, 0, sizeof(*t));
	(void)snprintf(t->ifname, sizeof(t->ifname), MESH_IFPREFIX "%u",
	    p->id);
	memcpy(t->peer_pubkey, d->pubkey, sizeof(t->peer_pubkey));
	if (d->flags & CP_PEER_HAS_ENDPOINT) {
		strlcpy(t->endpoint_host, d->endpoint_host,
		    sizeof(t->endpoint_host));
		t->endpoint_port = d->endpoint_port;
	}
	t->listen_port = MESH_PORT_BASE + p->id;
	t->mtu = d->mtu != 0 ? d->mtu : MESH_MTU_DEFAULT;
	t->keepalive = MESH_KEEPALIVE;
	/* wg_tunnel_apply() puts our link-local address on every tunnel. */

	/*
	 * iBGP sends traffic for other networks' prefixes to the peer that
	 * learned them, through this tunnel: it passes only with "any".
	 * One peer per interface, so a default here takes nothing from
	 * another tunnel.
	 */
	if (conf->wg_mesh_allowed == MESH_ALLOWED_ANY) {
		a = &t->allowed[t->nallowed++];
		a->af = AF_INET;
		a->plen = 0;
		a = &t->allowed[t->nallowed++];
		a->af = AF_INET6;
		a->plen = 0;
		return;
	}
	/* Babel's hellos and updates: link-local and multicast. */
	a = &t->allowed[t->nallowed++];
	a->af = AF_INET6;
	a->addr.v6.s6_addr[0] = 0xfe;
	a->addr.v6.s6_addr[1] = 0x80;
	a->plen = 10;
	a = &t->allowed[t->nallowed++];
	a->af = AF_INET6;
	a->addr.v6.s6_addr[0] = 0xff;
	a->plen = 8;
	/*
	 * Anything of the network may come through (the peer may be the
	 * best way to a third router); each tunnel is its own interface,
	 * so the same prefixes on every one do not clash.
	 */
	if (agg.has4) {
		a = &t->allowed[t->nallowed++];
		a->af = AF_INET;
		a->addr.v4 = agg.v4;
		a->plen = agg.len4;
	} else if (d->flags & CP_PEER_HAS_IPV4) {
		a = &t->allowed[t->nallowed++];
		a->af = AF_INET;
		a->addr.v4 = d->loopback4;
		a->plen = 32;
	}
	if (agg.has6) {
		a = &t->allowed[t->nallowed++];
		a->af = AF_INET6;
		a->addr.v6 = agg.v6;
		a->plen = agg.len6;
	} else if (d->flags & CP_PEER_HAS_IPV6) {
		a = &t->allowed[t->nallowed++];
		a->af = AF_INET6;
		a->addr.v6 = d->loopback6;
		a->plen = 128;
	}
}

/* What mesh peer i wants of its tunnel. */
static enum reconcile_op
mesh_tunnel_want(size_t i, struct wg_tunnel *t)
{
	struct mpeer	*p = mrun[i];
	char		 ifname[IFNAMSIZ], err[CP_ERROR_LEN];

	(void)snprintf(ifname, sizeof(ifname), MESH_IFPREFIX "%u", p->id);
	if (p->act == ACT_UP) {
		if (owner_claim_mesh(ifname, err, sizeof(err)) == -1) {
			/* Someone else's interface: reported, untouched. */
			snprintf(p->error, sizeof(p->error), "%s", err);
			return RECONCILE_SKIP;
		}
		mesh_tunnel(p, t);
		/* Whatever happens next, the link may exist. */
		p->owned = 1;
		return RECONCILE_UP;
	}
	if (!owner_owns(ifname)) {
		log_warnx("mesh peer %u: %s is not the agent's: left as it "
		    "is", p->id, ifname);
		p->owned = 0;
		return RECONCILE_SKIP;
	}
	(void)snprintf(t->ifname, sizeof(t->ifname), MESH_IFPREFIX "%u",
	    p->id);
	return RECONCILE_DOWN;
}

static void
mesh_tunnel_done(size_t i, enum reconcile_op op, const char *err,
    int refused)
{
	struct mpeer	*p = mrun[i];
	char		 ifname[IFNAMSIZ];

	if (err != NULL && refused)
		snprintf(p->error, sizeof(p->error), "tunnel: %s", err);
	else if (err != NULL)
		snprintf(p->error, sizeof(p->error), "tunnel "
		    MESH_IFPREFIX "%u: %s", p->id, err);
	else if (op == RECONCILE_DOWN) {
		log_info("mesh peer %u: tunnel " MESH_IFPREFIX "%u removed",
		    p->id, p->id);
		p->owned = 0;
		(void)snprintf(ifname, sizeof(ifname), MESH_IFPREFIX "%u",
		    p->id);
		owner_release(ifname);
	}
}

/* The Babel file, in its own transaction. */
static void
mesh_babel(void)
{
	const char	*expect[] = { "mesh_babel", "mesh_loopback" };
	struct mpeer	*p;
	char		*buf = NULL;
	size_t		 len;

	babel_error[0] = '\0';
	/* A router without a mesh keeps BIRD as it is. */
	RB_FOREACH(p, mpeer_tree, &mpeers)
		if (p->listed || p->owned)
			break;
	if (p == NULL) {
		mesh_report();
		return;
	}
	if (babel_render(&buf, &len, babel_error,
	    sizeof(babel_error)) == -1) {
		log_warnx("mesh: Babel: %s", babel_error);
		mesh_report();
		return;
	}
	if (apply_begin() == -1) {
		errf(babel_error, sizeof(babel_error), "apply: %s",
		    strerror(errno));
		free(buf);
		mesh_report();
		return;
	}
	if (apply_put(conf->bird_ibgp_dir, MESH_BABEL_FILE, buf, len) == -1) {
		errf(babel_error, sizeof(babel_error), "cannot stage %s/%s: "
		    "%s", conf->bird_ibgp_dir, MESH_BABEL_FILE,
		    strerror(errno));
		apply_abort();
		free(buf);
		mesh_report();
		return;
	}
	free(buf);
	if (apply_commit(expect, sizeof(expect) / sizeof(expect[0]),
	    mesh_babel_done, NULL) == -1) {
		snprintf(babel_error, sizeof(babel_error), "cannot commit: %s",
		    strerror(errno));
		apply_abort();
		mesh_report();
	}
}

static void
mesh_babel_done(const struct apply_result *ar, void *arg)
{
	if (ar->status == APPLY_OK) {
		log_info("mesh: Babel file applied");
		store_save();
	} else if (ar->status != APPLY_UNCHANGED) {
		errf(babel_error, sizeof(babel_error), "BIRD: %s",
		    ar->error[0] != '\0' ? ar->error :
		    apply_status_name(ar->status));
		log_warnx("mesh: Babel: %s", babel_error);
	}
	mesh_report();
}

/* POST mesh/status: every listed peer, "configured" or why not. */
static void
mesh_report(void)
{
	struct cp_mesh_status_msg	*m;
	struct mpeer			*p;
	size_t				 n = 0;

	RB_FOREACH(p, mpeer_tree, &mpeers)
		n++;
	if ((m = calloc(n + 1, sizeof(*m))) == NULL)
		fatal("%s", __func__);
	n = 0;
	RB_FOREACH(p, mpeer_tree, &mpeers) {
		if (p->act != ACT_UP && p->act != ACT_FAIL)
			continue;
		if (p->error[0] == '\0' && p->act == ACT_UP &&
		    babel_error[0] != '\0')
			errf(p->error, sizeof(p->error), "Babel: %s",
			    babel_error);
		if (!p->said || strcmp(p->error, p->logged) != 0) {
			if (p->error[0] != '\0')
				log_warnx("mesh peer %u: %s", p->id, p->error);
			else
				log_info("mesh peer %u (%s): tunnel "
				    MESH_IFPREFIX "%u configured", p->id,
				    p->want.node_name, p->id);
			strlcpy(p->logged, p->error, sizeof(p->logged));
			p->said = 1;
		}
		m[n].node_id = p->id;
		strlcpy(m[n].error, p->error, sizeof(m[n].error));
		n++;
	}
	if (n > 0)
		cp_mesh_status(m, n, mesh_status_done, NULL);
	free(m);
	mesh_finish();
}

/* Listed by the control plane and its tunnel set up without error. */
int
mesh_peer_configured(uint32_t id)
{
	struct mpeer	 key, *p;

	memset(&key, 0, sizeof(key));
	key.id = id;
	return (p = RB_FIND(mpeer_tree, &mpeers, &key)) != NULL &&
	    p->listed && p->owned && p->act == ACT_UP && p->error[0] == '\0';
}

void
mesh_foreach_configured(mesh_peer_cb cb, void *arg)
{
	struct mpeer	*p;

	RB_FOREACH(p, mpeer_tree, &mpeers)
		if (mesh_peer_configured(p->id))
			cb(p->id, &p->want, arg);
}

static void
mesh_status_done(const struct cp_result_msg *r, const struct cp_reply *rep,
    void *arg)
{
	if (r->result != CP_RES_OK)
		cphealth_failed("mesh status", r);
}

static void
mesh_finish(void)
{
	struct mpeer	*p, *next;

	RB_FOREACH_SAFE(p, mpeer_tree, &mpeers, next) {
		if (!p->listed && !p->owned) {
			RB_REMOVE(mpeer_tree, &mpeers, p);
			freezero(p, sizeof(*p));
		}
	}
	free(mrun);
	mrun = NULL;
	nmrun = 0;
	owner_mesh_sync_done();
	mstate_save();
	firewall_source_done(FW_SRC_MESH);
	sched_done(mesh_task);
}

/*
 * "where net ~ [ ... ]" for one family: the aggregate's host routes
 * when known, else exactly the loopbacks known (ours and the peers').
 */
static int
babel_set(char *out, size_t outlen, int af)
{
	struct mpeer	*p;
	struct in_addr	 v4;
	struct in6_addr	 v6;
	char		 a[INET6_ADDRSTRLEN];
	size_t		 len;
	int		 n = 0, r;

	r = snprintf(out, outlen, "where net ~ [ ");
	if (r < 0 || (size_t)r >= outlen)
		return -1;
	len = r;
#define ADD(...) do {							\
	r = snprintf(out + len, outlen - len, __VA_ARGS__);		\
	if (r < 0 || (size_t)r >= outlen - len)				\
		return -1;						\
	len += r;							\
	n++;								\
} while (0)
	if (af == AF_INET && agg.has4) {
		inet_ntop(AF_INET, &agg.v4, a, sizeof(a));
		ADD("%s/%u{32,32}", a, agg.len4);
	} else if (af == AF_INET6 && agg.has6) {
		inet_ntop(AF_INET6, &agg.v6, a, sizeof(a));
		ADD("%s/%u{128,128}", a, agg.len6);
	} else {
		if (af == AF_INET && config_addr(conf->wg_dn42_ipv4, AF_INET,
		    &v4) == 0) {
			inet_ntop(AF_INET, &v4, a, sizeof(a));
			ADD("%s/32", a);
		}
		if (af == AF_INET6 && config_addr(conf->wg_dn42_ipv6, AF_INET6,
		    &v6) == 0) {
			inet_ntop(AF_INET6, &v6, a, sizeof(a));
			ADD("%s/128", a);
		}
		RB_FOREACH(p, mpeer_tree, &mpeers) {
			if (!p->listed || (p->want.flags & CP_PEER_INVALID))
				continue;
			if (af == AF_INET &&
			    (p->want.flags & CP_PEER_HAS_IPV4)) {
				inet_ntop(AF_INET, &p->want.loopback4, a,
				    sizeof(a));
				ADD("%s%s/32", n > 0 ? ", " : "", a);
			} else if (af == AF_INET6 &&
			    (p->want.flags & CP_PEER_HAS_IPV6)) {
				inet_ntop(AF_INET6, &p->want.loopback6, a,
				    sizeof(a));
				ADD("%s%s/128", n > 0 ? ", " : "", a);
			}
		}
	}
#undef ADD
	if (n == 0)
		return strlcpy(out, "none", outlen) >= outlen ? -1 : 0;
	if (strlcat(out, " ]", outlen) >= outlen)
		return -1;
	return 0;
}

/*
 * The interface that holds our loopback addresses: not a tunnel (those
 * carry them too, point to point), so a dummy or lo itself.  An address
 * may sit on more than one (an operator's lo and our dummy0): the one
 * holding both families wins, so that neither is left out of Babel.
 */
static void
babel_loopback_if(char *out, size_t outlen)
{
	struct ifaddrs		*ifa, *i;
	struct sockaddr_in	*sin;
	struct sockaddr_in6	*sin6;
	struct in_addr		 v4;
	struct in6_addr		 v6;
	char			 names[16][IFNAMSIZ];
	int			 has[16], h4, h6, n = 0, k, best = -1, bit;

	strlcpy(out, "lo", outlen);
	h4 = config_addr(conf->wg_dn42_ipv4, AF_INET, &v4) == 0;
	h6 = config_addr(conf->wg_dn42_ipv6, AF_INET6, &v6) == 0;
	if (getifaddrs(&ifa) == -1) {
		log_warn("%s: getifaddrs", __func__);
		return;
	}
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || (i->ifa_flags & IFF_POINTOPOINT) ||
		    !ifname_ok(i->ifa_name))
			continue;
		bit = 0;
		if (i->ifa_addr->sa_family == AF_INET && h4) {
			sin = (struct sockaddr_in *)(void *)i->ifa_addr;
			if (sin->sin_addr.s_addr == v4.s_addr)
				bit = 1;
		} else if (i->ifa_addr->sa_family == AF_INET6 && h6) {
			sin6 = (struct sockaddr_in6 *)(void *)i->ifa_addr;
			if (memcmp(&sin6->sin6_addr, &v6, sizeof(v6)) == 0)
				bit = 2;
		}
		if (bit == 0)
			continue;
		for (k = 0; k < n; k++)
			if (strcmp(names[k], i->ifa_name) == 0)
				break;
		if (k == n) {
			if (n == 16)
				continue;
			strlcpy(names[n], i->ifa_name, sizeof(names[n]));
			has[n++] = 0;
		}
		has[k] |= bit;
	}
	freeifaddrs(ifa);
	for (k = 0; k < n; k++)
		if (best == -1 || __builtin_popcount(has[k]) >
		    __builtin_popcount(has[best]))
			best = k;
	if (best == -1) {
		if (!loopback_warned)
			log_warnx("mesh: our loopback address (wireguard."
			    "dn42Ipv4/dn42Ipv6) is on no interface here; "
			    "Babel announces what lo holds");
		loopback_warned = 1;
		return;
	}
	strlcpy(out, names[best], outlen);
	if (has[best] != (h4 | (h6 << 1))) {
		if (!loopback_warned)
			log_warnx("mesh: no interface holds both loopback "
			    "addresses; Babel announces only the IPv%d one, "
			    "on %s", has[best] == 1 ? 4 : 6, out);
		loopback_warned = 1;
	} else
		loopback_warned = 0;
}

/* Renders templates/babel.conf.in: every value is made here. */
static int
babel_render(char **outp, size_t *outlenp, char *err, size_t errlen)
{
	char		 path[PATH_MAX], lif[IFNAMSIZ], nh[64];
	char		*tmpl = NULL, *out = NULL, *line, *next, *p, *q;
	char		*set4 = NULL, *set6 = NULL;
	const char	*val;
	struct in_addr	 v4;
	size_t		 tlen, len = 0, cap = 0, start, klen;
	int		 any;

	/* Built in, or from bird.templateDir when it names a directory. */
	if (render_template_text(conf->bird_template_dir, RENDER_BABEL_TEMPLATE,
	    &tmpl, &tlen, path, sizeof(path), err, errlen) == -1)
		return -1;

	babel_loopback_if(lif, sizeof(lif));
	nh[0] = '\0';
	if (config_addr(conf->wg_dn42_ipv4, AF_INET, &v4) == 0) {
		strlcpy(nh, "next hop ipv4 ", sizeof(nh));
		inet_ntop(AF_INET, &v4, nh + strlen(nh), sizeof(nh) -
		    strlen(nh));
		strlcat(nh, ";", sizeof(nh));
	}
	if ((set4 = malloc(SET_MAX)) == NULL ||
	    (set6 = malloc(SET_MAX)) == NULL)
		fatal("%s", __func__);
	if (babel_set(set4, SET_MAX, AF_INET) == -1 ||
	    babel_set(set6, SET_MAX, AF_INET6) == -1) {
		snprintf(err, errlen, "too many loopbacks for one filter");
		goto fail;
	}

	sbuf_add(&out, &len, &cap, "%smesh babel\n\n", RENDER_HEADER_PREFIX);
	for (line = tmpl; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (strncmp(line, "##", 2) == 0)
			continue;
		start = len;
		any = 0;
		for (p = line; (q = strstr(p, "{{")) != NULL; p = q) {
			sbuf_add(&out, &len, &cap, "%.*s", (int)(q - p), p);
			if ((p = strstr(q, "}}")) == NULL) {
				snprintf(err, errlen, "%.200s: unterminated {{",
				    path);
				goto fail;
			}
			klen = p - (q + 2);
			q += 2;
			if (klen == 11 && strncmp(q, "loopback_if", 11) == 0)
				val = lif;
			else if (klen == 11 &&
			    strncmp(q, "next_hop_v4", 11) == 0)
				val = nh;
			else if (klen == 7 && strncmp(q, "filter4", 7) == 0)
				val = set4;
			else if (klen == 7 && strncmp(q, "filter6", 7) == 0)
				val = set6;
			else {
				snprintf(err, errlen, "%.200s: unknown value "
				    "{{%.*s}}", path, (int)klen, q);
				goto fail;
			}
			sbuf_add(&out, &len, &cap, "%s", val);
			any = 1;
			q = p + 2;
		}
		sbuf_add(&out, &len, &cap, "%s", p);
		/* A line whose only value was empty goes away. */
		if (any && strspn(out + start, " \t") == len - start)
			len = start;
		else
			sbuf_add(&out, &len, &cap, "\n");
	}
	free(tmpl);
	free(set4);
	free(set6);
	*outp = out;
	*outlenp = len;
	return 0;
 fail:
	free(tmpl);
	free(set4);
	free(set6);
	free(out);
	return -1;
}

/* iBGP sync. */

void
ibgp_run(struct sched_task *t)
{
	ibgp_task = t;
	mesh_init();
	cp_fetch(CP_EP_POLICY, ibgp_fetched, NULL);
}

static int
ibgp_params(const struct cp_policy_msg *pol, char *err, size_t errlen)
{
	struct in6_addr	 v6;

	render_params_init(&rparams);
	if (templates == NULL &&
	    (templates = render_templates_load(conf->bird_template_dir, err,
	    errlen)) == NULL)
		return -1;
	rparams.templates = templates;
	strlcpy(rparams.peer_template, conf->bird_peer_template,
	    sizeof(rparams.peer_template));
	/* Only eBGP files use it: without one, iBGP goes on. */
	if (render_own_ll(conf->wg_dn42_ipv6, conf->wg_dn42_ipv6_ll,
	    rparams.own_ll, sizeof(rparams.own_ll), err, errlen) == -1)
		rparams.own_ll[0] = '\0';
	/* Our IPv6 loopback is the iBGP source address. */
	if (config_addr(conf->wg_dn42_ipv6, AF_INET6, &v6) == 0)
		inet_ntop(AF_INET6, &v6, rparams.loopback_ipv6,
		    sizeof(rparams.loopback_ipv6));
	rparams.local_asn = pol->dn42_as;
	rparams.is_rr = render_node_is_rr(conf->node_name, self_rr);
	/*
	 * With the policy of bootstrap mode in BIRD, iBGP goes through its
	 * filters (blocklist, maintenance); otherwise the template's own.
	 */
	if (conf->mode == CONF_MODE_BOOTSTRAP && policy_current() != NULL) {
		strlcpy(rparams.ibgp_import_filter, POLICY_IBGP_IMPORT,
		    sizeof(rparams.ibgp_import_filter));
		strlcpy(rparams.ibgp_export_filter, POLICY_IBGP_EXPORT,
		    sizeof(rparams.ibgp_export_filter));
	}
	rparams.ibgp_import_limit.count = pol->ibgp_import_limit;
	rparams.ibgp_export_limit.count = pol->ibgp_export_limit;
	return render_params_check(&rparams, err, errlen);
}

static void
ibgp_fetched(const struct cp_result_msg *r, const struct cp_reply *rep,
    void *arg)
{
	const struct cp_policy_msg	*pol = rep->policy;
	const struct cp_ibgp_peer_msg	*d;
	struct ipeer			*q, *next;
	char				 err[512], a4[INET_ADDRSTRLEN];
	char				 a6[INET6_ADDRSTRLEN];
	size_t				 i, n;
	int				 has4, has6, changed, count;

	count = !ibgp_kicked;
	ibgp_kicked = 0;
	if (r->result != CP_RES_OK || pol == NULL) {
		cphealth_failed("iBGP sync", r);
		sched_done(ibgp_task);
		return;
	}

	/* The aggregates: the tunnels' allowed IPs and Babel's filter. */
	has4 = (pol->flags & CP_POL_HAS_PFX4) && pol->prefix4_len <= 32;
	has6 = (pol->flags & CP_POL_HAS_PFX6) && pol->prefix6_len <= 128;
	changed = has4 != agg.has4 || has6 != agg.has6 ||
	    (has4 && (agg.v4.s_addr != pol->prefix4.s_addr ||
	    agg.len4 != pol->prefix4_len)) ||
	    (has6 && (memcmp(&agg.v6, &pol->prefix6, sizeof(agg.v6)) != 0 ||
	    agg.len6 != pol->prefix6_len));
	if (changed) {
		memset(&agg, 0, sizeof(agg));
		agg.has4 = has4;
		agg.has6 = has6;
		if (has4) {
			agg.v4 = pol->prefix4;
			agg.len4 = pol->prefix4_len;
		}
		if (has6) {
			agg.v6 = pol->prefix6;
			agg.len6 = pol->prefix6_len;
		}
		log_info("mesh: the network's aggregates are %s/%u and "
		    "%s/%u", has4 ? inet_ntop(AF_INET, &agg.v4, a4,
		    sizeof(a4)) : "(none)", agg.len4, has6 ? inet_ntop(AF_INET6,
		    &agg.v6, a6, sizeof(a6)) : "(none)", agg.len6);
		task_kick(mesh_task);
	}

	if (ibgp_params(pol, err, sizeof(err)) == -1) {
		log_warnx("iBGP sync: %s", err);
		sched_done(ibgp_task);
		return;
	}

	RB_FOREACH(q, ipeer_tree, &ipeers) {
		q->listed = 0;
		q->failed = 0;
		q->act = ACT_NONE;
	}
	for (i = 0; i < rep->nibgp; i++) {
		d = &rep->ibgp[i];
		if (d->node_id == 0 || d->node_id > IBGP_ID_MAX)
			continue;
		if ((pol->node_id != 0 && d->node_id == pol->node_id) ||
		    (conf->node_id > 0 &&
		    d->node_id == (uint32_t)conf->node_id))
			continue;
		q = ipeer_get(d->node_id, 1);
		q->listed = 1;
		q->missing = 0;
		if ((d->flags & CP_PEER_INVALID) ||
		    !(d->flags & CP_PEER_HAS_IPV6)) {
			/* Whatever file it has stays as it is. */
			q->act = ACT_FAIL;
			snprintf(err, sizeof(err), "%.*s",
			    (int)sizeof(d->error), (d->flags &
			    CP_PEER_INVALID) ? d->error : "no loopbackIpv6");
			if (strcmp(err, q->logged) != 0) {
				log_warnx("iBGP peer %u: %s", q->id, err);
				strlcpy(q->logged, err, sizeof(q->logged));
			}
			continue;
		}
		memset(&q->want, 0, sizeof(q->want));
		q->want.node_id = d->node_id;
		memcpy(q->want.node_name, d->node_name,
		    sizeof(d->node_name) < sizeof(q->want.node_name) ?
		    sizeof(d->node_name) : sizeof(q->want.node_name));
		q->want.node_name[sizeof(q->want.node_name) - 1] = '\0';
		q->want.loopback_ipv6 = d->loopback6;
		q->want.is_rr = (d->flags & CP_PEER_RR) != 0;
		q->act = ACT_UP;
	}
	RB_FOREACH_SAFE(q, ipeer_tree, &ipeers, next) {
		if (q->listed)
			continue;
		if (!q->owned) {
			RB_REMOVE(ipeer_tree, &ipeers, q);
			free(q);
			continue;
		}
		if (count)
			q->missing++;
		if (q->missing < (unsigned int)conf->cp_remove_after_missing) {
			log_info("iBGP peer %u missing from the list (%u of "
			    "%d)", q->id, q->missing,
			    conf->cp_remove_after_missing);
			continue;
		}
		log_info("iBGP peer %u gone from the control plane: removing",
		    q->id);
		q->act = ACT_DOWN;
	}
	n = 0;
	RB_FOREACH(q, ipeer_tree, &ipeers)
		n++;
	free(irun);
	if ((irun = calloc(n + 1, sizeof(*irun))) == NULL)
		fatal("%s", __func__);
	nirun = 0;
	RB_FOREACH(q, ipeer_tree, &ipeers)
		irun[nirun++] = q;
	reconcile_files(&ibgp_rc, nirun);
}

/* iBGP peer i's file, or its removal. */
static int
ibgp_stage(struct reconcile *rc, size_t i)
{
	struct render_buf	 rb;
	struct ipeer		*q = irun[i];
	char			 err[512], file[RENDER_FILE_LEN];
	char			 name[RENDER_NAME_LEN];
	int			 r;

	if (q->act == ACT_DOWN)
		return render_ibgp_file_name(&q->want, file,
		    sizeof(file)) == 0 &&
		    birdfiles_check(conf->bird_ibgp_dir, file, err,
		    sizeof(err)) == 0 &&
		    apply_remove(conf->bird_ibgp_dir, file) == 0;
	if (q->act != ACT_UP || q->failed)
		return 0;
	memset(&rb, 0, sizeof(rb));
	/* Down by the operator (moenetctl disable). */
	(void)snprintf(name, sizeof(name), "ibgp_%u", q->id);
	q->want.disabled = disabled_has(name);
	if (render_ibgp_peer(&rparams, &q->want, &rb, err,
	    sizeof(err)) == -1 ||
	    render_ibgp_file_name(&q->want, file, sizeof(file)) == -1) {
		render_buf_free(&rb);
		q->failed = 1;
		if (strcmp(err, q->logged) != 0) {
			log_warnx("iBGP peer %u: %s", q->id, err);
			strlcpy(q->logged, err, sizeof(q->logged));
		}
		return 0;
	}
	if (birdfiles_check(conf->bird_ibgp_dir, file, err,
	    sizeof(err)) == -1) {
		render_buf_free(&rb);
		q->failed = 1;
		if (strcmp(err, q->logged) != 0) {
			log_warnx("iBGP peer %u: %s", q->id, err);
			strlcpy(q->logged, err, sizeof(q->logged));
		}
		return 0;
	}
	r = apply_put(conf->bird_ibgp_dir, file, rb.data, rb.len);
	render_buf_free(&rb);
	if (r == -1) {
		log_warn("iBGP peer %u: cannot stage %s", q->id, file);
		q->failed = 1;
		return 0;
	}
	/* The file may exist from now on. */
	q->owned = 1;
	(void)snprintf(name, sizeof(name), "ibgp_%u", q->id);
	reconcile_expect(rc, name);
	return 1;
}

/* BIRD's error names peer i's file. */
static int
ibgp_names(size_t i, const struct apply_result *ar)
{
	struct ipeer	*q = irun[i];
	char		 file[RENDER_FILE_LEN];

	if (!ar->has_bird || ar->bird.err_file[0] == '\0' ||
	    q->act != ACT_UP || q->failed ||
	    render_ibgp_file_name(&q->want, file, sizeof(file)) == -1)
		return 0;
	return apply_result_names(ar, file);
}

/* That peer waits, the others are retried. */
static void
ibgp_refused(size_t i, const struct apply_result *ar)
{
	struct ipeer	*q = irun[i];

	q->failed = 1;
	log_warnx("iBGP peer %u: %s", q->id, ar->error);
	strlcpy(q->logged, ar->error, sizeof(q->logged));
}

static void
ibgp_done(const struct apply_result *ar)
{
	struct ipeer	*q;

	if (ar == NULL) {
		ibgp_finish();
		return;
	}
	switch (ar->status) {
	case APPLY_OK:
	case APPLY_UNCHANGED:
		RB_FOREACH(q, ipeer_tree, &ipeers) {
			if (q->act == ACT_UP && !q->failed &&
			    q->logged[0] != '\0') {
				log_info("iBGP peer %u: file in place again",
				    q->id);
				q->logged[0] = '\0';
			}
			if (q->act == ACT_DOWN) {
				log_info("iBGP peer %u: file removed", q->id);
				q->owned = 0;
			}
		}
		if (ar->status == APPLY_OK)
			log_info("iBGP files applied (%u changed)",
			    ar->nchanged);
		break;
	case APPLY_ERR_NOT_CONNECTED:
		log_warnx("iBGP sync: BIRD not connected: the files wait "
		    "for it");
		break;
	default:
		log_warnx("iBGP sync: %s", ar->error[0] != '\0' ?
		    ar->error : apply_status_name(ar->status));
		break;
	}
	ibgp_finish();
}

static void
ibgp_finish(void)
{
	struct ipeer	*q, *next;

	free(irun);
	irun = NULL;
	nirun = 0;
	RB_FOREACH_SAFE(q, ipeer_tree, &ipeers, next) {
		if (!q->listed && !q->owned) {
			RB_REMOVE(ipeer_tree, &ipeers, q);
			free(q);
		}
	}
	mstate_save();
	store_save();
	sched_done(ibgp_task);
}

/* iBGP files rendered here before, recognised by their first line. */
static void
ibgp_scan_dir(void)
{
	struct render_header	 h;
	struct dirent		*de;
	DIR			*dir;
	const char		*errstr;
	char			 path[PATH_MAX], head[HEADER_MAX];
	FILE			*f;
	size_t			 len;
	uint32_t		 id;

	if ((dir = opendir(conf->bird_ibgp_dir)) == NULL) {
		if (errno != ENOENT)
			log_warn("%s", conf->bird_ibgp_dir);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		if (strncmp(de->d_name, "ibgp_", 5) != 0 ||
		    !apply_valid_name(de->d_name))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s",
		    conf->bird_ibgp_dir, de->d_name) >= sizeof(path) ||
		    (f = fopen(path, "re")) == NULL)
			continue;
		len = fread(head, 1, sizeof(head), f);
		fclose(f);
		/* Ours by its first line, or adopted from the previous agent. */
		if (birdfiles_recorded(conf->bird_ibgp_dir, de->d_name) &&
		    sscanf(de->d_name, "ibgp_%10[0-9].conf", h.id) == 1)
			;
		else if (render_parse_header(head, len, &h) == -1 ||
		    h.kind != RENDER_KIND_IBGP)
			continue;
		id = strtonum(h.id, 1, IBGP_ID_MAX, &errstr);
		if (errstr != NULL)
			continue;
		ipeer_get(id, 1)->owned = 1;
	}
	closedir(dir);
}

/* mesh_state.json: the tunnels and iBGP files this agent owns. */

static void
sbuf_add(char **b, size_t *len, size_t *cap, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(*b == NULL ? NULL : *b + *len,
		    *b == NULL ? 0 : *cap - *len, fmt, ap);
		va_end(ap);
		if (n < 0)
			fatal("%s", __func__);
		if (*b != NULL && (size_t)n < *cap - *len)
			break;
		*cap = (*cap + n + 1) * 2;
		if ((*b = realloc(*b, *cap)) == NULL)
			fatal("%s", __func__);
	}
	*len += n;
}

/* The "mesh" section of the store: {"tunnels": [id], "ibgp": [id]}. */
static int
mstate_write(FILE *f)
{
	struct mpeer	*p;
	struct ipeer	*q;
	int		 first = 1;

	fputs("{ \"tunnels\": [", f);
	RB_FOREACH(p, mpeer_tree, &mpeers) {
		if (!p->owned)
			continue;
		fprintf(f, "%s%u", first ? "" : ", ", p->id);
		first = 0;
	}
	fputs("], \"ibgp\": [", f);
	first = 1;
	RB_FOREACH(q, ipeer_tree, &ipeers) {
		if (!q->owned)
			continue;
		fprintf(f, "%s%u", first ? "" : ", ", q->id);
		first = 0;
	}
	fputs("] }", f);
	return 0;
}

/* Unchanged, the store writes nothing. */
static void
mstate_save(void)
{
	store_save();
}

static void
mstate_load(void)
{
	static const struct store_section sec = { "mesh", mstate_write,
			    mstate_read, STORE_MESH, mstate_migrate };

	store_register(&sec);
}

/* mesh_state.json, of the releases before the store: version 1. */
static void
mstate_migrate(const char *path, char *buf, size_t len)
{
	struct jnode		*root;
	const struct jnode	*v;
	char			 err[256];

	root = jdom_parse(buf, len, 4, err, sizeof(err));
	if (root == NULL || root->type != J_OBJECT ||
	    (v = jdom_get(root, "version")) == NULL ||
	    v->type != J_NUMBER || strcmp(v->str, "1") != 0) {
		log_warnx("%s: %s", path, root == NULL ? err :
		    "not a mesh state file of version 1");
		jdom_free(root);
		statefile_set_aside(path);
		return;
	}
	mstate_read(root);
	jdom_free(root);
}

static void
mstate_read(const struct jnode *root)
{
	struct jnode		*n;
	const struct jnode	*a;
	const char		*errstr;
	uint32_t		 id;
	char			 ifname[IFNAMSIZ];
	int			 nt = 0, ni = 0;

	if (root == NULL)
		return;
	if (root->type != J_OBJECT) {
		log_warnx("mesh state: the saved state is not an object, "
		    "ignored");
		return;
	}
	if ((a = jdom_get(root, "tunnels")) != NULL && a->type == J_ARRAY)
		TAILQ_FOREACH(n, &a->children, entry) {
			if (n->type != J_NUMBER)
				continue;
			id = strtonum(n->str, 1, CP_MESH_NODEID_MAX, &errstr);
			if (errstr != NULL)
				continue;
			mpeer_get(id, 1)->owned = 1;
			(void)snprintf(ifname, sizeof(ifname),
			    MESH_IFPREFIX "%u", id);
			owner_known(ifname);
			nt++;
		}
	if ((a = jdom_get(root, "ibgp")) != NULL && a->type == J_ARRAY)
		TAILQ_FOREACH(n, &a->children, entry) {
			if (n->type != J_NUMBER)
				continue;
			id = strtonum(n->str, 1, IBGP_ID_MAX, &errstr);
			if (errstr != NULL)
				continue;
			ipeer_get(id, 1)->owned = 1;
			ni++;
		}
	log_info("mesh state: %d tunnel%s and %d iBGP file%s owned from "
	    "before", nt, nt == 1 ? "" : "s", ni, ni == 1 ? "" : "s");
}
