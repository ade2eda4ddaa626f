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


#ifndef MOENET_SYNCWAIT_H
#define MOENET_SYNCWAIT_H

/*
 * What the last session sync did, for those who wait for the next one
 * (moenetctl sync -w): its progress while tunnels are applied, then
 * what it created, changed, removed, held or failed.  engine.c tells,
 * waiters are told.
 */

#include <stddef.h>

#include "parent/core/session.h"
#include "parent/tasks/plan.h"

/* done: the sync is over and p says what it did; else ndone of ntotal. */
typedef void	(*syncwait_cb)(int, size_t, size_t, const struct plan *,
		    void *);

int	syncwait_add(syncwait_cb, void *);
void	syncwait_cancel(void *);

/* engine.c */
void	syncwait_begin(void);
void	syncwait_fields(const char *, const char *);
void	syncwait_note(int, const struct session *, const char *);
void	syncwait_listed(size_t);
void	syncwait_progress(size_t, size_t);
void	syncwait_end(const char *);

#endif /* MOENET_SYNCWAIT_H */
