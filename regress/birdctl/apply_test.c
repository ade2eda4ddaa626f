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
 * The real birdctl (the agent binary run as "-P birdctl", so sandboxed
 * exactly as in production) driven by the real parent/ports/bird.c and
 * parent/ports/apply.c in this process's libevent loop, against a real BIRD 2
 * that this program starts in the network namespace run.sh made.  Only
 * moenet-agent.c's glue (the globals, the HELLO/LOG dispatcher) is
 * redone here, in a few lines.
 *
 * Environment: BC_NS (namespace), BC_DIR (scratch directory with
 * bird.conf and peers/), AGENT (the moenet-agent binary).
 * "apply_test -c" is the victim of the crash test: it applies with a
 * short configure timeout and SIGKILLs itself once BIRD took it.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "parent/ports/bird.h"
#include "parent/ports/apply.h"
#include "child.h"
#include "regress.h"

struct moenet_conf	*conf;

struct done {
	int			 done;
	struct apply_result	 res;
};

struct answers {
	int			 n;
	int			 failed[8];
	uint32_t		 reason[8];
	int			 ok[8];
	char			 version[BIRD_VERSION_LEN];
	uint32_t		 state;
};

static pid_t		 bird_pid = -1;
static const char	*ns, *dir, *agent;
static char		 peers[256], sock[256], birdconf[256];
static char		 emptydir[256];

static void	start_birdctl(void);
static int	is_connected(void *);
static int	is_disconnected(void *);
static int	attempts_reached(void *);
static int	all_answered(void *);
static pid_t	bird_start(void);
static void	bird_stop(int);
static int	birdc_line(const char *, const char *, char *, size_t);
static int	apply_wait(struct done *, int);
static void	apply_done(const struct apply_result *, void *);
static void	answer_cb(const struct bird_answer *, void *);
static int	put(const char *, const char *);
static int	file_is(const char *, const char *);
static int	file_absent(const char *);
static int	check_sent(void *);
static int	all_done(void *);
static int	commit_one(const char *, const char *, const char *,
		    struct done *);
static void	coalesce_tests(void);
static void	crash_observer(const struct bird_answer *, void *);
static int	crash_main(void);
static void	cleanup(void);
static void	foreign_tests(void);

/* As the agent does: the apply pipeline first, then BIRD. */
static void
bird_start_all(void)
{
	apply_init();
	bird_init();
}

static void
start_birdctl(void)
{
	struct child_harness	 ch = {
		.proc = PROC_BIRDCTL,
		.on_hello = bird_start_all,
		.dispatch = parent_dispatch_birdctl
	};

	ch.agent = agent;
	ch.emptydir = emptydir;
	ch.verbose = getenv("BC_VERBOSE") != NULL ? 2 : 0;
	ch.seccomp_log = getenv("BC_SECCOMP_LOG") != NULL;
	child_start(&ch);
}

static int
is_connected(void *arg)
{
	return bird_state()->connected;
}

static int
is_disconnected(void *arg)
{
	return !bird_state()->connected;
}

static int
attempts_reached(void *arg)
{
	return bird_state()->attempts >= *(uint64_t *)arg;
}

static pid_t
bird_start(void)
{
	char	 out[512];
	pid_t	 pid;
	int	 i;

	switch (pid = fork()) {
	case -1:
		fatal("fork");
	case 0:
		execlp("ip", "ip", "netns", "exec", ns, "bird", "-f", "-c",
		    birdconf, "-s", sock, (char *)NULL);
		_exit(127);
	}
	/* Bounded: up to 10 s for the control socket to answer. */
	for (i = 0; i < 100; i++) {
		if (birdc_line("show status", "Daemon is up", out,
		    sizeof(out)) == 1)
			return pid;
		usleep(100 * 1000);
	}
	fatalx("bird did not start");
}

static void
bird_stop(int sig)
{
	int	 status, i;

	if (bird_pid == -1)
		return;
	kill(bird_pid, sig);
	for (i = 0; i < 100; i++) {
		if (waitpid(bird_pid, &status, WNOHANG) == bird_pid)
			break;
		usleep(100 * 1000);
	}
	if (i == 100) {
		kill(bird_pid, SIGKILL);
		waitpid(bird_pid, &status, 0);
	}
	bird_pid = -1;
}

/*
 * birdc's own view: 1 when a line of "birdc <cmd>" starts with what
 * (leading blanks ignored), copied to line; 0 when none does; -1 when
 * birdc fails.
 */
static int
birdc_line(const char *cmd, const char *what, char *line, size_t len)
{
	char	 buf[1024];
	FILE	*fp;
	int	 found = 0;

	snprintf(buf, sizeof(buf), "birdc -s '%s' %s 2>&1", sock, cmd);
	if ((fp = popen(buf, "r")) == NULL)
		return -1;
	while (fgets(buf, sizeof(buf), fp) != NULL)
		if (!found && strncmp(buf + strspn(buf, " \t"), what,
		    strlen(what)) == 0) {
			found = 1;
			strlcpy(line, buf, len);
		}
	if (pclose(fp) != 0)
		return -1;
	return found;
}

static void
apply_done(const struct apply_result *res, void *arg)
{
	struct done	*d = arg;

	d->res = *res;
	d->done = 1;
}

static int
apply_wait(struct done *d, int secs)
{
	return child_run_until(child_is_set, &d->done, secs);
}

static void
answer_cb(const struct bird_answer *a, void *arg)
{
	struct answers	*an = arg;

	if (an->n < 8) {
		an->failed[an->n] = a->failed;
		an->reason[an->n] = a->fail_reason;
		an->ok[an->n] = bird_answer_ok(a);
		if (a->status != NULL) {
			strlcpy(an->version, a->status->version,
			    sizeof(an->version));
			an->state = a->status->state;
		}
	}
	an->n++;
}

static int
all_answered(void *arg)
{
	struct answers	*an = arg;

	return an->n >= 3;
}

static int
put(const char *name, const char *text)
{
	return apply_put(peers, name, text, strlen(text));
}

static int
file_is(const char *name, const char *text)
{
	char	 path[PATH_MAX], buf[8192];
	ssize_t	 n;
	int	 fd;

	snprintf(path, sizeof(path), "%s/%s", peers, name);
	if ((fd = open(path, O_RDONLY)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n == (ssize_t)strlen(text) && memcmp(buf, text, n) == 0;
}

static int
file_absent(const char *name)
{
	char	 path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", peers, name);
	return access(path, F_OK) == -1 && errno == ENOENT;
}

/* Files the pipeline writes carry the agent's first line (birdfiles.c). */
#define HDR	"# moenet-agent: test\n"
#define P1	HDR "protocol static bc_p1 {\n\tipv6;\n" \
		"\troute fd00:1::/48 unreachable;\n}\n"
#define P1B	HDR "protocol static bc_p1 {\n\tipv6;\n" \
		"\troute fd00:11::/48 unreachable;\n}\n"
#define P1BAD	HDR "protocol static bc_p1 {\n" \
		"\tipv6 { import filter no_such_filter; };\n" \
		"\troute fd00:12::/48 unreachable;\n}\n"
#define P2	HDR "protocol static bc_p2 {\n\tipv6;\n" \
		"\troute fd00:2::/48 unreachable;\n}\n"
#define P3	HDR "protocol static bc_p3 {\n\tipv6;\n" \
		"\troute fd00:3::/48 unreachable;\n}\n"
#define P4	HDR "protocol static bc_p4 {\n\tipv6;\n" \
		"\troute fd00:4::/48 unreachable;\n}\n"
#define P5	HDR "protocol static bc_p5 {\n\tipv6;\n" \
		"\troute fd00:5::/48 unreachable;\n}\n"
#define P6	HDR "protocol static bc_p6 {\n\tipv6;\n" \
		"\troute fd00:6::/48 unreachable;\n}\n"
#define P6B	HDR "protocol static bc_p6 {\n\tipv6;\n" \
		"\troute fd00:66::/48 unreachable;\n}\n"
#define P7	HDR "protocol static bc_p7 {\n\tipv6;\n" \
		"\troute fd00:7::/48 unreachable;\n}\n"
#define P8	HDR "protocol static bc_p8 {\n\tipv6;\n" \
		"\troute fd00:8::/48 unreachable;\n}\n"
#define P8BAD	HDR "protocol static bc_p8 {\n" \
		"\tipv6 { import filter no_such_filter; };\n" \
		"\troute fd00:8::/48 unreachable;\n}\n"

/*
 * A file the agent did not write (no first line of ours, not recorded)
 * is neither replaced nor removed; the set that asks fails and names it.
 */
#define OPFILE	"protocol static bc_op {\n\tipv6;\n" \
		"\troute fd00:99::/48 unreachable;\n}\n"
static void
foreign_tests(void)
{
	struct done	 d;
	const char	*e[] = { "bc_p1" };
	char		 path[PATH_MAX];
	int		 fd;

	snprintf(path, sizeof(path), "%s/op.conf", peers);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1 ||
	    write(fd, OPFILE, strlen(OPFILE)) != (ssize_t)strlen(OPFILE)) {
		REGRESS_FAIL("bc_foreign_setup", "%s: %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return;
	}
	close(fd);
	memset(&d, 0, sizeof(d));
	if (apply_begin() == -1 || put("op.conf", P1) == -1 ||
	    apply_commit(e, 1, apply_done, &d) == -1 || !apply_wait(&d, 40))
		REGRESS_FAIL("bc_foreign_not_replaced", "no answer");
	else
		REGRESS_CHECK("bc_foreign_not_replaced",
		    d.res.status == APPLY_ERR_FILE &&
		    apply_result_names(&d.res, "op.conf") &&
		    strstr(d.res.error, "not written by this agent") != NULL &&
		    file_is("op.conf", OPFILE));
	memset(&d, 0, sizeof(d));
	if (apply_begin() == -1 || apply_remove(peers, "op.conf") == -1 ||
	    apply_commit(NULL, 0, apply_done, &d) == -1 || !apply_wait(&d, 40))
		REGRESS_FAIL("bc_foreign_not_removed", "no answer");
	else
		REGRESS_CHECK("bc_foreign_not_removed",
		    d.res.status == APPLY_ERR_FILE &&
		    file_is("op.conf", OPFILE));
	unlink(path);
}

static void
cleanup(void)
{
	child_stop();
	bird_stop(SIGTERM);
}

/* Counters of commands sent since the snapshot. */
static uint64_t	 snap[BIRD_CMD_MAX + 1], snap_total;

static void
snapshot(void)
{
	memcpy(snap, bird_state()->cmds_by_type, sizeof(snap));
	snap_total = bird_state()->cmds_sent;
}

static uint64_t
sent(enum bird_cmd_type t)
{
	return bird_state()->cmds_by_type[t] - snap[t];
}

static uint64_t
sent_total(void)
{
	return bird_state()->cmds_sent - snap_total;
}

static int
check_sent(void *arg)
{
	return sent(BIRD_CMD_CONFIGURE_CHECK) > 0;
}

static int
all_done(void *arg)
{
	struct done	*d = arg;
	size_t		 i;

	for (i = 0; i < 3; i++)
		if (!d[i].done)
			return 0;
	return 1;
}

/* One change set of one file, committed. */
static int
commit_one(const char *name, const char *text, const char *proto,
    struct done *d)
{
	const char	*expect[1];

	expect[0] = proto;
	memset(d, 0, sizeof(*d));
	if (apply_begin() == -1)
		return -1;
	if ((text != NULL ? put(name, text) :
	    apply_remove(peers, name)) == -1) {
		apply_abort();
		return -1;
	}
	return apply_commit(expect, proto != NULL ? 1 : 0, apply_done, d);
}

/* Changes of different callers become one reconfiguration. */
static void
coalesce_tests(void)
{
	struct done	 d[3];
	char		 line[1024];

	/* Committed in the same turn: one transaction. */
	snapshot();
	d[2].done = 1;
	if (commit_one("p6.conf", P6, "bc_p6", &d[0]) == -1 ||
	    commit_one("p7.conf", P7, "bc_p7", &d[1]) == -1 ||
	    !child_run_until(all_done, d, 40))
		REGRESS_FAIL("bc_coalesce_same_turn", "no result");
	else
		REGRESS_CHECK("bc_coalesce_same_turn",
		    d[0].res.status == APPLY_OK &&
		    d[1].res.status == APPLY_OK &&
		    sent(BIRD_CMD_CONFIGURE_CHECK) == 1 &&
		    sent(BIRD_CMD_CONFIGURE_TIMEOUT) == 1 &&
		    sent(BIRD_CMD_CONFIGURE_CONFIRM) == 1);
	REGRESS_CHECK("bc_coalesce_same_turn_birdc",
	    birdc_line("show protocols", "bc_p6", line, sizeof(line)) == 1 &&
	    birdc_line("show protocols", "bc_p7", line, sizeof(line)) == 1);

	/* Two committed while one runs: they go together after it. */
	snapshot();
	if (commit_one("p6.conf", P6B, "bc_p6", &d[0]) == -1 ||
	    !child_run_until(check_sent, NULL, 20) ||
	    commit_one("p7.conf", NULL, NULL, &d[1]) == -1 ||
	    commit_one("p8.conf", P8, "bc_p8", &d[2]) == -1 ||
	    !child_run_until(all_done, d, 60))
		REGRESS_FAIL("bc_coalesce_queued", "no result");
	else
		REGRESS_CHECK("bc_coalesce_queued",
		    d[0].res.status == APPLY_OK &&
		    d[1].res.status == APPLY_OK &&
		    d[2].res.status == APPLY_OK &&
		    sent(BIRD_CMD_CONFIGURE_TIMEOUT) == 2 &&
		    d[1].res.nchanged == 2);
	REGRESS_CHECK("bc_coalesce_queued_birdc",
	    birdc_line("show route protocol bc_p6", "fd00:66::/48", line,
	    sizeof(line)) == 1 &&
	    birdc_line("show protocols", "bc_p7", line, sizeof(line)) == 0 &&
	    birdc_line("show protocols", "bc_p8", line, sizeof(line)) == 1 &&
	    file_absent("p7.conf"));

	/* BIRD refuses one part: it alone fails, the other is applied. */
	snapshot();
	d[2].done = 1;
	if (commit_one("p6.conf", P6, "bc_p6", &d[0]) == -1 ||
	    commit_one("p8.conf", P8BAD, "bc_p8", &d[1]) == -1 ||
	    !child_run_until(all_done, d, 60))
		REGRESS_FAIL("bc_coalesce_culprit", "no result");
	else if (d[1].res.status != APPLY_ERR_CHECK ||
	    strstr(d[1].res.error, "p8.conf") == NULL ||
	    d[0].res.status != APPLY_OK)
		REGRESS_FAIL("bc_coalesce_culprit", "bad part: %s: %s; good "
		    "part: %s: %s", apply_status_name(d[1].res.status),
		    d[1].res.error, apply_status_name(d[0].res.status),
		    d[0].res.error);
	else
		REGRESS_OK("bc_coalesce_culprit");
	REGRESS_CHECK("bc_coalesce_culprit_state",
	    file_is("p6.conf", P6) && file_is("p8.conf", P8) &&
	    birdc_line("show route protocol bc_p6", "fd00:6::/48", line,
	    sizeof(line)) == 1 &&
	    sent(BIRD_CMD_CONFIGURE_CHECK) == 2 &&
	    sent(BIRD_CMD_CONFIGURE_TIMEOUT) == 1);

	/* Back to what the later tests expect. */
	d[1].done = d[2].done = 1;
	if (apply_begin() == -1 || apply_remove(peers, "p6.conf") == -1 ||
	    apply_remove(peers, "p8.conf") == -1 ||
	    apply_commit(NULL, 0, apply_done, &d[0]) == -1 ||
	    !child_run_until(all_done, d, 40) || d[0].res.status != APPLY_OK)
		REGRESS_FAIL("bc_coalesce_cleanup", "%s",
		    apply_status_name(d[0].res.status));
}

static void
crash_observer(const struct bird_answer *a, void *arg)
{
	/* Dead between "configure timeout" and "configure confirm". */
	if (a->cmd == BIRD_CMD_CONFIGURE_TIMEOUT && bird_answer_ok(a))
		kill(getpid(), SIGKILL);
}

static int
crash_main(void)
{
	const char	*expect[] = { "bc_p5" };
	struct done	 d;

	start_birdctl();
	if (!child_run_until(is_connected, NULL, 15))
		return 2;
	apply_set_timeout(3);
	bird_set_observer(crash_observer, NULL);
	memset(&d, 0, sizeof(d));
	if (apply_begin() == -1 || put("p5.conf", P5) == -1 ||
	    apply_commit(expect, 1, apply_done, &d) == -1)
		return 3;
	apply_wait(&d, 30);
	/* Not reached when all goes to plan. */
	return 4;
}

int
main(int argc, char *argv[])
{
	const char	*e1[] = { "bc_p1" };
	const char	*e2[] = { "bc_p1", "bc_p2" };
	const char	*e3[] = { "bc_p1", "bc_p2", "bc_p3", "bc_nosuch" };
	const char	*e4[] = { "bc_p4" };
	struct answers	 an;
	struct done	 d;
	struct timespec	 t1, t2;
	char		 line[1024], path[PATH_MAX], want[64];
	FILE		*fp;
	uint64_t	 a0, c0;
	pid_t		 pid;
	double		 gap;
	int		 status, i, fd, ok1, ok2;

	if ((ns = getenv("BC_NS")) == NULL || (dir = getenv("BC_DIR")) ==
	    NULL || (agent = getenv("AGENT")) == NULL) {
		REGRESS_SKIP("birdctl", "run through regress/birdctl/run.sh");
		return 0;
	}
	if (strlen(dir) > 200)
		fatalx("BC_DIR too long");
	log_init(1, LOG_DAEMON);
	log_procinit("parent");
	log_setverbose(getenv("BC_VERBOSE") != NULL ? 2 : 0);
	signal(SIGPIPE, SIG_IGN);
	snprintf(peers, sizeof(peers), "%s/peers", dir);
	snprintf(sock, sizeof(sock), "%s/bird.ctl", dir);
	snprintf(birdconf, sizeof(birdconf), "%s/bird.conf", dir);
	snprintf(emptydir, sizeof(emptydir), "%s/empty", dir);
	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		fatal("calloc");
	strlcpy(conf->bird_socket, sock, sizeof(conf->bird_socket));
	strlcpy(conf->bird_peer_dir, peers, sizeof(conf->bird_peer_dir));
	event_init();

	if (argc > 1 && strcmp(argv[1], "-c") == 0)
		return crash_main();

	atexit(cleanup);
	bird_pid = bird_start();

	/* Leftovers of an interrupted apply go at apply_init(); others stay. */
	snprintf(path, sizeof(path), "%s/.bc_old.conf.tmp", peers);
	if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) != -1)
		close(fd);
	snprintf(path, sizeof(path), "%s/keep.tmp", peers);
	if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) != -1)
		close(fd);
	/* Named like ours, but an operator's bytes: stays. */
	snprintf(path, sizeof(path), "%s/.op.conf.tmp", peers);
	if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) != -1) {
		if (write(fd, OPFILE, strlen(OPFILE)) == -1)
			REGRESS_FAIL("bc_tmp_foreign_kept", "write: %s",
			    strerror(errno));
		close(fd);
	}

	start_birdctl();
	REGRESS_CHECK("bc_connect", child_run_until(is_connected, NULL, 15));
	snprintf(path, sizeof(path), "%s/.bc_old.conf.tmp", peers);
	REGRESS_CHECK("bc_tmp_leftover_removed", access(path, F_OK) == -1);
	snprintf(path, sizeof(path), "%s/keep.tmp", peers);
	REGRESS_CHECK("bc_tmp_others_kept", access(path, F_OK) == 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/.op.conf.tmp", peers);
	REGRESS_CHECK("bc_tmp_foreign_kept", access(path, F_OK) == 0);
	unlink(path);

	/* The version from the banner is the installed bird's. */
	want[0] = '\0';
	if ((fp = popen("bird --version 2>&1", "r")) != NULL) {
		if (fgets(line, sizeof(line), fp) != NULL &&
		    strncmp(line, "BIRD version ", 13) == 0) {
			strlcpy(want, line + 13, sizeof(want));
			want[strcspn(want, "\n")] = '\0';
		}
		pclose(fp);
	}
	if (want[0] != '\0' && strcmp(bird_state()->version, want) == 0)
		REGRESS_OK("bc_version");
	else
		REGRESS_FAIL("bc_version", "banner said \"%s\", bird --version "
		    "\"%s\"", bird_state()->version, want);

	memset(&an, 0, sizeof(an));
	if (bird_show_status(answer_cb, &an) == -1)
		REGRESS_FAIL("bc_show_status", "bird_show_status: %s",
		    strerror(errno));
	else {
		child_run_until(child_is_set, &an.n, 10);
		REGRESS_CHECK("bc_show_status", an.n == 1 && an.ok[0] &&
		    strcmp(an.version, want) == 0 &&
		    an.state == BIRD_DAEMON_UP);
	}

	/* Add. */
	snapshot();
	memset(&d, 0, sizeof(d));
	if (apply_begin() == -1 || put("p1.conf", P1) == -1 ||
	    apply_commit(e1, 1, apply_done, &d) == -1)
		REGRESS_FAIL("bc_apply_add", "cannot start: %s",
		    strerror(errno));
	else if (!apply_wait(&d, 40) || d.res.status != APPLY_OK)
		REGRESS_FAIL("bc_apply_add", "%s: %s",
		    apply_status_name(d.res.status), d.res.error);
	else
		REGRESS_OK("bc_apply_add");
	REGRESS_CHECK("bc_apply_add_file", file_is("p1.conf", P1));
	REGRESS_CHECK("bc_apply_add_birdc",
	    birdc_line("show protocols", "bc_p1", line, sizeof(line)) == 1 &&
	    strstr(line, " up ") != NULL);
	REGRESS_CHECK("bc_apply_add_sequence",
	    sent(BIRD_CMD_CONFIGURE_CHECK) == 1 &&
	    sent(BIRD_CMD_CONFIGURE_TIMEOUT) == 1 &&
	    sent(BIRD_CMD_SHOW_STATUS) == 1 &&
	    sent(BIRD_CMD_SHOW_PROTOCOLS) == 1 &&
	    sent(BIRD_CMD_CONFIGURE_CONFIRM) == 1 && sent_total() == 5);

	/* Change one, add another: one reconfiguration. */
	snapshot();
	memset(&d, 0, sizeof(d));
	if (apply_begin() == -1 || put("p1.conf", P1B) == -1 ||
	    put("p2.conf", P2) == -1 ||
	    apply_commit(e2, 2, apply_done, &d) == -1 ||
	    !apply_wait(&d, 40) || d.res.status != APPLY_OK)
		REGRESS_FAIL("bc_apply_change", "%s: %s",
		    apply_status_name(d.res.status), d.res.error);
	else
		REGRESS_OK("bc_apply_change");
	REGRESS_CHECK("bc_apply_change_one_reconfig",
	    sent(BIRD_CMD_CONFIGURE_TIMEOUT) == 1 && d.res.nchanged == 2);
	REGRESS_CHECK("bc_apply_change_birdc",
	    birdc_line("show route protocol bc_p1", "fd00:11::/48", line,
	    sizeof(line)) == 1 &&
	    birdc_line("show protocols", "bc_p2", line, sizeof(line)) == 1);

	/* Unchanged: not one command. */
	snapshot();
	memset(&d, 0, sizeof(d));
	if (apply_begin() == -1 || put("p1.conf", P1B) == -1 ||
	    put("p2.conf", P2) == -1 || apply_remove(peers, "gone.conf") ||
	    apply_commit(e2, 2, apply_done, &d) == -1 || !apply_wait(&d, 10))
		REGRESS_FAIL("bc_apply_unchanged", "no result");
	else
		REGRESS_CHECK("bc_apply_unchanged",
		    d.res.status == APPLY_UNCHANGED && sent_total() == 0);

	/* Refused by BIRD: files back as they were, BIRD unchanged. */
	snapshot();
	memset(&d, 0, sizeof(d));
	if (apply_begin() == -1 || put("p1.conf", P1BAD) == -1 ||
	    put("p3.conf", P3) == -1 || apply_remove(peers, "p2.conf") ||
	    apply_commit(e2, 2, apply_done, &d) == -1 || !apply_wait(&d, 40))
		REGRESS_FAIL("bc_apply_reject", "no result");
	else
		REGRESS_CHECK("bc_apply_reject",
		    d.res.status == APPLY_ERR_CHECK && d.res.rolled_back &&
		    d.res.bird_reverted);
	snprintf(want, sizeof(want), "p1.conf:3:");
	if (strncmp(d.res.error, "configure check: 8002 ", 22) == 0 &&
	    strstr(d.res.error, peers) != NULL &&
	    strstr(d.res.error, want) != NULL && d.res.has_bird &&
	    d.res.bird.code == 8002 && d.res.bird.err_line == 3 &&
	    d.res.bird.err_col > 0)
		REGRESS_OK("bc_apply_reject_error_text");
	else
		REGRESS_FAIL("bc_apply_reject_error_text", "\"%s\"",
		    d.res.error);
	REGRESS_CHECK("bc_apply_reject_files_restored",
	    file_is("p1.conf", P1B) && file_is("p2.conf", P2) &&
	    file_absent("p3.conf"));
	REGRESS_CHECK("bc_apply_reject_no_configure",
	    sent(BIRD_CMD_CONFIGURE_TIMEOUT) == 0 &&
	    sent(BIRD_CMD_CONFIGURE_CONFIRM) == 0);
	REGRESS_CHECK("bc_apply_reject_bird_old_config",
	    birdc_line("show route protocol bc_p1", "fd00:11::/48", line,
	    sizeof(line)) == 1 &&
	    birdc_line("show protocols", "bc_p1", line, sizeof(line)) == 1 &&
	    strstr(line, " up ") != NULL &&
	    birdc_line("show protocols", "bc_p2", line, sizeof(line)) == 1 &&
	    birdc_line("show protocols", "bc_p3", line, sizeof(line)) == 0);

	/* Taken by BIRD, then verify fails: undo, files restored. */
	snapshot();
	memset(&d, 0, sizeof(d));
	if (apply_begin() == -1 || put("p3.conf", P3) == -1 ||
	    apply_commit(e3, 4, apply_done, &d) == -1 || !apply_wait(&d, 40))
		REGRESS_FAIL("bc_apply_verify_fail", "no result");
	else
		REGRESS_CHECK("bc_apply_verify_fail",
		    d.res.status == APPLY_ERR_VERIFY &&
		    strstr(d.res.error, "bc_nosuch") != NULL &&
		    d.res.rolled_back && d.res.bird_reverted);
	REGRESS_CHECK("bc_apply_verify_undo_sent",
	    sent(BIRD_CMD_CONFIGURE_TIMEOUT) == 1 &&
	    sent(BIRD_CMD_CONFIGURE_UNDO) == 1 &&
	    sent(BIRD_CMD_CONFIGURE_CONFIRM) == 0);
	REGRESS_CHECK("bc_apply_verify_undone",
	    file_absent("p3.conf") &&
	    birdc_line("show protocols", "bc_p3", line, sizeof(line)) == 0 &&
	    birdc_line("show protocols", "bc_p2", line, sizeof(line)) == 1);

	/* Remove. */
	memset(&d, 0, sizeof(d));
	if (apply_begin() == -1 || apply_remove(peers, "p2.conf") == -1 ||
	    apply_commit(e1, 1, apply_done, &d) == -1 ||
	    !apply_wait(&d, 40) || d.res.status != APPLY_OK)
		REGRESS_FAIL("bc_apply_remove", "%s: %s",
		    apply_status_name(d.res.status), d.res.error);
	else
		REGRESS_CHECK("bc_apply_remove", file_absent("p2.conf") &&
		    birdc_line("show protocols", "bc_p2", line,
		    sizeof(line)) == 0);

	coalesce_tests();
	foreign_tests();

	/* Names that are not plain ".conf" names never get in. */
	if (apply_begin() == 0) {
		REGRESS_CHECK("bc_apply_bad_names",
		    put("../x.conf", P1) == -1 && put("x.txt", P1) == -1 &&
		    put(".x.conf", P1) == -1 && put("a b.conf", P1) == -1 &&
		    put("x/y.conf", P1) == -1 && put(".conf", P1) == -1 &&
		    apply_put("relative", "x.conf", "", 0) == -1 &&
		    apply_begin() == -1);
		apply_abort();
	}

	/* Several commands at once, BIRD frozen: all fail, reconnect. */
	kill(bird_pid, SIGSTOP);
	memset(&an, 0, sizeof(an));
	for (i = 0; i < 3; i++)
		bird_show_status(answer_cb, &an);
	child_run_until(all_answered, &an, 20);
	REGRESS_CHECK("bc_cmd_timeout_fails_all", an.n == 3 &&
	    an.failed[0] && an.reason[0] == BIRD_FAIL_TIMEOUT &&
	    an.failed[1] && an.reason[1] == BIRD_FAIL_LOST &&
	    an.failed[2] && an.reason[2] == BIRD_FAIL_LOST);
	kill(bird_pid, SIGCONT);
	REGRESS_CHECK("bc_cmd_timeout_reconnect",
	    child_run_until(is_connected, NULL, 20));

	/* BIRD killed: nothing is written, reconnect with backoff. */
	c0 = bird_state()->connects;
	bird_stop(SIGKILL);
	REGRESS_CHECK("bc_bird_killed_noticed",
	    child_run_until(is_disconnected, NULL, 10));
	memset(&d, 0, sizeof(d));
	if (apply_begin() == -1 || put("p4.conf", P4) == -1 ||
	    apply_commit(e4, 1, apply_done, &d) == -1 || !apply_wait(&d, 10))
		REGRESS_FAIL("bc_apply_not_connected", "no result");
	else
		REGRESS_CHECK("bc_apply_not_connected",
		    d.res.status == APPLY_ERR_NOT_CONNECTED &&
		    strcmp(d.res.error, "bird not connected") == 0 &&
		    file_absent("p4.conf"));
	errno = 0;
	REGRESS_CHECK("bc_cmd_not_connected",
	    bird_show_status(answer_cb, &an) == -1 && errno == ENOTCONN);

	/* Two failed attempts in a row: the second gap is the doubled one. */
	a0 = bird_state()->attempts + 1;
	ok1 = child_run_until(attempts_reached, &a0, 10);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	a0++;
	ok2 = child_run_until(attempts_reached, &a0, 15);
	clock_gettime(CLOCK_MONOTONIC, &t2);
	gap = (t2.tv_sec - t1.tv_sec) + (t2.tv_nsec - t1.tv_nsec) / 1e9;
	if (ok1 && ok2 && gap >= 1.8 && bird_state()->backoff >= 4 &&
	    !bird_state()->connected && bird_state()->last_error[0] != '\0')
		REGRESS_OK("bc_reconnect_backoff");
	else
		REGRESS_FAIL("bc_reconnect_backoff", "attempts %d %d, gap %.2f "
		    "s, next backoff %u s", ok1, ok2, gap,
		    bird_state()->backoff);

	bird_pid = bird_start();
	REGRESS_CHECK("bc_reconnect", child_run_until(is_connected, NULL, 40) &&
	    bird_state()->connects == c0 + 1);

	memset(&d, 0, sizeof(d));
	if (apply_begin() == -1 || put("p4.conf", P4) == -1 ||
	    apply_commit(e4, 1, apply_done, &d) == -1 ||
	    !apply_wait(&d, 40) || d.res.status != APPLY_OK)
		REGRESS_FAIL("bc_apply_after_reconnect", "%s: %s",
		    apply_status_name(d.res.status), d.res.error);
	else
		REGRESS_OK("bc_apply_after_reconnect");

	/* The agent dies between configure timeout and confirm. */
	switch (pid = fork()) {
	case -1:
		fatal("fork");
	case 0:
		execl("/proc/self/exe", "apply_test", "-c", (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 300; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(100 * 1000);
	}
	if (i == 300) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		status = -1;
	}
	REGRESS_CHECK("bc_crash_killed", status != -1 && WIFSIGNALED(status) &&
	    WTERMSIG(status) == SIGKILL);
	REGRESS_CHECK("bc_crash_applied",
	    birdc_line("show protocols", "bc_p5", line, sizeof(line)) == 1);
	for (i = 0; i < 150; i++) {
		if (birdc_line("show protocols", "bc_p5", line,
		    sizeof(line)) == 0)
			break;
		usleep(100 * 1000);
	}
	REGRESS_CHECK("bc_crash_bird_undid", i < 150 &&
	    birdc_line("show protocols", "bc_p4", line, sizeof(line)) == 1);
	REGRESS_CHECK("bc_crash_file_left", file_is("p5.conf", P5));

	/* The file BIRD undid is still ours to remove: back to clean. */
	memset(&d, 0, sizeof(d));
	if (apply_begin() == -1 || apply_remove(peers, "p5.conf") == -1 ||
	    apply_commit(e4, 1, apply_done, &d) == -1 ||
	    !apply_wait(&d, 40) || d.res.status != APPLY_OK)
		REGRESS_FAIL("bc_crash_cleanup", "%s: %s",
		    apply_status_name(d.res.status), d.res.error);
	else
		REGRESS_OK("bc_crash_cleanup");

	REGRESS_EXIT();
}
