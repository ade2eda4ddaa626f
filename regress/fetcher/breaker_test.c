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

/* The circuit breaker's transitions and the retry backoff. */

#include <sys/types.h>

#include "fetcher/breaker.h"
#include "regress.h"

int
main(void)
{
	struct breaker	 b;
	unsigned int	 i;
	time_t		 d;
	int		 ok;

	breaker_init(&b, 4, 60);
	REGRESS_CHECK("breaker_starts_closed", b.state == BREAKER_CLOSED &&
	    breaker_allow(&b, 100));
	for (i = 0; i < 3; i++)
		breaker_failure(&b, 100);
	REGRESS_CHECK("breaker_below_threshold_closed",
	    b.state == BREAKER_CLOSED && breaker_allow(&b, 100));
	breaker_success(&b);
	for (i = 0; i < 3; i++)
		breaker_failure(&b, 100);
	REGRESS_CHECK("breaker_success_resets_count",
	    b.state == BREAKER_CLOSED);
	breaker_failure(&b, 100);
	REGRESS_CHECK("breaker_opens_at_threshold", b.state == BREAKER_OPEN);
	REGRESS_CHECK("breaker_open_fails_fast", !breaker_allow(&b, 159));
	REGRESS_CHECK("breaker_half_open_after_cooldown",
	    breaker_allow(&b, 160) && b.state == BREAKER_HALF_OPEN);
	REGRESS_CHECK("breaker_half_open_one_trial", !breaker_allow(&b, 161));
	breaker_failure(&b, 162);
	REGRESS_CHECK("breaker_trial_failure_reopens",
	    b.state == BREAKER_OPEN && !breaker_allow(&b, 200));
	REGRESS_CHECK("breaker_reopen_restarts_cooldown",
	    breaker_allow(&b, 222) && b.state == BREAKER_HALF_OPEN);
	breaker_success(&b);
	REGRESS_CHECK("breaker_trial_success_closes",
	    b.state == BREAKER_CLOSED && b.failures == 0 &&
	    breaker_allow(&b, 223));

	/* 1, 2, 4, 8, 16, 30, 30 s before jitter; jitter keeps >= half. */
	ok = 1;
	for (i = 0; i < 7; i++) {
		time_t	 base = i < 5 ? (time_t)1 << i : 30;

		d = backoff_delay(i, 1, 30, 0);
		if (d != (base <= 1 ? base : base / 2))
			ok = 0;
		d = backoff_delay(i, 1, 30, 0xffffffff);
		if (d < base / 2 || d > base)
			ok = 0;
	}
	REGRESS_CHECK("backoff_doubles_capped_jittered", ok);
	REGRESS_EXIT();
}
