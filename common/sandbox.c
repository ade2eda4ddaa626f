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
 * The Linux stand-in for pledge and unveil.  Every child applies, in
 * this order: chroot to an empty root-owned directory, drop to the
 * unprivileged user (wgctl keeps CAP_NET_ADMIN only), no_new_privs,
 * not dumpable, parent-death signal, Landlock as far as the kernel's
 * ABI goes, rlimits, and last a seccomp allow-list whose default
 * action kills the process.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/landlock.h>
#include <linux/sched.h>

#include <cap-ng.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "sandbox.h"

/* Debian 12's headers stop at Landlock ABI 2. */
#ifndef LANDLOCK_CREATE_RULESET_VERSION
#define LANDLOCK_CREATE_RULESET_VERSION		(1U << 0)
#endif
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER		(1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE		(1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV		(1ULL << 15)
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP		(1ULL << 0)
#endif
#ifndef LANDLOCK_ACCESS_NET_CONNECT_TCP
#define LANDLOCK_ACCESS_NET_CONNECT_TCP		(1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET	(1ULL << 0)
#endif
#ifndef LANDLOCK_SCOPE_SIGNAL
#define LANDLOCK_SCOPE_SIGNAL			(1ULL << 1)
#endif
#define MOENET_LANDLOCK_RULE_NET_PORT		2

/* The ruleset attribute as of ABI 6; older kernels get a prefix. */
struct moenet_landlock_ruleset_attr {
	uint64_t	handled_access_fs;
	uint64_t	handled_access_net;
	uint64_t	scoped;
};

struct moenet_landlock_net_port_attr {
	uint64_t	allowed_access;
	uint64_t	port;
};

struct syscall_rule {
	int		 nr;
	int		 argc;	/* 0: any arguments */
	int		 arg;	/* index of the checked argument */
	uint64_t	 mask;	/* 0: compare equal */
	uint64_t	 val;
};

#define ANY(name)		{ SCMP_SYS(name), 0, 0, 0, 0 }
#define ARG_EQ(name, i, v)	{ SCMP_SYS(name), 1, (i), 0, (v) }
#define ARG_MASK(name, i, m, v)	{ SCMP_SYS(name), 1, (i), (m), (v) }

/* What every child needs: memory, time, its pipe, the event loop. */
static const struct syscall_rule sc_stdio[] = {
	ANY(read), ANY(write), ANY(readv), ANY(writev), ANY(close),
	ANY(exit), ANY(exit_group), ANY(brk), ANY(mmap), ANY(munmap),
	ANY(mremap), ANY(mprotect), ANY(madvise), ANY(futex),
	ANY(clock_gettime), ANY(clock_getres), ANY(gettimeofday),
	ANY(nanosleep), ANY(clock_nanosleep), ANY(getpid), ANY(gettid),
	ANY(getppid), ANY(getuid), ANY(geteuid), ANY(getgid), ANY(getegid),
	ANY(rt_sigaction), ANY(rt_sigprocmask), ANY(rt_sigreturn),
	ANY(sigaltstack), ANY(epoll_create1), ANY(epoll_ctl),
	ANY(epoll_wait), ANY(epoll_pwait), ANY(poll), ANY(ppoll),
	ANY(select), ANY(pselect6), ANY(fcntl), ANY(fstat), ANY(newfstatat),
	ANY(lseek), ANY(getrandom), ANY(sched_yield), ANY(restart_syscall),
	ANY(recvmsg), ANY(sendmsg), ANY(recvfrom), ANY(sendto),
	ANY(prlimit64), ANY(uname), ANY(tgkill),
	ARG_EQ(ioctl, 1, FIONREAD),
};

/*
 * fetcher: TCP/UDP to the network, name resolution, resolver threads,
 * and ICMP echo for RTT over SOCK_DGRAM/IPPROTO_ICMP(V6) sockets, which
 * the AF_INET/AF_INET6 rules already admit (raw ones would need
 * CAP_NET_RAW, which the fetcher does not have).
 */
static const struct syscall_rule sc_fetcher[] = {
	ARG_EQ(socket, 0, AF_INET), ARG_EQ(socket, 0, AF_INET6),
	ARG_EQ(socket, 0, AF_UNIX),
	ANY(connect), ANY(bind), ANY(getsockname), ANY(getpeername),
	ANY(setsockopt), ANY(getsockopt), ANY(accept4), ANY(accept),
	ANY(shutdown), ANY(sendmmsg), ANY(recvmmsg), ANY(socketpair),
	ANY(pipe2), ANY(eventfd2), ANY(openat), ANY(statx), ANY(access),
	ANY(faccessat), ANY(faccessat2), ANY(readlink), ANY(getdents64),
	ANY(set_robust_list), ANY(rseq), ANY(sched_getaffinity),
	ARG_MASK(clone, 0, CLONE_THREAD, CLONE_THREAD),
};

/* wgctl: netlink sockets only, opened before or after the drop. */
static const struct syscall_rule sc_wgctl[] = {
	ARG_EQ(socket, 0, AF_NETLINK),
	ANY(bind), ANY(getsockname), ANY(setsockopt), ANY(getsockopt),
};

static void	sandbox_chroot(const char *);
static void	sandbox_user(enum moenet_proc, uid_t, gid_t);
static void	sandbox_prctl(void);
static void	sandbox_landlock(enum moenet_proc, const struct sandbox_opts *);
static void	sandbox_landlock_read(int, const char *);
static void	sandbox_rlimits(enum moenet_proc);
static void	sandbox_seccomp(enum moenet_proc, int);
static void	seccomp_add(scmp_filter_ctx, const struct syscall_rule *,
		    size_t);

#ifdef MOENET_SANITIZE
/*
 * Sanitizer builds only (make sanitize, -DMOENET_SANITIZE), the one
 * place they relax the sandbox: LeakSanitizer's check at exit stops
 * the world with clone and ptrace and reads /proc, which a child has
 * neither of once sandboxed (seccomp would kill it mid-check), so the
 * leak check is off in sandboxed children; the parent keeps it.
 * AddressSanitizer's and UBSan's reports need only write and
 * exit_group or abort, which the filter allows as it is.
 */
static int	 sandboxed;
int		 __lsan_is_turned_off(void);

int
__lsan_is_turned_off(void)
{
	return sandboxed;
}
#endif

void
sandbox_apply(enum moenet_proc p, const struct sandbox_opts *o)
{
	/* Name lookups need /etc: do them before the chroot hides it. */
	struct passwd	*pw;
	uid_t		 uid = 0;
	gid_t		 gid = 0;

#ifdef MOENET_SANITIZE
	sandboxed = 1;
#endif
	if (o->layers & SANDBOX_USER) {
		if (o->user == NULL) {
			uid = o->uid;
			gid = o->gid;
		} else if ((pw = getpwnam(o->user)) == NULL)
			fatalx("unknown user %s", o->user);
		else {
			uid = pw->pw_uid;
			gid = pw->pw_gid;
		}
	}
	if (o->layers & SANDBOX_CHROOT)
		sandbox_chroot(o->chroot);
	if (o->layers & SANDBOX_USER)
		sandbox_user(p, uid, gid);
	if (o->layers & SANDBOX_PRCTL)
		sandbox_prctl();
	if (o->layers & SANDBOX_LANDLOCK)
		sandbox_landlock(p, o);
	if (o->layers & SANDBOX_RLIMIT)
		sandbox_rlimits(p);
	if (o->layers & SANDBOX_SECCOMP)
		sandbox_seccomp(p, o->seccomp_log);
}

static void
sandbox_chroot(const char *dir)
{
	struct stat	 st;

	if (dir == NULL || *dir != '/')
		fatalx("chroot directory must be an absolute path");
	if (stat(dir, &st) == -1)
		fatal("chroot directory %s", dir);
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		fatalx("chroot directory %s: must be owned by root and not "
		    "writable by group or others", dir);
	if (chroot(dir) == -1)
		fatal("chroot %s", dir);
	if (chdir("/") == -1)
		fatal("chdir /");
}

static void
sandbox_user(enum moenet_proc p, uid_t uid, gid_t gid)
{
	uid_t		 ruid, euid, suid;
	gid_t		 rgid, egid, sgid;

	if (uid == 0)
		fatalx("refusing to run %s as root", proc_names[p]);

	if (p == PROC_WGCTL) {
		capng_clear(CAPNG_SELECT_BOTH);
		if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
		    CAP_NET_ADMIN) == -1)
			fatalx("capng_update CAP_NET_ADMIN");
		if (capng_change_id(uid, gid, CAPNG_DROP_SUPP_GRP |
		    CAPNG_CLEAR_BOUNDING) != 0)
			fatalx("capng_change_id to %u:%u failed", uid, gid);
	} else {
		capng_clear(CAPNG_SELECT_BOTH);
		if (capng_apply(CAPNG_SELECT_BOUNDS) == -1)
			fatalx("cannot clear the capability bounding set");
		if (setgroups(1, &gid) == -1)
			fatal("setgroups");
		if (setresgid(gid, gid, gid) == -1)
			fatal("setresgid");
		if (setresuid(uid, uid, uid) == -1)
			fatal("setresuid");
	}

	if (getresuid(&ruid, &euid, &suid) == -1 ||
	    getresgid(&rgid, &egid, &sgid) == -1)
		fatal("getresuid");
	if (ruid != uid || euid != uid || suid != uid ||
	    rgid != gid || egid != gid || sgid != gid)
		fatalx("%s: privilege drop did not stick", proc_names[p]);
	if (setuid(0) != -1)
		fatalx("%s: could regain root", proc_names[p]);
}

static void
sandbox_prctl(void)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		fatal("PR_SET_NO_NEW_PRIVS");
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		fatal("PR_SET_DUMPABLE");
	/* Cleared by the uid change, so only now. */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) == -1)
		fatal("PR_SET_PDEATHSIG");
	if (getppid() == 1)
		fatalx("parent went away during start");
}

int
sandbox_landlock_abi(void)
{
	long	 abi;

	abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LANDLOCK_CREATE_RULESET_VERSION);
	return abi < 0 ? 0 : (int)abi;
}

static void
sandbox_landlock(enum moenet_proc p, const struct sandbox_opts *o)
{
	struct moenet_landlock_ruleset_attr	 attr;
	struct moenet_landlock_net_port_attr	 port;
	size_t					 attrsz;
	int					 abi, fd, i;

	if ((abi = sandbox_landlock_abi()) < 1) {
		log_info("%s: landlock not available, skipped",
		    proc_names[p]);
		return;
	}

	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;
	attrsz = sizeof(attr.handled_access_fs);
	if (abi >= 2)
		attr.handled_access_fs |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		attr.handled_access_fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 4) {
		/* The bot's tcping connects to any port: then only bind. */
		attr.handled_access_net = LANDLOCK_ACCESS_NET_BIND_TCP |
		    (o->connect_any ? 0 : LANDLOCK_ACCESS_NET_CONNECT_TCP);
		attrsz = offsetof(struct moenet_landlock_ruleset_attr,
		    scoped);
	}
	if (abi >= 5)
		attr.handled_access_fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
	if (abi >= 6) {
		attr.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET |
		    LANDLOCK_SCOPE_SIGNAL;
		attrsz = sizeof(attr);
	}

	fd = syscall(SYS_landlock_create_ruleset, &attr, attrsz, 0);
	if (fd == -1)
		fatal("landlock_create_ruleset");
	/* The resolver reads its files from the fetcher's chroot. */
	if (p == PROC_FETCHER)
		sandbox_landlock_read(fd, "/etc");
	if (abi >= 4 && p == PROC_FETCHER && !o->connect_any) {
		for (i = 0; i < o->nports; i++) {
			memset(&port, 0, sizeof(port));
			port.allowed_access = LANDLOCK_ACCESS_NET_CONNECT_TCP;
			port.port = o->ports[i];
			if (syscall(SYS_landlock_add_rule, fd,
			    MOENET_LANDLOCK_RULE_NET_PORT, &port, 0) == -1)
				fatal("landlock_add_rule port %u",
				    o->ports[i]);
		}
	}
	if (syscall(SYS_landlock_restrict_self, fd, 0) == -1)
		fatal("landlock_restrict_self");
	close(fd);
	log_debug("landlock ABI %d applied", abi);
}

static void
sandbox_landlock_read(int rfd, const char *path)
{
	struct landlock_path_beneath_attr	 pb;
	int					 fd;

	if ((fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC)) == -1) {
		log_debug("landlock: %s: %s", path, strerror(errno));
		return;
	}
	memset(&pb, 0, sizeof(pb));
	pb.allowed_access = LANDLOCK_ACCESS_FS_READ_FILE |
	    LANDLOCK_ACCESS_FS_READ_DIR;
	pb.parent_fd = fd;
	if (syscall(SYS_landlock_add_rule, rfd, LANDLOCK_RULE_PATH_BENEATH,
	    &pb, 0) == -1)
		fatal("landlock_add_rule %s", path);
	close(fd);
}

static void
sandbox_rlimits(enum moenet_proc p)
{
	struct rlimit	 rl;
	struct stat	 st;
	rlim_t		 nofile;

	rl.rlim_cur = rl.rlim_max = 0;
	if (setrlimit(RLIMIT_CORE, &rl) == -1)
		fatal("setrlimit RLIMIT_CORE");
	/* With -d, stderr may be a log file the child must append to. */
	if (fstat(STDERR_FILENO, &st) == -1 || !S_ISREG(st.st_mode)) {
		if (setrlimit(RLIMIT_FSIZE, &rl) == -1)
			fatal("setrlimit RLIMIT_FSIZE");
	}

	switch (p) {
	case PROC_FETCHER:
		nofile = 512;
		break;
	case PROC_WGCTL:
		nofile = 4096;	/* one UAPI fd per userspace tunnel */
		break;
	default:
		nofile = 32;
		break;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		fatal("getrlimit RLIMIT_NOFILE");
	if (rl.rlim_max > nofile)
		rl.rlim_max = nofile;
	/* wgctl holds a connection per tunnel: all the room there is. */
	if (rl.rlim_cur > rl.rlim_max || p == PROC_WGCTL)
		rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
		fatal("setrlimit RLIMIT_NOFILE");
}

static void
seccomp_add(scmp_filter_ctx ctx, const struct syscall_rule *r, size_t n)
{
	size_t	 i;
	int	 rc;

	for (i = 0; i < n; i++) {
		if (r[i].nr < 0)
			continue;	/* not on this architecture */
		if (r[i].argc == 0)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, r[i].nr, 0);
		else if (r[i].mask != 0)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, r[i].nr, 1,
			    SCMP_CMP(r[i].arg, SCMP_CMP_MASKED_EQ, r[i].mask,
			    r[i].val));
		else
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, r[i].nr, 1,
			    SCMP_CMP(r[i].arg, SCMP_CMP_EQ, r[i].val));
		if (rc < 0)
			fatalx("seccomp_rule_add %d: %s", r[i].nr,
			    strerror(-rc));
	}
}

static void
sandbox_seccomp(enum moenet_proc p, int logonly)
{
	scmp_filter_ctx	 ctx;
	int		 rc;

	ctx = seccomp_init(logonly ? SCMP_ACT_LOG : SCMP_ACT_KILL_PROCESS);
	if (ctx == NULL)
		fatalx("seccomp_init failed");
	seccomp_add(ctx, sc_stdio, sizeof(sc_stdio) / sizeof(sc_stdio[0]));
	switch (p) {
	case PROC_FETCHER:
		seccomp_add(ctx, sc_fetcher,
		    sizeof(sc_fetcher) / sizeof(sc_fetcher[0]));
		/* glibc falls back to clone, whose flags we can check. */
		if ((rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS),
		    SCMP_SYS(clone3), 0)) < 0)
			fatalx("seccomp_rule_add clone3: %s", strerror(-rc));
		break;
	case PROC_WGCTL:
		seccomp_add(ctx, sc_wgctl,
		    sizeof(sc_wgctl) / sizeof(sc_wgctl[0]));
		break;
	default:
		break;
	}
	if ((rc = seccomp_load(ctx)) < 0)
		fatalx("seccomp_load: %s", strerror(-rc));
	seccomp_release(ctx);
	if (logonly)
		log_warnx("%s: seccomp in log mode, violations are not "
		    "stopped", proc_names[p]);
}

/*
 * Make sure the directory children chroot into exists, belongs to
 * root, is not writable by anyone else and is empty.
 */
int
sandbox_prepare_root(const char *dir)
{
	struct stat	 st;
	struct dirent	*de;
	DIR		*d;

	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		log_warn("mkdir %s", dir);
		return -1;
	}
	if (lstat(dir, &st) == -1) {
		log_warn("%s", dir);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		log_warnx("%s: not a directory", dir);
		return -1;
	}
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		log_warnx("%s: must be owned by root and not writable by "
		    "group or others", dir);
		return -1;
	}
	if ((d = opendir(dir)) == NULL) {
		log_warn("%s", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		closedir(d);
		log_warnx("%s: chroot directory is not empty", dir);
		return -1;
	}
	closedir(d);
	return 0;
}

/* 1 if path holds exactly len bytes of want. */
static int
same_content(const char *path, const char *want, size_t len)
{
	char	 buf[8192];
	ssize_t	 n;
	int	 fd, same;

	if (len > sizeof(buf) ||
	    (fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	same = n >= 0 && (size_t)n == len && memcmp(buf, want, len) == 0;
	return same;
}

/*
 * Copy a file into the fetcher's root, atomically; absent is fine.  An
 * unchanged copy is not written again, and one that cannot be replaced
 * (a full or read-only state file system) is kept with a warning: a
 * start must not depend on writing it.
 */
static int
copy_file(const char *from, const char *dir, const char *name,
    const char *content)
{
	char	 tmp[PATH_MAX], dst[PATH_MAX], buf[8192], want[8192];
	ssize_t	 n;
	size_t	 wlen = 0;
	int	 in = -1, out;

	if ((size_t)snprintf(dst, sizeof(dst), "%s/%s", dir, name) >=
	    sizeof(dst) || (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.tmp",
	    dir, name) >= sizeof(tmp))
		return -1;
	if (content == NULL && (in = open(from, O_RDONLY | O_CLOEXEC)) == -1) {
		unlink(dst);
		return 0;
	}
	if (content != NULL) {
		wlen = strlen(content);
		if (same_content(dst, content, wlen))
			return 0;
	} else if ((n = read(in, want, sizeof(want))) >= 0 &&
	    (size_t)n < sizeof(want)) {
		wlen = n;
		if (same_content(dst, want, wlen)) {
			close(in);
			return 0;
		}
		if (lseek(in, 0, SEEK_SET) == -1) {
			close(in);
			return -1;
		}
	} else if (lseek(in, 0, SEEK_SET) == -1) {
		close(in);
		return -1;
	}
	if ((out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0644)) == -1)
		goto fail;
	if (content != NULL) {
		if (write(out, content, strlen(content)) !=
		    (ssize_t)strlen(content))
			goto fail;
	} else {
		while ((n = read(in, buf, sizeof(buf))) > 0)
			if (write(out, buf, n) != n)
				goto fail;
		if (n == -1)
			goto fail;
		close(in);
		in = -1;
	}
	if (fsync(out) == -1 || close(out) == -1) {
		out = -1;
		goto fail;
	}
	if (rename(tmp, dst) == -1) {
		log_warn("rename %s", dst);
		unlink(tmp);
		return -1;
	}
	return 0;
 fail:
	log_warn("%s", tmp);
	if (in != -1)
		close(in);
	if (out != -1)
		close(out);
	unlink(tmp);
	if (access(dst, F_OK) == 0) {
		log_warnx("%s: keeping the copy there, which may be stale",
		    dst);
		return 0;
	}
	return -1;
}

/*
 * The fetcher's root: empty but for what name resolution reads, copied
 * from the system at every start so that it follows the router's
 * resolver settings.  NSS is reduced to files and dns, which glibc has
 * built in: nothing is loaded from a library the chroot lacks.
 */
int
sandbox_prepare_fetcher_root(const char *dir)
{
	struct stat	 st;
	struct dirent	*de;
	char		 etc[PATH_MAX];
	DIR		*d;

	if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
		log_warn("mkdir %s", dir);
		return -1;
	}
	if (lstat(dir, &st) == -1 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		log_warnx("%s: must be a directory owned by root and not "
		    "writable by group or others", dir);
		return -1;
	}
	if ((d = opendir(dir)) == NULL) {
		log_warn("%s", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, "etc") == 0)
			continue;
		closedir(d);
		log_warnx("%s: unexpected entry %s in the fetcher's root", dir,
		    de->d_name);
		return -1;
	}
	closedir(d);
	if ((size_t)snprintf(etc, sizeof(etc), "%s/etc", dir) >= sizeof(etc))
		return -1;
	if (mkdir(etc, 0755) == -1 && errno != EEXIST) {
		log_warn("mkdir %s", etc);
		return -1;
	}
	if (lstat(etc, &st) == -1 || !S_ISDIR(st.st_mode) || st.st_uid != 0 ||
	    (st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
		log_warnx("%s: must be a directory owned by root", etc);
		return -1;
	}
	if (copy_file("/etc/resolv.conf", etc, "resolv.conf", NULL) == -1 ||
	    copy_file("/etc/hosts", etc, "hosts", NULL) == -1 ||
	    copy_file(NULL, etc, "nsswitch.conf", "hosts: files dns\n") == -1)
		return -1;
	return 0;
}

int
sandbox_parse_ports(const char *list, struct sandbox_opts *o)
{
	char		 buf[64], *s, *tok;
	const char	*errstr;

	if (strlcpy(buf, list, sizeof(buf)) >= sizeof(buf))
		return -1;
	o->nports = 0;
	for (s = buf; (tok = strsep(&s, ",")) != NULL; ) {
		if (strcmp(tok, "any") == 0) {
			o->connect_any = 1;
			continue;
		}
		if (o->nports >= SANDBOX_PORTS_MAX)
			return -1;
		o->ports[o->nports++] = strtonum(tok, 1, 65535, &errstr);
		if (errstr != NULL)
			return -1;
	}
	return 0;
}

/*
 * The ids the children run under: MOENET_USER's, or else an unnamed
 * pair from the dynamic range, the same on every start while the
 * account databases do not change.  -1 when the range is exhausted.
 */
int
sandbox_ids(struct sandbox_ids *ids)
{
	struct passwd	*pw;
	id_t		 id;

	memset(ids, 0, sizeof(*ids));
	if ((pw = getpwnam(MOENET_USER)) != NULL) {
		if (pw->pw_uid == 0 || pw->pw_gid == 0)
			return -1;
		ids->uid = pw->pw_uid;
		ids->gid = pw->pw_gid;
		ids->named = 1;
		return 0;
	}
	for (id = SANDBOX_DYN_ID_MIN; id <= SANDBOX_DYN_ID_MAX; id++) {
		if (getpwuid(id) != NULL || getgrgid(id) != NULL)
			continue;
		ids->uid = id;
		ids->gid = id;
		return 0;
	}
	return -1;
}
