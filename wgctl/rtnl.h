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

#ifndef MOENET_RTNL_H
#define MOENET_RTNL_H

/*
 * rtnetlink for the tunnels: create and delete links, MTU, up/down,
 * addrgenmode, addresses, and dumps of links and addresses.  Requests
 * are gathered in a batch and sent in one write: every netlink change
 * wakes every wireguard-go process, so fewer writes cost less.
 */

#include <sys/types.h>

#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>

struct mnl_socket;
struct nlmsghdr;

#define RTNL_BATCH_SIZE		16384
#define RTNL_BATCH_MAX		64	/* messages */
#define RTNL_KIND_LEN		16

struct rtnl_batch {
	char			 buf[RTNL_BATCH_SIZE];
	size_t			 len;	/* bytes of buf used */
	uint32_t		 seq;	/* of the first message */
	uint32_t		 n;
};

struct rtnl_link {
	char			 ifname[IFNAMSIZ];
	char			 kind[RTNL_KIND_LEN];	/* "" if none */
	uint32_t		 ifindex;
	uint32_t		 mtu;
	uint32_t		 flags;		/* IFF_* */
	uint8_t			 operstate;	/* IF_OPER_* */
	uint8_t			 addrgenmode;	/* IN6_ADDR_GEN_MODE_* */
	uint8_t			 has_addrgenmode;
	uint8_t			 has_rp_filter;
	uint32_t		 rp_filter;	/* net.ipv4.conf.<if>.rp_filter */
};

union rtnl_ip {
	struct in_addr		 v4;
	struct in6_addr		 v6;
};

struct rtnl_addr {
	union rtnl_ip		 local;
	union rtnl_ip		 peer;		/* if has_peer */
	uint32_t		 ifindex;
	uint32_t		 flags;		/* IFA_F_* */
	uint8_t			 family;
	uint8_t			 prefixlen;
	uint8_t			 scope;
	uint8_t			 has_peer;
};

typedef int	(*rtnl_link_cb_t)(const struct rtnl_link *, void *);
typedef int	(*rtnl_addr_cb_t)(const struct rtnl_addr *, void *);
typedef int	(*rtnl_msg_cb_t)(const struct nlmsghdr *, void *);

void	rtnl_batch_init(struct rtnl_batch *, uint32_t);
const void *rtnl_batch_data(struct rtnl_batch *, size_t *);
int	rtnl_link_create(struct rtnl_batch *, const char *, const char *);
int	rtnl_link_delete(struct rtnl_batch *, uint32_t, const char *);
int	rtnl_link_set(struct rtnl_batch *, uint32_t, uint32_t, int);
int	rtnl_link_addrgenmode_none(struct rtnl_batch *, uint32_t);
int	rtnl_addr_change(struct rtnl_batch *, int, const struct rtnl_addr *);
int	rtnl_batch_send(struct mnl_socket *, struct rtnl_batch *, int *);

struct nlmsghdr	*rtnl_link_dump_req(void *, size_t, uint32_t);
struct nlmsghdr	*rtnl_addr_dump_req(void *, size_t, uint32_t, int);
struct nlmsghdr	*rtnl_route_dump_req(void *, size_t, uint32_t, int);
int	rtnl_link_parse(const struct nlmsghdr *, struct rtnl_link *);
int	rtnl_addr_parse(const struct nlmsghdr *, struct rtnl_addr *);
int	rtnl_link_dump(struct mnl_socket *, rtnl_link_cb_t, void *);
int	rtnl_link_get(struct mnl_socket *, const char *, struct rtnl_link *);
int	rtnl_strict(struct mnl_socket *);
int	rtnl_addr_dump(struct mnl_socket *, uint32_t, rtnl_addr_cb_t, void *);
int	rtnl_dump(struct mnl_socket *, struct nlmsghdr *, rtnl_msg_cb_t,
	    void *);

int	rtnl_addr_from_str(struct rtnl_addr *, uint32_t, const char *);
int	rtnl_addr_fmt(const struct rtnl_addr *, char *, size_t);
int	rtnl_addr_eq(const struct rtnl_addr *, const struct rtnl_addr *);

#endif /* MOENET_RTNL_H */
