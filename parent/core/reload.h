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


#ifndef MOENET_RELOAD_H
#define MOENET_RELOAD_H

/*
 * A reload (SIGHUP, moenetctl reload): the new configuration is built
 * and checked whole, then taken, then each running module is told,
 * with the old and the new, and says what it changes.  Modules register
 * when they start, so only running ones are told; one that keeps a
 * copy of a setting takes the new one here.  Keys read only at start
 * are named in the answer: they take effect at restart.
 */

#include <stddef.h>

#include "parent/core/config.h"

#define RELOAD_HOOKS_MAX	16
#define RELOAD_NOTE_LEN		256
#define RELOAD_KEYS_MAX		64
#define RELOAD_KEY_LEN		64

/* A key the last reload changed; restart: it waits for a restart. */
struct reload_key {
	char		 key[RELOAD_KEY_LEN];
	int		 restart;
};

struct reload_hook {
	const char	*name;
	/* Before the swap: complete the new one, or refuse it (-1, why). */
	int		(*prepare)(struct moenet_conf *, char *, size_t);
	/* After the swap: the old one is still there to compare with. */
	void		(*apply)(const struct moenet_conf *,
			    const struct moenet_conf *);
};

void	reload_add(const struct reload_hook *);
int	reload_conf(struct moenet_conf *, char *, size_t);
size_t	reload_last_keys(const struct reload_key **);

#endif /* MOENET_RELOAD_H */
