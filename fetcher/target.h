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

#ifndef MOENET_FETCHER_TARGET_H
#define MOENET_FETCHER_TARGET_H

/*
 * What the bot may name as the target of a network tool.  Strings from
 * the bot are untrusted: only what target_parse() accepts ever reaches a
 * socket, a log line or a BIRD command, and then only as t->canon.
 */

#include <sys/types.h>

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The kinds: an address (172.20.0.53, fd00::1: no scope, no brackets), a
 * prefix (172.20.0.0/14, fd00::/8: host bits cleared), a DNS name (LDH
 * labels, not an all-numeric TLD), host:port (v4:port, [v6]:port too,
 * port 1..65535).
 */
#define TARGET_ADDR	0x1
#define TARGET_PREFIX	0x2
#define TARGET_HOST	0x4
#define TARGET_HOSTPORT	0x8
/* Not a kind: '_' in names too, as DNS owner names have (_dmarc, SRV). */
#define TARGET_UNDERSCORE	0x100

#define TARGET_INPUT_MAX	255
#define TARGET_HOST_LEN		254
#define TARGET_CANON_LEN	300

struct target {
	int		 kind;		/* one TARGET_* */
	int		 af;		/* AF_INET(6) for a literal, else 0 */
	struct in_addr	 a4;		/* af == AF_INET */
	struct in6_addr	 a6;		/* af == AF_INET6 */
	int		 plen;		/* prefix length, -1 if none */
	uint16_t	 port;		/* 0 if none */
	char		 host[TARGET_HOST_LEN];	/* name or address text */
	char		 canon[TARGET_CANON_LEN]; /* the one safe rendering */
};

int	target_parse(const char *, int, struct target *, char *, size_t);

#endif /* MOENET_FETCHER_TARGET_H */
