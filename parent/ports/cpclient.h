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

#ifndef MOENET_CPCLIENT_H
#define MOENET_CPCLIENT_H

#include <sys/types.h>

#include <stdint.h>
#include <time.h>

#include "cp.h"
#include "cpctl.h"

/* What a call brought back; pointers valid only during the callback. */
struct cp_reply {
	struct cp_session_msg	*sessions;
	size_t			 nsessions;
	struct cp_mesh_peer_msg	*mesh;
	size_t			 nmesh;
	struct cp_policy_msg	*policy;
	struct cp_ibgp_peer_msg	*ibgp;
	size_t			 nibgp;
	struct cp_nodeconf_msg	*nodeconf;
};

typedef void	(*cp_cb)(const struct cp_result_msg *, const struct cp_reply *,
		    void *);

struct cp_stats {
	uint64_t	 count[CP_EP_MAX][CP_RES_MAX];
	time_t		 last_success[CP_EP_MAX];
	time_t		 last_attempt[CP_EP_MAX];
	uint32_t	 breaker;		/* enum breaker_state */
	int		 configured;
};

uint32_t	 cp_fetch(enum cp_endpoint, cp_cb, void *);
uint32_t	 cp_modify(const struct cp_modify_msg *, cp_cb, void *);
uint32_t	 cp_heartbeat(const struct cp_heartbeat_msg *, cp_cb, void *);
uint32_t	 cp_report(const struct cp_report_msg *,
		    const struct cp_report_session_msg *, size_t, cp_cb,
		    void *);
uint32_t	 cp_rtt(const struct cp_rtt_msg *, size_t, cp_cb, void *);
uint32_t	 cp_mesh_status(const struct cp_mesh_status_msg *, size_t,
		    cp_cb, void *);
const struct cp_stats *cp_stats(void);
int		 cp_reachable(time_t, time_t *);
void		 cp_reconfigure(void);

struct imsg;
void	cp_init(void);
void	cp_routes(void);
void	parent_dispatch_fetcher(struct imsg *);

#endif /* MOENET_CPCLIENT_H */
