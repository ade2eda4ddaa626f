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


#ifndef MOENET_PENDING_H
#define MOENET_PENDING_H

/*
 * Requests that wait for an answer: to a child (the CP client, BIRD,
 * WireGuard, the bot's tools) or from a client (the control socket's
 * connections waiting for a task).  One id space for the whole parent,
 * so an id in a log names one request; one set per port with its
 * limit; an optional time limit per request.
 *
 * The convention for every port's callbacks: the answer first, the
 * caller's argument last, called exactly once for a request that was
 * taken (the port's function returned 0), never for one refused (-1,
 * with errno).  A caller that may be gone by the answer passes an id,
 * never a pointer, and finds itself with pending_find().
 */

#include <sys/queue.h>

#include <event.h>
#include <stddef.h>
#include <stdint.h>

struct pending_set;

struct pending {
	TAILQ_ENTRY(pending)	 entry;
	struct pending_set	*set;		/* NULL: not waiting */
	void			*owner;		/* the record it is part of */
	uint32_t		 id;
	struct event		 timer;
	int			 timed;
};

struct pending_set {
	const char		*name;		/* for logs */
	TAILQ_HEAD(, pending)	 head;
	size_t			 n;
	size_t			 max;		/* 0: no limit */
	void			(*expire)(void *);	/* the owner */
};

#define PENDING_SET_INITIALIZER(s, name, max, expire)			\
	{ (name), TAILQ_HEAD_INITIALIZER((s).head), 0, (max), (expire) }

int	 pending_add(struct pending_set *, struct pending *, void *);
void	 pending_del(struct pending *);
int	 pending_waiting(const struct pending *);
void	*pending_find(struct pending_set *, uint32_t);
void	*pending_get(struct pending_set *, uint32_t, const char *);
void	 pending_timeout(struct pending *, unsigned int);
void	 pending_untime(struct pending *);
size_t	 pending_count(const struct pending_set *);
void	*pending_first(struct pending_set *);
void	*pending_next(struct pending *);

#endif /* MOENET_PENDING_H */
