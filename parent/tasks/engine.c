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
 * The agent's brain: the scheduler, and the session sync that turns the
 * control plane's session list into tunnels and BIRD protocols, one
 * sync at a time, following the lifecycle table of the contract.
 *
 * A sync runs in phases: fetch the list; decide per session (set up or
 * keep, remove, report an invalid one); then the reconcile step the
 * mesh shares (reconcile.c): tunnels through wgctl one by one, every
 * BIRD file in one apply transaction; then the reports to the control
 * plane and the state file.  A failed or malformed fetch changes
 * nothing on the router.
 */

#include <sys/types.h>
#include <sys/tree.h>
#include <sys/utsname.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <event.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "memtrim.h"
#include "parent/core/parent.h"
#include "cp.h"
#include "cpctl.h"
#include "parent/ports/cpclient.h"
#include "parent/ports/cphealth.h"
#include "parent/core/session.h"
#include "parent/ports/render.h"
#include "parent/ports/apply.h"
#include "parent/ports/bird.h"
#include "parent/ports/wg.h"
#include "parent/core/sched.h"
#include "parent/core/reload.h"
#include "parent/core/store.h"
#include "parent/tasks/engine.h"
#include "parent/tasks/reconcile.h"
#include "parent/tasks/policy.h"
#include "parent/tasks/maint.h"
#include "parent/ports/firewall.h"
#include "parent/tasks/owner.h"
#include "parent/tasks/peerfile.h"
#include "parent/tasks/guard.h"
#include "parent/core/degraded.h"
#include "parent/tasks/disabled.h"
#include "parent/tasks/plan.h"
#include "parent/tasks/syncwait.h"

#define RETRY_MAX_DELAY		3600


static void	sync_fetched(const struct cp_result_msg *,
		    const struct cp_reply *, void *);
static void	sync_decide(struct session *, time_t);
static enum reconcile_op sync_tunnel(size_t, struct wg_tunnel *);
static void	sync_tunnel_done(size_t, enum reconcile_op, const char *, int);
static void	sync_bird(void);
static int	sync_stage(struct reconcile *, size_t);
static int	sync_names(size_t, const struct apply_result *);
static void	sync_refused(size_t, const struct apply_result *);
static void	sync_bird_done(const struct apply_result *);
static void	engine_bird_wait(const char *);
static int	sync_from_state(time_t);
static size_t	sync_worklist(time_t, int);
static void	sync_report(void);
static void	sync_finish(void);
static void	session_log(int, const struct session *, const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));
static void	session_fail(struct session *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static int	session_tunnel(const struct session *, struct wg_tunnel *,
		    char *, size_t);
static void	session_modify(struct session *, uint32_t, const char *);
static void	modify_done(const struct cp_result_msg *,
		    const struct cp_reply *, void *);
static void	heartbeat_send(int, const struct wg_pubaddr *, void *);
static void	heartbeat_pubaddr(struct cp_heartbeat_msg *,
		    const struct wg_pubaddr *);
static void	heartbeat_done(const struct cp_result_msg *,
		    const struct cp_reply *, void *);
static int	render_setup(char *, size_t);
static void	engine_reload(const struct moenet_conf *,
		    const struct moenet_conf *);

static struct engine_status	 status;
static struct sched_task	*sync_task;
static struct render_templates	*templates;
static struct render_params	 rparams;

/* The sync in progress. */
static struct session		**run;
static size_t			 nrun;

static const struct reconcile_ops sync_ops = {
	.what = "session sync",
	.tunnel = sync_tunnel,
	.tunnel_done = sync_tunnel_done,
	.tunnels_done = sync_bird,
	.stage = sync_stage,
	.names = sync_names,
	.refused = sync_refused,
	.files_done = sync_bird_done
};
static struct reconcile		 sync_rc = { .ops = &sync_ops };

const struct engine_status *
engine_status(void)
{
	return &status;
}

/* Shutting down: no task starts any more. */
void
engine_stop(void)
{
	status.stopping = 1;
	sched_stop();
}

/* A change under way that a shutdown should let finish. */
int
engine_busy(void)
{
	return status.syncing || apply_busy();
}

/*
 * The engine's own state comes first; the periodic tasks start after
 * (tasks_start()), the session sync among them.
 */
void
engine_start(void)
{
	static const struct reload_hook	 hook = { "BIRD peer files", NULL,
					    engine_reload };
	char				 err[512];

	if (status.started)
		return;
	status.started = 1;
	reload_add(&hook);
	if (render_setup(err, sizeof(err)) == -1)
		log_warnx("BIRD peer files cannot be rendered: %s", err);
	owner_init();
	firewall_init();
	log_info("engine started: session sync every %ds, heartbeat every "
	    "%ds", conf->iv_sync, conf->iv_heartbeat);
}

/* moenetctl sync, POST /sync: now, or right after the one running. */
void
engine_sync_now(void)
{
	if (sync_task == NULL)
		sync_task = sched_find(ENGINE_SYNC_TASK);
	sched_now(sync_task);
}

/*
 * The peer files are rendered from copies of the template, the filters
 * and our link-local address: taken again from the new configuration,
 * and every file rendered again at a sync now.
 */
static void
engine_reload(const struct moenet_conf *old, const struct moenet_conf *new)
{
	char	 err[512];

	if (strcmp(old->bird_peer_template, new->bird_peer_template) == 0 &&
	    strcmp(old->bird_import_filter, new->bird_import_filter) == 0 &&
	    strcmp(old->bird_export_filter, new->bird_export_filter) == 0 &&
	    strcmp(old->wg_dn42_ipv6, new->wg_dn42_ipv6) == 0 &&
	    strcmp(old->wg_dn42_ipv6_ll, new->wg_dn42_ipv6_ll) == 0 &&
	    strcmp(old->bird_template_dir, new->bird_template_dir) == 0)
		return;
	if (strcmp(old->bird_template_dir, new->bird_template_dir) != 0) {
		render_templates_free(templates);
		templates = NULL;
	}
	if (render_setup(err, sizeof(err)) == -1) {
		log_warnx("BIRD peer files cannot be rendered: %s", err);
		return;
	}
	log_info("BIRD peer files: template, filters or link-local address "
	    "changed; rendered again now");
	engine_sync_now();
}

static int
render_setup(char *err, size_t errlen)
{
	render_params_init(&rparams);
	if (templates == NULL &&
	    (templates = render_templates_load(conf->bird_template_dir, err,
	    errlen)) == NULL)
		return -1;
	rparams.templates = templates;
	strlcpy(rparams.peer_template, conf->bird_peer_template,
	    sizeof(rparams.peer_template));
	strlcpy(rparams.import_filter, conf->bird_import_filter,
	    sizeof(rparams.import_filter));
	strlcpy(rparams.export_filter, conf->bird_export_filter,
	    sizeof(rparams.export_filter));
	if (render_own_ll(conf->wg_dn42_ipv6, conf->wg_dn42_ipv6_ll,
	    rparams.own_ll, sizeof(rparams.own_ll), err, errlen) == -1)
		return -1;
	return render_params_check(&rparams, err, errlen);
}

/* Session sync. */

void
sync_run(struct sched_task *t)
{
	sync_task = t;
	status.syncing = 1;
	syncwait_begin();
	cp_fetch(CP_EP_SESSIONS, sync_fetched, t);
}

static void
sync_fetched(const struct cp_result_msg *r, const struct cp_reply *rep,
    void *arg)
{
	struct session	*s, *next;
	time_t		 now = time(NULL);
	char		 fields[PLAN_FIELDS_LEN], why[128];
	size_t		 i, owned = 0, gone = 0;
	unsigned int	 after;

	if (r->result != CP_RES_OK) {
		/* Nothing on the router changes when the list is missing. */
		snprintf(status.last_error, sizeof(status.last_error),
		    "session sync: %s: %.200s", cp_result_name(r->result),
		    r->message);
		cphealth_sync_failed(r);
		if (status.generation == 0 && !status.from_state &&
		    sync_from_state(now) == 0)
			return;
		status.syncing = 0;
		status.last_sync = now;
		syncwait_end(status.last_error);
		sched_done(sync_task);
		return;
	}
	status.generation++;
	status.last_sync_ok = now;
	status.last_error[0] = '\0';

	RB_FOREACH(s, session_tree, &sessions)
		s->act = ACT_NONE;
	syncwait_listed(rep->nsessions);
	for (i = 0; i < rep->nsessions; i++) {
		const struct cp_session_msg	*d = &rep->sessions[i];

		if ((s = session_find(d->uuid)) == NULL) {
			if ((s = calloc(1, sizeof(*s))) == NULL)
				fatal("%s", __func__);
			s->state = SESSION_NEW;
			s->since = now;
			s->observed.rtt_ms = -1;
			s->reported_status = UINT32_MAX;
			s->desired = *d;
			RB_INSERT(session_tree, &sessions, s);
		} else {
			if (s->applied && plan_fields(&s->desired, d, fields,
			    sizeof(fields)) > 0)
				syncwait_fields(d->uuid, fields);
			explicit_bzero(&s->desired, sizeof(s->desired));
			s->desired = *d;
		}
		s->desired_known = 1;
		s->missing = 0;
		s->act = ACT_UNDECIDED;
	}

	/* Missing from a valid list: removed only after enough syncs. */
	RB_FOREACH(s, session_tree, &sessions)
		if (s->applied) {
			owned++;
			if (s->act != ACT_UNDECIDED)
				gone++;
		}
	after = guard_threshold(owned, gone);
	RB_FOREACH_SAFE(s, session_tree, &sessions, next) {
		if (s->act == ACT_UNDECIDED)
			continue;
		if (++s->missing < after) {
			session_log(LOG_INFO, s, "missing from the list (%u of "
			    "%u)", s->missing, after);
			s->act = ACT_NONE;
			snprintf(why, sizeof(why), "missing from the list (%u "
			    "of %u)", s->missing, after);
			if (s->applied)
				syncwait_note(PLAN_HELD, s, why);
			continue;
		}
		if (s->applied) {
			session_log(LOG_INFO, s, "gone from the control plane: "
			    "removing");
			s->act = ACT_DOWN;
			s->desired.status = CP_STATUS_DELETED;
			s->reported_status = CP_STATUS_DELETED;
		} else {
			RB_REMOVE(session_tree, &sessions, s);
			freezero(s, sizeof(*s));
		}
	}

	sync_worklist(now, 0);
	reconcile_tunnels(&sync_rc, nrun);
}

/*
 * The work list, in uuid order: deterministic.  Sessions marked -1 are
 * decided now; up_only keeps only those to set up or keep.
 */
static size_t
sync_worklist(time_t now, int up_only)
{
	struct session	*s;
	size_t		 n = 0;

	RB_FOREACH(s, session_tree, &sessions)
		n++;
	free(run);
	if ((run = calloc(n + 1, sizeof(*run))) == NULL)
		fatal("%s", __func__);
	nrun = 0;
	RB_FOREACH(s, session_tree, &sessions) {
		if (s->act == ACT_UNDECIDED)
			sync_decide(s, now);
		if (up_only && s->act != ACT_UP)
			s->act = ACT_NONE;
		s->failed = FAIL_NONE;
		s->fail_text[0] = '\0';
		if (s->act != ACT_NONE)
			run[nrun++] = s;
	}
	return nrun;
}

/*
 * No list from the control plane since the start: the sessions the
 * agent owns are kept as the state file says they were wanted, so a
 * tunnel gone with a reboot comes back while the control plane is away.
 * Nothing is removed: only a valid list can say what is gone.
 */
static int
sync_from_state(time_t now)
{
	struct session	*s;

	status.from_state = 1;
	RB_FOREACH(s, session_tree, &sessions)
		s->act = s->desired_known && s->applied ? ACT_UNDECIDED :
		    ACT_NONE;
	if (sync_worklist(now, 1) == 0) {
		free(run);
		run = NULL;
		return -1;
	}
	log_info("no session list from the control plane yet: keeping %zu "
	    "session%s as the state file has them", nrun, nrun == 1 ? "" :
	    "s");
	reconcile_tunnels(&sync_rc, nrun);
	return 0;
}

static void
sync_decide(struct session *s, time_t now)
{
	const struct cp_session_msg	*d = &s->desired;

	/* The one decision, shared with show plan (plan.c). */
	s->act = plan_act(s, d, now);
	if (s->act != ACT_NONE)
		return;
	switch (d->status) {
	case CP_STATUS_QUEUED_FOR_SETUP:
	case CP_STATUS_ENABLED:
	case CP_STATUS_PROBLEM:
		/* In error, waiting for its retry. */
		syncwait_note(PLAN_HELD, s, s->last_error);
		break;
	case CP_STATUS_QUEUED_FOR_DELETE:
		break;
	case CP_STATUS_PENDING_APPROVAL:
		if (s->state == SESSION_NEW)
			s->state = SESSION_PENDING;
		break;
	default:
		/* Disabled, teardown, rejected, deleted: removed once. */
		s->state = SESSION_DISABLED;
		break;
	}
}

/* A log line about one session, with its identity as fields. */
static void
session_log(int pri, const struct session *s, const char *fmt, ...)
{
	struct log_field	 f[3];
	char			 msg[512], asn[16];
	va_list			 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(asn, sizeof(asn), "%u", s->desired.asn);
	f[0].key = "session";
	f[0].val = s->desired.uuid;
	f[1].key = "asn";
	f[1].val = asn;
	f[2].key = "interface";
	f[2].val = s->desired.ifname;
	log_fields(pri, f, 3, "session %s: %s", s->desired.uuid, msg);
}

static void
session_fail(struct session *s, const char *fmt, ...)
{
	va_list	 ap;

	s->failed = FAIL_SESSION;
	va_start(ap, fmt);
	vsnprintf(s->fail_text, sizeof(s->fail_text), fmt, ap);
	va_end(ap);
}

/* The tunnel the contract describes for a session. */
static int
session_tunnel(const struct session *s, struct wg_tunnel *t, char *err,
    size_t errlen)
{
	const struct cp_session_msg	*d = &s->desired;
	struct in6_addr			 ll;
	struct in_addr			 v4;
	struct in6_addr			 v6;

	memset(t, 0, sizeof(*t));
	strlcpy(t->ifname, d->ifname, sizeof(t->ifname));
	memcpy(t->peer_pubkey, d->peer_pubkey, sizeof(t->peer_pubkey));
	if (d->flags & CP_SESS_HAS_PSK) {
		memcpy(t->psk, d->psk, sizeof(t->psk));
		t->has_psk = 1;
	}
	if (d->flags & CP_SESS_HAS_ENDPOINT) {
		strlcpy(t->endpoint_host, d->endpoint_host,
		    sizeof(t->endpoint_host));
		t->endpoint_port = d->endpoint_port;
	}
	t->listen_port = d->listen_port;
	t->mtu = d->mtu != 0 ? d->mtu : MOENET_MTU_DEFAULT;
	t->keepalive = conf->wg_keepalive;

	if (inet_pton(AF_INET6, rparams.own_ll, &ll) != 1) {
		snprintf(err, errlen, "no link-local address for the tunnels");
		return -1;
	}
	t->addrs[t->naddrs].af = AF_INET6;
	t->addrs[t->naddrs].addr.v6 = ll;
	t->addrs[t->naddrs++].plen = 64;
	if ((d->flags & CP_SESS_HAS_IPV4) &&
	    config_addr(conf->wg_dn42_ipv4, AF_INET, &v4) == 0) {
		t->addrs[t->naddrs].af = AF_INET;
		t->addrs[t->naddrs].addr.v4 = v4;
		t->addrs[t->naddrs++].plen = 32;
		t->peer_v4 = d->ipv4;
		t->has_peer_v4 = 1;
	}
	if ((d->flags & CP_SESS_HAS_IPV6) && !(d->flags & CP_SESS_HAS_LL) &&
	    config_addr(conf->wg_dn42_ipv6, AF_INET6, &v6) == 0) {
		t->addrs[t->naddrs].af = AF_INET6;
		t->addrs[t->naddrs].addr.v6 = v6;
		t->addrs[t->naddrs++].plen = 128;
	}
	/* Everything may come through; BIRD decides what is routed. */
	t->allowed[0].af = AF_INET;
	t->allowed[0].plen = 0;
	t->allowed[1].af = AF_INET6;
	t->allowed[1].plen = 0;
	t->nallowed = 2;
	return 0;
}

/* What the tunnel of s is set to, for people: the key material wiped. */
int
engine_tunnel_of(const struct session *s, struct wg_tunnel *t)
{
	char	 err[ENGINE_ERROR_LEN];
	int	 r;

	r = session_tunnel(s, t, err, sizeof(err));
	explicit_bzero(t->psk, sizeof(t->psk));
	t->has_psk = 0;
	return r;
}

/* What session i wants of its tunnel. */
static enum reconcile_op
sync_tunnel(size_t i, struct wg_tunnel *t)
{
	struct session	*s = run[i];
	char		 err[256];

	syncwait_progress(i, nrun);
	if (s->act == ACT_UP) {
		if (peerfile_check(s, err, sizeof(err)) == -1 ||
		    owner_claim(s->desired.ifname, err, sizeof(err)) == -1 ||
		    session_tunnel(s, t, err, sizeof(err)) == -1) {
			session_fail(s, "%s", err);
			return RECONCILE_SKIP;
		}
		s->state = s->state == SESSION_ACTIVE ? SESSION_ACTIVE :
		    SESSION_SETUP;
		return RECONCILE_UP;
	}
	if (s->act != ACT_DOWN || !s->applied || s->ifname[0] == '\0')
		return RECONCILE_SKIP;
	if (!owner_owns(s->ifname)) {
		session_log(LOG_WARNING, s, "tunnel %s is not the agent's: "
		    "left as it is", s->ifname);
		return RECONCILE_SKIP;
	}
	s->state = SESSION_REMOVING;
	strlcpy(t->ifname, s->ifname, sizeof(t->ifname));
	return RECONCILE_DOWN;
}

static void
sync_tunnel_done(size_t i, enum reconcile_op op, const char *err,
    int refused)
{
	struct session	*s = run[i];

	if (err != NULL)
		session_fail(s, "tunnel %s: %s", op == RECONCILE_UP ?
		    s->desired.ifname : s->ifname, err);
	else if (op == RECONCILE_UP)
		strlcpy(s->ifname, s->desired.ifname, sizeof(s->ifname));
	else
		owner_release(s->ifname);
}

/* Every peer file of this sync in one transaction: one reconfiguration. */
static void
sync_bird(void)
{
	size_t		 i;

	syncwait_progress(nrun, nrun);
	if (nrun == 0) {
		sync_report();
		return;
	}
	if (templates == NULL) {
		for (i = 0; i < nrun; i++)
			if (run[i]->act == ACT_UP && !run[i]->failed)
				session_fail(run[i], "BIRD templates not "
				    "loaded from %s", conf->bird_template_dir);
	}
	/* Not the sessions' fault: the policy's first apply syncs again. */
	if (!policy_ready()) {
		for (i = 0; i < nrun; i++)
			if (run[i]->act == ACT_UP && !run[i]->failed) {
				run[i]->failed = FAIL_WAIT;
				strlcpy(run[i]->fail_text, "waiting for the "
				    "routing policy (bird-config) from the "
				    "control plane", sizeof(run[i]->fail_text));
			}
		log_info("peer files wait for the routing policy");
	}
	reconcile_files(&sync_rc, nrun);
}

/* Session i's peer file, or its removal. */
static int
sync_stage(struct reconcile *rc, size_t i)
{
	struct render_buf	 rb;
	struct session		*s = run[i];
	char			 err[512], name[SESSION_PROTO_LEN + 8];
	int			 r;

	if (s->act == ACT_DOWN && s->file[0] != '\0') {
		peerfile_remove(s, s->file);
		return 1;
	}
	if (s->act != ACT_UP || s->failed)
		return 0;
	/* Down by the operator: down in BIRD's own config. */
	if (disabled_has(s->desired.uuid))
		s->desired.flags |= CP_SESS_DISABLED;
	else
		s->desired.flags &= ~CP_SESS_DISABLED;
	memset(&rb, 0, sizeof(rb));
	if (render_session(&rparams, &s->desired, &rb, err,
	    sizeof(err)) == -1 ||
	    render_file_name(&s->desired, name, sizeof(name), err,
	    sizeof(err)) == -1 ||
	    render_protocol_name(&s->desired, s->protocol,
	    sizeof(s->protocol), err, sizeof(err)) == -1) {
		render_buf_free(&rb);
		session_fail(s, "%s", err);
		return 0;
	}
	/* A renamed file: the old one goes in the same step. */
	if (s->file[0] != '\0' && strcmp(s->file, name) != 0)
		peerfile_remove(s, s->file);
	peerfile_previous_remove(s, name);
	r = apply_put(conf->bird_peer_dir, name, rb.data, rb.len);
	render_buf_free(&rb);
	if (r == -1) {
		session_fail(s, "cannot stage %s", name);
		return 0;
	}
	strlcpy(s->file, name, sizeof(s->file));
	/* Two protocols, name_v4 and name_v6, are not checked by name. */
	if (s->desired.flags & CP_SESS_MPBGP)
		reconcile_expect(rc, s->protocol);
	return 1;
}

static int
sync_names(size_t i, const struct apply_result *ar)
{
	struct session	*s = run[i];

	return s->act == ACT_UP && !s->failed &&
	    apply_result_names(ar, s->file);
}

/* BIRD named its file: that session fails, the others are retried. */
static void
sync_refused(size_t i, const struct apply_result *ar)
{
	struct session	*s = run[i];

	session_fail(s, "%s", ar->error);
	/* Its file was never confirmed: forget the name. */
	if (!s->applied)
		s->file[0] = '\0';
}

static void
sync_bird_done(const struct apply_result *ar)
{
	struct session	*s;
	size_t		 i;

	if (ar == NULL || ar->status == APPLY_OK ||
	    ar->status == APPLY_UNCHANGED) {
		sync_report();
		return;
	}
	if (ar->status == APPLY_ERR_NOT_CONNECTED ||
	    ar->status == APPLY_ERR_BIRD) {
		/*
		 * Not the sessions' fault but the node's (the degraded
		 * condition "bird" says so): nothing is reported to the
		 * control plane, the files wait for BIRD.
		 */
		engine_bird_wait(ar->error);
		for (i = 0; i < nrun; i++) {
			s = run[i];
			if (s->act == ACT_UP && !s->failed) {
				s->failed = FAIL_WAIT;
				strlcpy(s->fail_text, "BIRD not connected",
				    sizeof(s->fail_text));
			}
		}
		sync_report();
		return;
	}
	for (i = 0; i < nrun; i++) {
		s = run[i];
		if (s->act == ACT_UP && !s->failed)
			session_fail(s, "%s", ar->error);
	}
	sync_report();
}

/* BIRD away: said once while it stays away, then at debug level. */
static void
engine_bird_wait(const char *why)
{
	static time_t		 said;
	const struct bird_state	*bs = bird_state();

	if (said != 0 && bs->connected_since < said) {
		log_debug("BIRD not connected: peer files wait for it (%s)",
		    why);
		return;
	}
	said = time(NULL);
	log_warning("BIRD not connected: peer files wait for it (%s)", why);
}

static void
session_modify(struct session *s, uint32_t st, const char *err)
{
	struct cp_modify_msg	 m;

	if (s->reported_status == st &&
	    strcmp(s->reported_error, err != NULL ? err : "") == 0)
		return;
	memset(&m, 0, sizeof(m));
	strlcpy(m.uuid, s->desired.uuid, sizeof(m.uuid));
	m.status = st;
	if (err != NULL)
		strlcpy(m.last_error, err, sizeof(m.last_error));
	session_log(LOG_INFO, s, "reporting status %u%s%s", st,
	    err != NULL ? ": " : "", err != NULL ? err : "");
	s->reported_status = st;
	strlcpy(s->reported_error, err != NULL ? err : "",
	    sizeof(s->reported_error));
	cp_modify(&m, modify_done, strdup(s->desired.uuid));
}

static void
modify_done(const struct cp_result_msg *r, const struct cp_reply *rep,
    void *arg)
{
	char		*uuid = arg;
	struct session	*s;
	char		 what[CP_UUID_LEN + 32];

	/* Not taken: sent again at the next sync. */
	if (r->result != CP_RES_OK && uuid != NULL &&
	    (s = session_find(uuid)) != NULL) {
		snprintf(what, sizeof(what), "session %s: modify", uuid);
		cphealth_failed(what, r);
		s->reported_status = UINT32_MAX;
	}
	free(uuid);
	/* A thousand reports after a cold start are a burst of their own. */
	memtrim_soon();
}

static void
sync_report(void)
{
	struct session	*s;
	time_t		 now = time(NULL);
	unsigned int	 shift;
	size_t		 i;

	for (i = 0; i < nrun; i++) {
		s = run[i];
		switch (s->act) {
		case ACT_FAIL:
			s->state = SESSION_ERROR;
			if (s->desired.flags & CP_SESS_INVALID)
				strlcpy(s->last_error, s->desired.error,
				    sizeof(s->last_error));
			else
				snprintf(s->last_error, sizeof(s->last_error),
				    "type: tunnel type %s is not supported",
				    s->desired.type == CP_TUNNEL_GRE ? "gre" :
				    "ip6gre");
			session_modify(s, CP_STATUS_PROBLEM, s->last_error);
			syncwait_note(PLAN_FAILED, s, s->last_error);
			break;
		case ACT_UP:
			if (s->failed == FAIL_WAIT) {
				/* BIRD down: keep the state, try again. */
				strlcpy(s->last_error, s->fail_text,
				    sizeof(s->last_error));
				syncwait_note(PLAN_HELD, s, s->fail_text);
				if (s->ifname[0] != '\0')
					s->applied = 1;
				break;
			}
			if (s->failed) {
				if (s->state != SESSION_ERROR)
					s->since = now;
				s->state = SESSION_ERROR;
				strlcpy(s->last_error, s->fail_text,
				    sizeof(s->last_error));
				shift = s->retries < 6 ? s->retries : 6;
				s->retries++;
				s->next_retry = now + ((time_t)conf->iv_sync <<
				    shift);
				if (s->next_retry > now + RETRY_MAX_DELAY)
					s->next_retry = now + RETRY_MAX_DELAY;
				if (s->ifname[0] != '\0')
					s->applied = 1;
				session_log(LOG_ERR, s, "%s", s->last_error);
				session_modify(s, CP_STATUS_PROBLEM,
				    s->last_error);
				syncwait_note(PLAN_FAILED, s, s->last_error);
				break;
			}
			/* As show plan says it: new here, or kept. */
			syncwait_note(!s->applied ? PLAN_CREATED : -1, s, NULL);
			if (s->state != SESSION_ACTIVE) {
				s->since = now;
				session_log(LOG_INFO, s, "%s (AS%u) is set up on "
				    "%s as %s", s->desired.name, s->desired.asn,
				    s->desired.ifname, s->protocol);
			}
			s->state = SESSION_ACTIVE;
			s->applied = 1;
			s->retries = 0;
			s->last_error[0] = '\0';
			s->last_applied = now;
			/* Queued or in error: tell the CP it works now. */
			if (s->desired.status != CP_STATUS_ENABLED)
				session_modify(s, CP_STATUS_ENABLED, NULL);
			else
				s->reported_status = CP_STATUS_ENABLED;
			break;
		case ACT_DOWN:
			if (s->failed) {
				strlcpy(s->last_error, s->fail_text,
				    sizeof(s->last_error));
				session_log(LOG_ERR, s, "removal: %s",
				    s->last_error);
				syncwait_note(PLAN_FAILED, s, s->last_error);
				break;
			}
			syncwait_note(PLAN_REMOVED, s, NULL);
			session_log(LOG_INFO, s, "removed locally");
			s->applied = 0;
			s->file[0] = '\0';
			s->ifname[0] = '\0';
			s->protocol[0] = '\0';
			s->state = SESSION_DISABLED;
			s->since = now;
			if (s->desired.status == CP_STATUS_QUEUED_FOR_DELETE)
				session_modify(s, CP_STATUS_DELETED, NULL);
			break;
		default:
			break;
		}
	}
	sync_finish();
}

static void
sync_finish(void)
{
	struct session	*s, *next;

	/* Sessions gone from the CP and removed here are forgotten. */
	RB_FOREACH_SAFE(s, session_tree, &sessions, next) {
		if (s->missing >= (unsigned int)conf->cp_remove_after_missing &&
		    !s->applied) {
			if (disabled_has(s->desired.uuid))
				disabled_set(s->desired.uuid, 0);
			RB_REMOVE(session_tree, &sessions, s);
			freezero(s, sizeof(*s));
		}
	}
	free(run);
	run = NULL;
	nrun = 0;
	owner_sync_done();
	store_save();
	/* A valid list was applied: every tunnel it wants is known. */
	if (status.generation > 0)
		firewall_source_done(FW_SRC_SESSIONS);
	status.syncing = 0;
	status.last_sync = time(NULL);
	syncwait_end(status.last_error[0] != '\0' ? status.last_error :
	    NULL);
	log_debug("session sync done");
	/* The sync's documents and lists, freed, go back to the system. */
	memtrim_soon();
	sched_done(sync_task);
}

/* Heartbeat. */

static int
read_small(const char *path, char *buf, size_t len)
{
	FILE	*f;
	size_t	 n;

	if ((f = fopen(path, "re")) == NULL)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	return 0;
}

static uint32_t
count_lines(const char *path)
{
	FILE	*f;
	char	 line[512];
	uint32_t n = 0;

	if ((f = fopen(path, "re")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		n++;
	fclose(f);
	return n > 0 ? n - 1 : 0;	/* the header line */
}

static void
net_totals(uint64_t *rx, uint64_t *tx)
{
	FILE			*f;
	char			 line[512], *p;
	unsigned long long	 r, t;

	*rx = *tx = 0;
	if ((f = fopen("/proc/net/dev", "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((p = strchr(line, ':')) == NULL)
			continue;
		*p++ = '\0';
		if (strcmp(line + strspn(line, " "), "lo") == 0)
			continue;
		if (sscanf(p, "%llu %*u %*u %*u %*u %*u %*u %*u %llu", &r,
		    &t) == 2) {
			*rx += r;
			*tx += t;
		}
	}
	fclose(f);
}

/*
 * The public addresses come from wgctl, which reads the default routes,
 * unless the configuration gives both.  wgctl answers or times out;
 * either way the heartbeat goes, with what is known.
 */
void
heartbeat_run(struct sched_task *t)
{
	int	 err;

	if (conf->node_public_ipv4[0] != '\0' &&
	    conf->node_public_ipv6[0] != '\0') {
		heartbeat_send(0, NULL, t);
		return;
	}
	if (wg_pubaddr(heartbeat_send, t) == -1) {
		err = errno;
		log_debug("heartbeat: public addresses: %s", strerror(err));
		heartbeat_send(err, NULL, t);
	}
}

/* The configured addresses, else those found; changes are logged. */
static void
heartbeat_pubaddr(struct cp_heartbeat_msg *hb, const struct wg_pubaddr *pa)
{
	static char	 last[2 * INET6_ADDRSTRLEN + 16] = "";
	char		 a4[INET_ADDRSTRLEN] = "none";
	char		 a6[INET6_ADDRSTRLEN] = "none";
	char		 now[sizeof(last)];

	if (conf->node_public_ipv4[0] != '\0' &&
	    inet_pton(AF_INET, conf->node_public_ipv4, &hb->public_ipv4) == 1)
		hb->flags |= CP_HB_HAS_PUBV4;
	else if (pa != NULL && pa->has_v4) {
		hb->public_ipv4 = pa->v4;
		hb->flags |= CP_HB_HAS_PUBV4;
	}
	if (conf->node_public_ipv6[0] != '\0' &&
	    inet_pton(AF_INET6, conf->node_public_ipv6, &hb->public_ipv6) == 1)
		hb->flags |= CP_HB_HAS_PUBV6;
	else if (pa != NULL && pa->has_v6) {
		hb->public_ipv6 = pa->v6;
		hb->flags |= CP_HB_HAS_PUBV6;
	}
	if (hb->flags & CP_HB_HAS_PUBV4)
		inet_ntop(AF_INET, &hb->public_ipv4, a4, sizeof(a4));
	if (hb->flags & CP_HB_HAS_PUBV6)
		inet_ntop(AF_INET6, &hb->public_ipv6, a6, sizeof(a6));
	snprintf(now, sizeof(now), "%s, %s", a4, a6);
	if (strcmp(now, last) != 0) {
		log_info("heartbeat: public addresses %s", now);
		strlcpy(last, now, sizeof(last));
	}
	status.public_ipv4 = hb->public_ipv4;
	status.public_ipv6 = hb->public_ipv6;
	status.has_public_ipv4 = (hb->flags & CP_HB_HAS_PUBV4) != 0;
	status.has_public_ipv6 = (hb->flags & CP_HB_HAS_PUBV6) != 0;
}

static void
heartbeat_send(int err, const struct wg_pubaddr *pa, void *arg)
{
	struct sched_task	*t = arg;
	struct cp_heartbeat_msg	 hb;
	struct utsname		 u;
	const struct bird_state	*bs = bird_state();
	char			 buf[128], *p;

	if (err == ETIMEDOUT)
		log_debug("heartbeat: wgctl did not tell the public addresses "
		    "in time");
	memset(&hb, 0, sizeof(hb));
	strlcpy(hb.node_id, conf->node_name, sizeof(hb.node_id));
	strlcpy(hb.agent_version, MOENET_VERSION, sizeof(hb.agent_version));
	if (bs != NULL && bs->connected)
		strlcpy(hb.bird_version, bs->version, sizeof(hb.bird_version));
	if (uname(&u) == 0)
		strlcpy(hb.kernel, u.release, sizeof(hb.kernel));
	if (read_small("/proc/loadavg", buf, sizeof(buf)) == 0) {
		/* "0.10 0.20 0.30 1/123 456": the three averages. */
		if ((p = strchr(buf, ' ')) != NULL &&
		    (p = strchr(p + 1, ' ')) != NULL &&
		    (p = strchr(p + 1, ' ')) != NULL)
			*p = '\0';
		strlcpy(hb.loadavg, buf, sizeof(hb.loadavg));
	}
	if (read_small("/proc/uptime", buf, sizeof(buf)) == 0)
		hb.uptime = strtoll(buf, NULL, 10);
	hb.timestamp = time(NULL);
	net_totals(&hb.rx, &hb.tx);
	hb.tcp = count_lines("/proc/net/tcp") + count_lines("/proc/net/tcp6");
	hb.udp = count_lines("/proc/net/udp") + count_lines("/proc/net/udp6");
	if (wg_public_key(hb.mesh_pubkey) == 0)
		hb.flags |= CP_HB_HAS_MESHKEY;
	if (maint_get())
		hb.flags |= CP_HB_MAINTENANCE;
	if (degraded_is(DEGRADED_STATE_WRITE))
		hb.flags |= CP_HB_STATE_WRITE;
	if (degraded_is(DEGRADED_REMOVAL_HELD))
		hb.flags |= CP_HB_REMOVAL_HELD;
	if (degraded_is(DEGRADED_BIRD))
		hb.flags |= CP_HB_BIRD_DOWN;
	heartbeat_pubaddr(&hb, pa);
	cp_heartbeat(&hb, heartbeat_done, t);
}

static void
heartbeat_done(const struct cp_result_msg *r, const struct cp_reply *rep,
    void *arg)
{
	if (r->result == CP_RES_OK)
		status.last_heartbeat_ok = time(NULL);
	else
		cphealth_failed("heartbeat", r);
	sched_done(arg);
}
