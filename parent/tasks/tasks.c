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

/*
 * The agent's periodic tasks, in one table: name, the configuration key
 * that holds its interval, what it runs.  Each module adds its line;
 * the scheduler (core/sched.c) runs them.
 */

#include <sys/types.h>

#include <stddef.h>

#include "moenet.h"
#include "parent/core/config.h"
#include "parent/core/sched.h"
#include "parent/tasks/engine.h"
#include "parent/tasks/policy.h"
#include "parent/tasks/metrics.h"
#include "parent/tasks/rtt.h"
#include "parent/tasks/mesh.h"

static struct sched_task tasks[] = {
	{ .name = ENGINE_SYNC_TASK, .interval = SCHED_IV(iv_sync),
	    .run = sync_run },
	{ .name = "heartbeat", .interval = SCHED_IV(iv_heartbeat),
	    .run = heartbeat_run },
	{ .name = "metrics", .interval = SCHED_IV(iv_metric),
	    .run = metrics_run },
	{ .name = "rtt", .interval = SCHED_IV(iv_rtt), .run = rtt_run },
	{ .name = "meshSync", .interval = SCHED_IV(iv_mesh), .run = mesh_run,
	    .init = mesh_init },
	{ .name = "ibgpSync", .interval = SCHED_IV(iv_ibgp),
	    .run = ibgp_run },
	{ .name = "policy", .interval = SCHED_IV(iv_policy),
	    .run = policy_run, .init = policy_init },
};

void
tasks_start(void)
{
	size_t	 i;

	if (sched_started())
		return;
	for (i = 0; i < sizeof(tasks) / sizeof(tasks[0]); i++)
		sched_add(&tasks[i]);
	sched_start();
}
