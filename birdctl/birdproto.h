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

#ifndef MOENET_BIRDPROTO_H
#define MOENET_BIRDPROTO_H

#include <stddef.h>
#include <stdint.h>

#include "bird.h"

/*
 * Incremental framer for BIRD's control-socket replies.  Bytes go in
 * as they come off the socket, in chunks of any size; complete replies
 * come out.  Memory is bounded by the limits given at init.
 */

#define BIRD_LINE_MAX_DEFAULT	1024		/* BIRD's own cap is 512 */
#define BIRD_REPLY_BYTES_DEFAULT (8 * 1024 * 1024)
#define BIRD_REPLY_LINES_DEFAULT 200000
#define BIRD_LINE_HARD_MAX	65536

/* Reply classes, by the first digit of the code (doc/reply_codes). */
enum bird_class {
	BIRD_CLASS_OK,		/* 0xxx action completed */
	BIRD_CLASS_TABLE,	/* 1xxx table entry, 2xxx table heading */
	BIRD_CLASS_RUNTIME,	/* 8xxx run-time error */
	BIRD_CLASS_PARSE,	/* 9xxx parse-time error */
	BIRD_CLASS_OTHER
};

/* bird_line.flags */
#define BIRD_LINE_CONT		0x01	/* continuation: code inherited */
#define BIRD_LINE_FINAL		0x02	/* "DDDD " line ending the reply */

struct bird_line {
	uint32_t	off;		/* into bird_reply.buf, NUL-terminated */
	uint32_t	len;
	uint16_t	code;
	uint16_t	flags;
};

struct bird_reply {
	char		*buf;
	size_t		 buflen;
	size_t		 bufsize;
	struct bird_line *lines;
	size_t		 nlines;
	size_t		 linesize;
	unsigned int	 cmd;		/* enum bird_cmd_type it answers */
	int		 code;		/* final code, -1 until complete */
};

enum bird_rstate {
	BIRD_R_BANNER,		/* waiting for "0001 BIRD x ready." */
	BIRD_R_IDLE,		/* ready for a command */
	BIRD_R_WAIT,		/* command sent, reply incomplete */
	BIRD_R_DONE,		/* reply complete, not yet released */
	BIRD_R_ERROR		/* protocol error: drop the connection */
};

/* bird_reader_feed() results */
#define BIRD_FEED_ERROR		-1
#define BIRD_FEED_MORE		0
#define BIRD_FEED_DONE		1

typedef void	(*bird_async_cb)(const char *, void *);
/* A line of a reply streamed past the buffer: its code and text. */
typedef void	(*bird_sink_cb)(int, const char *, void *);

struct bird_reader {
	enum bird_rstate state;
	int		 pending;	/* command sent before the banner */
	int		 last_code;	/* for continuation lines */
	size_t		 maxline;
	size_t		 maxbytes;
	size_t		 maxlines;
	char		*line;		/* partial line, maxline + 1 bytes */
	size_t		 linelen;
	struct bird_reply reply;
	bird_async_cb	 async_cb;
	void		*async_arg;
	bird_sink_cb	 sink_cb;	/* this reply's lines but the last */
	void		*sink_arg;
	uint64_t	 async_count;
	char		 version[BIRD_VERSION_LEN];
	char		 error[128];
};

int		 bird_reader_init(struct bird_reader *, size_t, size_t, size_t);
void		 bird_reader_clear(struct bird_reader *);
void		 bird_reader_set_async(struct bird_reader *, bird_async_cb,
		    void *);
void		 bird_reader_set_sink(struct bird_reader *, bird_sink_cb,
		    void *);
int		 bird_reader_feed(struct bird_reader *, const char *, size_t);
int		 bird_reader_eof(struct bird_reader *);
int		 bird_reader_start(struct bird_reader *,
		    const struct bird_cmd_msg *, char *, size_t);
int		 bird_reader_ready(const struct bird_reader *);
const struct bird_reply *bird_reader_reply(const struct bird_reader *);
void		 bird_reader_release(struct bird_reader *);
const char	*bird_reader_version(const struct bird_reader *);
const char	*bird_reader_error(const struct bird_reader *);

enum bird_class	 bird_code_class(int);
const char	*bird_reply_text(const struct bird_reply *, size_t);
const char	*bird_reply_final_text(const struct bird_reply *);
int		 bird_async_is_undo(const char *);

#endif /* MOENET_BIRDPROTO_H */
