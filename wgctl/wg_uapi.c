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
#include <sys/un.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "key.h"
#include "log.h"
#include "wg.h"
#include "wg_uapi.h"

#define LINE_MAX_LEN	256

/* A growing buffer that wipes what it leaves behind: it holds keys. */
struct sbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
	int	 err;
};

static void	sb_add(struct sbuf *, const char *, size_t);
static void	sb_printf(struct sbuf *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static void	sb_key(struct sbuf *, const char *, const uint8_t *);
static int	parse_u64(const char *, unsigned long long,
		    unsigned long long *);
static int	decode_line(struct wg_device *, struct wg_peer **, char *,
		    char *);
static void	pub_cached(uint8_t *, const uint8_t *);
static long long	ms_left(const struct timespec *);
static int	xfer(int, const char *, size_t, char **, size_t *, int);

static void
sb_add(struct sbuf *sb, const char *s, size_t n)
{
	char	*np;
	size_t	 ncap;

	if (sb->err)
		return;
	if (sb->len + n + 1 > sb->cap) {
		ncap = sb->cap ? sb->cap : 256;
		while (ncap < sb->len + n + 1)
			ncap *= 2;
		if ((np = malloc(ncap)) == NULL) {
			sb->err = 1;
			return;
		}
		if (sb->p != NULL) {
			memcpy(np, sb->p, sb->len);
			freezero(sb->p, sb->cap);
		}
		sb->p = np;
		sb->cap = ncap;
	}
	memcpy(sb->p + sb->len, s, n);
	sb->len += n;
	sb->p[sb->len] = '\0';
}

static void
sb_printf(struct sbuf *sb, const char *fmt, ...)
{
	char	line[LINE_MAX_LEN];
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		sb->err = 1;
	else
		sb_add(sb, line, n);
	explicit_bzero(line, sizeof(line));
}

static void
sb_key(struct sbuf *sb, const char *name, const uint8_t *key)
{
	char	hex[WG_KEY_HEX_LEN];

	key_to_hex(hex, key);
	sb_printf(sb, "%s=%s\n", name, hex);
	explicit_bzero(hex, sizeof(hex));
}

/*
 * The reconcile never asks for replace_peers, but the model can say it,
 * and then it is sent.  The result is NUL-terminated; release it with
 * wg_uapi_free.
 */
int
wg_uapi_set_encode(const struct wg_device *dev, char **out, size_t *outlen)
{
	struct sbuf		 sb;
	const struct wg_peer	*p;
	const struct wg_allowedip *a;
	char			 s[INET6_ADDRSTRLEN + IFNAMSIZ + 16];
	char			*res;

	memset(&sb, 0, sizeof(sb));
	sb_printf(&sb, "set=1\n");
	if (dev->flags & WGDEV_HAS_PRIVATE_KEY)
		sb_key(&sb, "private_key", dev->private_key);
	if (dev->flags & WGDEV_HAS_LISTEN_PORT)
		sb_printf(&sb, "listen_port=%u\n", dev->listen_port);
	if (dev->flags & WGDEV_HAS_FWMARK)
		sb_printf(&sb, "fwmark=%u\n", dev->fwmark);
	if (dev->flags & WGDEV_REPLACE_PEERS)
		sb_printf(&sb, "replace_peers=true\n");
	TAILQ_FOREACH(p, &dev->peers, entry) {
		sb_key(&sb, "public_key", p->public_key);
		if (p->flags & WGPEER_REMOVE) {
			sb_printf(&sb, "remove=true\n");
			continue;
		}
		if (p->flags & WGPEER_UPDATE_ONLY)
			sb_printf(&sb, "update_only=true\n");
		sb_printf(&sb, "protocol_version=1\n");
		if (p->flags & WGPEER_HAS_PRESHARED_KEY)
			sb_key(&sb, "preshared_key", p->preshared_key);
		if (p->flags & WGPEER_HAS_ENDPOINT) {
			if (wg_endpoint_fmt(&p->endpoint, s, sizeof(s)) == -1)
				sb.err = 1;
			else
				sb_printf(&sb, "endpoint=%s\n", s);
		}
		if (p->flags & WGPEER_HAS_KEEPALIVE)
			sb_printf(&sb, "persistent_keepalive_interval=%u\n",
			    p->keepalive);
		if (p->flags & WGPEER_REPLACE_ALLOWEDIPS)
			sb_printf(&sb, "replace_allowed_ips=true\n");
		TAILQ_FOREACH(a, &p->allowedips, entry) {
			if (wg_allowedip_fmt(a, s, sizeof(s)) == -1)
				sb.err = 1;
			else
				sb_printf(&sb, "allowed_ip=%s\n", s);
		}
	}
	sb_add(&sb, "\n", 1);
	if (sb.err) {
		if (sb.p != NULL)
			freezero(sb.p, sb.cap);
		errno = ENOMEM;
		return -1;
	}
	/* shrink to fit, so that wg_uapi_free knows the size to wipe */
	if ((res = malloc(sb.len + 1)) == NULL) {
		freezero(sb.p, sb.cap);
		return -1;
	}
	memcpy(res, sb.p, sb.len + 1);
	freezero(sb.p, sb.cap);
	*out = res;
	*outlen = sb.len;
	return 0;
}

void
wg_uapi_free(char *p, size_t len)
{
	if (p != NULL)
		freezero(p, len + 1);
}

static int
parse_u64(const char *s, unsigned long long max, unsigned long long *v)
{
	const char	*errstr;

	if (*s == '\0' || strspn(s, "0123456789") != strlen(s))
		return -1;
	*v = strtonum(s, 0, max > LLONG_MAX ? LLONG_MAX : max, &errstr);
	return errstr == NULL ? 0 : -1;
}

/*
 * A device read gives the private key, and deriving the public key is a
 * scalar multiplication: for every tunnel on every sync it was a quarter
 * of a sync's time.  A router uses a handful of private keys (the node's
 * and the mesh's): remember the last few.  The copies are secrets like
 * the keys themselves: compared in constant time, wiped when replaced.
 */
#define PUB_CACHE	4

/* libbsd 0.11 (Debian 12) has no timingsafe_bcmp: its equivalent. */
static int
key_differ(const uint8_t *a, const uint8_t *b)
{
	volatile uint8_t	d = 0;
	size_t			i;

	for (i = 0; i < WG_KEY_LEN; i++)
		d |= a[i] ^ b[i];
	return d != 0;
}

static void
pub_cached(uint8_t *pub, const uint8_t *priv)
{
	static struct {
		uint8_t	priv[WG_KEY_LEN];
		uint8_t	pub[WG_KEY_LEN];
		int	used;
	}		 c[PUB_CACHE];
	static int	 next;
	int		 i;

	for (i = 0; i < PUB_CACHE; i++)
		if (c[i].used && !key_differ(c[i].priv, priv)) {
			memcpy(pub, c[i].pub, WG_KEY_LEN);
			return;
		}
	key_public(pub, priv);
	i = next;
	next = (next + 1) % PUB_CACHE;
	explicit_bzero(c[i].priv, sizeof(c[i].priv));
	memcpy(c[i].priv, priv, WG_KEY_LEN);
	memcpy(c[i].pub, pub, WG_KEY_LEN);
	c[i].used = 1;
}

static int
decode_line(struct wg_device *dev, struct wg_peer **pp, char *key,
    char *val)
{
	struct wg_peer		*p = *pp;
	unsigned long long	 v;
	uint8_t			 k[WG_KEY_LEN];

	if (strcmp(key, "public_key") == 0) {
		if (key_from_hex(k, val) == -1)
			return -1;
		if ((*pp = wg_peer_add(dev, k)) == NULL)
			return -1;
		return 0;
	}
	if (p == NULL) {
		if (strcmp(key, "private_key") == 0) {
			if (key_from_hex(dev->private_key, val) == -1)
				return -1;
			if (!key_is_zero(dev->private_key)) {
				dev->flags |= WGDEV_HAS_PRIVATE_KEY;
				pub_cached(dev->public_key, dev->private_key);
				dev->flags |= WGDEV_HAS_PUBLIC_KEY;
			}
		} else if (strcmp(key, "listen_port") == 0) {
			if (parse_u64(val, UINT16_MAX, &v) == -1)
				return -1;
			dev->listen_port = v;
			dev->flags |= WGDEV_HAS_LISTEN_PORT;
		} else if (strcmp(key, "fwmark") == 0) {
			if (parse_u64(val, UINT32_MAX, &v) == -1)
				return -1;
			dev->fwmark = v;
			dev->flags |= WGDEV_HAS_FWMARK;
		}
		/* unknown device keys are newer features: ignore them */
		return 0;
	}
	if (strcmp(key, "preshared_key") == 0) {
		if (key_from_hex(p->preshared_key, val) == -1)
			return -1;
		if (!key_is_zero(p->preshared_key))
			p->flags |= WGPEER_HAS_PRESHARED_KEY;
	} else if (strcmp(key, "endpoint") == 0) {
		if (wg_endpoint_parse(&p->endpoint, val) == -1)
			return -1;
		p->flags |= WGPEER_HAS_ENDPOINT;
	} else if (strcmp(key, "persistent_keepalive_interval") == 0) {
		if (parse_u64(val, UINT16_MAX, &v) == -1)
			return -1;
		p->keepalive = v;
		p->flags |= WGPEER_HAS_KEEPALIVE;
	} else if (strcmp(key, "allowed_ip") == 0) {
		if (wg_allowedip_parse(p, val) == -1)
			return -1;
	} else if (strcmp(key, "last_handshake_time_sec") == 0) {
		if (parse_u64(val, LLONG_MAX, &v) == -1)
			return -1;
		p->stats.last_handshake.tv_sec = v;
	} else if (strcmp(key, "last_handshake_time_nsec") == 0) {
		if (parse_u64(val, 999999999, &v) == -1)
			return -1;
		p->stats.last_handshake.tv_nsec = v;
	} else if (strcmp(key, "rx_bytes") == 0) {
		if (parse_u64(val, LLONG_MAX, &v) == -1)
			return -1;
		p->stats.rx_bytes = v;
	} else if (strcmp(key, "tx_bytes") == 0) {
		if (parse_u64(val, LLONG_MAX, &v) == -1)
			return -1;
		p->stats.tx_bytes = v;
	} else if (strcmp(key, "protocol_version") == 0) {
		if (strcmp(val, "1") != 0)
			return -1;
	}
	return 0;
}

/*
 * Decodes the reply to "get=1" into dev (fresh from wg_device_init).
 * Returns 0; or -1 with errno EBADMSG when malformed, or the daemon's
 * own errno when it reported an error.
 */
int
wg_uapi_get_decode(const char *text, size_t len, struct wg_device *dev)
{
	struct wg_peer	*p = NULL;
	char		 line[LINE_MAX_LEN], *eq;
	size_t		 i, start, n;
	int		 err;

	for (start = 0; start < len; start = i + 1) {
		for (i = start; i < len && text[i] != '\n'; i++)
			;
		if (i == len)
			break;		/* no newline: truncated */
		n = i - start;
		if (n == 0 || n >= sizeof(line))
			break;
		memcpy(line, text + start, n);
		line[n] = '\0';
		if ((eq = strchr(line, '=')) == NULL || eq == line)
			break;
		*eq++ = '\0';
		if (strspn(line, "abcdefghijklmnopqrstuvwxyz_") !=
		    strlen(line))
			break;
		for (n = 0; eq[n] != '\0'; n++)
			if (eq[n] <= ' ' || eq[n] > '~')
				goto bad;
		if (strcmp(line, "errno") == 0) {
			explicit_bzero(line, sizeof(line));
			if (wg_uapi_errno_parse(text + start, len - start,
			    &err) == -1)
				goto bad;
			if (err != 0) {
				errno = err < 0 ? -err : err;
				return -1;
			}
			return 0;
		}
		if (decode_line(dev, &p, line, eq) == -1) {
			explicit_bzero(line, sizeof(line));
			if (errno == E2BIG || errno == ENOMEM)
				return -1;
			goto bad;
		}
	}
 bad:
	explicit_bzero(line, sizeof(line));
	errno = EBADMSG;
	return -1;
}

/* "errno=N\n\n" and nothing after it. */
int
wg_uapi_errno_parse(const char *text, size_t len, int *err)
{
	char		 buf[32];
	const char	*errstr;
	size_t		 n;

	if (len < 9 || len >= sizeof(buf) || strncmp(text, "errno=", 6) != 0 ||
	    text[len - 1] != '\n' || text[len - 2] != '\n')
		goto bad;
	n = len - 8;
	memcpy(buf, text + 6, n);
	buf[n] = '\0';
	if (strspn(buf + (buf[0] == '-'), "0123456789") != strlen(buf) -
	    (buf[0] == '-'))
		goto bad;
	*err = strtonum(buf, -4095, 4095, &errstr);
	if (errstr != NULL)
		goto bad;
	return 0;
 bad:
	errno = EBADMSG;
	return -1;
}

int
wg_uapi_connect(const char *dir, const char *ifname)
{
	struct sockaddr_un	sun;
	int			fd, n;

	if (strnlen(ifname, IFNAMSIZ) >= IFNAMSIZ || *ifname == '\0' ||
	    strchr(ifname, '/') != NULL) {
		errno = EINVAL;
		return -1;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	n = snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/%s.sock",
	    dir ? dir : WG_UAPI_DIR, ifname);
	if (n < 0 || (size_t)n >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		n = errno;
		close(fd);
		errno = n;
		return -1;
	}
	return fd;
}

static long long
ms_left(const struct timespec *deadline)
{
	struct timespec	now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)(deadline->tv_sec - now.tv_sec) * 1000 +
	    (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/*
 * Writes the request and reads the reply up to its empty line, all
 * within timeout ms.  The reply is NUL-terminated; free with
 * wg_uapi_free.
 */
static int
xfer(int fd, const char *req, size_t reqlen, char **reply, size_t *rlen,
    int timeout)
{
	struct pollfd	 pfd;
	struct timespec	 deadline;
	struct sbuf	 sb;
	char		 buf[4096];
	ssize_t		 n;
	size_t		 off = 0, scan = 0;
	long long	 left;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout / 1000;
	deadline.tv_nsec += (long)(timeout % 1000) * 1000000;
	if (deadline.tv_nsec >= 1000000000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000;
	}
	memset(&sb, 0, sizeof(sb));
	pfd.fd = fd;
	while (off < reqlen) {
		pfd.events = POLLOUT;
		if ((left = ms_left(&deadline)) <= 0)
			goto timeout;
		if (poll(&pfd, 1, left) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (pfd.revents == 0)
			continue;
		if ((n = send(fd, req + off, reqlen - off, MSG_NOSIGNAL |
		    MSG_DONTWAIT)) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -1;
		}
		off += n;
	}
	for (;;) {
		pfd.events = POLLIN;
		if ((left = ms_left(&deadline)) <= 0)
			goto timeout;
		if (poll(&pfd, 1, left) == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (pfd.revents == 0)
			continue;
		if ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0) {
			errno = ECONNRESET;
			goto fail;
		}
		sb_add(&sb, buf, n);
		if (sb.err)
			goto fail;
		if (sb.len > WG_UAPI_MAX_REPLY) {
			errno = EMSGSIZE;
			goto fail;
		}
		/* the reply ends at its first empty line */
		for (; scan + 1 < sb.len; scan++)
			if (sb.p[scan] == '\n' && sb.p[scan + 1] == '\n')
				break;
		if (scan + 1 < sb.len)
			break;
	}
	explicit_bzero(buf, sizeof(buf));
	if ((*reply = malloc(sb.len + 1)) == NULL)
		goto fail;
	memcpy(*reply, sb.p, sb.len + 1);
	*rlen = sb.len;
	freezero(sb.p, sb.cap);
	return 0;
 timeout:
	errno = ETIMEDOUT;
 fail:
	n = errno;
	explicit_bzero(buf, sizeof(buf));
	if (sb.p != NULL)
		freezero(sb.p, sb.cap);
	errno = n;
	return -1;
}

/* 0 when the daemon answered errno=0; else -1 with errno set. */
int
wg_uapi_set(int fd, const struct wg_device *dev, int timeout)
{
	char	*req, *reply;
	size_t	 reqlen, rlen;
	int	 rc, err;

	if (wg_uapi_set_encode(dev, &req, &reqlen) == -1)
		return -1;
	rc = xfer(fd, req, reqlen, &reply, &rlen, timeout);
	wg_uapi_free(req, reqlen);
	if (rc == -1)
		return -1;
	rc = wg_uapi_errno_parse(reply, rlen, &err);
	wg_uapi_free(reply, rlen);
	if (rc == -1)
		return -1;
	if (err != 0) {
		errno = err < 0 ? -err : err;
		return -1;
	}
	return 0;
}

int
wg_uapi_get(int fd, struct wg_device *dev, int timeout)
{
	char	*reply;
	size_t	 rlen;
	int	 rc;

	if (xfer(fd, "get=1\n\n", 7, &reply, &rlen, timeout) == -1)
		return -1;
	rc = wg_uapi_get_decode(reply, rlen, dev);
	wg_uapi_free(reply, rlen);
	return rc;
}
