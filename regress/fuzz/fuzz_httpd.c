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
 * libFuzzer harness for the local HTTP API's request parser
 * (fetcher/httpd.c), the one parser that faces the network.  httpd.c is
 * included for its connection code: each input is a client on a real
 * socketpair, its bytes arriving in chunks through conn_parse() as
 * conn_read() would deliver them; a request the parent must answer is
 * answered as the parent would; the answer is written out by
 * conn_write() and must be one well-formed HTTP/1.1 response whose
 * Content-Length is what follows the head.
 *
 * Input: a byte of options (bit 0: the non-loopback listener; bits 1-2:
 * which tokens are configured), a byte for the chunk size (0: all at
 * once), then the client's bytes.  The tokens are "local-token" and
 * "agent-token".  The bot's tools never run: diag_start() here only
 * checks the target, as diag.c does first.
 */

#include "fetcher/httpd.c"

#include <sys/socket.h>

#include "fetcher/target.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

static struct imsgev	 iev;
static int		 parent_fd;

static void
quiet(int pri, const char *line)
{
}

static void
no_dispatch(int fd, short event, void *arg)
{
}

int
diag_tool_of(const char *name)
{
	static const char *const names[] = { "ping", "tcping", "trace",
	    "dig" };
	int	 i;

	for (i = 0; i < DIAG_TOOL_MAX; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

int
diag_start(enum diag_tool tool, const char *target, uint32_t id, diag_cb cb,
    char *err, size_t errlen)
{
	struct target	 t;

	if (tool >= DIAG_TOOL_MAX)
		abort();
	if (target_parse(target, TARGET_ADDR | TARGET_HOST | (tool ==
	    DIAG_TCPING ? TARGET_HOSTPORT : 0), &t, err, errlen) == -1)
		return DIAG_BADTARGET;
	return DIAG_OK;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char	 doc[] = "{\"ok\":true}\n";
	struct httpd_snap	*s;
	int			 sp[2], i;

	log_init(0, LOG_USER);
	log_setsink(quiet);
	event_init();
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1)
		abort();
	imsgev_init(&iev, sp[0], "parent", no_dispatch, NULL);
	parent_fd = sp[1];
	httpd_init(&iev);
	for (i = 0; i < HTTPD_DOC_MAX; i++) {
		if ((s = calloc(1, sizeof(*s))) == NULL ||
		    (s->data = strdup(doc)) == NULL)
			abort();
		s->refs = 1;
		s->status = i == HTTPD_DOC_HEALTHZ ? 503 : 200;
		s->ctype = i == HTTPD_DOC_METRICS ? HTTPD_CT_PROMETHEUS :
		    HTTPD_CT_JSON;
		s->len = sizeof(doc) - 1;
		snaps[i] = s;
	}
	listeners[0].loopback = 1;
	strlcpy(listeners[0].addr, "127.0.0.1:8080", sizeof(listeners[0].addr));
	strlcpy(listeners[1].addr, "[fd00::1]:8080", sizeof(listeners[1].addr));
	nlisteners = 2;
	return 0;
}

static int
alive(const struct httpd_conn *c)
{
	const struct httpd_conn	*x;

	TAILQ_FOREACH(x, &conns, entry)
		if (x == c)
			return 1;
	return 0;
}

/* What the parent would answer, for a request sent up. */
static void
answer(struct httpd_conn *c)
{
	const struct httpd_route	*r = route_find(c->path);
	struct httpd_result_msg		 res;
	struct httpd_reply_end_msg	 end;
	struct imsg			 m;
	static char			 body[] = "{\"result\":\"x\"}\n";

	if (r == NULL)
		abort();
	memset(&m, 0, sizeof(m));
	m.fd = -1;
	m.hdr.peerid = c->id;
	if (r->action == -1) {
		tool_done(c->id, DIAG_OK, "PING 172.20.0.1\n\"ok\"\t\\", 22);
	} else if (r->action >= HTTPD_FWD_BASE) {
		m.hdr.type = IMSG_HTTP_REPLY;
		m.hdr.len = IMSG_HEADER_SIZE + sizeof(body) - 1;
		m.data = body;
		httpd_reply(&m);
		memset(&end, 0, sizeof(end));
		end.status = 200;
		end.len = sizeof(body) - 1;
		m.hdr.type = IMSG_HTTP_REPLY_END;
		m.hdr.len = IMSG_HEADER_SIZE + sizeof(end);
		m.data = &end;
		httpd_reply_end(&m);
	} else {
		memset(&res, 0, sizeof(res));
		res.status = 202;
		strlcpy(res.message, "sync \"started\"", sizeof(res.message));
		m.hdr.type = IMSG_HTTP_RESULT;
		m.hdr.len = IMSG_HEADER_SIZE + sizeof(res);
		m.data = &res;
		httpd_result(&m);
	}
}

/* The parent's answer to a document asked for: the copy is current. */
static void
answer_doc(struct httpd_conn *c)
{
	struct imsg	 m;
	uint32_t	 doc = c->doc;

	memset(&m, 0, sizeof(m));
	m.fd = -1;
	m.hdr.type = IMSG_HTTP_DOC_SAME;
	m.hdr.peerid = doc;
	m.hdr.len = IMSG_HEADER_SIZE + sizeof(doc);
	m.data = &doc;
	httpd_doc_same(&m);
}

/* One response, whole: status line, head, Content-Length bytes. */
static void
check_response(const char *buf, size_t len, int head_only)
{
	const char	*end, *cl;
	size_t		 hl;
	long		 n;

	if (len < 12 || memcmp(buf, "HTTP/1.1 ", 9) != 0 ||
	    (end = memmem(buf, len, "\r\n\r\n", 4)) == NULL)
		abort();
	hl = end + 4 - buf;
	if ((cl = memmem(buf, hl, "\r\nContent-Length: ", 18)) == NULL)
		abort();
	n = strtol(cl + 18, NULL, 10);
	if (n < 0 || (head_only ? hl != len : hl + (size_t)n != len))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char		 out[HTTPD_REPLY_MAX + 4096];
	struct httpd_conn	*c;
	size_t			 off, n, step, olen = 0;
	ssize_t			 r;
	int			 sp[2], head_only = 0;

	if (size < 2)
		return 0;
	explicit_bzero(&tokens, sizeof(tokens));
	if (data[0] & 0x2)
		strlcpy(tokens.local, "local-token", sizeof(tokens.local));
	if (data[0] & 0x4)
		strlcpy(tokens.agent, "agent-token", sizeof(tokens.agent));
	step = data[1];
	data += 2;
	size -= 2;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sp) == -1)
		abort();
	if ((c = calloc(1, sizeof(*c))) == NULL)
		abort();
	c->fd = sp[0];
	c->l = &listeners[data[-2] & 0x1];
	c->state = C_READ;
	c->id = next_id++;
	strlcpy(c->peer, "192.0.2.1", sizeof(c->peer));
	TAILQ_INSERT_TAIL(&conns, c, entry);
	nconns++;
	evtimer_set(&c->ev_timer, conn_timeout, c);
	conn_event(c, EV_READ, 0);

	/* As conn_read() delivers it, never more than the buffer holds. */
	for (off = 0; off < size && c->state == C_READ; off += n) {
		n = step == 0 ? size - off : step;
		if (n > size - off)
			n = size - off;
		if (n > sizeof(c->in) - c->inlen)
			n = sizeof(c->in) - c->inlen;
		if (n == 0)
			break;
		memcpy(c->in + c->inlen, data + off, n);
		c->inlen += n;
		conn_parse(c);
		if (!alive(c))
			goto done;
	}
	if (c->state == C_READ) {
		/* The client went away before a whole request. */
		conn_close(c);
		goto done;
	}
	head_only = c->head_only;
	if (c->state == C_ACTION)
		answer(c);
	if (c->state == C_DOC)
		answer_doc(c);
	if (c->state != C_WRITE)
		abort();
	while (alive(c) && c->state == C_WRITE) {
		conn_write(c->fd, EV_WRITE, c);
		while (olen < sizeof(out) && (r = read(sp[1], out + olen,
		    sizeof(out) - olen)) > 0)
			olen += r;
	}
	while (olen < sizeof(out) && (r = read(sp[1], out + olen,
	    sizeof(out) - olen)) > 0)
		olen += r;
	/* 100 Continue may come first: an interim answer, then the real. */
	if (olen > 25 && memcmp(out, "HTTP/1.1 100 Continue\r\n\r\n", 25) == 0)
		check_response(out + 25, olen - 25, head_only);
	else
		check_response(out, olen, head_only);
	if (alive(c)) {
		if (c->state != C_LINGER)
			abort();
		shutdown(sp[1], SHUT_WR);
		conn_linger(c->fd, EV_READ, c);
		if (alive(c))
			conn_close(c);
	}
 done:
	close(sp[1]);
	/* What went up to the parent. */
	imsgbuf_clear(&iev.ibuf);
	imsgbuf_init(&iev.ibuf, iev.ibuf.fd);
	return 0;
}
