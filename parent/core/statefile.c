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
#include "parent/core/statefile.h"

#define STATEFILE_PENDING	16

static void	(*notify)(const char *, int);
static int	statefile_write1(const char *, const char *, size_t);

void
statefile_notify(void (*cb)(const char *, int))
{
	notify = cb;
}

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

/*
 * A write that failed (a full file system) is kept, the latest content
 * per file, and tried again whenever another write works: the state
 * catches up once there is room, even for files rarely written.  The
 * copies may hold secrets: wiped when dropped.
 */
static struct {
	char	 path[PATH_MAX];
	char	*buf;
	size_t	 len;
}		 pending[STATEFILE_PENDING];

static void
pending_drop(int i)
{
	freezero(pending[i].buf, pending[i].len);
	pending[i].buf = NULL;
	pending[i].len = 0;
	pending[i].path[0] = '\0';
}

static void
pending_keep(const char *path, const char *buf, size_t len)
{
	int	 i, slot = -1;

	for (i = 0; i < STATEFILE_PENDING; i++) {
		if (strcmp(pending[i].path, path) == 0) {
			pending_drop(i);
			slot = i;
			break;
		}
		if (slot == -1 && pending[i].path[0] == '\0')
			slot = i;
	}
	if (slot == -1 || strlcpy(pending[slot].path, path,
	    sizeof(pending[slot].path)) >= sizeof(pending[slot].path))
		return;
	if ((pending[slot].buf = malloc(len + 1)) == NULL) {
		pending[slot].path[0] = '\0';
		return;
	}
	memcpy(pending[slot].buf, buf, len);
	pending[slot].len = len;
}

int
statefile_write(const char *path, const char *buf, size_t len)
{
	int	 rc, saved, i;

	rc = statefile_write1(path, buf, len);
	saved = errno;
	if (rc == 0) {
		for (i = 0; i < STATEFILE_PENDING; i++)
			if (strcmp(pending[i].path, path) == 0)
				pending_drop(i);
	} else
		pending_keep(path, buf, len);
	if (notify != NULL)
		notify(path, rc == 0 ? 0 : saved != 0 ? saved : EIO);
	for (i = 0; rc == 0 && i < STATEFILE_PENDING; i++) {
		if (pending[i].path[0] == '\0' ||
		    statefile_write1(pending[i].path, pending[i].buf,
		    pending[i].len) == -1)
			continue;
		log_info("%s written, late", pending[i].path);
		if (notify != NULL)
			notify(pending[i].path, 0);
		pending_drop(i);
	}
	errno = saved;
	return rc;
}

static int
statefile_write1(const char *path, const char *buf, size_t len)
{
	char	 tmp[PATH_MAX];
	ssize_t	 n;
	size_t	 off = 0;
	int	 fd, saved;

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
		saved = errno;
		log_warn("rename %s", path);
		unlink(tmp);
		errno = saved;
		return -1;
	}
	if (fsync_dir_of(path) == -1)
		log_warn("fsync directory of %s", path);
	return 0;
 fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	unlink(tmp);
	errno = saved;
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
