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

#ifndef MOENET_CPCTL_H
#define MOENET_CPCTL_H

/*
 * How the parent drives the fetcher: its settings, the calls, and the
 * one IMSG_CP_RESULT that ends every call.  Every message of a call
 * carries the parent's request id in the imsg peerid.
 */

#include <sys/types.h>

#include <stdint.h>

#define CP_URL_LEN		512
#define CP_TOKEN_LEN		512
#define CP_CA_CHUNK		8192
#define CP_CA_MAX		(1024 * 1024)
#define CP_MESSAGE_LEN		256

enum cp_endpoint {
	CP_EP_CONFIG,
	CP_EP_SESSIONS,
	CP_EP_MODIFY,
	CP_EP_HEARTBEAT,
	CP_EP_REPORT,
	CP_EP_MESH,
	CP_EP_MESH_STATUS,
	CP_EP_RTT,
	CP_EP_POLICY,
	CP_EP_MAX
};

/* The outcome classes counted for metrics. */
enum cp_result {
	CP_RES_OK,
	CP_RES_HTTP_4XX,
	CP_RES_HTTP_5XX,
	CP_RES_TIMEOUT,
	CP_RES_TLS,
	CP_RES_NETWORK,
	CP_RES_PARSE,
	CP_RES_BREAKER_OPEN,
	CP_RES_MAX
};

/* P -> F, IMSG_CP_CONF: everything but the secrets. */
struct cp_conf_msg {
	char		url[CP_URL_LEN];
	char		node[64];
	uint32_t	connect_timeout;	/* seconds */
	uint32_t	total_timeout;
	uint32_t	max_retries;
	uint32_t	retry_initial_ms;	/* doubled each retry */
	uint32_t	retry_cap_ms;
	uint32_t	breaker_threshold;	/* failed calls to open */
	uint32_t	breaker_cooldown;	/* seconds */
	uint32_t	max_response;		/* bytes */
	uint32_t	allow_plain_loopback;
	uint32_t	has_ca;			/* CA chunks follow */
};

/* P -> F, IMSG_CP_TOKEN: wiped on both sides after use. */
struct cp_token_msg {
	char		token[CP_TOKEN_LEN];
};

/* F -> P, IMSG_CP_RESULT: the end of every call. */
struct cp_result_msg {
	uint32_t	endpoint;		/* enum cp_endpoint */
	uint32_t	result;			/* enum cp_result */
	int32_t		http_status;		/* 0: no HTTP answer */
	uint32_t	attempts;
	uint32_t	count;			/* records sent before this */
	uint32_t	breaker;		/* enum breaker_state */
	char		message[CP_MESSAGE_LEN];
};

/* F -> P, IMSG_CP_BREAKER */
struct cp_breaker_msg {
	uint32_t	state;			/* enum breaker_state */
	uint32_t	failures;
};

const char	*cp_endpoint_name(enum cp_endpoint);
const char	*cp_result_name(enum cp_result);

#endif /* MOENET_CPCTL_H */
