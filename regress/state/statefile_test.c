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
 * State files are replaced whole: a writer killed at any moment leaves
 * the old content or the new, never a mix or a stump.
 */

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/core/statefile.h"
#include "regress.h"

#define SMALL	1000
#define LARGE	(256 * 1024)

static char	*a, *b;

static int
is_whole(const char *path)
{
	char	*buf;
	size_t	 len;
	int	 ok;

	if ((buf = statefile_read(path, 2 * LARGE, &len)) == NULL)
		return 0;
	ok = (len == SMALL && memcmp(buf, a, SMALL) == 0) ||
	    (len == LARGE && memcmp(buf, b, LARGE) == 0);
	free(buf);
	return ok;
}

int
main(void)
{
	char		 dir[] = "/tmp/mnt-state-XXXXXX", path[256], aside[256];
	char		*buf = NULL;
	size_t		 len;
	pid_t		 pid;
	int		 i, bad = 0, status;
	struct timespec	 ts;

	log_init(1, LOG_DAEMON);
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/last_state.json", dir);
	if ((a = malloc(SMALL)) == NULL || (b = malloc(LARGE)) == NULL)
		return 1;
	memset(a, 'a', SMALL);
	memset(b, 'b', LARGE);

	REGRESS_CHECK("statefile_round_trip", statefile_write(path, a,
	    SMALL) == 0 && (buf = statefile_read(path, LARGE, &len)) != NULL &&
	    len == SMALL && memcmp(buf, a, SMALL) == 0);
	free(buf);
	REGRESS_CHECK("statefile_read_bounded",
	    statefile_write(path, b, LARGE) == 0 &&
	    statefile_read(path, LARGE - 1, &len) == NULL);
	snprintf(aside, sizeof(aside), "%s/absent", dir);
	REGRESS_CHECK("statefile_absent_enoent",
	    statefile_read(aside, 10, &len) == NULL && errno == ENOENT);

	/*
	 * A real read() error from the kernel: lo has no speed, and its
	 * sysfs file, a regular file of 4096 bytes, fails with EINVAL.
	 */
	if (access("/sys/class/net/lo/speed", R_OK) == 0)
		REGRESS_CHECK("statefile_read_error_not_eof",
		    statefile_read("/sys/class/net/lo/speed", 8192,
		    &len) == NULL && errno == EINVAL);
	else
		REGRESS_SKIP("statefile_read_error_not_eof",
		    "no /sys/class/net/lo/speed");

	/* A writer killed at random points, fifty times. */
	srand(getpid());
	for (i = 0; i < 50; i++) {
		if ((pid = fork()) == -1)
			return 1;
		if (pid == 0) {
			for (;;) {
				statefile_write(path, a, SMALL);
				statefile_write(path, b, LARGE);
			}
		}
		ts.tv_sec = 0;
		ts.tv_nsec = (rand() % 20000) * 1000L;
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		if (!is_whole(path))
			bad++;
	}
	REGRESS_CHECK("statefile_kill9_old_or_new", bad == 0);

	statefile_set_aside(path);
	REGRESS_CHECK("statefile_set_aside_moves",
	    access(path, F_OK) == -1 && errno == ENOENT);
	snprintf(aside, sizeof(aside), "rm -rf %s", dir);
	if (system(aside) != 0)
		return 1;
	REGRESS_EXIT();
}
