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

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "moenet.h"
#include "parent/core/degraded.h"

static char	 reasons[DEGRADED_MAX][DEGRADED_LEN];
#define DEGRADED_FILES	16
static char	 failing[DEGRADED_FILES][PATH_MAX];	/* not written */

static const char *const names[DEGRADED_MAX] = {
	"state_write",
	"removal_held",
	"bird"
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

/*
 * statefile_write's news: a file that cannot be written makes the
 * agent degraded until every such file has been written (statefile.c
 * tries them again after each write that works).
 */
void
degraded_statefile(const char *path, int err)
{
	int	 i, free_slot = -1, found = -1, n = 0;

	for (i = 0; i < DEGRADED_FILES; i++) {
		if (failing[i][0] == '\0') {
			if (free_slot == -1)
				free_slot = i;
		} else if (strcmp(failing[i], path) == 0)
			found = i;
	}
	if (err != 0) {
		if (found == -1) {
			log_warnx("state: %s cannot be written (%s): the "
			    "agent runs on, degraded, and a restart may not "
			    "know what changed since", path, strerror(err));
			if (free_slot != -1)
				strlcpy(failing[free_slot], path,
				    sizeof(failing[free_slot]));
		}
		degraded_set(DEGRADED_STATE_WRITE, "state not saved: %s: %s",
		    path, strerror(err));
		return;
	}
	if (found == -1)
		return;
	log_info("state: %s written again", path);
	failing[found][0] = '\0';
	for (i = 0; i < DEGRADED_FILES; i++)
		if (failing[i][0] != '\0')
			n++;
	if (n == 0)
		degraded_clear(DEGRADED_STATE_WRITE);
}
