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

/*
 * libFuzzer harness for BIRD's control-socket replies: the framer
 * (birdproto.c) fed in chunks, then the reply parsers (birdparse.c)
 * the command calls for, through the same dump the fixture tests use.
 * The first byte picks the command (regress/bird/birddump.c's kinds),
 * the second the chunk size, 0 for all at once; the rest is what BIRD
 * sent, banner included.
 */

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regress/bird/birddump.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const kinds[] = {
	"status", "protocols", "configure_check", "configure_timeout",
	"configure_confirm", "configure_undo", "configure", "enable",
	"disable", "restart", "other"
};

static FILE	*devnull;
static size_t	 cuts[4096];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t	 ncuts = 0, step, off;

	if (size < 2)
		return 0;
	if (devnull == NULL && (devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	step = data[1];
	for (off = step; step > 0 && off < size - 2 &&
	    ncuts < sizeof(cuts) / sizeof(cuts[0]); off += step)
		cuts[ncuts++] = off;
	dump_stream(kinds[data[0] % (sizeof(kinds) / sizeof(kinds[0]))],
	    (const char *)data + 2, size - 2, cuts, ncuts, devnull);
	return 0;
}
