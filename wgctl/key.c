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
 * Key encodings and Curve25519 (RFC 7748).  The field arithmetic keeps
 * an element in sixteen signed 64-bit limbs of 16 bits each, which is
 * slow but small and free of secret-dependent branches and indexes.
 * Right shifts of negative limbs rely on the arithmetic shift that gcc
 * and clang define.
 */

#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "key.h"

typedef int64_t	fe[16];

static int	ct_in(int, int, int);
static int	b64_val(int, int *);
static int	hex_val(int, int *);
static void	fe_carry(fe);
static void	fe_cswap(fe, fe, int64_t);
static void	fe_add(fe, const fe, const fe);
static void	fe_sub(fe, const fe, const fe);
static void	fe_mul(fe, const fe, const fe);
static void	fe_sq(fe, const fe);
static void	fe_inv(fe, const fe);
static void	fe_unpack(fe, const uint8_t *);
static void	fe_pack(uint8_t *, const fe);

static const fe	fe_a24 = { 0xdb41, 1 };	/* (486662 - 2) / 4 = 121665 */
static const uint8_t basepoint[WG_KEY_LEN] = { 9 };

/* -1 when lo <= c <= hi, else 0, for c in 0..255, without branching. */
static int
ct_in(int c, int lo, int hi)
{
	return ((lo - 1 - c) & (c - hi - 1)) >> 8;
}

static int
b64_val(int c, int *bad)
{
	int	mu, ml, md, mp, ms;

	mu = ct_in(c, 'A', 'Z');
	ml = ct_in(c, 'a', 'z');
	md = ct_in(c, '0', '9');
	mp = ct_in(c, '+', '+');
	ms = ct_in(c, '/', '/');
	*bad |= ~(mu | ml | md | mp | ms) & 1;
	return (mu & (c - 'A')) | (ml & (c - 'a' + 26)) |
	    (md & (c - '0' + 52)) | (mp & 62) | (ms & 63);
}

static int
hex_val(int c, int *bad)
{
	int	md, ml, mu;

	md = ct_in(c, '0', '9');
	ml = ct_in(c, 'a', 'f');
	mu = ct_in(c, 'A', 'F');
	*bad |= ~(md | ml | mu) & 1;
	return (md & (c - '0')) | (ml & (c - 'a' + 10)) |
	    (mu & (c - 'A' + 10));
}

/*
 * Exactly 44 characters: ten groups of four, then three characters and
 * '='.  The two bits left over at the end must be zero, so that every
 * key has exactly one spelling.
 */
int
key_from_base64(uint8_t *key, const char *s)
{
	uint8_t		 out[WG_KEY_LEN];
	uint32_t	 v;
	int		 i, j, bad = 0;

	if (s == NULL || strnlen(s, WG_KEY_B64_LEN) != WG_KEY_B64_LEN - 1 ||
	    s[WG_KEY_B64_LEN - 2] != '=') {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < 10; i++) {
		v = 0;
		for (j = 0; j < 4; j++)
			v = (v << 6) |
			    b64_val((unsigned char)s[i * 4 + j], &bad);
		out[i * 3] = v >> 16;
		out[i * 3 + 1] = v >> 8;
		out[i * 3 + 2] = v;
	}
	v = 0;
	for (j = 0; j < 3; j++)
		v = (v << 6) | b64_val((unsigned char)s[40 + j], &bad);
	bad |= (v & 3) != 0;
	out[30] = v >> 10;
	out[31] = v >> 2;
	if (bad) {
		explicit_bzero(out, sizeof(out));
		errno = EINVAL;
		return -1;
	}
	memcpy(key, out, sizeof(out));
	explicit_bzero(out, sizeof(out));
	return 0;
}

static char
b64_chr(unsigned int v)
{
	int	x = v;

	/* 'A'.., then 'a'.. (+6), '0'.. (-75), '+' (-15), '/' (+3) */
	return x + 'A' + (((25 - x) >> 8) & 6) - (((51 - x) >> 8) & 75) -
	    (((61 - x) >> 8) & 15) + (((62 - x) >> 8) & 3);
}

void
key_to_base64(char *s, const uint8_t *key)
{
	uint32_t	v;
	int		i;

	for (i = 0; i < 10; i++) {
		v = (uint32_t)key[i * 3] << 16 | key[i * 3 + 1] << 8 |
		    key[i * 3 + 2];
		s[i * 4] = b64_chr((v >> 18) & 63);
		s[i * 4 + 1] = b64_chr((v >> 12) & 63);
		s[i * 4 + 2] = b64_chr((v >> 6) & 63);
		s[i * 4 + 3] = b64_chr(v & 63);
	}
	v = (uint32_t)key[30] << 8 | key[31];
	s[40] = b64_chr((v >> 10) & 63);
	s[41] = b64_chr((v >> 4) & 63);
	s[42] = b64_chr((v << 2) & 63);
	s[43] = '=';
	s[44] = '\0';
}

int
key_from_hex(uint8_t *key, const char *s)
{
	uint8_t	out[WG_KEY_LEN];
	int	i, bad = 0;

	if (s == NULL || strnlen(s, WG_KEY_HEX_LEN) != WG_KEY_HEX_LEN - 1) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < WG_KEY_LEN; i++)
		out[i] = hex_val((unsigned char)s[i * 2], &bad) << 4 |
		    hex_val((unsigned char)s[i * 2 + 1], &bad);
	if (bad) {
		explicit_bzero(out, sizeof(out));
		errno = EINVAL;
		return -1;
	}
	memcpy(key, out, sizeof(out));
	explicit_bzero(out, sizeof(out));
	return 0;
}

void
key_to_hex(char *s, const uint8_t *key)
{
	int	i, n;

	for (i = 0; i < WG_KEY_LEN * 2; i++) {
		n = (key[i / 2] >> (i % 2 ? 0 : 4)) & 0xf;
		s[i] = n + '0' + (((9 - n) >> 8) & ('a' - '0' - 10));
	}
	s[WG_KEY_LEN * 2] = '\0';
}

/* 1 when equal, in time independent of where they differ. */
int
key_eq(const uint8_t *a, const uint8_t *b)
{
	unsigned int	acc = 0;
	int		i;

	for (i = 0; i < WG_KEY_LEN; i++)
		acc |= a[i] ^ b[i];
	return 1 & ((acc - 1) >> 8);
}

int
key_is_zero(const uint8_t *k)
{
	static const uint8_t	zero[WG_KEY_LEN];

	return key_eq(k, zero);
}

void
key_public(uint8_t *pub, const uint8_t *priv)
{
	x25519(pub, priv, basepoint);
}

static void
fe_carry(fe o)
{
	int64_t	c;
	int	i;

	for (i = 0; i < 16; i++) {
		c = o[i] >> 16;
		o[i] -= c * 65536;
		/* 2^256 = 38 mod 2^255 - 19 */
		if (i < 15)
			o[i + 1] += c;
		else
			o[0] += 38 * c;
	}
}

/* Swaps p and q when b is 1, leaves them when b is 0. */
static void
fe_cswap(fe p, fe q, int64_t b)
{
	int64_t	t, m = -b;
	int	i;

	for (i = 0; i < 16; i++) {
		t = m & (p[i] ^ q[i]);
		p[i] ^= t;
		q[i] ^= t;
	}
}

static void
fe_add(fe o, const fe a, const fe b)
{
	int	i;

	for (i = 0; i < 16; i++)
		o[i] = a[i] + b[i];
}

static void
fe_sub(fe o, const fe a, const fe b)
{
	int	i;

	for (i = 0; i < 16; i++)
		o[i] = a[i] - b[i];
}

static void
fe_mul(fe o, const fe a, const fe b)
{
	int64_t	t[31];
	int	i, j;

	memset(t, 0, sizeof(t));
	for (i = 0; i < 16; i++)
		for (j = 0; j < 16; j++)
			t[i + j] += a[i] * b[j];
	for (i = 0; i < 15; i++)
		t[i] += 38 * t[i + 16];
	for (i = 0; i < 16; i++)
		o[i] = t[i];
	fe_carry(o);
	fe_carry(o);
	explicit_bzero(t, sizeof(t));
}

static void
fe_sq(fe o, const fe a)
{
	fe_mul(o, a, a);
}

/* a^(p - 2), p - 2 = 2^255 - 21: every bit set but bits 2 and 4. */
static void
fe_inv(fe o, const fe a)
{
	fe	c;
	int	i;

	memcpy(c, a, sizeof(c));
	for (i = 253; i >= 0; i--) {
		fe_sq(c, c);
		if (i != 2 && i != 4)
			fe_mul(c, c, a);
	}
	memcpy(o, c, sizeof(c));
	explicit_bzero(c, sizeof(c));
}

static void
fe_unpack(fe o, const uint8_t *n)
{
	int	i;

	for (i = 0; i < 16; i++)
		o[i] = n[2 * i] + ((int64_t)n[2 * i + 1] << 8);
	o[15] &= 0x7fff;	/* RFC 7748 5: ignore the top bit of u */
}

/* Fully reduces mod p before writing little-endian bytes. */
static void
fe_pack(uint8_t *out, const fe n)
{
	fe	m, t;
	int64_t	b;
	int	i, j;

	memcpy(t, n, sizeof(t));
	fe_carry(t);
	fe_carry(t);
	fe_carry(t);
	for (j = 0; j < 2; j++) {
		m[0] = t[0] - 0xffed;
		for (i = 1; i < 15; i++) {
			m[i] = t[i] - 0xffff - ((m[i - 1] >> 16) & 1);
			m[i - 1] &= 0xffff;
		}
		m[15] = t[15] - 0x7fff - ((m[14] >> 16) & 1);
		b = (m[15] >> 16) & 1;
		m[14] &= 0xffff;
		/* t - p did not borrow: keep it */
		fe_cswap(t, m, 1 - b);
	}
	for (i = 0; i < 16; i++) {
		out[2 * i] = t[i] & 0xff;
		out[2 * i + 1] = (t[i] >> 8) & 0xff;
	}
	explicit_bzero(m, sizeof(m));
	explicit_bzero(t, sizeof(t));
}

/* The Montgomery ladder of RFC 7748 section 5. */
void
x25519(uint8_t *out, const uint8_t *scalar, const uint8_t *point)
{
	uint8_t	k[WG_KEY_LEN];
	fe	x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb;
	int64_t	swap = 0, kt;
	int	t;

	memcpy(k, scalar, sizeof(k));
	k[0] &= 248;
	k[31] &= 127;
	k[31] |= 64;
	fe_unpack(x1, point);
	memset(x2, 0, sizeof(x2));
	x2[0] = 1;
	memset(z2, 0, sizeof(z2));
	memcpy(x3, x1, sizeof(x3));
	memset(z3, 0, sizeof(z3));
	z3[0] = 1;

	for (t = 254; t >= 0; t--) {
		kt = (k[t >> 3] >> (t & 7)) & 1;
		swap ^= kt;
		fe_cswap(x2, x3, swap);
		fe_cswap(z2, z3, swap);
		swap = kt;

		fe_add(a, x2, z2);
		fe_sq(aa, a);
		fe_sub(b, x2, z2);
		fe_sq(bb, b);
		fe_sub(e, aa, bb);
		fe_add(c, x3, z3);
		fe_sub(d, x3, z3);
		fe_mul(da, d, a);
		fe_mul(cb, c, b);
		fe_add(x3, da, cb);
		fe_sq(x3, x3);
		fe_sub(z3, da, cb);
		fe_sq(z3, z3);
		fe_mul(z3, z3, x1);
		fe_mul(x2, aa, bb);
		fe_mul(z2, fe_a24, e);
		fe_add(z2, z2, aa);
		fe_mul(z2, z2, e);
	}
	fe_cswap(x2, x3, swap);
	fe_cswap(z2, z3, swap);
	fe_inv(z2, z2);
	fe_mul(x2, x2, z2);
	fe_pack(out, x2);

	explicit_bzero(k, sizeof(k));
	explicit_bzero(x1, sizeof(x1));
	explicit_bzero(x2, sizeof(x2));
	explicit_bzero(z2, sizeof(z2));
	explicit_bzero(x3, sizeof(x3));
	explicit_bzero(z3, sizeof(z3));
	explicit_bzero(a, sizeof(a));
	explicit_bzero(aa, sizeof(aa));
	explicit_bzero(b, sizeof(b));
	explicit_bzero(bb, sizeof(bb));
	explicit_bzero(e, sizeof(e));
	explicit_bzero(c, sizeof(c));
	explicit_bzero(d, sizeof(d));
	explicit_bzero(da, sizeof(da));
	explicit_bzero(cb, sizeof(cb));
}
