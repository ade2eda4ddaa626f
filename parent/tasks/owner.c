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
 * Which interfaces the agent may change or remove for a session.
 *
 * The control plane names a session's interface, and nothing stops it
 * from naming one the agent did not make: an operator's own WireGuard
 * interface, lo, a veth.  So the agent keeps, in its state directory,
 * the names of the interfaces it created, and touches no other: a
 * session naming an interface that exists and is not ours fails (the
 * control plane hears why) and the interface is left as it was.  Names
 * of system and mesh interfaces are refused even while absent, so that
 * the agent never creates one that something else then expects to own.
 *
 * An operator hands an interface over explicitly with wireguard.adopt.
 * An earlier run of this agent left wg-<ifname>.addrs/.pid files in the
 * state directory: their names are ours.  The previous agent left no
 * record at all, so on the first start without one (a drop-in), the
 * first session sync may adopt an existing WireGuard interface named as
 * the control plane names tunnels (dn42_*, dn42-*, wg-*, wg_*); after
 * that first sync, never again.
 *
 * Mesh tunnels (dn42-wg-igp-<nodeId>) are recorded here too, when the
 * mesh sync creates them; one that exists and is not recorded is left
 * alone (an operator's, or another program's) unless handed over, or
 * a WireGuard interface found by a drop-in's first mesh sync: the
 * previous agent made its mesh under the same names.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/tree.h>

#include <net/if.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "parent/tasks/mesh.h"
#include "parent/tasks/owner.h"
#include "parent/core/statefile.h"
#include "parent/core/store.h"
#include "parent/core/jdom.h"
#include "parent/core/jw.h"
#include "wgctl/wg_uapi.h"

#define OWNER_MAX	4096

struct owned {
	RB_ENTRY(owned)	 entry;
	char		 ifname[IFNAMSIZ];
};
RB_HEAD(owned_tree, owned);

static int	owned_cmp(struct owned *, struct owned *);
RB_PROTOTYPE_STATIC(owned_tree, owned, entry, owned_cmp)
RB_GENERATE_STATIC(owned_tree, owned, entry, owned_cmp)

static struct owned_tree owned = RB_INITIALIZER(&owned);
static size_t		 nowned;
static int		 legacy;	/* no record at start: a drop-in */
static int		 legacy_mesh;	/* the same, until the first mesh sync */
static int		 save_failed;

static int	owned_add(const char *);
static int	owner_foreign(const char *, char *, size_t);
static int	owner_record(const char *, char *, size_t);
static int	owner_write(FILE *);
static void	owner_read(const struct jnode *);
static void	owner_migrate(const char *, char *, size_t);

/* System interfaces by their usual names: a prefix each. */
static const char *const system_names[] = {
	"eth", "en", "wl", "ww", "ib", "dummy", "veth", "br", "bond", "team",
	"vlan", "vxlan", "docker", "virbr", "tap", "tun", "gre", "erspan",
	"ip6", "sit", "ifb", "macv", "ipvl", "vrf", "nlmon", "ppp", "usb",
	"can", NULL
};

/* How the control plane names tunnels: what a drop-in may adopt. */
static const char *const legacy_names[] = {
	"dn42_", "dn42-", "wg-", "wg_", NULL
};

static int
owned_cmp(struct owned *a, struct owned *b)
{
	return strcmp(a->ifname, b->ifname);
}

static int
has_prefix(const char *s, const char *const *list)
{
	size_t	 i;

	for (i = 0; list[i] != NULL; i++)
		if (strncmp(s, list[i], strlen(list[i])) == 0)
			return 1;
	return 0;
}

static int
name_ok(const char *s)
{
	size_t	 n = strnlen(s, IFNAMSIZ);

	if (n == 0 || n >= IFNAMSIZ || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-") == n;
}

/* Never a session's, even when absent or handed over. */
static int
forbidden_name(const char *ifname)
{
	return strcmp(ifname, "lo") == 0 ||
	    strncmp(ifname, MESH_IFPREFIX, strlen(MESH_IFPREFIX)) == 0 ||
	    strcmp(ifname, conf->wg_loopback_if) == 0;
}

/* Named in wireguard.adopt (kept as " a b "). */
static int
handed_over(const char *ifname)
{
	char	 word[IFNAMSIZ + 2];

	snprintf(word, sizeof(word), " %s ", ifname);
	return strstr(conf->wg_adopt, word) != NULL;
}

static struct owned *
owned_find(const char *ifname)
{
	struct owned	 key;

	memset(&key, 0, sizeof(key));
	if (strlcpy(key.ifname, ifname, sizeof(key.ifname)) >=
	    sizeof(key.ifname))
		return NULL;
	return RB_FIND(owned_tree, &owned, &key);
}

/* The "owned_interfaces" section of the store: ["ifname", ...]. */
static int
owner_write(FILE *f)
{
	struct owned	*o;
	int		 first = 1;

	fputc('[', f);
	RB_FOREACH(o, owned_tree, &owned) {
		if (!first)
			fputs(", ", f);
		first = 0;
		jw_quote(f, o->ifname);
	}
	fputc(']', f);
	return 0;
}

/* The record, replaced whole; a failure is retried at the next change. */
static void
owner_save(void)
{
	if (store_save() == -1) {
		if (!save_failed)
			log_warnx("owner: cannot record the interfaces the "
			    "agent owns; kept in memory, written again at the "
			    "next change");
		save_failed = 1;
	} else
		save_failed = 0;
}

static void
owner_read(const struct jnode *n)
{
	struct jnode	*k;

	/* A newer agent's state, unread, is no first start. */
	if (n == NULL) {
		legacy = legacy_mesh = !store_refused();
		return;
	}
	if (n->type != J_ARRAY) {
		log_warnx("owner: the saved state is not a list, ignored");
		return;
	}
	TAILQ_FOREACH(k, &n->children, entry)
		if (k->type != J_STRING || !name_ok(k->str) ||
		    owned_add(k->str) == -1)
			log_warnx("owner: a bad name in the saved state, "
			    "ignored");
}

/* owned_interfaces, one name a line: the releases before the store. */
static void
owner_migrate(const char *path, char *buf, size_t len)
{
	char	*s, *line;

	for (s = buf; (line = strsep(&s, "\n")) != NULL;) {
		if (*line == '\0')
			continue;
		if (!name_ok(line) || owned_add(line) == -1)
			log_warnx("%s: bad line, ignored", path);
	}
}

static int
owned_add(const char *ifname)
{
	struct owned	*o;

	if (!name_ok(ifname) || owned_find(ifname) != NULL)
		return 0;
	if (nowned >= OWNER_MAX) {
		errno = ENOSPC;
		return -1;
	}
	if ((o = calloc(1, sizeof(*o))) == NULL)
		return -1;
	strlcpy(o->ifname, ifname, sizeof(o->ifname));
	RB_INSERT(owned_tree, &owned, o);
	nowned++;
	return 1;
}

/* wg-<ifname>.addrs and .pid: an earlier run of the agent made these. */
static size_t
owner_scan_state_dir(void)
{
	DIR		*d;
	struct dirent	*de;
	char		 name[IFNAMSIZ + 16], *dot;
	size_t		 added = 0;

	if ((d = opendir(conf->state_dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "wg-", 3) != 0 ||
		    strlcpy(name, de->d_name + 3, sizeof(name)) >=
		    sizeof(name) || (dot = strrchr(name, '.')) == NULL ||
		    (strcmp(dot, ".addrs") != 0 && strcmp(dot, ".pid") != 0))
			continue;
		*dot = '\0';
		if (owned_add(name) == 1) {
			log_info("owner: %s was made by an earlier run of the "
			    "agent", name);
			added++;
		}
	}
	closedir(d);
	return added;
}

void
owner_init(void)
{
	static const struct store_section sec = { "owned_interfaces",
			    owner_write, owner_read, STORE_OWNED,
			    owner_migrate };
	size_t	 added;

	store_register(&sec);
	added = owner_scan_state_dir();
	if (legacy)
		log_info("owner: no record of owned interfaces; the first "
		    "session sync may adopt existing WireGuard interfaces "
		    "named dn42_*, dn42-*, wg-*, wg_*");
	log_info("owner: %zu interface%s owned", nowned,
	    nowned == 1 ? "" : "s");
	/* Written only when it says something new: a start needs no write. */
	if (legacy || added > 0)
		owner_save();
}

/* A WireGuard interface: kernel (sysfs says so) or userspace (UAPI). */
static int
is_wireguard(const char *ifname)
{
	char		 path[PATH_MAX], buf[512];
	struct stat	 st;
	FILE		*f;
	size_t		 n;
	int		 wg = 0;

	snprintf(path, sizeof(path), "%s/%s.sock", WG_UAPI_DIR, ifname);
	if (stat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		return 1;
	snprintf(path, sizeof(path), "/sys/class/net/%s/uevent", ifname);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	wg = strstr(buf, "DEVTYPE=wireguard\n") != NULL;
	return wg;
}

static int
owner_foreign(const char *ifname, char *err, size_t errlen)
{
	snprintf(err, errlen, "interface %s exists and was not created by "
	    "this agent: left as it is (an operator may hand it over with "
	    "wireguard.adopt)", ifname);
	return -1;
}

/* ifname is the agent's from now on, and the record says so. */
static int
owner_record(const char *ifname, char *err, size_t errlen)
{
	if (owned_add(ifname) == -1) {
		snprintf(err, errlen, "interface %s: cannot record it: %s",
		    ifname, strerror(errno));
		return -1;
	}
	owner_save();
	return 0;
}

/*
 * May a session's tunnel be made or changed on ifname?  0 (and the
 * name is ours from now on), or -1 with the reason for the control
 * plane in err.
 */
int
owner_claim(const char *ifname, char *err, size_t errlen)
{
	int	 exists;

	if (!name_ok(ifname)) {
		snprintf(err, errlen, "interface: not a valid name");
		return -1;
	}
	if (forbidden_name(ifname)) {
		snprintf(err, errlen, "interface %s: the loopback's or the "
		    "mesh's; the agent does not use it for a session",
		    ifname);
		return -1;
	}
	if (owned_find(ifname) != NULL)
		return 0;
	exists = if_nametoindex(ifname) != 0;
	if (handed_over(ifname)) {
		log_info("owner: %s handed over by wireguard.adopt", ifname);
	} else if (has_prefix(ifname, system_names)) {
		snprintf(err, errlen, "interface %s: named like a system "
		    "interface; the agent does not use it (an operator may "
		    "hand it over with wireguard.adopt)", ifname);
		return -1;
	} else if (exists && legacy && has_prefix(ifname, legacy_names) &&
	    is_wireguard(ifname)) {
		log_info("owner: adopting %s, a WireGuard interface left by "
		    "the previous agent", ifname);
	} else if (exists) {
		return owner_foreign(ifname, err, errlen);
	}
	return owner_record(ifname, err, errlen);
}

/*
 * May the mesh sync make or change its tunnel ifname?  0 (recorded from
 * now on), or -1 with the reason in err.
 */
int
owner_claim_mesh(const char *ifname, char *err, size_t errlen)
{
	if (!name_ok(ifname) || strncmp(ifname, MESH_IFPREFIX,
	    strlen(MESH_IFPREFIX)) != 0) {
		snprintf(err, errlen, "interface: not a mesh tunnel's name");
		return -1;
	}
	if (owned_find(ifname) != NULL)
		return 0;
	if (if_nametoindex(ifname) == 0)
		;
	else if (handed_over(ifname))
		log_info("owner: %s handed over by wireguard.adopt", ifname);
	else if (legacy_mesh && is_wireguard(ifname))
		log_info("owner: adopting %s, a mesh tunnel left by the "
		    "previous agent", ifname);
	else {
		return owner_foreign(ifname, err, errlen);
	}
	return owner_record(ifname, err, errlen);
}

/* An earlier run's own record (mesh_state.json) says ifname is ours. */
void
owner_known(const char *ifname)
{
	if (owned_add(ifname) == 1) {
		log_info("owner: %s was made by an earlier run of the agent",
		    ifname);
		owner_save();
	}
}

/* The first mesh sync is over: a drop-in's chance to adopt, too. */
void
owner_mesh_sync_done(void)
{
	legacy_mesh = 0;
}

int
owner_owns(const char *ifname)
{
	return owned_find(ifname) != NULL;
}

/* The interface is gone: no longer ours. */
void
owner_release(const char *ifname)
{
	struct owned	*o;

	if ((o = owned_find(ifname)) == NULL)
		return;
	RB_REMOVE(owned_tree, &owned, o);
	free(o);
	nowned--;
	owner_save();
}

/* The first sync is over: a drop-in's chance to adopt is, too. */
void
owner_sync_done(void)
{
	if (legacy) {
		legacy = 0;
		log_debug("owner: first session sync done; only recorded and "
		    "handed-over interfaces from now on");
	}
	if (save_failed)
		owner_save();
}

int
owner_save_failed(void)
{
	return save_failed;
}

size_t
owner_count(void)
{
	return nowned;
}
