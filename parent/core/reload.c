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

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "moenet.h"
#include "log.h"
#include "parent/core/config.h"
#include "parent/core/parent.h"
#include "parent/core/reload.h"

#define F(f)	offsetof(struct moenet_conf, f), \
	sizeof(((struct moenet_conf *)0)->f)

/*
 * Read once at start (sockets bound, children sandboxed, paths open):
 * the running agent keeps the old value, so that what it does and what
 * it shows agree, until the restart.
 */
static const struct {
	const char	*key;
	size_t		 off;
	size_t		 size;
} restart_keys[] = {
	{ "state.dir", F(state_dir) },
	{ "control.socket", F(ctl_socket) },
	{ "control.readOnlySocket", F(ctl_socket_ro) },
	{ "server.listen", F(srv_listen) },
	{ "bird.controlSocket", F(bird_socket) },
	{ "wireguard.backend", F(wg_backend) },
	{ "sandbox.seccomp", F(sandbox_mode) },
};

static const struct reload_hook	*hooks[RELOAD_HOOKS_MAX];
static size_t			 nhooks;
/* The last reload's changed keys, for moenetctl reload to list. */
static struct reload_key	 keys[RELOAD_KEYS_MAX];
static size_t			 nkeys;

static void	reload_restart_keys(const struct moenet_conf *,
		    struct moenet_conf *, char *, size_t);
static void	reload_key_add(const char *, void *);
static int	reload_is_restart_key(const char *);

void
reload_add(const struct reload_hook *h)
{
	size_t	 i;

	for (i = 0; i < nhooks; i++)
		if (hooks[i] == h)
			return;
	if (nhooks == RELOAD_HOOKS_MAX)
		fatalx("%s: too many modules", __func__);
	hooks[nhooks++] = h;
}

/*
 * Takes nconf (freed if refused).  0: in force, note names the keys
 * that wait for a restart ("" if none); -1: refused, note says why.
 */
int
reload_conf(struct moenet_conf *nconf, char *note, size_t notelen)
{
	struct moenet_conf	*old;
	char			 err[RELOAD_NOTE_LEN];
	size_t			 i;

	note[0] = '\0';
	nkeys = 0;
	for (i = 0; i < nhooks; i++) {
		if (hooks[i]->prepare == NULL)
			continue;
		err[0] = '\0';
		if (hooks[i]->prepare(nconf, err, sizeof(err)) == -1) {
			snprintf(note, notelen, "%s: %s", hooks[i]->name, err);
			config_free(nconf);
			return -1;
		}
	}
	config_diff(conf, nconf, reload_key_add, NULL);
	reload_restart_keys(conf, nconf, note, notelen);
	old = conf;
	conf = nconf;
	for (i = 0; i < nhooks; i++)
		if (hooks[i]->apply != NULL)
			hooks[i]->apply(old, conf);
	config_free(old);
	return 0;
}

static void
reload_restart_keys(const struct moenet_conf *o, struct moenet_conf *n,
    char *note, size_t notelen)
{
	char	 po[128], pn[128];
	size_t	 i;

	for (i = 0; i < sizeof(restart_keys) / sizeof(restart_keys[0]); i++) {
		if (memcmp((const char *)o + restart_keys[i].off,
		    (const char *)n + restart_keys[i].off,
		    restart_keys[i].size) == 0)
			continue;
		memcpy((char *)n + restart_keys[i].off,
		    (const char *)o + restart_keys[i].off, restart_keys[i].size);
		if (note[0] != '\0')
			strlcat(note, ", ", notelen);
		strlcat(note, restart_keys[i].key, notelen);
	}
	/* The fetcher's sandbox allows the control plane's ports only. */
	config_cp_ports(o, po, sizeof(po));
	config_cp_ports(n, pn, sizeof(pn));
	if (strcmp(po, pn) != 0) {
		strlcpy(n->cp_url, o->cp_url, sizeof(n->cp_url));
		if (note[0] != '\0')
			strlcat(note, ", ", notelen);
		strlcat(note, "controlPlane.url (its port)", notelen);
		for (i = 0; i < nkeys; i++)
			if (strcmp(keys[i].key, "controlPlane.url") == 0)
				keys[i].restart = 1;
	}
}

/* What the last reload that went through changed; restart: not yet. */
size_t
reload_last_keys(const struct reload_key **out)
{
	*out = keys;
	return nkeys;
}

static void
reload_key_add(const char *key, void *arg)
{
	if (nkeys == RELOAD_KEYS_MAX)
		return;
	strlcpy(keys[nkeys].key, key, sizeof(keys[nkeys].key));
	keys[nkeys].restart = reload_is_restart_key(key);
	nkeys++;
}

static int
reload_is_restart_key(const char *key)
{
	size_t	 i;

	for (i = 0; i < sizeof(restart_keys) / sizeof(restart_keys[0]); i++)
		if (strcmp(restart_keys[i].key, key) == 0)
			return 1;
	return 0;
}
