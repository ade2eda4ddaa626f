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
 * Parser fixtures: fixtures/<kind>.<name>.raw holds the raw bytes BIRD
 * sent (banner and one reply); the records the parsers make of it,
 * printed as text, must equal fixtures/<kind>.<name>.ok.  With -u the
 * .ok files are written instead: review them by eye before use.
 */

#include <sys/types.h>

#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "regress/regress.h"
#include "birddump.h"

static int	raw_filter(const struct dirent *);
static void	first_diff(const char *, const char *, char *, size_t);

static int
raw_filter(const struct dirent *d)
{
	size_t	n = strlen(d->d_name);

	return n > 4 && strcmp(d->d_name + n - 4, ".raw") == 0;
}

static void
first_diff(const char *a, const char *b, char *buf, size_t len)
{
	size_t	line = 1, i, start = 0;

	for (i = 0; a[i] != '\0' && a[i] == b[i]; i++)
		if (a[i] == '\n') {
			line++;
			start = i + 1;
		}
	snprintf(buf, len, "differs at line %zu: got \"%.*s\"", line,
	    (int)strcspn(a + start, "\n"), a + start);
}

int
main(int argc, char *argv[])
{
	struct dirent	**ents;
	char		 dir[1024], path[1400], okpath[1400], kind[64];
	char		 why[256], *self, *data, *out, *ok;
	size_t		 len, oklen;
	int		 i, n, update = 0, fd;

	if (argc > 1 && strcmp(argv[1], "-u") == 0)
		update = 1;
	setenv("TZ", "UTC", 1);
	tzset();
	if ((self = strdup(argv[0])) == NULL)
		err(1, NULL);
	snprintf(dir, sizeof(dir), "%s/fixtures", dirname(self));
	if ((n = scandir(dir, &ents, raw_filter, alphasort)) == -1)
		err(1, "%s", dir);
	if (n == 0)
		REGRESS_FAIL("fixtures", "none found in %s", dir);

	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		snprintf(okpath, sizeof(okpath), "%s/%.*s.ok", dir,
		    (int)(strlen(name) - 4), name);
		strlcpy(kind, name, sizeof(kind));
		kind[strcspn(kind, ".")] = '\0';
		if ((data = read_file(path, &len)) == NULL)
			err(1, "%s", path);
		out = dump_to_string(kind, data, len, NULL, 0);
		if (update) {
			fd = open(okpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd == -1 || write(fd, out, strlen(out)) !=
			    (ssize_t)strlen(out) || close(fd) == -1)
				err(1, "%s", okpath);
			printf("updated %s\n", okpath);
		} else if ((ok = read_file(okpath, &oklen)) == NULL)
			REGRESS_FAIL(name, "no %s", okpath);
		else {
			if (strcmp(out, ok) == 0)
				REGRESS_OK(name);
			else {
				first_diff(out, ok, why, sizeof(why));
				REGRESS_FAIL(name, "%s", why);
			}
			free(ok);
		}
		free(out);
		free(data);
		free(ents[i]);
	}
	free(ents);
	free(self);
	REGRESS_EXIT();
}
