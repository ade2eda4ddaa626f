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

#ifndef MOENET_IMSG_H
#define MOENET_IMSG_H

/*
 * A small imsg implementation with the OpenBSD wire layout: a 16-byte
 * header (type, len, flags, peerid, pid) followed by the payload.
 * Written for this project; API shape follows OpenBSD's imsg_init(3).
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

#define IMSG_HEADER_SIZE	sizeof(struct imsg_hdr)
#define IMSG_MAXSIZE_DEFAULT	16384
#define IMSG_MAXSIZE_LIMIT	65535	/* len is 16 bits on the wire */
#define IMSG_FDS_MAX		16	/* fds queued before the imsg */

#define IMSG_F_HASFD		0x0001

struct imsg_hdr {
	uint32_t	type;
	uint16_t	len;		/* header + payload */
	uint16_t	flags;
	uint32_t	peerid;
	uint32_t	pid;
};

struct imsg_wbuf {
	TAILQ_ENTRY(imsg_wbuf)	 entry;
	unsigned char		*buf;
	size_t			 len;
	size_t			 off;
	int			 fd;
};

struct imsgbuf {
	TAILQ_HEAD(, imsg_wbuf)	 wq;
	unsigned char		*rbuf;
	size_t			 rlen;
	size_t			 rsize;
	size_t			 maxsize;
	size_t			 wqlen;
	int			 fds[IMSG_FDS_MAX];
	int			 nfds;
	int			 fd;
	int			 allow_fdpass;
	pid_t			 pid;
};

struct imsg {
	struct imsg_hdr	 hdr;
	void		*data;
	int		 fd;
};

int	 imsgbuf_init(struct imsgbuf *, int);
void	 imsgbuf_allow_fdpass(struct imsgbuf *);
int	 imsgbuf_set_maxsize(struct imsgbuf *, size_t);
void	 imsgbuf_clear(struct imsgbuf *);
int	 imsgbuf_read(struct imsgbuf *);
int	 imsgbuf_write(struct imsgbuf *);
int	 imsgbuf_flush(struct imsgbuf *);
size_t	 imsgbuf_queuelen(struct imsgbuf *);
ssize_t	 imsg_get(struct imsgbuf *, struct imsg *);
int	 imsg_compose(struct imsgbuf *, uint32_t, uint32_t, pid_t, int,
	    const void *, size_t);
int	 imsg_get_data(struct imsg *, void *, size_t);
size_t	 imsg_get_len(struct imsg *);
int	 imsg_get_fd(struct imsg *);
uint32_t imsg_get_type(struct imsg *);
uint32_t imsg_get_id(struct imsg *);
pid_t	 imsg_get_pid(struct imsg *);
void	 imsg_free(struct imsg *);

#endif /* MOENET_IMSG_H */
