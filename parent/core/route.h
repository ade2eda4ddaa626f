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


#ifndef MOENET_ROUTE_H
#define MOENET_ROUTE_H

/*
 * Messages from the children, routed by type: each type has one
 * handler, the children allowed to send it and its exact length.  The
 * module that owns a type registers its rows; the router checks the
 * sender and the length before a handler sees the message (the child's
 * HELLO is checked before the router is asked).
 */

#include <stddef.h>
#include <stdint.h>

#include "moenet.h"
#include "imsg.h"

#define ROUTE_VARLEN	((size_t)-1)	/* the handler checks the length */
#define ROUTE_FROM(p)	(1U << (p))

struct route {
	uint32_t	 type;
	uint32_t	 from;		/* ROUTE_FROM() of each sender */
	size_t		 len;		/* exact payload, or ROUTE_VARLEN */
	void		(*fn)(struct imsg *);
};

void	route_add(const struct route *, size_t);
void	route_dispatch(enum moenet_proc, struct imsg *);

#endif /* MOENET_ROUTE_H */
