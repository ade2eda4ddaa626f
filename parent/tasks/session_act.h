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


#ifndef MOENET_SESSION_ACT_H
#define MOENET_SESSION_ACT_H

/*
 * moenetctl restart|disable|enable: BIRD's command on the protocol of
 * one session the agent owns.  disable is remembered (core/disabled.c)
 * and the peer file says so from the next sync on, so that the session
 * stays down across syncs and restarts of the agent and of BIRD.
 */

#include <stddef.h>

#include "parent/core/session.h"

enum session_act_what {
	SESSION_ACT_RESTART,
	SESSION_ACT_DISABLE,
	SESSION_ACT_ENABLE
};

/* The outcome: an HTTP-like status (200, 400, 404, 500, 502, 503). */
typedef void	(*session_act_cb)(int, const char *, void *);

void		 session_act(enum session_act_what, const char *,
		    const char *, session_act_cb, void *);

#endif /* MOENET_SESSION_ACT_H */
