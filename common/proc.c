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
 * Starting children: each one is a fresh image of the very binary that
 * is running (fexecve of /proc/self/exe opened at start, so an upgrade
 * on disk never mixes versions), with its socketpair on PARENT_FD.
 */

#include <sys/types.h>
#include <sys/prctl.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "memtrim.h"
#include "imsgev.h"
#include "proc.h"
#include "sandbox.h"

static struct imsgev	*log_iev;

static void	proc_log_sink(int, const char *);

int
proc_exe_open(void)
{
	int	 fd, hi;

	if ((fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)) == -1)
		fatal("open /proc/self/exe");
	/* Out of the way of PARENT_FD, which every child dup2()s over. */
	if ((hi = fcntl(fd, F_DUPFD_CLOEXEC, PARENT_FD + 1)) == -1)
		fatal("fcntl F_DUPFD_CLOEXEC");
	close(fd);
	return hi;
}

pid_t
start_child(enum moenet_proc p, int exefd, int fd, const struct child_opts *o)
{
	char	*argv[18];
	char	*envp[] = { NULL };
	char	 ids[32];
	pid_t	 pid;
	int	 argc = 0;

	switch (pid = fork()) {
	case -1:
		fatal("%s: fork", __func__);
	case 0:
		break;
	default:
		close(fd);
		return pid;
	}

	if (fd != PARENT_FD) {
		if (dup2(fd, PARENT_FD) == -1)
			fatal("%s: dup2", __func__);
	} else if (fcntl(fd, F_SETFD, 0) == -1)
		fatal("%s: fcntl", __func__);

	/* Built from scratch: nothing of the parent's argv or env leaks. */
	argv[argc++] = (char *)"moenet-agent";
	argv[argc++] = (char *)"-P";
	if ((argv[argc++] = strdup(proc_names[p])) == NULL)
		fatal("%s: strdup", __func__);
	if (o->debug)
		argv[argc++] = (char *)"-d";
	if (o->verbose > 0)
		argv[argc++] = (char *)"-v";
	if (o->verbose > 1)
		argv[argc++] = (char *)"-v";
	if (o->json_log)
		argv[argc++] = (char *)"-J";
	if (o->journal)
		argv[argc++] = (char *)"-K";
	if (o->seccomp_log)
		argv[argc++] = (char *)"-S";
	argv[argc++] = (char *)"-C";
	if ((argv[argc++] = strdup(o->chroot)) == NULL)
		fatal("%s: strdup", __func__);
	snprintf(ids, sizeof(ids), "%u:%u", (unsigned int)o->uid,
	    (unsigned int)o->gid);
	argv[argc++] = (char *)"-U";
	argv[argc++] = ids;
	if (o->ports[0] != '\0') {
		argv[argc++] = (char *)"-L";
		if ((argv[argc++] = strdup(o->ports)) == NULL)
			fatal("%s: strdup", __func__);
	}
	argv[argc] = NULL;

	fexecve(exefd, argv, envp);
	fatal("%s: fexecve", __func__);
}

static void
proc_log_sink(int pri, const char *line)
{
	struct log_msg	 m;

	if (log_iev == NULL) {
		dprintf(STDERR_FILENO, "%s\n", line);
		return;
	}
	memset(&m, 0, sizeof(m));
	m.pri = pri;
	strlcpy(m.line, line, sizeof(m.line));
	imsg_compose(&log_iev->ibuf, IMSG_LOG, 0, 0, -1, &m, sizeof(m));
	/* A fatal line must leave before the process does. */
	if (pri <= LOG_CRIT)
		imsgbuf_flush(&log_iev->ibuf);
	else
		imsg_event_add(log_iev);
}

/* Children in daemon mode hand their log lines to the parent. */
void
proc_child_log_to(struct imsgev *iev)
{
	log_iev = iev;
	log_setsink(proc_log_sink);
}

/*
 * What every child does first, still root: logging, title, stray fds,
 * then the whole sandbox.  The caller has already made everything the
 * sandbox will forbid (event base, sockets).
 */
void
proc_child_setup(enum moenet_proc p, const struct child_opts *o,
    struct sandbox_opts *sb)
{
	if (prctl(PR_SET_NAME, proc_names[p], 0, 0, 0) == -1)
		log_warn("PR_SET_NAME");
	memset(sb, 0, sizeof(*sb));
	sb->chroot = o->chroot;
	sb->user = NULL;
	sb->uid = o->uid;
	sb->gid = o->gid;
	sb->layers = SANDBOX_ALL;
	sb->seccomp_log = o->seccomp_log;
	if (o->ports[0] != '\0' && sandbox_parse_ports(o->ports, sb) == -1)
		fatalx("%s: bad port list", proc_names[p]);
}

void
proc_send_hello(struct imsgev *iev, enum moenet_proc p)
{
	struct hello_msg	 h;

	memset(&h, 0, sizeof(h));
	h.version = IMSG_VERSION;
	h.proc = p;
	h.pid = getpid();
	imsg_compose_event(iev, IMSG_HELLO, 0, 0, -1, &h, sizeof(h));
}

/* Logging and title: the first thing every child does. */
void
proc_child_init(enum moenet_proc p, const struct child_opts *o)
{
	/*
	 * Stray fds go before openlog(3) opens its socket: closed behind
	 * syslog's back, its number would be reused by the event base or
	 * the parent's pipe, which syslog(3) would then write to and
	 * close (seen where /dev/log exists: under systemd, without -d).
	 */
	closefrom(PARENT_FD + 1);
	memtrim_init();
	log_init(o->debug, LOG_DAEMON);
	log_setjournal(o->debug && o->journal);
	log_procinit(proc_names[p]);
	log_setverbose(o->verbose);
	if (o->json_log)
		log_setformat(LOG_FORMAT_JSON);
	setproctitle("%s", proc_names[p]);
	if (prctl(PR_SET_NAME, proc_names[p], 0, 0, 0) == -1)
		log_warn("PR_SET_NAME");
}

/*
 * Once sandboxed: signals, the pipe to the parent (with fd passing for
 * the children that receive sockets), logs through the parent when not
 * in the foreground, and HELLO, the first message.
 */
void
proc_child_ready(enum moenet_proc p, const struct child_opts *o,
    struct imsgev *iev, void (*dispatch)(int, short, void *),
    void (*sig)(int, short, void *), int fdpass)
{
	static struct event	 ev_sigterm;

	/*
	 * A terminal's ^C reaches the whole process group: the parent
	 * shuts down in order and the pipe's end stops the children.
	 */
	signal(SIGINT, SIG_IGN);
	signal_set(&ev_sigterm, SIGTERM, sig, NULL);
	signal_add(&ev_sigterm, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);

	imsgev_init(iev, PARENT_FD, "parent", dispatch, NULL);
	if (fdpass)
		imsgbuf_allow_fdpass(&iev->ibuf);
	if (!o->debug)
		proc_child_log_to(iev);
	proc_send_hello(iev, p);
	log_debug("sandboxed, ready");
}

/* The messages every child answers the same way; 1 when handled. */
int
proc_child_imsg(struct imsgev *iev, struct imsg *imsg)
{
	uint32_t	 seq;
	int		 verbose;

	switch (imsg_get_type(imsg)) {
	case IMSG_PING:
		if (imsg_get_data(imsg, &seq, sizeof(seq)) == -1)
			fatalx("%s: IMSG_PING wrong length", __func__);
		imsg_compose_event(iev, IMSG_PONG, 0, 0, -1, &seq,
		    sizeof(seq));
		return 1;
	case IMSG_LOG_VERBOSE:
		if (imsg_get_data(imsg, &verbose, sizeof(verbose)) == -1)
			fatalx("%s: IMSG_LOG_VERBOSE wrong length", __func__);
		log_setverbose(verbose);
		return 1;
	default:
		return 0;
	}
}
