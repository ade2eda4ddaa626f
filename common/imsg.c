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
#include <sys/socket.h>
#include <sys/uio.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"

#define IMSG_WRITEV_MAX	32

static int	imsgbuf_push_fd(struct imsgbuf *, int);

int
imsgbuf_init(struct imsgbuf *ibuf, int fd)
{
	memset(ibuf, 0, sizeof(*ibuf));
	TAILQ_INIT(&ibuf->wq);
	ibuf->fd = fd;
	ibuf->pid = getpid();
	ibuf->maxsize = IMSG_MAXSIZE_DEFAULT;
	ibuf->rsize = IMSG_MAXSIZE_DEFAULT;
	if ((ibuf->rbuf = malloc(ibuf->rsize)) == NULL)
		return -1;
	return 0;
}

void
imsgbuf_allow_fdpass(struct imsgbuf *ibuf)
{
	ibuf->allow_fdpass = 1;
}

int
imsgbuf_set_maxsize(struct imsgbuf *ibuf, size_t max)
{
	unsigned char	*p;

	if (max < IMSG_HEADER_SIZE || max > IMSG_MAXSIZE_LIMIT) {
		errno = EINVAL;
		return -1;
	}
	if (max > ibuf->rsize) {
		if ((p = realloc(ibuf->rbuf, max)) == NULL)
			return -1;
		ibuf->rbuf = p;
		ibuf->rsize = max;
	}
	ibuf->maxsize = max;
	return 0;
}

void
imsgbuf_clear(struct imsgbuf *ibuf)
{
	struct imsg_wbuf	*wb;

	while ((wb = TAILQ_FIRST(&ibuf->wq)) != NULL) {
		TAILQ_REMOVE(&ibuf->wq, wb, entry);
		if (wb->fd != -1)
			close(wb->fd);
		freezero(wb->buf, wb->len);
		free(wb);
	}
	ibuf->wqlen = 0;
	while (ibuf->nfds > 0)
		close(ibuf->fds[--ibuf->nfds]);
	freezero(ibuf->rbuf, ibuf->rsize);
	ibuf->rbuf = NULL;
	ibuf->rlen = ibuf->rsize = 0;
}

size_t
imsgbuf_queuelen(struct imsgbuf *ibuf)
{
	return ibuf->wqlen;
}

static int
imsgbuf_push_fd(struct imsgbuf *ibuf, int fd)
{
	if (!ibuf->allow_fdpass || ibuf->nfds >= IMSG_FDS_MAX) {
		close(fd);
		errno = EBADMSG;
		return -1;
	}
	ibuf->fds[ibuf->nfds++] = fd;
	return 0;
}

/*
 * Returns 1 when bytes (or fds) were read, 0 on EOF, -1 on error.
 * EAGAIN counts as success with nothing read.
 */
int
imsgbuf_read(struct imsgbuf *ibuf)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int) * 4)];
	} cmsgbuf;
	struct msghdr	 msg;
	struct cmsghdr	*cmsg;
	struct iovec	 iov;
	ssize_t		 n;
	int		*fdp, i, nfd, bad = 0;

	if (ibuf->rlen >= ibuf->rsize) {
		errno = ENOBUFS;
		return -1;
	}
	memset(&msg, 0, sizeof(msg));
	memset(&cmsgbuf, 0, sizeof(cmsgbuf));
	iov.iov_base = ibuf->rbuf + ibuf->rlen;
	iov.iov_len = ibuf->rsize - ibuf->rlen;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = &cmsgbuf.buf;
	msg.msg_controllen = sizeof(cmsgbuf.buf);

	do {
		n = recvmsg(ibuf->fd, &msg, MSG_CMSG_CLOEXEC);
	} while (n == -1 && errno == EINTR);
	if (n == -1)
		return (errno == EAGAIN || errno == EWOULDBLOCK) ? 1 : -1;

	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL;
	    cmsg = CMSG_NXTHDR(&msg, cmsg)) {
		if (cmsg->cmsg_level != SOL_SOCKET ||
		    cmsg->cmsg_type != SCM_RIGHTS)
			continue;
		nfd = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		fdp = (int *)CMSG_DATA(cmsg);
		for (i = 0; i < nfd; i++)
			if (imsgbuf_push_fd(ibuf, fdp[i]) == -1)
				bad = 1;
	}
	if (bad || (msg.msg_flags & MSG_CTRUNC)) {
		errno = EBADMSG;
		return -1;
	}
	if (n == 0)
		return 0;
	ibuf->rlen += n;
	return 1;
}

/*
 * Returns the size of the imsg taken (> 0), 0 when no whole imsg is
 * buffered, -1 when the peer broke the framing.
 */
ssize_t
imsg_get(struct imsgbuf *ibuf, struct imsg *imsg)
{
	struct imsg_hdr	 hdr;
	size_t		 datalen;

	if (ibuf->rlen < IMSG_HEADER_SIZE)
		return 0;
	memcpy(&hdr, ibuf->rbuf, sizeof(hdr));
	if (hdr.len < IMSG_HEADER_SIZE || hdr.len > ibuf->maxsize ||
	    (hdr.flags & ~IMSG_F_HASFD) != 0) {
		errno = ERANGE;
		return -1;
	}
	if (hdr.len > ibuf->rlen)
		return 0;

	memset(imsg, 0, sizeof(*imsg));
	imsg->hdr = hdr;
	imsg->fd = -1;
	datalen = hdr.len - IMSG_HEADER_SIZE;
	if (datalen > 0) {
		if ((imsg->data = malloc(datalen)) == NULL)
			return -1;
		memcpy(imsg->data, ibuf->rbuf + IMSG_HEADER_SIZE, datalen);
	}
	if (hdr.flags & IMSG_F_HASFD) {
		if (ibuf->nfds == 0) {
			free(imsg->data);
			imsg->data = NULL;
			errno = EBADMSG;
			return -1;
		}
		imsg->fd = ibuf->fds[0];
		memmove(ibuf->fds, ibuf->fds + 1,
		    --ibuf->nfds * sizeof(ibuf->fds[0]));
	}
	memmove(ibuf->rbuf, ibuf->rbuf + hdr.len, ibuf->rlen - hdr.len);
	ibuf->rlen -= hdr.len;
	return hdr.len;
}

int
imsg_compose(struct imsgbuf *ibuf, uint32_t type, uint32_t peerid, pid_t pid,
    int fd, const void *data, size_t datalen)
{
	struct imsg_wbuf	*wb;
	struct imsg_hdr		 hdr;
	size_t			 len = IMSG_HEADER_SIZE + datalen;

	if (len > ibuf->maxsize || (datalen > 0 && data == NULL)) {
		errno = ERANGE;
		return -1;
	}
	if (fd != -1 && !ibuf->allow_fdpass) {
		errno = EINVAL;
		return -1;
	}
	if ((wb = calloc(1, sizeof(*wb))) == NULL)
		return -1;
	if ((wb->buf = malloc(len)) == NULL) {
		free(wb);
		return -1;
	}
	memset(&hdr, 0, sizeof(hdr));
	hdr.type = type;
	hdr.len = len;
	hdr.flags = fd != -1 ? IMSG_F_HASFD : 0;
	hdr.peerid = peerid;
	hdr.pid = pid == 0 ? ibuf->pid : pid;
	memcpy(wb->buf, &hdr, sizeof(hdr));
	if (datalen > 0)
		memcpy(wb->buf + IMSG_HEADER_SIZE, data, datalen);
	wb->len = len;
	wb->fd = fd;
	TAILQ_INSERT_TAIL(&ibuf->wq, wb, entry);
	ibuf->wqlen++;
	return 1;
}

/*
 * Writes as much of the queue as the socket takes.  A buffer carrying
 * an fd is sent on its own so the fd travels with its first byte.
 * Returns 0 (EAGAIN included), -1 on error (EPIPE: peer gone).
 */
int
imsgbuf_write(struct imsgbuf *ibuf)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(sizeof(int))];
	} cmsgbuf;
	struct iovec		 iov[IMSG_WRITEV_MAX];
	struct msghdr		 msg;
	struct cmsghdr		*cmsg;
	struct imsg_wbuf	*wb, *next;
	ssize_t			 n;
	int			 i, sendfd = -1;

	while (!TAILQ_EMPTY(&ibuf->wq)) {
		memset(&msg, 0, sizeof(msg));
		i = 0;
		TAILQ_FOREACH(wb, &ibuf->wq, entry) {
			if (i == IMSG_WRITEV_MAX)
				break;
			if (wb->fd != -1 && wb->off == 0) {
				if (i > 0)
					break;
				sendfd = wb->fd;
			}
			iov[i].iov_base = wb->buf + wb->off;
			iov[i].iov_len = wb->len - wb->off;
			i++;
			if (sendfd != -1)
				break;
		}
		msg.msg_iov = iov;
		msg.msg_iovlen = i;
		if (sendfd != -1) {
			memset(&cmsgbuf, 0, sizeof(cmsgbuf));
			msg.msg_control = &cmsgbuf.buf;
			msg.msg_controllen = sizeof(cmsgbuf.buf);
			cmsg = CMSG_FIRSTHDR(&msg);
			cmsg->cmsg_len = CMSG_LEN(sizeof(int));
			cmsg->cmsg_level = SOL_SOCKET;
			cmsg->cmsg_type = SCM_RIGHTS;
			memcpy(CMSG_DATA(cmsg), &sendfd, sizeof(int));
		}
		do {
			n = sendmsg(ibuf->fd, &msg, MSG_NOSIGNAL);
		} while (n == -1 && errno == EINTR);
		if (n == -1)
			return (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == ENOBUFS) ? 0 : -1;

		for (wb = TAILQ_FIRST(&ibuf->wq); wb != NULL && n >= 0;
		    wb = next) {
			next = TAILQ_NEXT(wb, entry);
			if (wb->fd != -1 && (size_t)n > 0 && wb->fd == sendfd) {
				/* The kernel holds its own reference now. */
				close(wb->fd);
				wb->fd = -1;
				sendfd = -1;
			}
			if ((size_t)n < wb->len - wb->off) {
				wb->off += n;
				break;
			}
			n -= wb->len - wb->off;
			TAILQ_REMOVE(&ibuf->wq, wb, entry);
			ibuf->wqlen--;
			freezero(wb->buf, wb->len);
			free(wb);
			if (n == 0)
				break;
		}
		sendfd = -1;
	}
	return 0;
}

/* Blocking write of the whole queue, for setup and shutdown paths. */
int
imsgbuf_flush(struct imsgbuf *ibuf)
{
	while (!TAILQ_EMPTY(&ibuf->wq)) {
		if (imsgbuf_write(ibuf) == -1)
			return -1;
	}
	return 0;
}

int
imsg_get_data(struct imsg *imsg, void *data, size_t len)
{
	if (len == 0 || imsg->hdr.len - IMSG_HEADER_SIZE != len) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(data, imsg->data, len);
	return 0;
}

size_t
imsg_get_len(struct imsg *imsg)
{
	return imsg->hdr.len - IMSG_HEADER_SIZE;
}

int
imsg_get_fd(struct imsg *imsg)
{
	int	 fd = imsg->fd;

	imsg->fd = -1;
	return fd;
}

uint32_t
imsg_get_type(struct imsg *imsg)
{
	return imsg->hdr.type;
}

uint32_t
imsg_get_id(struct imsg *imsg)
{
	return imsg->hdr.peerid;
}

pid_t
imsg_get_pid(struct imsg *imsg)
{
	return imsg->hdr.pid;
}

void
imsg_free(struct imsg *imsg)
{
	if (imsg->data != NULL)
		freezero(imsg->data, imsg->hdr.len - IMSG_HEADER_SIZE);
	imsg->data = NULL;
	if (imsg->fd != -1)
		close(imsg->fd);
	imsg->fd = -1;
}
