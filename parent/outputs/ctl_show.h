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

#ifndef MOENET_CTL_SHOW_H
#define MOENET_CTL_SHOW_H

/*
 * The agent's side of show status and show session(s): the records of
 * ctl.h filled from the tasks' and ports' status calls.
 */

#include <stddef.h>
#include <time.h>

#include "ctl.h"
#include "parent/core/session.h"

struct bird_answer;
struct ctl_protos;

void	ctl_status_ext_fill(struct ctl_status_ext_msg *, time_t);
void	ctl_node_fill(struct ctl_node_msg *, const struct bird_answer *);
struct ctl_protos *ctl_protos_new(const struct bird_answer *);
void	ctl_protos_free(struct ctl_protos *);
size_t	ctl_session_protos(const struct ctl_protos *,
	    const struct session *, struct ctl_proto_msg *, size_t, time_t);
void	ctl_session_ext_fill(struct ctl_session_ext_msg *,
	    const struct session *, const struct ctl_proto_msg *, size_t,
	    time_t);

#endif /* MOENET_CTL_SHOW_H */
