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

#ifndef MOENET_CPCALL_H
#define MOENET_CPCALL_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "cpctl.h"

struct imsgev;

void	cpcall_init(struct imsgev *);
int	cpcall_configure(const struct cp_conf_msg *);
int	cpcall_set_token(const char *);
int	cpcall_add_ca(const void *, size_t);
int	cpcall_ca_done(void);
void	cpcall_start(enum cp_endpoint, uint32_t, char *, size_t);
void	cpcall_fail(enum cp_endpoint, uint32_t, enum cp_result, const char *);

#endif /* MOENET_CPCALL_H */
