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
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "cpvalid.h"

#define CPV_UUID_MAX	63
#define CPV_NODE_MAX	63
#define CPV_HOST_MAX	253
#define CPV_LABEL_MAX	63

static int	cpv_charset(const char *, const char *);
static int	cpv_prefix(const char *, int, int, char *, size_t,
		    uint8_t *, const char **);
static int	b64val(int);

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/*
 * An integer from its JSON text (a number or a digit string): only an
 * optional '-' and digits, so "1.0", "1e3", " 1" and "" are refused
 * rather than silently rounded.
 */
int
cpv_int(const char *s, long long min, long long max, long long *out,
    const char **why)
{
	const char	*errstr;
	const char	*p;
	long long	 v;

	p = s;
	if (*p == '-')
		p++;
	if (*p == '\0') {
		*why = "not an integer";
		return -1;
	}
	for (; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p)) {
			*why = "not an integer";
			return -1;
		}
	}
	v = strtonum(s, min, max, &errstr);
	if (errstr != NULL) {
		*why = "out of range";
		return -1;
	}
	*out = v;
	return 0;
}

/*
 * Peer ASNs: any 32-bit ASN a BGP session can carry.  0 and 4294967295
 * are reserved (RFC 7607, 7300), 23456 is AS_TRANS (RFC 6793) and the
 * documentation ranges (RFC 5398) never peer.
 */
int
cpv_asn(long long v, const char **why)
{
	if (v < 1 || v > 4294967294LL) {
		*why = "out of range";
		return -1;
	}
	if (v == 23456 || v == 65535 || (v >= 64496 && v <= 64511) ||
	    (v >= 65536 && v <= 65551)) {
		*why = "reserved ASN";
		return -1;
	}
	return 0;
}

/* Human text: bounded, no control characters (UTF-8 is checked by yajl). */
int
cpv_text(const char *s, size_t size, const char **why)
{
	const unsigned char	*p;

	if (strnlen(s, size) >= size) {
		*why = "too long";
		return -1;
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			*why = "control character";
			return -1;
		}
	}
	return 0;
}

static int
cpv_charset(const char *s, const char *extra)
{
	for (; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && strchr(extra, *s) == NULL)
			return -1;
	}
	return 0;
}

int
cpv_uuid(const char *s, const char **why)
{
	size_t	len;

	len = strlen(s);
	if (len == 0 || len > CPV_UUID_MAX) {
		*why = len == 0 ? "empty" : "too long";
		return -1;
	}
	if (cpv_charset(s, "-_.:") == -1) {
		*why = "invalid character";
		return -1;
	}
	return 0;
}

/* The one rule every process has for an interface name (common/). */
int
cpv_ifname(const char *s, const char **why)
{
	const char	*bad;

	if ((bad = ifname_check(s, strlen(s) + 1)) != NULL) {
		*why = bad;
		return -1;
	}
	return 0;
}

int
cpv_nodename(const char *s, const char **why)
{
	return cpv_word(s, CPV_NODE_MAX + 1, why);
}

/* A bare word such as a router name or a bandwidth label. */
int
cpv_word(const char *s, size_t size, const char **why)
{
	size_t	len;

	len = strnlen(s, size);
	if (len == 0 || len >= size) {
		*why = len == 0 ? "empty" : "too long";
		return -1;
	}
	if (cpv_charset(s, "-_.") == -1) {
		*why = "invalid character";
		return -1;
	}
	return 0;
}

/* A BIRD symbol name: it is written into configuration unquoted. */
int
cpv_symbol(const char *s, size_t size, const char **why)
{
	size_t	len;

	len = strnlen(s, size);
	if (len == 0 || len >= size) {
		*why = len == 0 ? "empty" : "too long";
		return -1;
	}
	if (!isalpha((unsigned char)s[0]) && s[0] != '_') {
		*why = "not a symbol name";
		return -1;
	}
	if (cpv_charset(s, "_") == -1) {
		*why = "not a symbol name";
		return -1;
	}
	return 0;
}

int
cpv_hostname(const char *s, const char **why)
{
	const char	*p, *label;
	size_t		 len, llen;
	int		 alldigits;

	len = strlen(s);
	if (len == 0 || len > CPV_HOST_MAX) {
		*why = len == 0 ? "empty host" : "host name too long";
		return -1;
	}
	alldigits = 1;
	label = s;
	for (p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			llen = p - label;
			if (llen == 0 || llen > CPV_LABEL_MAX ||
			    label[0] == '-' || p[-1] == '-') {
				if (!(*p == '\0' && llen == 0 && p != s)) {
					*why = "invalid host name";
					return -1;
				}
			}
			if (*p == '\0')
				break;
			label = p + 1;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') {
			*why = "invalid host name";
			return -1;
		}
		if (!isdigit((unsigned char)*p))
			alldigits = 0;
	}
	if (alldigits) {
		*why = "invalid address";
		return -1;
	}
	return 0;
}

/* Absolute, no "..", a conservative charset: the parent writes there. */
int
cpv_path(const char *s, size_t size, const char **why)
{
	size_t	len;

	len = strnlen(s, size);
	if (len == 0 || len >= size) {
		*why = len == 0 ? "empty" : "too long";
		return -1;
	}
	if (s[0] != '/') {
		*why = "not an absolute path";
		return -1;
	}
	if (cpv_charset(s, "/-_.+@") == -1) {
		*why = "invalid character";
		return -1;
	}
	if (strstr(s, "/../") != NULL || strstr(s, "/./") != NULL ||
	    strstr(s, "//") != NULL ||
	    (len >= 3 && strcmp(s + len - 3, "/..") == 0) ||
	    (len >= 2 && strcmp(s + len - 2, "/.") == 0)) {
		*why = "not a canonical path";
		return -1;
	}
	return 0;
}

/*
 * Split "addr[/len]".  lenmode 0: no length allowed, 1: optional,
 * 2: required.  *plen is the given length, or the full length.
 */
static int
cpv_prefix(const char *s, int lenmode, int maxlen, char *addr,
    size_t addrsize, uint8_t *plen, const char **why)
{
	const char	*slash, *errstr;
	long long	 l;
	size_t		 alen;

	slash = strchr(s, '/');
	alen = slash != NULL ? (size_t)(slash - s) : strlen(s);
	if (alen == 0 || alen >= addrsize) {
		*why = alen == 0 ? "empty" : "invalid address";
		return -1;
	}
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	if (slash == NULL) {
		if (lenmode == 2) {
			*why = "prefix length missing";
			return -1;
		}
		*plen = maxlen;
		return 0;
	}
	if (lenmode == 0) {
		*why = "prefix length not allowed";
		return -1;
	}
	if (cpv_int(slash + 1, 0, maxlen, &l, &errstr) == -1 ||
	    slash[1] == '-') {
		*why = "invalid prefix length";
		return -1;
	}
	*plen = l;
	return 0;
}

int
cpv_inet4(const char *s, int lenmode, struct in_addr *in, uint8_t *plen,
    const char **why)
{
	char	addr[INET_ADDRSTRLEN];
	uint8_t	l;

	if (cpv_prefix(s, lenmode, 32, addr, sizeof(addr), &l, why) == -1)
		return -1;
	if (inet_pton(AF_INET, addr, in) != 1) {
		*why = "not an IPv4 address";
		return -1;
	}
	if (plen != NULL)
		*plen = l;
	return 0;
}

int
cpv_inet6(const char *s, int lenmode, struct in6_addr *in6, uint8_t *plen,
    const char **why)
{
	char	addr[INET6_ADDRSTRLEN];
	uint8_t	l;

	if (cpv_prefix(s, lenmode, 128, addr, sizeof(addr), &l, why) == -1)
		return -1;
	if (inet_pton(AF_INET6, addr, in6) != 1) {
		*why = "not an IPv6 address";
		return -1;
	}
	if (plen != NULL)
		*plen = l;
	return 0;
}

/* fe80::/10 */
int
cpv_linklocal(const struct in6_addr *in6)
{
	return in6->s6_addr[0] == 0xfe && (in6->s6_addr[1] & 0xc0) == 0x80;
}

/*
 * "host:port" or "[v6]:port".  An unbracketed IPv6 address is refused:
 * its last group would be taken for the port.
 */
int
cpv_endpoint(const char *s, char *host, size_t hostsize, uint16_t *port,
    const char **why)
{
	struct in_addr	 in;
	struct in6_addr	 in6;
	const char	*colon, *close, *errstr;
	long long	 p;
	size_t		 hlen;

	if (s[0] == '[') {
		if ((close = strchr(s, ']')) == NULL || close[1] != ':') {
			*why = "expected [address]:port";
			return -1;
		}
		hlen = close - s - 1;
		if (hlen == 0 || hlen >= hostsize || hlen >= INET6_ADDRSTRLEN) {
			*why = "invalid IPv6 address";
			return -1;
		}
		memcpy(host, s + 1, hlen);
		host[hlen] = '\0';
		if (inet_pton(AF_INET6, host, &in6) != 1) {
			*why = "invalid IPv6 address";
			return -1;
		}
		colon = close + 1;
	} else {
		if ((colon = strrchr(s, ':')) == NULL) {
			*why = "port missing";
			return -1;
		}
		if (memchr(s, ':', colon - s) != NULL) {
			*why = "IPv6 address not in brackets";
			return -1;
		}
		hlen = colon - s;
		if (hlen == 0 || hlen >= hostsize) {
			*why = hlen == 0 ? "empty host" : "host name too long";
			return -1;
		}
		memcpy(host, s, hlen);
		host[hlen] = '\0';
		if (inet_pton(AF_INET, host, &in) != 1 &&
		    cpv_hostname(host, why) == -1)
			return -1;
	}
	if (colon[1] == '-' ||
	    cpv_int(colon + 1, 1, 65535, &p, &errstr) == -1) {
		*why = "invalid port";
		return -1;
	}
	*port = p;
	return 0;
}

static int
b64val(int c)
{
	const char	*p;

	if (c == '\0' || (p = strchr(b64chars, c)) == NULL)
		return -1;
	return p - b64chars;
}

/*
 * A WireGuard key: exactly 44 characters of standard base64 ending in
 * one '=', decoding to 32 bytes with the unused low bits zero, so that
 * every key has one spelling.
 */
int
cpv_key(const char *s, uint8_t *key, const char **why)
{
	uint32_t	acc;
	int		i, v, bits, n;

	if (strlen(s) != CPV_B64KEY_LEN || s[43] != '=') {
		*why = "not a 32-byte base64 key";
		return -1;
	}
	acc = 0;
	bits = 0;
	n = 0;
	for (i = 0; i < 43; i++) {
		if ((v = b64val(s[i])) == -1) {
			*why = "not a 32-byte base64 key";
			return -1;
		}
		acc = (acc << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			key[n++] = (acc >> bits) & 0xff;
		}
	}
	/* 43 * 6 = 258 bits: 2 left over, which must be zero. */
	if (n != 32 || (acc & ((1U << bits) - 1)) != 0) {
		*why = "not a canonical base64 key";
		return -1;
	}
	return 0;
}

/* out must hold CPV_B64KEY_LEN + 1 bytes. */
void
cpv_key_encode(const uint8_t *key, char *out)
{
	uint32_t	acc;
	int		i, o, bits;

	acc = 0;
	bits = 0;
	o = 0;
	for (i = 0; i < 32; i++) {
		acc = (acc << 8) | key[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[o++] = b64chars[(acc >> bits) & 0x3f];
		}
	}
	out[o++] = b64chars[(acc << (6 - bits)) & 0x3f];
	out[o++] = '=';
	out[o] = '\0';
}
