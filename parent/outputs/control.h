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

#ifndef MOENET_CONTROL_H
#define MOENET_CONTROL_H

/*
 * The control socket.  bgpd serves it from an unprivileged process; here
 * the parent serves it itself, since no child is a natural home (the
 * fetcher faces the network, wgctl holds CAP_NET_ADMIN).  That is
 * acceptable because the socket only ever carries the fixed structs of
 * ctl.h, and only root and the _moenet group may connect, except to the
 * optional read-only socket, which answers show commands only.
 */

#include <time.h>

#include "ctl.h"
#include "parent/core/session.h"

int	control_init(void);
void	control_listen(void);
void	control_shutdown(void);

/* ctl_output.c, shared with moenetctl */
void	ctl_session_fill(struct ctl_session_msg *, const struct session *,
	    time_t);

#endif /* MOENET_CONTROL_H */
