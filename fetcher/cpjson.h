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

#ifndef MOENET_CPJSON_H
#define MOENET_CPJSON_H

/*
 * Control-plane replies to typed records.  Every parser takes the reply
 * body, checks the envelope {code, message, data} and then the document
 * in data, and returns:
 *	 0		success, records filled in;
 *	CP_PARSE_INVALID	the document as a whole is not valid: err holds
 *			"<$.json.path>: <reason>" and nothing is returned;
 *	CP_PARSE_CPERROR	the envelope's code is not 0: err holds the
 *			control plane's code and message (sanitized).
 * Arrays are allocated (free them with free()); on failure *out is NULL
 * and *n is 0.  The HTTP status is the caller's to check, as is the
 * size of the body (at most CP_DOC_MAX).
 */

#include <sys/types.h>

#include <stddef.h>

#include "cp.h"

#define CP_DOC_MAX		(8 * 1024 * 1024)
#define CP_PARSE_INVALID	(-1)
#define CP_PARSE_CPERROR	(-2)

int	cp_parse_reply(const char *, size_t, char *, size_t);
int	cp_parse_sessions(const char *, size_t, struct cp_session_msg **,
	    size_t *, char *, size_t);
int	cp_parse_nodeconf(const char *, size_t, struct cp_nodeconf_msg *,
	    char *, size_t);
int	cp_parse_mesh(const char *, size_t, struct cp_mesh_peer_msg **,
	    size_t *, char *, size_t);
int	cp_parse_policy(const char *, size_t, struct cp_policy_msg *,
	    struct cp_ibgp_peer_msg **, size_t *, char *, size_t);

#endif /* MOENET_CPJSON_H */
