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

#ifndef MOENET_REGRESS_H
#define MOENET_REGRESS_H

/*
 * Minimal helpers for C unit tests run by regress/run.sh: one output
 * line per case, "ok name" or "FAIL name: why".
 */

#include <stdio.h>
#include <stdlib.h>

static int regress_failures;

#define REGRESS_OK(name)	printf("ok %s\n", (name))
#define REGRESS_SKIP(name, why)	printf("skip %s: %s\n", (name), (why))
#define REGRESS_FAIL(name, ...) do {					\
	printf("FAIL %s: ", (name));					\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	regress_failures++;						\
} while (0)
#define REGRESS_CHECK(name, cond) do {					\
	if (cond)							\
		REGRESS_OK(name);					\
	else								\
		REGRESS_FAIL(name, "%s:%d: %s", __FILE__, __LINE__,	\
		    #cond);						\
} while (0)
#define REGRESS_EXIT()	return (regress_failures ? 1 : 0)

#endif /* MOENET_REGRESS_H */
