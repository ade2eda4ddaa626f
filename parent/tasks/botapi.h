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

#ifndef MOENET_BOTAPI_H
#define MOENET_BOTAPI_H

/*
 * What the control plane's bot asks of a node beyond the documents:
 * restart one BGP session, a peer's card, route and AS path lookups
 * in BIRD, the DN42 communities of the table.  Shared by the HTTP API
 * and moenetctl; the argument is checked again here whoever sent it.
 * Each call ends with exactly one cb(status, text, arg), possibly
 * before it returns: status as HTTP has it (200, 400, 404, 502, 503),
 * text the result or why not (for community, the JSON document).
 */

#include <stdio.h>

typedef void	(*botapi_cb)(int, const char *, void *);

struct session;

struct session	*botapi_session(const char *);
void	botapi_restart(const char *, const char *, botapi_cb, void *);
void	botapi_lookup(int, const char *, botapi_cb, void *);
void	botapi_community(botapi_cb, void *);
int	botapi_peer_json(const char *, FILE *);

#endif /* MOENET_BOTAPI_H */
