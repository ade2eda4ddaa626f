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

#define ENGINE_SYNC_TASK	"sessionSync"

struct sched_task;

void	sync_run(struct sched_task *);
void	heartbeat_run(struct sched_task *);
void	engine_start(void);
void	engine_sync_now(void);
void	engine_stop(void);
int	engine_busy(void);
const struct engine_status *engine_status(void);
struct session;
struct wg_tunnel;
int	engine_tunnel_of(const struct session *, struct wg_tunnel *);
int	engine_state_save(void);
void	engine_state_load(void);

/* tasks.c: the table of periodic tasks */
void	tasks_start(void);

#endif /* MOENET_ENGINE_H */
