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
 * Maintenance: RFC 8326 graceful shutdown.  The agent owns
 * bird.maintenanceFile, which holds exactly one of
 *	define MAINTENANCE_MODE = true;
 *	define MAINTENANCE_MODE = false;
 * and the export filters add (65535, 0) while it is true.  A switch
 * rewrites the file and reconfigures BIRD once, through the apply
 * pipeline (check, timeout, confirm; the old file back on failure).
 * The state lives in the state directory too, so a restart keeps it
 * even if someone edited the file meanwhile.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "parent/core/status.h"
#include "parent/ports/apply.h"
#include "parent/core/jdom.h"
#include "parent/core/statefile.h"
#include "parent/core/store.h"
#include "parent/tasks/maint.h"

#define MAINT_SOURCE_LEN	64
#define MAINT_RESYNC_SEC	5

static const char *const maint_text[2] = {
	"define MAINTENANCE_MODE = false;\n",
	"define MAINTENANCE_MODE = true;\n"
};

static struct {
	int		 busy;
	int		 target;
	int		 resync;	/* our own, at start: retried */
	uintptr_t	 gen;		/* answers of a replaced try: ignored */
	char		 source[MAINT_SOURCE_LEN];
	void		(*done)(const char *, void *);
	void		*arg;
	struct event	 ev;
} sw;

static int	 maint_on;
static time_t	 maint_since_t;
static int	 maint_ready;
static struct {
	int	 known, on;
	time_t	 since;
}		 saved;		/* what the store said at start */

static int	 split_path(const char *, char *, size_t, char *, size_t);
static int	 file_state(const char *);
static int	 file_create(const char *, int);
static int	 maint_save(FILE *);
static void	 maint_load(const struct jnode *);
static void	 maint_migrate(const char *, char *, size_t);
static void	 clean_source(const char *, char *, size_t);
static void	 maint_try(int, short, void *);
static void	 maint_applied(const struct apply_result *, void *);
static void	 maint_finish(const char *);
static void	 maint_later(int);

int
maint_get(void)
{
	return maint_on;
}

time_t
maint_since(void)
{
	return maint_since_t;
}

static int
split_path(const char *path, char *dir, size_t dirlen, char *base,
    size_t baselen)
{
	char	 tmp[PATH_MAX];

	if (strlcpy(tmp, path, sizeof(tmp)) >= sizeof(tmp) ||
	    strlcpy(dir, dirname(tmp), dirlen) >= dirlen ||
	    strlcpy(tmp, path, sizeof(tmp)) >= sizeof(tmp) ||
	    strlcpy(base, basename(tmp), baselen) >= baselen)
		return -1;
	return 0;
}

/* 1 or 0 when the file holds exactly one of our texts; -1 missing, -2 other. */
static int
file_state(const char *path)
{
	char	 buf[128];
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return errno == ENOENT ? -1 : -2;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -2;
	buf[n] = '\0';
	if (strcmp(buf, maint_text[1]) == 0)
		return 1;
	if (strcmp(buf, maint_text[0]) == 0)
		return 0;
	return -2;
}

/*
 * Only when missing, before BIRD reads it: a temporary file, synced,
 * linked into place without replacing anything (so a file that
 * appeared meanwhile wins), mode 0644 for BIRD.
 */
static int
file_create(const char *path, int on)
{
	char		 dir[PATH_MAX], base[NAME_MAX + 1], tmp[PATH_MAX];
	const char	*text = maint_text[on ? 1 : 0];
	size_t		 len = strlen(text);
	int		 fd, dfd;

	if (split_path(path, dir, sizeof(dir), base, sizeof(base)) == -1 ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, base) >=
	    sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0644)) == -1)
		return -1;
	if (fchmod(fd, 0644) == -1 || write(fd, text, len) != (ssize_t)len ||
	    fsync(fd) == -1) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (link(tmp, path) == -1 && errno != EEXIST) {
		unlink(tmp);
		return -1;
	}
	unlink(tmp);
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
}

/* The "maintenance" section of the store: {"on": bool, "since": time}. */
static int
maint_save(FILE *f)
{
	fprintf(f, "{ \"on\": %s, \"since\": %lld }", maint_on ? "true" :
	    "false", (long long)maint_since_t);
	return 0;
}

static void
maint_load(const struct jnode *n)
{
	const struct jnode	*on, *since;
	const char		*errstr;
	long long		 t;

	if (n == NULL)
		return;
	if (n->type != J_OBJECT || (on = jdom_get(n, "on")) == NULL ||
	    on->type != J_BOOL || (since = jdom_get(n, "since")) == NULL ||
	    since->type != J_NUMBER ||
	    (t = strtonum(since->str, 0, LLONG_MAX, &errstr), errstr != NULL)) {
		log_warnx("maintenance: the saved state is not "
		    "{\"on\": bool, \"since\": time}, ignored");
		return;
	}
	saved.known = 1;
	saved.on = on->boolean;
	saved.since = t;
}

/* "on|off <since>\n", the file of the releases before the store. */
static void
maint_migrate(const char *path, char *buf, size_t len)
{
	char		 word[8];
	const char	*errstr;
	long long	 t;
	char		*sp;

	buf[strcspn(buf, "\n")] = '\0';
	if ((sp = strchr(buf, ' ')) == NULL || (size_t)(sp - buf) >=
	    sizeof(word))
		goto bad;
	memcpy(word, buf, sp - buf);
	word[sp - buf] = '\0';
	t = strtonum(sp + 1, 0, LLONG_MAX, &errstr);
	if (errstr != NULL || (strcmp(word, "on") != 0 &&
	    strcmp(word, "off") != 0))
		goto bad;
	saved.known = 1;
	saved.on = strcmp(word, "on") == 0;
	saved.since = t;
	return;
 bad:
	log_warnx("maintenance: %s is not \"on|off <time>\", ignored", path);
}

void
maint_init(void)
{
	static const struct store_section sec = { "maintenance", maint_save,
			    maint_load, STORE_MAINT, maint_migrate };
	static int	 registered;
	int		 st;

	if (!registered) {
		registered = 1;
		store_register(&sec);
	}
	if (maint_ready)
		return;
	evtimer_set(&sw.ev, maint_try, NULL);
	if (conf->bird_maint_file[0] == '\0') {
		log_warnx("maintenance: bird.maintenanceFile is not set");
		return;
	}
	maint_ready = 1;
	st = file_state(conf->bird_maint_file);
	if (saved.known) {
		maint_on = saved.on;
		maint_since_t = saved.since;
	} else {
		/* First start: whatever the file says. */
		maint_on = st == 1;
		maint_since_t = time(NULL);
		store_save();
	}
	if (st == -1) {
		if (file_create(conf->bird_maint_file, maint_on) == -1)
			log_warn("maintenance: cannot create %s",
			    conf->bird_maint_file);
		else
			log_info("maintenance: created %s (%s)",
			    conf->bird_maint_file, maint_on ? "on" : "off");
		st = file_state(conf->bird_maint_file);
	}
	log_info("maintenance is %s", maint_on ? "on" : "off");
	if (st != maint_on) {
		log_warnx("maintenance: %s does not say %s: rewriting it",
		    conf->bird_maint_file, maint_on ? "true" : "false");
		sw.busy = 1;
		sw.resync = 1;
		sw.target = maint_on;
		strlcpy(sw.source, "restart", sizeof(sw.source));
		sw.done = NULL;
		maint_later(0);
	}
}

/* Printable and short, for the log and never for BIRD. */
static void
clean_source(const char *in, char *out, size_t outlen)
{
	size_t	 i;

	if (in == NULL || *in == '\0')
		in = "unknown";
	for (i = 0; in[i] != '\0' && i + 1 < outlen; i++)
		out[i] = (in[i] >= 0x20 && in[i] < 0x7f) ? in[i] : '?';
	out[i] = '\0';
}

int
maint_set(int on, const char *source, void (*done)(const char *, void *),
    void *arg)
{
	if (!maint_ready) {
		errno = ENOENT;
		return -1;
	}
	if (sw.busy && !sw.resync) {
		errno = EBUSY;
		return -1;
	}
	/* A switch asked for replaces our own catch-up at start. */
	evtimer_del(&sw.ev);
	sw.busy = 1;
	sw.resync = 0;
	sw.target = on ? 1 : 0;
	clean_source(source, sw.source, sizeof(sw.source));
	sw.done = done;
	sw.arg = arg;
	log_info("maintenance %s requested by %s", on ? "on" : "off",
	    sw.source);
	/* done is never called from inside maint_set(). */
	maint_later(0);
	return 0;
}

static void
maint_later(int ms)
{
	struct timeval	 tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(&sw.ev, &tv);
}

static void
maint_try(int fd, short event, void *arg)
{
	char	 dir[PATH_MAX], base[NAME_MAX + 1];
	const char *text = maint_text[sw.target];

	if (!sw.busy)
		return;
	if (split_path(conf->bird_maint_file, dir, sizeof(dir), base,
	    sizeof(base)) == -1 || apply_begin() == -1) {
		maint_finish("cannot start a BIRD transaction");
		return;
	}
	if (apply_put(dir, base, text, strlen(text)) == -1) {
		apply_abort();
		maint_finish("bird.maintenanceFile: the name must be of "
		    "A-Z a-z 0-9 _ . - and end in .conf");
		return;
	}
	if (apply_commit(NULL, 0, maint_applied, (void *)++sw.gen) == -1) {
		apply_abort();
		maint_finish("cannot commit the BIRD transaction");
	}
}

static void
maint_applied(const struct apply_result *ar, void *arg)
{
	char	 err[APPLY_ERROR_LEN + 32];

	if ((uintptr_t)arg != sw.gen || !sw.busy)
		return;
	switch (ar->status) {
	case APPLY_OK:
	case APPLY_UNCHANGED:
		if (maint_on != sw.target || !sw.resync) {
			maint_on = sw.target;
			maint_since_t = time(NULL);
			status_changed();
		}
		store_save();
		log_info("maintenance is %s (%s, by %s)", maint_on ? "on" :
		    "off", ar->status == APPLY_OK ? "BIRD reconfigured" :
		    "file unchanged", sw.source);
		maint_finish(NULL);
		return;
	case APPLY_ERR_NOT_CONNECTED:
		if (sw.resync) {
			maint_later(MAINT_RESYNC_SEC * 1000);
			return;
		}
		maint_finish("BIRD is not connected");
		return;
	default:
		snprintf(err, sizeof(err), "BIRD refused: %s",
		    ar->error[0] != '\0' ? ar->error :
		    apply_status_name(ar->status));
		log_warnx("maintenance %s: %s", sw.target ? "on" : "off",
		    err);
		maint_finish(err);
		return;
	}
}

static void
maint_finish(const char *err)
{
	void	(*done)(const char *, void *) = sw.done;
	void	*arg = sw.arg;

	if (err != NULL && sw.resync)
		log_warnx("maintenance: %s", err);
	sw.busy = 0;
	sw.resync = 0;
	sw.done = NULL;
	sw.arg = NULL;
	if (done != NULL)
		done(err, arg);
}
