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

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wgctl/key.h"
#include "wgctl/wg.h"
#include "wgctl/wg_uapi.h"
#include "regress/regress.h"
#include "regress/wg/wgtest.h"

static char	*slurp(const char *, size_t *);
static void	 test_encode(void);
static void	 test_decode(void);
static void	 test_decode_bad(void);
static void	 test_errno(void);
static void	 test_io(void);
static void	 put(int, const char *);
static void	 drain(int, char *, size_t);

static char	 dir[1024];

static char *
slurp(const char *name, size_t *len)
{
	char	 path[1200], *buf;
	FILE	*fp;
	long	 n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "r")) == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc(n + 1);
	if (fread(buf, 1, n, fp) != (size_t)n) {
		fclose(fp);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	fclose(fp);
	*len = n;
	return buf;
}

static void
test_encode(void)
{
	struct wg_device	 dev;
	struct wg_peer		*p;
	char			*text;
	size_t			 len;

	wg_device_init(&dev, "wg0");
	wgtest_key(dev.private_key, 1);
	dev.listen_port = 51820;
	dev.fwmark = 7;
	dev.flags = WGDEV_HAS_PRIVATE_KEY | WGDEV_HAS_LISTEN_PORT |
	    WGDEV_HAS_FWMARK;
	p = wgtest_peer(&dev, 2, "::/0,0.0.0.0/0,fe80::/64",
	    "[fd00:ab::2]:51820");
	wgtest_key(p->preshared_key, 3);
	p->keepalive = 25;
	p->flags |= WGPEER_HAS_PRESHARED_KEY | WGPEER_HAS_KEEPALIVE;
	/* host bits are cleared, as WireGuard does */
	p = wgtest_peer(&dev, 4, "172.20.1.2/14", "192.0.2.7:20001");
	p->flags |= WGPEER_REPLACE_ALLOWEDIPS | WGPEER_UPDATE_ONLY;
	p = wgtest_peer(&dev, 5, "10.0.0.0/8", NULL);
	p->flags |= WGPEER_REMOVE;
	p = wgtest_peer(&dev, 6, NULL, "[fe80::1%7]:1");

	REGRESS_CHECK("encode_ok", wg_uapi_set_encode(&dev, &text, &len) == 0);
	REGRESS_CHECK("encode_no_replace_peers",
	    strstr(text, "replace_peers") == NULL);
	REGRESS_CHECK("encode_golden", wgtest_golden("uapi_set", text,
	    len) == 0);
	wg_uapi_free(text, len);

	dev.flags |= WGDEV_REPLACE_PEERS;
	REGRESS_CHECK("encode_replace_peers_asked",
	    wg_uapi_set_encode(&dev, &text, &len) == 0 &&
	    strstr(text, "\nreplace_peers=true\n") != NULL);
	wg_uapi_free(text, len);
	wg_device_clear(&dev);

	/* nothing asked: an empty operation */
	wg_device_init(&dev, "wg0");
	REGRESS_CHECK("encode_empty", wg_uapi_set_encode(&dev, &text,
	    &len) == 0 && strcmp(text, "set=1\n\n") == 0);
	wg_uapi_free(text, len);
}

static void
test_decode(void)
{
	struct wg_device	 dev;
	struct wg_peer		*p;
	uint8_t			 pub[32];
	char			*in, *out;
	size_t			 inlen, outlen;
	FILE			*fp;

	if ((in = slurp("uapi_get.txt", &inlen)) == NULL) {
		REGRESS_FAIL("decode", "no fixture");
		return;
	}
	wg_device_init(&dev, NULL);
	REGRESS_CHECK("decode_ok", wg_uapi_get_decode(in, inlen, &dev) == 0);
	fp = open_memstream(&out, &outlen);
	wgtest_dev_print(fp, &dev);
	fclose(fp);
	REGRESS_CHECK("decode_golden", wgtest_golden("uapi_get", out,
	    outlen) == 0);
	free(out);
	/* the public key is derived from the private one */
	key_public(pub, dev.private_key);
	REGRESS_CHECK("decode_pubkey", (dev.flags & WGDEV_HAS_PUBLIC_KEY) &&
	    key_eq(pub, dev.public_key));
	p = TAILQ_FIRST(&dev.peers);
	REGRESS_CHECK("decode_zero_psk_absent", p != NULL &&
	    !(p->flags & WGPEER_HAS_PRESHARED_KEY) &&
	    p->stats.tx_bytes == 1184 && p->nallowedips == 2);
	p = TAILQ_NEXT(p, entry);
	REGRESS_CHECK("decode_psk_present", p != NULL &&
	    (p->flags & WGPEER_HAS_PRESHARED_KEY) && p->keepalive == 0);
	wg_device_clear(&dev);
	free(in);
}

/*
 * The public key comes from a cache of the last few private keys: more
 * keys than it holds, each read twice in turn, each gives its own.
 */
static void
test_decode_pubcache(void)
{
	struct wg_device	 dev;
	uint8_t			 priv[32], pub[32];
	char			 text[128];
	int			 round, i, j, bad = 0;

	for (round = 0; round < 2; round++)
		for (i = 1; i <= 7; i++) {
			memset(priv, i * 17, sizeof(priv));
			priv[0] &= 248;
			priv[31] = (priv[31] & 127) | 64;
			j = snprintf(text, sizeof(text), "private_key=");
			for (; j - 12 < 64; j += 2)
				snprintf(text + j, 3, "%02x",
				    priv[(j - 12) / 2]);
			snprintf(text + j, sizeof(text) - j,
			    "\nerrno=0\n\n");
			wg_device_init(&dev, NULL);
			key_public(pub, priv);
			if (wg_uapi_get_decode(text, strlen(text), &dev) ==
			    -1 || !(dev.flags & WGDEV_HAS_PUBLIC_KEY) ||
			    !key_eq(pub, dev.public_key))
				bad++;
			wg_device_clear(&dev);
		}
	REGRESS_CHECK("decode_pubkey_cached", bad == 0);
}

static void
test_decode_bad(void)
{
	static const struct {
		const char	*name, *text;
		int		 err;
	} v[] = {
		{ "decode_truncated", "listen_port=1\n", EBADMSG },
		{ "decode_no_errno", "listen_port=1\n\n", EBADMSG },
		{ "decode_bad_port", "listen_port=65536\nerrno=0\n\n",
		    EBADMSG },
		{ "decode_bad_key",
		  "public_key=20212223242526272829\nerrno=0\n\n", EBADMSG },
		{ "decode_bad_endpoint", "public_key="
		  "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
		  "\nendpoint=fd00::1:51820\nerrno=0\n\n", EBADMSG },
		{ "decode_bad_aip", "public_key="
		  "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
		  "\nallowed_ip=10.0.0.0/33\nerrno=0\n\n", EBADMSG },
		{ "decode_bad_version", "public_key="
		  "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
		  "\nprotocol_version=2\nerrno=0\n\n", EBADMSG },
		{ "decode_control_char", "listen_port=1\x01\nerrno=0\n\n",
		    EBADMSG },
		{ "decode_no_key", "=1\nerrno=0\n\n", EBADMSG },
		{ "decode_daemon_error", "errno=-22\n\n", EINVAL },
	};
	struct wg_device	 dev;
	const char		*s;
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		wg_device_init(&dev, NULL);
		rc = wg_uapi_get_decode(v[i].text, strlen(v[i].text), &dev);
		if (rc == -1 && errno == v[i].err)
			REGRESS_OK(v[i].name);
		else
			REGRESS_FAIL(v[i].name, "rc %d errno %d", rc, errno);
		wg_device_clear(&dev);
	}
	/* unknown keys are newer features, not errors */
	wg_device_init(&dev, NULL);
	s = "listen_port=5\nfuture_thing=yes\nerrno=0\n\n";
	REGRESS_CHECK("decode_unknown_key", wg_uapi_get_decode(s, strlen(s),
	    &dev) == 0 && dev.listen_port == 5);
	wg_device_clear(&dev);
}

static void
test_errno(void)
{
	int	err = 99;

	REGRESS_CHECK("errno_zero", wg_uapi_errno_parse("errno=0\n\n", 9,
	    &err) == 0 && err == 0);
	REGRESS_CHECK("errno_neg", wg_uapi_errno_parse("errno=-98\n\n", 11,
	    &err) == 0 && err == -98);
	REGRESS_CHECK("errno_no_blank", wg_uapi_errno_parse("errno=0\n", 8,
	    &err) == -1);
	REGRESS_CHECK("errno_junk", wg_uapi_errno_parse("errno=1x\n\n", 10,
	    &err) == -1);
	REGRESS_CHECK("errno_trailing", wg_uapi_errno_parse("errno=0\n\nx", 10,
	    &err) == -1);
	REGRESS_CHECK("errno_other", wg_uapi_errno_parse("error=0\n\n", 9,
	    &err) == -1);
	REGRESS_CHECK("errno_huge", wg_uapi_errno_parse(
	    "errno=99999999999\n\n", 19, &err) == -1);
}

static void
put(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		REGRESS_FAIL("io_write", "short write");
}

static void
drain(int fd, char *buf, size_t len)
{
	ssize_t	n;

	n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = '\0';
}

/* The I/O over a real socket: the far end's reply is written ahead. */
static void
test_io(void)
{
	struct wg_device	 dev;
	const char		*get = "listen_port=9\nerrno=0\n\n";
	char			 req[64];
	int			 sv[2], rc;

	wg_device_init(&dev, "wg0");
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	put(sv[1], "errno=0\n\n");
	rc = wg_uapi_set(sv[0], &dev, 1000);
	drain(sv[1], req, sizeof(req));
	REGRESS_CHECK("io_set", rc == 0 && strcmp(req, "set=1\n\n") == 0);

	put(sv[1], "errno=-98\n\n");
	rc = wg_uapi_set(sv[0], &dev, 1000);
	REGRESS_CHECK("io_set_error", rc == -1 && errno == EADDRINUSE);
	drain(sv[1], req, sizeof(req));

	put(sv[1], get);
	rc = wg_uapi_get(sv[0], &dev, 1000);
	drain(sv[1], req, sizeof(req));
	REGRESS_CHECK("io_get", rc == 0 && dev.listen_port == 9 &&
	    strcmp(req, "get=1\n\n") == 0);

	/* a daemon that never answers costs the timeout, no more */
	rc = wg_uapi_get(sv[0], &dev, 200);
	REGRESS_CHECK("io_timeout", rc == -1 && errno == ETIMEDOUT);
	drain(sv[1], req, sizeof(req));

	put(sv[1], "errno=");
	shutdown(sv[1], SHUT_WR);
	rc = wg_uapi_get(sv[0], &dev, 1000);
	REGRESS_CHECK("io_eof", rc == -1 && errno == ECONNRESET);
	close(sv[0]);
	close(sv[1]);
	wg_device_clear(&dev);

	REGRESS_CHECK("io_connect_bad_name", wg_uapi_connect("/nonexistent",
	    "../x") == -1 && errno == EINVAL);
	REGRESS_CHECK("io_connect_absent", wg_uapi_connect("/nonexistent",
	    "wg0") == -1 && errno == ENOENT);
}

int
main(int argc, char *argv[])
{
	char	tmp[1024], *s;

	wgtest_init(argv[0]);
	strlcpy(tmp, argv[0], sizeof(tmp));
	if ((s = strrchr(tmp, '/')) != NULL)
		*s = '\0';
	else
		strlcpy(tmp, ".", sizeof(tmp));
	strlcpy(dir, tmp, sizeof(dir));
	test_encode();
	test_decode();
	test_decode_pubcache();
	test_decode_bad();
	test_errno();
	test_io();
	REGRESS_EXIT();
}
