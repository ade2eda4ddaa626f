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


#ifndef MOENET_SCHED_H
#define MOENET_SCHED_H

/*
 * The scheduler: periodic tasks, each run at start and then every
 * interval with jitter, never while it is still running.  It knows no
 * task: a task registers, and tells when a run is over with
 * sched_done().
 */

#include <sys/queue.h>

#include <event.h>
#include <stddef.h>
#include <stdint.h>

struct sched_task {
	const char	*name;
	size_t		 interval;	/* of an int (s) in moenet_conf */
	void		(*run)(struct sched_task *);
	void		(*init)(void);	/* once, before the first run */

	/* the scheduler's */
	TAILQ_ENTRY(sched_task)	 entry;
	struct event	 ev;
	int		 running;
	int		 again;		/* asked for while running */
};

#define SCHED_IV(f)	offsetof(struct moenet_conf, f)

void	sched_add(struct sched_task *);
void	sched_start(void);
void	sched_stop(void);
int	sched_started(void);
struct sched_task *sched_find(const char *);
void	sched_now(struct sched_task *);
void	sched_done(struct sched_task *);
int	sched_next(struct sched_task *, int64_t *);

#endif /* MOENET_SCHED_H */
