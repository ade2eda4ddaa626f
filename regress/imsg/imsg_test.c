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

/* The imsg library against a real socketpair, one hostile case a test. */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "imsg.h"
#include "regress.h"

static int	 sv[2];

static void
xwrite(int fd, const void *buf, size_t len)
{
	if (write(fd, buf, len) != (ssize_t)len) {
		perror("write");
		exit(1);
	}
}

static void
xpipe(int p[2])
{
	if (pipe(p) == -1) {
		perror("pipe");
		exit(1);
	}
}

static void
pair(void)
{
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1) {
		perror("socketpair");
		exit(1);
	}
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
}

static void
unpair(void)
{
	close(sv[0]);
	close(sv[1]);
}

/* A message written one byte at a time arrives whole, once. */
static void
test_byte_reads(void)
{
	struct imsgbuf	 w, r;
	struct imsg	 imsg;
	unsigned char	 raw[IMSG_HEADER_SIZE + 300], payload[300];
	ssize_t		 n = 0;
	size_t		 i;
	int		 early = 0;

	pair();
	imsgbuf_init(&w, -1);
	imsgbuf_init(&r, sv[1]);
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = i * 7;
	/* Compose into a buffer, then dribble it out byte by byte. */
	{
		int	 tmp[2];

		socketpair(AF_UNIX, SOCK_STREAM, 0, tmp);
		w.fd = tmp[0];
		imsg_compose(&w, 42, 7, 99, -1, payload, sizeof(payload));
		imsgbuf_flush(&w);
		if (read(tmp[1], raw, sizeof(raw)) != (ssize_t)sizeof(raw))
			REGRESS_FAIL("imsg_byte_reads", "short compose");
		close(tmp[0]);
		close(tmp[1]);
	}
	for (i = 0; i < sizeof(raw); i++) {
		if (write(sv[0], raw + i, 1) != 1)
			break;
		if (imsgbuf_read(&r) != 1)
			break;
		n = imsg_get(&r, &imsg);
		if (n != 0 && i + 1 < sizeof(raw))
			early = 1;
	}
	REGRESS_CHECK("imsg_byte_reads_not_early", !early);
	REGRESS_CHECK("imsg_byte_reads_whole", n == (ssize_t)sizeof(raw) &&
	    imsg_get_type(&imsg) == 42 && imsg_get_id(&imsg) == 7 &&
	    imsg_get_pid(&imsg) == 99 &&
	    imsg_get_data(&imsg, payload, sizeof(payload)) == 0 &&
	    payload[299] == (unsigned char)(299 * 7));
	imsg_free(&imsg);
	REGRESS_CHECK("imsg_byte_reads_drained", imsg_get(&r, &imsg) == 0);
	imsgbuf_clear(&r);
	imsgbuf_clear(&w);
	unpair();
}

/* A big queue through a tiny socket buffer: partial writes resume. */
static void
test_partial_writes(void)
{
	struct imsgbuf	 w, r;
	struct imsg	 imsg;
	unsigned char	 payload[8000];
	int		 small = 1024, i, got = 0, ok = 1, rounds = 0;
	ssize_t		 n;

	pair();
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	imsgbuf_init(&w, sv[0]);
	imsgbuf_init(&r, sv[1]);
	imsgbuf_set_maxsize(&w, 16384);
	imsgbuf_set_maxsize(&r, 16384);
	for (i = 0; i < 20; i++) {
		memset(payload, i, sizeof(payload));
		imsg_compose(&w, 1, i, 0, -1, payload, sizeof(payload));
	}
	while (got < 20 && rounds++ < 100000) {
		if (imsgbuf_write(&w) == -1) {
			ok = 0;
			break;
		}
		if (imsgbuf_read(&r) == -1) {
			ok = 0;
			break;
		}
		while ((n = imsg_get(&r, &imsg)) > 0) {
			if (imsg_get_id(&imsg) != (uint32_t)got ||
			    imsg_get_len(&imsg) != sizeof(payload) ||
			    ((unsigned char *)imsg.data)[4000] != got)
				ok = 0;
			got++;
			imsg_free(&imsg);
		}
	}
	REGRESS_CHECK("imsg_partial_writes", ok && got == 20 &&
	    imsgbuf_queuelen(&w) == 0);
	imsgbuf_clear(&w);
	imsgbuf_clear(&r);
	unpair();
}

static void
test_maxsize(void)
{
	struct imsgbuf	 w;
	char		 big[2000];

	pair();
	imsgbuf_init(&w, sv[0]);
	imsgbuf_set_maxsize(&w, 1024);
	memset(big, 'x', sizeof(big));
	REGRESS_CHECK("imsg_compose_over_max",
	    imsg_compose(&w, 1, 0, 0, -1, big, sizeof(big)) == -1);
	REGRESS_CHECK("imsg_compose_at_max", imsg_compose(&w, 1, 0, 0, -1,
	    big, 1024 - IMSG_HEADER_SIZE) == 1);
	REGRESS_CHECK("imsg_maxsize_limit",
	    imsgbuf_set_maxsize(&w, 70000) == -1);
	imsgbuf_clear(&w);
	unpair();
}

/* Headers that lie about the length break the framing on purpose. */
static void
test_lying_header(void)
{
	struct imsgbuf	 r;
	struct imsg	 imsg;
	struct imsg_hdr	 h;

	pair();
	imsgbuf_init(&r, sv[1]);
	imsgbuf_set_maxsize(&r, 1024);
	memset(&h, 0, sizeof(h));
	h.type = 1;
	h.len = 4;		/* shorter than the header itself */
	xwrite(sv[0], &h, sizeof(h));
	imsgbuf_read(&r);
	REGRESS_CHECK("imsg_header_len_too_small", imsg_get(&r, &imsg) == -1);
	imsgbuf_clear(&r);
	unpair();

	pair();
	imsgbuf_init(&r, sv[1]);
	imsgbuf_set_maxsize(&r, 1024);
	h.len = 5000;		/* more than this buffer accepts */
	xwrite(sv[0], &h, sizeof(h));
	imsgbuf_read(&r);
	REGRESS_CHECK("imsg_header_len_over_max", imsg_get(&r, &imsg) == -1 &&
	    errno == ERANGE);
	imsgbuf_clear(&r);
	unpair();

	pair();
	imsgbuf_init(&r, sv[1]);
	h.len = 100;		/* promises 84 bytes, sends 4, then EOF */
	xwrite(sv[0], &h, sizeof(h));
	xwrite(sv[0], "abcd", 4);
	close(sv[0]);
	imsgbuf_read(&r);
	REGRESS_CHECK("imsg_truncated_waits", imsg_get(&r, &imsg) == 0);
	REGRESS_CHECK("imsg_truncated_eof", imsgbuf_read(&r) == 0);
	imsgbuf_clear(&r);
	close(sv[1]);

	pair();
	imsgbuf_init(&r, sv[1]);
	imsgbuf_allow_fdpass(&r);
	memset(&h, 0, sizeof(h));
	h.len = IMSG_HEADER_SIZE;
	h.flags = 0x0001;	/* claims an fd that never came */
	xwrite(sv[0], &h, sizeof(h));
	imsgbuf_read(&r);
	REGRESS_CHECK("imsg_claimed_fd_missing", imsg_get(&r, &imsg) == -1);
	imsgbuf_clear(&r);
	unpair();

	pair();
	imsgbuf_init(&r, sv[1]);
	h.flags = 0x8000;	/* unknown flag */
	xwrite(sv[0], &h, sizeof(h));
	imsgbuf_read(&r);
	REGRESS_CHECK("imsg_unknown_flag", imsg_get(&r, &imsg) == -1);
	imsgbuf_clear(&r);
	unpair();
}

static void
test_exact_size(void)
{
	struct imsgbuf	 w, r;
	struct imsg	 imsg;
	uint32_t	 v = 0xdeadbeef, out32;
	uint64_t	 out64;

	pair();
	imsgbuf_init(&w, sv[0]);
	imsgbuf_init(&r, sv[1]);
	imsg_compose(&w, 5, 0, 0, -1, &v, sizeof(v));
	imsg_compose(&w, 6, 0, 0, -1, NULL, 0);
	imsgbuf_flush(&w);
	imsgbuf_read(&r);
	imsg_get(&r, &imsg);
	REGRESS_CHECK("imsg_get_data_bigger_refused",
	    imsg_get_data(&imsg, &out64, sizeof(out64)) == -1);
	REGRESS_CHECK("imsg_get_data_smaller_refused",
	    imsg_get_data(&imsg, &out32, 2) == -1);
	REGRESS_CHECK("imsg_get_data_exact", imsg_get_data(&imsg, &out32,
	    sizeof(out32)) == 0 && out32 == v);
	imsg_free(&imsg);
	imsg_get(&r, &imsg);
	REGRESS_CHECK("imsg_empty_payload", imsg_get_len(&imsg) == 0 &&
	    imsg_get_data(&imsg, &out32, sizeof(out32)) == -1);
	imsg_free(&imsg);
	imsgbuf_clear(&w);
	imsgbuf_clear(&r);
	unpair();
}

static void
test_fd_passing(void)
{
	struct imsgbuf	 w, r;
	struct imsg	 imsg;
	int		 p[2], fd;
	char		 buf[8] = "";

	pair();
	xpipe(p);
	imsgbuf_init(&w, sv[0]);
	imsgbuf_init(&r, sv[1]);
	REGRESS_CHECK("imsg_fd_needs_optin",
	    imsg_compose(&w, 9, 0, 0, p[1], "x", 1) == -1);
	imsgbuf_allow_fdpass(&w);
	imsgbuf_allow_fdpass(&r);
	imsg_compose(&w, 8, 0, 0, -1, "a", 1);
	imsg_compose(&w, 9, 0, 0, p[1], "b", 1);
	imsg_compose(&w, 10, 0, 0, -1, "c", 1);
	imsgbuf_flush(&w);
	while (imsgbuf_read(&r) == 1 && r.rlen < 3 * (IMSG_HEADER_SIZE + 1))
		;
	imsg_get(&r, &imsg);
	REGRESS_CHECK("imsg_fd_not_on_other", imsg_get_fd(&imsg) == -1);
	imsg_free(&imsg);
	imsg_get(&r, &imsg);
	fd = imsg_get_fd(&imsg);
	imsg_free(&imsg);
	REGRESS_CHECK("imsg_fd_received", fd != -1 &&
	    write(fd, "hi", 2) == 2 && read(p[0], buf, 2) == 2 &&
	    memcmp(buf, "hi", 2) == 0);
	close(fd);
	imsg_get(&r, &imsg);
	REGRESS_CHECK("imsg_fd_order_kept", imsg_get_type(&imsg) == 10 &&
	    imsg_get_fd(&imsg) == -1);
	imsg_free(&imsg);
	imsgbuf_clear(&w);
	imsgbuf_clear(&r);
	unpair();

	/* A receiver that did not opt in refuses passed fds. */
	pair();
	xpipe(p);
	imsgbuf_init(&w, sv[0]);
	imsgbuf_init(&r, sv[1]);
	imsgbuf_allow_fdpass(&w);
	imsg_compose(&w, 9, 0, 0, p[1], "b", 1);
	imsgbuf_flush(&w);
	REGRESS_CHECK("imsg_fd_refused_without_optin",
	    imsgbuf_read(&r) == -1 && errno == EBADMSG);
	imsgbuf_clear(&w);
	imsgbuf_clear(&r);
	close(p[0]);
	unpair();
}

int
main(void)
{
	test_byte_reads();
	test_partial_writes();
	test_maxsize();
	test_lying_header();
	test_exact_size();
	test_fd_passing();
	REGRESS_EXIT();
}
