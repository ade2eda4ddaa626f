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
 * libFuzzer harness for the files the agent reads back at start: the
 * store (state.json, store.c) with its sessions (state.c, sessions'
 * documents in sessiondoc.c), maintenance (maint.c) and mesh (mesh.c)
 * sections, and the sessions disabled by the operator (disabled.c:
 * loaded, then one added and taken away); the files of the releases before the store that those
 * sections migrate (last_state.json, maintenance, mesh_state.json);
 * BIRD's maintenance file (maint.c); the cached node configuration
 * (bootstrap.c's config_overlay_buf); all through statefile_read()
 * from a real file in a private directory.  A state loaded is saved
 * again and the sessions freed, as the next start would find them.
 *
 * The first byte picks the file; the rest is its content.  maint.c
 * and mesh.c are included for their static loaders; what they call
 * past loading is not linked (regress.mk), and never reached.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parent/tasks/maint.c"
#include "parent/tasks/mesh.c"
#include "parent/tasks/state.h"
#include "parent/tasks/disabled.c"
#include "parent/ports/birdfiles.c"
#include "parent/tasks/engine.h"
#include "parent/core/statefile.h"
#include "parent/core/store.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);
static void	birdfiles_free(void);
void	fuzz_sessions_free(void);	/* fuzz_state_stubs.c */

struct moenet_conf	*conf;

static char		 dir[PATH_MAX];

static const char base_conf[] =
    "{\"bootstrap\": {\"apiUrl\": \"https://cp.example/\", "
    "\"nodeName\": \"jp-edge\", \"token\": \"t0ken\"}}";

static void
quiet(int pri, const char *line)
{
}

/* The policy files (policy.c) are not part of these runs. */
int
policy_file_path(int af, char *buf, size_t len, const char **name)
{
	return -1;
}

static void
cleanup(void)
{
	char	 path[PATH_MAX + 32];

	if (dir[0] == '\0')
		return;
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		return;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	 err[512], *t;

	log_init(0, LOG_USER);
	log_setsink(quiet);
	t = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/fuzz-state.XXXXXX",
	    t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	atexit(cleanup);
	if ((conf = config_load_buf("base", base_conf, sizeof(base_conf) - 1,
	    err, sizeof(err))) == NULL)
		abort();
	strlcpy(conf->state_dir, dir, sizeof(conf->state_dir));
	snprintf(conf->bird_peer_dir, sizeof(conf->bird_peer_dir), "%s", dir);
	snprintf(conf->bird_maint_file, sizeof(conf->bird_maint_file),
	    "%s/maintenance.conf", dir);
	return 0;
}

static void
put(const char *name, const uint8_t *data, size_t size)
{
	char	 path[PATH_MAX];
	int	 fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
}

static void
mesh_free(void)
{
	struct mpeer	*p;
	struct ipeer	*q;

	while ((p = RB_MIN(mpeer_tree, &mpeers)) != NULL) {
		RB_REMOVE(mpeer_tree, &mpeers, p);
		free(p);
	}
	while ((q = RB_MIN(ipeer_tree, &ipeers)) != NULL) {
		RB_REMOVE(ipeer_tree, &ipeers, q);
		free(q);
	}
}

/* The sections at start, as the agent registers them, then a save. */
static void
store_run(void)
{
	static const struct store_section msec = { "maintenance", maint_save,
			    maint_load, STORE_MAINT, maint_migrate };

	store_open();
	state_init();
	store_register(&msec);
	mstate_load();
	birdfiles_init();
	disabled_init();
	(void)disabled_set("s1", !disabled_has("s1"));
	(void)disabled_set("s1", 0);
	store_save();
	fuzz_sessions_free();
	mesh_free();
	birdfiles_free();
	free(uuids);
	uuids = NULL;
	nuuids = 0;
	memset(&saved, 0, sizeof(saved));
	store_close();
}

static void
fresh(void)
{
	static const char *const names[] = { "state.json", "last_state.json",
	    "maintenance", "mesh_state.json" };
	char	 path[PATH_MAX];
	size_t	 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
}

static void
birdfiles_free(void)
{
	struct ownedfile	*o;

	while ((o = RB_MIN(ownedfile_tree, &files)) != NULL) {
		RB_REMOVE(ownedfile_tree, &files, o);
		free(o->path);
		free(o);
	}
	nfiles = 0;
	initialised = dirty = save_failed = 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct moenet_conf	*c;
	char			 err[512], path[PATH_MAX], *buf;
	size_t			 len;

	if (size < 1)
		return 0;
	fresh();
	switch (data[0] % 7) {
	case 0:
		put("last_state.json", data + 1, size - 1);
		store_run();
		break;
	case 1:
		put("maintenance", data + 1, size - 1);
		store_run();
		break;
	case 2:
		put("maintenance.conf", data + 1, size - 1);
		file_state(conf->bird_maint_file);
		break;
	case 3:
		put("mesh_state.json", data + 1, size - 1);
		store_run();
		break;
	case 5:
		put("state.json", data + 1, size - 1);
		store_run();
		break;
	case 6:
		/* A peer file as the previous agent may have left it. */
		put("dn42_4242420002.conf", data + 1, size - 1);
		adopt_previous(dir, "dn42_");
		(void)birdfiles_previous(dir, "dn42_4242420002.conf");
		(void)birdfiles_check(dir, "dn42_4242420002.conf", err,
		    sizeof(err));
		birdfiles_free();
		break;
	default:
		/* The cached node configuration, over a copy of the base. */
		put("nodeconf.json", data + 1, size - 1);
		snprintf(path, sizeof(path), "%s/nodeconf.json", dir);
		if ((buf = statefile_read(path, 65536, &len)) == NULL)
			break;
		if ((c = config_load_buf("base", base_conf,
		    sizeof(base_conf) - 1, err, sizeof(err))) != NULL) {
			config_overlay_buf(c, path, buf, len, err,
			    sizeof(err));
			config_free(c);
		}
		free(buf);
		break;
	}
	return 0;
}
