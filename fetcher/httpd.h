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

#ifndef MOENET_HTTPD_H
#define MOENET_HTTPD_H

/*
 * The local HTTP API, served by the fetcher on listening sockets the
 * parent binds.  The fetcher parses requests (it faces the network, the
 * parent never does); for a document it asks the parent, which renders
 * it then and sends it down whole as a snapshot, or says that the
 * fetcher's last one is still current; clients that ask meanwhile wait
 * for the same answer, at most HTTPD_DOC_TIMEOUT seconds (then 503).
 * An authorized POST travels up as one IMSG_HTTP_ACTION and is answered
 * from the parent's IMSG_HTTP_RESULT.
 *
 *	P -> F	IMSG_HTTP_TOKENS	httpd_tokens_msg (secret, wiped)
 *	P -> F	IMSG_HTTP_LISTEN	httpd_listen_msg + listening fd
 *	F -> P	IMSG_HTTP_DOC_GET	peerid = doc, uint32_t doc
 *	P -> F	IMSG_HTTP_SNAPSHOT	peerid = doc, a chunk of its bytes
 *	P -> F	IMSG_HTTP_SNAPSHOT_END	peerid = doc, httpd_snap_end_msg
 *	P -> F	IMSG_HTTP_DOC_SAME	peerid = doc, uint32_t doc
 *	F -> P	IMSG_HTTP_ACTION	peerid = request id, httpd_action_msg
 *	P -> F	IMSG_HTTP_RESULT	peerid = request id, httpd_result_msg
 *
 * The bot's requests whose answer the parent builds on demand (BIRD,
 * probes, one session) travel up checked and reduced to one argument,
 * and come back as a whole JSON document:
 *
 *	F -> P	IMSG_HTTP_REQUEST	peerid = request id, httpd_request_msg
 *	P -> F	IMSG_HTTP_REPLY		peerid = request id, a chunk of the body
 *	P -> F	IMSG_HTTP_REPLY_END	peerid = request id, httpd_reply_end_msg
 */

#include <sys/types.h>

#include <stdint.h>

#define HTTPD_TOKEN_LEN		512
#define HTTPD_ADDR_LEN		64
#define HTTPD_MESSAGE_LEN	256
#define HTTPD_CHUNK		32768		/* snapshot bytes per imsg */
#define HTTPD_DOC_SIZE_MAX	(16 * 1024 * 1024)
#define HTTPD_LISTEN_MAX	8
#define HTTPD_ARG_LEN		128	/* a request's one checked argument */
#define HTTPD_REPLY_MAX		(256 * 1024)	/* a forwarded answer's body */

enum httpd_doc {
	HTTPD_DOC_STATUS,
	HTTPD_DOC_SESSIONS,
	HTTPD_DOC_METRICS,
	HTTPD_DOC_HEALTHZ,
	HTTPD_DOC_MAINT,
	HTTPD_DOC_HEALTH,
	HTTPD_DOC_MAX
};

enum httpd_ctype {
	HTTPD_CT_JSON,
	HTTPD_CT_TEXT,
	HTTPD_CT_PROMETHEUS,
	HTTPD_CT_MAX
};

enum httpd_action {
	HTTPD_ACT_SYNC,
	HTTPD_ACT_MAINT_START,
	HTTPD_ACT_MAINT_STOP,
	HTTPD_ACT_MAX
};

/*
 * The bot's requests.  arg is NUL-terminated and already checked by
 * the fetcher: a session name ([A-Za-z0-9_.-]), a canonical address or
 * prefix, or an ASN in decimal; empty for COMMUNITY.
 */
enum httpd_req {
	HTTPD_REQ_NONE,
	HTTPD_REQ_RESTART,	/* session name, interface or uuid */
	HTTPD_REQ_PEER,		/* the same */
	HTTPD_REQ_ROUTE,	/* address or prefix */
	HTTPD_REQ_PATH,		/* address or prefix */
	HTTPD_REQ_COMMUNITY,	/* none */
	HTTPD_REQ_PROBE_NOW,	/* ASN */
	HTTPD_REQ_PROBE_STATS,	/* ASN */
	HTTPD_REQ_MAX
};

struct httpd_request_msg {
	uint32_t	req;		/* enum httpd_req */
	uint32_t	pad;
	char		peer[HTTPD_ADDR_LEN];	/* who asked, for the log */
	char		arg[HTTPD_ARG_LEN];
};

struct httpd_reply_end_msg {
	uint32_t	status;		/* HTTP status, 200..599 */
	uint32_t	len;		/* body bytes in the chunks before */
};

/* Both empty-or-NUL-terminated; "" means not configured. */
struct httpd_tokens_msg {
	char		local[HTTPD_TOKEN_LEN];		/* server.token */
	char		agent[HTTPD_TOKEN_LEN];		/* the CP's agent key */
};

struct httpd_listen_msg {
	uint32_t	loopback;	/* bound to a loopback address only */
	uint32_t	pad;
	char		addr[HTTPD_ADDR_LEN];	/* for log lines */
};

struct httpd_snap_end_msg {
	uint32_t	doc;		/* enum httpd_doc, as the peerid */
	uint32_t	status;		/* HTTP status to answer with */
	uint32_t	ctype;		/* enum httpd_ctype */
	uint32_t	len;		/* bytes in the chunks before */
};

struct httpd_action_msg {
	uint32_t	action;		/* enum httpd_action */
	uint32_t	pad;
	char		peer[HTTPD_ADDR_LEN];	/* who asked, for the log */
};

struct httpd_result_msg {
	uint32_t	status;		/* HTTP status, 200..599 */
	uint32_t	pad;
	char		message[HTTPD_MESSAGE_LEN];
};

struct imsgev;
struct imsg;

void	httpd_init(struct imsgev *);
void	httpd_dispatch(struct imsg *);
void	httpd_clear_secrets(void);

#endif /* MOENET_HTTPD_H */
