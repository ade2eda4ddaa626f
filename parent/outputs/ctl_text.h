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

#ifndef MOENET_CTL_TEXT_H
#define MOENET_CTL_TEXT_H

/*
 * Text for a terminal: what came from BIRD or the control plane tamed
 * (printable), and measured and cut by the columns it takes there
 * (width, pad, fit), not by its bytes: a CJK character takes two, a
 * combining mark none.
 */

#include <stddef.h>
#include <stdint.h>

size_t		 utf8_len(const unsigned char *);
const char	*printable(const char *, char *, size_t);
size_t		 width(const char *);
void		 pad(const char *, size_t, int);
const char	*fit(const char *, size_t, char *, size_t);
const char	*fmt_rtt(int64_t, char *, size_t);
const char	*fmt_age(int64_t, char *, size_t);

#endif /* MOENET_CTL_TEXT_H */
