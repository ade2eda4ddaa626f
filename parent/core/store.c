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

#include <net/if.h>

#include <stddef.h>
#include <stdio.h>

#include "moenet.h"
#include "log.h"
#include "parent/core/parent.h"
#include "parent/core/store.h"

static const struct {
	const char	*name;		/* or the prefix of a tunnel's */
	const char	*suffix;	/* a tunnel's file: after its name */
	size_t		 max;		/* a reader takes at most */
} store_files[STORE_NFILES] = {
	[STORE_SESSIONS] =	{ "last_state.json", NULL, 16 * 1024 * 1024 },
	[STORE_MESH] =		{ "mesh_state.json", NULL, 256 * 1024 },
	[STORE_MAINT] =		{ "maintenance", NULL, 64 },
	[STORE_LOOPBACK] =	{ "loopback", NULL, 4096 },
	[STORE_OWNED] =		{ "owned_interfaces", NULL, 64 * 1024 },
	[STORE_NODECONF] =	{ "nodeconf.json", NULL, 64 * 1024 },
	[STORE_BIRD_ORIG] =	{ "bird.conf.orig", NULL, 0 },
	[STORE_WG_PID] =	{ "wg-", ".pid", 64 },
	[STORE_WG_ADDRS] =	{ "wg-", ".addrs", 4096 },
	[STORE_OWNED_FILES] =	{ "owned_bird_files", NULL, 4 * 1024 * 1024 },
};

/* The file's path in state.dir; ifname for a tunnel's files. */
int
store_path(enum store_file id, const char *ifname, char *buf, size_t len)
{
	int	 n;

	if ((unsigned int)id >= STORE_NFILES)
		fatalx("%s: no file %d", __func__, id);
	if (conf->state_dir[0] == '\0')
		return -1;
	if (store_files[id].suffix != NULL) {
		if (ifname == NULL || ifname_check(ifname, IFNAMSIZ) != NULL)
			return -1;
		n = snprintf(buf, len, "%s/%s%s%s", conf->state_dir,
		    store_files[id].name, ifname, store_files[id].suffix);
	} else
		n = snprintf(buf, len, "%s/%s", conf->state_dir,
		    store_files[id].name);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

size_t
store_max(enum store_file id)
{
	if ((unsigned int)id >= STORE_NFILES)
		fatalx("%s: no file %d", __func__, id);
	return store_files[id].max;
}
