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

#ifndef MOENET_SANDBOX_H
#define MOENET_SANDBOX_H

#include <sys/types.h>

#include <stdint.h>

#include "moenet.h"

/* Layers, applied in this order by sandbox_apply(). */
#define SANDBOX_CHROOT		0x01
#define SANDBOX_USER		0x02	/* uid drop, wgctl keeps NET_ADMIN */
#define SANDBOX_PRCTL		0x04	/* no_new_privs, dumpable, pdeathsig */
#define SANDBOX_LANDLOCK	0x08
#define SANDBOX_RLIMIT		0x10
#define SANDBOX_SECCOMP		0x20
#define SANDBOX_ALL		0x3f

#define SANDBOX_PORTS_MAX	8

/*
 * Without the _moenet user (a router set up by the control plane's
 * script has none) the children run under the first uid/gid of
 * systemd's dynamic range that neither /etc/passwd nor /etc/group
 * names: unprivileged, and shared with nothing.
 */
#define SANDBOX_DYN_ID_MIN	61184
#define SANDBOX_DYN_ID_MAX	65519

struct sandbox_ids {
	uid_t		 uid;
	gid_t		 gid;
	int		 named;		/* 1: the user MOENET_USER exists */
};

struct sandbox_opts {
	const char	*chroot;	/* empty, root-owned directory */
	const char	*user;		/* by name, or NULL: uid and gid */
	uid_t		 uid;
	gid_t		 gid;
	int		 layers;	/* SANDBOX_* */
	int		 seccomp_log;	/* SCMP_ACT_LOG instead of kill */
	uint16_t	 ports[SANDBOX_PORTS_MAX];	/* TCP connect */
	int		 nports;
	int		 connect_any;	/* "any" in the list: TCP anywhere */
};

void	sandbox_apply(enum moenet_proc, const struct sandbox_opts *);
int	sandbox_landlock_abi(void);
int	sandbox_prepare_root(const char *);
int	sandbox_prepare_fetcher_root(const char *);
int	sandbox_parse_ports(const char *, struct sandbox_opts *);
int	sandbox_ids(struct sandbox_ids *);

#endif /* MOENET_SANDBOX_H */
