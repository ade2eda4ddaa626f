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


#ifndef MOENET_RESOLVEMSG_H
#define MOENET_RESOLVEMSG_H

/*
 * A WireGuard endpoint's host name, resolved in the fetcher (the root
 * parent never waits on DNS).  The parent sends IMSG_RESOLVE with its
 * request id in peerid; the fetcher answers once with
 * IMSG_RESOLVE_RESULT and the same id, within RESOLVE_TIMEOUT seconds:
 * the first address the resolver gives, or an error.  Fixed sizes,
 * checked exactly; the host is NUL-terminated within its field and of
 * A-Z a-z 0-9 . - only, checked on both sides.
 */

#include <sys/types.h>

#include <stdint.h>

#define RESOLVE_HOST_LEN	256
#define RESOLVE_TEXT_LEN	96
#define RESOLVE_TIMEOUT		3	/* s */
#define RESOLVE_JOBS_MAX	1024	/* in flight in the fetcher */
#define RESOLVE_HOST_CHARS						\
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"

struct resolve_msg {
	char		host[RESOLVE_HOST_LEN];
	uint16_t	port;
	uint16_t	pad;
};

struct resolve_result_msg {
	int32_t		err;		/* 0, or an errno value */
	uint32_t	af;		/* AF_INET or AF_INET6 when err is 0 */
	uint8_t		addr[16];
	char		text[RESOLVE_TEXT_LEN];	/* why, when err is not 0 */
};

#endif /* MOENET_RESOLVEMSG_H */
