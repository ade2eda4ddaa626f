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
 * Finding a session by what an operator has at hand.  The kinds of
 * names are tried from the most to the least specific, and the first
 * kind that matches decides: a whole uuid, then a name, BIRD protocol
 * or interface, then an ASN, then a uuid prefix.  Several sessions of
 * the deciding kind are an error that lists them, never a guess.
 */

#include <sys/types.h>
#include <sys/tree.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "parent/core/session.h"
#include "parent/outputs/ctl_find.h"

#define FIND_SHOWN	5	/* candidates named in the error */
#define UUID_PREFIX_MIN	4	/* shorter prefixes match too much */

enum find_kind {
	FIND_NAME,
	FIND_ASN,
	FIND_PREFIX,
	FIND_KINDS
};

static int	find_match(const struct session *, enum find_kind,
		    const char *, uint32_t);
static int	proto_is(const struct session *, const char *);

/* "4242420002", "AS4242420002", "as4242420002": 1 and *asn. */
int
ctl_parse_asn(const char *s, uint32_t *asn)
{
	const char	*errstr;
	long long	 v;

	if ((s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's'))
		s += 2;
	if (s[0] < '0' || s[0] > '9' || strspn(s, "0123456789") !=
	    strlen(s))
		return 0;
	v = strtonum(s, 1, UINT32_MAX, &errstr);
	if (errstr != NULL)
		return 0;
	*asn = (uint32_t)v;
	return 1;
}

/* The session's protocol, or one of the two a non-MP-BGP one has. */
static int
proto_is(const struct session *s, const char *arg)
{
	size_t	 n = strlen(s->protocol);

	if (n == 0 || strncmp(arg, s->protocol, n) != 0)
		return 0;
	return arg[n] == '\0' || strcmp(arg + n, "_v4") == 0 ||
	    strcmp(arg + n, "_v6") == 0;
}

static int
find_match(const struct session *s, enum find_kind k, const char *arg,
    uint32_t asn)
{
	switch (k) {
	case FIND_NAME:
		/* The interface made, or the one the control plane wants. */
		return strcmp(s->desired.name, arg) == 0 || proto_is(s, arg) ||
		    strcmp(s->ifname, arg) == 0 ||
		    strcmp(s->desired.ifname, arg) == 0;
	case FIND_ASN:
		return s->desired.asn == asn;
	case FIND_PREFIX:
		return strlen(arg) >= UUID_PREFIX_MIN &&
		    strncmp(s->desired.uuid, arg, strlen(arg)) == 0;
	case FIND_KINDS:
		break;
	}
	return 0;
}

int
ctl_find(const char *arg, struct session **out, char *err, size_t errlen)
{
	static const char *const kinds[FIND_KINDS] = {
		"name, protocol or interface", "ASN", "uuid prefix"
	};
	struct session	*s, *found = NULL;
	char		 one[CP_UUID_LEN + CP_NAME_LEN + 32];
	uint32_t	 asn = 0;
	int		 k, n, isasn;

	*out = NULL;
	if (arg[0] == '\0') {
		snprintf(err, errlen, "no session named");
		return -1;
	}
	if ((s = session_find(arg)) != NULL) {
		*out = s;
		return 0;
	}
	isasn = ctl_parse_asn(arg, &asn);
	for (k = 0; k < FIND_KINDS; k++) {
		if (k == FIND_ASN && !isasn)
			continue;
		n = 0;
		RB_FOREACH(s, session_tree, &sessions) {
			if (!find_match(s, k, arg, asn))
				continue;
			if (n++ == 0)
				found = s;
		}
		if (n == 1) {
			*out = found;
			return 0;
		}
		if (n == 0)
			continue;
		snprintf(err, errlen, "%s matches %d sessions by %s:", arg, n,
		    kinds[k]);
		n = 0;
		RB_FOREACH(s, session_tree, &sessions) {
			if (!find_match(s, k, arg, asn))
				continue;
			if (n++ == FIND_SHOWN) {
				strlcat(err, " ...", errlen);
				break;
			}
			snprintf(one, sizeof(one), "%s %s (AS%u, %s)",
			    n > 1 ? "," : "", s->desired.uuid, s->desired.asn,
			    s->protocol[0] != '\0' ? s->protocol :
			    s->desired.name);
			strlcat(err, one, errlen);
		}
		return -1;
	}
	snprintf(err, errlen, "no session %s (tried uuid, uuid prefix, name, "
	    "protocol, interface%s)", arg, isasn ? ", ASN" : "");
	return -1;
}
