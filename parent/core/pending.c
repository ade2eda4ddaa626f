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

#include <errno.h>
#include <event.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "parent/core/pending.h"

static uint32_t	 pending_lastid;

static void	pending_expired(int, short, void *);

/* -1 with EAGAIN when the set is full: the port refuses the request. */
int
pending_add(struct pending_set *s, struct pending *p, void *owner)
{
	if (s->max != 0 && s->n >= s->max) {
		errno = EAGAIN;
		return -1;
	}
	/* 0 is never an id: callers use it for "nothing waits". */
	if (++pending_lastid == 0)
		pending_lastid = 1;
	p->id = pending_lastid;
	p->owner = owner;
	p->set = s;
	p->timed = 0;
	TAILQ_INSERT_TAIL(&s->head, p, entry);
	s->n++;
	return 0;
}

void
pending_del(struct pending *p)
{
	if (p->set == NULL)
		return;
	pending_untime(p);
	TAILQ_REMOVE(&p->set->head, p, entry);
	p->set->n--;
	p->set = NULL;
}

int
pending_waiting(const struct pending *p)
{
	return p->set != NULL;
}

/* The owner, or NULL if no request of the set has that id (any more). */
void *
pending_find(struct pending_set *s, uint32_t id)
{
	struct pending	*p;

	TAILQ_FOREACH(p, &s->head, entry)
		if (p->id == id)
			return p->owner;
	return NULL;
}

/* A child's answer to a request never asked is a protocol violation. */
void *
pending_get(struct pending_set *s, uint32_t id, const char *what)
{
	void	*owner;

	if ((owner = pending_find(s, id)) == NULL)
		fatalx("%s sent %s for unknown request %u", s->name, what, id);
	return owner;
}

/* After secs, the set's expire() gets the owner; the request stays. */
void
pending_timeout(struct pending *p, unsigned int secs)
{
	struct timeval	 tv = { secs, 0 };

	pending_untime(p);
	evtimer_set(&p->timer, pending_expired, p);
	evtimer_add(&p->timer, &tv);
	p->timed = 1;
}

void
pending_untime(struct pending *p)
{
	if (p->timed)
		evtimer_del(&p->timer);
	p->timed = 0;
}

size_t
pending_count(const struct pending_set *s)
{
	return s->n;
}

/* Owners in the order asked; the next one is taken before a del. */
void *
pending_first(struct pending_set *s)
{
	struct pending	*p = TAILQ_FIRST(&s->head);

	return p != NULL ? p->owner : NULL;
}

void *
pending_next(struct pending *p)
{
	struct pending	*n = TAILQ_NEXT(p, entry);

	return n != NULL ? n->owner : NULL;
}

static void
pending_expired(int fd, short event, void *arg)
{
	struct pending	*p = arg;

	p->timed = 0;
	if (p->set != NULL && p->set->expire != NULL)
		p->set->expire(p->owner);
}
