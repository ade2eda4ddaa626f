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
 * The privileged parent: reads the configuration, starts the three
 * sandboxed children, and shares their fate.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "memtrim.h"
#include "imsgev.h"
#include "proc.h"
#include "sandbox.h"
#include "parent/core/config.h"
#include "parent/outputs/confcheck.h"
#include "parent/core/parent.h"
#include "parent/core/reap.h"
#include "parent/core/reload.h"
#include "parent/core/route.h"
#include "parent/core/status.h"
#include "parent/outputs/control.h"
#include "parent/outputs/moenetctl.h"
#include "parent/outputs/sdnotify.h"
#include "parent/ports/cpclient.h"
#include "parent/ports/apply.h"
#include "parent/ports/bird.h"
#include "parent/ports/birdfiles.h"
#include "parent/tasks/bootstrap.h"
#include "parent/tasks/disabled.h"
#include "parent/tasks/engine.h"
#include "parent/tasks/maint.h"
#include "parent/tasks/state.h"
#include "parent/tasks/policy.h"
#include "parent/tasks/probe.h"
#include "parent/tasks/rtt.h"
#include "parent/ports/wg.h"
#include "parent/outputs/httpapi.h"
#include "parent/core/conffile.h"
#include "parent/ports/tools.h"
#include "parent/ports/firewall.h"
#include "parent/core/statefile.h"
#include "parent/core/store.h"
#include "parent/core/degraded.h"

#define CHILD_START_TIMEOUT	10	/* seconds until every HELLO */
#define CHILD_PING_INTERVAL	STATUS_PING_INTERVAL
#define CHILD_EXIT_WAIT_MS	2000

static const char	*conffile;
static char		 conffile_buf[PATH_MAX];
static struct sandbox_ids sbids;
static struct event	 ev_drain;
static int		 draining, drain_waited;

#define SHUTDOWN_GRACE_MS	10000
static char		 empty_root[256], fetcher_root[256];
static int		 debug, verbose;
static struct event	 ev_start_timeout, ev_ping;

static __dead void	usage(void);
static __dead void	parent_shutdown(int);
static void		parent_sig(int, short, void *);
static void		parent_reap(void);
static void		parent_dispatch_child(int, short, void *);
static __dead void	parent_lost_child(enum moenet_proc, const char *);
static void		parent_drain(int, short, void *);
static void		parent_start_timeout(int, short, void *);
static void		parent_ping(int, short, void *);
static int		parent_child_opts(struct child_opts *);
static int		conf_log_pri(const struct moenet_conf *);
static void		parent_node_ready(void);
static void		child_status_text(int, char *, size_t);
static int		wait_child(pid_t, int *, int);
static int		parent_reload_conf(char *, size_t);

static __dead void
usage(void)
{
	fprintf(stderr, "usage: moenet-agent [-dnvV] [-f file]\n");
	exit(1);
}

/* "uid:gid" as the parent passes it; never root. */
static int
parse_ids(const char *s, uid_t *uid, gid_t *gid)
{
	char		 buf[32], *colon;
	const char	*errstr;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf) ||
	    (colon = strchr(buf, ':')) == NULL)
		return -1;
	*colon++ = '\0';
	*uid = strtonum(buf, 1, UINT32_MAX - 1, &errstr);
	if (errstr != NULL)
		return -1;
	*gid = strtonum(colon, 1, UINT32_MAX - 1, &errstr);
	return errstr != NULL ? -1 : 0;
}

static int
parse_child_args(int argc, char *argv[], struct child_opts *o)
{
	int	 ch;

	optind = 1;
	while ((ch = getopt(argc, argv, "C:dJKL:P:SU:v")) != -1) {
		switch (ch) {
		case 'C':
			if (strlcpy(o->chroot, optarg, sizeof(o->chroot)) >=
			    sizeof(o->chroot))
				return -1;
			break;
		case 'd':
			o->debug = 1;
			break;
		case 'J':
			o->json_log = 1;
			break;
		case 'K':
			o->journal = 1;
			break;
		case 'L':
			if (strlcpy(o->ports, optarg, sizeof(o->ports)) >=
			    sizeof(o->ports))
				return -1;
			break;
		case 'P':
			break;
		case 'S':
			o->seccomp_log = 1;
			break;
		case 'U':
			if (parse_ids(optarg, &o->uid, &o->gid) == -1)
				return -1;
			break;
		case 'v':
			o->verbose++;
			break;
		default:
			return -1;
		}
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct child_opts	 copts;
	struct event		 ev_sigint, ev_sigterm, ev_sighup, ev_sigchld;
	struct timeval		 tv;
	char			 err[1024], note[PATH_MAX + 64];
	const char		*child = NULL;
	int			 ch, noaction = 0, foreground = 0, exefd;
	int			 sp[2], p;

	/* moenetctl is this binary under another name. */
	if (strcmp(getprogname(), "moenetctl") == 0)
		ctl_main(argc, argv);

	setproctitle_init(argc, argv, environ);

	/* A child re-executed by the parent: hidden -P comes first. */
	if (argc > 2 && strcmp(argv[1], "-P") == 0) {
		child = argv[2];
		memset(&copts, 0, sizeof(copts));
		if (parse_child_args(argc, argv, &copts) == -1)
			errx(1, "bad child arguments");
		switch (proc_from_name(child)) {
		case PROC_FETCHER:
			fetcher_main(&copts);
		case PROC_BIRDCTL:
			birdctl_main(&copts);
		case PROC_WGCTL:
			wgctl_main(&copts);
		default:
			errx(1, "unknown process %s", child);
		}
	}

	while ((ch = getopt(argc, argv, "c:df:nvV")) != -1) {
		switch (ch) {
		case 'c':
		case 'f':
			conffile = optarg;
			break;
		case 'd':
			debug = 1;
			break;
		case 'n':
			noaction = 1;
			break;
		case 'v':
			verbose++;
			break;
		case 'V':
			printf("moenet-agent %s\n", MOENET_VERSION);
			exit(0);
		default:
			usage();
		}
	}
	argc -= optind;
	if (argc > 0)
		usage();

	log_init(1, LOG_DAEMON);
	log_procinit(proc_names[PROC_PARENT]);
	log_setverbose(verbose);

	note[0] = '\0';
	if (conffile == NULL) {
		conffile = conffile_find(conffile_buf, sizeof(conffile_buf),
		    note, sizeof(note));
		if (noaction)
			fprintf(stderr, "notice: reading %s\n", conffile);
	}
	/* Every problem of the file and of what a start needs, then exit. */
	if (noaction) {
		if (note[0] != '\0')
			fprintf(stderr, "notice: %s\n", note);
		exit(confcheck_main(conffile, verbose));
	}
	if ((conf = config_load(conffile, err, sizeof(err))) == NULL) {
		fprintf(stderr, "moenet-agent: %s\n", err);
		exit(1);
	}

	if (geteuid() != 0)
		errx(1, "need root privileges");
	if (sandbox_ids(&sbids) == -1)
		errx(1, "no user %s and no free uid/gid in %u-%u for the "
		    "sandboxed children", MOENET_USER, SANDBOX_DYN_ID_MIN,
		    SANDBOX_DYN_ID_MAX);
	/* Under a service manager unless asked otherwise: stay in front. */
	if (!debug && (getenv("INVOCATION_ID") != NULL ||
	    getenv("NOTIFY_SOCKET") != NULL))
		foreground = 1;

	if (conf->log_format == LOG_FORMAT_JSON)
		log_setformat(LOG_FORMAT_JSON);
	if (conf->log_level == 3 && verbose == 0)
		verbose = 1;
	log_setverbose(verbose);
	log_setlevel(conf_log_pri(conf));
	statefile_notify(degraded_statefile);
	if (parent_child_opts(&copts) == -1)
		fatalx("cannot prepare the sandbox root");

	status_init();
	sdnotify_init();
	if (control_init() == -1)
		exit(1);

	if (!debug && !foreground && daemon(0, 0) == -1)
		fatal("daemon");
	/* A service's stderr is the journal: lines there keep their order. */
	log_init(debug || (foreground && getenv("JOURNAL_STREAM") != NULL),
	    LOG_DAEMON);
	log_info("configuration %s", conffile);
	if (note[0] != '\0')
		log_info("%s", note);
	if (!sbids.named)
		log_info("no user %s: the children run as uid %u, gid %u, "
		    "which no account names", MOENET_USER,
		    (unsigned int)sbids.uid, (unsigned int)sbids.gid);

	exefd = proc_exe_open();
	for (p = PROC_FETCHER; p < PROC_MAX; p++) {
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
		    sp) == -1)
			fatal("socketpair");
		copts.ports[0] = '\0';
		strlcpy(copts.chroot, p == PROC_FETCHER ? fetcher_root :
		    empty_root, sizeof(copts.chroot));
		if (p == PROC_FETCHER) {
			config_cp_ports(conf, copts.ports,
			    sizeof(copts.ports));
			/* The bot's tcping connects to any TCP port. */
			strlcat(copts.ports, ",any", sizeof(copts.ports));
		}
		children[p].pid = start_child(p, exefd, sp[1], &copts);
		children[p].iev.ibuf.fd = sp[0];
	}
	setproctitle("[priv]");

	memtrim_init();
	event_init();
	parent_on_reload(parent_reload_conf);
	cp_routes();
	bird_routes();
	wg_routes();
	tools_routes();
	rtt_routes();
	probe_init();
	httpapi_routes();
	firewall_routes();
	signal_set(&ev_sigint, SIGINT, parent_sig, NULL);
	signal_set(&ev_sigterm, SIGTERM, parent_sig, NULL);
	signal_set(&ev_sighup, SIGHUP, parent_sig, NULL);
	signal_set(&ev_sigchld, SIGCHLD, parent_sig, NULL);
	signal_add(&ev_sigint, NULL);
	signal_add(&ev_sigterm, NULL);
	signal_add(&ev_sighup, NULL);
	signal_add(&ev_sigchld, NULL);
	signal(SIGPIPE, SIG_IGN);
	control_listen();
	sdnotify_start();

	for (p = PROC_FETCHER; p < PROC_MAX; p++) {
		imsgev_init(&children[p].iev, children[p].iev.ibuf.fd,
		    proc_names[p], parent_dispatch_child, &children[p]);
		/* The fetcher gets the HTTP API's listening sockets. */
		if (p == PROC_BIRDCTL || p == PROC_WGCTL ||
		    p == PROC_FETCHER)
			imsgbuf_allow_fdpass(&children[p].iev.ibuf);
	}

	evtimer_set(&ev_start_timeout, parent_start_timeout, NULL);
	tv.tv_sec = CHILD_START_TIMEOUT;
	tv.tv_usec = 0;
	evtimer_add(&ev_start_timeout, &tv);
	evtimer_set(&ev_ping, parent_ping, NULL);

	log_info("moenet-agent %s starting, node %s, %s mode",
	    MOENET_VERSION, conf->node_name,
	    conf->mode == CONF_MODE_BOOTSTRAP ? "bootstrap" : "full");
	event_dispatch();
	parent_shutdown(1);
}

/* Options every child gets, and the empty directory it chroots to. */
/*
 * The node configuration is known: in bootstrap mode it names BIRD's
 * socket and directories, so BIRD is reached only now.
 */
static void
parent_node_ready(void)
{
	if (conf->mode == CONF_MODE_BOOTSTRAP) {
		apply_init();
		bird_init();
	}
	/* What the tasks remember, read before any of them starts. */
	store_open();
	birdfiles_init();
	state_init();
	maint_init();
	disabled_init();
	engine_start();
	tasks_start();
}

/* log.level: error, warn, info (notices too), debug. */
static int
conf_log_pri(const struct moenet_conf *c)
{
	if (c->log_level == 0)
		return LOG_ERR;
	return c->log_level == 1 ? LOG_WARNING : LOG_DEBUG;
}

static int
parent_child_opts(struct child_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->debug = debug;
	o->verbose = verbose;
	o->json_log = conf->log_format == LOG_FORMAT_JSON;
	o->journal = log_journal_stderr();
	o->seccomp_log = conf->sandbox_mode == SANDBOX_MODE_LOG;
	o->uid = sbids.uid;
	o->gid = sbids.gid;
	if (mkdir(conf->state_dir, 0700) == -1 && errno != EEXIST) {
		log_warn("mkdir %s", conf->state_dir);
		return -1;
	}
	if ((size_t)snprintf(empty_root, sizeof(empty_root), "%s/empty",
	    conf->state_dir) >= sizeof(empty_root) ||
	    (size_t)snprintf(fetcher_root, sizeof(fetcher_root), "%s/fetcher",
	    conf->state_dir) >= sizeof(fetcher_root)) {
		log_warnx("state directory path too long");
		return -1;
	}
	if (sandbox_prepare_root(empty_root) == -1)
		return -1;
	return sandbox_prepare_fetcher_root(fetcher_root);
}

static void
parent_sig(int sig, short event, void *arg)
{
	char	 err[1024];

	switch (sig) {
	case SIGINT:
	case SIGTERM:
		if (draining) {
			log_info("second signal: shutting down now");
			parent_shutdown(0);
		}
		log_info("received %s, shutting down; tunnels and BGP "
		    "sessions stay up", sig == SIGINT ? "SIGINT" : "SIGTERM");
		draining = 1;
		engine_stop();
		evtimer_set(&ev_drain, parent_drain, NULL);
		parent_drain(0, 0, NULL);
		break;
	case SIGHUP:
		parent_reload_conf(err, sizeof(err));
		break;
	case SIGCHLD:
		parent_reap();
		break;
	}
}

/*
 * SIGHUP and moenetctl reload: the file is read and checked whole,
 * then the running modules are told (core/reload.c).  -1 with err
 * filled if not taken; 0 with err naming the keys that wait for a
 * restart ("" if none).
 */
static int
parent_reload_conf(char *err, size_t errlen)
{
	struct moenet_conf	*nconf;

	log_info("reloading configuration from %s", conffile);
	sdnotify_reloading();
	if ((nconf = config_load(conffile, err, errlen)) == NULL ||
	    reload_conf(nconf, err, errlen) == -1) {
		log_warnx("config file has errors, not reloading: %s", err);
		sdnotify_reloaded();
		return -1;
	}
	log_setformat(conf->log_format == LOG_FORMAT_JSON ?
	    LOG_FORMAT_JSON : LOG_FORMAT_TEXT);
	log_setlevel(conf_log_pri(conf));
	if (err[0] != '\0')
		log_warnx("configuration reloaded; at restart: %s", err);
	else
		log_info("configuration reloaded");
	sdnotify_reloaded();
	status_changed();
	return 0;
}

static void
child_status_text(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d",
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)%s",
		    WTERMSIG(status), strsignal(WTERMSIG(status)),
		    WTERMSIG(status) == SIGSYS ? ", a sandbox violation" : "");
	else
		snprintf(buf, len, "stopped");
}

/* Bounded wait for one child; 1 when it was reaped. */
static int
wait_child(pid_t pid, int *status, int ms)
{
	struct timespec	 ts = { 0, 10 * 1000 * 1000 };
	pid_t		 r;
	int		 waited;

	for (waited = 0; waited <= ms; waited += 10) {
		r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 1;
		if (r == -1 && errno != EINTR)
			return 0;
		nanosleep(&ts, NULL);
	}
	return 0;
}

/*
 * An orderly stop lets the change under way (a sync, a BIRD apply)
 * finish, for a bounded time, and writes the state before exiting.
 */
static void
parent_drain(int fd, short event, void *arg)
{
	struct timeval	 tv = { 0, 100 * 1000 };

	if (!engine_busy() || drain_waited >= SHUTDOWN_GRACE_MS) {
		if (engine_busy())
			log_warnx("stopping with a change unfinished after "
			    "%d s; the next start completes it",
			    SHUTDOWN_GRACE_MS / 1000);
		/* A state not saved is a failed stop: say so by the status. */
		if (engine_status()->started && store_save() == -1) {
			log_warnx("the final state write failed: exit status "
			    "1");
			parent_shutdown(1);
		}
		if (degraded_is(DEGRADED_STATE_WRITE)) {
			log_warnx("a state file was left unwritten: exit "
			    "status 1");
			parent_shutdown(1);
		}
		parent_shutdown(0);
	}
	drain_waited += 100;
	evtimer_add(&ev_drain, &tv);
}

static void
parent_reap(void)
{
	char	 why[128];
	pid_t	 pid;
	int	 status, p;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (reap_exited(pid, status))
			continue;
		for (p = PROC_FETCHER; p < PROC_MAX; p++) {
			if (children[p].pid != pid)
				continue;
			children[p].pid = 0;
			child_status_text(status, why, sizeof(why));
			parent_lost_child(p, why);
		}
	}
}

static __dead void
parent_lost_child(enum moenet_proc p, const char *why)
{
	log_warnx("lost child %s: %s", proc_names[p], why);
	parent_shutdown(1);
}

static void
parent_start_timeout(int fd, short event, void *arg)
{
	int	 p;

	for (p = PROC_FETCHER; p < PROC_MAX; p++)
		if (!children[p].hello)
			log_warnx("child %s did not start within %d seconds",
			    proc_names[p], CHILD_START_TIMEOUT);
	parent_shutdown(1);
}

static void
parent_ping(int fd, short event, void *arg)
{
	struct timeval	 tv = { CHILD_PING_INTERVAL, 0 };
	int		 p;

	for (p = PROC_FETCHER; p < PROC_MAX; p++) {
		children[p].ping_seq++;
		parent_imsg_compose(p, IMSG_PING, 0, -1,
		    &children[p].ping_seq, sizeof(children[p].ping_seq));
	}
	evtimer_add(&ev_ping, &tv);
}

static void
parent_dispatch_child(int fd, short event, void *arg)
{
	struct child		*c = arg;
	struct imsgev		*iev = &c->iev;
	enum moenet_proc	 p = c - children;
	struct hello_msg	 hello;
	struct log_msg		 lm;
	struct imsg		 imsg;
	char			 why[128];
	ssize_t			 n;
	uint32_t		 seq;
	int			 status, all, q;

	if (imsgev_io(iev, event) == -1) {
		/* Prefer the exit status to "pipe closed". */
		if (c->pid != 0 && wait_child(c->pid, &status,
		    CHILD_EXIT_WAIT_MS)) {
			c->pid = 0;
			child_status_text(status, why, sizeof(why));
		} else
			strlcpy(why, "closed its pipe", sizeof(why));
		parent_lost_child(p, why);
	}

	for (;;) {
		if ((n = imsg_get(&iev->ibuf, &imsg)) == -1) {
			log_warn("%s: broken imsg from %s", __func__,
			    proc_names[p]);
			parent_shutdown(1);
		}
		if (n == 0)
			break;
		switch (imsg_get_type(&imsg)) {
		case IMSG_HELLO:
			if (imsg_get_data(&imsg, &hello, sizeof(hello)) == -1)
				fatalx("%s: HELLO from %s: wrong length",
				    __func__, proc_names[p]);
			if (hello.version != IMSG_VERSION ||
			    hello.proc != (uint32_t)p || c->hello)
				fatalx("%s: bad HELLO from %s (version %u, "
				    "proc %u)", __func__, proc_names[p],
				    hello.version, hello.proc);
			c->hello = 1;
			c->last_pong = time(NULL);
			log_debug("child %s ready, pid %d", proc_names[p],
			    (int)hello.pid);
			for (all = 1, q = PROC_FETCHER; q < PROC_MAX; q++)
				all &= children[q].hello;
			if (all) {
				evtimer_del(&ev_start_timeout);
				log_info("all children started");
				sdnotify_ready();
				parent_ping(0, 0, NULL);
				cp_init();
				if (conf->mode != CONF_MODE_BOOTSTRAP) {
					apply_init();
					bird_init();
				}
				wg_init();
				/* Bootstrap mode waits for the node config. */
				bootstrap_start(parent_node_ready);
				httpapi_init();
				tools_conf();
				status_changed();
			}
			break;
		case IMSG_PONG:
			if (imsg_get_data(&imsg, &seq, sizeof(seq)) == -1)
				fatalx("%s: PONG from %s: wrong length",
				    __func__, proc_names[p]);
			if (seq == c->ping_seq)
				c->last_pong = time(NULL);
			break;
		case IMSG_LOG:
			if (imsg_get_data(&imsg, &lm, sizeof(lm)) == -1)
				fatalx("%s: LOG from %s: wrong length",
				    __func__, proc_names[p]);
			lm.line[sizeof(lm.line) - 1] = '\0';
			log_emit(lm.pri, lm.line);
			break;
		default:
			/* Everything else goes to the module that owns it. */
			if (!c->hello)
				fatalx("%s: %s from %s before HELLO", __func__,
				    imsg_type_name(imsg_get_type(&imsg)),
				    proc_names[p]);
			route_dispatch(p, &imsg);
			break;
		}
		imsg_free(&imsg);
	}
	imsg_event_add(iev);
}

/*
 * Closing the pipes makes every child exit; the router keeps its
 * tunnels and BIRD keeps its sessions.
 */
static __dead void
parent_shutdown(int code)
{
	int	 p, status;

	sdnotify_stopping();
	control_shutdown();
	signal(SIGCHLD, SIG_DFL);
	for (p = PROC_FETCHER; p < PROC_MAX; p++) {
		if (children[p].iev.ibuf.rbuf != NULL) {
			event_del(&children[p].iev.ev);
			imsgbuf_clear(&children[p].iev.ibuf);
		}
		if (children[p].iev.ibuf.fd > 0)
			close(children[p].iev.ibuf.fd);
	}
	for (p = PROC_FETCHER; p < PROC_MAX; p++) {
		if (children[p].pid == 0)
			continue;
		if (!wait_child(children[p].pid, &status,
		    CHILD_EXIT_WAIT_MS)) {
			kill(children[p].pid, SIGKILL);
			wait_child(children[p].pid, &status,
			    CHILD_EXIT_WAIT_MS);
		}
	}
	config_free(conf);
	log_info("terminating");
	exit(code);
}
