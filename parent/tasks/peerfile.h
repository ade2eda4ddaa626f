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


#ifndef MOENET_PARENT_PEERFILE_H
#define MOENET_PARENT_PEERFILE_H

#include <stddef.h>

/*
 * A session's file in bird.peerConfDir, written, replaced and removed
 * only when the agent owns it (parent/ports/birdfiles.c).
 */
struct session;

int	peerfile_check(const struct session *, char *, size_t);
void	peerfile_remove(const struct session *, const char *);
void	peerfile_previous_remove(const struct session *, const char *);

#endif /* MOENET_PARENT_PEERFILE_H */
