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

/*
 * "show route ... all", as nest/rt-show.c and nest/rt-attr.c print it:
 *
 *	1007-Table master4:
 *	1007-203.0.113.0/24  unicast [peer_wg0 21:51:24.899] * (100) [AS65002i]
 *	 	via fe80::b on wg0		(next hop: a tab, then text)
 *	 		unicast [peer2 ...] (100)	(another route, same net)
 *	1008-	Type: BGP univ			(BIRD 3: Internal route ...)
 *	1012-	BGP.as_path: 65002 65001	(BIRD 3: bgp_path: ...)
 *	 	BGP.community: (64511,3) (64511,24)	(BIRD 3: bgp_community:)
 *	 		(64511,41)		(a long set goes on after two tabs)
 *	0000
 *
 * Every field is copied bounded and reduced to printable ASCII; a line
 * that fits none of these is passed over, never trusted.
 */

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bird.h"
#include "birdproto.h"
#include "birdroute.h"

enum { G_LATENCY, G_BANDWIDTH, G_CRYPTO, G_REGION };
enum { ATTR_NONE, ATTR_PATH, ATTR_COMMUNITY };

static void	route_open(struct bird_route_scan *, const char *, const char *);
static void	route_close(struct bird_route_scan *);
static void	route_attr(struct bird_route_scan *, const char *);
static void	route_path(struct bird_route_scan *, const char *);
static void	route_communities(struct bird_route_scan *, const char *);
static void	copy_word(char *, size_t, const char *, size_t);
static int	read_u32(const char **, uint32_t *);

void
bird_route_scan_init(struct bird_route_scan *sc, int keep)
{
	memset(sc, 0, sizeof(*sc));
	sc->keep = keep;
}

/* One line of the reply: its code and its text after the code. */
void
bird_route_scan_line(struct bird_route_scan *sc, int code, const char *t)
{
	const char	*p;
	size_t		 n;

	switch (code) {
	case 1007:
		sc->attr = ATTR_NONE;
		if (t[0] == '\t' || t[0] == '\0')
			return;		/* next hop, or between tables */
		if (strncmp(t, "Table ", 6) == 0) {
			route_close(sc);
			p = t + 6;
			n = strcspn(p, ":");
			copy_word(sc->table, sizeof(sc->table), p, n);
			sc->net[0] = '\0';
			return;
		}
		if (t[0] == ' ') {
			/* Another route to the net before. */
			for (p = t; *p == ' '; p++)
				;
			if (sc->net[0] != '\0' && *p != '\0')
				route_open(sc, sc->net, p);
			return;
		}
		n = strcspn(t, " \t");
		copy_word(sc->net, sizeof(sc->net), t, n);
		for (p = t + n; *p == ' ' || *p == '\t'; p++)
			;
		route_open(sc, sc->net, p);
		return;
	case 1012:
		if (!sc->open)
			return;
		if (strncmp(t, "\t\t", 2) == 0) {
			/* The rest of a long set. */
			if (sc->attr == ATTR_COMMUNITY)
				route_communities(sc, t + 2);
			return;
		}
		route_attr(sc, t);
		return;
	default:
		sc->attr = ATTR_NONE;
		return;
	}
}

void
bird_route_scan_end(struct bird_route_scan *sc)
{
	route_close(sc);
}

/* "unicast [peer_wg0 21:51:24.899 from fe80::b] * (100) [AS65002i]" */
static void
route_open(struct bird_route_scan *sc, const char *net, const char *rest)
{
	const char	*b, *e;

	route_close(sc);
	memset(&sc->cur, 0, sizeof(sc->cur));
	sc->open = 1;
	sc->attr = ATTR_NONE;
	sc->group[0] = sc->group[1] = sc->group[2] = sc->group[3] = -1;
	strlcpy(sc->cur.net, net, sizeof(sc->cur.net));
	strlcpy(sc->cur.table, sc->table, sizeof(sc->cur.table));
	if ((b = strchr(rest, '[')) != NULL) {
		b++;
		copy_word(sc->cur.proto, sizeof(sc->cur.proto), b,
		    strcspn(b, " ]"));
		if ((e = strchr(b, ']')) != NULL && strncmp(e, "] *", 3) == 0)
			sc->cur.flags |= BIRD_ROUTE_PRIMARY;
	}
}

static void
route_close(struct bird_route_scan *sc)
{
	struct bird_community_msg	*c = &sc->comm;
	int				 any = 0;

	if (!sc->open)
		return;
	sc->open = 0;
	sc->attr = ATTR_NONE;
	c->total++;
	if (sc->group[G_LATENCY] >= 0) {
		c->latency[sc->group[G_LATENCY]]++;
		any = 1;
	}
	if (sc->group[G_BANDWIDTH] >= 0) {
		c->bandwidth[sc->group[G_BANDWIDTH]]++;
		any = 1;
	}
	if (sc->group[G_CRYPTO] >= 0) {
		c->crypto[sc->group[G_CRYPTO]]++;
		any = 1;
	}
	if (sc->group[G_REGION] >= 0) {
		c->region[sc->group[G_REGION]]++;
		any = 1;
	}
	if (any)
		c->tagged++;
	if (!sc->keep)
		return;
	if (sc->nroutes < BIRD_ROUTES_MAX)
		sc->routes[sc->nroutes++] = sc->cur;
	else
		sc->dropped++;
}

/* "\tBGP.as_path: 65002" (BIRD 2), "\tbgp_path: 65002" (BIRD 3). */
static void
route_attr(struct bird_route_scan *sc, const char *t)
{
	const char	*colon;
	char		 name[32];
	size_t		 n;

	sc->attr = ATTR_NONE;
	while (*t == '\t' || *t == ' ')
		t++;
	if ((colon = strchr(t, ':')) == NULL ||
	    (n = colon - t) >= sizeof(name))
		return;
	memcpy(name, t, n);
	name[n] = '\0';
	if (strcmp(name, "BGP.as_path") == 0 ||
	    strcmp(name, "bgp_path") == 0) {
		sc->attr = ATTR_PATH;
		route_path(sc, colon + 1);
	} else if (strcmp(name, "BGP.community") == 0 ||
	    strcmp(name, "bgp_community") == 0) {
		sc->attr = ATTR_COMMUNITY;
		route_communities(sc, colon + 1);
	}
}

/* ASNs in order; "{...}" (AS_SET) members are flagged and left out. */
static void
route_path(struct bird_route_scan *sc, const char *p)
{
	struct bird_route_msg	*r = &sc->cur;
	uint32_t		 asn;
	int			 inset = 0;

	r->flags |= BIRD_ROUTE_PATH;
	while (*p != '\0') {
		if (*p == '{' || *p == '(') {
			inset = 1;
			r->flags |= BIRD_ROUTE_PATH_SET;
			p++;
		} else if (*p == '}' || *p == ')') {
			inset = 0;
			p++;
		} else if (*p >= '0' && *p <= '9') {
			if (read_u32(&p, &asn) == -1) {
				p += strspn(p, "0123456789");
				continue;
			}
			if (inset)
				continue;
			if (r->npath < BIRD_ASPATH_MAX)
				r->path[r->npath++] = asn;
			else
				r->flags |= BIRD_ROUTE_PATH_TRUNC;
		} else
			p++;
	}
}

/* "(64511,3) (64511,24)": the first of each DN42 group counts. */
static void
route_communities(struct bird_route_scan *sc, const char *p)
{
	uint32_t	 a, v;
	int		 g, b;

	while ((p = strchr(p, '(')) != NULL) {
		p++;
		while (*p == ' ')
			p++;
		if (read_u32(&p, &a) == -1)
			continue;
		while (*p == ' ')
			p++;
		if (*p != ',')
			continue;
		p++;
		while (*p == ' ')
			p++;
		if (read_u32(&p, &v) == -1)
			continue;
		while (*p == ' ')
			p++;
		if (*p != ')' || a != BIRD_DN42_COMMUNITY_AS)
			continue;
		if (v >= 1 && v <= 9) {
			g = G_LATENCY;
			b = v - 1;
		} else if (v >= 21 && v <= 29) {
			g = G_BANDWIDTH;
			b = v - 21;
		} else if (v >= 31 && v <= 34) {
			g = G_CRYPTO;
			b = v - 31;
		} else if (v >= 41 && v <= 70) {
			g = G_REGION;
			b = v - 41;
		} else
			continue;
		if (sc->group[g] < 0)
			sc->group[g] = b;
	}
}

/* A decimal uint32_t; -1 past 4294967295 (the digits are left). */
static int
read_u32(const char **pp, uint32_t *v)
{
	const char	*p = *pp;
	uint64_t	 n = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (*p - '0');
		if (n > UINT32_MAX)
			return -1;
	}
	*pp = p;
	*v = n;
	return 0;
}

/* At most n bytes of s, printable ASCII only, NUL-terminated. */
static void
copy_word(char *dst, size_t len, const char *s, size_t n)
{
	size_t	 i;

	if (len == 0)
		return;
	if (n >= len)
		n = len - 1;
	for (i = 0; i < n && s[i] != '\0'; i++)
		dst[i] = s[i] > 0x20 && s[i] < 0x7f ? s[i] : '?';
	dst[i] = '\0';
}

/*
 * The reply as text, a line per line, as birdc would show it without
 * the codes: printable ASCII, tabs and newlines; at most len - 1 bytes
 * and NUL-terminated, "[...]" at the end when cut.  Returns the length.
 */
size_t
bird_route_text(const struct bird_reply *rp, char *buf, size_t len)
{
	static const char	 cut[] = "[...]\n";
	const char		*t;
	size_t			 i, o = 0;

	if (len < sizeof(cut))
		return 0;
	for (i = 0; i < rp->nlines; i++) {
		t = bird_reply_text(rp, i);
		if ((rp->lines[i].flags & BIRD_LINE_FINAL) && *t == '\0')
			continue;
		for (; *t != '\0'; t++) {
			if (o + sizeof(cut) >= len)
				goto full;
			buf[o++] = (*t >= 0x20 && *t < 0x7f) || *t == '\t' ?
			    *t : '?';
		}
		if (o + sizeof(cut) >= len)
			goto full;
		buf[o++] = '\n';
	}
	buf[o] = '\0';
	return o;
 full:
	memcpy(buf + o, cut, sizeof(cut));
	return o + sizeof(cut) - 1;
}
