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

#ifndef MOENET_CONFCHECK_H
#define MOENET_CONFCHECK_H

/*
 * moenet-agent -n: the configuration file, then what a start needs
 * beyond it (templates, keys, the sandbox user, BIRD's socket, the
 * state directory), every problem at its level.
 */

#include <stddef.h>

#include "parent/core/config.h"

int	confcheck_main(const char *, int);
void	confcheck_start(const struct moenet_conf *, struct conf_report *);

/*
 * Every template the agent renders from loads: 0, or -1 with err.
 * Defined by the renderer (parent/render.c); confcheck.c holds a weak
 * stand-in until then.
 */
int	render_templates_check(const char *, char *, size_t);

#endif /* MOENET_CONFCHECK_H */
