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
 * The state file keeps each owned session's last wanted form, so that
 * an agent started while the control plane is away (after a reboot, say)
 * can bring back a tunnel that is gone.  The preshared key is in it: the
 * file is the root-only state directory's, like the private key's file.
 * What is read back is checked as strictly as the control plane's words.
 */

#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "parent/core/sessiondoc.h"
#include "wgctl/key.h"

struct enc {
	char	*p;
	size_t	 len, off;
	int	 overflow, first;
};

static void	enc_add(struct enc *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static void	enc_str(struct enc *, const char *, const char *);
static void	enc_num(struct enc *, const char *, unsigned long long);
static void	enc_addr(struct enc *, const char *, int, const void *);
static void	enc_key(struct enc *, const char *, const uint8_t *);
static int	dec_str(const struct jnode *, const char *, char *, size_t,
		    int);
static int	dec_num(const struct jnode *, const char *, long long,
		    long long *);
static int	dec_addr(const struct jnode *, const char *, int, void *);
static int	dec_key(const struct jnode *, const char *, uint8_t *);

static void
enc_add(struct enc *e, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (e->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(e->p + e->off, e->len - e->off, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= e->len - e->off) {
		e->overflow = 1;
		return;
	}
	e->off += n;
}

static void
enc_str(struct enc *e, const char *key, const char *val)
{
	char	 esc[6 * CP_DESCR_LEN + 16];	/* \u00XX at worst */

	json_escape(esc, sizeof(esc), val);
	enc_add(e, "%s\"%s\": \"%s\"", e->first ? "" : ", ", key, esc);
	e->first = 0;
}

static void
enc_num(struct enc *e, const char *key, unsigned long long val)
{
	enc_add(e, "%s\"%s\": %llu", e->first ? "" : ", ", key, val);
	e->first = 0;
}

static void
enc_addr(struct enc *e, const char *key, int af, const void *a)
{
	char	 buf[INET6_ADDRSTRLEN];

	if (inet_ntop(af, a, buf, sizeof(buf)) == NULL) {
		e->overflow = 1;
		return;
	}
	enc_str(e, key, buf);
}

static void
enc_key(struct enc *e, const char *key, const uint8_t *k)
{
	char	 b64[WG_KEY_B64_LEN];

	key_to_base64(b64, k);
	enc_str(e, key, b64);
	explicit_bzero(b64, sizeof(b64));
}

/*
 * Every member of cp_session_msg, kept or deliberately not: a member
 * added to it and not here stops the build, so that a new field of the
 * control plane cannot be forgotten by the state file (add it to
 * sessiondoc_encode() and sessiondoc_decode(), then here; the round
 * trip in regress/state/sessiondoc_test.c checks the two agree).
 */
#define SD_F(m)	sizeof(((struct cp_session_msg *)NULL)->m)
_Static_assert(SD_F(uuid) + SD_F(name) + SD_F(description) + SD_F(ifname) +
    SD_F(endpoint_host) + SD_F(peer_pubkey) + SD_F(psk) + SD_F(ipv4) +
    SD_F(ipv6) + SD_F(ipv6_ll) + SD_F(asn) + SD_F(status) + SD_F(type) +
    SD_F(policy) + SD_F(flags) + SD_F(endpoint_port) + SD_F(listen_port) +
    SD_F(mtu) +
    /* not kept: the fetcher's verdict on the CP's data, and padding */
    SD_F(error) + SD_F(pad) == sizeof(struct cp_session_msg),
    "a member of struct cp_session_msg the state file does not know");
#undef SD_F

/* The JSON object into buf; its length, or -1 if it does not fit. */
int
sessiondoc_encode(const struct cp_session_msg *d, char *buf, size_t len)
{
	struct enc	 e = { buf, len, 0, 0, 1 };

	enc_add(&e, "{ ");
	enc_str(&e, "uuid", d->uuid);
	enc_str(&e, "name", d->name);
	enc_str(&e, "description", d->description);
	enc_str(&e, "interface", d->ifname);
	enc_num(&e, "asn", d->asn);
	enc_num(&e, "status", d->status);
	enc_num(&e, "type", d->type);
	enc_num(&e, "policy", d->policy);
	enc_num(&e, "flags", d->flags & ~CP_SESS_INVALID);
	enc_num(&e, "mtu", d->mtu);
	enc_num(&e, "listenPort", d->listen_port);
	enc_key(&e, "publicKey", d->peer_pubkey);
	if (d->flags & CP_SESS_HAS_PSK)
		enc_key(&e, "presharedKey", d->psk);
	if (d->flags & CP_SESS_HAS_ENDPOINT) {
		enc_str(&e, "endpointHost", d->endpoint_host);
		enc_num(&e, "endpointPort", d->endpoint_port);
	}
	if (d->flags & CP_SESS_HAS_IPV4)
		enc_addr(&e, "ipv4", AF_INET, &d->ipv4);
	if (d->flags & CP_SESS_HAS_IPV6)
		enc_addr(&e, "ipv6", AF_INET6, &d->ipv6);
	if (d->flags & CP_SESS_HAS_LL)
		enc_addr(&e, "ipv6LinkLocal", AF_INET6, &d->ipv6_ll);
	enc_add(&e, " }");
	if (e.overflow) {
		explicit_bzero(buf, len);
		return -1;
	}
	return e.off;
}

/* 0: absent and optional; 1: taken; -1: wrong. */
static int
dec_str(const struct jnode *o, const char *key, char *out, size_t outlen,
    int required)
{
	const struct jnode	*n = jdom_get(o, key);
	size_t			 i;

	if (n == NULL)
		return required ? -1 : 0;
	if (n->type != J_STRING || strlcpy(out, n->str, outlen) >= outlen)
		return -1;
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			return -1;
	return 1;
}

static int
dec_num(const struct jnode *o, const char *key, long long max,
    long long *out)
{
	const struct jnode	*n = jdom_get(o, key);
	const char		*errstr;

	if (n == NULL || n->type != J_NUMBER)
		return -1;
	*out = strtonum(n->str, 0, max, &errstr);
	return errstr == NULL ? 0 : -1;
}

static int
dec_addr(const struct jnode *o, const char *key, int af, void *a)
{
	char	 buf[INET6_ADDRSTRLEN];

	if (dec_str(o, key, buf, sizeof(buf), 1) == -1 ||
	    inet_pton(af, buf, a) != 1)
		return -1;
	return 0;
}

static int
dec_key(const struct jnode *o, const char *key, uint8_t *k)
{
	char	 b64[WG_KEY_B64_LEN];
	int	 rv;

	rv = dec_str(o, key, b64, sizeof(b64), 1) == -1 ||
	    key_from_base64(k, b64) == -1 || key_is_zero(k) ? -1 : 0;
	explicit_bzero(b64, sizeof(b64));
	return rv;
}

/*
 * Back into a session; -1 with the reason in err if any field is not
 * what sessiondoc_encode() writes.
 */
int
sessiondoc_decode(const struct jnode *o, struct cp_session_msg *d,
    char *err, size_t errlen)
{
	const struct {
		const char	*key;
		long long	 min, max;
		uint32_t	*u32;
		uint16_t	*u16;
	} nums[] = {
		{ "asn", 1, UINT32_MAX, &d->asn, NULL },
		{ "status", 0, CP_STATUS_MAX, &d->status, NULL },
		{ "type", 0, CP_TUNNEL_MAX, &d->type, NULL },
		{ "policy", 0, CP_POLICY_MAX, &d->policy, NULL },
		{ "flags", 0, 0x7fff, &d->flags, NULL },
		{ "mtu", 0, 65535, NULL, &d->mtu },
		{ "listenPort", 0, 65535, NULL, &d->listen_port }
	};
	const char	*bad = NULL;
	long long	 v;
	size_t		 i;

	memset(d, 0, sizeof(*d));
	if (o == NULL || o->type != J_OBJECT) {
		snprintf(err, errlen, "not an object");
		return -1;
	}
	if (dec_str(o, "uuid", d->uuid, sizeof(d->uuid), 1) == -1 ||
	    d->uuid[0] == '\0')
		bad = "uuid";
	else if (dec_str(o, "name", d->name, sizeof(d->name), 1) == -1)
		bad = "name";
	else if (dec_str(o, "description", d->description,
	    sizeof(d->description), 1) == -1)
		bad = "description";
	else if (dec_str(o, "interface", d->ifname, sizeof(d->ifname),
	    1) == -1 || d->ifname[0] == '\0')
		bad = "interface";
	if (bad == NULL)
		for (i = 0; d->ifname[i] != '\0'; i++)
			if (strchr("abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-",
			    d->ifname[i]) == NULL)
				bad = "interface";
	if (bad != NULL)
		goto fail;
	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (dec_num(o, nums[i].key, nums[i].max, &v) == -1 ||
		    v < nums[i].min) {
			bad = nums[i].key;
			goto fail;
		}
		if (nums[i].u32 != NULL)
			*nums[i].u32 = v;
		else
			*nums[i].u16 = v;
	}
	if (dec_key(o, "publicKey", d->peer_pubkey) == -1) {
		bad = "publicKey";
		goto fail;
	}
	if ((d->flags & CP_SESS_HAS_PSK) &&
	    dec_key(o, "presharedKey", d->psk) == -1) {
		bad = "presharedKey";
		goto fail;
	}
	if (d->flags & CP_SESS_HAS_ENDPOINT) {
		if (dec_str(o, "endpointHost", d->endpoint_host,
		    sizeof(d->endpoint_host), 1) == -1 ||
		    d->endpoint_host[0] == '\0') {
			bad = "endpointHost";
			goto fail;
		}
		if (dec_num(o, "endpointPort", 65535, &v) == -1 || v == 0) {
			bad = "endpointPort";
			goto fail;
		}
		d->endpoint_port = v;
	}
	if ((d->flags & CP_SESS_HAS_IPV4) &&
	    dec_addr(o, "ipv4", AF_INET, &d->ipv4) == -1)
		bad = "ipv4";
	else if ((d->flags & CP_SESS_HAS_IPV6) &&
	    dec_addr(o, "ipv6", AF_INET6, &d->ipv6) == -1)
		bad = "ipv6";
	else if ((d->flags & CP_SESS_HAS_LL) &&
	    dec_addr(o, "ipv6LinkLocal", AF_INET6, &d->ipv6_ll) == -1)
		bad = "ipv6LinkLocal";
	if (bad == NULL)
		return 0;
 fail:
	snprintf(err, errlen, "%s: missing or not valid", bad);
	explicit_bzero(d, sizeof(*d));
	return -1;
}
