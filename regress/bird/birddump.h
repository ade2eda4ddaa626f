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

#ifndef MOENET_BIRDDUMP_H
#define MOENET_BIRDDUMP_H

/*
 * Test support: run a raw BIRD byte stream (banner + one reply) through
 * the framer in given chunks and print everything the parsers make of
 * it as text, for comparison with .ok files.
 */

#include <stdio.h>
#include <time.h>

#define DUMP_REF_TIME	1795557600	/* 2026-11-24 22:00:00 UTC */

int	dump_kind_cmd(const char *);
int	dump_stream(const char *, const char *, size_t, const size_t *,
	    size_t, FILE *);
char	*dump_to_string(const char *, const char *, size_t, const size_t *,
	    size_t);
char	*read_file(const char *, size_t *);

#endif /* MOENET_BIRDDUMP_H */
