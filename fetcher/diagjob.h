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

#ifndef MOENET_FETCHER_DIAGJOB_H
#define MOENET_FETCHER_DIAGJOB_H

/* One run of a tool, shared by fetcher/diag*.c only. */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <event.h>
#include <stdint.h>
#include <time.h>

#include "diag.h"
#include "diagout.h"
#include "dns.h"
#include "target.h"

#define DIAG_PING_COUNT		4
#define DIAG_PROBES_MAX		32	/* ping count max 10, trace 30 hops */
#define DIAG_TRACE_HOPS		30
#define DIAG_RESOLVE_MS		3000
#define DIAG_DIG_MS		5000
#define DIAG_TCP_ATTEMPTS	4
#define DIAG_TCP_TIMEOUT_MS	3000
#define DIAG_ADDR_LEN		64

struct diag_job;
struct dnsq;

typedef void	(*dnsq_cb)(struct dnsq *, const struct dns_msg *, const char *,
		    size_t);

/* One DNS query over UDP, resent once, with its own deadline. */
struct dnsq {
	int			 fd;
	struct event		 ev;
	struct event		 ev_tmo;
	uint8_t			 pkt[DNS_QUERY_MAX];
	size_t			 pktlen;
	uint16_t		 id;
	uint16_t		 qtype;
	char			 name[TARGET_CANON_LEN];
	int			 tries;
	int			 active;
	int			 left_ms;
	struct timespec		 sent;
	int64_t			 us;		/* query time */
	dnsq_cb			 cb;
	void			*arg;
};

struct diag_probe {
	struct timespec		 sent;
	int64_t			 us;		/* -1: no answer */
	char			 from[DIAG_ADDR_LEN];
	char			 note[16];	/* !H, !N, ... or "" */
	int			 ttl;		/* of the reply; -1: unknown */
};

struct diag_job {
	TAILQ_ENTRY(diag_job)	 entry;
	enum diag_tool		 tool;
	uint32_t		 id;
	diag_cb			 cb;
	struct target		 t;
	void			 (*finish)(struct diag_job *);

	/* where it goes */
	struct sockaddr_storage	 sa;
	socklen_t		 salen;
	char			 addr[DIAG_ADDR_LEN];
	uint16_t		 port;

	struct diag_out		 out;
	struct timespec		 started;
	struct event		 ev_deadline;
	struct event		 ev_step;
	struct event		 ev_io;
	int			 fd;
	int			 io_set;

	/* name lookups, and dig */
	struct dnsq		 q4, q6;
	int			 nq;
	int			 have4;
	int			 have6;
	char			 qerr[128];
	uint16_t		 qtype;
	char			 qname[TARGET_CANON_LEN];

	/* ping, trace, tcping */
	int			 count;
	int			 nsent;
	int			 nrecv;
	int			 dest_hop;	/* trace: 0 until reached */
	int			 sweep_done;
	struct diag_probe	 p[DIAG_PROBES_MAX + 1];
};

void	diag_done(struct diag_job *);
void	diag_io(struct diag_job *, int, short, void (*)(int, short, void *));
void	diag_io_close(struct diag_job *);
void	diag_timer(struct diag_job *, int, void (*)(int, short, void *));
int64_t	diag_elapsed_us(const struct timespec *);
void	diag_fmt_ms(char *, size_t, int64_t);
void	diag_out_minavgmax(struct diag_job *, const char *);

void	diag_ping_start(struct diag_job *);
void	diag_trace_start(struct diag_job *);
void	diag_tcping_start(struct diag_job *);

int	dnsq_start(struct dnsq *, const struct sockaddr *, socklen_t,
	    const char *, uint16_t, int, dnsq_cb, void *);
void	dnsq_stop(struct dnsq *);

#endif /* MOENET_FETCHER_DIAGJOB_H */
