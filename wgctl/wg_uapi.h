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

#ifndef MOENET_WG_UAPI_H
#define MOENET_WG_UAPI_H

/*
 * The userspace WireGuard control protocol (wireguard-go and others):
 * "set=1" and "get=1" operations of key=value lines on a unix socket.
 * Encoders and decoders are pure; wg_uapi_set and wg_uapi_get do the
 * I/O on a connected socket with a deadline.
 */

#include <stddef.h>

#include "wg.h"

#define WG_UAPI_DIR		"/run/wireguard"
#define WG_UAPI_TIMEOUT		5000	/* ms */
#define WG_UAPI_MAX_REPLY	(4 * 1024 * 1024)

int	wg_uapi_set_encode(const struct wg_device *, char **, size_t *);
int	wg_uapi_get_decode(const char *, size_t, struct wg_device *);
int	wg_uapi_errno_parse(const char *, size_t, int *);
void	wg_uapi_free(char *, size_t);

int	wg_uapi_connect(const char *, const char *);
int	wg_uapi_set(int, const struct wg_device *, int);
int	wg_uapi_get(int, struct wg_device *, int);

#endif /* MOENET_WG_UAPI_H */
