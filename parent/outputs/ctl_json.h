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

#ifndef MOENET_CTL_JSON_H
#define MOENET_CTL_JSON_H

/*
 * moenetctl's JSON, on stdout, through the one writer (core/jw.c):
 * strings checked to be UTF-8 so the output always parses.  A NULL key
 * is an array element.
 */

#include <stdint.h>

void	json_reset(void);
void	json_open(const char *, char);
void	json_close(char);
void	json_key(const char *);
void	json_string(const char *, const char *);
void	json_string_null(const char *, const char *);
void	json_null(const char *);
void	json_int(const char *, int64_t);
void	json_uint(const char *, uint64_t);
void	json_age(const char *, int64_t);
void	json_nonzero(const char *, uint64_t);
void	json_bool(const char *, int);
void	json_quote(const char *);

#endif /* MOENET_CTL_JSON_H */
