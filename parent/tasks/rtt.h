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

#ifndef MOENET_PARENT_RTT_H
#define MOENET_PARENT_RTT_H

#include <stddef.h>
#include <stdint.h>

#include "rttmsg.h"

#define RTT_NOW_MAX		16	/* probes on demand at once */

struct sched_task;
struct imsg;
struct session;

/*
 * A session's result in a round: its peer's ASN, the target as text,
 * the fetcher's answer.
 */
typedef void	(*rtt_result_cb)(uint32_t, const char *,
		    const struct rtt_done_msg *);
/* A probe on demand: the fetcher's answer, NULL if none came in time. */
typedef void	(*rtt_now_cb)(const struct rtt_done_msg *, void *);

void	rtt_run(struct sched_task *);
void	rtt_routes(void);
void	rtt_on_result(rtt_result_cb);
int	rtt_probe_now(struct session *, uint32_t, uint32_t, unsigned int,
	    rtt_now_cb, void *, char *, size_t);

#endif /* MOENET_PARENT_RTT_H */
