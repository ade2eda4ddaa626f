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


#ifndef MOENET_STORE_H
#define MOENET_STORE_H

/*
 * Every file the agent keeps in state.dir, in one table: its name,
 * the size a reader takes at most, what it holds.  Files are written
 * only through statefile_write() (a temporary file, fsync, rename,
 * fsync of the directory) and read through statefile_read() with the
 * table's limit.
 *
 * What the tasks remember lives in one of them, state.json: a version
 * and one section per task.  The store knows no task: each registers
 * its section (a name, a writer of its value, a reader), and asks for
 * a save after a change; the file is replaced only when its bytes
 * would differ.  The files of the releases before the store are read
 * once, by the section that replaces them, and removed once state.json
 * holds their content.
 */

#include <stddef.h>
#include <stdio.h>

enum store_file {
	STORE_STATE,		/* state.json: the sections below */
	STORE_SESSIONS,		/* last_state.json: sessions, owned files */
	STORE_MESH,		/* mesh_state.json: mesh tunnels, iBGP */
	STORE_MAINT,		/* maintenance: "on|off <since>" */
	STORE_LOOPBACK,		/* loopback: "<ifname> <prefix>" lines */
	STORE_OWNED,		/* owned_interfaces: one name a line */
	STORE_NODECONF,		/* nodeconf.json: bootstrap mode's cache */
	STORE_BIRD_ORIG,	/* bird.conf.orig: the operator's bird.conf */
	STORE_WG_PID,		/* wg-<ifname>.pid: wireguard-go we started */
	STORE_WG_ADDRS,		/* wg-<ifname>.addrs: addresses we put */
	STORE_NFILES
};

#define STORE_VERSION	1	/* of state.json */
#define STORE_SECTIONS	16

struct jnode;

struct store_section {
	const char	*name;		/* its key in state.json */
	/* Its value, one JSON value, on the stream; -1: leave it out. */
	int		(*save)(FILE *);
	/* The value read at start; NULL when there is none. */
	void		(*load)(const struct jnode *);
	/* The file it replaces (STORE_NFILES: none), and its reader. */
	enum store_file	 legacy;
	void		(*migrate)(const char *, char *, size_t);
};

int	store_path(enum store_file, const char *, char *, size_t);
size_t	store_max(enum store_file);

void	store_open(void);
void	store_register(const struct store_section *);
int	store_save(void);
int	store_refused(void);
int	store_found(void);
void	store_close(void);

#endif /* MOENET_STORE_H */
