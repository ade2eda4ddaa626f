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
#include <sys/stat.h>
#include <sys/tree.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "imsgev.h"
#include "parent/core/config.h"
#include "parent/core/parent.h"
#include "parent/core/pending.h"
#include "parent/core/status.h"
#include "parent/core/session.h"
#include "parent/outputs/control.h"
#include "parent/core/session_find.h"
#include "parent/outputs/ctl_show.h"
#include "parent/ports/tools.h"
#include "parent/tasks/engine.h"
#include "parent/tasks/maint.h"
#include "parent/tasks/metrics.h"
#include "parent/ports/apply.h"
#include "parent/ports/bird.h"
#include "parent/ports/wg.h"
#include "parent/tasks/botapi.h"
#include "parent/tasks/probe.h"
#include "parent/ports/firewall.h"
#include "parent/tasks/guard.h"
#include "parent/core/degraded.h"
#include "parent/core/reload.h"
#include "parent/tasks/plan.h"
#include "parent/tasks/session_act.h"
#include "parent/tasks/syncwait.h"
#include "fetcher/target.h"

#define CTL_MAX_CONNS		32
#define CTL_MAX_CONNS_UID	8
#define CTL_IDLE_TIMEOUT	60	/* seconds without a whole request */
#define CTL_ACCEPT_PAUSE	1	/* seconds, when out of fds */
/* Messages queued to a client: one full listing, plus some slack. */
#define CTL_MAX_QUEUE		(CP_SESSIONS_MAX * 5 + 64)
#define CTL_NGROUPS		256

_Static_assert(SESSION_STATE_MAX < CTL_STATES, "CTL_STATES too small");
_Static_assert(PROC_MAX - 1 == CTL_PROCS, "CTL_PROCS is not the children");
_Static_assert(sizeof(struct ctl_session_msg) + IMSG_HEADER_SIZE <=
    CTL_MAXIMSG, "ctl_session_msg too large");
_Static_assert(sizeof(struct ctl_status_msg) + IMSG_HEADER_SIZE <=
    CTL_MAXIMSG, "ctl_status_msg too large");
_Static_assert(sizeof(struct ctl_bird_msg) + IMSG_HEADER_SIZE <=
    CTL_MAXIMSG, "ctl_bird_msg too large");
_Static_assert(sizeof(struct ctl_status_ext_msg) + IMSG_HEADER_SIZE <=
    CTL_MAXIMSG, "ctl_status_ext_msg too large");
_Static_assert(sizeof(struct ctl_proto_msg) + IMSG_HEADER_SIZE <=
    CTL_MAXIMSG, "ctl_proto_msg too large");
_Static_assert(APPLY_NSTATUS <= CTL_APPLY, "CTL_APPLY too small");
/* show wg's two records travel under one type: never the same size. */
_Static_assert(sizeof(struct ctl_wg_msg) != sizeof(struct ctl_tunnel_msg),
    "ctl_wg_msg and ctl_tunnel_msg must differ in size");

struct ctl_listener {
	struct event	 ev;
	struct event	 ev_pause;
	char		 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int		 fd;
	int		 restricted;	/* show commands only */
};

struct ctl_conn {
	TAILQ_ENTRY(ctl_conn)	 entry;
	struct imsgev		 iev;
	struct event		 ev_idle;
	uid_t			 uid;
	pid_t			 pid;
	int			 restricted;
	int			 closing;	/* flush, then close */
	struct pending		 maint_w;	/* a maintenance switch */
	struct pending		 show_w;	/* BIRD's protocols */
	struct pending		 bot_w;		/* a bot operation */
	struct pending		 diag_w;	/* a tool's run */
	struct pending		 act_w;		/* restart, disable, plan */
	struct pending		 sync_w;	/* sync -w */
	int			 show_all;
	char			 show_arg[CTL_ARG_LEN];
};

static TAILQ_HEAD(, ctl_conn)	 ctl_conns = TAILQ_HEAD_INITIALIZER(ctl_conns);
/* Connections waiting for an answer; the answer may find them gone. */
static struct pending_set	 ctl_waits =
    PENDING_SET_INITIALIZER(ctl_waits, "control", 0, NULL);
static struct ctl_listener	 listeners[2] = { { .fd = -1 }, { .fd = -1 } };
static gid_t			 ctl_gid;
static unsigned int		 ctl_nconns;

static int	control_open(struct ctl_listener *, const char *, mode_t,
		    int);
static int	control_check(const char *);
static void	control_accept(int, short, void *);
static void	control_resume(int, short, void *);
static void	control_reject(int, enum ctl_res, const char *);
static int	control_peer_allowed(const struct ucred *);
static int	control_proc_groups(pid_t, gid_t);
static int	control_db_groups(uid_t, gid_t);
static unsigned int control_conns_of(uid_t);
static void	control_dispatch(int, short, void *);
static void	control_idle(int, short, void *);
static void	control_event_add(struct ctl_conn *);
static void	control_close(struct ctl_conn *);
static void	control_request(struct ctl_conn *, struct imsg *);
static void	control_result(struct ctl_conn *, enum ctl_res, const char *,
		    ...) __attribute__((__format__ (printf, 3, 4)));
static int	control_denied(struct ctl_conn *);
static int	control_unstarted(struct ctl_conn *);
static void	control_compose(struct ctl_conn *, uint32_t, const void *,
		    size_t);
static void	control_show_status(struct ctl_conn *);
static void	control_show_sessions(struct ctl_conn *, const char *,
		    const struct bird_answer *);
static void	control_show_one(struct ctl_conn *, const struct session *,
		    const struct ctl_protos *, time_t);
static void	control_show_fresh(struct ctl_conn *, const char *);
static void	control_show_refreshed(const struct bird_answer *, void *);
static void	control_show_bird(struct ctl_conn *);
static void	control_show_wg(struct ctl_conn *);
static void	control_show_firewall(struct ctl_conn *);
static void	control_log_verbose(struct ctl_conn *, int);
static void	control_reload(struct ctl_conn *);
static void	control_maintenance(struct ctl_conn *, const char *);
static void	control_confirm(struct ctl_conn *);
static void	control_degraded(char *, size_t);
static void	control_maintenance_done(const char *, void *);
static void	control_bot(struct ctl_conn *, uint32_t, const char *);
static void	control_bot_done(int, const char *, void *);
static void	control_probe_done(const struct probe_result *, void *);
static void	control_diag(struct ctl_conn *, uint32_t, const char *);
static void	control_diag_done(int, const char *, size_t, void *);
static void	control_act(struct ctl_conn *, uint32_t, const char *);
static void	control_act_done(int, const char *, void *);
static void	control_sync_wait(struct ctl_conn *);
static void	control_sync_event(int, size_t, size_t, const struct plan *,
		    void *);
static void	control_send_plan(struct ctl_conn *, const struct plan *);
static void	control_plan(struct ctl_conn *);
static void	control_plan_done(const struct plan *, void *);
static void	control_reload_keys(struct ctl_conn *);

/*
 * Binds the sockets; called as root before daemon(), so a second agent
 * fails with a message on the terminal.
 */
int
control_init(void)
{
	struct group	*gr;
	struct passwd	*pw;

	if ((gr = getgrnam(MOENET_USER)) != NULL)
		ctl_gid = gr->gr_gid;
	else if ((pw = getpwnam(MOENET_USER)) != NULL)
		ctl_gid = pw->pw_gid;
	else {
		/* A node set up by the control plane's script has neither. */
		ctl_gid = 0;
		log_info("control: no group %s: %s is for root only",
		    MOENET_USER, conf->ctl_socket);
	}
	if (control_open(&listeners[0], conf->ctl_socket, 0660, 0) == -1)
		return -1;
	if (conf->ctl_socket_ro[0] != '\0' &&
	    control_open(&listeners[1], conf->ctl_socket_ro, 0666, 1) == -1) {
		control_shutdown();
		return -1;
	}
	return 0;
}

static int
control_open(struct ctl_listener *l, const char *path, mode_t mode,
    int restricted)
{
	struct sockaddr_un	 sun;
	mode_t			 old;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		log_warnx("control socket %s: path too long", path);
		return -1;
	}
	if (control_check(path) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1) {
		log_warn("control socket %s", path);
		return -1;
	}
	/* No window in which the socket is wider open than it will be. */
	old = umask(S_IXUSR | S_IXGRP | S_IRWXO);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		log_warn("control socket %s: bind", path);
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	if (chown(path, 0, ctl_gid) == -1 || chmod(path, mode) == -1 ||
	    listen(fd, CTL_MAX_CONNS) == -1) {
		log_warn("control socket %s", path);
		unlink(path);
		close(fd);
		return -1;
	}
	strlcpy(l->path, path, sizeof(l->path));
	l->fd = fd;
	l->restricted = restricted;
	return 0;
}

/*
 * -1 when something answers on path (an agent runs) or path is not a
 * socket; a socket nobody listens on is left over and removed.
 */
static int
control_check(const char *path)
{
	struct sockaddr_un	 sun;
	struct stat		 st;
	int			 fd, r;

	if (lstat(path, &st) == -1) {
		if (errno == ENOENT)
			return 0;
		log_warn("control socket %s", path);
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		log_warnx("control socket %s: exists and is not a socket",
		    path);
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		log_warn("%s: socket", __func__);
		return -1;
	}
	r = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	if (r == 0) {
		log_warnx("control socket %s: an agent is already running",
		    path);
		return -1;
	}
	if (errno != ECONNREFUSED) {
		log_warn("control socket %s", path);
		return -1;
	}
	log_info("removing stale control socket %s", path);
	if (unlink(path) == -1) {
		log_warn("control socket %s: unlink", path);
		return -1;
	}
	return 0;
}

void
control_listen(void)
{
	struct ctl_listener	*l;
	size_t			 i;

	for (i = 0; i < sizeof(listeners) / sizeof(listeners[0]); i++) {
		l = &listeners[i];
		if (l->fd == -1)
			continue;
		event_set(&l->ev, l->fd, EV_READ | EV_PERSIST,
		    control_accept, l);
		event_add(&l->ev, NULL);
		evtimer_set(&l->ev_pause, control_resume, l);
	}
}

void
control_shutdown(void)
{
	struct ctl_conn	*c;
	size_t		 i;

	while ((c = TAILQ_FIRST(&ctl_conns)) != NULL)
		control_close(c);
	for (i = 0; i < sizeof(listeners) / sizeof(listeners[0]); i++) {
		if (listeners[i].fd == -1)
			continue;
		if (event_initialized(&listeners[i].ev)) {
			event_del(&listeners[i].ev);
			evtimer_del(&listeners[i].ev_pause);
		}
		close(listeners[i].fd);
		unlink(listeners[i].path);
		listeners[i].fd = -1;
	}
}

static void
control_accept(int lfd, short event, void *arg)
{
	struct ctl_listener	*l = arg;
	struct ctl_conn		*c;
	struct ucred		 cred;
	struct timeval		 tv = { CTL_ACCEPT_PAUSE, 0 };
	socklen_t		 len = sizeof(cred);
	int			 fd;

	if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) ==
	    -1) {
		if (errno == ENFILE || errno == EMFILE) {
			/* Level-triggered: without a pause this would spin. */
			event_del(&l->ev);
			evtimer_add(&l->ev_pause, &tv);
		} else if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("%s: accept", __func__);
		return;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
		log_warn("%s: SO_PEERCRED", __func__);
		close(fd);
		return;
	}
	if (!l->restricted && !control_peer_allowed(&cred)) {
		log_warnx("control: uid %u (pid %d) is neither root nor in "
		    "group %s, refused", (unsigned int)cred.uid, (int)cred.pid,
		    MOENET_USER);
		control_reject(fd, CTL_RES_DENIED, "permission denied");
		return;
	}
	if (ctl_nconns >= CTL_MAX_CONNS ||
	    control_conns_of(cred.uid) >= CTL_MAX_CONNS_UID) {
		log_warnx("control: too many connections, uid %u refused",
		    (unsigned int)cred.uid);
		control_reject(fd, CTL_RES_LIMIT, "too many connections");
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("%s", __func__);
		close(fd);
		return;
	}
	c->uid = cred.uid;
	c->pid = cred.pid;
	c->restricted = l->restricted;
	if (imsgbuf_init(&c->iev.ibuf, fd) == -1 ||
	    imsgbuf_set_maxsize(&c->iev.ibuf, CTL_MAXIMSG) == -1) {
		log_warn("%s", __func__);
		imsgbuf_clear(&c->iev.ibuf);
		free(c);
		close(fd);
		return;
	}
	c->iev.handler = control_dispatch;
	c->iev.data = c;
	c->iev.name = "control";
	evtimer_set(&c->ev_idle, control_idle, c);
	TAILQ_INSERT_TAIL(&ctl_conns, c, entry);
	ctl_nconns++;
	control_event_add(c);
}

static void
control_resume(int fd, short event, void *arg)
{
	struct ctl_listener	*l = arg;

	event_add(&l->ev, NULL);
}

/* One reply, best effort, for a connection that is never taken on. */
static void
control_reject(int fd, enum ctl_res code, const char *text)
{
	struct ctl_result_msg	 res;
	struct imsgbuf		 ibuf;

	memset(&res, 0, sizeof(res));
	res.code = code;
	strlcpy(res.text, text, sizeof(res.text));
	if (imsgbuf_init(&ibuf, fd) == 0 &&
	    imsg_compose(&ibuf, IMSG_CTL_RESULT, IMSG_VERSION, 0, -1, &res,
	    sizeof(res)) != -1)
		imsgbuf_write(&ibuf);
	imsgbuf_clear(&ibuf);
	close(fd);
}

static int
control_peer_allowed(const struct ucred *cr)
{
	if (cr->uid == 0 || cr->gid == ctl_gid)
		return 1;
	/*
	 * The groups the process holds, as the kernel checked them at
	 * connect(); the group database only where /proc cannot tell
	 * (another pid namespace, hidepid).
	 */
	switch (control_proc_groups(cr->pid, ctl_gid)) {
	case 1:
		return 1;
	case 0:
		return 0;
	}
	return control_db_groups(cr->uid, ctl_gid);
}

/* 1 if pid holds gid as a supplementary group, 0 if not, -1: unknown. */
static int
control_proc_groups(pid_t pid, gid_t gid)
{
	FILE		*f;
	char		 path[64], line[4096], *p, *tok;
	const char	*errstr;
	long long	 g;
	int		 found = -1;

	if (pid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "Groups:", 7) != 0)
			continue;
		found = 0;
		p = line + 7;
		while ((tok = strsep(&p, " \t\n")) != NULL) {
			if (*tok == '\0')
				continue;
			g = strtonum(tok, 0, UINT32_MAX, &errstr);
			if (errstr == NULL && (gid_t)g == gid) {
				found = 1;
				break;
			}
		}
		break;
	}
	fclose(f);
	return found;
}

static int
control_db_groups(uid_t uid, gid_t gid)
{
	struct passwd	*pw;
	gid_t		 groups[CTL_NGROUPS];
	int		 i, n = CTL_NGROUPS;

	if ((pw = getpwuid(uid)) == NULL)
		return 0;
	if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) == -1)
		n = CTL_NGROUPS;
	for (i = 0; i < n; i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}

static unsigned int
control_conns_of(uid_t uid)
{
	struct ctl_conn	*c;
	unsigned int	 n = 0;

	TAILQ_FOREACH(c, &ctl_conns, entry)
		if (c->uid == uid)
			n++;
	return n;
}

static void
control_event_add(struct ctl_conn *c)
{
	struct timeval	 tv = { CTL_IDLE_TIMEOUT, 0 };
	short		 events = 0;

	if (!c->closing)
		events |= EV_READ;
	if (imsgbuf_queuelen(&c->iev.ibuf) > 0)
		events |= EV_WRITE;
	if (event_initialized(&c->iev.ev))
		event_del(&c->iev.ev);
	c->iev.events = events;
	event_set(&c->iev.ev, c->iev.ibuf.fd, events, c->iev.handler,
	    &c->iev);
	event_add(&c->iev.ev, NULL);
	evtimer_add(&c->ev_idle, &tv);
}

static void
control_close(struct ctl_conn *c)
{
	int	 fd = c->iev.ibuf.fd;

	if (event_initialized(&c->iev.ev))
		event_del(&c->iev.ev);
	evtimer_del(&c->ev_idle);
	imsgbuf_clear(&c->iev.ibuf);
	close(fd);
	TAILQ_REMOVE(&ctl_conns, c, entry);
	pending_del(&c->maint_w);
	pending_del(&c->show_w);
	pending_del(&c->bot_w);
	pending_del(&c->diag_w);
	pending_del(&c->act_w);
	if (pending_waiting(&c->sync_w))
		syncwait_cancel((void *)(uintptr_t)c->sync_w.id);
	pending_del(&c->sync_w);
	ctl_nconns--;
	free(c);
}

static void
control_idle(int fd, short event, void *arg)
{
	struct ctl_conn	*c = arg;
	struct timeval	 tv = { CTL_IDLE_TIMEOUT, 0 };

	/* sync -w waits as long as the sync runs. */
	if (pending_waiting(&c->sync_w)) {
		evtimer_add(&c->ev_idle, &tv);
		return;
	}
	log_debug("control: pid %d idle for %d seconds, closed", (int)c->pid,
	    CTL_IDLE_TIMEOUT);
	control_close(c);
}

static void
control_dispatch(int fd, short event, void *arg)
{
	struct imsgev	*iev = arg;
	struct ctl_conn	*c = iev->data;
	struct imsg	 imsg;
	ssize_t		 n;

	if (event & EV_WRITE) {
		if (imsgbuf_write(&iev->ibuf) == -1) {
			control_close(c);
			return;
		}
		if (c->closing && imsgbuf_queuelen(&iev->ibuf) == 0) {
			control_close(c);
			return;
		}
	}
	if ((event & EV_READ) && !c->closing) {
		if ((n = imsgbuf_read(&iev->ibuf)) <= 0) {
			control_close(c);
			return;
		}
		for (;;) {
			if ((n = imsg_get(&iev->ibuf, &imsg)) == -1) {
				log_warnx("control: pid %d sent a malformed "
				    "message", (int)c->pid);
				control_result(c, CTL_RES_BADMSG,
				    "malformed or oversize message");
				c->closing = 1;
				break;
			}
			if (n == 0)
				break;
			control_request(c, &imsg);
			imsg_free(&imsg);
			if (c->closing)
				break;
		}
	}
	if (c->closing && imsgbuf_queuelen(&iev->ibuf) == 0) {
		control_close(c);
		return;
	}
	if (imsgbuf_queuelen(&iev->ibuf) > CTL_MAX_QUEUE) {
		log_warnx("control: pid %d does not read its replies, "
		    "dropped", (int)c->pid);
		control_close(c);
		return;
	}
	control_event_add(c);
}

static void
control_request(struct ctl_conn *c, struct imsg *imsg)
{
	struct ctl_req_msg	 req;
	uint32_t		 type = imsg_get_type(imsg);

	if (imsg_get_id(imsg) != IMSG_VERSION) {
		control_result(c, CTL_RES_BADMSG, "protocol version %u, the "
		    "agent speaks %d", imsg_get_id(imsg), IMSG_VERSION);
		c->closing = 1;
		return;
	}
	switch (type) {
	case IMSG_CTL_SHOW_STATUS:
	case IMSG_CTL_SHOW_SESSIONS:
	case IMSG_CTL_SHOW_SESSION:
	case IMSG_CTL_SHOW_BIRD:
	case IMSG_CTL_SHOW_WG:
	case IMSG_CTL_SHOW_FIREWALL:
	case IMSG_CTL_RELOAD:
	case IMSG_CTL_LOG_VERBOSE:
	case IMSG_CTL_MAINTENANCE:
	case IMSG_CTL_SYNC:
	case IMSG_CTL_ROUTE:
	case IMSG_CTL_PATH:
	case IMSG_CTL_RESTART:
	case IMSG_CTL_PROBE:
	case IMSG_CTL_DIAG_PING:
	case IMSG_CTL_DIAG_TRACE:
	case IMSG_CTL_CONFIRM:
	case IMSG_CTL_DISABLE:
	case IMSG_CTL_ENABLE:
	case IMSG_CTL_SYNC_WAIT:
	case IMSG_CTL_SHOW_PLAN:
		break;
	default:
		control_result(c, CTL_RES_BADMSG, "unknown request %u", type);
		c->closing = 1;
		return;
	}
	if (imsg_get_data(imsg, &req, sizeof(req)) == -1) {
		control_result(c, CTL_RES_BADMSG, "%s: wrong length",
		    imsg_type_name(type));
		c->closing = 1;
		return;
	}
	req.arg[sizeof(req.arg) - 1] = '\0';

	if (pending_waiting(&c->show_w) || pending_waiting(&c->bot_w) ||
	    pending_waiting(&c->act_w) || pending_waiting(&c->sync_w)) {
		control_result(c, CTL_RES_FAILED, "one request at a time: the "
		    "last is still being answered");
		return;
	}
	switch (type) {
	case IMSG_CTL_SHOW_STATUS:
		control_show_status(c);
		break;
	case IMSG_CTL_SHOW_SESSIONS:
		control_show_fresh(c, NULL);
		break;
	case IMSG_CTL_SHOW_SESSION:
		control_show_fresh(c, req.arg);
		break;
	case IMSG_CTL_SHOW_BIRD:
		control_show_bird(c);
		break;
	case IMSG_CTL_SHOW_WG:
		control_show_wg(c);
		break;
	case IMSG_CTL_SHOW_FIREWALL:
		control_show_firewall(c);
		break;
	case IMSG_CTL_DIAG_PING:
	case IMSG_CTL_DIAG_TRACE:
		control_diag(c, type, req.arg);
		break;
	case IMSG_CTL_MAINTENANCE:
		if (!control_denied(c))
			control_maintenance(c, req.arg);
		break;
	case IMSG_CTL_SYNC:
		if (!control_denied(c) && !control_unstarted(c)) {
			/* Runs now, or right after the sync under way. */
			engine_sync_now();
			control_result(c, CTL_RES_OK, "session sync started");
		}
		break;
	case IMSG_CTL_ROUTE:
	case IMSG_CTL_PATH:
	case IMSG_CTL_PROBE:
		control_bot(c, type, req.arg);
		break;
	case IMSG_CTL_RESTART:
	case IMSG_CTL_DISABLE:
	case IMSG_CTL_ENABLE:
		control_act(c, type, req.arg);
		break;
	case IMSG_CTL_SYNC_WAIT:
		control_sync_wait(c);
		break;
	case IMSG_CTL_SHOW_PLAN:
		control_plan(c);
		break;
	case IMSG_CTL_CONFIRM:
		if (!control_denied(c))
			control_confirm(c);
		break;
	case IMSG_CTL_RELOAD:
	case IMSG_CTL_LOG_VERBOSE:
		if (control_denied(c))
			break;
		if (type == IMSG_CTL_RELOAD)
			control_reload(c);
		else if (req.verbose != 0 && req.verbose != 1)
			control_result(c, CTL_RES_BADMSG, "verbosity %d out "
			    "of range", req.verbose);
		else
			control_log_verbose(c, req.verbose);
		break;
	}
}

static void
control_compose(struct ctl_conn *c, uint32_t type, const void *data,
    size_t len)
{
	if (imsg_compose(&c->iev.ibuf, type, IMSG_VERSION, 0, -1, data,
	    len) == -1) {
		log_warn("%s: %s", __func__, imsg_type_name(type));
		c->closing = 1;
	}
}

static void
control_result(struct ctl_conn *c, enum ctl_res code, const char *fmt, ...)
{
	struct ctl_result_msg	 res;
	va_list			 ap;

	memset(&res, 0, sizeof(res));
	res.code = code;
	va_start(ap, fmt);
	vsnprintf(res.text, sizeof(res.text), fmt, ap);
	va_end(ap);
	control_compose(c, IMSG_CTL_RESULT, &res, sizeof(res));
}

/* A command that changes something, asked on the read-only socket. */
static int
control_denied(struct ctl_conn *c)
{
	if (!c->restricted)
		return 0;
	control_result(c, CTL_RES_DENIED, "not allowed on the read-only "
	    "socket");
	return 1;
}

/* A command that needs the session sync, before the node config. */
static int
control_unstarted(struct ctl_conn *c)
{
	if (engine_status()->started)
		return 0;
	control_result(c, CTL_RES_FAILED, "not started yet: waiting for the "
	    "node configuration");
	return 1;
}

/* The degraded conditions, "; " between them. */
static void
control_degraded(char *buf, size_t len)
{
	char	 why[DEGRADED_MAX][DEGRADED_LEN];
	int	 i, n;

	buf[0] = '\0';
	n = degraded_reasons(why, DEGRADED_MAX);
	for (i = 0; i < n; i++) {
		if (i > 0)
			strlcat(buf, "; ", len);
		strlcat(buf, why[i], len);
	}
}

/* moenetctl confirm removal: the guard's hold lifted, a sync now. */
static void
control_confirm(struct ctl_conn *c)
{
	char	 msg[CTL_TEXT_LEN];

	if (guard_confirm(msg, sizeof(msg)) == -1) {
		control_result(c, CTL_RES_FAILED, "%s", msg);
		return;
	}
	engine_sync_now();
	control_result(c, CTL_RES_OK, "%s", msg);
}

static void
control_show_status(struct ctl_conn *c)
{
	struct ctl_status_msg	 st;
	struct ctl_status_ext_msg ext;
	const struct engine_status *es = engine_status();
	struct status_snapshot	 snap;
	int			 i, p;

	memset(&st, 0, sizeof(st));
	strlcpy(st.version, MOENET_VERSION, sizeof(st.version));
	strlcpy(st.node_name, conf->node_name, sizeof(st.node_name));
	strlcpy(st.mode, conf->mode == CONF_MODE_BOOTSTRAP ? "bootstrap" :
	    "full", sizeof(st.mode));
	if (es->has_public_ipv4)
		inet_ntop(AF_INET, &es->public_ipv4, st.public_ipv4,
		    sizeof(st.public_ipv4));
	if (es->has_public_ipv6)
		inet_ntop(AF_INET6, &es->public_ipv6, st.public_ipv6,
		    sizeof(st.public_ipv6));
	for (i = 0; i <= SESSION_STATE_MAX; i++)
		strlcpy(st.state_names[i], session_state_name(i),
		    sizeof(st.state_names[i]));
	status_take(&snap);
	for (i = 0; i <= SESSION_STATE_MAX; i++)
		st.nstate[i] = snap.nstate[i];
	st.nsessions = snap.nsessions;
	for (p = PROC_FETCHER; p < PROC_MAX; p++) {
		i = p - PROC_FETCHER;
		strlcpy(st.procs[i].name, proc_names[p],
		    sizeof(st.procs[i].name));
		st.procs[i].pid = snap.children[p].pid;
		st.procs[i].ready = snap.children[p].ready;
		st.procs[i].pong_age = snap.children[p].pong_age;
	}
	st.pid = getpid();
	st.verbose = log_getverbose();
	st.maintenance = maint_get();
	st.maint_since = maint_since();
	st.uptime = snap.uptime;
	control_degraded(st.degraded, sizeof(st.degraded));
	control_compose(c, IMSG_CTL_SHOW_STATUS, &st, sizeof(st));
	ctl_status_ext_fill(&ext, time(NULL));
	control_compose(c, IMSG_CTL_STATUS_EXT, &ext, sizeof(ext));
	control_compose(c, IMSG_CTL_END, NULL, 0);
}

/* Sessions with BGP as BIRD has it now; as last seen if it cannot say. */
static void
control_show_fresh(struct ctl_conn *c, const char *arg)
{
	if (pending_add(&ctl_waits, &c->show_w, c) == -1 ||
	    metrics_refresh_bird(control_show_refreshed,
	    (void *)(uintptr_t)c->show_w.id) == -1) {
		pending_del(&c->show_w);
		control_show_sessions(c, arg, NULL);
		return;
	}
	c->show_all = arg == NULL;
	strlcpy(c->show_arg, arg != NULL ? arg : "", sizeof(c->show_arg));
}

static void
control_show_refreshed(const struct bird_answer *a, void *arg)
{
	struct ctl_conn	*c;
	uint32_t	 id = (uint32_t)(uintptr_t)arg;

	if ((c = pending_find(&ctl_waits, id)) == NULL)
		return;
	pending_del(&c->show_w);
	control_show_sessions(c, c->show_all ? NULL : c->show_arg, a);
	control_event_add(c);
}

/*
 * All sessions, or the one arg names (parent/core/session_find.c).
 * First what holds for all (BIRD reachable or not), then each with its
 * tunnel and the BIRD protocols of a: BIRD's answer just now, or NULL.
 */
static void
control_show_sessions(struct ctl_conn *c, const char *arg,
    const struct bird_answer *a)
{
	struct ctl_node_msg	 node;
	struct ctl_protos	*p;
	struct session		*s;
	char			 err[CTL_TEXT_LEN];
	time_t			 now = time(NULL);

	if (arg != NULL && session_lookup(arg, &s, err, sizeof(err)) < 0) {
		control_result(c, CTL_RES_NOSUCH, "%s", err);
		return;
	}
	ctl_node_fill(&node, a);
	control_compose(c, IMSG_CTL_NODE, &node, sizeof(node));
	p = ctl_protos_new(a);
	if (arg != NULL)
		control_show_one(c, s, p, now);
	else
		RB_FOREACH(s, session_tree, &sessions)
			control_show_one(c, s, p, now);
	ctl_protos_free(p);
	control_compose(c, IMSG_CTL_END, NULL, 0);
}

static void
control_show_one(struct ctl_conn *c, const struct session *s,
    const struct ctl_protos *p, time_t now)
{
	struct ctl_session_msg		 m;
	struct ctl_session_ext_msg	 ext;
	struct ctl_proto_msg		 pm[3];
	size_t				 i, n;

	ctl_session_fill(&m, s, now);
	n = ctl_session_protos(p, s, pm, 3, now);
	ctl_session_ext_fill(&ext, s, pm, n, now);
	control_compose(c, IMSG_CTL_SHOW_SESSION, &m, sizeof(m));
	control_compose(c, IMSG_CTL_SESSION_EXT, &ext, sizeof(ext));
	for (i = 0; i < n; i++)
		control_compose(c, IMSG_CTL_SESSION_PROTO, &pm[i],
		    sizeof(pm[i]));
}

static void
control_show_bird(struct ctl_conn *c)
{
	struct ctl_bird_msg	 m;
	const struct bird_state	*bs = bird_state();
	const uint64_t		*applies = apply_counters();
	time_t			 now = time(NULL);
	int			 i;

	memset(&m, 0, sizeof(m));
	strlcpy(m.version, bs->version, sizeof(m.version));
	strlcpy(m.last_error, bs->last_error, sizeof(m.last_error));
	for (i = 0; i < APPLY_NSTATUS; i++) {
		strlcpy(m.apply_names[i], apply_status_name(i),
		    sizeof(m.apply_names[i]));
		m.applies[i] = applies[i];
	}
	m.attempts = bs->attempts;
	m.connects = bs->connects;
	m.cmds_sent = bs->cmds_sent;
	m.auto_undos = bs->auto_undos;
	m.connected_age = !bs->connected || bs->connected_since == 0 ? -1 :
	    now < bs->connected_since ? 0 : now - bs->connected_since;
	m.last_error_age = bs->last_error_time == 0 ? -1 :
	    now < bs->last_error_time ? 0 : now - bs->last_error_time;
	m.maint_since = maint_since();
	m.enabled = bs->enabled;
	m.connected = bs->connected;
	m.connecting = bs->connecting;
	m.maintenance = maint_get();
	m.backoff = bs->backoff;
	control_compose(c, IMSG_CTL_SHOW_BIRD, &m, sizeof(m));
	control_compose(c, IMSG_CTL_END, NULL, 0);
}

/*
 * The tunnels of the applied sessions, named by the interface the agent
 * made.  Link, handshake and bytes are the metrics task's last look;
 * whether the interface exists is asked now.
 */
static void
control_show_wg(struct ctl_conn *c)
{
	struct ctl_wg_msg		 w;
	struct ctl_tunnel_msg		 t;
	const struct wg_counters	*wc = wg_get_counters();
	const struct session_observed	*o;
	struct session			*s;
	time_t				 now = time(NULL);

	memset(&w, 0, sizeof(w));
	strlcpy(w.backend, wg_backend_name(), sizeof(w.backend));
	w.applies = wc->applies;
	w.errors = wc->errors;
	w.rtnl_msgs = wc->rtnl_msgs;
	w.wg_sets = wc->wg_sets;
	w.userspace_started = wc->userspace_started;
	w.userspace_killed = wc->userspace_killed;
	RB_FOREACH(s, session_tree, &sessions)
		if (s->applied)
			w.ntunnels++;
	control_compose(c, IMSG_CTL_SHOW_WG, &w, sizeof(w));
	RB_FOREACH(s, session_tree, &sessions) {
		if (!s->applied)
			continue;
		o = &s->observed;
		memset(&t, 0, sizeof(t));
		strlcpy(t.ifname, s->ifname[0] != '\0' ? s->ifname :
		    s->desired.ifname, sizeof(t.ifname));
		strlcpy(t.uuid, s->desired.uuid, sizeof(t.uuid));
		strlcpy(t.name, s->desired.name, sizeof(t.name));
		t.handshake_age = o->wg_handshake == 0 ? -1 :
		    now < o->wg_handshake ? 0 : now - o->wg_handshake;
		t.rx_bytes = o->wg_rx;
		t.tx_bytes = o->wg_tx;
		t.present = t.ifname[0] != '\0' &&
		    if_nametoindex(t.ifname) != 0;
		t.link_up = t.present && o->link_up;
		control_compose(c, IMSG_CTL_SHOW_WG, &t, sizeof(t));
	}
	control_compose(c, IMSG_CTL_END, NULL, 0);
}

/* Text of any length, in chunks, then the end. */
static void
control_send_text(struct ctl_conn *c, const char *text)
{
	struct ctl_text_msg	 m;
	size_t			 len, off;

	len = strlen(text);
	for (off = 0; off < len; off += m.len) {
		memset(&m, 0, sizeof(m));
		m.len = len - off > sizeof(m.text) ? sizeof(m.text) :
		    len - off;
		memcpy(m.text, text + off, m.len);
		control_compose(c, IMSG_CTL_TEXT, &m, sizeof(m));
	}
	control_compose(c, IMSG_CTL_END, NULL, 0);
}

/* The ports kept open, as text (parent/firewall.c). */
static void
control_show_firewall(struct ctl_conn *c)
{
	char	*text;

	if ((text = firewall_text()) == NULL) {
		control_result(c, CTL_RES_FAILED, "%s", strerror(errno));
		return;
	}
	control_send_text(c, text);
	free(text);
}

static void
control_reload(struct ctl_conn *c)
{
	char	 err[CTL_TEXT_LEN];

	log_info("control: reload requested by uid %u", (unsigned int)c->uid);
	err[0] = '\0';
	if (parent_reload(err, sizeof(err)) == -1) {
		control_result(c, CTL_RES_FAILED, "%s", err);
		return;
	}
	control_reload_keys(c);
	if (err[0] != '\0')
		control_result(c, CTL_RES_OK, "configuration reloaded; at "
		    "restart: %s", err);
	else
		control_result(c, CTL_RES_OK, "configuration reloaded");
}

static void
control_log_verbose(struct ctl_conn *c, int verbose)
{
	int	 p;

	log_setverbose(verbose);
	for (p = PROC_FETCHER; p < PROC_MAX; p++)
		parent_imsg_compose(p, IMSG_LOG_VERBOSE, 0, -1, &verbose,
		    sizeof(verbose));
	log_info("control: log %s, set by uid %u",
	    verbose ? "verbose" : "brief", (unsigned int)c->uid);
	control_result(c, CTL_RES_OK, "logging %s",
	    verbose ? "verbose" : "brief");
}

/*
 * The answer waits for BIRD.  The connection may be gone by then: the
 * callback finds it by a number, never by a pointer.
 */
static void
control_maintenance(struct ctl_conn *c, const char *arg)
{
	char		 source[64];
	int		 on;

	if (strcmp(arg, "on") == 0)
		on = 1;
	else if (strcmp(arg, "off") == 0)
		on = 0;
	else {
		control_result(c, CTL_RES_BADMSG, "maintenance: \"on\" or "
		    "\"off\"");
		return;
	}
	if (pending_waiting(&c->maint_w)) {
		control_result(c, CTL_RES_FAILED, "a switch is under way");
		return;
	}
	snprintf(source, sizeof(source), "moenetctl (uid %u, pid %d)",
	    (unsigned int)c->uid, (int)c->pid);
	if (pending_add(&ctl_waits, &c->maint_w, c) == -1)
		fatal("%s", __func__);
	if (maint_set(on, source, control_maintenance_done,
	    (void *)(uintptr_t)c->maint_w.id) == -1) {
		pending_del(&c->maint_w);
		control_result(c, CTL_RES_FAILED, "maintenance: %s",
		    errno == EBUSY ? "another switch is under way" :
		    errno == ENOENT ? "bird.maintenanceFile is not set up" :
		    strerror(errno));
		return;
	}
}

static void
control_maintenance_done(const char *err, void *arg)
{
	struct ctl_conn	*c;
	uint32_t	 id = (uint32_t)(uintptr_t)arg;

	if ((c = pending_find(&ctl_waits, id)) == NULL)
		return;
	pending_del(&c->maint_w);
	if (err != NULL)
		control_result(c, CTL_RES_FAILED, "maintenance not switched: "
		    "%s", err);
	else
		control_result(c, CTL_RES_OK, "maintenance %s",
		    maint_get() ? "on" : "off");
	control_event_add(c);
}

/*
 * The bot's operations from moenetctl: route, path, probe.
 * The answer is text, sent in pieces, then END; a refusal is one
 * RESULT.  As for maintenance, the callback finds the connection by
 * its number, which may be gone by then.
 */
static void
control_bot(struct ctl_conn *c, uint32_t type, const char *arg)
{
	struct target	 t;
	const char	*errstr;
	char		 err[128];
	uint32_t	 asn;
	void		*id;

	if (pending_add(&ctl_waits, &c->bot_w, c) == -1)
		fatal("%s", __func__);
	id = (void *)(uintptr_t)c->bot_w.id;
	switch (type) {
	case IMSG_CTL_ROUTE:
	case IMSG_CTL_PATH:
		if (target_parse(arg, TARGET_ADDR | TARGET_PREFIX, &t, err,
		    sizeof(err)) == -1) {
			pending_del(&c->bot_w);
			control_result(c, CTL_RES_BADMSG, "target: %s", err);
			return;
		}
		botapi_lookup(type == IMSG_CTL_PATH, t.canon,
		    control_bot_done, id);
		break;
	case IMSG_CTL_PROBE:
		asn = strtonum(arg, 1, UINT32_MAX, &errstr);
		if (errstr != NULL) {
			pending_del(&c->bot_w);
			control_result(c, CTL_RES_BADMSG, "ASN %s", errstr);
			return;
		}
		if (probe_now(asn, control_probe_done, id) == -1) {
			pending_del(&c->bot_w);
			control_result(c, errno == ENOENT ? CTL_RES_NOSUCH :
			    CTL_RES_FAILED, "AS%u: %s", asn, errno == ENOENT ?
			    "no session with this ASN" : errno == EAGAIN ?
			    "too many probes at once" :
			    "the session has no address to probe");
			return;
		}
		break;
	}
}

static void
control_bot_done(int status, const char *text, void *arg)
{
	struct ctl_conn		*c;
	uint32_t		 id = (uint32_t)(uintptr_t)arg;

	if ((c = pending_find(&ctl_waits, id)) == NULL)
		return;
	pending_del(&c->bot_w);
	if (status >= 400)
		control_result(c, status == 404 ? CTL_RES_NOSUCH :
		    status == 400 ? CTL_RES_BADMSG : CTL_RES_FAILED, "%s",
		    text);
	else
		control_send_text(c, text);
	control_event_add(c);
}

/*
 * moenetctl ping|trace: the fetcher runs the tool and parses the target;
 * the text comes back in chunks.  The callback finds the connection by
 * a number: it may be gone by then.
 */
static void
control_diag(struct ctl_conn *c, uint32_t type, const char *arg)
{
	if (control_denied(c))
		return;
	if (pending_waiting(&c->diag_w)) {
		control_result(c, CTL_RES_FAILED, "one request at a time: the "
		    "last is still being answered");
		return;
	}
	if (pending_add(&ctl_waits, &c->diag_w, c) == -1)
		fatal("%s", __func__);
	if (tools_run(type == IMSG_CTL_DIAG_PING ? DIAG_PING : DIAG_TRACE,
	    arg, control_diag_done, (void *)(uintptr_t)c->diag_w.id) == -1) {
		pending_del(&c->diag_w);
		control_result(c, CTL_RES_FAILED, "%s", errno == EBUSY ?
		    "too many tool runs at once; try again" : strerror(errno));
		return;
	}
	log_info("control: %s %s by uid %u", type == IMSG_CTL_DIAG_PING ?
	    "ping" : "trace", arg, (unsigned int)c->uid);
}

static void
control_diag_done(int status, const char *text, size_t len, void *arg)
{
	struct ctl_conn	*c;
	uint32_t	 id = (uint32_t)(uintptr_t)arg;
	size_t		 off, n;

	if ((c = pending_find(&ctl_waits, id)) == NULL)
		return;
	pending_del(&c->diag_w);
	if (status != DIAG_OK)
		control_result(c, CTL_RES_FAILED, "%s", text);
	else {
		for (off = 0; off < len; off += n) {
			n = len - off > CTL_DIAG_CHUNK ? CTL_DIAG_CHUNK :
			    len - off;
			control_compose(c, IMSG_CTL_DIAG_TEXT, text + off, n);
		}
		control_compose(c, IMSG_CTL_END, NULL, 0);
	}
	control_event_add(c);
}

static void
control_probe_done(const struct probe_result *r, void *arg)
{
	char	 text[PROBE_TARGET_LEN + PROBE_ERROR_LEN + 64];

	if (r->success)
		snprintf(text, sizeof(text), "AS%u %s: %.2f ms, latency "
		    "tier %d\n", r->asn, r->target, r->rtt_ms, r->tier);
	else
		snprintf(text, sizeof(text), "AS%u %s: %s, latency tier %d\n",
		    r->asn, r->target, r->error, r->tier);
	control_bot_done(200, text, arg);
}

/*
 * moenetctl restart|disable|enable X: one owned session's BIRD
 * protocol.  As for the bot's operations, the callback finds the
 * connection by its number.
 */
static void
control_act(struct ctl_conn *c, uint32_t type, const char *arg)
{
	char	 who[64];

	if (control_denied(c))
		return;
	if (pending_add(&ctl_waits, &c->act_w, c) == -1)
		fatal("%s", __func__);
	snprintf(who, sizeof(who), "moenetctl (uid %u, pid %d)",
	    (unsigned int)c->uid, (int)c->pid);
	session_act(type == IMSG_CTL_RESTART ? SESSION_ACT_RESTART :
	    type == IMSG_CTL_DISABLE ? SESSION_ACT_DISABLE :
	    SESSION_ACT_ENABLE, arg, who, control_act_done,
	    (void *)(uintptr_t)c->act_w.id);
}

static void
control_act_done(int status, const char *text, void *arg)
{
	struct ctl_conn	*c;
	uint32_t	 id = (uint32_t)(uintptr_t)arg;

	if ((c = pending_find(&ctl_waits, id)) == NULL)
		return;
	pending_del(&c->act_w);
	control_result(c, status < 300 ? CTL_RES_OK : status == 404 ?
	    CTL_RES_NOSUCH : status == 400 ? CTL_RES_BADMSG : CTL_RES_FAILED,
	    "%s", text);
	control_event_add(c);
}

/* moenetctl sync -w: the next sync, its progress, then its outcome. */
static void
control_sync_wait(struct ctl_conn *c)
{
	if (control_denied(c))
		return;
	if (control_unstarted(c))
		return;
	if (pending_add(&ctl_waits, &c->sync_w, c) == -1)
		fatal("%s", __func__);
	if (syncwait_add(control_sync_event,
	    (void *)(uintptr_t)c->sync_w.id) == -1) {
		pending_del(&c->sync_w);
		control_result(c, CTL_RES_FAILED, "too many waiting for a "
		    "sync; try again");
		return;
	}
	engine_sync_now();
}

static void
control_sync_event(int done, size_t ndone, size_t ntotal,
    const struct plan *p, void *arg)
{
	struct ctl_progress_msg	 m;
	struct ctl_conn		*c;
	uint32_t		 id = (uint32_t)(uintptr_t)arg;

	if ((c = pending_find(&ctl_waits, id)) == NULL)
		return;
	if (!done) {
		memset(&m, 0, sizeof(m));
		m.done = ndone;
		m.total = ntotal;
		control_compose(c, IMSG_CTL_SYNC_PROGRESS, &m, sizeof(m));
	} else {
		pending_del(&c->sync_w);
		control_send_plan(c, p);
	}
	control_event_add(c);
}

/* The changes, then the end with the totals. */
static void
control_send_plan(struct ctl_conn *c, const struct plan *p)
{
	struct ctl_change_msg	 m;
	struct ctl_sync_msg	 e;
	size_t			 i;

	for (i = 0; i < p->n; i++) {
		memset(&m, 0, sizeof(m));
		strlcpy(m.kind, plan_kind_name(p->v[i].kind), sizeof(m.kind));
		strlcpy(m.uuid, p->v[i].uuid, sizeof(m.uuid));
		strlcpy(m.name, p->v[i].name, sizeof(m.name));
		strlcpy(m.ifname, p->v[i].ifname, sizeof(m.ifname));
		strlcpy(m.fields, p->v[i].fields, sizeof(m.fields));
		strlcpy(m.reason, p->v[i].reason, sizeof(m.reason));
		m.asn = p->v[i].asn;
		control_compose(c, IMSG_CTL_CHANGE, &m, sizeof(m));
	}
	memset(&e, 0, sizeof(e));
	strlcpy(e.error, p->error, sizeof(e.error));
	e.nlisted = p->nlisted;
	e.nchanges = p->n;
	e.nunchanged = p->nunchanged;
	e.duration_ms = p->duration_ms;
	control_compose(c, IMSG_CTL_SYNC_DONE, &e, sizeof(e));
}

/* moenetctl show plan: the list read now, nothing changed. */
static void
control_plan(struct ctl_conn *c)
{
	/* It asks the control plane, with the node's token. */
	if (control_denied(c))
		return;
	if (control_unstarted(c))
		return;
	if (pending_add(&ctl_waits, &c->act_w, c) == -1)
		fatal("%s", __func__);
	plan_show(control_plan_done, (void *)(uintptr_t)c->act_w.id);
}

static void
control_plan_done(const struct plan *p, void *arg)
{
	struct ctl_conn	*c;
	uint32_t	 id = (uint32_t)(uintptr_t)arg;

	if ((c = pending_find(&ctl_waits, id)) == NULL)
		return;
	pending_del(&c->act_w);
	if (p->error[0] != '\0')
		control_result(c, CTL_RES_FAILED, "%s", p->error);
	else
		control_send_plan(c, p);
	control_event_add(c);
}

/* The keys the reload changed, before its result. */
static void
control_reload_keys(struct ctl_conn *c)
{
	const struct reload_key	*k;
	struct ctl_key_msg	 m;
	size_t			 i, n;

	n = reload_last_keys(&k);
	for (i = 0; i < n; i++) {
		memset(&m, 0, sizeof(m));
		strlcpy(m.key, k[i].key, sizeof(m.key));
		m.restart = k[i].restart;
		control_compose(c, IMSG_CTL_RELOAD_KEY, &m, sizeof(m));
	}
}
