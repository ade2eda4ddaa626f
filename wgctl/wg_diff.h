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

#ifndef MOENET_WG_DIFF_H
#define MOENET_WG_DIFF_H

/*
 * Reconcile: compare what is wanted with what was read back and say
 * only what must change.  An unchanged tunnel costs nothing, and a
 * change never disturbs what did not change (no replace_peers, no
 * rewriting an endpoint the peer may have roamed from).
 */

#include <stddef.h>
#include <stdint.h>

#include "rtnl.h"
#include "wg.h"

int	wg_diff(const struct wg_device *, const struct wg_device *,
	    struct wg_device *);
int	wg_diff_empty(const struct wg_device *);
int	wg_diff_addrs(const struct rtnl_addr *, size_t,
	    const struct rtnl_addr *, size_t, struct rtnl_addr *, size_t *,
	    struct rtnl_addr *, size_t *);
int	wg_diff_link(uint32_t, int, const struct rtnl_link *, uint32_t *,
	    int *);

#endif /* MOENET_WG_DIFF_H */
