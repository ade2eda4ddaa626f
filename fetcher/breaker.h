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

#ifndef MOENET_BREAKER_H
#define MOENET_BREAKER_H

/*
 * The circuit breaker in front of the control plane: closed (requests
 * go), open (fail fast until the cool-down ends), half-open (one trial
 * request; success closes, failure opens again).
 */

#include <sys/types.h>

#include <stdint.h>
#include <time.h>

enum breaker_state {
	BREAKER_CLOSED,
	BREAKER_OPEN,
	BREAKER_HALF_OPEN
};

struct breaker {
	enum breaker_state	 state;
	unsigned int		 threshold;	/* failures that open it */
	unsigned int		 failures;	/* consecutive */
	time_t			 cooldown;
	time_t			 opened;
	int			 trial;		/* half-open request out */
	uint64_t		 transitions;
};

void		 breaker_init(struct breaker *, unsigned int, time_t);
int		 breaker_allow(struct breaker *, time_t);
void		 breaker_success(struct breaker *);
void		 breaker_failure(struct breaker *, time_t);
const char	*breaker_state_name(enum breaker_state);
time_t		 backoff_delay(unsigned int, time_t, time_t, uint32_t);

#endif /* MOENET_BREAKER_H */
