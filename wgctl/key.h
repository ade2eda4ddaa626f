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

#ifndef MOENET_KEY_H
#define MOENET_KEY_H

/*
 * WireGuard keys: 32 bytes, base64 (44 characters) in files and from the
 * control plane, lowercase hex on UAPI.  Decoding and comparing run in
 * time independent of the key's value.
 */

#include <stddef.h>
#include <stdint.h>

#include "wg.h"

int	key_from_base64(uint8_t *, const char *);
void	key_to_base64(char *, const uint8_t *);
int	key_from_hex(uint8_t *, const char *);
void	key_to_hex(char *, const uint8_t *);
int	key_eq(const uint8_t *, const uint8_t *);
int	key_is_zero(const uint8_t *);
void	key_public(uint8_t *, const uint8_t *);
void	x25519(uint8_t *, const uint8_t *, const uint8_t *);

#endif /* MOENET_KEY_H */
