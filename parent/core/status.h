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


#ifndef MOENET_STATUS_H
#define MOENET_STATUS_H

/*
 * One status snapshot: what the outputs (the control socket, the HTTP
 * documents, sd_notify) show of the parent itself, taken in one place
 * with one health limit.  What the tasks know (the last sync, the
 * heartbeat) each task says through its own status call.
 *
 * A change anyone shows is announced with status_changed(); the
 * listeners are called once, from the event loop, for any number of
 * changes, and at least every STATUS_PING_INTERVAL for the ages.
 */

#include <sys/types.h>

#include <stdint.h>
#include <time.h>

#include "moenet.h"

#define STATUS_PING_INTERVAL	10	/* s: the parent pings each child */
#define STATUS_PONG_MAX		25	/* s: two pings and slack */
#define STATUS_LISTENERS	4
#define STATUS_NSTATES		7	/* SESSION_STATE_MAX + 1 */

struct status_child {
	pid_t		 pid;		/* 0: not running */
	int		 ready;		/* said HELLO */
	int64_t		 pong_age;	/* s; -1: never answered */
	int		 healthy;	/* ready, answered within the limit */
};

struct status_snapshot {
	time_t			 now;
	int64_t			 uptime;	/* s since the parent started */
	struct status_child	 children[PROC_MAX];
	unsigned int		 children_up;
	int			 healthy;	/* every child */
	int			 unwell;	/* the first child not, or -1 */
	unsigned int		 nsessions;
	unsigned int		 nstate[STATUS_NSTATES];	/* by state */
};

void	status_init(void);
void	status_take(struct status_snapshot *);
void	status_changed(void);
void	status_on_change(void (*)(void));

#endif /* MOENET_STATUS_H */
