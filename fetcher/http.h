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

#ifndef MOENET_HTTP_H
#define MOENET_HTTP_H

/*
 * HTTPS requests on libcurl's multi interface, driven by the fetcher's
 * libevent loop, so the fetcher keeps answering imsgs while requests
 * run.  Everything a request needs is given in memory: the fetcher
 * reads no files.
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <stddef.h>
#include <stdint.h>

enum http_result {
	HTTP_OK,		/* 2xx */
	HTTP_4XX,
	HTTP_5XX,
	HTTP_TIMEOUT,		/* connect or total time */
	HTTP_TLS,		/* handshake, certificate */
	HTTP_NETWORK,		/* refused, unreachable, name, reset */
	HTTP_TOOBIG,		/* over the response cap */
	HTTP_OTHER,		/* 1xx/3xx, anything unexpected */
	HTTP_RESULT_MAX
};

struct http_settings {
	long		 connect_timeout;	/* seconds */
	long		 total_timeout;		/* seconds */
	size_t		 max_response;		/* bytes */
	int		 allow_plain_loopback;
};

struct http_req;
typedef void	(*http_done_cb)(struct http_req *, void *);

struct http_req {
	TAILQ_ENTRY(http_req)	 entry;
	void			*easy;		/* CURL * */
	void			*headers;	/* struct curl_slist * */
	char			*url;
	char			*body;		/* POST body or NULL for GET */
	size_t			 bodylen;
	char			*resp;
	size_t			 resplen;
	size_t			 respsize;
	size_t			 maxresp;
	long			 status;	/* HTTP status, 0 if none */
	long			 retry_after;	/* seconds, -1 if absent */
	enum http_result	 result;
	char			 error[256];	/* curl's words, for logs */
	http_done_cb		 done;
	void			*arg;
};

int		 http_init(void);
void		 http_settings(const struct http_settings *);
int		 http_set_ca(const char *, size_t);
int		 http_set_token(const char *);
void		 http_clear_secrets(void);
struct http_req	*http_request(const char *, const char *, size_t,
		    http_done_cb, void *);
void		 http_cancel(struct http_req *);
void		 http_free(struct http_req *);
const char	*http_result_name(enum http_result);
int		 http_url_is_loopback(const char *);

#endif /* MOENET_HTTP_H */
