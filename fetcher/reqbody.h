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

#ifndef MOENET_REQBODY_H
#define MOENET_REQBODY_H

/*
 * The bot's request bodies: one JSON object, of which one member is
 * wanted.  Pure code, no allocation beyond yajl's own: it runs in the
 * fetcher on bytes from the network and is fuzzed (regress/fuzz).
 */

#include <stddef.h>

#define REQBODY_STRING	0x1	/* the member may be a string */
#define REQBODY_NUMBER	0x2	/* or a non-negative integer */

/*
 * The first of keys (NULL-terminated) present in the object body[len],
 * as text in out: a string's bytes, or an integer's decimal digits.
 * 1: found; 0: none of them is there; -1: not a JSON object, a member
 * of the wrong type, too long, or a NUL byte; err says which.
 */
int	reqbody_member(const char *, size_t, const char *const *, int,
	    char *, size_t, char *, size_t);

#endif /* MOENET_REQBODY_H */
