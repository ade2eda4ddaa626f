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
 * What is wrong with the agent while it keeps running: one slot per
 * condition, set and cleared by the code that sees it, read by every
 * output (health, status, metrics, heartbeat).
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "moenet.h"
#include "degraded.h"

static char	 reasons[DEGRADED_MAX][DEGRADED_LEN];

static const char *const names[DEGRADED_MAX] = {
	"state_write",
	"removal_held"
};

void
degraded_set(enum degraded_what w, const char *fmt, ...)
{
	va_list	 ap;

	if (w >= DEGRADED_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(reasons[w], sizeof(reasons[w]), fmt, ap);
	va_end(ap);
}

void
degraded_clear(enum degraded_what w)
{
	if (w < DEGRADED_MAX)
		reasons[w][0] = '\0';
}

int
degraded_is(enum degraded_what w)
{
	return w < DEGRADED_MAX && reasons[w][0] != '\0';
}

/* The reasons now, at most max of them; how many. */
int
degraded_reasons(char out[][DEGRADED_LEN], int max)
{
	int	 w, n = 0;

	for (w = 0; w < DEGRADED_MAX && n < max; w++)
		if (reasons[w][0] != '\0')
			strlcpy(out[n++], reasons[w], DEGRADED_LEN);
	return n;
}

const char *
degraded_name(enum degraded_what w)
{
	return w < DEGRADED_MAX ? names[w] : "unknown";
}
