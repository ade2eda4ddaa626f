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

#ifndef MOENET_BIRDROUTE_H
#define MOENET_BIRDROUTE_H

/*
 * Readers of "show route ... all" replies, BIRD 2 and BIRD 3 alike:
 * the routes with their AS paths ("show route for X all"), the DN42
 * communities counted over the table ("show route all primary"), and
 * the reply as plain text.  Lines go in one at a time, as the framer
 * hands them out, so a whole table never has to be held.
 */

#include <stddef.h>
#include <stdint.h>

#include "bird.h"
#include "birdproto.h"

#define BIRD_DN42_COMMUNITY_AS	64511

struct bird_route_scan {
	int			 keep;		/* keep route records */
	struct bird_route_msg	 routes[BIRD_ROUTES_MAX];
	size_t			 nroutes;
	uint64_t		 dropped;	/* beyond BIRD_ROUTES_MAX */
	struct bird_community_msg comm;

	/* the route being read */
	int			 open;
	char			 net[BIRD_TARGET_LEN];
	char			 table[BIRD_NAME_LEN];
	struct bird_route_msg	 cur;
	int			 group[4];	/* bucket per group, -1: none */
	int			 attr;		/* attribute continued by "\t\t" */
};

void	bird_route_scan_init(struct bird_route_scan *, int);
void	bird_route_scan_line(struct bird_route_scan *, int, const char *);
void	bird_route_scan_end(struct bird_route_scan *);
size_t	bird_route_text(const struct bird_reply *, char *, size_t);

#endif /* MOENET_BIRDROUTE_H */
