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
 * One DNS query over UDP to the configured resolver: a connected socket
 * (the kernel drops datagrams from anyone else), a random id, the
 * question checked in the reply, one resend halfway, a deadline.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "diagjob.h"

static void	dnsq_send(struct dnsq *);
static void	dnsq_read(int, short, void *);
static void	dnsq_timeout(int, short, void *);
static void	dnsq_end(struct dnsq *, const struct dns_msg *, const char *,
		    size_t);

int
dnsq_start(struct dnsq *q, const struct sockaddr *sa, socklen_t salen,
    const char *name, uint16_t qtype, int timeout_ms, dnsq_cb cb, void *arg)
{
	struct timeval	 tv;
	ssize_t		 n;

	memset(q, 0, sizeof(*q));
	q->fd = -1;
	q->cb = cb;
	q->arg = arg;
	q->qtype = qtype;
	q->id = arc4random_uniform(UINT16_MAX + 1);
	if (strlcpy(q->name, name, sizeof(q->name)) >= sizeof(q->name) ||
	    (n = dns_encode_query(q->pkt, sizeof(q->pkt), q->id, name,
	    qtype)) == -1) {
		errno = EINVAL;
		return -1;
	}
	q->pktlen = n;
	if ((q->fd = socket(sa->sa_family, SOCK_DGRAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(q->fd, sa, salen) == -1) {
		close(q->fd);
		q->fd = -1;
		return -1;
	}
	q->active = 1;
	q->left_ms = timeout_ms;
	event_set(&q->ev, q->fd, EV_READ | EV_PERSIST, dnsq_read, q);
	event_add(&q->ev, NULL);
	evtimer_set(&q->ev_tmo, dnsq_timeout, q);
	/* Half the time for the first try, the rest for the resend. */
	tv.tv_sec = timeout_ms / 2 / 1000;
	tv.tv_usec = (timeout_ms / 2 % 1000) * 1000;
	evtimer_add(&q->ev_tmo, &tv);
	clock_gettime(CLOCK_MONOTONIC, &q->sent);
	dnsq_send(q);
	return 0;
}

void
dnsq_stop(struct dnsq *q)
{
	if (!q->active)
		return;
	q->active = 0;
	event_del(&q->ev);
	evtimer_del(&q->ev_tmo);
	close(q->fd);
	q->fd = -1;
}

static void
dnsq_send(struct dnsq *q)
{
	q->tries++;
	/* A datagram that cannot leave now is as lost as one dropped. */
	if (send(q->fd, q->pkt, q->pktlen, 0) == -1)
		log_debug("dig: send to the resolver: %s", strerror(errno));
}

static void
dnsq_timeout(int fd, short event, void *arg)
{
	struct dnsq	*q = arg;
	struct timeval	 tv;
	int		 rest;

	if (q->tries < 2) {
		rest = q->left_ms - q->left_ms / 2;
		tv.tv_sec = rest / 1000;
		tv.tv_usec = (rest % 1000) * 1000;
		evtimer_add(&q->ev_tmo, &tv);
		dnsq_send(q);
		return;
	}
	dnsq_end(q, NULL, "timed out: no answer from the resolver", 0);
}

static void
dnsq_read(int fd, short event, void *arg)
{
	struct dnsq	*q = arg;
	struct dns_msg	*m;
	uint8_t		 buf[DNS_UDP_MAX + 1];
	char		 err[128];
	ssize_t		 n;

	for (;;) {
		if ((n = recv(fd, buf, sizeof(buf), 0)) == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			/* ICMP port unreachable from the resolver. */
			if (errno == ECONNREFUSED) {
				dnsq_end(q, NULL, "connection refused by the "
				    "resolver", 0);
				return;
			}
			log_debug("dig: receive: %s", strerror(errno));
			return;
		}
		if ((m = malloc(sizeof(*m))) == NULL) {
			dnsq_end(q, NULL, "out of memory", 0);
			return;
		}
		if (dns_parse(buf, n, m, err, sizeof(err)) == -1) {
			log_debug("dig: reply refused: %s", err);
			free(m);
			continue;
		}
		/* Someone else's answer, or not to our question: wait on. */
		if (m->id != q->id || !(m->flags & DNS_F_QR) ||
		    m->qdcount != 1 || m->qtype != q->qtype ||
		    !dns_name_equal(m->qname, q->name)) {
			log_debug("dig: reply not to our question, ignored");
			free(m);
			continue;
		}
		q->us = diag_elapsed_us(&q->sent);
		dnsq_end(q, m, NULL, n);
		free(m);
		return;
	}
}

static void
dnsq_end(struct dnsq *q, const struct dns_msg *m, const char *err,
    size_t len)
{
	dnsq_stop(q);
	q->cb(q, m, err, len);
}
