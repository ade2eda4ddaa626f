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

#ifndef MOENET_CTL_SESSIONS_H
#define MOENET_CTL_SESSIONS_H

/*
 * moenetctl show sessions and show session: the records kept until the
 * end, filtered, then shown as a table, in detail, or as JSON.
 */

#include "ctl.h"
#include "parent/outputs/moenetctl.h"

#define CTL_FILTERS_MAX		8
#define CTL_TABLE_WIDTH		100	/* columns without -w */

void	ctl_sessions_options(int, const char **, int);
void	sess_reset(void);
void	sess_node(const struct ctl_node_msg *);
void	sess_add(const struct ctl_session_msg *);
void	sess_ext(const struct ctl_session_ext_msg *);
void	sess_proto(const struct ctl_proto_msg *);
void	sess_show_tail(enum ctl_action);
void	sess_json_tail(enum ctl_action);

#endif /* MOENET_CTL_SESSIONS_H */
