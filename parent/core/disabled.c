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
 * restarts of the agent and of BIRD.  Kept by uuid in state.dir, one a
 * line.
 */

#include <sys/types.h>

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "log.h"
#include "cp.h"
#include "parent/core/store.h"
#include "parent/core/statefile.h"
#include "parent/core/disabled.h"

static char	(*uuids)[CP_UUID_LEN];
static size_t	 nuuids;
static int	 loaded;

static void	disabled_load(void);
static int	disabled_add(const char *);
static int	disabled_save(void);
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

/* A bad line is dropped with a warning: the others still hold. */
static void
disabled_load(void)
{
	char	 path[PATH_MAX], *buf, *line, *p;
	size_t	 len;

	loaded = 1;
	if (store_path(STORE_DISABLED, NULL, path, sizeof(path)) == -1 ||
	    (buf = statefile_read(path, store_max(STORE_DISABLED),
	    &len)) == NULL)
		return;
	for (p = buf; (line = strsep(&p, "\n")) != NULL;) {
		if (*line == '\0')
			continue;
		if (!uuid_ok(line)) {
			log_warnx("%s: a line that is no session: ignored",
			    path);
			continue;
		}
		if (!disabled_has(line) && disabled_add(line) == -1)
			break;
	}
	free(buf);
	if (nuuids > 0)
		log_info("%zu session%s disabled by the operator", nuuids,
		    nuuids == 1 ? "" : "s");
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

	if (!loaded)
		disabled_load();
	for (i = 0; i < nuuids; i++)
		if (strcmp(uuids[i], uuid) == 0)
			return 1;
	return 0;
}

size_t
disabled_count(void)
{
	if (!loaded)
		disabled_load();
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
	return disabled_save();
}

static int
disabled_save(void)
{
	char	 path[PATH_MAX], *buf;
	size_t	 i, len = 0;
	int	 rv;

	if (store_path(STORE_DISABLED, NULL, path, sizeof(path)) == -1)
		return -1;
	if ((buf = calloc(nuuids + 1, CP_UUID_LEN + 1)) == NULL)
		return -1;
	for (i = 0; i < nuuids; i++)
		len += snprintf(buf + len, CP_UUID_LEN + 1, "%s\n", uuids[i]);
	if ((rv = statefile_write(path, buf, len)) == -1)
		log_warnx("cannot keep the disabled sessions in %s", path);
	free(buf);
	return rv;
}
