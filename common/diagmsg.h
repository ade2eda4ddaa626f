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

#ifndef MOENET_DIAGMSG_H
#define MOENET_DIAGMSG_H

/*
 * The bot's network tools between the parent and the fetcher.  The
 * target travels as the text a person typed: only the fetcher parses it
 * (fetcher/target.c), the parent never does.  The result is plain text,
 * printable ASCII, tabs and newlines only, at most DIAG_OUTPUT_MAX bytes.
 *
 *	P -> F	IMSG_DIAG_CONF		diag_conf_msg (at start and reload)
 *	P -> F	IMSG_DIAG_RUN		peerid = request, diag_run_msg
 *	F -> P	IMSG_DIAG_RESULT	peerid = request, diag_result_msg
 *					followed by len bytes of text
 */

#include <stdint.h>

#define DIAG_TARGET_LEN		256	/* TARGET_INPUT_MAX + NUL */
#define DIAG_RESOLVER_LEN	64
#define DIAG_OUTPUT_MAX		8192

enum diag_tool {
	DIAG_PING,
	DIAG_TCPING,
	DIAG_TRACE,
	DIAG_DIG,
	DIAG_TOOL_MAX
};

/* diag_result_msg.status */
enum diag_status {
	DIAG_OK,		/* the tool ran: text is its output */
	DIAG_BADTARGET,		/* refused before anything ran: text says why */
	DIAG_BUSY,		/* too many runs at once */
	DIAG_STATUS_MAX = DIAG_BUSY
};

struct diag_conf_msg {
	char		resolver[DIAG_RESOLVER_LEN];	/* "": the default */
};

struct diag_run_msg {
	uint32_t	tool;		/* enum diag_tool */
	uint32_t	pad;
	char		target[DIAG_TARGET_LEN];
};

struct diag_result_msg {
	uint32_t	status;		/* enum diag_status */
	uint32_t	len;		/* bytes of text after the struct */
};

#endif /* MOENET_DIAGMSG_H */
