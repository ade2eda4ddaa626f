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

#ifndef MOENET_PARENT_DEGRADED_H
#define MOENET_PARENT_DEGRADED_H

#include <stddef.h>

/*
 * Conditions that leave the agent running but not as it should: each
 * is shown until cleared, by /healthz (503), /status, moenetctl show
 * status, /metrics and the heartbeat.
 */
enum degraded_what {
	DEGRADED_STATE_WRITE,		/* the state directory takes no writes */
	DEGRADED_REMOVAL_HELD,		/* the mass-removal guard holds */
	DEGRADED_BIRD,			/* BIRD's socket does not answer */
	DEGRADED_MAX
};

#define DEGRADED_LEN	256

void	 degraded_set(enum degraded_what, const char *, ...)
	    __attribute__((__format__ (printf, 2, 3)));
void	 degraded_clear(enum degraded_what);
int	 degraded_is(enum degraded_what);
int	 degraded_reasons(char [][DEGRADED_LEN], int);
const char *degraded_name(enum degraded_what);
void	 degraded_statefile(const char *, int);

#endif /* MOENET_PARENT_DEGRADED_H */
