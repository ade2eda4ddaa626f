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
#include <sys/socket.h>
#include <sys/wait.h>

#include <event.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "imsgev.h"
#include "proc.h"
#include "sandbox.h"
#include "parent/core/parent.h"
#include "child.h"

static struct child_harness	 h;
static struct imsgev		 iev;
static pid_t			 pid = -1;
static int			 timed_out;

static void	child_dispatch(int, short, void *);
static void	on_deadline(int, short, void *);

/* What moenet-agent.c gives the parent modules. */
int
parent_imsg_compose(enum moenet_proc p, uint32_t type, uint32_t peerid,
    int fd, const void *data, size_t len)
{
	if (p != h.proc && h.other != NULL)
		return h.other(p, type, peerid, fd, data, len);
	return imsg_compose_event(&iev, type, peerid, 0, fd, data, len);
}

static void
child_dispatch(int fd, short event, void *arg)
{
	struct log_msg	 lm;
	struct imsg	 imsg;
	ssize_t		 n;
	int		 status;

	if (imsgev_io(&iev, event) == -1) {
		if (waitpid(pid, &status, 0) == pid && WIFSIGNALED(status))
			fatalx("%s killed by signal %d", proc_names[h.proc],
			    WTERMSIG(status));
		fatalx("%s closed its pipe", proc_names[h.proc]);
	}
	for (;;) {
		if ((n = imsg_get(&iev.ibuf, &imsg)) == -1)
			fatal("imsg_get");
		if (n == 0)
			break;
		switch (imsg_get_type(&imsg)) {
		case IMSG_HELLO:
			h.on_hello();
			break;
		case IMSG_LOG:
			if (imsg_get_data(&imsg, &lm, sizeof(lm)) == 0) {
				lm.line[sizeof(lm.line) - 1] = '\0';
				log_emit(lm.pri, lm.line);
			}
			break;
		default:
			h.dispatch(&imsg);
			break;
		}
		imsg_free(&imsg);
	}
	imsg_event_add(&iev);
}

pid_t
child_start(const struct child_harness *ch)
{
	struct child_opts	 o;
	struct sandbox_ids	 ids;
	int			 sp[2], exefd, fd;

	h = *ch;
	if (sandbox_ids(&ids) == -1)
		fatalx("no user for the sandbox");
	if ((fd = open(h.agent, O_RDONLY | O_CLOEXEC)) == -1)
		fatal("open %s", h.agent);
	if ((exefd = fcntl(fd, F_DUPFD_CLOEXEC, PARENT_FD + 1)) == -1)
		fatal("fcntl");
	close(fd);
	if (sandbox_prepare_root(h.emptydir) == -1)
		fatalx("cannot prepare %s", h.emptydir);
	memset(&o, 0, sizeof(o));
	o.debug = 1;
	o.verbose = h.verbose;
	o.seccomp_log = h.seccomp_log;
	strlcpy(o.chroot, h.emptydir, sizeof(o.chroot));
	o.uid = ids.uid;
	o.gid = ids.gid;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1)
		fatal("socketpair");
	pid = start_child(h.proc, exefd, sp[1], &o);
	close(exefd);
	imsgev_init(&iev, sp[0], proc_names[h.proc], child_dispatch, NULL);
	imsgbuf_allow_fdpass(&iev.ibuf);
	return pid;
}

void
child_stop(void)
{
	if (pid == -1)
		return;
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	pid = -1;
}

static void
on_deadline(int fd, short event, void *arg)
{
	timed_out = 1;
}

/* Run the event loop until cond holds or secs pass. */
int
child_run_until(int (*cond)(void *), void *arg, int secs)
{
	struct event	 ev;
	struct timeval	 tv = { secs, 0 };

	timed_out = 0;
	evtimer_set(&ev, on_deadline, NULL);
	evtimer_add(&ev, &tv);
	while (!cond(arg) && !timed_out)
		event_loop(EVLOOP_ONCE);
	evtimer_del(&ev);
	return cond(arg);
}

int
child_is_set(void *arg)
{
	return *(int *)arg;
}

/* The callback of a port's request: the answer into a child_done. */
void
child_done_cb(int err, const char *msg, void *arg)
{
	struct child_done	*d = arg;

	d->err = err;
	if (msg != NULL)
		strlcpy(d->msg, msg, sizeof(d->msg));
	d->done = 1;
}

/* The first line of a shell command's output; its exit status. */
int
child_sh(char *out, size_t len, const char *fmt, ...)
{
	char	 cmd[2048], buf[1024];
	va_list	 ap;
	FILE	*fp;
	int	 st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (out != NULL && len > 0)
		out[0] = '\0';
	if ((fp = popen(cmd, "r")) == NULL)
		return -1;
	while (fgets(buf, sizeof(buf), fp) != NULL)
		if (out != NULL && out[0] == '\0') {
			buf[strcspn(buf, "\n")] = '\0';
			strlcpy(out, buf, len);
		}
	st = pclose(fp);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
