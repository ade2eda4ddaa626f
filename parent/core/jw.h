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

#ifndef MOENET_JW_H
#define MOENET_JW_H

#include <stdio.h>
#include <time.h>

#define JW_DEPTH	8

/* A JSON writer on a stdio stream: keys, values and the commas. */
struct jw {
	FILE	*f;
	int	 depth;
	int	 n[JW_DEPTH];	/* members written at each depth */
};

void	jw_init(struct jw *, FILE *);
void	jw_key(struct jw *, const char *);
void	jw_open(struct jw *, const char *, char);
void	jw_close(struct jw *, char);
void	jw_str(struct jw *, const char *, const char *);
void	jw_int(struct jw *, const char *, long long);
void	jw_uint(struct jw *, const char *, unsigned long long);
void	jw_bool(struct jw *, const char *, int);
void	jw_time(struct jw *, const char *, time_t);
void	jw_null(struct jw *, const char *);
void	jw_double(struct jw *, const char *, double, int);
void	jw_quote(FILE *, const char *);

#endif /* MOENET_JW_H */
