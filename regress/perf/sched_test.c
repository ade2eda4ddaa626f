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
 * The scheduler: a first run and one asked for start at once, with no
 * jitter (someone waits for them); a periodic run comes after its
 * interval, spread by at most a tenth.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/time.h>

#include <event.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "moenet.h"
#include "parent/core/config.h"
#include "parent/core/sched.h"
#include "regress/regress.h"

struct moenet_conf	*conf;
void			 status_changed(void);

static struct moenet_conf	 c;
static struct sched_task	 task;
static struct timespec		 t0;
static long			 ms[4];
static int			 runs;

void
status_changed(void)
{
}

static long
since(void)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0.tv_sec) * 1000 +
	    (now.tv_nsec - t0.tv_nsec) / 1000000;
}

/*
 * Runs, in turn: the first (at once), then after the interval, then
 * asked for while waiting (at once), then asked for while running
 * (right after), then the end.  The later rounds start with a "now".
 */
static void
run(struct sched_task *t)
{
	ms[runs++] = since();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	switch (runs) {
	case 1:
		sched_done(t);		/* periodic: 1 s +-10% */
		break;
	case 2:
		sched_done(t);
		sched_now(t);
		break;
	case 3:
		sched_now(t);
		sched_done(t);
		break;
	default:
		sched_done(t);
		event_loopexit(NULL);
		break;
	}
}

int
main(void)
{
	int	i, fast = 1;

	event_init();
	conf = &c;
	c.iv_sync = 1;
	task.name = "test";
	task.interval = SCHED_IV(iv_sync);
	task.run = run;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sched_add(&task);
	sched_start();
	event_dispatch();
	REGRESS_CHECK("sched_first_at_once", runs == 4 && ms[0] < 50);
	REGRESS_CHECK("sched_periodic_after_interval", ms[1] >= 900 &&
	    ms[1] < 1500);
	/* Many times: the jitter this removed was random. */
	for (i = 0; i < 20 && fast; i++) {
		if (i > 0) {
			runs = 2;
			clock_gettime(CLOCK_MONOTONIC, &t0);
			sched_now(&task);
			event_dispatch();
		}
		if (runs != 4 || ms[2] >= 50 || ms[3] >= 50) {
			REGRESS_FAIL("sched_asked_at_once", "round %d: %ld, "
			    "%ld ms", i, ms[2], ms[3]);
			fast = 0;
		}
	}
	if (fast)
		REGRESS_OK("sched_asked_at_once");
	REGRESS_EXIT();
}
