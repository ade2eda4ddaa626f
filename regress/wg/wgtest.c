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
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wgctl/key.h"
#include "wgctl/wg.h"
#include "regress/wg/wgtest.h"

static char	testdir[1024];

/* Fixtures live next to the test binary. */
void
wgtest_init(const char *argv0)
{
	char	tmp[1024];

	strlcpy(tmp, argv0, sizeof(tmp));
	strlcpy(testdir, dirname(tmp), sizeof(testdir));
}

void
wgtest_hexdump(FILE *fp, const void *buf, size_t len)
{
	const uint8_t	*p = buf;
	size_t		 i;

	for (i = 0; i < len; i++) {
		if (i % 16 == 0)
			fprintf(fp, "%04zx:", i);
		fprintf(fp, " %02x", p[i]);
		if (i % 16 == 15 || i + 1 == len)
			fprintf(fp, "\n");
	}
}

void
wgtest_dev_print(FILE *fp, const struct wg_device *dev)
{
	const struct wg_peer		*p;
	const struct wg_allowedip	*a;
	char				 s[128], hex[WG_KEY_HEX_LEN];

	fprintf(fp, "device %s ifindex %u flags 0x%x\n", dev->ifname,
	    dev->ifindex, dev->flags);
	if (dev->flags & WGDEV_HAS_PRIVATE_KEY) {
		key_to_hex(hex, dev->private_key);
		fprintf(fp, "  private_key %s\n", hex);
	}
	if (dev->flags & WGDEV_HAS_PUBLIC_KEY) {
		key_to_hex(hex, dev->public_key);
		fprintf(fp, "  public_key %s\n", hex);
	}
	if (dev->flags & WGDEV_HAS_LISTEN_PORT)
		fprintf(fp, "  listen_port %u\n", dev->listen_port);
	if (dev->flags & WGDEV_HAS_FWMARK)
		fprintf(fp, "  fwmark %u\n", dev->fwmark);
	TAILQ_FOREACH(p, &dev->peers, entry) {
		key_to_hex(hex, p->public_key);
		fprintf(fp, "  peer %s flags 0x%x\n", hex, p->flags);
		if (p->flags & WGPEER_HAS_PRESHARED_KEY) {
			key_to_hex(hex, p->preshared_key);
			fprintf(fp, "    preshared_key %s\n", hex);
		}
		if ((p->flags & WGPEER_HAS_ENDPOINT) &&
		    wg_endpoint_fmt(&p->endpoint, s, sizeof(s)) == 0)
			fprintf(fp, "    endpoint %s\n", s);
		if (p->flags & WGPEER_HAS_KEEPALIVE)
			fprintf(fp, "    keepalive %u\n", p->keepalive);
		if (p->stats.last_handshake.tv_sec != 0 ||
		    p->stats.rx_bytes != 0 || p->stats.tx_bytes != 0)
			fprintf(fp, "    handshake %lld.%09ld rx %llu tx %llu\n",
			    (long long)p->stats.last_handshake.tv_sec,
			    p->stats.last_handshake.tv_nsec,
			    (unsigned long long)p->stats.rx_bytes,
			    (unsigned long long)p->stats.tx_bytes);
		TAILQ_FOREACH(a, &p->allowedips, entry)
			if (wg_allowedip_fmt(a, s, sizeof(s)) == 0)
				fprintf(fp, "    allowed_ip %s\n", s);
	}
}

/*
 * Compares text with <testdir>/<name>.ok.  With WGTEST_UPDATE set in
 * the environment the file is written instead (then read it before
 * committing it).  A mismatch leaves <name>.out beside it.
 */
int
wgtest_golden(const char *name, const char *text, size_t len)
{
	char	 path[1200], *buf;
	FILE	*fp;
	long	 n;
	int	 rc = -1;

	snprintf(path, sizeof(path), "%s/%s.ok", testdir, name);
	if (getenv("WGTEST_UPDATE") != NULL) {
		if ((fp = fopen(path, "w")) == NULL)
			return -1;
		fwrite(text, 1, len, fp);
		fclose(fp);
		return 0;
	}
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	if (n >= 0 && (buf = malloc(n + 1)) != NULL) {
		if (fread(buf, 1, n, fp) == (size_t)n && (size_t)n == len &&
		    memcmp(buf, text, len) == 0)
			rc = 0;
		free(buf);
	}
	fclose(fp);
	if (rc == -1) {
		snprintf(path, sizeof(path), "%s/%s.out", testdir, name);
		if ((fp = fopen(path, "w")) != NULL) {
			fwrite(text, 1, len, fp);
			fclose(fp);
		}
	} else {
		snprintf(path, sizeof(path), "%s/%s.out", testdir, name);
		unlink(path);
	}
	return rc;
}

/* A fixed, recognisable test key: every byte derived from seed. */
void
wgtest_key(uint8_t *k, int seed)
{
	int	i;

	for (i = 0; i < WG_KEY_LEN; i++)
		k[i] = (uint8_t)(seed * 16 + i);
}

/* A peer with key seed, allowed IPs "a,b,c" and endpoint (or NULL). */
struct wg_peer *
wgtest_peer(struct wg_device *dev, int seed, const char *aips,
    const char *endpoint)
{
	struct wg_peer	*p;
	uint8_t		 k[WG_KEY_LEN];
	char		 buf[4096], *s, *tok;

	wgtest_key(k, seed);
	if ((p = wg_peer_add(dev, k)) == NULL)
		return NULL;
	if (aips != NULL) {
		strlcpy(buf, aips, sizeof(buf));
		for (s = buf; (tok = strsep(&s, ",")) != NULL;)
			if (*tok != '\0' && wg_allowedip_parse(p, tok) == -1)
				return NULL;
	}
	if (endpoint != NULL) {
		if (wg_endpoint_parse(&p->endpoint, endpoint) == -1)
			return NULL;
		p->flags |= WGPEER_HAS_ENDPOINT;
	}
	return p;
}
