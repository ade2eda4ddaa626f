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
 * The "sessions" section of the store (state.json): what the agent
 * owns on the router (per session: its tunnel, its BIRD file and
 * protocol, its state, and what the control plane last wanted of it),
 * so that a restarted agent adopts what exists, keeps the router as it
 * was while the control plane is away, and still removes what it made
 * once the control plane no longer wants it.  Every generated file is
 * listed with the SHA-256 of the bytes the agent wrote, so a hand edit
 * is noticed at the next start.  Read once from last_state.json (of
 * version 1 or 2) on the first start with the store.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/tree.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sha2.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "parent/core/session.h"
#include "parent/core/jdom.h"
#include "parent/tasks/policy.h"
#include "parent/tasks/state.h"
#include "parent/core/sessiondoc.h"
#include "parent/core/statefile.h"
#include "parent/core/store.h"

#define STATE_VERSION	2
#define STATE_HASH_LEN	SHA256_DIGEST_STRING_LENGTH

struct sbuf {
	char	*p;
	size_t	 len, cap;
};

static void	sbuf_add(struct sbuf *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static void	sbuf_str(struct sbuf *, const char *, const char *, int);
static int	state_save(FILE *);
static void	state_load(const struct jnode *);
static void	state_migrate(const char *, char *, size_t);
static void	state_read(const struct jnode *, int);
static int	state_session(const struct jnode *, int);
static int	file_hash(const char *, const char *, char *);
static void	state_file(struct sbuf *, const char *, const char *, int *);
static void	state_files(struct sbuf *);
static void	state_check_file(const char *, const char *);
static int	generated_name(const char *);


static void
sbuf_add(struct sbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
		if (n < 0)
			fatal("%s", __func__);
		if ((size_t)n < b->cap - b->len)
			break;
		b->cap = (b->cap + n + 1) * 2;
		if ((b->p = realloc(b->p, b->cap)) == NULL)
			fatal("%s", __func__);
	}
	b->len += n;
}

static void
sbuf_str(struct sbuf *b, const char *key, const char *val, int comma)
{
	char	 esc[2 * CP_ERROR_LEN + 16];

	json_escape(esc, sizeof(esc), val);
	sbuf_add(b, "%s\"%s\": \"%s\"", comma ? ", " : "", key, esc);
}

static const struct store_section state_section = {
	"sessions", state_save, state_load, STORE_SESSIONS, state_migrate
};

void
state_init(void)
{
	store_register(&state_section);
}

/* SHA-256 of dir/name as hex into out; -1 if it cannot be read. */
static int
file_hash(const char *dir, const char *name, char *out)
{
	char	 path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path) || SHA256File(path, out) == NULL)
		return -1;
	return 0;
}

static void
state_file(struct sbuf *b, const char *dir, const char *name, int *first)
{
	char	 path[PATH_MAX], hash[STATE_HASH_LEN];

	if (dir[0] == '\0' || file_hash(dir, name, hash) == -1)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	sbuf_add(b, "%s\n\t\t\t{ ", *first ? "" : ",");
	*first = 0;
	sbuf_str(b, "path", path, 0);
	sbuf_str(b, "sha256", hash, 1);
	sbuf_add(b, " }");
}

/* Files of the iBGP directory only the agent writes. */
static int
generated_name(const char *name)
{
	size_t	 len = strlen(name);

	return name[0] != '.' && len > 5 &&
	    strcmp(name + len - 5, ".conf") == 0 &&
	    (strncmp(name, "ibgp_", 5) == 0 ||
	    strcmp(name, "mesh_babel.conf") == 0);
}

/* Every file the agent generates besides the sessions' own. */
static void
state_files(struct sbuf *b)
{
	struct dirent	*de;
	DIR		*d;
	char		 dir[PATH_MAX], *slash;
	const char	*name;
	int		 first = 1, i;

	if (conf->bird_ibgp_dir[0] != '\0' &&
	    (d = opendir(conf->bird_ibgp_dir)) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (generated_name(de->d_name))
				state_file(b, conf->bird_ibgp_dir, de->d_name,
				    &first);
		closedir(d);
	}
	for (i = 0; i < POLICY_NFILES; i++) {
		if (i == POLICY_F_MAIN && conf->mode != CONF_MODE_BOOTSTRAP)
			continue;
		if (policy_file_path(i, dir, sizeof(dir), &name) == 0)
			state_file(b, dir, name, &first);
	}
	strlcpy(dir, conf->bird_maint_file, sizeof(dir));
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		state_file(b, dir, slash + 1, &first);
	}
}

static int
state_save(FILE *f)
{
	struct session	*s;
	struct sbuf	 b;
	char		 hash[STATE_HASH_LEN];
	char		 doc[SESSIONDOC_MAX];
	int		 first = 1, n;

	memset(&b, 0, sizeof(b));
	b.cap = 4096;
	if ((b.p = malloc(b.cap)) == NULL)
		fatal("%s", __func__);
	sbuf_add(&b, "{\n\t\t");
	sbuf_str(&b, "node", conf->node_name, 0);
	sbuf_add(&b, ",\n\t\t\"sessions\": [");
	RB_FOREACH(s, session_tree, &sessions) {
		if (!s->applied && s->state != SESSION_ERROR)
			continue;
		sbuf_add(&b, "%s\n\t\t\t{ ", first ? "" : ",");
		first = 0;
		sbuf_str(&b, "uuid", s->desired.uuid, 0);
		sbuf_str(&b, "name", s->desired.name, 1);
		sbuf_add(&b, ", \"asn\": %u, \"applied\": %s", s->desired.asn,
		    s->applied ? "true" : "false");
		sbuf_str(&b, "state", session_state_name(s->state), 1);
		sbuf_str(&b, "interface", s->ifname, 1);
		sbuf_str(&b, "file", s->file, 1);
		if (s->file[0] != '\0' &&
		    file_hash(conf->bird_peer_dir, s->file, hash) == 0)
			sbuf_str(&b, "fileSha256", hash, 1);
		sbuf_str(&b, "protocol", s->protocol, 1);
		sbuf_str(&b, "lastError", s->last_error, 1);
		sbuf_add(&b, ", \"since\": %lld, \"reported\": %lld",
		    (long long)s->since, s->reported_status == UINT32_MAX ?
		    -1LL : (long long)s->reported_status);
		if (s->desired_known && (n = sessiondoc_encode(&s->desired,
		    doc, sizeof(doc))) != -1) {
			sbuf_add(&b, ",\n\t\t\t  \"desired\": %.*s", n, doc);
			explicit_bzero(doc, n);
		}
		sbuf_add(&b, " }");
	}
	sbuf_add(&b, "\n\t\t],\n\t\t\"files\": [");
	state_files(&b);
	sbuf_add(&b, "\n\t\t]\n\t}");
	fwrite(b.p, 1, b.len, f);
	/* The sessions' preshared keys. */
	freezero(b.p, b.cap);
	return 0;
}

/* A file we wrote whose bytes are no longer ours: say so. */
static void
state_check_file(const char *path, const char *want)
{
	char	 dir[PATH_MAX], hash[STATE_HASH_LEN], *slash;

	strlcpy(dir, path, sizeof(dir));
	if ((slash = strrchr(dir, '/')) == NULL)
		return;
	*slash = '\0';
	if (file_hash(dir, slash + 1, hash) == -1)
		log_warnx("state: %s is gone since the agent wrote it", path);
	else if (strcmp(hash, want) != 0)
		log_warnx("state: %s was changed outside the agent; the "
		    "next sync puts the agent's content back", path);
}

static const char *
jstr(const struct jnode *o, const char *key)
{
	const struct jnode	*n = jdom_get(o, key);

	return n != NULL && n->type == J_STRING ? n->str : NULL;
}

static int
state_session(const struct jnode *o, int version)
{
	struct session	*s;
	struct cp_session_msg d;
	const char	*uuid, *v, *errstr = NULL;
	const struct jnode *n;
	enum session_state st;
	char		 err[128], path[PATH_MAX];

	if (o->type != J_OBJECT || (uuid = jstr(o, "uuid")) == NULL ||
	    *uuid == '\0' || strlen(uuid) >= CP_UUID_LEN)
		return -1;
	if (session_find(uuid) != NULL)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal("%s", __func__);
	strlcpy(s->desired.uuid, uuid, sizeof(s->desired.uuid));
	if ((v = jstr(o, "name")) != NULL)
		strlcpy(s->desired.name, v, sizeof(s->desired.name));
	if ((n = jdom_get(o, "asn")) != NULL && n->type == J_NUMBER)
		s->desired.asn = strtonum(n->str, 0, UINT32_MAX, &errstr);
	if ((v = jstr(o, "interface")) != NULL)
		strlcpy(s->ifname, v, sizeof(s->ifname));
	strlcpy(s->desired.ifname, s->ifname, sizeof(s->desired.ifname));
	if ((v = jstr(o, "file")) != NULL)
		strlcpy(s->file, v, sizeof(s->file));
	if ((v = jstr(o, "protocol")) != NULL)
		strlcpy(s->protocol, v, sizeof(s->protocol));
	if ((v = jstr(o, "lastError")) != NULL)
		strlcpy(s->last_error, v, sizeof(s->last_error));
	s->applied = (n = jdom_get(o, "applied")) != NULL &&
	    n->type == J_BOOL && n->boolean;
	s->state = SESSION_NEW;
	if ((v = jstr(o, "state")) != NULL)
		for (st = 0; st <= SESSION_STATE_MAX; st++)
			if (strcmp(v, session_state_name(st)) == 0)
				s->state = st;
	if ((n = jdom_get(o, "since")) != NULL && n->type == J_NUMBER)
		s->since = strtonum(n->str, 0, LLONG_MAX, &errstr);
	s->reported_status = UINT32_MAX;
	if ((n = jdom_get(o, "reported")) != NULL && n->type == J_NUMBER)
		s->reported_status = strtonum(n->str, 0, CP_STATUS_MAX,
		    &errstr) ;
	if (errstr != NULL)
		s->reported_status = UINT32_MAX;
	s->observed.rtt_ms = -1;
	if (version >= 2 && (n = jdom_get(o, "desired")) != NULL) {
		if (sessiondoc_decode(n, &d, err, sizeof(err)) == -1 ||
		    strcmp(d.uuid, s->desired.uuid) != 0)
			log_warnx("state: session %s: desired: %s", uuid,
			    strcmp(d.uuid, uuid) != 0 ? "another uuid" : err);
		else {
			s->desired = d;
			s->desired_known = 1;
		}
		explicit_bzero(&d, sizeof(d));
	}
	if (s->file[0] != '\0' && (v = jstr(o, "fileSha256")) != NULL &&
	    (size_t)snprintf(path, sizeof(path), "%s/%s", conf->bird_peer_dir,
	    s->file) < sizeof(path))
		state_check_file(path, v);
	/* Until the control plane lists it again, it counts as missing. */
	RB_INSERT(session_tree, &sessions, s);
	return 0;
}

/* The section of state.json: as last_state.json of version 2 was. */
static void
state_load(const struct jnode *sec)
{
	if (sec == NULL)
		return;
	if (sec->type != J_OBJECT) {
		log_warnx("state: the sessions section is not an object; "
		    "nothing owned from before");
		return;
	}
	state_read(sec, 2);
}

/* last_state.json, of the releases before the store. */
static void
state_migrate(const char *path, char *buf, size_t len)
{
	struct jnode	*root;
	const struct jnode *sv;
	char		 err[256];

	root = jdom_parse(buf, len, 8, err, sizeof(err));
	if (root == NULL || root->type != J_OBJECT ||
	    (sv = jdom_get(root, "version")) == NULL ||
	    sv->type != J_NUMBER) {
		log_warnx("%s: %s", path, root == NULL ? err :
		    "not a state file");
		jdom_free(root);
		statefile_set_aside(path);
		return;
	}
	if (strcmp(sv->str, "1") != 0 && strcmp(sv->str, "2") != 0) {
		log_warnx("%s: state version %s is not known here", path,
		    sv->str);
		jdom_free(root);
		statefile_set_aside(path);
		return;
	}
	state_read(root, sv->str[0] - '0');
	jdom_free(root);
}

static void
state_read(const struct jnode *root, int version)
{
	struct jnode	*n, *p;
	const struct jnode *ss;
	int		 nsess = 0;

	if ((ss = jdom_get(root, "sessions")) != NULL &&
	    ss->type == J_ARRAY) {
		TAILQ_FOREACH(n, &ss->children, entry)
			if (state_session(n, version) == 0)
				nsess++;
	}
	if ((ss = jdom_get(root, "files")) != NULL && ss->type == J_ARRAY)
		TAILQ_FOREACH(n, &ss->children, entry)
			if (n->type == J_OBJECT &&
			    (p = jdom_get(n, "path")) != NULL &&
			    p->type == J_STRING && p->str[0] == '/' &&
			    jstr(n, "sha256") != NULL)
				state_check_file(p->str, jstr(n, "sha256"));
	log_info("state: %d session%s owned from before", nsess,
	    nsess == 1 ? "" : "s");
}
