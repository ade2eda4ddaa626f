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


#include <sys/types.h>
#include <sys/queue.h>
#include <sys/time.h>

#include <event.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "parent/core/config.h"
#include "parent/core/parent.h"
#include "parent/core/sched.h"
#include "parent/core/status.h"

#define SCHED_SPREAD_DIV	10	/* intervals vary by 1/10 */

static TAILQ_HEAD(, sched_task)	 sched_tasks =
    TAILQ_HEAD_INITIALIZER(sched_tasks);
static int			 started, stopping;

static void	sched_arm(struct sched_task *, int);
static void	sched_fire(int, short, void *);

void
sched_add(struct sched_task *t)
{
	evtimer_set(&t->ev, sched_fire, t);
	t->running = t->again = 0;
	TAILQ_INSERT_TAIL(&sched_tasks, t, entry);
	if (started) {
		if (t->init != NULL)
			t->init();
		sched_arm(t, 1);
	}
}

void
sched_start(void)
{
	struct sched_task	*t;

	if (started)
		return;
	started = 1;
	TAILQ_FOREACH(t, &sched_tasks, entry) {
		if (t->init != NULL)
			t->init();
		sched_arm(t, 1);
	}
}

/* Shutting down: no task starts any more; runs under way finish. */
void
sched_stop(void)
{
	stopping = 1;
}

int
sched_started(void)
{
	return started;
}

struct sched_task *
sched_find(const char *name)
{
	struct sched_task	*t;

	TAILQ_FOREACH(t, &sched_tasks, entry)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

/* A task whose wait is over: now, or right after the run under way. */
void
sched_now(struct sched_task *t)
{
	if (!started || t == NULL)
		return;
	if (t->running) {
		t->again = 1;
		return;
	}
	evtimer_del(&t->ev);
	sched_arm(t, 1);
}

/* What a run changed is for the outputs to show. */
void
sched_done(struct sched_task *t)
{
	t->running = 0;
	status_changed();
	if (t->again) {
		t->again = 0;
		sched_arm(t, 1);
	} else
		sched_arm(t, 0);
}

/*
 * At once, or after the interval +-10%, read from the configuration in
 * force so that a reload changes it.  Only the periodic runs are spread:
 * a first run or one somebody asked for (moenetctl sync, POST /sync)
 * has someone waiting for it.
 */
static void
sched_arm(struct sched_task *t, int now)
{
	struct timeval	 tv;
	uint32_t	 spread;
	long		 ms;
	int		 ms32;

	if (now)
		ms = 0;
	else {
		memcpy(&ms32, (const char *)conf + t->interval, sizeof(ms32));
		ms = (long)ms32 * 1000;
		spread = ms / SCHED_SPREAD_DIV;
		if (spread > 0)
			ms += (long)arc4random_uniform(2 * spread + 1) - spread;
	}
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(&t->ev, &tv);
}

static void
sched_fire(int fd, short event, void *arg)
{
	struct sched_task	*t = arg;

	if (stopping)
		return;
	if (t->running) {
		t->again = 1;
		return;
	}
	t->running = 1;
	t->run(t);
}

/*
 * Seconds until t runs next: 0 if it runs now or is due, -1 when it
 * is not scheduled (stopped, or never started).
 */
int
sched_next(struct sched_task *t, int64_t *in)
{
	struct timeval	 when, now;

	if (t->running) {
		*in = 0;
		return 0;
	}
	if (!event_initialized(&t->ev) ||
	    !event_pending(&t->ev, EV_TIMEOUT, &when))
		return -1;
	gettimeofday(&now, NULL);
	*in = when.tv_sec < now.tv_sec ? 0 : when.tv_sec - now.tv_sec;
	return 0;
}
