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
 * The UAPI connections wgctl holds, one per userspace tunnel.
 *
 * wireguard-go serves any number of requests on one connection.  A
 * sync reads every tunnel: connecting anew each time costs the parent
 * a connect(2), wgctl a close(2) and wireguard-go an accept and a
 * goroutine, for a thousand tunnels a sync.  So the connection the
 * parent passed is kept, by interface name, until it fails, the
 * tunnel goes, or the parent passes another; the parent connects again
 * only when told none is held.  Past the fd limit nothing more is held:
 * the request is served and its connection closed, as before.
 */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/tree.h>

#include <net/if.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "wgctl/uapiconn.h"

/* Left for netlink, the parent's pipe and the fds in flight. */
#define UAPICONN_SPARE	64

struct uapiconn {
	RB_ENTRY(uapiconn)	 entry;
	char			 ifname[IFNAMSIZ];
	int			 fd;
};
RB_HEAD(uapiconn_tree, uapiconn);

static int
uapiconn_cmp(const struct uapiconn *a, const struct uapiconn *b)
{
	return strcmp(a->ifname, b->ifname);
}
RB_PROTOTYPE_STATIC(uapiconn_tree, uapiconn, entry, uapiconn_cmp)
RB_GENERATE_STATIC(uapiconn_tree, uapiconn, entry, uapiconn_cmp)

static struct uapiconn_tree	 conns = RB_INITIALIZER(&conns);
static size_t			 nconns, maxconns;

void
uapiconn_init(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 ||
	    rl.rlim_cur <= UAPICONN_SPARE)
		maxconns = 0;
	else
		maxconns = rl.rlim_cur - UAPICONN_SPARE;
}

static struct uapiconn *
uapiconn_find(const char *ifname)
{
	struct uapiconn	 key;

	memset(&key, 0, sizeof(key));
	if (strlcpy(key.ifname, ifname, sizeof(key.ifname)) >=
	    sizeof(key.ifname))
		return NULL;
	return RB_FIND(uapiconn_tree, &conns, &key);
}

/*
 * fd, the parent's fresh connection to ifname's daemon, replaces any
 * held before.  1: held, wgctl closes it when it is dropped; 0: not
 * held (no room), the caller closes it after use.
 */
static int
uapiconn_hold(const char *ifname, int fd)
{
	struct uapiconn	*c;

	if ((c = uapiconn_find(ifname)) != NULL) {
		close(c->fd);
		c->fd = fd;
		return 1;
	}
	if (nconns >= maxconns || (c = calloc(1, sizeof(*c))) == NULL)
		return 0;
	if (strlcpy(c->ifname, ifname, sizeof(c->ifname)) >=
	    sizeof(c->ifname)) {
		free(c);
		return 0;
	}
	c->fd = fd;
	RB_INSERT(uapiconn_tree, &conns, c);
	nconns++;
	return 1;
}

/*
 * The connection a request to ifname's daemon uses: the fresh one it
 * brought (fd, then held, room permitting), or with none (-1) the one
 * held; -1 when there is neither.  *held: wgctl keeps it afterwards.
 */
int
uapiconn_use(const char *ifname, int fd, int *held)
{
	struct uapiconn	*c;

	if (fd != -1) {
		*held = uapiconn_hold(ifname, fd);
		return fd;
	}
	c = uapiconn_find(ifname);
	*held = c != NULL;
	return c != NULL ? c->fd : -1;
}

/*
 * The request is over: a failed one lets its connection go (the next
 * starts on a fresh one), one not held is closed.  Whether it is held.
 */
int
uapiconn_release(const char *ifname, int fd, int held, int failed)
{
	if (held && failed) {
		uapiconn_drop(ifname);
		return 0;
	}
	if (!held && fd != -1)
		close(fd);
	return held;
}

void
uapiconn_drop(const char *ifname)
{
	struct uapiconn	*c;

	if ((c = uapiconn_find(ifname)) == NULL)
		return;
	RB_REMOVE(uapiconn_tree, &conns, c);
	nconns--;
	close(c->fd);
	free(c);
}
