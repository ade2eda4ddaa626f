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
 * The parser of tool targets named by the bot.  It works on a copy and
 * fills *t only on success; every refusal names the rule, never the
 * input, so a reason can be echoed to the bot and logged as it is.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

#define TARGET_LABEL_MAX	63
#define TARGET_NAME_MAX		253

static int	target_fail(char *, size_t, const char *);
static int	target_digits(const char *, long long, long long,
		    long long *);
static int	target_literal(const char *, struct target *);
static int	target_name(const char *, int, struct target *,
		    const char **);
static int	target_prefix(const char *, struct target *, const char **);
static int	target_hostport(const char *, struct target *, const char **);
static void	target_mask(struct target *);

static int
target_fail(char *err, size_t errlen, const char *why)
{
	if (errlen > 0)
		strlcpy(err, why, errlen);
	return -1;
}

/* Plain decimal only: no sign, no leading zero, no blanks. */
static int
target_digits(const char *s, long long min, long long max, long long *out)
{
	const char	*p, *errstr;
	long long	 v;

	if (*s == '\0' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	for (p = s; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	if (p - s > 6)
		return -1;
	v = strtonum(s, min, max, &errstr);
	if (errstr != NULL)
		return -1;
	*out = v;
	return 0;
}

/* An address literal, v4 dotted quad or v6 without scope. */
static int
target_literal(const char *s, struct target *t)
{
	if (strchr(s, ':') != NULL) {
		if (inet_pton(AF_INET6, s, &t->a6) != 1)
			return -1;
		t->af = AF_INET6;
		inet_ntop(AF_INET6, &t->a6, t->host, sizeof(t->host));
	} else {
		if (inet_pton(AF_INET, s, &t->a4) != 1)
			return -1;
		t->af = AF_INET;
		inet_ntop(AF_INET, &t->a4, t->host, sizeof(t->host));
	}
	return 0;
}

/*
 * LDH labels of 1..63 bytes, at most 253 in all, an optional final dot
 * (dropped).  An all-numeric last label would make "1.2.3" or
 * "300.1.1.1" a name that a resolver might read as an address.
 */
static int
target_name(const char *s, int underscore, struct target *t,
    const char **why)
{
	const char	*p, *label;
	size_t		 len, llen, i;
	int		 alldigits = 1;

	len = strlen(s);
	if (len > 0 && s[len - 1] == '.')
		len--;
	if (len == 0 || len > TARGET_NAME_MAX) {
		*why = len == 0 ? "empty host name" : "host name too long";
		return -1;
	}
	label = s;
	for (p = s; p <= s + len; p++) {
		if (p == s + len || *p == '.') {
			llen = p - label;
			if (llen == 0 || llen > TARGET_LABEL_MAX) {
				*why = llen == 0 ? "empty label in host name" :
				    "label longer than 63 bytes";
				return -1;
			}
			if (label[0] == '-' || p[-1] == '-') {
				*why = "label starts or ends with '-'";
				return -1;
			}
			alldigits = 1;
			for (i = 0; i < llen; i++)
				if (!isdigit((unsigned char)label[i]))
					alldigits = 0;
			label = p + 1;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-' &&
		    (*p != '_' || !underscore)) {
			*why = "invalid character in host name";
			return -1;
		}
	}
	if (alldigits) {
		*why = "not an address nor a host name";
		return -1;
	}
	for (i = 0; i < len; i++)
		t->host[i] = tolower((unsigned char)s[i]);
	t->host[len] = '\0';
	t->af = 0;
	return 0;
}

static void
target_mask(struct target *t)
{
	uint32_t	 m;
	int		 i, bits;

	if (t->af == AF_INET) {
		m = t->plen == 0 ? 0 : htonl(0xffffffffU << (32 - t->plen));
		t->a4.s_addr &= m;
		return;
	}
	for (i = 0; i < 16; i++) {
		bits = t->plen - i * 8;
		if (bits >= 8)
			continue;
		t->a6.s6_addr[i] &= bits <= 0 ? 0 : (0xff << (8 - bits)) & 0xff;
	}
}

static int
target_prefix(const char *s, struct target *t, const char **why)
{
	char		 buf[TARGET_INPUT_MAX + 1];
	char		*slash;
	long long	 plen;

	strlcpy(buf, s, sizeof(buf));
	slash = strchr(buf, '/');
	*slash++ = '\0';
	if (strchr(slash, '/') != NULL) {
		*why = "more than one '/'";
		return -1;
	}
	if (target_literal(buf, t) == -1) {
		*why = "prefix is not an address";
		return -1;
	}
	if (target_digits(slash, 0, t->af == AF_INET ? 32 : 128, &plen) == -1) {
		*why = "invalid prefix length";
		return -1;
	}
	t->plen = plen;
	target_mask(t);
	if (t->af == AF_INET)
		inet_ntop(AF_INET, &t->a4, t->host, sizeof(t->host));
	else
		inet_ntop(AF_INET6, &t->a6, t->host, sizeof(t->host));
	return 0;
}

/* host:port, v4:port or [v6]:port; a bare v6 address has no port. */
static int
target_hostport(const char *s, struct target *t, const char **why)
{
	char		 buf[TARGET_INPUT_MAX + 1];
	char		*host, *port;
	long long	 v;

	strlcpy(buf, s, sizeof(buf));
	if (buf[0] == '[') {
		host = buf + 1;
		if ((port = strchr(host, ']')) == NULL || port[1] != ':') {
			*why = "expected [address]:port";
			return -1;
		}
		*port = '\0';
		port += 2;
		if (strchr(host, ':') == NULL ||
		    target_literal(host, t) == -1) {
			*why = "invalid address in brackets";
			return -1;
		}
	} else {
		if ((port = strchr(buf, ':')) == NULL) {
			*why = "port required (host:port)";
			return -1;
		}
		*port++ = '\0';
		host = buf;
		if (strchr(host, '[') != NULL || strchr(host, ']') != NULL) {
			*why = "misplaced bracket";
			return -1;
		}
		if (target_literal(host, t) == -1 &&
		    target_name(host, 0, t, why) == -1)
			return -1;
	}
	if (target_digits(port, 1, 65535, &v) == -1) {
		*why = "invalid port (1..65535)";
		return -1;
	}
	t->port = v;
	return 0;
}

/*
 * Parses in as one of the kinds in allowed.  The kind follows from the
 * shape alone: brackets or a single ':' mean host:port, '/' a prefix,
 * two or more ':' or a dotted quad an address, anything else a name.
 */
int
target_parse(const char *in, int allowed, struct target *t, char *err,
    size_t errlen)
{
	struct target	 n;
	const char	*p, *why = NULL;
	size_t		 len, colons = 0;
	int		 kind;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (in == NULL || (len = strnlen(in, TARGET_INPUT_MAX + 1)) == 0)
		return target_fail(err, errlen, "empty target");
	if (len > TARGET_INPUT_MAX)
		return target_fail(err, errlen, "target too long");
	for (p = in; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) &&
		    strchr(".:/[]-", *p) == NULL &&
		    (*p != '_' || !(allowed & TARGET_UNDERSCORE)))
			return target_fail(err, errlen,
			    "invalid character in target");
		if (*p == ':')
			colons++;
	}
	if (in[0] == '-')
		return target_fail(err, errlen, "target starts with '-'");

	memset(&n, 0, sizeof(n));
	n.plen = -1;
	if (in[0] == '[' || colons == 1)
		kind = TARGET_HOSTPORT;
	else if (strchr(in, '[') != NULL || strchr(in, ']') != NULL)
		return target_fail(err, errlen, "misplaced bracket");
	else if (strchr(in, '/') != NULL)
		kind = TARGET_PREFIX;
	else if (colons > 1 || target_literal(in, &n) == 0)
		kind = TARGET_ADDR;
	else
		kind = TARGET_HOST;

	if ((kind & allowed) == 0) {
		switch (kind) {
		case TARGET_HOSTPORT:
			why = (allowed & TARGET_ADDR) && colons == 1 &&
			    in[0] != '[' ? "a port is not allowed here" :
			    "host:port not allowed here";
			break;
		case TARGET_PREFIX:
			why = "a prefix is not allowed here";
			break;
		case TARGET_ADDR:
			why = "an address is not allowed here";
			break;
		default:
			why = (allowed & TARGET_HOSTPORT) ?
			    "port required (host:port)" :
			    "a host name is not allowed here";
			break;
		}
		return target_fail(err, errlen, why);
	}

	switch (kind) {
	case TARGET_HOSTPORT:
		if (strchr(in, '/') != NULL)
			return target_fail(err, errlen, "'/' in host:port");
		if (target_hostport(in, &n, &why) == -1)
			return target_fail(err, errlen, why);
		if (n.af == AF_INET6)
			snprintf(n.canon, sizeof(n.canon), "[%s]:%u", n.host,
			    n.port);
		else
			snprintf(n.canon, sizeof(n.canon), "%s:%u", n.host,
			    n.port);
		break;
	case TARGET_PREFIX:
		if (target_prefix(in, &n, &why) == -1)
			return target_fail(err, errlen, why);
		snprintf(n.canon, sizeof(n.canon), "%s/%d", n.host, n.plen);
		break;
	case TARGET_ADDR:
		if (target_literal(in, &n) == -1)
			return target_fail(err, errlen, "invalid address");
		strlcpy(n.canon, n.host, sizeof(n.canon));
		break;
	default:
		if (target_name(in, allowed & TARGET_UNDERSCORE, &n,
		    &why) == -1)
			return target_fail(err, errlen, why);
		strlcpy(n.canon, n.host, sizeof(n.canon));
		break;
	}
	n.kind = kind;
	*t = n;
	return 0;
}
