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

#ifndef MOENET_FETCHER_DIAG_H
#define MOENET_FETCHER_DIAG_H

/*
 * The bot's network tools, run in the fetcher: ping, tcping, trace and
 * dig.  A run starts from the HTTP API or from the parent (moenetctl)
 * and ends with one call of its callback, always later, from the event
 * loop.  Nothing here blocks: sockets are nonblocking, names are looked
 * up with our own bounded DNS query, every run has a hard deadline.
 */

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "diagmsg.h"

#define DIAG_JOBS_MAX		4	/* runs at once, all callers */
#define DIAG_DEADLINE_MS	13000	/* a run ends by then, whatever */

struct imsgev;
struct imsg;

typedef void	(*diag_cb)(uint32_t, enum diag_status, const char *, size_t);

void	diag_init(struct imsgev *);
void	diag_dispatch(struct imsg *);
int	diag_tool_of(const char *);
int	diag_start(enum diag_tool, const char *, uint32_t, diag_cb, char *,
	    size_t);

#endif /* MOENET_FETCHER_DIAG_H */
