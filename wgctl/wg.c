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
#include <sys/queue.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "wg.h"

static void	wg_peer_free(struct wg_peer *);
static void	mask_prefix(uint8_t *, size_t, int);

int
wg_device_init(struct wg_device *dev, const char *ifname)
{
	memset(dev, 0, sizeof(*dev));
	TAILQ_INIT(&dev->peers);
	if (ifname == NULL)
		return 0;
	if (*ifname == '\0' ||
	    strlcpy(dev->ifname, ifname, sizeof(dev->ifname)) >=
	    sizeof(dev->ifname)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

/* Wipes the keys: a cleared device holds no secret. */
void
wg_device_clear(struct wg_device *dev)
{
	struct wg_peer	*p;

	while ((p = TAILQ_FIRST(&dev->peers)) != NULL) {
		TAILQ_REMOVE(&dev->peers, p, entry);
		wg_peer_free(p);
	}
	explicit_bzero(dev, sizeof(*dev));
	TAILQ_INIT(&dev->peers);
}

struct wg_peer *
wg_peer_add(struct wg_device *dev, const uint8_t *public_key)
{
	struct wg_peer	*p;

	if (dev->npeers >= WG_MAX_PEERS) {
		errno = E2BIG;
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	TAILQ_INIT(&p->allowedips);
	memcpy(p->public_key, public_key, WG_KEY_LEN);
	p->flags = WGPEER_HAS_PUBLIC_KEY;
	TAILQ_INSERT_TAIL(&dev->peers, p, entry);
	dev->npeers++;
	return p;
}

struct wg_peer *
wg_peer_find(const struct wg_device *dev, const uint8_t *public_key)
{
	struct wg_peer	*p;

	/* Public keys are not secret: an ordinary compare is fine. */
	TAILQ_FOREACH(p, &dev->peers, entry)
		if (memcmp(p->public_key, public_key, WG_KEY_LEN) == 0)
			return p;
	return NULL;
}

void
wg_peer_remove(struct wg_device *dev, struct wg_peer *p)
{
	TAILQ_REMOVE(&dev->peers, p, entry);
	dev->npeers--;
	wg_peer_free(p);
}

static void
wg_peer_free(struct wg_peer *p)
{
	wg_allowedips_clear(p);
	freezero(p, sizeof(*p));
}

void
wg_allowedips_clear(struct wg_peer *p)
{
	struct wg_allowedip	*a;

	while ((a = TAILQ_FIRST(&p->allowedips)) != NULL) {
		TAILQ_REMOVE(&p->allowedips, a, entry);
		free(a);
	}
	p->nallowedips = 0;
}

/*
 * Host bits are cleared as WireGuard itself does, so that what is read
 * back compares equal to what was asked.
 */
int
wg_allowedip_add(struct wg_peer *p, int family, const void *addr, int cidr)
{
	struct wg_allowedip	*a;
	size_t			 alen;

	if (family == AF_INET)
		alen = sizeof(struct in_addr);
	else if (family == AF_INET6)
		alen = sizeof(struct in6_addr);
	else {
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (cidr < 0 || (size_t)cidr > alen * 8) {
		errno = EINVAL;
		return -1;
	}
	if (p->nallowedips >= WG_MAX_ALLOWEDIPS) {
		errno = E2BIG;
		return -1;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return -1;
	a->family = family;
	a->cidr = cidr;
	memcpy(&a->addr, addr, alen);
	mask_prefix((uint8_t *)&a->addr, alen, cidr);
	TAILQ_INSERT_TAIL(&p->allowedips, a, entry);
	p->nallowedips++;
	return 0;
}

static void
mask_prefix(uint8_t *b, size_t len, int cidr)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if (cidr >= 8)
			cidr -= 8;
		else {
			b[i] &= (uint8_t)(0xff00 >> cidr);
			cidr = 0;
		}
	}
}

/* "addr/cidr"; a bare address means a host prefix. */
int
wg_allowedip_parse(struct wg_peer *p, const char *s)
{
	struct in6_addr	 a6;
	char		 buf[INET6_ADDRSTRLEN + 4], *slash;
	const char	*errstr;
	int		 family, cidr, max;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf) ||
	    strspn(buf, "0123456789abcdefABCDEF.:/") != strlen(buf)) {
		errno = EINVAL;
		return -1;
	}
	family = strchr(buf, ':') != NULL ? AF_INET6 : AF_INET;
	max = family == AF_INET6 ? 128 : 32;
	cidr = max;
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		cidr = strtonum(slash, 0, max, &errstr);
		if (errstr != NULL) {
			errno = EINVAL;
			return -1;
		}
	}
	if (inet_pton(family, buf, &a6) != 1) {
		errno = EINVAL;
		return -1;
	}
	return wg_allowedip_add(p, family, &a6, cidr);
}

int
wg_allowedip_fmt(const struct wg_allowedip *a, char *buf, size_t len)
{
	char	addr[INET6_ADDRSTRLEN];
	int	n;

	if (inet_ntop(a->family, &a->addr, addr, sizeof(addr)) == NULL)
		return -1;
	n = snprintf(buf, len, "%s/%u", addr, a->cidr);
	if (n < 0 || (size_t)n >= len) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

/* A deep copy; dst must be fresh (zeroed or just cleared). */
int
wg_peer_copy(struct wg_peer *dst, const struct wg_peer *src)
{
	struct wg_allowedip	*a;

	memcpy(dst->public_key, src->public_key, WG_KEY_LEN);
	memcpy(dst->preshared_key, src->preshared_key, WG_KEY_LEN);
	dst->endpoint = src->endpoint;
	dst->stats = src->stats;
	dst->flags = src->flags;
	dst->keepalive = src->keepalive;
	TAILQ_INIT(&dst->allowedips);
	dst->nallowedips = 0;
	TAILQ_FOREACH(a, &src->allowedips, entry)
		if (wg_allowedip_add(dst, a->family, &a->addr, a->cidr) == -1)
			return -1;
	return 0;
}

/*
 * Numeric only, as WireGuard takes it: "192.0.2.1:51820" or
 * "[2001:db8::1]:51820", optionally "[fe80::1%ifname]:port".  Resolving
 * names is the caller's business, outside the sandbox.
 */
int
wg_endpoint_parse(struct sockaddr_storage *ss, const char *s)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	char			 buf[INET6_ADDRSTRLEN + IFNAMSIZ + 10];
	char			*host, *port, *zone, *end;
	const char		*errstr;
	long long		 p;
	unsigned int		 scope = 0;

	memset(ss, 0, sizeof(*ss));
	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		goto bad;
	if (buf[0] == '[') {
		host = buf + 1;
		if ((end = strchr(host, ']')) == NULL || end[1] != ':')
			goto bad;
		*end = '\0';
		port = end + 2;
		if ((zone = strchr(host, '%')) != NULL) {
			*zone++ = '\0';
			if (*zone == '\0' || strlen(zone) >= IFNAMSIZ ||
			    strspn(zone, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
			    strlen(zone))
				goto bad;
			scope = strtonum(zone, 1, UINT32_MAX, &errstr);
			if (errstr != NULL &&
			    (scope = if_nametoindex(zone)) == 0)
				goto bad;
		}
		if (strspn(host, "0123456789abcdefABCDEF:.") != strlen(host) ||
		    inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			goto bad;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_scope_id = scope;
	} else {
		host = buf;
		if ((port = strrchr(buf, ':')) == NULL)
			goto bad;
		*port++ = '\0';
		if (strspn(host, "0123456789.") != strlen(host) ||
		    inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			goto bad;
		sin->sin_family = AF_INET;
	}
	if (strspn(port, "0123456789") != strlen(port))
		goto bad;
	p = strtonum(port, 1, 65535, &errstr);
	if (errstr != NULL)
		goto bad;
	if (ss->ss_family == AF_INET)
		sin->sin_port = htons(p);
	else
		sin6->sin6_port = htons(p);
	return 0;
 bad:
	memset(ss, 0, sizeof(*ss));
	errno = EINVAL;
	return -1;
}

int
wg_endpoint_fmt(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const struct sockaddr_in	*sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6	*sin6 = (const struct sockaddr_in6 *)ss;
	char				 addr[INET6_ADDRSTRLEN];
	int				 n;

	switch (ss->ss_family) {
	case AF_INET:
		if (inet_ntop(AF_INET, &sin->sin_addr, addr,
		    sizeof(addr)) == NULL)
			return -1;
		n = snprintf(buf, len, "%s:%u", addr, ntohs(sin->sin_port));
		break;
	case AF_INET6:
		if (inet_ntop(AF_INET6, &sin6->sin6_addr, addr,
		    sizeof(addr)) == NULL)
			return -1;
		if (sin6->sin6_scope_id != 0)
			n = snprintf(buf, len, "[%s%%%u]:%u", addr,
			    sin6->sin6_scope_id, ntohs(sin6->sin6_port));
		else
			n = snprintf(buf, len, "[%s]:%u", addr,
			    ntohs(sin6->sin6_port));
		break;
	default:
		errno = EAFNOSUPPORT;
		return -1;
	}
	if (n < 0 || (size_t)n >= len) {
		errno = ENOSPC;
		return -1;
	}
	return 0;
}

/* Compares address, port and scope; AF_UNSPEC equals only itself. */
int
wg_endpoint_eq(const struct sockaddr_storage *a,
    const struct sockaddr_storage *b)
{
	const struct sockaddr_in	*a4 = (const struct sockaddr_in *)a;
	const struct sockaddr_in	*b4 = (const struct sockaddr_in *)b;
	const struct sockaddr_in6	*a6 = (const struct sockaddr_in6 *)a;
	const struct sockaddr_in6	*b6 = (const struct sockaddr_in6 *)b;

	if (a->ss_family != b->ss_family)
		return 0;
	switch (a->ss_family) {
	case AF_INET:
		return a4->sin_port == b4->sin_port &&
		    a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	case AF_INET6:
		return a6->sin6_port == b6->sin6_port &&
		    a6->sin6_scope_id == b6->sin6_scope_id &&
		    memcmp(&a6->sin6_addr, &b6->sin6_addr,
		    sizeof(a6->sin6_addr)) == 0;
	default:
		return 1;
	}
}
