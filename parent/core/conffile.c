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
 * Where the configuration is when no -f names it.
 *
 * The control plane's bootstrap script writes config.json beside the
 * binary (/opt/moenet-agent) with the shell's umask and starts the
 * agent with no arguments from that directory, as the previous agent
 * expected.  An installed agent keeps its file in /etc/moenet-agent.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/core/conffile.h"

#define CONFFILE_NAME	"config.json"

static int	 conffile_exists(const char *);

static int
conffile_exists(const char *path)
{
	struct stat	 st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * The first of MOENET_CONF, config.json in the executable's directory
 * and config.json in the working directory that exists; MOENET_CONF
 * when none does, so that the error names the documented place.  A
 * second candidate that also exists is named in note, since only one
 * is read.
 */
const char *
conffile_find(char *buf, size_t len, char *note, size_t notelen)
{
	char	 cand[3][PATH_MAX], exe[PATH_MAX], *slash;
	ssize_t	 n;
	int	 i, ncand = 0, found = -1;

	note[0] = '\0';
	strlcpy(cand[ncand++], MOENET_CONF, sizeof(cand[0]));
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			if ((size_t)snprintf(cand[ncand], sizeof(cand[0]),
			    "%s/%s", exe[0] != '\0' ? exe : "", CONFFILE_NAME) <
			    sizeof(cand[0]))
				ncand++;
		}
	}
	if (getcwd(exe, sizeof(exe)) != NULL &&
	    (size_t)snprintf(cand[ncand], sizeof(cand[0]), "%s/%s",
	    strcmp(exe, "/") == 0 ? "" : exe, CONFFILE_NAME) <
	    sizeof(cand[0]))
		ncand++;

	for (i = 0; i < ncand; i++) {
		if (!conffile_exists(cand[i]))
			continue;
		if (found == -1)
			found = i;
		else if (strcmp(cand[i], cand[found]) != 0 &&
		    note[0] == '\0')
			snprintf(note, notelen, "%s is not read: %s comes "
			    "first", cand[i], cand[found]);
	}
	strlcpy(buf, cand[found == -1 ? 0 : found], len);
	return buf;
}
