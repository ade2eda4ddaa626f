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
 * Two things the router owns besides its sessions.
 *
 * The routing policy (bootstrap mode only): every policyInterval the
 * control plane's bird-config is fetched, rendered into
 * bird.policyDir (policy_render.c) and applied as one BIRD transaction.
 * Nothing is done when the configHash and the rendered bytes are both
 * what was applied last; a document that does not render changes
 * nothing and is logged with the field at fault.  The blocklist file
 * is created when missing and is the operator's afterwards.
 *
 * The loopback addresses (issue 7): dn42Ipv4/32 and dn42Ipv6/128 on a
 * dummy interface, or on lo where the kernel has no dummy driver.  What
 * the agent added is kept in the state directory, so that an address
 * no longer configured is removed, even after a restart, and addresses
 * the operator put there are never touched.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <event.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sha2.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "parent/ports/cpclient.h"
#include "parent/ports/cphealth.h"
#include "parent/ports/apply.h"
#include "parent/ports/birdfiles.h"
#include "parent/ports/render.h"
#include "parent/core/statefile.h"
#include "parent/core/store.h"
#include "parent/core/jdom.h"
#include "parent/core/jw.h"
#include "parent/ports/wg.h"
#include "parent/core/sched.h"
#include "parent/core/reload.h"
#include "parent/tasks/engine.h"
#include "parent/tasks/policy.h"
#include "parent/ports/bird.h"

#define LOOPBACK_DUMMY		"dummy0"
#define LOOPBACK_LO		"lo"
#define LOOPBACK_MAX		8	/* WGMSG_LOOP_MAX */

/* The policy task. */
static struct policy_templates	*ptemplates;
static struct cp_policy_msg	 cur_policy;	/* last applied */
static int			 have_policy;
static int			 waits_for_bird;
static struct sched_task	*policy_task;
static char			 applied_hash[CP_HASH_LEN];
static struct render_buf	 applied[POLICY_NFILES];
static int			 applied_present[POLICY_NFILES];
static struct {
	struct sched_task	*task;
	struct cp_policy_msg	 pol;
	struct policy_out	 out;
	char			*blcopy;	/* the block list, for BIRD < 2.14 */
	size_t			 blcopylen;
} pend;

/* The loopback. */
struct lb_set {
	char			 ifname[IFNAMSIZ];
	struct wgt_prefix	 a[LOOPBACK_MAX];
	size_t			 n;
};
static struct lb_set	 owned;		/* what we added, as saved */
static struct lb_set	 lb_want;	/* the request under way */
static struct lb_set	 lb_next;	/* ours once the old link is clean */
static int		 lb_loaded, lb_busy, lb_again, no_dummy;

static void	 policy_fetched(const struct cp_result_msg *,
		    const struct cp_reply *, void *);
static void	 policy_apply(void);
static void	 policy_applied(const struct apply_result *, void *);
static void	 policy_done(void);
static void	 policy_bird_up(void);
static void	 policy_reconf(const struct moenet_conf *,
		    const struct moenet_conf *);
static void	 policy_keep_stub(void);
static int	 policy_main_is_ours(void);
static int	 policy_setup(char *, size_t);
static int	 policy_same(const struct policy_out *, const char *);
static void	 lb_load(void);
static void	 lb_save(void);
static int	 lb_store_save(FILE *);
static void	 lb_store_load(const struct jnode *);
static void	 lb_migrate(const char *, char *, size_t);
static int	 lb_parse(const char *, struct wgt_prefix *);
static int	 lb_fmt(const struct wgt_prefix *, char *, size_t);
static int	 lb_eq(const struct wgt_prefix *, const struct wgt_prefix *);
static int	 lb_in(const struct wgt_prefix *, const struct lb_set *);
static int	 lb_conf(const char *, int, struct wgt_prefix *);
static void	 lb_send(void);
static void	 lb_moved(int, const char *, uint32_t, void *);
static void	 lb_done(int, const char *, uint32_t, void *);
static void	 lb_finish(void);

const struct cp_policy_msg *
policy_current(void)
{
	return have_policy ? &cur_policy : NULL;
}

/* The engine's task table: once before the first run. */
void
policy_init(void)
{
	static const struct reload_hook	 hook = { "routing policy", NULL,
					    policy_reconf };
	char				 err[POLICY_ERR_LEN];

	reload_add(&hook);
	loopback_sync();
	if (conf->mode != CONF_MODE_BOOTSTRAP)
		return;
	bird_on_connect(policy_bird_up);
	if (policy_setup(err, sizeof(err)) == -1)
		log_warnx("routing policy: %s", err);
}

/* A policy that waited for BIRD goes in as soon as BIRD answers. */
static void
policy_bird_up(void)
{
	if (!waits_for_bird || policy_task == NULL)
		return;
	waits_for_bird = 0;
	sched_now(policy_task);
}

/* SIGHUP, moenetctl reload: paths and names may have changed. */
static void
policy_reconf(const struct moenet_conf *old, const struct moenet_conf *new)
{
	policy_reload();
}

void
policy_reload(void)
{
	char	 err[POLICY_ERR_LEN];

	loopback_sync();
	if (conf->mode != CONF_MODE_BOOTSTRAP)
		return;
	policy_templates_free(ptemplates);
	ptemplates = NULL;
	if (policy_setup(err, sizeof(err)) == -1)
		log_warnx("routing policy: %s", err);
	/* Rendered again and applied at the next run, whatever the hash. */
	applied_hash[0] = '\0';
}

static int
policy_setup(char *err, size_t errlen)
{
	if (ptemplates == NULL && (ptemplates = policy_templates_load(
	    conf->bird_template_dir, err, errlen)) == NULL)
		return -1;
	return 0;
}

void
policy_run(struct sched_task *t)
{
	policy_task = t;
	/* Drift (an address removed by hand) is repaired here too. */
	loopback_sync();
	if (conf->mode != CONF_MODE_BOOTSTRAP) {
		sched_done(t);
		return;
	}
	pend.task = t;
	if (cp_fetch(CP_EP_POLICY, policy_fetched, NULL) == 0) {
		log_warnx("routing policy: cannot ask the control plane");
		policy_done();
	}
}

/*
 * In bootstrap mode the peer files use the policy's template and
 * filters: BIRD takes them only once the policy is in place, applied in
 * this run or left by an earlier one.
 */
int
policy_ready(void)
{
	char	 path[PATH_MAX];

	if (conf->mode != CONF_MODE_BOOTSTRAP || have_policy)
		return 1;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s",
	    conf->bird_policy_dir, policy_file_name(POLICY_F_FILTERS)) >=
	    sizeof(path) || access(path, F_OK) == -1)
		return 0;
	return policy_main_is_ours();
}

/* bird.conf is the agent's (not the script's stub, which lacks the policy). */
static int
policy_main_is_ours(void)
{
	char	 line[64];
	FILE	*f;
	int	 ours;

	if ((f = fopen(conf->bird_config_file, "re")) == NULL)
		return 0;
	ours = fgets(line, sizeof(line), f) != NULL &&
	    strncmp(line, RENDER_HEADER_PREFIX,
	    strlen(RENDER_HEADER_PREFIX)) == 0;
	fclose(f);
	return ours;
}

static void
policy_done(void)
{
	struct sched_task	*t = pend.task;

	policy_out_free(&pend.out);
	free(pend.blcopy);
	pend.blcopy = NULL;
	pend.blcopylen = 0;
	explicit_bzero(&pend.pol, sizeof(pend.pol));
	pend.task = NULL;
	if (t != NULL)
		sched_done(t);
}

/* Where a file of the policy lives: bird.conf is outside policyDir. */
int
policy_file_path(int id, char *dir, size_t dirlen, const char **name)
{
	char	*slash;

	if (id != POLICY_F_MAIN) {
		*name = policy_file_name(id);
		return strlcpy(dir, conf->bird_policy_dir, dirlen) >= dirlen ?
		    -1 : 0;
	}
	if (strlcpy(dir, conf->bird_config_file, dirlen) >= dirlen ||
	    (slash = strrchr(dir, '/')) == NULL || slash[1] == '\0')
		return -1;
	*slash = '\0';
	*name = conf->bird_config_file + (slash - dir) + 1;
	if (dir[0] == '\0')
		strlcpy(dir, "/", dirlen);
	return 0;
}

/* "2.0.12" and "v2.13.1" are older than 2.14; "2.14", "3.1.8" not. */
static int
bird_before_2_14(const char *v)
{
	unsigned long	 major, minor;
	char		*end;

	while (*v != '\0' && !isdigit((unsigned char)*v))
		v++;
	major = strtoul(v, &end, 10);
	if (end == v || *end != '.')
		return 0;
	minor = strtoul(end + 1, NULL, 10);
	return major < 2 || (major == 2 && minor < 14);
}

/*
 * The files bird.conf includes and the agent creates only when they
 * are missing: the block list (in the form this BIRD reads) and the
 * operator's local additions.
 */
static void
policy_create_missing(const char *path, const char *text)
{
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0644)) == -1) {
		if (errno != EEXIST)
			log_warn("routing policy: create %s", path);
		return;
	}
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    fsync(fd) == -1)
		log_warn("routing policy: write %s", path);
	else
		log_info("routing policy: created %s", path);
	close(fd);
}

/*
 * The block list as this BIRD reads it: included as it is, or copied
 * without return types for a BIRD older than 2.14, which the control
 * plane's script does not expect (its stub says "-> bool").  BIRD reads
 * an included file at a reconfiguration only: its digest goes into the
 * rendered file, so that an edit (the control plane's) makes one.
 */
static int
policy_blacklist(struct policy_params *pp, const char *version)
{
	char	*buf = NULL;
	size_t	 len;
	int	 old = bird_before_2_14(version);

	policy_create_missing(conf->bird_blacklist_file, old ?
	    "function is_blacklisted() { return false; }\n" :
	    "function is_blacklisted() -> bool { return false; }\n");
	if ((buf = statefile_read(conf->bird_blacklist_file, APPLY_FILE_MAX,
	    &len)) == NULL) {
		if (!old)
			return 0;
		log_warnx("routing policy: cannot read %s",
		    conf->bird_blacklist_file);
		return -1;
	}
	if (!old) {
		SHA256Data((const uint8_t *)buf, len, pp->blacklist_sum);
		free(buf);
		return 0;
	}
	if (policy_blacklist_compat(buf, len, &pend.blcopy,
	    &pend.blcopylen) == -1) {
		free(buf);
		return -1;
	}
	if (pend.blcopy == NULL)
		SHA256Data((const uint8_t *)buf, len, pp->blacklist_sum);
	else {
		log_debug("routing policy: %s read without return types for "
		    "BIRD %s", conf->bird_blacklist_file, version);
		pp->blacklist_copy = pend.blcopy;
		pp->blacklist_copylen = pend.blcopylen;
	}
	free(buf);
	return 0;
}

static void
policy_params(struct policy_params *pp)
{
	char	*slash;

	policy_params_init(pp);
	strlcpy(pp->maint_file, conf->bird_maint_file, sizeof(pp->maint_file));
	strlcpy(pp->blacklist_file, conf->bird_blacklist_file,
	    sizeof(pp->blacklist_file));
	strlcpy(pp->policy_dir, conf->bird_policy_dir,
	    sizeof(pp->policy_dir));
	strlcpy(pp->peer_dir, conf->bird_peer_dir, sizeof(pp->peer_dir));
	strlcpy(pp->ibgp_dir, conf->bird_ibgp_dir, sizeof(pp->ibgp_dir));
	strlcpy(pp->local_file, conf->bird_local_file,
	    sizeof(pp->local_file));
	/* The loopback addresses the agent puts on the router. */
	strlcpy(pp->src4, conf->wg_dn42_ipv4, sizeof(pp->src4));
	if ((slash = strchr(pp->src4, '/')) != NULL)
		*slash = '\0';
	strlcpy(pp->router_id, pp->src4, sizeof(pp->router_id));
	strlcpy(pp->src6, conf->wg_dn42_ipv6, sizeof(pp->src6));
	if ((slash = strchr(pp->src6, '/')) != NULL)
		*slash = '\0';
	if (conf->bird_peer_template[0] != '\0')
		strlcpy(pp->peer_template, conf->bird_peer_template,
		    sizeof(pp->peer_template));
	if (conf->bird_import_filter[0] != '\0')
		strlcpy(pp->import_filter, conf->bird_import_filter,
		    sizeof(pp->import_filter));
	if (conf->bird_export_filter[0] != '\0')
		strlcpy(pp->export_filter, conf->bird_export_filter,
		    sizeof(pp->export_filter));
}

/* 1 when hash and every file are what was applied last. */
static int
policy_same(const struct policy_out *o, const char *hash)
{
	int	 i;

	if (applied_hash[0] == '\0' || strcmp(applied_hash, hash) != 0)
		return 0;
	for (i = 0; i < POLICY_NFILES; i++) {
		if (o->present[i] != applied_present[i] ||
		    o->files[i].len != applied[i].len ||
		    (o->files[i].len > 0 && memcmp(o->files[i].data,
		    applied[i].data, o->files[i].len) != 0))
			return 0;
	}
	return 1;
}

static void
policy_fetched(const struct cp_result_msg *r, const struct cp_reply *rep,
    void *arg)
{
	struct policy_params	 pp;
	char			 err[POLICY_ERR_LEN];

	if (r->result != CP_RES_OK || rep->policy == NULL) {
		cphealth_failed("routing policy", r);
		policy_done();
		return;
	}
	if (policy_setup(err, sizeof(err)) == -1) {
		log_warnx("routing policy: %s", err);
		policy_done();
		return;
	}
	/* Its version decides the block list's form; nothing waits long. */
	if (!bird_state()->connected) {
		log_info("routing policy %s waits for BIRD",
		    rep->policy->config_hash);
		waits_for_bird = 1;
		policy_done();
		return;
	}
	pend.pol = *rep->policy;
	policy_params(&pp);
	if (policy_blacklist(&pp, bird_state()->version) == -1) {
		log_warnx("routing policy not applied: the block list %s "
		    "cannot be read", conf->bird_blacklist_file);
		policy_done();
		return;
	}
	policy_create_missing(conf->bird_local_file, "# Additions to "
	    "BIRD's configuration: moenet-agent includes this file last in "
	    "the\n# bird.conf it renders, and never writes it.\n");
	if (policy_render(ptemplates, &pp, &pend.pol, &pend.out, err,
	    sizeof(err)) == -1) {
		/* Nothing changes on the router: the last policy stays. */
		log_warnx("routing policy not applied: %s", err);
		policy_done();
		return;
	}
	if (policy_same(&pend.out, pend.pol.config_hash)) {
		log_debug("routing policy %s: unchanged",
		    pend.pol.config_hash);
		policy_done();
		return;
	}
	policy_apply();
}

/*
 * The bird.conf the agent replaces, when it is not its own (the
 * control plane's stub, or the operator's), is kept once in the state
 * directory.
 */
static void
policy_keep_stub(void)
{
	char	 path[PATH_MAX], *buf;
	size_t	 len;

	if (store_path(STORE_BIRD_ORIG, NULL, path, sizeof(path)) == -1 ||
	    access(path, F_OK) == 0 ||
	    policy_main_is_ours())
		return;
	if ((buf = statefile_read(conf->bird_config_file, APPLY_FILE_MAX,
	    &len)) == NULL)
		return;
	if (statefile_write(path, buf, len) == 0)
		log_info("routing policy: %s is rendered from now on; the "
		    "previous one is kept as %s", conf->bird_config_file,
		    path);
	free(buf);
}

static void
policy_apply(void)
{
	char		 dir[PATH_MAX], err[512];
	const char	*name;
	int		 i;

	if (mkdir(conf->bird_policy_dir, 0755) == -1 && errno != EEXIST) {
		log_warn("routing policy: %s", conf->bird_policy_dir);
		policy_done();
		return;
	}
	policy_keep_stub();
	if (apply_begin() == -1) {
		policy_done();
		return;
	}
	for (i = 0; i < POLICY_NFILES; i++) {
		if (policy_file_path(i, dir, sizeof(dir), &name) == -1) {
			log_warnx("routing policy: bad path for %s",
			    policy_file_name(i));
			apply_abort();
			policy_done();
			return;
		}
		/* A file no longer rendered goes only if it is ours. */
		if (!pend.out.present[i] &&
		    birdfiles_check(dir, name, err, sizeof(err)) == -1) {
			log_warnx("routing policy: %s", err);
			continue;
		}
		if ((pend.out.present[i] ? apply_put(dir, name,
		    pend.out.files[i].data, pend.out.files[i].len) :
		    apply_remove(dir, name)) == -1) {
			log_warn("routing policy: %s/%s", dir, name);
			apply_abort();
			policy_done();
			return;
		}
	}
	if (apply_commit(NULL, 0, policy_applied, NULL) == -1) {
		apply_abort();
		log_warnx("routing policy: cannot commit");
		policy_done();
	}
}

static void
policy_applied(const struct apply_result *ar, void *arg)
{
	int	 i;

	switch (ar->status) {
	case APPLY_OK:
	case APPLY_UNCHANGED:
		for (i = 0; i < POLICY_NFILES; i++) {
			render_buf_free(&applied[i]);
			applied[i] = pend.out.files[i];
			memset(&pend.out.files[i], 0,
			    sizeof(pend.out.files[i]));
			applied_present[i] = pend.out.present[i];
		}
		strlcpy(applied_hash, pend.pol.config_hash,
		    sizeof(applied_hash));
		cur_policy = pend.pol;
		/* Peer files held back for it can go to BIRD now. */
		if (!have_policy)
			sched_now(sched_find(ENGINE_SYNC_TASK));
		have_policy = 1;
		log_info("routing policy %s applied (AS%u, %u file(s) "
		    "changed)", applied_hash, cur_policy.dn42_as,
		    ar->nchanged);
		store_save();
		break;
	default:
		/* The pipeline put the previous files back. */
		log_warnx("routing policy %s refused: %s: %s",
		    pend.pol.config_hash, apply_status_name(ar->status),
		    ar->error);
		break;
	}
	policy_done();
}

/* Loopback addresses. */

static int
lb_fmt(const struct wgt_prefix *p, char *buf, size_t len)
{
	char	 a[INET6_ADDRSTRLEN];
	int	 n;

	if (inet_ntop(p->af, &p->addr, a, sizeof(a)) == NULL)
		return -1;
	n = snprintf(buf, len, "%s/%u", a, p->plen);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Only host prefixes are ours: /32 and /128. */
static int
lb_parse(const char *s, struct wgt_prefix *p)
{
	char	 buf[INET6_ADDRSTRLEN + 8], *slash;

	memset(p, 0, sizeof(*p));
	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf) ||
	    (slash = strchr(buf, '/')) == NULL)
		return -1;
	*slash++ = '\0';
	if (inet_pton(AF_INET, buf, &p->addr.v4) == 1 &&
	    strcmp(slash, "32") == 0) {
		p->af = AF_INET;
		p->plen = 32;
		return 0;
	}
	if (inet_pton(AF_INET6, buf, &p->addr.v6) == 1 &&
	    strcmp(slash, "128") == 0) {
		p->af = AF_INET6;
		p->plen = 128;
		return 0;
	}
	return -1;
}

static int
lb_eq(const struct wgt_prefix *a, const struct wgt_prefix *b)
{
	if (a->af != b->af || a->plen != b->plen)
		return 0;
	return a->af == AF_INET ?
	    memcmp(&a->addr.v4, &b->addr.v4, sizeof(a->addr.v4)) == 0 :
	    memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6)) == 0;
}

static int
lb_in(const struct wgt_prefix *p, const struct lb_set *s)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (lb_eq(p, &s->a[i]))
			return 1;
	return 0;
}

/*
 * The "loopback" section of the store: the addresses the agent put,
 * {"interface": name, "addresses": ["a/32", "b/128"]}.
 */
static void
lb_load(void)
{
	static const struct store_section sec = { "loopback", lb_store_save,
			    lb_store_load, STORE_LOOPBACK, lb_migrate };

	lb_loaded = 1;
	memset(&owned, 0, sizeof(owned));
	store_register(&sec);
}

static void
lb_store_load(const struct jnode *n)
{
	const struct jnode	*ifn, *a;
	struct jnode		*k;

	if (n == NULL)
		return;
	if (n->type != J_OBJECT || (ifn = jdom_get(n, "interface")) == NULL ||
	    ifn->type != J_STRING || strlen(ifn->str) >= IFNAMSIZ ||
	    (a = jdom_get(n, "addresses")) == NULL || a->type != J_ARRAY)
		goto bad;
	TAILQ_FOREACH(k, &a->children, entry) {
		if (k->type != J_STRING || owned.n >= LOOPBACK_MAX ||
		    lb_parse(k->str, &owned.a[owned.n]) == -1)
			goto bad;
		owned.n++;
	}
	if (owned.n > 0)
		strlcpy(owned.ifname, ifn->str, sizeof(owned.ifname));
	return;
 bad:
	memset(&owned, 0, sizeof(owned));
	log_warnx("loopback: the saved state is damaged; forgetting what it "
	    "says");
}

/* "ifname addr/len" per line: the file of the releases before the store. */
static void
lb_migrate(const char *path, char *buf, size_t len)
{
	char	*line, *p, *sp;

	p = buf;
	while ((line = strsep(&p, "\n")) != NULL) {
		if (*line == '\0')
			continue;
		if ((sp = strchr(line, ' ')) == NULL ||
		    (size_t)(sp - line) >= IFNAMSIZ || owned.n >= LOOPBACK_MAX)
			goto bad;
		*sp++ = '\0';
		if (owned.n > 0 && strcmp(owned.ifname, line) != 0)
			goto bad;
		strlcpy(owned.ifname, line, sizeof(owned.ifname));
		if (lb_parse(sp, &owned.a[owned.n]) == -1)
			goto bad;
		owned.n++;
	}
	return;
 bad:
	memset(&owned, 0, sizeof(owned));
	log_warnx("loopback: %s is damaged; forgetting what it says", path);
}

static int
lb_store_save(FILE *f)
{
	char	 a[64];
	size_t	 i;
	int	 first = 1;

	fputs("{ \"interface\": ", f);
	jw_quote(f, owned.ifname);
	fputs(", \"addresses\": [", f);
	for (i = 0; i < owned.n; i++) {
		if (lb_fmt(&owned.a[i], a, sizeof(a)) == -1)
			continue;
		fprintf(f, "%s\"%s\"", first ? "" : ", ", a);
		first = 0;
	}
	fputs("] }", f);
	return 0;
}

static void
lb_save(void)
{
	if (store_save() == -1)
		log_warnx("loopback: the state is not saved");
}

/* wireguard.dn42Ipv4 or dn42Ipv6, as a host prefix; 0: not set. */
static int
lb_conf(const char *s, int af, struct wgt_prefix *p)
{
	char	 buf[INET6_ADDRSTRLEN + 8], *slash;

	memset(p, 0, sizeof(*p));
	if (*s == '\0' || strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return 0;
	if ((slash = strchr(buf, '/')) != NULL)
		*slash = '\0';
	if (inet_pton(af, buf, af == AF_INET ? (void *)&p->addr.v4 :
	    (void *)&p->addr.v6) != 1) {
		log_warnx("loopback: %s is not an address", s);
		return 0;
	}
	p->af = af;
	p->plen = af == AF_INET ? 32 : 128;
	return 1;
}

void
loopback_sync(void)
{
	struct wgt_prefix	 p;

	if (lb_busy) {
		lb_again = 1;
		return;
	}
	if (!lb_loaded)
		lb_load();
	memset(&lb_want, 0, sizeof(lb_want));
	/* "none": the operator places the addresses; ours are removed. */
	if (strcmp(conf->wg_loopback_if, "none") != 0) {
		if (lb_conf(conf->wg_dn42_ipv4, AF_INET, &p))
			lb_want.a[lb_want.n++] = p;
		if (lb_conf(conf->wg_dn42_ipv6, AF_INET6, &p))
			lb_want.a[lb_want.n++] = p;
	}
	if (strcmp(conf->wg_loopback_if, LOOPBACK_DUMMY) != 0 &&
	    strcmp(conf->wg_loopback_if, "none") != 0)
		strlcpy(lb_want.ifname, conf->wg_loopback_if,
		    sizeof(lb_want.ifname));
	else
		strlcpy(lb_want.ifname, no_dummy ? LOOPBACK_LO :
		    LOOPBACK_DUMMY, sizeof(lb_want.ifname));
	/* Nothing wanted and nothing of ours: not even a dummy0. */
	if (lb_want.n == 0 && owned.n == 0)
		return;
	lb_busy = 1;
	lb_send();
}

static void
lb_send(void)
{
	const struct wgt_prefix	*old = NULL;
	size_t			 nold = 0;

	if (owned.n > 0 && strcmp(owned.ifname, lb_want.ifname) == 0) {
		old = owned.a;
		nold = owned.n;
	}
	if (wg_loopback_apply(lb_want.ifname, strcmp(lb_want.ifname,
	    LOOPBACK_DUMMY) == 0 ? "dummy" : NULL, lb_want.a, lb_want.n, old,
	    nold, lb_done, NULL) == -1) {
		log_warn("loopback: %s", lb_want.ifname);
		lb_finish();
	}
}

/* Moved: the addresses are on the new link, ours left the old one. */
static void
lb_moved(int err, const char *msg, uint32_t added, void *arg)
{
	if (err != 0)
		log_warnx("loopback: removing ours from %s: %s (left there)",
		    owned.ifname, msg);
	else
		log_info("loopback: moved from %s to %s", owned.ifname,
		    lb_next.ifname);
	owned = lb_next;
	if (owned.n == 0)
		owned.ifname[0] = '\0';
	lb_save();
	lb_finish();
}

static void
lb_done(int err, const char *msg, uint32_t added, void *arg)
{
	struct lb_set	 now;
	char		 a[64];
	size_t		 i;

	if (err != 0 && strcmp(lb_want.ifname, LOOPBACK_DUMMY) == 0 &&
	    !no_dummy && added == 0) {
		/* Once: the kernel has no dummy driver (or the name is taken). */
		no_dummy = 1;
		log_notice("loopback: no dummy interface %s (%s); the "
		    "router's addresses go on %s instead", LOOPBACK_DUMMY,
		    msg, LOOPBACK_LO);
		strlcpy(lb_want.ifname, LOOPBACK_LO, sizeof(lb_want.ifname));
		lb_send();
		return;
	}
	/* Ours now: ours before that are still wanted, and what was added. */
	memset(&now, 0, sizeof(now));
	strlcpy(now.ifname, lb_want.ifname, sizeof(now.ifname));
	for (i = 0; i < lb_want.n; i++) {
		if ((added & (1U << i)) || (lb_in(&lb_want.a[i], &owned) &&
		    strcmp(owned.ifname, now.ifname) == 0))
			now.a[now.n++] = lb_want.a[i];
		if ((added & (1U << i)) &&
		    lb_fmt(&lb_want.a[i], a, sizeof(a)) == 0)
			log_info("loopback: %s added on %s", a, now.ifname);
	}
	/* A removal that failed: still ours. */
	if (err != 0) {
		for (i = 0; i < owned.n && now.n < LOOPBACK_MAX; i++)
			if (!lb_in(&owned.a[i], &now) &&
			    strcmp(owned.ifname, now.ifname) == 0)
				now.a[now.n++] = owned.a[i];
		log_warnx("loopback: %s: %s", lb_want.ifname, msg);
	} else
		for (i = 0; i < owned.n; i++)
			if (!lb_in(&owned.a[i], &now) &&
			    lb_fmt(&owned.a[i], a, sizeof(a)) == 0)
				log_info("loopback: %s removed from %s", a,
				    owned.ifname);
	if (err == 0 && owned.n > 0 && strcmp(owned.ifname, now.ifname) != 0) {
		/* The new link has them: ours leave the old one now. */
		lb_next = now;
		if (wg_loopback_apply(owned.ifname, NULL, NULL, 0, owned.a,
		    owned.n, lb_moved, NULL) == 0)
			return;
		log_warn("loopback: %s", owned.ifname);
	}
	if (now.n != owned.n || strcmp(now.ifname, owned.ifname) != 0 ||
	    memcmp(now.a, owned.a, now.n * sizeof(now.a[0])) != 0) {
		owned = now;
		if (owned.n == 0)
			owned.ifname[0] = '\0';
		lb_save();
	}
	lb_finish();
}

static void
lb_finish(void)
{
	lb_busy = 0;
	if (lb_again) {
		lb_again = 0;
		loopback_sync();
	}
}
