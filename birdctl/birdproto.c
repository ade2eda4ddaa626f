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
 * BIRD control-socket framing (nest/cli.c cli_vprintf()):
 *
 *	DDDD-text	a line of a reply, more lines follow
 *	DDDD text	the last line of a reply
 *	 text		continuation, same code as the line before
 *	+text		asynchronous message, part of no reply
 *
 * A reply ends only at a line of four digits and a space.  Testing the
 * fifth byte alone is wrong: " st6        Static ..." is a continuation
 * whose fifth byte is a space too.  Neither does a reply succeed by
 * beginning well: "0002-Reading configuration" may be followed by 8002.
 */

#include <sys/types.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bird.h"
#include "birdcmd.h"
#include "birdproto.h"

#define REPLY_KEEP_MAX	(256 * 1024)	/* keep buffers this big for reuse */

static void	reader_fail(struct bird_reader *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static void	reader_line(struct bird_reader *, char *, size_t);
static void	reader_banner(struct bird_reader *, int, int, const char *);
static int	reply_append(struct bird_reader *, int, int, const char *,
		    size_t);
static void	reply_reset(struct bird_reply *);
static int	is_version_char(int);

int
bird_reader_init(struct bird_reader *r, size_t maxline, size_t maxbytes,
    size_t maxlines)
{
	memset(r, 0, sizeof(*r));
	r->maxline = maxline ? maxline : BIRD_LINE_MAX_DEFAULT;
	if (r->maxline < 16)
		r->maxline = 16;
	if (r->maxline > BIRD_LINE_HARD_MAX)
		r->maxline = BIRD_LINE_HARD_MAX;
	r->maxbytes = maxbytes ? maxbytes : BIRD_REPLY_BYTES_DEFAULT;
	r->maxlines = maxlines ? maxlines : BIRD_REPLY_LINES_DEFAULT;
	/* Offsets and lengths are 32 bits wide. */
	if (r->maxbytes > UINT32_MAX)
		r->maxbytes = UINT32_MAX;
	if ((r->line = malloc(r->maxline + 1)) == NULL)
		return -1;
	r->state = BIRD_R_BANNER;
	r->last_code = -1;
	r->reply.code = -1;
	return 0;
}

void
bird_reader_clear(struct bird_reader *r)
{
	free(r->line);
	free(r->reply.buf);
	free(r->reply.lines);
	memset(r, 0, sizeof(*r));
	r->state = BIRD_R_ERROR;
	strlcpy(r->error, "reader cleared", sizeof(r->error));
}

void
bird_reader_set_async(struct bird_reader *r, bird_async_cb cb, void *arg)
{
	r->async_cb = cb;
	r->async_arg = arg;
}

/*
 * Until cleared, the lines of replies go to cb as they come instead of
 * into the buffer, all but the final one: a table of any size costs
 * one line of memory.
 */
void
bird_reader_set_sink(struct bird_reader *r, bird_sink_cb cb, void *arg)
{
	r->sink_cb = cb;
	r->sink_arg = arg;
}

static void
reader_fail(struct bird_reader *r, const char *fmt, ...)
{
	va_list	ap;

	if (r->state == BIRD_R_ERROR)
		return;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	r->state = BIRD_R_ERROR;
}

int
bird_reader_feed(struct bird_reader *r, const char *data, size_t len)
{
	const char	*nl;
	size_t		 n;
	int		 done = 0;

	while (len > 0) {
		if (r->state == BIRD_R_ERROR)
			return BIRD_FEED_ERROR;
		nl = memchr(data, '\n', len);
		n = nl ? (size_t)(nl - data) : len;
		if (n > r->maxline - r->linelen) {
			reader_fail(r, "line longer than %zu bytes",
			    r->maxline);
			return BIRD_FEED_ERROR;
		}
		memcpy(r->line + r->linelen, data, n);
		r->linelen += n;
		data += n;
		len -= n;
		if (nl == NULL)
			break;
		data++;
		len--;
		r->line[r->linelen] = '\0';
		reader_line(r, r->line, r->linelen);
		r->linelen = 0;
		if (r->state == BIRD_R_DONE)
			done = 1;
	}
	if (r->state == BIRD_R_ERROR)
		return BIRD_FEED_ERROR;
	return done ? BIRD_FEED_DONE : BIRD_FEED_MORE;
}

static void
reader_line(struct bird_reader *r, char *s, size_t len)
{
	int	code, i;

	if (memchr(s, '\0', len) != NULL) {
		reader_fail(r, "NUL byte in reply");
		return;
	}
	if (len == 0) {
		reader_fail(r, "empty line");
		return;
	}

	if (s[0] == '+') {
		r->async_count++;
		if (r->async_cb != NULL)
			r->async_cb(s + 1, r->async_arg);
		return;
	}

	if (s[0] == ' ') {
		if (r->state != BIRD_R_WAIT || r->pending) {
			reader_fail(r, "continuation line outside a reply");
			return;
		}
		if (r->last_code < 0) {
			reader_fail(r, "continuation line with no code "
			    "before it");
			return;
		}
		if (r->sink_cb != NULL)
			r->sink_cb(r->last_code, s + 1, r->sink_arg);
		else
			reply_append(r, r->last_code, BIRD_LINE_CONT, s + 1,
			    len - 1);
		return;
	}

	if (len < 5 || (s[4] != ' ' && s[4] != '-')) {
		reader_fail(r, "malformed line");
		return;
	}
	for (code = 0, i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9') {
			reader_fail(r, "malformed line");
			return;
		}
		code = code * 10 + (s[i] - '0');
	}

	if (r->state == BIRD_R_BANNER || r->pending) {
		reader_banner(r, code, s[4] == ' ', s + 5);
		return;
	}
	if (r->state != BIRD_R_WAIT) {
		reader_fail(r, "reply line %04d with no command pending",
		    code);
		return;
	}
	if (s[4] == '-') {
		if (r->sink_cb != NULL) {
			r->last_code = code;
			r->sink_cb(code, s + 5, r->sink_arg);
		} else if (reply_append(r, code, 0, s + 5, len - 5) == 0)
			r->last_code = code;
		return;
	}
	if (reply_append(r, code, BIRD_LINE_FINAL, s + 5, len - 5) == 0) {
		r->reply.code = code;
		r->last_code = -1;
		r->state = BIRD_R_DONE;
	}
}

static int
is_version_char(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '.' || c == '-' || c == '+' ||
	    c == '_' || c == '~';
}

/* "0001 BIRD 2.0.12 ready." is a complete one-line reply of its own. */
static void
reader_banner(struct bird_reader *r, int code, int final, const char *text)
{
	const char	*v;
	size_t		 n;

	if (code != 1 || !final) {
		reader_fail(r, "expected banner 0001, got %04d", code);
		return;
	}
	if (strncmp(text, "BIRD ", 5) != 0) {
		reader_fail(r, "banner does not name BIRD");
		return;
	}
	v = text + 5;
	for (n = 0; is_version_char((unsigned char)v[n]); n++)
		;
	if (n == 0 || n >= sizeof(r->version) ||
	    (v[n] != '\0' && v[n] != ' ')) {
		reader_fail(r, "banner has no valid version");
		return;
	}
	memcpy(r->version, v, n);
	r->version[n] = '\0';
	if (r->pending) {
		r->pending = 0;
		r->state = BIRD_R_WAIT;
	} else
		r->state = BIRD_R_IDLE;
}

static int
reply_append(struct bird_reader *r, int code, int flags, const char *text,
    size_t len)
{
	struct bird_reply	*rp = &r->reply;
	struct bird_line	*nlines;
	char			*nbuf;
	size_t			 nsize;

	if (rp->nlines >= r->maxlines) {
		reader_fail(r, "reply longer than %zu lines", r->maxlines);
		return -1;
	}
	if (len + 1 > r->maxbytes - rp->buflen) {
		reader_fail(r, "reply larger than %zu bytes", r->maxbytes);
		return -1;
	}
	if (rp->buflen + len + 1 > rp->bufsize) {
		nsize = rp->bufsize ? rp->bufsize : 4096;
		while (nsize < rp->buflen + len + 1)
			nsize *= 2;
		if (nsize > r->maxbytes)
			nsize = r->maxbytes;
		if ((nbuf = realloc(rp->buf, nsize)) == NULL) {
			reader_fail(r, "out of memory");
			return -1;
		}
		rp->buf = nbuf;
		rp->bufsize = nsize;
	}
	if (rp->nlines == rp->linesize) {
		nsize = rp->linesize ? rp->linesize * 2 : 64;
		if (nsize > r->maxlines)
			nsize = r->maxlines;
		nlines = reallocarray(rp->lines, nsize, sizeof(*nlines));
		if (nlines == NULL) {
			reader_fail(r, "out of memory");
			return -1;
		}
		rp->lines = nlines;
		rp->linesize = nsize;
	}
	rp->lines[rp->nlines].off = rp->buflen;
	rp->lines[rp->nlines].len = len;
	rp->lines[rp->nlines].code = code;
	rp->lines[rp->nlines].flags = flags;
	rp->nlines++;
	memcpy(rp->buf + rp->buflen, text, len);
	rp->buflen += len;
	rp->buf[rp->buflen++] = '\0';
	return 0;
}

static void
reply_reset(struct bird_reply *rp)
{
	/* One huge reply should not pin its memory forever. */
	if (rp->bufsize > REPLY_KEEP_MAX) {
		free(rp->buf);
		rp->buf = NULL;
		rp->bufsize = 0;
	}
	if (rp->linesize > REPLY_KEEP_MAX / sizeof(struct bird_line)) {
		free(rp->lines);
		rp->lines = NULL;
		rp->linesize = 0;
	}
	rp->buflen = 0;
	rp->nlines = 0;
	rp->code = -1;
	rp->cmd = BIRD_CMD_NONE;
}

/*
 * The peer closed.  Fine between replies; an error in the middle of
 * one, or before the banner.
 */
int
bird_reader_eof(struct bird_reader *r)
{
	if (r->state == BIRD_R_ERROR)
		return -1;
	if (r->state == BIRD_R_BANNER || r->pending)
		reader_fail(r, "connection closed before the banner");
	else if (r->state == BIRD_R_WAIT)
		reader_fail(r, "connection closed in the middle of a reply");
	else if (r->linelen > 0)
		reader_fail(r, "connection closed in the middle of a line");
	else {
		reader_fail(r, "connection closed");
		return 0;
	}
	return -1;
}

/*
 * Format the line for a command and expect its reply.  One command at
 * a time: refused while another is in flight.  A command may be queued
 * before the banner has arrived, BIRD reads it after its hello.
 * Returns the line's length, or -1 (errno EBUSY, EINVAL or EIO).
 */
int
bird_reader_start(struct bird_reader *r, const struct bird_cmd_msg *cmd,
    char *buf, size_t len)
{
	const char	*why;
	int		 n;

	switch (r->state) {
	case BIRD_R_ERROR:
		errno = EIO;
		return -1;
	case BIRD_R_WAIT:
		errno = EBUSY;
		return -1;
	case BIRD_R_BANNER:
		if (r->pending) {
			errno = EBUSY;
			return -1;
		}
		break;
	default:
		break;
	}
	if ((n = bird_cmd_format(cmd, buf, len, &why)) == -1) {
		snprintf(r->error, sizeof(r->error), "%s: %s",
		    bird_cmd_name(cmd->type), why);
		errno = EINVAL;
		return -1;
	}
	reply_reset(&r->reply);
	r->reply.cmd = cmd->type;
	r->last_code = -1;
	if (r->state == BIRD_R_BANNER)
		r->pending = 1;
	else
		r->state = BIRD_R_WAIT;
	return n;
}

/* The banner is in and no command is in flight. */
int
bird_reader_ready(const struct bird_reader *r)
{
	return r->state == BIRD_R_IDLE || r->state == BIRD_R_DONE;
}

const struct bird_reply *
bird_reader_reply(const struct bird_reader *r)
{
	if (r->state != BIRD_R_DONE)
		return NULL;
	return &r->reply;
}

void
bird_reader_release(struct bird_reader *r)
{
	if (r->state != BIRD_R_DONE)
		return;
	reply_reset(&r->reply);
	r->state = BIRD_R_IDLE;
}

const char *
bird_reader_version(const struct bird_reader *r)
{
	return r->version;
}

const char *
bird_reader_error(const struct bird_reader *r)
{
	return r->state == BIRD_R_ERROR ? r->error : NULL;
}

enum bird_class
bird_code_class(int code)
{
	if (code < 0 || code > 9999)
		return BIRD_CLASS_OTHER;
	switch (code / 1000) {
	case 0:
		return BIRD_CLASS_OK;
	case 1:
	case 2:
		return BIRD_CLASS_TABLE;
	case 8:
		return BIRD_CLASS_RUNTIME;
	case 9:
		return BIRD_CLASS_PARSE;
	default:
		return BIRD_CLASS_OTHER;
	}
}

const char *
bird_reply_text(const struct bird_reply *rp, size_t i)
{
	if (i >= rp->nlines)
		return NULL;
	return rp->buf + rp->lines[i].off;
}

const char *
bird_reply_final_text(const struct bird_reply *rp)
{
	if (rp->nlines == 0)
		return "";
	return rp->buf + rp->lines[rp->nlines - 1].off;
}

/* BIRD undid an unconfirmed configuration on its own. */
int
bird_async_is_undo(const char *text)
{
	return strncmp(text, "Config timeout expired", 22) == 0;
}
