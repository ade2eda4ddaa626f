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
 * Giving freed memory back to the system, in every process.
 *
 * The work comes in bursts (a sync, a BIRD reply of a thousand
 * protocols, a thousand status reports) that free all they allocated,
 * and glibc keeps what a burst freed: a large buffer freed once raises
 * its mmap threshold to that size (up to 32 MiB) and the trim
 * threshold to twice that, after which such buffers come from the heap
 * and stay there.  Fixed thresholds keep large buffers in mappings of
 * their own, unmapped when freed; what small allocations leave free
 * amid the heap goes back by malloc_trim(3), once the burst is over.
 */

#include <sys/types.h>
#include <sys/time.h>

#include <event.h>
#include <malloc.h>

#include "memtrim.h"

#define MEMTRIM_MMAP_THRESHOLD	(128 * 1024)
#define MEMTRIM_TRIM_THRESHOLD	(256 * 1024)
#define MEMTRIM_DELAY_SEC	1

static struct event	ev_trim;
static int		ev_trim_set;

static void
memtrim_run(int fd, short event, void *arg)
{
	malloc_trim(0);
}

/* Before the first allocation of note. */
void
memtrim_init(void)
{
	mallopt(M_MMAP_THRESHOLD, MEMTRIM_MMAP_THRESHOLD);
	mallopt(M_TRIM_THRESHOLD, MEMTRIM_TRIM_THRESHOLD);
}

/*
 * A burst freed what it held: trim a second after the first such call,
 * once for a whole burst, not after each of its steps.  Needs the
 * process's event base.
 */
void
memtrim_soon(void)
{
	struct timeval	 tv = { MEMTRIM_DELAY_SEC, 0 };

	if (!ev_trim_set) {
		evtimer_set(&ev_trim, memtrim_run, NULL);
		ev_trim_set = 1;
	}
	if (!evtimer_pending(&ev_trim, NULL))
		evtimer_add(&ev_trim, &tv);
}
