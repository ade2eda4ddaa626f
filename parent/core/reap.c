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

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "parent/core/reap.h"

static struct {
	pid_t	 pid;
	reap_cb	 cb;
	void	*arg;
} watches[REAP_WATCH_MAX];

/* -1 with EAGAIN when every slot is taken: the caller kills its child. */
int
reap_watch(pid_t pid, reap_cb cb, void *arg)
{
	size_t	 i;

	for (i = 0; i < REAP_WATCH_MAX; i++)
		if (watches[i].pid == 0) {
			watches[i].pid = pid;
			watches[i].cb = cb;
			watches[i].arg = arg;
			return 0;
		}
	errno = EAGAIN;
	return -1;
}

void
reap_forget(pid_t pid)
{
	size_t	 i;

	for (i = 0; i < REAP_WATCH_MAX; i++)
		if (watches[i].pid == pid)
			watches[i].pid = 0;
}

/* From the SIGCHLD handler: 1 if someone watched pid. */
int
reap_exited(pid_t pid, int status)
{
	reap_cb	 cb;
	void	*arg;
	size_t	 i;

	for (i = 0; i < REAP_WATCH_MAX; i++) {
		if (watches[i].pid != pid)
			continue;
		cb = watches[i].cb;
		arg = watches[i].arg;
		watches[i].pid = 0;
		cb(pid, status, arg);
		return 1;
	}
	return 0;
}

/*
 * fork() with a pipe from the child to the parent, close-on-exec.  In
 * the parent: the child's pid, *fd the read end.  In the child: 0, *fd
 * the write end.  -1: no child, why in err.
 */
pid_t
reap_fork_pipe(int *fd, char *err, size_t errlen)
{
	pid_t	 pid;
	int	 p[2];

	if (pipe2(p, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	switch (pid = fork()) {
	case -1:
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	case 0:
		close(p[0]);
		*fd = p[1];
		return 0;
	}
	close(p[1]);
	*fd = p[0];
	return pid;
}
