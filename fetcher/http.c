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
#include <sys/queue.h>

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "http.h"

#define HTTP_USER_AGENT	"moenet-agent/" MOENET_VERSION

/* One libevent event per socket curl asks us to watch. */
struct http_sock {
	struct event	 ev;
	curl_socket_t	 fd;
	int		 what;
};

static CURLM			*multi;
static struct event		 ev_timer;
static struct http_settings	 settings = { 5, 10, 8 * 1024 * 1024, 0 };
static char			*ca_pem;
static size_t			 ca_len;
static char			*auth_header;
static TAILQ_HEAD(, http_req)	 running = TAILQ_HEAD_INITIALIZER(running);

static int	http_sock_cb(CURL *, curl_socket_t, int, void *, void *);
static int	http_timer_cb(CURLM *, long, void *);
static void	http_event_cb(int, short, void *);
static void	http_timeout_cb(int, short, void *);
static void	http_check_done(void);
static size_t	http_write_cb(char *, size_t, size_t, void *);
static size_t	http_header_cb(char *, size_t, size_t, void *);
static enum http_result http_classify(CURLcode, long);

int
http_init(void)
{
	if ((multi = curl_multi_init()) == NULL)
		return -1;
	curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, http_sock_cb);
	curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, http_timer_cb);
	curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 4L);
	evtimer_set(&ev_timer, http_timeout_cb, NULL);
	return 0;
}

void
http_settings(const struct http_settings *s)
{
	settings = *s;
}

int
http_set_ca(const char *pem, size_t len)
{
	char	*p = NULL;

	if (len > 0) {
		if ((p = malloc(len)) == NULL)
			return -1;
		memcpy(p, pem, len);
	}
	freezero(ca_pem, ca_len);
	ca_pem = p;
	ca_len = len;
	return 0;
}

int
http_set_token(const char *token)
{
	char	*h;

	if (asprintf(&h, "Authorization: Bearer %s", token) == -1)
		return -1;
	if (auth_header != NULL)
		freezero(auth_header, strlen(auth_header));
	auth_header = h;
	return 0;
}

void
http_clear_secrets(void)
{
	if (auth_header != NULL)
		freezero(auth_header, strlen(auth_header));
	auth_header = NULL;
	freezero(ca_pem, ca_len);
	ca_pem = NULL;
	ca_len = 0;
}

/* Plain http is allowed only to loopback, for tests and the demo. */
int
http_url_is_loopback(const char *url)
{
	const char	*h;

	if (strncmp(url, "http://", 7) != 0)
		return 0;
	h = url + 7;
	return strncmp(h, "127.", 4) == 0 || strncmp(h, "[::1]", 5) == 0 ||
	    strncmp(h, "localhost:", 10) == 0 || strncmp(h, "localhost/", 10) == 0;
}

static size_t
http_write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_req	*r = arg;
	size_t		 len = size * nmemb, nsize;
	char		*p;

	if (len > r->maxresp - r->resplen) {
		r->result = HTTP_TOOBIG;
		return 0;	/* curl stops with CURLE_WRITE_ERROR */
	}
	if (r->resplen + len + 1 > r->respsize) {
		nsize = r->respsize == 0 ? 8192 : r->respsize;
		while (nsize < r->resplen + len + 1)
			nsize *= 2;
		if ((p = realloc(r->resp, nsize)) == NULL)
			return 0;
		r->resp = p;
		r->respsize = nsize;
	}
	memcpy(r->resp + r->resplen, data, len);
	r->resplen += len;
	r->resp[r->resplen] = '\0';
	return len;
}

static size_t
http_header_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct http_req	*r = arg;
	size_t		 len = size * nmemb;
	char		 buf[64];
	const char	*errstr;
	long long	 v;

	if (len >= sizeof(buf) || len < 13 ||
	    strncasecmp(data, "Retry-After:", 12) != 0)
		return len;
	memcpy(buf, data + 12, len - 12);
	buf[len - 12] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	/* Seconds only; an HTTP date falls back to our own backoff. */
	v = strtonum(buf + strspn(buf, " \t"), 0, 3600, &errstr);
	if (errstr == NULL)
		r->retry_after = v;
	return len;
}

struct http_req *
http_request(const char *url, const char *body, size_t bodylen,
    http_done_cb done, void *arg)
{
	struct http_req		*r;
	struct curl_blob	 blob;
	struct curl_slist	*h = NULL;
	CURL			*e;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->retry_after = -1;
	r->maxresp = settings.max_response;
	r->done = done;
	r->arg = arg;
	if ((r->url = strdup(url)) == NULL)
		goto fail;
	if (body != NULL) {
		if ((r->body = malloc(bodylen + 1)) == NULL)
			goto fail;
		memcpy(r->body, body, bodylen);
		r->body[bodylen] = '\0';
		r->bodylen = bodylen;
	}
	if ((e = curl_easy_init()) == NULL)
		goto fail;
	r->easy = e;

	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR,
	    settings.allow_plain_loopback && http_url_is_loopback(url) ?
	    "http" : "https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, settings.connect_timeout);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, settings.total_timeout);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)settings.max_response);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->error);
	curl_easy_setopt(e, CURLOPT_USERAGENT, HTTP_USER_AGENT);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (ca_pem != NULL) {
		blob.data = ca_pem;
		blob.len = ca_len;
		blob.flags = CURL_BLOB_COPY;
		curl_easy_setopt(e, CURLOPT_CAINFO_BLOB, &blob);
	}
	h = curl_slist_append(h, "Accept: application/json");
	if (body != NULL)
		h = curl_slist_append(h, "Content-Type: application/json");
	if (auth_header != NULL)
		h = curl_slist_append(h, auth_header);
	/* No "Expect: 100-continue" round trip for small bodies. */
	h = curl_slist_append(h, "Expect:");
	if (h == NULL)
		goto fail;
	r->headers = h;
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	if (body != NULL) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)r->bodylen);
	}
	if (curl_multi_add_handle(multi, e) != CURLM_OK)
		goto fail;
	TAILQ_INSERT_TAIL(&running, r, entry);
	return r;
 fail:
	http_free(r);
	return NULL;
}

/* The request is forgotten; its callback will not be called. */
void
http_cancel(struct http_req *r)
{
	TAILQ_REMOVE(&running, r, entry);
	curl_multi_remove_handle(multi, r->easy);
	http_free(r);
}

void
http_free(struct http_req *r)
{
	if (r == NULL)
		return;
	if (r->easy != NULL)
		curl_easy_cleanup(r->easy);
	/* The list holds the bearer token: wipe it. */
	if (r->headers != NULL) {
		struct curl_slist	*s;

		for (s = r->headers; s != NULL; s = s->next)
			explicit_bzero(s->data, strlen(s->data));
		curl_slist_free_all(r->headers);
	}
	free(r->url);
	free(r->body);
	free(r->resp);
	free(r);
}

static enum http_result
http_classify(CURLcode cc, long status)
{
	switch (cc) {
	case CURLE_OK:
		if (status >= 200 && status < 300)
			return HTTP_OK;
		if (status >= 400 && status < 500)
			return HTTP_4XX;
		if (status >= 500 && status < 600)
			return HTTP_5XX;
		return HTTP_OTHER;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_TIMEOUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_USE_SSL_FAILED:
		return HTTP_TLS;
	case CURLE_FILESIZE_EXCEEDED:
		return HTTP_TOOBIG;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return HTTP_NETWORK;
	default:
		return HTTP_OTHER;
	}
}

static void
http_check_done(void)
{
	struct http_req	*r;
	CURLMsg		*msg;
	char		*priv;
	int		 left;

	while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		r = (struct http_req *)priv;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE,
		    &r->status);
		if (r->result != HTTP_TOOBIG)
			r->result = http_classify(msg->data.result, r->status);
		if (r->error[0] == '\0' && msg->data.result != CURLE_OK)
			strlcpy(r->error, curl_easy_strerror(msg->data.result),
			    sizeof(r->error));
		curl_multi_remove_handle(multi, r->easy);
		TAILQ_REMOVE(&running, r, entry);
		r->done(r, r->arg);
	}
}

static void
http_event_cb(int fd, short event, void *arg)
{
	int	 flags = 0, still;

	if (event & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (event & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(multi, fd, flags, &still);
	http_check_done();
	if (still == 0 && evtimer_pending(&ev_timer, NULL))
		evtimer_del(&ev_timer);
}

static void
http_timeout_cb(int fd, short event, void *arg)
{
	int	 still;

	curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &still);
	http_check_done();
}

static int
http_timer_cb(CURLM *m, long timeout_ms, void *arg)
{
	struct timeval	 tv;

	evtimer_del(&ev_timer);
	if (timeout_ms < 0)
		return 0;
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	evtimer_add(&ev_timer, &tv);
	return 0;
}

static int
http_sock_cb(CURL *e, curl_socket_t fd, int what, void *userp, void *sockp)
{
	struct http_sock	*s = sockp;
	short			 kind;

	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			event_del(&s->ev);
			free(s);
			curl_multi_assign(multi, fd, NULL);
		}
		return 0;
	}
	if (s == NULL) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			return -1;
		s->fd = fd;
		curl_multi_assign(multi, fd, s);
	} else
		event_del(&s->ev);
	kind = EV_PERSIST;
	if (what & CURL_POLL_IN)
		kind |= EV_READ;
	if (what & CURL_POLL_OUT)
		kind |= EV_WRITE;
	s->what = what;
	event_set(&s->ev, fd, kind, http_event_cb, NULL);
	event_add(&s->ev, NULL);
	return 0;
}

const char *
http_result_name(enum http_result r)
{
	static const char *const names[HTTP_RESULT_MAX] = {
		"ok", "http_4xx", "http_5xx", "timeout", "tls", "network",
		"too_big", "other"
	};

	return (unsigned int)r < HTTP_RESULT_MAX ? names[r] : "unknown";
}
