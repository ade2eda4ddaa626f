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

#ifndef MOENET_CPVALID_H
#define MOENET_CPVALID_H

/*
 * Validators for strings that come from the control plane.  Each takes
 * a NUL-terminated string and returns 0, or -1 with *why pointing to a
 * static reason suitable for "<field>: <why>".
 */

#include <sys/types.h>

#include <netinet/in.h>
#include <stdint.h>

#define CPV_B64KEY_LEN	44	/* base64 of 32 bytes, one '=' */

int	cpv_int(const char *, long long, long long, long long *,
	    const char **);
int	cpv_asn(long long, const char **);
int	cpv_text(const char *, size_t, const char **);
int	cpv_uuid(const char *, const char **);
int	cpv_ifname(const char *, const char **);
int	cpv_nodename(const char *, const char **);
int	cpv_word(const char *, size_t, const char **);
int	cpv_symbol(const char *, size_t, const char **);
int	cpv_hostname(const char *, const char **);
int	cpv_path(const char *, size_t, const char **);
int	cpv_inet4(const char *, int, struct in_addr *, uint8_t *,
	    const char **);
int	cpv_inet6(const char *, int, struct in6_addr *, uint8_t *,
	    const char **);
int	cpv_linklocal(const struct in6_addr *);
int	cpv_endpoint(const char *, char *, size_t, uint16_t *,
	    const char **);
int	cpv_key(const char *, uint8_t *, const char **);
void	cpv_key_encode(const uint8_t *, char *);

#endif /* MOENET_CPVALID_H */
