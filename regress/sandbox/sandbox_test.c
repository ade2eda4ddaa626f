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
 * Each child's sandbox, applied for real in a forked test process that
 * then tries what that child must never do.  It must die (SIGSYS from
 * seccomp) or be refused (EPERM/EACCES); a refused call that succeeds
 * is a failure.  Needs root (chroot, uid change) and the _moenet user.
 */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/netlink.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "sandbox.h"
#include "regress.h"

enum outcome {
	KILLED,		/* SIGSYS */
	REFUSED,	/* EPERM, EACCES or ENOENT (hidden by chroot) */
	ALLOWED		/* the call worked */
};

static const char *const outcome_names[] = { "killed", "refused", "allowed" };

static char	 root[] = "/tmp/mnt-sb-XXXXXX";
static char	 empty[64];
static int	 landlock_abi;

typedef int	(*action_fn)(void);

/* Each action returns 0 if the call worked, else errno. */
static int
act_open(void)
{
	int	 fd;

	if ((fd = open("/etc/passwd", O_RDONLY)) == -1)
		return errno;
	close(fd);
	return 0;
}

static int
act_open_tmp(void)
{
	int	 fd;

	if ((fd = open("/tmp", O_RDONLY | O_DIRECTORY)) == -1)
		return errno;
	close(fd);
	return 0;
}

static int
act_socket_inet(void)
{
	int	 s;

	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return errno;
	close(s);
	return 0;
}

static int
act_socket_packet(void)
{
	int	 s;

	if ((s = socket(AF_PACKET, SOCK_RAW, 0)) == -1)
		return errno;
	close(s);
	return 0;
}

static int
act_socket_netlink(void)
{
	int	 s;

	if ((s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE)) == -1)
		return errno;
	close(s);
	return 0;
}

static int
act_execve(void)
{
	char	*argv[] = { (char *)"true", NULL };
	char	*envp[] = { NULL };

	execve("/bin/true", argv, envp);
	return errno;
}

static int
act_ptrace(void)
{
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) == -1)
		return errno;
	return 0;
}

static int
act_fork(void)
{
	pid_t	 pid;

	if ((pid = fork()) == -1)
		return errno;
	if (pid == 0)
		_exit(0);
	return 0;
}

static int
act_setuid_root(void)
{
	if (setuid(0) == -1)
		return errno;
	return 0;
}

static int	 io_pipe[2];

/* I/O on a descriptor made before the sandbox, like the imsg pipe. */
static int
act_pipe_io(void)
{
	char	 c;

	if (write(io_pipe[1], "x", 1) != 1 || read(io_pipe[0], &c, 1) != 1)
		return errno;
	return 0;
}

/* A TCP connect to a closed loopback port: ECONNREFUSED is "allowed". */
static int
connect_port(int port)
{
	struct sockaddr_in	 sin;
	int			 s, r;

	if ((s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return errno;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r = connect(s, (struct sockaddr *)&sin, sizeof(sin));
	close(s);
	if (r == -1 && errno != ECONNREFUSED)
		return errno;
	return 0;
}

static int
act_connect_allowed(void)
{
	return connect_port(8443);
}

static int
act_connect_other(void)
{
	return connect_port(8444);
}

/*
 * What the bot's tools do (fetcher/diag_icmp.c, diag_dns.c): TTL and
 * error-queue options, a read of the error queue, a connected UDP send.
 * A UDP socket stands in for the ICMP one that ping_group_range may
 * deny: seccomp sees the same calls.
 */
static int
act_diag_calls(void)
{
	struct sockaddr_in	 sin;
	struct msghdr		 msg;
	char			 cbuf[256];
	int			 s, on = 1, ttl = 3;

	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0)) == -1)
		return errno;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memset(&msg, 0, sizeof(msg));
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	if (setsockopt(s, IPPROTO_IP, IP_RECVERR, &on, sizeof(on)) == -1 ||
	    setsockopt(s, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) == -1 ||
	    connect(s, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    send(s, "x", 1, 0) == -1 ||
	    (recvmsg(s, &msg, MSG_ERRQUEUE) == -1 && errno != EAGAIN)) {
		close(s);
		return errno;
	}
	close(s);
	return 0;
}

static void *
thread_main(void *arg)
{
	return arg;
}

/* What libcurl's resolver threads need: clone with CLONE_THREAD. */
static int
act_thread_clone(void)
{
	pthread_t	 t;
	void		*ret;
	int		 e;

	if ((e = pthread_create(&t, NULL, thread_main, &e)) != 0)
		return e;
	if ((e = pthread_join(t, &ret)) != 0)
		return e;
	return 0;
}

static int	connect_any;

static enum outcome
run(enum moenet_proc p, int layers, int seccomp_log, action_fn fn)
{
	struct sandbox_opts	 o;
	pid_t			 pid;
	int			 status, e;

	switch (pid = fork()) {
	case -1:
		perror("fork");
		exit(1);
	case 0:
		memset(&o, 0, sizeof(o));
		o.chroot = empty;
		o.user = MOENET_USER;
		o.layers = layers;
		o.seccomp_log = seccomp_log;
		o.ports[0] = 8443;
		o.nports = 1;
		o.connect_any = connect_any;
		log_init(1, LOG_DAEMON);
		log_setverbose(0);
		sandbox_apply(p, &o);
		e = fn();
		_exit(e == 0 ? 0 : (e == EPERM || e == EACCES ||
		    e == ENOENT) ? 1 : 2);
	}
	if (waitpid(pid, &status, 0) == -1) {
		perror("waitpid");
		exit(1);
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		return KILLED;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return ALLOWED;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		return REFUSED;
	fprintf(stderr, "unexpected status %#x\n", status);
	return ALLOWED;
}

static void
expect(const char *name, enum moenet_proc p, int layers, action_fn fn,
    int want_denied)
{
	enum outcome	 o;

	o = run(p, layers, 0, fn);
	if (want_denied ? o != ALLOWED : o == ALLOWED)
		REGRESS_OK(name);
	else
		REGRESS_FAIL(name, "%s: %s", proc_names[p], outcome_names[o]);
}

int
main(void)
{
	static const enum moenet_proc procs[] = {
		PROC_FETCHER, PROC_BIRDCTL, PROC_WGCTL
	};
	char		 name[128];
	size_t		 i, nprocs = sizeof(procs) / sizeof(procs[0]);
	enum moenet_proc p;

	if (geteuid() != 0) {
		REGRESS_SKIP("sandbox", "needs root");
		return 0;
	}
	if (getpwnam(MOENET_USER) == NULL) {
		REGRESS_FAIL("sandbox", "user %s does not exist", MOENET_USER);
		return 1;
	}
	if (mkdtemp(root) == NULL || chmod(root, 0755) == -1) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(empty, sizeof(empty), "%s/empty", root);
	if (sandbox_prepare_root(empty) == -1)
		return 1;
	landlock_abi = sandbox_landlock_abi();
	if (pipe(io_pipe) == -1) {
		perror("pipe");
		return 1;
	}

	if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == -1 && errno == EINVAL) {
		REGRESS_SKIP("sandbox_seccomp", "this kernel has no seccomp: "
		    "the per-process call lists cannot be enforced");
		nprocs = 0;
	}
	for (i = 0; i < nprocs; i++) {
		p = procs[i];
#define DENY(what, fn) do {						\
	snprintf(name, sizeof(name), "sandbox_%s_denies_%s",		\
	    proc_names[p], what);					\
	expect(name, p, SANDBOX_ALL, fn, 1);				\
} while (0)
#define ALLOW(what, fn) do {						\
	snprintf(name, sizeof(name), "sandbox_%s_allows_%s",		\
	    proc_names[p], what);					\
	expect(name, p, SANDBOX_ALL, fn, 0);				\
} while (0)
		DENY("open", act_open);
		DENY("execve", act_execve);
		DENY("ptrace", act_ptrace);
		DENY("fork", act_fork);
		DENY("setuid_root", act_setuid_root);
		DENY("socket_packet", act_socket_packet);
		ALLOW("pipe_io", act_pipe_io);
		switch (p) {
		case PROC_FETCHER:
			ALLOW("socket_inet", act_socket_inet);
			ALLOW("thread_clone", act_thread_clone);
			ALLOW("diag_calls", act_diag_calls);
			break;
		case PROC_BIRDCTL:
			DENY("socket_inet", act_socket_inet);
			DENY("socket_netlink", act_socket_netlink);
			break;
		case PROC_WGCTL:
			DENY("socket_inet", act_socket_inet);
			ALLOW("socket_netlink", act_socket_netlink);
			break;
		default:
			break;
		}
	}

	{
		struct sandbox_opts	 o;

		memset(&o, 0, sizeof(o));
		REGRESS_CHECK("sandbox_parse_ports_any",
		    sandbox_parse_ports("443,any", &o) == 0 && o.nports == 1 &&
		    o.ports[0] == 443 && o.connect_any == 1);
	}

	/* Each layer on its own, so one cannot hide another's failure. */
	if (landlock_abi < 1)
		REGRESS_SKIP("sandbox_landlock_fs", "no Landlock in this "
		    "kernel");
	else {
		expect("sandbox_landlock_alone_denies_open", PROC_BIRDCTL,
		    SANDBOX_PRCTL | SANDBOX_LANDLOCK, act_open_tmp, 1);
		expect("sandbox_without_landlock_open_works", PROC_BIRDCTL,
		    SANDBOX_PRCTL, act_open_tmp, 0);
	}
	if (landlock_abi < 4)
		REGRESS_SKIP("sandbox_landlock_net", "Landlock ABI < 4");
	else {
		expect("sandbox_landlock_fetcher_connect_cp_port",
		    PROC_FETCHER, SANDBOX_PRCTL | SANDBOX_LANDLOCK,
		    act_connect_allowed, 0);
		expect("sandbox_landlock_fetcher_denies_other_port",
		    PROC_FETCHER, SANDBOX_PRCTL | SANDBOX_LANDLOCK,
		    act_connect_other, 1);
		expect("sandbox_landlock_birdctl_denies_connect",
		    PROC_BIRDCTL, SANDBOX_PRCTL | SANDBOX_LANDLOCK,
		    act_connect_allowed, 1);
		/* "any" in the list (tcping): connect anywhere */
		connect_any = 1;
		expect("sandbox_landlock_fetcher_any_port",
		    PROC_FETCHER, SANDBOX_PRCTL | SANDBOX_LANDLOCK,
		    act_connect_other, 0);
		connect_any = 0;
	}
	expect("sandbox_chroot_hides_etc", PROC_FETCHER, SANDBOX_CHROOT,
	    act_open, 1);
	expect("sandbox_user_cannot_regain_root", PROC_FETCHER,
	    SANDBOX_CHROOT | SANDBOX_USER, act_setuid_root, 1);
	expect("sandbox_seccomp_alone_kills_execve", PROC_BIRDCTL,
	    SANDBOX_PRCTL | SANDBOX_SECCOMP, act_execve, 1);
	if (run(PROC_BIRDCTL, SANDBOX_PRCTL | SANDBOX_SECCOMP, 1,
	    act_socket_inet) == ALLOWED)
		REGRESS_OK("sandbox_seccomp_log_mode_does_not_kill");
	else
		REGRESS_FAIL("sandbox_seccomp_log_mode_does_not_kill",
		    "socket() was stopped in log mode");

	rmdir(empty);
	rmdir(root);
	REGRESS_EXIT();
}
