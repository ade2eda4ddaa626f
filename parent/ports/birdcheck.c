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
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "parent/core/reap.h"
#include "parent/ports/birdcheck.h"

/* One at a time: the apply pipeline runs one transaction. */
static struct {
	int		 busy;
	pid_t		 pid;
	int		 fd;
	int		 exited, status, timedout;
	struct event	 ev_read, ev_timeout;
	char		 cmd[64];
	char		 text[BIRDCHECK_TEXT_LEN];
	size_t		 len;
	birdcheck_cb	 cb;
	void		*arg;
} bc = { .fd = -1 };

static void	birdcheck_read(int, short, void *);
static void	birdcheck_timeout(int, short, void *);
static void	birdcheck_exited(pid_t, int, void *);
static void	birdcheck_finish(void);

int
birdcheck_busy(void)
{
	return bc.busy;
}

/* 0: cb is called once, later; -1: not started, why in err. */
int
birdcheck_start(const char *cmd, const char *config, birdcheck_cb cb,
    void *arg, char *err, size_t errlen)
{
	struct timeval	 tv = { BIRDCHECK_TIMEOUT, 0 };
	pid_t		 pid;
	int		 p, fd;

	if (bc.busy) {
		snprintf(err, errlen, "%.64s -p: a check is under way", cmd);
		return -1;
	}
	if ((pid = reap_fork_pipe(&p, err, errlen)) == -1)
		return -1;
	if (pid == 0) {
		if ((fd = open("/dev/null", O_RDWR)) == -1 ||
		    dup2(fd, STDIN_FILENO) == -1 ||
		    dup2(p, STDOUT_FILENO) == -1 ||
		    dup2(p, STDERR_FILENO) == -1)
			_exit(126);
		closefrom(STDERR_FILENO + 1);
		execlp(cmd, cmd, "-p", "-c", config, (char *)NULL);
		dprintf(STDERR_FILENO, "exec %s: %s\n", cmd, strerror(errno));
		_exit(127);
	}
	if (reap_watch(pid, birdcheck_exited, NULL) == -1) {
		kill(pid, SIGKILL);
		close(p);
		snprintf(err, errlen, "%.64s -p: %s", cmd, strerror(errno));
		return -1;
	}
	memset(&bc, 0, sizeof(bc));
	bc.busy = 1;
	bc.pid = pid;
	bc.fd = p;
	bc.cb = cb;
	bc.arg = arg;
	strlcpy(bc.cmd, cmd, sizeof(bc.cmd));
	event_set(&bc.ev_read, bc.fd, EV_READ | EV_PERSIST, birdcheck_read,
	    NULL);
	event_add(&bc.ev_read, NULL);
	evtimer_set(&bc.ev_timeout, birdcheck_timeout, NULL);
	evtimer_add(&bc.ev_timeout, &tv);
	return 0;
}

static void
birdcheck_read(int fd, short event, void *arg)
{
	char	 buf[256];
	ssize_t	 n;
	size_t	 room;

	if ((n = read(bc.fd, buf, sizeof(buf))) == -1 && (errno == EINTR ||
	    errno == EAGAIN))
		return;
	if (n <= 0) {
		event_del(&bc.ev_read);
		close(bc.fd);
		bc.fd = -1;
		birdcheck_finish();
		return;
	}
	/* The first words are the ones that matter; the rest is drained. */
	room = sizeof(bc.text) - 1 - bc.len;
	if ((size_t)n > room)
		n = room;
	memcpy(bc.text + bc.len, buf, n);
	bc.len += n;
}

static void
birdcheck_timeout(int fd, short event, void *arg)
{
	bc.timedout = 1;
	kill(bc.pid, SIGKILL);
	if (bc.fd != -1) {
		event_del(&bc.ev_read);
		close(bc.fd);
		bc.fd = -1;
	}
	birdcheck_finish();
}

static void
birdcheck_exited(pid_t pid, int status, void *arg)
{
	bc.exited = 1;
	bc.status = status;
	birdcheck_finish();
}

/* Once both the words and the exit are in. */
static void
birdcheck_finish(void)
{
	char		 err[BIRDCHECK_TEXT_LEN + 80];
	birdcheck_cb	 cb = bc.cb;
	void		*arg = bc.arg;
	int		 ok;

	if (!bc.busy || bc.fd != -1 || !bc.exited)
		return;
	evtimer_del(&bc.ev_timeout);
	bc.busy = 0;
	bc.text[bc.len] = '\0';
	bc.text[strcspn(bc.text, "\n")] = '\0';
	ok = !bc.timedout && WIFEXITED(bc.status) &&
	    WEXITSTATUS(bc.status) == 0;
	if (bc.timedout)
		snprintf(err, sizeof(err), "%.64s -p: no answer in %d s",
		    bc.cmd, BIRDCHECK_TIMEOUT);
	else
		snprintf(err, sizeof(err), "%.64s -p: %.400s", bc.cmd,
		    bc.text[0] != '\0' ? bc.text : "refused the configuration");
	cb(ok, ok ? NULL : err, arg);
}
