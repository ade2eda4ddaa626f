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
 * tcping: TCP connects to host:port, one after another, each timed from
 * connect() to the answer (SYN-ACK or reset) and closed at once.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "diagjob.h"

#define TCP_INTERVAL_MS		1000	/* start to start, at least */

static void	tcp_attempt(int, short, void *);
static void	tcp_event(int, short, void *);
static void	tcp_result(struct diag_job *, int);
static void	tcp_finish(struct diag_job *);

void
diag_tcping_start(struct diag_job *j)
{
	j->finish = tcp_finish;
	j->count = DIAG_TCP_ATTEMPTS;
	if (j->sa.ss_family == AF_INET6)
		diag_out_printf(&j->out, "TCPING %s ([%s]:%u)\n",
		    j->t.host, j->addr, j->port);
	else
		diag_out_printf(&j->out, "TCPING %s (%s:%u)\n",
		    j->t.host, j->addr, j->port);
	tcp_attempt(-1, 0, j);
}

static void
tcp_attempt(int unused, short event, void *arg)
{
	struct diag_job	*j = arg;
	struct timeval	 tv = { DIAG_TCP_TIMEOUT_MS / 1000,
			    (DIAG_TCP_TIMEOUT_MS % 1000) * 1000 };
	int		 fd, seq;

	if (j->nsent >= j->count) {
		tcp_finish(j);
		return;
	}
	seq = ++j->nsent;
	clock_gettime(CLOCK_MONOTONIC, &j->p[seq].sent);
	j->p[seq].us = -1;
	if ((fd = socket(j->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1) {
		tcp_result(j, errno);
		return;
	}
	if (connect(fd, (struct sockaddr *)&j->sa, j->salen) == 0) {
		close(fd);
		tcp_result(j, 0);
		return;
	}
	if (errno != EINPROGRESS) {
		close(fd);
		tcp_result(j, errno);
		return;
	}
	diag_io(j, fd, EV_WRITE, tcp_event);
	/* The attempt's own timeout rides on the write event. */
	event_del(&j->ev_io);
	event_add(&j->ev_io, &tv);
}

static void
tcp_event(int fd, short event, void *arg)
{
	struct diag_job	*j = arg;
	socklen_t	 len = sizeof(int);
	int		 err = 0;

	if (event & EV_TIMEOUT)
		err = ETIMEDOUT;
	else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	j->io_set = 0;		/* a one-shot event: nothing to delete */
	diag_io_close(j);
	tcp_result(j, err);
}

/* One attempt is over: say so, and start the next in due time. */
static void
tcp_result(struct diag_job *j, int err)
{
	struct diag_probe	*p = &j->p[j->nsent];
	int64_t			 us = diag_elapsed_us(&p->sent), wait;
	char			 ms[32];

	if (err == 0) {
		p->us = us;
		j->nrecv++;
		diag_fmt_ms(ms, sizeof(ms), us);
		diag_out_printf(&j->out, "connected to %s port %u: seq=%d "
		    "time=%s ms\n", j->addr, j->port, j->nsent, ms);
	} else if (err == ETIMEDOUT)
		diag_out_printf(&j->out, "no answer from %s port %u: seq=%d "
		    "timeout after %d ms\n", j->addr, j->port, j->nsent,
		    DIAG_TCP_TIMEOUT_MS);
	else {
		diag_fmt_ms(ms, sizeof(ms), us);
		diag_out_printf(&j->out, "%s port %u: seq=%d %s "
		    "(time=%s ms)\n", j->addr, j->port, j->nsent,
		    err == ECONNREFUSED ? "connection refused" :
		    strerror(err), ms);
	}
	if (j->nsent >= j->count) {
		tcp_finish(j);
		return;
	}
	wait = TCP_INTERVAL_MS - us / 1000;
	diag_timer(j, wait > 0 ? (int)wait : 0, tcp_attempt);
}

static void
tcp_finish(struct diag_job *j)
{
	diag_out_printf(&j->out, "\n--- %s port %u tcping statistics ---\n"
	    "%d attempts, %d connected, %d%% failed\n",
	    j->t.host, j->port, j->nsent, j->nrecv,
	    j->nsent == 0 ? 100 : (j->nsent - j->nrecv) * 100 / j->nsent);
	diag_out_minavgmax(j, "connect");
	diag_done(j);
}
