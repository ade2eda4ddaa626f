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

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagout.h"

#define DIAG_OUT_MARK	"\n[output truncated]\n"

int
diag_out_init(struct diag_out *o, size_t max)
{
	memset(o, 0, sizeof(*o));
	if ((o->buf = malloc(max + 1)) == NULL)
		return -1;
	o->buf[0] = '\0';
	o->max = max;
	return 0;
}

void
diag_out_free(struct diag_out *o)
{
	free(o->buf);
	memset(o, 0, sizeof(*o));
}

/*
 * Anything past the cap is dropped and remembered; what was printed
 * stays whole up to there.  Bytes other than printable ASCII, tab and
 * newline never make it in: the text goes into JSON and onto terminals.
 */
void
diag_out_printf(struct diag_out *o, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 room, i;
	int	 n;

	if (o->buf == NULL || o->truncated)
		return;
	room = o->max - o->len;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, room + 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > room) {
		n = room;
		o->truncated = 1;
	}
	for (i = o->len; i < o->len + n; i++)
		if ((o->buf[i] < 0x20 && o->buf[i] != '\n' &&
		    o->buf[i] != '\t') ||
		    (unsigned char)o->buf[i] >= 0x7f)
			o->buf[i] = '?';
	o->len += n;
	o->buf[o->len] = '\0';
}

/* The mark of a cut goes in the room kept free for it. */
void
diag_out_finish(struct diag_out *o)
{
	size_t	 mlen = sizeof(DIAG_OUT_MARK) - 1;

	if (o->buf == NULL || !o->truncated)
		return;
	if (o->len > o->max - mlen)
		o->len = o->max - mlen;
	memcpy(o->buf + o->len, DIAG_OUT_MARK, mlen + 1);
	o->len += mlen;
}
