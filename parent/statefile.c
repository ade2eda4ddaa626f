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
 * Files in the state directory: always replaced whole (temp file, fsync,
 * rename, fsync of the directory), so that a crash at any point leaves
 * either the old or the new content; read back with a size bound; moved
 * aside, never deleted, when they cannot be used.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "statefile.h"

static int
fsync_dir_of(const char *path)
{
	char	 dir[PATH_MAX];
	int	 fd, rc;

	if (strlcpy(dir, path, sizeof(dir)) >= sizeof(dir))
		return -1;
	if ((fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int
statefile_write(const char *path, const char *buf, size_t len)
{
	char	 tmp[PATH_MAX];
	ssize_t	 n;
	size_t	 off = 0;
	int	 fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -1;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		log_warn("%s", tmp);
		return -1;
	}
	while (off < len) {
		if ((n = write(fd, buf + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("write %s", tmp);
			goto fail;
		}
		off += n;
	}
	if (fsync(fd) == -1) {
		log_warn("fsync %s", tmp);
		goto fail;
	}
	if (close(fd) == -1) {
		fd = -1;
		log_warn("close %s", tmp);
		goto fail;
	}
	if (rename(tmp, path) == -1) {
		log_warn("rename %s", path);
		unlink(tmp);
		return -1;
	}
	if (fsync_dir_of(path) == -1)
		log_warn("fsync directory of %s", path);
	return 0;
 fail:
	if (fd != -1)
		close(fd);
	unlink(tmp);
	return -1;
}

/* NULL with errno ENOENT when absent; larger than max is an error. */
char *
statefile_read(const char *path, size_t max, size_t *lenp)
{
	struct stat	 st;
	char		*buf;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd, saved;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno != ENOENT)
			log_warn("%s", path);
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > max) {
		log_warnx("%s: not a regular file of at most %zu bytes", path,
		    max);
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	if ((buf = malloc(st.st_size + 1)) == NULL) {
		close(fd);
		return NULL;
	}
	/* A read error is no end of file: a cut buffer is no state. */
	while (len < (size_t)st.st_size) {
		if ((n = read(fd, buf + len, st.st_size - len)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("read %s", path);
			saved = errno;
			free(buf);
			close(fd);
			errno = saved;
			return NULL;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* Keep a bad file for the operator to look at, out of the way. */
void
statefile_set_aside(const char *path)
{
	char	 aside[PATH_MAX];

	if ((size_t)snprintf(aside, sizeof(aside), "%s.bad-%lld", path,
	    (long long)time(NULL)) >= sizeof(aside))
		return;
	if (rename(path, aside) == 0)
		log_warnx("moved unusable %s aside to %s", path, aside);
	else
		log_warn("cannot move %s aside", path);
}
