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

#ifndef MOENET_CTL_ERR_H
#define MOENET_CTL_ERR_H

/*
 * moenetctl's failures: on stderr, or with -j as {"error": "..."} on
 * stdout in place of anything not yet written; the exit status is
 * non-zero either way.  Included after <err.h>, err(3)'s names become
 * these, so every failure of the client takes this way.
 */

#include <errno.h>

void	ctl_json_errors(void);
__dead void ctl_fail(int, int, const char *, ...)
	    __attribute__((__format__ (printf, 3, 4)));

#define errx(e, ...)	ctl_fail((e), 0, __VA_ARGS__)
#define err(e, ...)	ctl_fail((e), errno, __VA_ARGS__)
#define errc(e, c, ...)	ctl_fail((e), (c), __VA_ARGS__)

#endif /* MOENET_CTL_ERR_H */
