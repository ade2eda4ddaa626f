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

#ifndef MOENET_PUBADDR_H
#define MOENET_PUBADDR_H

/*
 * The router's public address of one family, from what rtnetlink says:
 * the main table's default route of the lowest metric, then its
 * preferred source, or else an address of that family on its outgoing
 * link.  Only a public address is an answer.  No I/O here: the caller
 * dumps the routes, then the addresses if pubaddr_need_addrs() says so,
 * and feeds every message in; the tests feed encoded messages.
 */

#include <sys/types.h>

#include <netinet/in.h>
#include <stdint.h>

#include "wgctl/rtnl.h"

struct nlmsghdr;

struct pubaddr {
	int			 family;	/* AF_INET or AF_INET6 */
	int			 have_route;
	uint32_t		 oif;		/* of the best route, 0: none */
	uint32_t		 priority;
	int			 has_prefsrc;
	union rtnl_ip		 prefsrc;
	int			 rank;		/* of addr; 0: none yet */
	union rtnl_ip		 addr;
};

void	pubaddr_init(struct pubaddr *, int);
int	pubaddr_route(struct pubaddr *, const struct nlmsghdr *);
int	pubaddr_need_addrs(const struct pubaddr *);
int	pubaddr_addr(struct pubaddr *, const struct nlmsghdr *);
int	pubaddr_result(const struct pubaddr *, union rtnl_ip *);
int	pubaddr_is_public(int, const void *);

#endif /* MOENET_PUBADDR_H */
