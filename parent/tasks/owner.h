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

#ifndef MOENET_PARENT_OWNER_H
#define MOENET_PARENT_OWNER_H

#include <stddef.h>

/*
 * The interfaces the agent owns: those it created, those an earlier
 * run of it created (its state directory says so), and those the
 * operator handed over (wireguard.adopt).  Only these are changed or
 * removed on a session's behalf.
 */
void	owner_init(void);
int	owner_claim(const char *, char *, size_t);
int	owner_claim_mesh(const char *, char *, size_t);
void	owner_known(const char *);
void	owner_mesh_sync_done(void);
int	owner_owns(const char *);
void	owner_release(const char *);
void	owner_sync_done(void);
int	owner_save_failed(void);
size_t	owner_count(void);

#endif /* MOENET_PARENT_OWNER_H */
