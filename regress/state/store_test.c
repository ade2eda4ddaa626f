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
 * The store (parent/core/store.c) with a section of its own: a round
 * trip, no write when nothing changed, a section it does not know kept,
 * a newer file refused and left alone, a broken one set aside, an old
 * file migrated and removed only once state.json is written.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/core/config.h"
#include "parent/core/parent.h"
#include "parent/core/degraded.h"
#include "parent/core/jdom.h"
#include "parent/core/statefile.h"
#include "parent/core/store.h"
#include "regress.h"

struct moenet_conf	*conf;

static long long	 toy = -1;	/* the section's content */
static int		 loaded, migrated;

static int
toy_save(FILE *f)
{
	fprintf(f, "{ \"n\": %lld }", toy);
	return 0;
}

static void
toy_load(const struct jnode *n)
{
	const struct jnode	*v;

	loaded = 1;
	toy = -1;
	if (n != NULL && (v = jdom_get(n, "n")) != NULL &&
	    v->type == J_NUMBER)
		toy = strtoll(v->str, NULL, 10);
}

/* The old file: a number and a newline. */
static void
toy_migrate(const char *path, char *buf, size_t len)
{
	migrated = 1;
	toy = strtoll(buf, NULL, 10);
}

static const struct store_section toy_section = {
	"toy", toy_save, toy_load, STORE_MAINT, toy_migrate
};

static char	 dir[] = "/tmp/mnt-store-XXXXXX";

static void
put(const char *name, const char *text)
{
	char	 path[PATH_MAX];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		exit(2);
	fputs(text, f);
	fclose(f);
}

static char *
get(const char *name)
{
	static char	 buf[4096];
	char		 path[PATH_MAX];
	size_t		 n;
	FILE		*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int
exists(const char *name)
{
	char	 path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

/* The file's identity: a write is a rename, a new inode. */
static ino_t
inode(void)
{
	struct stat	 st;
	char		 path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/state.json", dir);
	return stat(path, &st) == -1 ? 0 : st.st_ino;
}

static void
start(void)
{
	store_close();
	loaded = migrated = 0;
	toy = -1;
	store_open();
	store_register(&toy_section);
}

static void
quiet(int pri, const char *line)
{
}

int
main(void)
{
	char	 cmd[PATH_MAX + 16], *s;
	ino_t	 ino;
	int	 rc;

	log_init(0, LOG_USER);
	log_setsink(quiet);
	if (mkdtemp(dir) == NULL || (conf = calloc(1, sizeof(*conf))) == NULL)
		return 2;
	strlcpy(conf->state_dir, dir, sizeof(conf->state_dir));

	start();
	REGRESS_CHECK("store_none_loads_null", loaded && !migrated &&
	    toy == -1);
	toy = 5;
	REGRESS_CHECK("store_first_save_writes", store_save() == 0 &&
	    (s = get("state.json")) != NULL &&
	    strstr(s, "\"version\": 1") != NULL &&
	    strstr(s, "\"toy\": { \"n\": 5 }") != NULL);

	ino = inode();
	REGRESS_CHECK("store_noop_no_write", store_save() == 0 &&
	    store_save() == 0 && inode() == ino);
	toy = 6;
	REGRESS_CHECK("store_change_writes", store_save() == 0 &&
	    inode() != ino);

	start();
	REGRESS_CHECK("store_round_trip", loaded && toy == 6);
	ino = inode();
	store_save();
	REGRESS_CHECK("store_first_save_after_start_writes", inode() != ino);

	put("state.json", "{ \"version\": 1, \"toy\": { \"n\": 1 },\n"
	    "  \"zfuture\": { \"a\": [1, \"x\\\"y\", true, null, {}] } }\n");
	start();
	toy = 2;
	store_save();
	s = get("state.json");
	REGRESS_CHECK("store_unknown_kept", s != NULL &&
	    strstr(s, "\"zfuture\": {\"a\": [1, \"x\\\"y\", true, null, {}]}")
	    != NULL && strstr(s, "\"toy\": { \"n\": 2 }") != NULL);

	put("state.json", "{ \"version\": 2, \"toy\": { \"n\": 9 } }\n");
	start();
	REGRESS_CHECK("store_newer_not_read", loaded && toy == -1 &&
	    store_refused());
	toy = 3;
	REGRESS_CHECK("store_newer_not_overwritten", store_save() == -1 &&
	    (s = get("state.json")) != NULL &&
	    strcmp(s, "{ \"version\": 2, \"toy\": { \"n\": 9 } }\n") == 0);
	REGRESS_CHECK("store_newer_degraded",
	    degraded_is(DEGRADED_STATE_WRITE));
	degraded_clear(DEGRADED_STATE_WRITE);

	put("state.json", "{ not json");
	start();
	snprintf(cmd, sizeof(cmd), "ls %s | grep -q 'state.json.bad-'", dir);
	REGRESS_CHECK("store_broken_set_aside", loaded && toy == -1 &&
	    !exists("state.json") && system(cmd) == 0);

	/* The old file, and a state.json that cannot be written at first. */
	snprintf(cmd, sizeof(cmd), "rm -f %s/state.json*", dir);
	rc = system(cmd);
	put("maintenance", "42\n");
	snprintf(cmd, sizeof(cmd), "%s/state.json.tmp", dir);
	mkdir(cmd, 0700);
	start();
	REGRESS_CHECK("store_migrate_read", migrated && toy == 42);
	REGRESS_CHECK("store_migrate_old_kept_until_written",
	    store_save() == -1 && exists("maintenance") &&
	    !exists("state.json"));
	rmdir(cmd);
	REGRESS_CHECK("store_migrate_written_then_removed",
	    store_save() == 0 && !exists("maintenance") &&
	    (s = get("state.json")) != NULL &&
	    strstr(s, "\"toy\": { \"n\": 42 }") != NULL);
	start();
	REGRESS_CHECK("store_migrate_once", loaded && !migrated && toy == 42);

	store_close();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	rc = system(cmd);
	(void)rc;
	REGRESS_EXIT();
}
