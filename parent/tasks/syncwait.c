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
 * The outcome of the session sync under way, gathered as engine.c
 * goes, and handed to whoever waits for it.  A waiter waits for the
 * next sync to begin after it asked (one under way when it asked has
 * read its list already), and hears the progress of the tunnels, one
 * notice in SYNCWAIT_TICK_MS at most.
 */

#include <sys/types.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moenet.h"
#include "log.h"
#include "parent/core/session.h"
#include "parent/tasks/plan.h"
#include "parent/tasks/syncwait.h"

#define SYNCWAIT_MAX		32
#define SYNCWAIT_TICK_MS	250

struct waiter {
	syncwait_cb	 cb;
	void		*arg;
	uint64_t	 from;		/* the sync it waits for */
	int		 used;
};

struct fields {
	char		 uuid[CP_UUID_LEN];
	char		 fields[PLAN_FIELDS_LEN];
};

static struct waiter	 waiters[SYNCWAIT_MAX];
static uint64_t		 started;	/* syncs begun */
static struct plan	 cur;
static struct fields	*changed;
static size_t		 nchanged;
static int64_t		 t0, tick;

static int64_t	now_ms(void);
static void	tell(int, size_t, size_t);

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
syncwait_add(syncwait_cb cb, void *arg)
{
	size_t	 i;

	for (i = 0; i < SYNCWAIT_MAX; i++)
		if (!waiters[i].used) {
			waiters[i].cb = cb;
			waiters[i].arg = arg;
			waiters[i].from = started + 1;
			waiters[i].used = 1;
			return 0;
		}
	return -1;
}

void
syncwait_cancel(void *arg)
{
	size_t	 i;

	for (i = 0; i < SYNCWAIT_MAX; i++)
		if (waiters[i].used && waiters[i].arg == arg)
			waiters[i].used = 0;
}

/* Waiters are let go before they are called: a callback may add one. */
static void
tell(int done, size_t ndone, size_t ntotal)
{
	struct waiter	 w;
	size_t		 i;

	for (i = 0; i < SYNCWAIT_MAX; i++) {
		if (!waiters[i].used || waiters[i].from > started)
			continue;
		w = waiters[i];
		if (done)
			waiters[i].used = 0;
		w.cb(done, ndone, ntotal, done ? &cur : NULL, w.arg);
	}
}

void
syncwait_begin(void)
{
	started++;
	plan_clear(&cur);
	free(changed);
	changed = NULL;
	nchanged = 0;
	t0 = now_ms();
	tick = 0;
}

/* The fields of a session's record this sync's list changed. */
void
syncwait_fields(const char *uuid, const char *fields)
{
	struct fields	*v;

	if ((v = reallocarray(changed, nchanged + 1, sizeof(*v))) == NULL)
		return;
	changed = v;
	strlcpy(changed[nchanged].uuid, uuid, sizeof(changed[0].uuid));
	strlcpy(changed[nchanged].fields, fields, sizeof(changed[0].fields));
	nchanged++;
}

/*
 * What the sync did with s: a plan_kind with why (held, failed), or -1
 * when it kept s as it was.  A kept session whose record changed is
 * one changed.
 */
void
syncwait_note(int kind, const struct session *s, const char *reason)
{
	const char	*f = NULL;
	size_t		 i;

	if (kind == -1 || kind == PLAN_CHANGED) {
		for (i = 0; i < nchanged; i++)
			if (strcmp(changed[i].uuid, s->desired.uuid) == 0)
				f = changed[i].fields;
		if (f == NULL) {
			cur.nunchanged++;
			return;
		}
		kind = PLAN_CHANGED;
	}
	plan_add(&cur, kind, s, NULL, f, reason);
}

void
syncwait_listed(size_t n)
{
	cur.nlisted = n;
}

void
syncwait_progress(size_t done, size_t total)
{
	int64_t	 t = now_ms();

	if (done != 0 && done != total && t - tick < SYNCWAIT_TICK_MS)
		return;
	tick = t;
	tell(0, done, total);
}

/* err: why the sync could not read the list; NULL when it did. */
void
syncwait_end(const char *err)
{
	if (err != NULL)
		strlcpy(cur.error, err, sizeof(cur.error));
	cur.duration_ms = now_ms() - t0;
	tell(1, 0, 0);
	free(changed);
	changed = NULL;
	nchanged = 0;
}
