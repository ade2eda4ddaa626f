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

#include <sys/types.h>

#include "breaker.h"

void
breaker_init(struct breaker *b, unsigned int threshold, time_t cooldown)
{
	b->state = BREAKER_CLOSED;
	b->threshold = threshold == 0 ? 1 : threshold;
	b->failures = 0;
	b->cooldown = cooldown;
	b->opened = 0;
	b->trial = 0;
	b->transitions = 0;
}

/* May a request go now?  Moves open to half-open after the cool-down. */
int
breaker_allow(struct breaker *b, time_t now)
{
	switch (b->state) {
	case BREAKER_CLOSED:
		return 1;
	case BREAKER_OPEN:
		if (now - b->opened < b->cooldown)
			return 0;
		b->state = BREAKER_HALF_OPEN;
		b->transitions++;
		b->trial = 1;
		return 1;
	case BREAKER_HALF_OPEN:
		if (b->trial)
			return 0;
		b->trial = 1;
		return 1;
	}
	return 0;
}

void
breaker_success(struct breaker *b)
{
	if (b->state != BREAKER_CLOSED)
		b->transitions++;
	b->state = BREAKER_CLOSED;
	b->failures = 0;
	b->trial = 0;
}

void
breaker_failure(struct breaker *b, time_t now)
{
	b->trial = 0;
	if (b->state == BREAKER_HALF_OPEN ||
	    ++b->failures >= b->threshold) {
		if (b->state != BREAKER_OPEN)
			b->transitions++;
		b->state = BREAKER_OPEN;
		b->opened = now;
	}
}

const char *
breaker_state_name(enum breaker_state s)
{
	switch (s) {
	case BREAKER_CLOSED:
		return "closed";
	case BREAKER_OPEN:
		return "open";
	case BREAKER_HALF_OPEN:
		return "half-open";
	}
	return "unknown";
}

/*
 * Delay before retry number attempt (0 = first retry): initial doubled
 * each time, capped, then spread over 50% to 100% so that routers
 * restarted together do not retry together.  rnd is a random value.
 */
time_t
backoff_delay(unsigned int attempt, time_t initial, time_t cap, uint32_t rnd)
{
	time_t	 d = initial;

	while (attempt-- > 0 && d < cap)
		d *= 2;
	if (d > cap)
		d = cap;
	if (d <= 1)
		return d;
	return d / 2 + (time_t)(rnd % (uint32_t)(d / 2 + 1));
}
