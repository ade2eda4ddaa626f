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

#include <net/if.h>

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sha2.h>

#include "moenet.h"
#include "log.h"
#include "parent/core/parent.h"
#include "parent/core/degraded.h"
#include "parent/core/jdom.h"
#include "parent/core/jw.h"
#include "parent/core/statefile.h"
#include "parent/core/store.h"

/* The sessions' desired state nests deepest: state, sessions, [], desired, ... */
#define STORE_DEPTH	12

static const struct {
	const char	*name;		/* or the prefix of a tunnel's */
	const char	*suffix;	/* a tunnel's file: after its name */
	size_t		 max;		/* a reader takes at most */
} store_files[STORE_NFILES] = {
	[STORE_STATE] =		{ "state.json", NULL, 16 * 1024 * 1024 },
	[STORE_SESSIONS] =	{ "last_state.json", NULL, 16 * 1024 * 1024 },
	[STORE_MESH] =		{ "mesh_state.json", NULL, 256 * 1024 },
	[STORE_MAINT] =		{ "maintenance", NULL, 64 },
	[STORE_LOOPBACK] =	{ "loopback", NULL, 4096 },
	[STORE_OWNED] =		{ "owned_interfaces", NULL, 64 * 1024 },
	[STORE_NODECONF] =	{ "nodeconf.json", NULL, 64 * 1024 },
	[STORE_BIRD_ORIG] =	{ "bird.conf.orig", NULL, 0 },
	[STORE_WG_PID] =	{ "wg-", ".pid", 64 },
	[STORE_WG_ADDRS] =	{ "wg-", ".addrs", 4096 },
};

/* The file's path in state.dir; ifname for a tunnel's files. */
int
store_path(enum store_file id, const char *ifname, char *buf, size_t len)
{
	int	 n;

	if ((unsigned int)id >= STORE_NFILES)
		fatalx("%s: no file %d", __func__, id);
	if (conf->state_dir[0] == '\0')
		return -1;
	if (store_files[id].suffix != NULL) {
		if (ifname == NULL || ifname_check(ifname, IFNAMSIZ) != NULL)
			return -1;
		n = snprintf(buf, len, "%s/%s%s%s", conf->state_dir,
		    store_files[id].name, ifname, store_files[id].suffix);
	} else
		n = snprintf(buf, len, "%s/%s", conf->state_dir,
		    store_files[id].name);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

size_t
store_max(enum store_file id)
{
	if ((unsigned int)id >= STORE_NFILES)
		fatalx("%s: no file %d", __func__, id);
	return store_files[id].max;
}

/*
 * state.json.  The tree read at start is kept only for the sections no
 * task has claimed yet (a task starting later, or one of a newer
 * release): they are written back as they were read.  A claimed
 * section's node is freed as soon as its task has read it, for it may
 * hold keys.  What was last written is remembered by its hash alone.
 */
static struct {
	const struct store_section *s;
	int		 migrated;	/* its legacy file is to go */
}			 sections[STORE_SECTIONS];
static int		 nsections;
static struct jnode	*unclaimed;
static char		 last_hash[SHA256_DIGEST_STRING_LENGTH];
static int		 opened, refused;
static int		 found;		/* state.json at start */

static void	store_value(FILE *, const struct jnode *);
static void	store_forget_legacy(void);

/* Read state.json, once, before any section registers. */
void
store_open(void)
{
	struct jnode		*root, *vn;
	const struct jnode	*v;
	const char		*errstr;
	char			 path[PATH_MAX], err[256], *buf;
	size_t			 len;
	long long		 version;

	if (opened)
		return;
	opened = 1;
	if (store_path(STORE_STATE, NULL, path, sizeof(path)) == -1)
		return;
	if ((buf = statefile_read(path, store_max(STORE_STATE), &len)) ==
	    NULL) {
		if (errno != ENOENT) {
			found = 1;
			statefile_set_aside(path);
		}
		return;
	}
	found = 1;
	root = jdom_parse(buf, len, STORE_DEPTH, err, sizeof(err));
	freezero(buf, len);
	version = 0;
	if (root != NULL && root->type == J_OBJECT &&
	    (v = jdom_get(root, "version")) != NULL && v->type == J_NUMBER)
		version = strtonum(v->str, 1, INT_MAX, &errstr);
	if (version == 0) {
		log_warnx("%s: %s", path, root == NULL ? err :
		    "not a state file");
		jdom_free(root);
		statefile_set_aside(path);
		return;
	}
	if (version > STORE_VERSION) {
		/* A newer agent's: ours would lose what it knows. */
		refused = 1;
		log_warnx("%s is of version %lld, newer than this agent's %d: "
		    "not read, and not written until an agent that knows it "
		    "runs again", path, version, STORE_VERSION);
		degraded_set(DEGRADED_STATE_WRITE, "state not saved: %s is of "
		    "version %lld, newer than this agent's %d", path, version,
		    STORE_VERSION);
		jdom_free(root);
		return;
	}
	/* Version 1 has nothing to convert: the sections say the rest. */
	if ((vn = jdom_get(root, "version")) != NULL) {
		TAILQ_REMOVE(&root->children, vn, entry);
		jdom_free(vn);
	}
	unclaimed = root;
}

int
store_refused(void)
{
	return refused;
}

/* state.json was there at start, read or not: no first start. */
int
store_found(void)
{
	return found;
}

/*
 * The section's value from state.json, else from the file it
 * replaces, else none; its task reads it now.
 */
void
store_register(const struct store_section *sec)
{
	struct jnode	*n = NULL;
	char		 path[PATH_MAX], *buf;
	size_t		 len;
	int		 i;

	if (!opened)
		fatalx("%s: the store is not open", __func__);
	for (i = 0; i < nsections; i++)
		if (strcmp(sections[i].s->name, sec->name) == 0)
			fatalx("%s: section %s twice", __func__, sec->name);
	if (nsections >= STORE_SECTIONS)
		fatalx("%s: too many sections", __func__);
	sections[nsections].s = sec;
	sections[nsections].migrated = 0;
	nsections++;

	if (unclaimed != NULL && (n = jdom_get(unclaimed, sec->name)) !=
	    NULL)
		TAILQ_REMOVE(&unclaimed->children, n, entry);
	if (n != NULL || refused || sec->legacy >= STORE_NFILES ||
	    store_path(sec->legacy, NULL, path, sizeof(path)) == -1) {
		sec->load(n);
		jdom_free(n);
		return;
	}
	if ((buf = statefile_read(path, store_max(sec->legacy), &len)) ==
	    NULL) {
		if (errno != ENOENT)
			statefile_set_aside(path);
		sec->load(NULL);
		return;
	}
	log_info("state: reading %s, kept from now on in %s", path,
	    store_files[STORE_STATE].name);
	sections[nsections - 1].migrated = 1;
	sec->migrate(path, buf, len);
	freezero(buf, len);
}

/* A value read, written back as it was (but for the white space). */
static void
store_value(FILE *f, const struct jnode *n)
{
	const struct jnode	*k;
	int			 first = 1;

	switch (n->type) {
	case J_NULL:
		fputs("null", f);
		break;
	case J_BOOL:
		fputs(n->boolean ? "true" : "false", f);
		break;
	case J_NUMBER:
		fputs(n->str, f);
		break;
	case J_STRING:
		jw_quote(f, n->str);
		break;
	case J_OBJECT:
	case J_ARRAY:
		fputc(n->type == J_OBJECT ? '{' : '[', f);
		TAILQ_FOREACH(k, &n->children, entry) {
			if (!first)
				fputs(", ", f);
			first = 0;
			if (n->type == J_OBJECT) {
				jw_quote(f, k->key);
				fputs(": ", f);
			}
			store_value(f, k);
		}
		fputc(n->type == J_OBJECT ? '}' : ']', f);
		break;
	}
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char * const *)a, *(const char * const *)b);
}

/*
 * Write state.json if its bytes would differ from the last written:
 * a sync that changed nothing writes nothing.  -1 when the
 * state is not on disk (a failed write, or a newer file kept).
 */
int
store_save(void)
{
	const char	*names[STORE_SECTIONS * 2];
	struct jnode	*n;
	char		 path[PATH_MAX], hash[SHA256_DIGEST_STRING_LENGTH];
	char		*buf = NULL;
	size_t		 len = 0;
	FILE		*f;
	int		 nn = 0, i, j, rc;

	if (!opened || refused)
		return refused ? -1 : 0;
	if (store_path(STORE_STATE, NULL, path, sizeof(path)) == -1)
		return 0;
	/* Sorted by name, so that the same content is the same bytes. */
	for (i = 0; i < nsections; i++)
		names[nn++] = sections[i].s->name;
	if (unclaimed != NULL)
		TAILQ_FOREACH(n, &unclaimed->children, entry)
			if (nn < (int)(sizeof(names) / sizeof(names[0])))
				names[nn++] = n->key;
	qsort(names, nn, sizeof(names[0]), name_cmp);

	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("%s", __func__);
	fprintf(f, "{\n\t\"version\": %d", STORE_VERSION);
	for (i = 0; i < nn; i++) {
		for (j = 0; j < nsections; j++)
			if (sections[j].s->name == names[i])
				break;
		fputs(",\n\t", f);
		jw_quote(f, names[i]);
		fputs(": ", f);
		if (j < nsections) {
			if (sections[j].s->save(f) == -1)
				fputs("null", f);
		} else
			store_value(f, jdom_get(unclaimed, names[i]));
	}
	fputs("\n}\n", f);
	if (fclose(f) == EOF)
		fatal("%s", __func__);

	SHA256Data((const uint8_t *)buf, len, hash);
	if (strcmp(hash, last_hash) == 0) {
		freezero(buf, len);
		return 0;
	}
	rc = statefile_write(path, buf, len);
	/* The sessions' preshared keys are in it. */
	freezero(buf, len);
	if (rc == -1)
		return -1;
	strlcpy(last_hash, hash, sizeof(last_hash));
	store_forget_legacy();
	return 0;
}

/* state.json holds what the old files said: they would only mislead. */
static void
store_forget_legacy(void)
{
	char	 path[PATH_MAX];
	int	 i;

	for (i = 0; i < nsections; i++) {
		if (!sections[i].migrated)
			continue;
		sections[i].migrated = 0;
		if (store_path(sections[i].s->legacy, NULL, path,
		    sizeof(path)) == -1)
			continue;
		if (unlink(path) == 0)
			log_info("state: %s removed, its content is in %s",
			    path, store_files[STORE_STATE].name);
		else if (errno != ENOENT)
			log_warn("state: cannot remove %s", path);
	}
}

/* For the tests and the fuzzer: forget everything. */
void
store_close(void)
{
	jdom_free(unclaimed);
	unclaimed = NULL;
	memset(sections, 0, sizeof(sections));
	nsections = 0;
	last_hash[0] = '\0';
	opened = refused = found = 0;
}
