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


#ifndef MOENET_BIRDCHECK_H
#define MOENET_BIRDCHECK_H

/*
 * "bird -p -c <config>" as a child the event loop watches: its words
 * are read as they come, its exit is reaped by the SIGCHLD handler, and
 * a check that takes longer than BIRDCHECK_TIMEOUT is killed.
 */

#include <stddef.h>

#define BIRDCHECK_TIMEOUT	10	/* s: a parse takes milliseconds */
#define BIRDCHECK_TEXT_LEN	512

/* ok, or BIRD's first line in err; arg last. */
typedef void	(*birdcheck_cb)(int, const char *, void *);

int	birdcheck_start(const char *, const char *, birdcheck_cb, void *,
	    char *, size_t);
int	birdcheck_busy(void);

#endif /* MOENET_BIRDCHECK_H */
