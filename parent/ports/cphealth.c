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
 * The control plane as the operator's log sees it.  Every call's
 * outcome passes here (cpclient.c), which keeps what an outage (no
 * answer, 5xx, 429, a rejected token, the breaker open) is about.  The
 * session sync says it, once per run (cphealth_sync_failed()), and
 * a call that works again ends it with one line; every other task's
 * line about a call that failed in an outage goes to debug
 * (cphealth_failed()): a sync period with the control plane down is
 * one line, not one per task and retry.
 */

#include <sys/types.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "moenet.h"
#include "cpctl.h"
#include "parent/ports/cphealth.h"

static struct {
	int		 down;
	int		 auth;		/* the outage is a rejected token */
	time_t		 since;
	int		 said;		/* a sync said it */
	unsigned int	 failed;	/* calls failed in this outage */
	char		 why[CP_MESSAGE_LEN + 64];
} h;

static int
rejected(const struct cp_result_msg *r)
{
	return r->result == CP_RES_HTTP_4XX &&
	    (r->http_status == 401 || r->http_status == 403);
}

/* A failure that says nothing of the call itself but of reaching the CP. */
int
cphealth_outage(const struct cp_result_msg *r)
{
	switch (r->result) {
	case CP_RES_HTTP_5XX:
	case CP_RES_TIMEOUT:
	case CP_RES_TLS:
	case CP_RES_NETWORK:
	case CP_RES_BREAKER_OPEN:
		return 1;
	case CP_RES_HTTP_4XX:
		return rejected(r) || r->http_status == 429;
	default:
		return 0;
	}
}

/* The reason in words: what failed, and how. */
void
cphealth_describe(const struct cp_result_msg *r, char *buf, size_t len)
{
	const char	*ep = r->endpoint < CP_EP_MAX ?
			    cp_endpoint_name(r->endpoint) : "?";

	if (rejected(r))
		snprintf(buf, len, "token rejected (HTTP %d on %s): check "
		    "controlPlane.token or bootstrap.token", r->http_status,
		    ep);
	else if (r->result == CP_RES_BREAKER_OPEN)
		snprintf(buf, len, "circuit breaker open after repeated "
		    "failures, calls fail fast (%s)", ep);
	else
		snprintf(buf, len, "%s: %s (%s)", cp_result_name(r->result),
		    r->message[0] != '\0' ? r->message : "no detail", ep);
}

void
cphealth_note(const struct cp_result_msg *r)
{
	char	 why[sizeof(h.why)];

	if (r->result == CP_RES_OK) {
		/* An outage that no sync said is no news either. */
		if (h.down && h.said)
			log_notice("control plane %s again after %llds (%u "
			    "call%s failed)", h.auth ? "accepts the token" :
			    "reachable", (long long)(time(NULL) - h.since),
			    h.failed, h.failed == 1 ? "" : "s");
		else if (h.down)
			log_debug("control plane reachable again");
		h.down = h.said = 0;
		return;
	}
	if (!cphealth_outage(r))
		return;
	/* The breaker only repeats an outage: keep the reason it had. */
	if (r->result != CP_RES_BREAKER_OPEN || !h.down) {
		cphealth_describe(r, why, sizeof(why));
		strlcpy(h.why, why, sizeof(h.why));
	}
	if (!h.down) {
		h.down = 1;
		h.since = time(NULL);
		h.failed = 0;
		h.auth = 0;
	}
	h.failed++;
	h.auth = rejected(r) || (h.auth && r->result == CP_RES_BREAKER_OPEN);
}

/*
 * The session sync's line when its list did not come: in an outage,
 * what it is about and for how long (an error when the token is
 * rejected: a person must act); otherwise the call's own reason.
 */
void
cphealth_sync_failed(const struct cp_result_msg *r)
{
	time_t	 now = time(NULL);
	char	 why[sizeof(h.why)];

	if (!cphealth_outage(r) || !h.down) {
		cphealth_describe(r, why, sizeof(why));
		log_warning("session sync: %s", why);
		return;
	}
	if (h.auth)
		logit(LOG_ERR, "session sync: %s", h.why);
	else if (!h.said)
		log_warning("session sync: %s: control plane unreachable; "
		    "what is set up stays as it is", h.why);
	else
		log_warning("session sync: %s: control plane unreachable "
		    "for %llds (%u call%s failed)", h.why,
		    (long long)(now - h.since), h.failed,
		    h.failed == 1 ? "" : "s");
	h.said = 1;
}

/*
 * A task's line about its call: at debug level in an outage (the
 * session sync says it), else a warning with the reason.
 */
void
cphealth_failed(const char *what, const struct cp_result_msg *r)
{
	char	 why[sizeof(h.why)];

	cphealth_describe(r, why, sizeof(why));
	if (cphealth_outage(r))
		log_debug("%s: %s", what, why);
	else
		log_warning("%s: %s", what, why);
}
