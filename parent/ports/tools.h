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

#ifndef MOENET_TOOLS_H
#define MOENET_TOOLS_H

/*
 * The bot's tools, the parent's half: the resolver setting goes down to
 * the fetcher, moenetctl's runs go down and their text comes back.  The
 * tools run in the fetcher; the parent never parses a target.
 */

#include <sys/types.h>

#include <stdint.h>

#include "diagmsg.h"

struct imsg;

/* text is NUL-terminated, len bytes; status is enum diag_status. */
typedef void	(*tools_cb)(int, const char *, size_t, void *);

void	tools_conf(void);
int	tools_run(enum diag_tool, const char *, tools_cb, void *);
void	tools_routes(void);

#endif /* MOENET_TOOLS_H */
