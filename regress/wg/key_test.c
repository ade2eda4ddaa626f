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

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wgctl/key.h"
#include "regress/regress.h"

static void	test_rfc7748(void);
static void	test_base64(void);
static void	test_hex(void);
static void	test_eq(void);
static void	test_wg_pubkey(void);
static int	unhex(uint8_t *, const char *);

static int
unhex(uint8_t *k, const char *s)
{
	return key_from_hex(k, s);
}

static void
test_rfc7748(void)
{
	/* RFC 7748 section 5.2 and 6.1 */
	static const struct {
		const char	*name, *k, *u, *out;
	} v[] = {
		{ "x25519_vector1",
		  "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
		  "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
		  "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552" },
		{ "x25519_vector2",
		  "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
		  "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
		  "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957" },
		{ "x25519_alice_pub",
		  "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
		  "0900000000000000000000000000000000000000000000000000000000000000",
		  "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a" },
		{ "x25519_bob_pub",
		  "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
		  "0900000000000000000000000000000000000000000000000000000000000000",
		  "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f" },
		{ "x25519_shared",
		  "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
		  "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
		  "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742" },
	};
	uint8_t	k[32], u[32], want[32], got[32], prev[32];
	char	hex[WG_KEY_HEX_LEN];
	size_t	i;
	int	n;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (unhex(k, v[i].k) == -1 || unhex(u, v[i].u) == -1 ||
		    unhex(want, v[i].out) == -1) {
			REGRESS_FAIL(v[i].name, "bad vector");
			continue;
		}
		x25519(got, k, u);
		key_to_hex(hex, got);
		if (memcmp(got, want, 32) == 0)
			REGRESS_OK(v[i].name);
		else
			REGRESS_FAIL(v[i].name, "got %s", hex);
	}

	/* section 5.2: k = u = 9, iterate 1000 times */
	memset(k, 0, sizeof(k));
	k[0] = 9;
	memcpy(u, k, sizeof(u));
	for (n = 1; n <= 1000; n++) {
		x25519(got, k, u);
		memcpy(prev, k, sizeof(prev));
		memcpy(u, prev, sizeof(u));
		memcpy(k, got, sizeof(k));
		if (n == 1) {
			unhex(want, "422c8e7a6227d7bca1350b3e2bb7279f"
			    "7897b87bb6854b783c60e80311ae3079");
			REGRESS_CHECK("x25519_iter1", memcmp(k, want, 32) == 0);
		}
	}
	unhex(want, "684cf59ba83309552800ef566f2f4d3c"
	    "1c3887c49360e3875f2eb94d99532c51");
	key_to_hex(hex, k);
	if (memcmp(k, want, 32) == 0)
		REGRESS_OK("x25519_iter1000");
	else
		REGRESS_FAIL("x25519_iter1000", "got %s", hex);
}

static void
test_base64(void)
{
	static const char *bad[] = {
		"",
		"AAAA",
		/* 43 characters */
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk",
		/* 45 characters */
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk==",
		/* no padding */
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmkA",
		/* a character outside the alphabet */
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3f!mk=",
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3f mk=",
		"yAnz5TF-lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=",
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBm==",
		/* leftover bits not zero: a second spelling of a key */
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBml=",
		/* 33 bytes' worth */
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmkA==",
		"yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fB\xe9k=",
	};
	const char	*good = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
	uint8_t		 k[32], k2[32];
	char		 b64[WG_KEY_B64_LEN], name[64];
	size_t		 i;
	int		 j, okall = 1;

	REGRESS_CHECK("base64_good", key_from_base64(k, good) == 0);
	key_to_base64(b64, k);
	REGRESS_CHECK("base64_roundtrip", strcmp(b64, good) == 0);
	REGRESS_CHECK("base64_first_bytes", k[0] == 0xc8 && k[1] == 0x09 &&
	    k[31] == 0x69);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(name, sizeof(name), "base64_bad_%zu", i);
		memset(k2, 0xaa, sizeof(k2));
		REGRESS_CHECK(name, key_from_base64(k2, bad[i]) == -1 &&
		    errno == EINVAL && k2[0] == 0xaa);
	}
	REGRESS_CHECK("base64_null", key_from_base64(k, NULL) == -1);
	/* every byte value in every position survives a round trip */
	for (j = 0; j < 256; j++) {
		memset(k, j, sizeof(k));
		k[j % 32] = 255 - j;
		key_to_base64(b64, k);
		if (key_from_base64(k2, b64) == -1 || memcmp(k, k2, 32) != 0)
			okall = 0;
	}
	REGRESS_CHECK("base64_all_bytes", okall);
}

static void
test_hex(void)
{
	uint8_t	k[32], k2[32];
	char	hex[WG_KEY_HEX_LEN];
	int	i;

	for (i = 0; i < 32; i++)
		k[i] = i * 8 + 3;
	key_to_hex(hex, k);
	REGRESS_CHECK("hex_encode", strcmp(hex,
	    "030b131b232b333b434b535b636b737b838b939ba3abb3bbc3cbd3dbe3ebf3fb")
	    == 0);
	REGRESS_CHECK("hex_roundtrip", key_from_hex(k2, hex) == 0 &&
	    memcmp(k, k2, 32) == 0);
	REGRESS_CHECK("hex_upper", key_from_hex(k2,
	    "030B131B232B333B434B535B636B737B838B939BA3ABB3BBC3CBD3DBE3EBF3FB")
	    == 0 && memcmp(k, k2, 32) == 0);
	hex[10] = 'g';
	REGRESS_CHECK("hex_bad_char", key_from_hex(k2, hex) == -1);
	hex[10] = '3';
	hex[63] = '\0';
	REGRESS_CHECK("hex_short", key_from_hex(k2, hex) == -1);
	REGRESS_CHECK("hex_long", key_from_hex(k2,
	    "030b131b232b333b434b535b636b737b838b939ba3abb3bbc3cbd3dbe3ebf3fb0")
	    == -1);
}

static void
test_eq(void)
{
	uint8_t	a[32], b[32];

	memset(a, 7, sizeof(a));
	memcpy(b, a, sizeof(b));
	REGRESS_CHECK("eq_same", key_eq(a, b) == 1);
	b[31] ^= 0x80;
	REGRESS_CHECK("eq_last_bit", key_eq(a, b) == 0);
	b[31] ^= 0x80;
	b[0] ^= 1;
	REGRESS_CHECK("eq_first_bit", key_eq(a, b) == 0);
	memset(a, 0, sizeof(a));
	REGRESS_CHECK("is_zero", key_is_zero(a) == 1 && key_is_zero(b) == 0);
}

/* Against wireguard-tools: five fresh keys from wg genkey. */
static void
test_wg_pubkey(void)
{
	FILE	*fp;
	char	 priv[128], pub[128], cmd[256], mine[WG_KEY_B64_LEN];
	uint8_t	 k[32], p[32];
	int	 i, good = 0;

	if (system("command -v wg >/dev/null 2>&1") != 0) {
		REGRESS_SKIP("wg_pubkey", "wg not installed");
		return;
	}
	for (i = 0; i < 5; i++) {
		if ((fp = popen("wg genkey", "r")) == NULL ||
		    fgets(priv, sizeof(priv), fp) == NULL) {
			REGRESS_FAIL("wg_pubkey", "wg genkey");
			return;
		}
		pclose(fp);
		priv[strcspn(priv, "\n")] = '\0';
		snprintf(cmd, sizeof(cmd), "echo %s | wg pubkey", priv);
		if ((fp = popen(cmd, "r")) == NULL ||
		    fgets(pub, sizeof(pub), fp) == NULL) {
			REGRESS_FAIL("wg_pubkey", "wg pubkey");
			return;
		}
		pclose(fp);
		pub[strcspn(pub, "\n")] = '\0';
		if (key_from_base64(k, priv) == -1) {
			REGRESS_FAIL("wg_pubkey", "cannot decode wg genkey");
			return;
		}
		key_public(p, k);
		key_to_base64(mine, p);
		if (strcmp(mine, pub) == 0)
			good++;
		else
			REGRESS_FAIL("wg_pubkey", "%s != %s", mine, pub);
	}
	if (good == 5)
		REGRESS_OK("wg_pubkey");
}

int
main(void)
{
	test_rfc7748();
	test_base64();
	test_hex();
	test_eq();
	test_wg_pubkey();
	REGRESS_EXIT();
}
