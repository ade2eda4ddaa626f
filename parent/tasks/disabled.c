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
 * The sessions an operator disabled with moenetctl: their BIRD protocol
 * stays down across syncs (the peer file says "disabled;") and across
 * restarts of the agent and of BIRD.  Kept by uuid, or iBGP protocol
 * name, in the store's "disabled" section.
 */

#include <sys/types.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "log.h"
#include "cp.h"
#include "parent/core/jdom.h"
#include "parent/core/jw.h"
#include "parent/core/store.h"
#include "parent/tasks/disabled.h"

static char	(*uuids)[CP_UUID_LEN];
static size_t	 nuuids;

static int	disabled_add(const char *);
static int	disabled_write(FILE *);
static void	disabled_read(const struct jnode *);
static int	uuid_ok(const char *);

static int
uuid_ok(const char *u)
{
	size_t	 n = strlen(u);

	if (n == 0 || n >= CP_UUID_LEN)
		return 0;
	for (; *u != '\0'; u++)
		if (!isalnum((unsigned char)*u) && *u != '-' && *u != '_' &&
		    *u != '.')
			return 0;
	return 1;
}

void
disabled_init(void)
{
	static const struct store_section sec = { "disabled",
			    disabled_write, disabled_read, STORE_NFILES,
			    NULL };

	store_register(&sec);
	if (nuuids > 0)
		log_info("%zu session%s disabled by the operator", nuuids,
		    nuuids == 1 ? "" : "s");
}

/* A bad entry is dropped with a warning: the others still hold. */
static void
disabled_read(const struct jnode *n)
{
	const struct jnode	*k;

	if (n == NULL)
		return;
	if (n->type != J_ARRAY) {
		log_warnx("state: disabled: not a list, ignored");
		return;
	}
	TAILQ_FOREACH(k, &n->children, entry) {
		if (k->type != J_STRING || !uuid_ok(k->str)) {
			log_warnx("state: disabled: an entry that is no "
			    "session, ignored");
			continue;
		}
		if (!disabled_has(k->str) && disabled_add(k->str) == -1)
			break;
	}
}

static int
disabled_write(FILE *f)
{
	size_t	 i;

	fputc('[', f);
	for (i = 0; i < nuuids; i++) {
		if (i > 0)
			fputs(", ", f);
		jw_quote(f, uuids[i]);
	}
	fputc(']', f);
	return 0;
}

static int
disabled_add(const char *uuid)
{
	void	*n;

	if ((n = reallocarray(uuids, nuuids + 1, sizeof(*uuids))) == NULL)
		return -1;
	uuids = n;
	strlcpy(uuids[nuuids++], uuid, sizeof(*uuids));
	return 0;
}

int
disabled_has(const char *uuid)
{
	size_t	 i;

	for (i = 0; i < nuuids; i++)
		if (strcmp(uuids[i], uuid) == 0)
			return 1;
	return 0;
}

size_t
disabled_count(void)
{
	return nuuids;
}

/* Remembered (on) or forgotten; -1 if it cannot be kept on disk. */
int
disabled_set(const char *uuid, int on)
{
	size_t	 i;

	if (!uuid_ok(uuid))
		return -1;
	if (disabled_has(uuid) == on)
		return 0;
	if (on) {
		if (disabled_add(uuid) == -1)
			return -1;
	} else {
		for (i = 0; i < nuuids; i++)
			if (strcmp(uuids[i], uuid) == 0)
				break;
		memmove(&uuids[i], &uuids[i + 1], (nuuids - i - 1) *
		    sizeof(*uuids));
		nuuids--;
	}
	if (store_save() == -1) {
		log_warnx("cannot keep the disabled sessions in the state");
		return -1;
	}
	return 0;
}
