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

#ifndef MOENET_POLICY_H
#define MOENET_POLICY_H

/*
 * The task that fetches the routing policy of bootstrap mode and
 * applies it (the files: policy_render.h), and the router's loopback
 * addresses.
 */

#include "cp.h"
#include "parent/ports/policy_render.h"

/* policy.c */
struct sched_task;
void		 policy_init(void);
void		 policy_run(struct sched_task *);
void		 policy_reload(void);
const struct cp_policy_msg *policy_current(void);
int		 policy_file_path(int, char *, size_t, const char **);	/* NULL: none yet */
int		 policy_ready(void);
void		 loopback_sync(void);

#endif /* MOENET_POLICY_H */
