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
 * birdctl: speaks BIRD's control protocol on a socket the parent
 * connected and passed down.  One command in flight at a time, others
 * wait in a bounded queue; every command ends with one IMSG_BIRD_RESULT
 * or IMSG_BIRD_FAIL under its request id.  Anything wrong on the BIRD
 * side (protocol error, EOF, no answer in time) drops the connection,
 * fails what was pending and asks the parent for a new one: a stream
 * we lost track of is never reused.
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
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
#include "bird.h"
#include "birdcmd.h"
#include "birdparse.h"
#include "birdproto.h"
#include "birdroute.h"

#define BC_QUEUE_MAX		64	/* commands waiting behind one */
#define BC_TIMEOUT_CONFIGURE	30	/* seconds for the configure family */
#define BC_TIMEOUT_DEFAULT	10
#define BC_TIMEOUT_BANNER	10
#define BC_READ_CHUNK		8192

struct bc_cmd {
	TAILQ_ENTRY(bc_cmd)	 entry;
	uint32_t		 id;
	struct bird_cmd_msg	 msg;
};
TAILQ_HEAD(bc_queue, bc_cmd);

struct bc_conn {
	int			 fd;		/* -1: none */
	int			 connected;	/* banner read */
	struct event		 ev_read;
	struct event		 ev_write;
	struct event		 ev_timer;
	struct bird_reader	 reader;
	struct bc_cmd		*cur;
	struct bc_queue		 queue;
	size_t			 nqueued;
	char			 out[BIRD_CMD_LINE_MAX];
	size_t			 outlen;
	size_t			 outoff;
};

static void	birdctl_dispatch_parent(int, short, void *);
static void	birdctl_sig(int, short, void *);
static __dead void birdctl_shutdown(void);
static void	bc_socket(int);
static void	bc_command(uint32_t, struct bird_cmd_msg *);
static void	bc_drop(int, enum bird_fail_reason, const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));
static void	bc_fail(const struct bc_cmd *, enum bird_fail_reason,
		    const char *);
static void	bc_next(void);
static void	bc_flush(void);
static void	bc_read(int, short, void *);
static void	bc_write(int, short, void *);
static void	bc_timeout(int, short, void *);
static void	bc_async(const char *, void *);
static void	bc_banner(void);
static void	bc_complete(void);
static int	bc_send_protocols(const struct bc_cmd *,
		    const struct bird_reply *, char *, size_t);
static int	bc_timer_secs(unsigned int);
static void	bc_send(uint32_t, uint32_t, const void *, size_t);
static void	bc_sink(int, const char *, void *);
static void	bc_send_routes(const struct bc_cmd *, const struct bird_reply *);

/* The route lookup or table count under way; one command at a time. */
static struct bird_route_scan	scan;
static char			route_text[BIRD_ROUTE_TEXT_MAX];

static struct imsgev	iev_parent;
static struct bc_conn	bc;

void
birdctl_main(const struct child_opts *o)
{
	struct sandbox_opts	 sb;

	proc_child_init(PROC_BIRDCTL, o);

	/*
	 * BIRD prints local times.  With TZ unset, glibc's mktime()
	 * re-reads /etc/localtime on every call, which the sandbox
	 * forbids; with TZ naming the file it loads it once, here.
	 */
	if (getenv("TZ") == NULL && setenv("TZ", ":/etc/localtime", 1) == -1)
		fatal("setenv TZ");
	tzset();

	/* Nothing to acquire: the parent passes the BIRD socket. */
	event_init();

	proc_child_setup(PROC_BIRDCTL, o, &sb);
	sandbox_apply(PROC_BIRDCTL, &sb);


	memset(&bc, 0, sizeof(bc));
	bc.fd = -1;
	TAILQ_INIT(&bc.queue);

	proc_child_ready(PROC_BIRDCTL, o, &iev_parent, birdctl_dispatch_parent,
	    birdctl_sig, 1);

	event_dispatch();
	birdctl_shutdown();
}

static void
birdctl_sig(int sig, short event, void *arg)
{
	birdctl_shutdown();
}

static __dead void
birdctl_shutdown(void)
{
	if (bc.fd != -1)
		close(bc.fd);
	imsgbuf_clear(&iev_parent.ibuf);
	close(PARENT_FD);
	log_debug("exiting");
	exit(0);
}

static void
birdctl_dispatch_parent(int fd, short event, void *arg)
{
	struct imsgev		*iev = arg;
	struct bird_cmd_msg	 cmd;
	struct imsg		 imsg;
	ssize_t			 n;
	int			 bfd;

	if (imsgev_io(iev, event) == -1)
		/* The parent is gone: shared fate. */
		birdctl_shutdown();

	for (;;) {
		if ((n = imsg_get(&iev->ibuf, &imsg)) == -1)
			fatal("%s: imsg_get", __func__);
		if (n == 0)
			break;
		if (proc_child_imsg(iev, &imsg)) {
			imsg_free(&imsg);
			continue;
		}
		switch (imsg_get_type(&imsg)) {
		case IMSG_BIRD_SOCKET:
			if (imsg_get_len(&imsg) != 0)
				fatalx("%s: IMSG_BIRD_SOCKET wrong length",
				    __func__);
			if ((bfd = imsg_get_fd(&imsg)) == -1)
				fatalx("%s: IMSG_BIRD_SOCKET without an fd",
				    __func__);
			bc_socket(bfd);
			break;
		case IMSG_BIRD_CMD:
			if (imsg_get_data(&imsg, &cmd, sizeof(cmd)) == -1)
				fatalx("%s: IMSG_BIRD_CMD wrong length",
				    __func__);
			cmd.name[sizeof(cmd.name) - 1] = '\0';
			cmd.file[sizeof(cmd.file) - 1] = '\0';
			cmd.target[sizeof(cmd.target) - 1] = '\0';
			if (cmd.type == BIRD_CMD_NONE ||
			    cmd.type > BIRD_CMD_MAX)
				fatalx("%s: IMSG_BIRD_CMD type %u out of range",
				    __func__, cmd.type);
			bc_command(imsg_get_id(&imsg), &cmd);
			break;
		default:
			fatalx("%s: unexpected imsg %s", __func__,
			    imsg_type_name(imsg_get_type(&imsg)));
		}
		imsg_free(&imsg);
	}
	imsg_event_add(iev);
}

static void
bc_send(uint32_t type, uint32_t id, const void *data, size_t len)
{
	if (imsg_compose_event(&iev_parent, type, id, 0, -1, data, len) == -1)
		fatal("%s: imsg_compose %s", __func__, imsg_type_name(type));
}

/* A new connection replaces the old one, whose commands fail. */
static void
bc_socket(int fd)
{
	struct bird_conn_msg	 m;
	struct timeval		 tv = { BC_TIMEOUT_BANNER, 0 };
	int			 fl;

	if (bc.fd != -1)
		bc_drop(0, BIRD_FAIL_LOST, "replaced by a new connection");
	if ((fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1) {
		log_warn("%s: fcntl", __func__);
		close(fd);
		memset(&m, 0, sizeof(m));
		strlcpy(m.text, "cannot use the socket passed", sizeof(m.text));
		bc_send(IMSG_BIRD_RECONNECT, 0, &m, sizeof(m));
		return;
	}
	if (bird_reader_init(&bc.reader, 0, 0, 0) == -1)
		fatal("%s: bird_reader_init", __func__);
	bird_reader_set_async(&bc.reader, bc_async, NULL);
	bc.fd = fd;
	bc.connected = 0;
	bc.outlen = bc.outoff = 0;
	event_set(&bc.ev_read, fd, EV_READ | EV_PERSIST, bc_read, NULL);
	event_set(&bc.ev_write, fd, EV_WRITE, bc_write, NULL);
	evtimer_set(&bc.ev_timer, bc_timeout, NULL);
	event_add(&bc.ev_read, NULL);
	evtimer_add(&bc.ev_timer, &tv);
	log_debug("%s: new BIRD connection, waiting for the banner",
	    __func__);
}

static void
bc_command(uint32_t id, struct bird_cmd_msg *msg)
{
	struct bc_cmd	*c;
	char		 line[BIRD_CMD_LINE_MAX];
	const char	*why;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("%s", __func__);
	c->id = id;
	c->msg = *msg;
	/* Refuse a bad command now rather than when its turn comes. */
	if (bird_cmd_format(&c->msg, line, sizeof(line), &why) == -1)
		bc_fail(c, BIRD_FAIL_INVALID, why);
	else if (bc.fd == -1)
		bc_fail(c, BIRD_FAIL_NOT_CONNECTED, "not connected to BIRD");
	else if (bc.nqueued >= BC_QUEUE_MAX)
		bc_fail(c, BIRD_FAIL_QUEUE_FULL, "too many commands waiting");
	else {
		TAILQ_INSERT_TAIL(&bc.queue, c, entry);
		bc.nqueued++;
		bc_next();
		return;
	}
	free(c);
}

static void
bc_fail(const struct bc_cmd *c, enum bird_fail_reason reason,
    const char *text)
{
	struct bird_fail_msg	 m;

	memset(&m, 0, sizeof(m));
	m.cmd = c->msg.type;
	m.reason = reason;
	strlcpy(m.text, text, sizeof(m.text));
	log_debug("%s: request %u (%s): %s", __func__, c->id,
	    bird_cmd_name(c->msg.type), m.text);
	bc_send(IMSG_BIRD_FAIL, c->id, &m, sizeof(m));
}

/*
 * Close the connection and fail everything pending.  With reconnect
 * set the parent is told to send another socket.
 */
static void
bc_drop(int reconnect, enum bird_fail_reason reason, const char *fmt, ...)
{
	struct bird_conn_msg	 m;
	struct bc_cmd		*c;
	va_list			 ap;

	memset(&m, 0, sizeof(m));
	va_start(ap, fmt);
	vsnprintf(m.text, sizeof(m.text), fmt, ap);
	va_end(ap);
	if (bc.fd == -1)
		return;

	log_warnx("BIRD connection dropped: %s", m.text);
	event_del(&bc.ev_read);
	event_del(&bc.ev_write);
	evtimer_del(&bc.ev_timer);
	close(bc.fd);
	bc.fd = -1;
	bc.connected = 0;
	bird_reader_clear(&bc.reader);

	if ((c = bc.cur) != NULL) {
		bc.cur = NULL;
		bc_fail(c, reason, m.text);
		free(c);
	}
	while ((c = TAILQ_FIRST(&bc.queue)) != NULL) {
		TAILQ_REMOVE(&bc.queue, c, entry);
		bc.nqueued--;
		bc_fail(c, BIRD_FAIL_LOST, m.text);
		free(c);
	}
	if (reconnect)
		bc_send(IMSG_BIRD_RECONNECT, 0, &m, sizeof(m));
}

static int
bc_timer_secs(unsigned int type)
{
	switch (type) {
	case BIRD_CMD_CONFIGURE_CHECK:
	case BIRD_CMD_CONFIGURE:
	case BIRD_CMD_CONFIGURE_TIMEOUT:
	case BIRD_CMD_CONFIGURE_CONFIRM:
	case BIRD_CMD_CONFIGURE_UNDO:
		return BC_TIMEOUT_CONFIGURE;
	default:
		return BC_TIMEOUT_DEFAULT;
	}
}

/* Start the next queued command when the line is free. */
static void
bc_next(void)
{
	struct timeval	 tv;
	struct bc_cmd	*c;
	int		 n;

	while (bc.fd != -1 && bc.connected && bc.cur == NULL &&
	    (c = TAILQ_FIRST(&bc.queue)) != NULL) {
		TAILQ_REMOVE(&bc.queue, c, entry);
		bc.nqueued--;
		n = bird_reader_start(&bc.reader, &c->msg, bc.out,
		    sizeof(bc.out));
		if (n == -1) {
			if (errno == EINVAL) {
				bc_fail(c, BIRD_FAIL_INVALID,
				    bird_reader_error(&bc.reader) ?
				    bird_reader_error(&bc.reader) :
				    "invalid command");
				free(c);
				continue;
			}
			/* EBUSY or EIO: our bookkeeping is off. */
			TAILQ_INSERT_HEAD(&bc.queue, c, entry);
			bc.nqueued++;
			bc_drop(1, BIRD_FAIL_LOST,
			    "reader refused a command: %s", strerror(errno));
			return;
		}
		if (c->msg.type == BIRD_CMD_SHOW_ROUTE_COMMUNITIES) {
			bird_route_scan_init(&scan, 0);
			bird_reader_set_sink(&bc.reader, bc_sink, &scan);
		}
		bc.cur = c;
		bc.outlen = n;
		bc.outoff = 0;
		tv.tv_sec = bc_timer_secs(c->msg.type);
		tv.tv_usec = 0;
		evtimer_add(&bc.ev_timer, &tv);
		log_debug("%s: request %u: %s", __func__, c->id,
		    bird_cmd_name(c->msg.type));
		bc_flush();
	}
}

static void
bc_flush(void)
{
	ssize_t	 n;

	while (bc.outoff < bc.outlen) {
		n = write(bc.fd, bc.out + bc.outoff, bc.outlen - bc.outoff);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				event_add(&bc.ev_write, NULL);
				return;
			}
			bc_drop(1, BIRD_FAIL_LOST, "write: %s",
			    strerror(errno));
			return;
		}
		bc.outoff += n;
	}
}

static void
bc_write(int fd, short event, void *arg)
{
	bc_flush();
}

static void
bc_timeout(int fd, short event, void *arg)
{
	if (!bc.connected)
		bc_drop(1, BIRD_FAIL_TIMEOUT,
		    "timed out after %d s waiting for the banner",
		    BC_TIMEOUT_BANNER);
	else if (bc.cur != NULL)
		bc_drop(1, BIRD_FAIL_TIMEOUT,
		    "timed out after %d s waiting for the answer to %s",
		    bc_timer_secs(bc.cur->msg.type),
		    bird_cmd_name(bc.cur->msg.type));
}

static void
bc_read(int fd, short event, void *arg)
{
	char		 buf[BC_READ_CHUNK];
	ssize_t		 n;
	int		 r;

	n = read(fd, buf, sizeof(buf));
	if (n == -1) {
		if (errno == EINTR || errno == EAGAIN)
			return;
		bc_drop(1, BIRD_FAIL_LOST, "read: %s", strerror(errno));
		return;
	}
	if (n == 0) {
		bird_reader_eof(&bc.reader);
		bc_drop(1, BIRD_FAIL_LOST, "%s", bird_reader_error(&bc.reader));
		return;
	}
	r = bird_reader_feed(&bc.reader, buf, n);
	/* The async callback may have run; the connection is still ours. */
	if (r == BIRD_FEED_ERROR) {
		bc_drop(1, BIRD_FAIL_LOST, "protocol error: %s",
		    bird_reader_error(&bc.reader));
		return;
	}
	if (!bc.connected && bc.reader.state == BIRD_R_IDLE)
		bc_banner();
	if (r == BIRD_FEED_DONE)
		bc_complete();
}

static void
bc_banner(void)
{
	struct bird_conn_msg	 m;

	bc.connected = 1;
	evtimer_del(&bc.ev_timer);
	memset(&m, 0, sizeof(m));
	strlcpy(m.version, bird_reader_version(&bc.reader),
	    sizeof(m.version));
	strlcpy(m.text, "connected", sizeof(m.text));
	log_info("connected to BIRD %s", m.version);
	bc_send(IMSG_BIRD_CONNECTED, 0, &m, sizeof(m));
	bc_next();
}

static void
bc_async(const char *text, void *arg)
{
	struct bird_async_msg	 m;
	size_t			 i;

	memset(&m, 0, sizeof(m));
	m.undo = bird_async_is_undo(text);
	/* Printable ASCII only, like every string the parsers pass up. */
	strlcpy(m.text, text, sizeof(m.text));
	for (i = 0; m.text[i] != '\0'; i++)
		if (m.text[i] < 0x20 || m.text[i] > 0x7e)
			m.text[i] = '?';
	if (m.undo)
		log_warnx("BIRD: %s", m.text);
	else
		log_info("BIRD: %s", m.text);
	bc_send(IMSG_BIRD_ASYNC, 0, &m, sizeof(m));
}

/* The reply to the current command is complete: pass it up typed. */
static void
bc_complete(void)
{
	struct bird_result_msg	 res;
	struct bird_status_msg	 st;
	const struct bird_reply	*rp;
	struct bc_cmd		*c = bc.cur;
	char			 err[BIRD_TEXT_LEN];
	int			 failed = 0;

	if (c == NULL || (rp = bird_reader_reply(&bc.reader)) == NULL) {
		bc_drop(1, BIRD_FAIL_LOST, "reply with no command in flight");
		return;
	}
	evtimer_del(&bc.ev_timer);
	bc.cur = NULL;
	bird_reader_set_sink(&bc.reader, NULL, NULL);

	bird_parse_result(rp, &res);
	if (res.outcome == BIRD_OUT_OK) {
		switch (c->msg.type) {
		case BIRD_CMD_SHOW_STATUS:
			if (bird_parse_status(rp, time(NULL), &st, err,
			    sizeof(err)) == -1)
				failed = 1;
			else
				bc_send(IMSG_BIRD_STATUS, c->id, &st,
				    sizeof(st));
			break;
		case BIRD_CMD_SHOW_PROTOCOLS:
		case BIRD_CMD_SHOW_PROTOCOLS_ALL:
			if (bc_send_protocols(c, rp, err, sizeof(err)) == -1)
				failed = 1;
			break;
		case BIRD_CMD_SHOW_ROUTE_FOR:
			bc_send_routes(c, rp);
			break;
		case BIRD_CMD_SHOW_ROUTE_COMMUNITIES:
			bird_route_scan_end(&scan);
			bc_send(IMSG_BIRD_COMMUNITY, c->id, &scan.comm,
			    sizeof(scan.comm));
			break;
		default:
			break;
		}
	}
	bird_reader_release(&bc.reader);

	if (failed) {
		log_warnx("%s: cannot read the answer to %s: %s", __func__,
		    bird_cmd_name(c->msg.type), err);
		bc_fail(c, BIRD_FAIL_PARSE, err);
	} else
		bc_send(IMSG_BIRD_RESULT, c->id, &res, sizeof(res));
	free(c);
	memtrim_soon();
	bc_next();
}

static int
bc_send_protocols(const struct bc_cmd *c, const struct bird_reply *rp,
    char *err, size_t errlen)
{
	struct bird_proto_msg	*protos;
	size_t			 i, n;
	uint32_t		 count;

	if (bird_parse_protocols(rp, time(NULL), &protos, &n, err,
	    errlen) == -1)
		return -1;
	for (i = 0; i < n; i++)
		bc_send(IMSG_BIRD_PROTO, c->id, &protos[i], sizeof(protos[i]));
	count = n;
	bc_send(IMSG_BIRD_PROTO_END, c->id, &count, sizeof(count));
	free(protos);
	return 0;
}

/* A line of the table being counted, as it streams by. */
static void
bc_sink(int code, const char *text, void *arg)
{
	bird_route_scan_line(arg, code, text);
}

/* The reply as text, then its routes with their AS paths. */
static void
bc_send_routes(const struct bc_cmd *c, const struct bird_reply *rp)
{
	size_t	 i, n, off, chunk;

	n = bird_route_text(rp, route_text, sizeof(route_text));
	for (off = 0; off < n; off += chunk) {
		chunk = n - off > 8192 ? 8192 : n - off;
		bc_send(IMSG_BIRD_TEXT, c->id, route_text + off, chunk);
	}
	bird_route_scan_init(&scan, 1);
	for (i = 0; i < rp->nlines; i++)
		if (!(rp->lines[i].flags & BIRD_LINE_FINAL))
			bird_route_scan_line(&scan, rp->lines[i].code,
			    bird_reply_text(rp, i));
	bird_route_scan_end(&scan);
	for (i = 0; i < scan.nroutes; i++)
		bc_send(IMSG_BIRD_ROUTE, c->id, &scan.routes[i],
		    sizeof(scan.routes[i]));
}
