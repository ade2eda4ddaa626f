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
 * One control-plane call from start to its IMSG_CP_RESULT: the request,
 * retries with backoff and jitter on network errors, 5xx and 429
 * (honouring Retry-After), none on other 4xx, the circuit breaker, and
 * the parsing of the reply into typed records sent to the parent.
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moenet.h"
#include "memtrim.h"
#include "imsgev.h"
#include "cp.h"
#include "cpctl.h"
#include "cpjson.h"
#include "http.h"
#include "breaker.h"
#include "cpcall.h"

#define RETRY_AFTER_MAX	300

struct cp_call {
	TAILQ_ENTRY(cp_call)	 entry;
	struct event		 ev_retry;
	struct http_req		*req;
	char			*body;		/* POST body, NULL for GET */
	size_t			 bodylen;
	enum cp_endpoint	 ep;
	uint32_t		 id;
	unsigned int		 attempts;
	uint32_t		 count;		/* records sent up */
};

static struct imsgev		*iev_parent;
static struct cp_conf_msg	 cpconf;
static struct breaker		 breaker;
static char			*ca_buf;
static size_t			 ca_len;
static int			 configured;
static TAILQ_HEAD(, cp_call)	 calls = TAILQ_HEAD_INITIALIZER(calls);

static void	cpcall_send(struct cp_call *);
static void	cpcall_done(struct http_req *, void *);
static void	cpcall_retry(int, short, void *);
static void	cpcall_finish(struct cp_call *, enum cp_result, long,
		    const char *);
static int	cpcall_records(struct cp_call *, const char *, size_t,
		    char *, size_t);
static void	cpcall_breaker_update(void);
static int	cpcall_url(enum cp_endpoint, char *, size_t);
static const char *cpcall_path(enum cp_endpoint, int *);

void
cpcall_init(struct imsgev *iev)
{
	iev_parent = iev;
	breaker_init(&breaker, 1, 60);
	if (http_init() == -1)
		fatalx("curl_multi_init failed");
}

int
cpcall_configure(const struct cp_conf_msg *c)
{
	struct http_settings	 hs;

	cpconf = *c;
	cpconf.url[sizeof(cpconf.url) - 1] = '\0';
	cpconf.node[sizeof(cpconf.node) - 1] = '\0';
	if (strncmp(cpconf.url, "https://", 8) != 0 &&
	    !(cpconf.allow_plain_loopback &&
	    http_url_is_loopback(cpconf.url)))
		return -1;
	if (cpconf.max_retries > 10 || cpconf.retry_initial_ms == 0 ||
	    cpconf.retry_cap_ms < cpconf.retry_initial_ms ||
	    cpconf.total_timeout == 0 || cpconf.max_response == 0 ||
	    cpconf.max_response > CP_DOC_MAX)
		return -1;
	memset(&hs, 0, sizeof(hs));
	hs.connect_timeout = cpconf.connect_timeout;
	hs.total_timeout = cpconf.total_timeout;
	hs.max_response = cpconf.max_response;
	hs.allow_plain_loopback = cpconf.allow_plain_loopback;
	http_settings(&hs);
	breaker_init(&breaker, cpconf.breaker_threshold,
	    cpconf.breaker_cooldown);
	freezero(ca_buf, ca_len);
	ca_buf = NULL;
	ca_len = 0;
	configured = !cpconf.has_ca;
	if (!cpconf.has_ca)
		http_set_ca(NULL, 0);
	return 0;
}

int
cpcall_set_token(const char *token)
{
	return http_set_token(token);
}

int
cpcall_add_ca(const void *data, size_t len)
{
	char	*p;

	if (ca_len + len > CP_CA_MAX)
		return -1;
	if ((p = realloc(ca_buf, ca_len + len)) == NULL)
		return -1;
	memcpy(p + ca_len, data, len);
	ca_buf = p;
	ca_len += len;
	return 0;
}

int
cpcall_ca_done(void)
{
	int	 rc;

	rc = http_set_ca(ca_buf, ca_len);
	freezero(ca_buf, ca_len);
	ca_buf = NULL;
	ca_len = 0;
	configured = rc == 0;
	return rc;
}

static const char *
cpcall_path(enum cp_endpoint ep, int *with_node)
{
	static const char *const paths[CP_EP_MAX] = {
		"config", "sessions", "modify", "heartbeat", "report",
		"mesh", "mesh/status", "rtt", "bird-config"
	};

	*with_node = ep != CP_EP_HEARTBEAT;
	return paths[ep];
}

/* {url}/api/v1/agent/[{node}/]path; node names need no escaping. */
static int
cpcall_url(enum cp_endpoint ep, char *buf, size_t len)
{
	const char	*path, *slash;
	int		 with_node, n;

	path = cpcall_path(ep, &with_node);
	slash = cpconf.url[strlen(cpconf.url) - 1] == '/' ? "" : "/";
	if (with_node)
		n = snprintf(buf, len, "%s%sapi/v1/agent/%s/%s", cpconf.url,
		    slash, cpconf.node, path);
	else
		n = snprintf(buf, len, "%s%sapi/v1/agent/%s", cpconf.url,
		    slash, path);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Takes ownership of body. */
void
cpcall_start(enum cp_endpoint ep, uint32_t id, char *body, size_t bodylen)
{
	struct cp_call	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("%s", __func__);
	c->ep = ep;
	c->id = id;
	c->body = body;
	c->bodylen = bodylen;
	evtimer_set(&c->ev_retry, cpcall_retry, c);
	TAILQ_INSERT_TAIL(&calls, c, entry);
	if (!configured) {
		cpcall_finish(c, CP_RES_NETWORK, 0, "fetcher not configured");
		return;
	}
	if (!breaker_allow(&breaker, time(NULL))) {
		cpcall_finish(c, CP_RES_BREAKER_OPEN, 0,
		    "circuit breaker open: failing fast");
		return;
	}
	cpcall_breaker_update();
	cpcall_send(c);
}

void
cpcall_fail(enum cp_endpoint ep, uint32_t id, enum cp_result res,
    const char *why)
{
	struct cp_result_msg	 r;

	memset(&r, 0, sizeof(r));
	r.endpoint = ep;
	r.result = res;
	r.breaker = breaker.state;
	strlcpy(r.message, why, sizeof(r.message));
	imsg_compose_event(iev_parent, IMSG_CP_RESULT, id, 0, -1, &r,
	    sizeof(r));
}

static void
cpcall_send(struct cp_call *c)
{
	char	 url[CP_URL_LEN + 128];

	c->attempts++;
	if (cpcall_url(c->ep, url, sizeof(url)) == -1) {
		cpcall_finish(c, CP_RES_NETWORK, 0, "URL too long");
		return;
	}
	c->req = http_request(url, c->body, c->bodylen, cpcall_done, c);
	if (c->req == NULL)
		cpcall_finish(c, CP_RES_NETWORK, 0, "cannot start request");
}

static void
cpcall_retry(int fd, short event, void *arg)
{
	cpcall_send(arg);
}

static enum cp_result
cpcall_result(enum http_result r)
{
	switch (r) {
	case HTTP_OK:
		return CP_RES_OK;
	case HTTP_4XX:
		return CP_RES_HTTP_4XX;
	case HTTP_5XX:
		return CP_RES_HTTP_5XX;
	case HTTP_TIMEOUT:
		return CP_RES_TIMEOUT;
	case HTTP_TLS:
		return CP_RES_TLS;
	case HTTP_TOOBIG:
		return CP_RES_PARSE;
	case HTTP_NETWORK:
	case HTTP_OTHER:
	default:
		return CP_RES_NETWORK;
	}
}

static void
cpcall_done(struct http_req *req, void *arg)
{
	struct cp_call	*c = arg;
	struct timeval	 tv;
	char		 why[CP_MESSAGE_LEN];
	enum cp_result	 res;
	int		 retry, rc;
	long		 status = req->status;
	time_t		 delay;	/* milliseconds */

	c->req = NULL;
	res = cpcall_result(req->result);
	retry = 0;
	switch (req->result) {
	case HTTP_OK:
		breaker_success(&breaker);
		cpcall_breaker_update();
		rc = cpcall_records(c, req->resp, req->resplen, why,
		    sizeof(why));
		http_free(req);
		if (rc == 0)
			cpcall_finish(c, CP_RES_OK, status, "ok");
		else
			cpcall_finish(c, CP_RES_PARSE, status, why);
		return;
	case HTTP_4XX:
		retry = status == 429;
		break;
	case HTTP_5XX:
	case HTTP_TIMEOUT:
	case HTTP_TLS:
	case HTTP_NETWORK:
		retry = 1;
		break;
	case HTTP_TOOBIG:
	case HTTP_OTHER:
	default:
		break;
	}

	if (status != 0)
		snprintf(why, sizeof(why), "HTTP %ld%s%.200s", status,
		    req->error[0] != '\0' ? ": " : "", req->error);
	else
		snprintf(why, sizeof(why), "%s", req->error[0] != '\0' ?
		    req->error : http_result_name(req->result));
	if (req->result == HTTP_TOOBIG)
		snprintf(why, sizeof(why), "reply larger than %u bytes",
		    cpconf.max_response);

	if (retry && c->attempts <= cpconf.max_retries) {
		if (req->retry_after >= 0)
			delay = (req->retry_after > RETRY_AFTER_MAX ?
			    RETRY_AFTER_MAX : req->retry_after) * 1000;
		else
			delay = backoff_delay(c->attempts - 1,
			    cpconf.retry_initial_ms, cpconf.retry_cap_ms,
			    arc4random());
		if (delay % 1000 == 0)
			log_debug("%s: %s, retry %u/%u in %llds",
			    cp_endpoint_name(c->ep), why, c->attempts,
			    cpconf.max_retries, (long long)delay / 1000);
		else
			log_debug("%s: %s, retry %u/%u in %lldms",
			    cp_endpoint_name(c->ep), why, c->attempts,
			    cpconf.max_retries, (long long)delay);
		http_free(req);
		tv.tv_sec = delay / 1000;
		tv.tv_usec = (delay % 1000) * 1000;
		evtimer_add(&c->ev_retry, &tv);
		return;
	}
	http_free(req);
	/* A 4xx is the control plane answering: not a reason to trip. */
	if (res == CP_RES_HTTP_4XX)
		breaker_success(&breaker);
	else
		breaker_failure(&breaker, time(NULL));
	cpcall_breaker_update();
	/* The parent says it, once per outage (parent/ports/cphealth.c). */
	log_debug("%s: %s, giving up after %u attempt%s",
	    cp_endpoint_name(c->ep), why, c->attempts,
	    c->attempts == 1 ? "" : "s");
	cpcall_finish(c, res, status, why);
}

static void
cpcall_finish(struct cp_call *c, enum cp_result res, long status,
    const char *why)
{
	struct cp_result_msg	 r;

	memset(&r, 0, sizeof(r));
	r.endpoint = c->ep;
	r.result = res;
	r.http_status = status;
	r.attempts = c->attempts;
	r.count = c->count;
	r.breaker = breaker.state;
	strlcpy(r.message, why, sizeof(r.message));
	imsg_compose_event(iev_parent, IMSG_CP_RESULT, c->id, 0, -1, &r,
	    sizeof(r));
	TAILQ_REMOVE(&calls, c, entry);
	evtimer_del(&c->ev_retry);
	if (c->req != NULL)
		http_cancel(c->req);
	if (c->body != NULL)
		freezero(c->body, c->bodylen);
	free(c);
	/* A large list's buffers, freed, go back to the system. */
	memtrim_soon();
}

static void
cpcall_breaker_update(void)
{
	static int		 last = -1;
	struct cp_breaker_msg	 m;

	if ((int)breaker.state == last)
		return;
	last = breaker.state;
	memset(&m, 0, sizeof(m));
	m.state = breaker.state;
	m.failures = breaker.failures;
	if (breaker.state != BREAKER_CLOSED)
		log_debug("control plane circuit breaker %s",
		    breaker_state_name(breaker.state));
	imsg_compose_event(iev_parent, IMSG_CP_BREAKER, 0, 0, -1, &m,
	    sizeof(m));
}

/*
 * Parse the reply and send its records up.  A document that fails
 * validation sends nothing: the parent sees only the error.
 */
static int
cpcall_records(struct cp_call *c, const char *body, size_t len,
    char *err, size_t errlen)
{
	struct cp_session_msg	*sess = NULL;
	struct cp_mesh_peer_msg	*mesh = NULL;
	struct cp_ibgp_peer_msg	*ibgp = NULL;
	struct cp_nodeconf_msg	 nc;
	struct cp_policy_msg	*pol;
	size_t			 n = 0, i;
	uint32_t		 cnt;
	int			 rc;

	if (body == NULL) {
		body = "";
		len = 0;
	}
	switch (c->ep) {
	case CP_EP_SESSIONS:
		if ((rc = cp_parse_sessions(body, len, &sess, &n, err,
		    errlen)) != 0)
			return rc;
		cnt = n;
		imsg_compose_event(iev_parent, IMSG_CP_SESSIONS_BEGIN, c->id,
		    0, -1, &cnt, sizeof(cnt));
		for (i = 0; i < n; i++)
			imsg_compose_event(iev_parent, IMSG_CP_SESSION, c->id,
			    0, -1, &sess[i], sizeof(sess[i]));
		imsg_compose_event(iev_parent, IMSG_CP_SESSIONS_END, c->id,
		    0, -1, &cnt, sizeof(cnt));
		freezero(sess, n * sizeof(*sess));
		break;
	case CP_EP_CONFIG:
		if ((rc = cp_parse_nodeconf(body, len, &nc, err,
		    errlen)) != 0)
			return rc;
		imsg_compose_event(iev_parent, IMSG_CP_NODECONF, c->id, 0,
		    -1, &nc, sizeof(nc));
		n = 1;
		break;
	case CP_EP_MESH:
		if ((rc = cp_parse_mesh(body, len, &mesh, &n, err,
		    errlen)) != 0)
			return rc;
		cnt = n;
		imsg_compose_event(iev_parent, IMSG_CP_MESH_BEGIN, c->id, 0,
		    -1, &cnt, sizeof(cnt));
		for (i = 0; i < n; i++)
			imsg_compose_event(iev_parent, IMSG_CP_MESH_PEER, c->id,
			    0, -1, &mesh[i], sizeof(mesh[i]));
		imsg_compose_event(iev_parent, IMSG_CP_MESH_END, c->id, 0,
		    -1, &cnt, sizeof(cnt));
		free(mesh);
		break;
	case CP_EP_POLICY:
		if ((pol = calloc(1, sizeof(*pol))) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		if ((rc = cp_parse_policy(body, len, pol, &ibgp, &n, err,
		    errlen)) != 0) {
			free(pol);
			return rc;
		}
		imsg_compose_event(iev_parent, IMSG_CP_POLICY, c->id, 0, -1,
		    pol, sizeof(*pol));
		for (i = 0; i < n; i++)
			imsg_compose_event(iev_parent, IMSG_CP_IBGP_PEER, c->id,
			    0, -1, &ibgp[i], sizeof(ibgp[i]));
		cnt = n;
		imsg_compose_event(iev_parent, IMSG_CP_POLICY_END, c->id, 0,
		    -1, &cnt, sizeof(cnt));
		free(pol);
		free(ibgp);
		break;
	default:
		if ((rc = cp_parse_reply(body, len, err, errlen)) != 0)
			return rc;
		break;
	}
	c->count = n;
	return 0;
}
