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

#ifndef MOENET_ENGINE_H
#define MOENET_ENGINE_H

#include <sys/types.h>

#include <netinet/in.h>

#include <event.h>
#include <stddef.h>
#include <time.h>

#define ENGINE_ERROR_LEN	256

struct engine_status {
	int		 started;
	int		 syncing;
	int		 stopping;
	time_t		 last_sync;		/* last sync that completed */
	time_t		 last_sync_ok;		/* last valid session list */
	time_t		 last_heartbeat_ok;
	unsigned int	 generation;		/* valid lists seen */
	int		 from_state;		/* kept from last_state.json */
	int		 has_public_ipv4;	/* in the last heartbeat */
	int		 has_public_ipv6;
	struct in_addr	 public_ipv4;
	struct in6_addr	 public_ipv6;
	char		 last_error[ENGINE_ERROR_LEN];
};

/*
 * A periodic task (parent/tasks.c lists them): run() is called at start
 * and then every interval with jitter, never while it is still running;
 * it calls engine_task_done() when finished.
 */
struct engine_task {
	const char	*name;
	size_t		 interval;	/* offset of an int in moenet_conf */
	void		(*run)(struct engine_task *);
	void		(*init)(void);	/* once, before the first run */
	struct event	 ev;
	int		 running;
	int		 again;		/* asked for while running */
};

#define ENGINE_TASK_SYNC	0	/* the first entry of engine_tasks */

extern struct engine_task	 engine_tasks[];
extern const size_t		 engine_ntasks;

void	engine_task_done(struct engine_task *);
void	sync_run(struct engine_task *);
void	heartbeat_run(struct engine_task *);
void	engine_start(void);
void	engine_sync_now(void);
void	engine_task_now(struct engine_task *);
void	engine_stop(void);
int	engine_busy(void);
const struct engine_status *engine_status(void);
int	engine_state_save(void);
void	engine_state_load(void);

#endif /* MOENET_ENGINE_H */
