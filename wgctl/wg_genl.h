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

#ifndef MOENET_WG_GENL_H
#define MOENET_WG_GENL_H

/*
 * Kernel WireGuard over generic netlink.  The encoders and parsers work
 * on buffers so that they can be tested without the module; the few
 * functions taking a struct mnl_socket do the I/O.
 */

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "wg.h"

struct mnl_socket;
struct nlmsghdr;

/* Called once per SET message built; a non-zero return stops. */
typedef int	(*wg_genl_emit_t)(const struct nlmsghdr *, void *);

struct nlmsghdr	*genl_family_req(void *, size_t, uint32_t, const char *);
int		 genl_family_parse(const void *, size_t, uint32_t, uint16_t *);
int		 genl_resolve(struct mnl_socket *, const char *, uint16_t *);

int		 wg_genl_set_encode(const struct wg_device *, uint16_t,
		    uint32_t, size_t, wg_genl_emit_t, void *);
struct nlmsghdr	*wg_genl_get_req(void *, size_t, uint16_t, uint32_t,
		    const char *);
int		 wg_genl_get_parse(const void *, size_t, uint32_t,
		    struct wg_device *);

int		 wg_genl_set(struct mnl_socket *, uint16_t,
		    const struct wg_device *);
int		 wg_genl_get(struct mnl_socket *, uint16_t, const char *,
		    struct wg_device *);

#endif /* MOENET_WG_GENL_H */
