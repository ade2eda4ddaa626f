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
#include <sys/time.h>
#include <sys/tree.h>

#include <event.h>
#include <string.h>
#include <time.h>

#include "moenet.h"
#include "log.h"
#include "parent/core/parent.h"
#include "parent/core/session.h"
#include "parent/core/status.h"

/* status.h stays free of session.h: the array is checked here. */
_Static_assert(STATUS_NSTATES == SESSION_STATE_MAX + 1,
    "STATUS_NSTATES is not the number of session states");

static struct timespec	 started;
static void		(*listeners[STATUS_LISTENERS])(void);
static size_t		 nlisteners;
static struct event	 ev_notify, ev_tick;
static int		 notify_due, events_set;

static void	status_notify(int, short, void *);
static void	status_tick(int, short, void *);

/* At start, before the children: the uptime counts from here. */
void
status_init(void)
{
	clock_gettime(CLOCK_MONOTONIC, &started);
}

void
status_take(struct status_snapshot *st)
{
	struct status_child	*c;
	struct timespec		 mono;
	struct session		*s;
	time_t			 now = time(NULL);
	int			 p;

	memset(st, 0, sizeof(*st));
	clock_gettime(CLOCK_MONOTONIC, &mono);
	st->now = now;
	st->uptime = mono.tv_sec - started.tv_sec;
	st->healthy = 1;
	st->unwell = -1;
	for (p = PROC_FETCHER; p < PROC_MAX; p++) {
		c = &st->children[p];
		c->pid = children[p].pid;
		c->ready = children[p].hello;
		c->pong_age = children[p].last_pong == 0 ? -1 :
		    now < children[p].last_pong ? 0 :
		    now - children[p].last_pong;
		c->healthy = c->ready && c->pong_age >= 0 &&
		    c->pong_age <= STATUS_PONG_MAX;
		st->children_up += c->ready && c->pid != 0;
		if (!c->healthy && st->healthy) {
			st->healthy = 0;
			st->unwell = p;
		}
	}
	RB_FOREACH(s, session_tree, &sessions) {
		if ((unsigned int)s->state <= SESSION_STATE_MAX)
			st->nstate[s->state]++;
		st->nsessions++;
	}
}

void
status_on_change(void (*cb)(void))
{
	if (nlisteners == STATUS_LISTENERS)
		fatalx("%s: too many listeners", __func__);
	listeners[nlisteners++] = cb;
	if (!events_set) {
		struct timeval	 tv = { STATUS_PING_INTERVAL, 0 };

		evtimer_set(&ev_notify, status_notify, NULL);
		evtimer_set(&ev_tick, status_tick, NULL);
		evtimer_add(&ev_tick, &tv);
		events_set = 1;
	}
}

/* Coalesced: many changes in one turn of the loop, one notice. */
void
status_changed(void)
{
	struct timeval	 tv = { 0, 0 };

	if (!events_set || notify_due)
		return;
	notify_due = 1;
	evtimer_add(&ev_notify, &tv);
}

static void
status_notify(int fd, short event, void *arg)
{
	size_t	 i;

	notify_due = 0;
	for (i = 0; i < nlisteners; i++)
		listeners[i]();
}

/* The ages move with the clock: shown afresh once a ping period. */
static void
status_tick(int fd, short event, void *arg)
{
	struct timeval	 tv = { STATUS_PING_INTERVAL, 0 };

	status_changed();
	evtimer_add(&ev_tick, &tv);
}
