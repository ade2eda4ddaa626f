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
 * The apply pipeline: files first, then BIRD, and back again on any
 * failure.  Files are replaced by rename of a fully written and
 * synced temporary, never truncated in place; the previous bytes are
 * kept in memory until BIRD has confirmed.  "configure timeout" makes
 * BIRD itself undo a configuration we never confirm, so an agent that
 * dies in the middle leaves BIRD on its previous configuration; the
 * engine re-applies at the next start.
 *
 * Changes are coalesced: each task commits a change set of its own, and
 * every set committed while BIRD is busy (or in the same turn of the
 * event loop) goes into the next transaction together, one
 * reconfiguration for all.  When BIRD refuses such a combined change,
 * the set whose file it names gets the failure and the others run again
 * without it; if no set can be named, each runs again on its own, so
 * every caller learns the outcome of its own change.
 *
 * Temporary files are ".<name>.tmp": the leading dot keeps them out of
 * an include glob that takes every file of the directory (the DN42
 * custom), since glob(3) skips dot files.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/tree.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "parent/ports/bird.h"
#include "parent/ports/apply.h"
#include "parent/ports/birdcheck.h"
#include "parent/ports/birdfiles.h"
#include "birdctl/birdcmd.h"

enum apply_step {
	STEP_IDLE,		/* no transaction */
	STEP_CHECK,		/* configure check sent */
	STEP_TIMEOUT,		/* configure timeout sent */
	STEP_STATUS,		/* verify: show status */
	STEP_PROTOCOLS,		/* verify: show protocols */
	STEP_CONFIRM,
	STEP_UNDO,		/* failed: configure undo sent */
	STEP_RECONFIGURE,	/* failed, undo refused: plain configure */
	STEP_DONE		/* result waiting to be delivered */
};

struct apply_file {
	TAILQ_ENTRY(apply_file)	 entry;
	RB_ENTRY(apply_file)	 node;		/* by name, then dir */
	char			*dir;
	char			 name[APPLY_NAME_MAX];
	unsigned char		*data;		/* NULL: remove */
	size_t			 len;
	unsigned char		*prev;		/* bytes on disk before */
	size_t			 prevlen;
	int			 existed;
	int			 changed;
	int			 written;	/* our change is on disk */
	int			 checked;	/* absent, or the agent's */
};
TAILQ_HEAD(apply_files, apply_file);
RB_HEAD(apply_file_tree, apply_file);

/*
 * Files in the order they were put, and by name: a sync puts a
 * thousand, and each put looks for the one before it.
 */
struct apply_fileset {
	struct apply_files	 list;
	struct apply_file_tree	 tree;
	size_t			 n;
};

static int
apply_file_cmp(const struct apply_file *a, const struct apply_file *b)
{
	int	 c;

	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return strcmp(a->dir, b->dir);
}
RB_PROTOTYPE_STATIC(apply_file_tree, apply_file, node, apply_file_cmp)
RB_GENERATE_STATIC(apply_file_tree, apply_file, node, apply_file_cmp)

/* For qsort(3) and bsearch(3): protocol names, in place or by pointer. */
static int
name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One caller's change: begun, filled, committed, answered once. */
struct apply_set {
	TAILQ_ENTRY(apply_set)	 entry;
	struct apply_fileset	 files;
	char			(*expect)[BIRD_NAME_LEN];
	size_t			 nexpect;
	apply_cb		 cb;
	void			*arg;
	int			 alone;	/* failed in company: runs by itself */
};
TAILQ_HEAD(apply_sets, apply_set);

static struct apply_set	*staging;	/* between begin and commit */
static struct apply_sets pending = TAILQ_HEAD_INITIALIZER(pending);
static struct event	 ev_kick;

/* The transaction under way: the union of its member sets. */
static struct {
	enum apply_step		 step;
	struct apply_sets	 members;
	struct apply_fileset	 files;
	char			(*expect)[BIRD_NAME_LEN];
	size_t			 nexpect;
	int			 armed;		/* an undo timer runs */
	int			 maybe_armed;	/* it may: no answer came */
	int			 bird_undid;	/* BIRD's timer fired */
	struct apply_result	 res;
	struct event		 ev_deliver;
} tx = {
	.members = TAILQ_HEAD_INITIALIZER(tx.members),
	.files = {
		.list = TAILQ_HEAD_INITIALIZER(tx.files.list),
		.tree = RB_INITIALIZER(&tx.files.tree)
	}
};

static unsigned int	 apply_timeout = APPLY_TIMEOUT_DEFAULT;
static uint64_t		 apply_count[APPLY_NSTATUS];

static struct apply_file *apply_file_get(struct apply_fileset *,
		    const char *, const char *);
static void	apply_files_init(struct apply_fileset *);
static void	apply_files_free(struct apply_fileset *);
static void	apply_set_free(struct apply_set *);
static void	apply_kick(void);
static void	apply_run(int, short, void *);
static int	apply_merge(void);
static void	apply_start(void);
static struct apply_set *apply_culprit(const struct apply_result *);
static void	apply_free(void);
static int	apply_send(enum bird_cmd_type);
static void	apply_answer(const struct bird_answer *, void *);
static void	apply_bird_undone(void);
static int	apply_write(void);
static void	apply_check_protocols(const struct bird_answer *);
static void	apply_fail(enum apply_status, const struct bird_answer *,
		    const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));
static void	apply_finish(enum apply_status);
static void	apply_deliver(int, short, void *);
static int	apply_rollback(void);
static void	apply_offline(void);
static int	offline_pending;	/* files BIRD has not loaded */
static void	apply_offline_checked(int, const char *, void *);
static int	file_path(char *, size_t, const char *, const char *,
		    int);
static int	file_read(const char *, const char *, unsigned char **,
		    size_t *, int *, char *, size_t);
static int	file_write(const char *, const char *, const unsigned char *,
		    size_t, char *, size_t);
static int	file_unlink(const char *, const char *, char *, size_t);
static int	dir_sync(const char *);

static const char *const status_names[] = {
	[APPLY_OK] = "ok",
	[APPLY_UNCHANGED] = "unchanged",
	[APPLY_ERR_NOT_CONNECTED] = "bird not connected",
	[APPLY_ERR_FILE] = "file error",
	[APPLY_ERR_CHECK] = "configure check failed",
	[APPLY_ERR_CONFIGURE] = "configure failed",
	[APPLY_ERR_VERIFY] = "verify failed",
	[APPLY_ERR_CONFIRM] = "confirm failed",
	[APPLY_ERR_BIRD] = "bird lost"
};

const char *
apply_status_name(enum apply_status s)
{
	if ((size_t)s >= sizeof(status_names) / sizeof(status_names[0]))
		return "unknown";
	return status_names[s];
}

const uint64_t *
apply_counters(void)
{
	return apply_count;
}

/*
 * Before BIRD is reached (bird_init()): the leftovers of an agent that
 * died while writing go, and BIRD's undo of a timed configuration
 * comes here.
 */
void
apply_init(void)
{
	const char	*dirs[3];
	size_t		 i;

	bird_on_undo(apply_bird_undone);
	dirs[0] = conf->bird_peer_dir;
	dirs[1] = conf->bird_ibgp_dir;
	dirs[2] = conf->bird_policy_dir;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (dirs[i][0] != '\0')
			apply_cleanup_dir(dirs[i]);
}

/* Removes ".<name>.tmp" files; returns how many, or -1. */
int
apply_cleanup_dir(const char *dir)
{
	struct dirent	*de;
	DIR		*d;
	char		 name[APPLY_NAME_MAX];
	size_t		 len;
	int		 n = 0;

	if ((d = opendir(dir)) == NULL) {
		if (errno != ENOENT)
			log_warn("%s: %s", __func__, dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] != '.' || len < 6 ||
		    len - 5 >= sizeof(name) ||
		    strcmp(de->d_name + len - 4, ".tmp") != 0)
			continue;
		memcpy(name, de->d_name + 1, len - 5);
		name[len - 5] = '\0';
		if (!apply_valid_name(name))
			continue;
		/* An operator's ".x.conf.tmp" is not ours to remove. */
		if (!birdfiles_tmp_ours(dir, name, de->d_name)) {
			log_info("%s/%s: not the agent's, left as it is",
			    dir, de->d_name);
			continue;
		}
		if (unlinkat(dirfd(d), de->d_name, 0) == -1) {
			log_warn("%s: unlink %s/%s", __func__, dir, de->d_name);
			continue;
		}
		log_info("removed %s/%s left by an interrupted apply", dir,
		    de->d_name);
		n++;
	}
	closedir(d);
	if (n > 0)
		dir_sync(dir);
	return n;
}

/* A plain file name of ours: [A-Za-z0-9_.-], no leading dot, ".conf". */
int
apply_valid_name(const char *name)
{
	size_t	 i, len;

	len = strnlen(name, APPLY_NAME_MAX);
	if (len <= 5 || len >= APPLY_NAME_MAX || name[0] == '.' ||
	    strcmp(name + len - 5, ".conf") != 0)
		return 0;
	for (i = 0; i < len; i++) {
		if ((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9') ||
		    name[i] == '_' || name[i] == '.' || name[i] == '-')
			continue;
		return 0;
	}
	return 1;
}

void
apply_set_timeout(unsigned int secs)
{
	if (secs < 1)
		secs = 1;
	if (secs > BIRD_TIMEOUT_MAX)
		secs = BIRD_TIMEOUT_MAX;
	apply_timeout = secs;
}

int
apply_busy(void)
{
	return staging != NULL || tx.step != STEP_IDLE ||
	    !TAILQ_EMPTY(&pending);
}

int
apply_begin(void)
{
	if (staging != NULL) {
		errno = EBUSY;
		return -1;
	}
	if ((staging = calloc(1, sizeof(*staging))) == NULL)
		return -1;
	apply_files_init(&staging->files);
	return 0;
}

void
apply_abort(void)
{
	apply_set_free(staging);
	staging = NULL;
}

static void
apply_files_init(struct apply_fileset *files)
{
	TAILQ_INIT(&files->list);
	RB_INIT(&files->tree);
	files->n = 0;
}

static void
apply_files_free(struct apply_fileset *files)
{
	struct apply_file	*f;

	while ((f = TAILQ_FIRST(&files->list)) != NULL) {
		TAILQ_REMOVE(&files->list, f, entry);
		free(f->dir);
		free(f->data);
		free(f->prev);
		free(f);
	}
	apply_files_init(files);
}

static void
apply_set_free(struct apply_set *set)
{
	if (set == NULL)
		return;
	apply_files_free(&set->files);
	free(set->expect);
	free(set);
}

/* The transaction's own copies; its member sets live on. */
static void
apply_free(void)
{
	apply_files_free(&tx.files);
	free(tx.expect);
	tx.expect = NULL;
	tx.nexpect = 0;
	tx.armed = tx.maybe_armed = tx.bird_undid = 0;
}

/* The entry for dir/name in files, new or the one put before. */
static struct apply_file *
apply_file_get(struct apply_fileset *files, const char *dir,
    const char *name)
{
	struct apply_file	*f, key;
	char			 path[PATH_MAX], keydir[PATH_MAX];

	if (dir == NULL || dir[0] != '/' || name == NULL ||
	    !apply_valid_name(name) ||
	    file_path(path, sizeof(path), dir, name, 0) == -1) {
		errno = EINVAL;
		return NULL;
	}
	memset(&key, 0, sizeof(key));
	strlcpy(keydir, dir, sizeof(keydir));
	key.dir = keydir;
	strlcpy(key.name, name, sizeof(key.name));
	if ((f = RB_FIND(apply_file_tree, &files->tree, &key)) != NULL) {
		free(f->data);
		f->data = NULL;
		f->len = 0;
		return f;
	}
	if (files->n >= APPLY_FILES_MAX) {
		errno = ENOSPC;
		return NULL;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	if ((f->dir = strdup(dir)) == NULL) {
		free(f);
		return NULL;
	}
	strlcpy(f->name, name, sizeof(f->name));
	TAILQ_INSERT_TAIL(&files->list, f, entry);
	RB_INSERT(apply_file_tree, &files->tree, f);
	files->n++;
	return f;
}

static int
file_set_data(struct apply_file *f, const void *data, size_t len)
{
	unsigned char	*copy;

	/* Never NULL, even for an empty file: NULL means remove. */
	if ((copy = malloc(len + 1)) == NULL)
		return -1;
	if (len > 0)
		memcpy(copy, data, len);
	f->data = copy;
	f->len = len;
	return 0;
}

int
apply_put(const char *dir, const char *name, const void *data, size_t len)
{
	struct apply_file	*f;

	if (staging == NULL || len > APPLY_FILE_MAX ||
	    (data == NULL && len > 0)) {
		errno = EINVAL;
		return -1;
	}
	if ((f = apply_file_get(&staging->files, dir,
	    name)) == NULL)
		return -1;
	return file_set_data(f, data, len);
}

int
apply_remove(const char *dir, const char *name)
{
	if (staging == NULL) {
		errno = EINVAL;
		return -1;
	}
	return apply_file_get(&staging->files, dir,
	    name) == NULL ? -1 : 0;
}

int
apply_commit(const char *const *expect, size_t nexpect, apply_cb cb,
    void *arg)
{
	size_t	 i;

	if (staging == NULL || cb == NULL || nexpect > APPLY_FILES_MAX) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < nexpect; i++)
		if (!bird_cmd_valid_name(expect[i])) {
			log_warnx("%s: bad protocol name", __func__);
			errno = EINVAL;
			return -1;
		}
	if (nexpect > 0 && (staging->expect = calloc(nexpect,
	    sizeof(*staging->expect))) == NULL)
		return -1;
	for (i = 0; i < nexpect; i++)
		strlcpy(staging->expect[i], expect[i],
		    sizeof(staging->expect[i]));
	staging->nexpect = nexpect;
	staging->cb = cb;
	staging->arg = arg;
	TAILQ_INSERT_TAIL(&pending, staging, entry);
	staging = NULL;
	apply_kick();
	return 0;
}

/*
 * The next transaction starts from the event loop, never from inside
 * apply_commit(): what other tasks commit in the same turn joins it.
 */
static void
apply_kick(void)
{
	struct timeval	 tv = { 0, 0 };

	if (tx.step != STEP_IDLE || TAILQ_EMPTY(&pending))
		return;
	if (!event_initialized(&ev_kick))
		evtimer_set(&ev_kick, apply_run, NULL);
	if (!evtimer_pending(&ev_kick, NULL))
		evtimer_add(&ev_kick, &tv);
}

static void
apply_run(int fd, short event, void *arg)
{
	if (tx.step != STEP_IDLE || TAILQ_EMPTY(&pending))
		return;
	memset(&tx.res, 0, sizeof(tx.res));
	if (apply_merge() == -1) {
		apply_fail(APPLY_ERR_FILE, NULL, "%s", strerror(errno));
		return;
	}
	apply_start();
}

/*
 * Pending sets become the transaction's members: all of them, up to
 * the first that must run alone, or that one by itself.
 */
static int
apply_merge(void)
{
	struct apply_set	*set;
	struct apply_file	*f, *m;
	size_t			 n, i, k;
	void			*p;

	tx.step = STEP_CHECK;
	while ((set = TAILQ_FIRST(&pending)) != NULL) {
		if (set->alone && !TAILQ_EMPTY(&tx.members))
			break;
		TAILQ_REMOVE(&pending, set, entry);
		TAILQ_INSERT_TAIL(&tx.members, set, entry);
		if (set->alone)
			break;
	}
	TAILQ_FOREACH(set, &tx.members, entry) {
		TAILQ_FOREACH(f, &set->files.list, entry) {
			/* A later set's word on the same file wins. */
			if ((m = apply_file_get(&tx.files, f->dir,
			    f->name)) == NULL)
				return -1;
			if (f->data != NULL &&
			    file_set_data(m, f->data, f->len) == -1)
				return -1;
		}
		if (set->nexpect == 0)
			continue;
		n = tx.nexpect + set->nexpect;
		if ((p = reallocarray(tx.expect, n, sizeof(*tx.expect))) ==
		    NULL)
			return -1;
		tx.expect = p;
		memcpy(tx.expect + tx.nexpect, set->expect, set->nexpect *
		    sizeof(*tx.expect));
		tx.nexpect = n;
	}
	/* Sorted and unique: looked up in BIRD's list by bsearch. */
	if (tx.nexpect > 1) {
		qsort(tx.expect, tx.nexpect, sizeof(*tx.expect), name_cmp);
		for (i = k = 1; i < tx.nexpect; i++)
			if (strcmp(tx.expect[i], tx.expect[k - 1]) != 0)
				memmove(tx.expect[k++], tx.expect[i],
				    sizeof(tx.expect[0]));
		tx.nexpect = k;
	}
	return 0;
}

static void
apply_start(void)
{
	struct apply_file	*f;
	char			 err[APPLY_ERROR_LEN];

	TAILQ_FOREACH(f, &tx.files.list, entry) {
		if (file_read(f->dir, f->name, &f->prev, &f->prevlen,
		    &f->existed, err, sizeof(err)) == -1) {
			apply_fail(APPLY_ERR_FILE, NULL, "%s", err);
			return;
		}
		if (f->data == NULL)
			f->changed = f->existed;
		else
			f->changed = !f->existed || f->len != f->prevlen ||
			    memcmp(f->data, f->prev, f->len) != 0;
		/* Replaced or removed only if the agent wrote it. */
		if (f->changed && f->existed &&
		    !birdfiles_ours(f->dir, f->name, f->prev, f->prevlen)) {
			apply_fail(APPLY_ERR_FILE, NULL, "%.300s/%s: not "
			    "written by this agent: left as it is", f->dir,
			    f->name);
			return;
		}
		f->checked = 1;
		if (f->changed)
			tx.res.nchanged++;
	}
	/* Recorded before the first byte is written: a crash keeps it ours. */
	TAILQ_FOREACH(f, &tx.files.list, entry)
		if (f->data != NULL)
			birdfiles_claim(f->dir, f->name);
	birdfiles_save();
	if (!bird_state()->connected) {
		strlcpy(tx.res.error, "bird not connected",
		    sizeof(tx.res.error));
		if (tx.res.nchanged > 0)
			apply_offline();
		else
			apply_finish(APPLY_ERR_NOT_CONNECTED);
		return;
	}
	/* Files checked while BIRD was away still need loading. */
	if (tx.res.nchanged == 0 && !offline_pending) {
		apply_finish(APPLY_UNCHANGED);
		return;
	}

	if (apply_write() == -1)
		return;
	log_debug("%s: %u file(s) changed, reconfiguring BIRD", __func__,
	    tx.res.nchanged);
	apply_send(BIRD_CMD_CONFIGURE_CHECK);
}

static int
apply_send(enum bird_cmd_type type)
{
	if (bird_cmd(type, NULL, type == BIRD_CMD_CONFIGURE_TIMEOUT ?
	    apply_timeout : 0, apply_answer, NULL) == -1) {
		if (tx.step == STEP_UNDO || tx.step == STEP_RECONFIGURE) {
			log_warnx("cannot send %s to BIRD: %s",
			    bird_cmd_name(type), strerror(errno));
			apply_finish(tx.res.status);
		} else
			apply_fail(APPLY_ERR_BIRD, NULL, "cannot send %s: %s",
			    bird_cmd_name(type), strerror(errno));
		return -1;
	}
	return 0;
}

static void
apply_answer(const struct bird_answer *a, void *arg)
{
	int	 ok = bird_answer_ok(a);

	switch (tx.step) {
	case STEP_CHECK:
		if (!ok || a->result->outcome != BIRD_OUT_OK) {
			apply_fail(a->failed ? APPLY_ERR_BIRD : APPLY_ERR_CHECK,
			    a, "configure check: %s", a->text);
			break;
		}
		tx.step = STEP_TIMEOUT;
		apply_send(BIRD_CMD_CONFIGURE_TIMEOUT);
		break;
	case STEP_TIMEOUT:
		if (a->failed) {
			/*
			 * Taken or not, we cannot tell: an undo would throw
			 * away the previous configuration if not, and BIRD's
			 * own timer undoes it if so.
			 */
			tx.maybe_armed = 1;
			apply_fail(APPLY_ERR_BIRD, a, "configure timeout: %s",
			    a->text);
			break;
		}
		if (!ok || a->result->outcome == BIRD_OUT_NOTHING) {
			apply_fail(APPLY_ERR_CONFIGURE, a,
			    "configure timeout: %s", a->text);
			break;
		}
		tx.armed = 1;
		tx.step = STEP_STATUS;
		apply_send(BIRD_CMD_SHOW_STATUS);
		break;
	case STEP_STATUS:
		if (!ok) {
			apply_fail(a->failed ? APPLY_ERR_BIRD :
			    APPLY_ERR_VERIFY, a, "show status: %s", a->text);
			break;
		}
		tx.step = STEP_PROTOCOLS;
		if (bird_show_protocols(NULL, apply_answer, NULL) == -1)
			apply_fail(APPLY_ERR_BIRD, NULL,
			    "cannot send show protocols: %s",
			    strerror(errno));
		break;
	case STEP_PROTOCOLS:
		apply_check_protocols(a);
		break;
	case STEP_CONFIRM:
		if (ok && a->result->outcome == BIRD_OUT_OK) {
			tx.armed = 0;
			apply_finish(APPLY_OK);
		} else if (ok) {
			/* 0019: no undo pending, so the timer has fired. */
			tx.armed = 0;
			tx.bird_undid = 1;
			apply_fail(APPLY_ERR_CONFIRM, a, "configure confirm: "
			    "%s: BIRD's undo timer expired first", a->text);
		} else
			apply_fail(a->failed ? APPLY_ERR_BIRD :
			    APPLY_ERR_CONFIRM, a, "configure confirm: %s",
			    a->text);
		break;
	case STEP_UNDO:
		if (ok) {
			tx.res.bird_reverted = 1;
			apply_finish(tx.res.status);
			break;
		}
		/* The saved config is gone: load the restored files. */
		log_warnx("configure undo: %s; reconfiguring from the "
		    "restored files", a->text);
		tx.step = STEP_RECONFIGURE;
		apply_send(BIRD_CMD_CONFIGURE);
		break;
	case STEP_RECONFIGURE:
		if (ok)
			tx.res.bird_reverted = 1;
		else
			log_warnx("configure of the restored files: %s",
			    a->text);
		apply_finish(tx.res.status);
		break;
	default:
		fatalx("%s: answer in step %d", __func__, tx.step);
	}
}

static void
apply_check_protocols(const struct bird_answer *a)
{
	const char	**names = NULL, *key;
	size_t		  i, k;

	if (!bird_answer_ok(a)) {
		apply_fail(a->failed ? APPLY_ERR_BIRD : APPLY_ERR_VERIFY, a,
		    "show protocols: %s", a->text);
		return;
	}
	if (a->nprotos > 0 && (names = reallocarray(NULL, a->nprotos,
	    sizeof(*names))) == NULL) {
		apply_fail(APPLY_ERR_VERIFY, NULL, "show protocols: %s",
		    strerror(errno));
		return;
	}
	for (k = 0; k < a->nprotos; k++)
		names[k] = a->protos[k].name;
	if (a->nprotos > 1)
		qsort(names, a->nprotos, sizeof(*names), str_cmp);
	for (i = 0; i < tx.nexpect; i++) {
		key = tx.expect[i];
		if (a->nprotos == 0 || bsearch(&key, names, a->nprotos,
		    sizeof(*names), str_cmp) == NULL) {
			free(names);
			apply_fail(APPLY_ERR_VERIFY, NULL, "protocol %s is "
			    "missing after reconfiguration", tx.expect[i]);
			return;
		}
	}
	free(names);
	if (tx.bird_undid) {
		apply_fail(APPLY_ERR_CONFIRM, NULL, "BIRD's undo timer "
		    "expired before confirm");
		return;
	}
	tx.step = STEP_CONFIRM;
	apply_send(BIRD_CMD_CONFIGURE_CONFIRM);
}

/* BIRD reports it undid an unconfirmed configuration. */
static void
apply_bird_undone(void)
{
	if (tx.armed && tx.step >= STEP_TIMEOUT && tx.step <= STEP_CONFIRM)
		tx.bird_undid = 1;
}

/*
 * Put the files back, then BIRD: undo if a timed configuration may be
 * pending (BIRD's own timer does it if we cannot).
 */
static void
apply_fail(enum apply_status status, const struct bird_answer *a,
    const char *fmt, ...)
{
	va_list	 ap;

	tx.res.status = status;
	va_start(ap, fmt);
	vsnprintf(tx.res.error, sizeof(tx.res.error), fmt, ap);
	va_end(ap);
	if (a != NULL && a->result != NULL) {
		tx.res.bird = *a->result;
		tx.res.has_bird = 1;
	}
	log_warnx("BIRD apply failed: %s", tx.res.error);
	tx.res.rolled_back = apply_rollback() == 0;

	if (tx.bird_undid || (!tx.armed && !tx.maybe_armed)) {
		tx.res.bird_reverted = 1;
		apply_finish(status);
		return;
	}
	if (tx.maybe_armed || !bird_state()->connected) {
		log_warnx("BIRD will undo the unconfirmed configuration "
		    "within %u s", apply_timeout);
		apply_finish(status);
		return;
	}
	tx.step = STEP_UNDO;
	apply_send(BIRD_CMD_CONFIGURE_UNDO);
}

/* Every changed file to disk; -1: the transaction failed with it. */
static int
apply_write(void)
{
	struct apply_file	*f;
	char			 err[APPLY_ERROR_LEN];

	TAILQ_FOREACH(f, &tx.files.list, entry) {
		if (!f->changed)
			continue;
		if (f->data != NULL ?
		    file_write(f->dir, f->name, f->data, f->len, err,
		    sizeof(err)) == -1 :
		    file_unlink(f->dir, f->name, err, sizeof(err)) == -1) {
			apply_fail(APPLY_ERR_FILE, NULL, "%s", err);
			return -1;
		}
		f->written = 1;
	}
	return 0;
}

/* Every file we changed back to its bytes, or away if it was new. */
static int
apply_rollback(void)
{
	struct apply_file	*f;
	char			 err[APPLY_ERROR_LEN];
	int			 rv = 0;

	TAILQ_FOREACH_REVERSE(f, &tx.files.list, apply_files, entry) {
		if (!f->written)
			continue;
		if (f->existed ?
		    file_write(f->dir, f->name, f->prev, f->prevlen, err,
		    sizeof(err)) == -1 :
		    file_unlink(f->dir, f->name, err, sizeof(err)) == -1) {
			log_warnx("rollback: %s", err);
			rv = -1;
			continue;
		}
		f->written = 0;
	}
	return rv;
}

/*
 * BIRD is not running: the files are checked with "bird -p" against the
 * operator's configuration and, if it takes them, left in place for
 * BIRD to read when it starts; the next commit with BIRD back loads
 * them.  A configuration "bird -p" refuses is rolled back at once.
 */
static void
apply_offline(void)
{
	char			 err[APPLY_ERROR_LEN];

	if (conf->bird_config_file[0] == '\0' ||
	    access(conf->bird_config_file, R_OK) == -1) {
		apply_finish(APPLY_ERR_NOT_CONNECTED);
		return;
	}
	if (apply_write() == -1)
		return;
	if (birdcheck_start(conf->bird_command, conf->bird_config_file,
	    apply_offline_checked, NULL, err, sizeof(err)) == -1)
		apply_fail(APPLY_ERR_CHECK, NULL, "%s", err);
}

/* bird -p has spoken (the transaction waited, in STEP_CHECK). */
static void
apply_offline_checked(int ok, const char *err, void *arg)
{
	if (!ok) {
		apply_fail(APPLY_ERR_CHECK, NULL, "%s", err);
		return;
	}
	offline_pending = 1;
	snprintf(tx.res.error, sizeof(tx.res.error), "bird not connected: "
	    "%u file(s) checked with %.64s -p and left for BIRD to load",
	    tx.res.nchanged, conf->bird_command);
	log_info("%s", tx.res.error);
	apply_finish(APPLY_ERR_NOT_CONNECTED);
}

static void
apply_finish(enum apply_status status)
{
	struct timeval	 tv = { 0, 0 };

	tx.res.status = status;
	tx.step = STEP_DONE;
	evtimer_set(&tx.ev_deliver, apply_deliver, NULL);
	evtimer_add(&tx.ev_deliver, &tv);
}

/* Files the transaction removed, or created and took back, are not ours. */
static void
apply_record(void)
{
	struct apply_file	*f;
	struct stat		 st;
	char			 path[PATH_MAX];

	TAILQ_FOREACH(f, &tx.files.list, entry) {
		if (!f->checked ||
		    file_path(path, sizeof(path), f->dir, f->name, 0) == -1)
			continue;
		if (lstat(path, &st) == -1 && errno == ENOENT)
			birdfiles_release(f->dir, f->name);
	}
	birdfiles_save();
}

static void
apply_deliver(int fd, short event, void *arg)
{
	struct apply_result	 res = tx.res;
	struct apply_sets	 done = TAILQ_HEAD_INITIALIZER(done);
	struct apply_set	*set, *culprit = NULL;
	int			 many;

	apply_record();
	apply_free();
	tx.step = STEP_IDLE;
	if ((size_t)res.status < APPLY_NSTATUS)
		apply_count[res.status]++;
	if (res.status == APPLY_OK) {
		offline_pending = 0;
		log_info("BIRD configuration applied (%u file(s))",
		    res.nchanged);
	}
	many = TAILQ_FIRST(&tx.members) != TAILQ_LAST(&tx.members,
	    apply_sets);
	if (!many || res.status == APPLY_OK ||
	    res.status == APPLY_UNCHANGED ||
	    res.status == APPLY_ERR_NOT_CONNECTED)
		TAILQ_CONCAT(&done, &tx.members, entry);
	else if ((culprit = apply_culprit(&res)) != NULL) {
		log_info("BIRD refused a combined change: the part it "
		    "names fails, the rest goes again without it");
		TAILQ_REMOVE(&tx.members, culprit, entry);
		TAILQ_INSERT_TAIL(&done, culprit, entry);
	} else
		log_info("BIRD refused a combined change; its parts go again "
		    "one by one");
	/* Those still owed an answer go first, in their order. */
	while ((set = TAILQ_LAST(&tx.members, apply_sets)) != NULL) {
		TAILQ_REMOVE(&tx.members, set, entry);
		if (culprit == NULL)
			set->alone = 1;
		TAILQ_INSERT_HEAD(&pending, set, entry);
	}
	/* A callback may commit again: that joins the queue's tail. */
	while ((set = TAILQ_FIRST(&done)) != NULL) {
		TAILQ_REMOVE(&done, set, entry);
		set->cb(&res, set->arg);
		apply_set_free(set);
	}
	apply_kick();
}

/*
 * Whether a failed apply's answer names the file: BIRD's error file,
 * or "bird -p"'s "<dir>/<file>:line:col" in its words.  The one place
 * a culprit is found, for the pipeline's sets and the engine's sessions.
 */
int
apply_result_names(const struct apply_result *res, const char *name)
{
	char		 needle[APPLY_NAME_MAX + 8];
	const char	*base;

	if (name[0] == '\0')
		return 0;
	if (res->has_bird && res->bird.err_file[0] != '\0') {
		base = strrchr(res->bird.err_file, '/');
		base = base != NULL ? base + 1 : res->bird.err_file;
		return strcmp(base, name) == 0;
	}
	snprintf(needle, sizeof(needle), "/%s:", name);
	return strstr(res->error, needle) != NULL;
}

/* The member set whose file or protocol BIRD's answer names. */
static struct apply_set *
apply_culprit(const struct apply_result *res)
{
	struct apply_set	*set;
	struct apply_file	*f;
	char			 needle[APPLY_NAME_MAX + BIRD_NAME_LEN + 32];
	size_t			 i;

	TAILQ_FOREACH(set, &tx.members, entry) {
		TAILQ_FOREACH(f, &set->files.list, entry)
			if (apply_result_names(res, f->name))
				return set;
		for (i = 0; i < set->nexpect; i++) {
			snprintf(needle, sizeof(needle), "protocol %s is "
			    "missing", set->expect[i]);
			if (strstr(res->error, needle) != NULL)
				return set;
		}
	}
	return NULL;
}

static int
file_path(char *buf, size_t len, const char *dir, const char *name, int tmp)
{
	int	 n;

	n = snprintf(buf, len, tmp ? "%s/.%s.tmp" : "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

static int
file_read(const char *dir, const char *name, unsigned char **buf,
    size_t *len, int *existed, char *err, size_t errlen)
{
	struct stat	 st;
	char		 path[PATH_MAX];
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd;

	*buf = NULL;
	*len = 0;
	*existed = 0;
	if (file_path(path, sizeof(path), dir, name, 0) == -1)
		goto fail;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;
		goto fail;
	}
	if (fstat(fd, &st) == -1)
		goto failfd;
	if (!S_ISREG(st.st_mode) || st.st_size > APPLY_FILE_MAX) {
		errno = S_ISREG(st.st_mode) ? EFBIG : EINVAL;
		goto failfd;
	}
	if ((*buf = malloc(st.st_size + 1)) == NULL)
		goto failfd;
	/* Read to EOF, no further than the limit. */
	for (;;) {
		n = read(fd, *buf + off, st.st_size + 1 - off);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto failfd;
		}
		if (n == 0)
			break;
		off += n;
		if (off > (size_t)st.st_size) {
			errno = EAGAIN;	/* grew while we read */
			goto failfd;
		}
	}
	close(fd);
	*len = off;
	*existed = 1;
	return 0;
 failfd:
	close(fd);
 fail:
	snprintf(err, errlen, "read %.300s/%s: %s", dir, name, strerror(errno));
	free(*buf);
	*buf = NULL;
	return -1;
}

static int
file_write(const char *dir, const char *name, const unsigned char *data,
    size_t len, char *err, size_t errlen)
{
	char		 path[PATH_MAX], tmp[PATH_MAX];
	const char	*what = "open";
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd = -1, saved;

	if (file_path(path, sizeof(path), dir, name, 0) == -1 ||
	    file_path(tmp, sizeof(tmp), dir, name, 1) == -1) {
		snprintf(err, errlen, "%.300s/%s: %s", dir, name,
		    strerror(errno));
		return -1;
	}
	if (unlink(tmp) == -1 && errno != ENOENT) {
		what = "unlink";
		goto fail;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644)) == -1)
		goto fail;
	what = "write";
	if (fchmod(fd, 0644) == -1)
		goto fail;
	while (off < len) {
		if ((n = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += n;
	}
	what = "fsync";
	if (fsync(fd) == -1)
		goto fail;
	what = "close";
	n = close(fd);
	fd = -1;
	if (n == -1)
		goto fail;
	what = "rename";
	if (rename(tmp, path) == -1)
		goto fail;
	what = "fsync directory";
	if (dir_sync(dir) == -1)
		goto fail;
	return 0;
 fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	snprintf(err, errlen, "%s %.300s/%s: %s", what, dir, name,
	    strerror(saved));
	return -1;
}

static int
file_unlink(const char *dir, const char *name, char *err, size_t errlen)
{
	char	 path[PATH_MAX];

	if (file_path(path, sizeof(path), dir, name, 0) == -1 ||
	    (unlink(path) == -1 && errno != ENOENT) || dir_sync(dir) == -1) {
		snprintf(err, errlen, "remove %.300s/%s: %s", dir, name,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
dir_sync(const char *dir)
{
	int	 fd, rv;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	rv = fsync(fd);
	close(fd);
	return rv;
}
