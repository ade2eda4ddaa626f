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


#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "moenet.h"
#include "log.h"
#include "imsg.h"
#include "parent/core/route.h"

static const struct route	*routes[IMSG_MAX];

/* Two owners of one type would be a wiring mistake: found at start. */
void
route_add(const struct route *r, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (r[i].type == IMSG_NONE || r[i].type >= IMSG_MAX ||
		    r[i].fn == NULL || r[i].from == 0)
			fatalx("%s: bad route for %s", __func__,
			    imsg_type_name(r[i].type));
		if (routes[r[i].type] != NULL)
			fatalx("%s: %s routed twice", __func__,
			    imsg_type_name(r[i].type));
		routes[r[i].type] = &r[i];
	}
}

void
route_dispatch(enum moenet_proc p, struct imsg *imsg)
{
	const struct route	*r;
	uint32_t		 type = imsg_get_type(imsg);

	if (type >= IMSG_MAX || (r = routes[type]) == NULL)
		fatalx("%s: unexpected imsg %s from %s", __func__,
		    imsg_type_name(type), proc_names[p]);
	if ((r->from & ROUTE_FROM(p)) == 0)
		fatalx("%s: %s from %s", __func__, imsg_type_name(type),
		    proc_names[p]);
	if (r->len != ROUTE_VARLEN && imsg_get_len(imsg) != r->len)
		fatalx("%s: %s from %s: wrong length", __func__,
		    imsg_type_name(type), proc_names[p]);
	r->fn(imsg);
}
