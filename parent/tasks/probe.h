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

#ifndef MOENET_PROBE_H
#define MOENET_PROBE_H

/*
 * Latency probes per peer ASN, as the control plane's bot shows them
 * (/probe/now, /probe/stats): every result of the rtt task's rounds,
 * and probes on demand, kept per ASN with an EWMA of the RTT and the
 * DN42 latency tier.
 */

#include <stdint.h>
#include <time.h>

#define PROBE_HISTORY		100	/* results kept per ASN */
#define PROBE_SHOWN		10	/* results /probe/stats shows */
#define PROBE_EWMA_ALPHA	0.3
#define PROBE_NOW_COUNT		5	/* echo requests of a probe now */
#define PROBE_NOW_TIMEOUT	5	/* seconds each may take, at most */
#define PROBE_TARGET_LEN	96
#define PROBE_ERROR_LEN		128

struct probe_result {
	char		target[PROBE_TARGET_LEN];
	uint32_t	asn;
	int		success;
	double		rtt_ms;		/* 0 when failed */
	int		tier;		/* 0..8; 8 when failed */
	time_t		timestamp;
	char		error[PROBE_ERROR_LEN];	/* "" on success */
};

struct jw;
struct rtt_done_msg;

typedef void	(*probe_cb)(const struct probe_result *, void *);

int	probe_tier(double);
void	probe_init(void);
int	probe_now(uint32_t, probe_cb, void *);
void	probe_json_result(struct jw *, const struct probe_result *);
int	probe_json_stats(struct jw *, uint32_t);
int	probe_known(uint32_t);

#endif /* MOENET_PROBE_H */
