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

#ifndef MOENET_CTL_FIND_H
#define MOENET_CTL_FIND_H

#include <stddef.h>

#include "parent/core/session.h"

/*
 * The session an operator names: by uuid or a unique prefix of it, by
 * name, BIRD protocol or interface, or by ASN ("4242420002" or
 * "AS4242420002").  0 and *out; -1 with why in err: no session, or
 * several, which are then named.
 */
int	ctl_find(const char *, struct session **, char *, size_t);
int	ctl_parse_asn(const char *, uint32_t *);

#endif /* MOENET_CTL_FIND_H */
