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
 * The parent's endpoint names, looked up with getaddrinfo_a(3): the
 * lookup runs on glibc's thread, the event loop looks at it every
 * RESOLVE_POLL_MS and answers within RESOLVE_TIMEOUT whatever the
 * resolver does.  A lookup glibc cannot cancel is kept, unanswered,
 * until it ends, and then freed.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <netinet/in.h>

#include <dlfcn.h>
#include <errno.h>
#include <event.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moenet.h"
#include "log.h"
#include "imsgev.h"
#include "resolvemsg.h"
#include "resolve.h"

#define RESOLVE_POLL_MS		20
#define RESOLVE_LIBGCC		"libgcc_s.so.1"

struct resolve_job {
	TAILQ_ENTRY(resolve_job) entry;
	uint32_t		 id;
	int			 answered;	/* timed out: only freed */
	struct timespec		 deadline;
	struct gaicb		 cb;
	struct addrinfo		 hints;
	char			 host[RESOLVE_HOST_LEN];
	char			 serv[8];
};

static TAILQ_HEAD(, resolve_job)	 jobs = TAILQ_HEAD_INITIALIZER(jobs);
static size_t				 njobs;
static struct imsgev			*iev_parent;
static struct event			 ev_poll;

static void	resolve_poll(int, short, void *);
static void	resolve_answer(uint32_t, int, const struct addrinfo *,
		    const char *);
static void	resolve_arm(void);

/*
 * glibc's lookup thread loads libgcc_s when it ends (to unwind): not
 * to be found in the chroot, and then glibc aborts.  Loaded here,
 * before the sandbox, it is found already in memory.
 */
void
resolve_preload(void)
{
	if (dlopen(RESOLVE_LIBGCC, RTLD_NOW | RTLD_NODELETE) == NULL)
		log_warnx("%s: %s; endpoint names may not resolve",
		    RESOLVE_LIBGCC, dlerror());
}

void
resolve_init(struct imsgev *iev)
{
	iev_parent = iev;
	evtimer_set(&ev_poll, resolve_poll, NULL);
}

void
resolve_dispatch(struct imsg *imsg)
{
	struct resolve_msg	 m;
	struct resolve_job	*j;
	struct gaicb		*list[1];
	uint32_t		 id = imsg_get_id(imsg);
	int			 rc;

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1)
		fatalx("%s: IMSG_RESOLVE wrong length", __func__);
	if (memchr(m.host, '\0', sizeof(m.host)) == NULL || m.host[0] == '\0' ||
	    strspn(m.host, RESOLVE_HOST_CHARS) != strlen(m.host) ||
	    m.port == 0)
		fatalx("%s: bad IMSG_RESOLVE", __func__);
	if (njobs >= RESOLVE_JOBS_MAX) {
		resolve_answer(id, EAGAIN, NULL, "too many lookups at once");
		return;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		resolve_answer(id, ENOMEM, NULL, "out of memory");
		return;
	}
	j->id = id;
	strlcpy(j->host, m.host, sizeof(j->host));
	snprintf(j->serv, sizeof(j->serv), "%u", m.port);
	j->hints.ai_family = AF_UNSPEC;
	j->hints.ai_socktype = SOCK_DGRAM;
	j->hints.ai_flags = AI_NUMERICSERV;
	j->cb.ar_name = j->host;
	j->cb.ar_service = j->serv;
	j->cb.ar_request = &j->hints;
	list[0] = &j->cb;
	if ((rc = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL)) != 0) {
		resolve_answer(id, EHOSTUNREACH, NULL, gai_strerror(rc));
		free(j);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &j->deadline);
	j->deadline.tv_sec += RESOLVE_TIMEOUT;
	TAILQ_INSERT_TAIL(&jobs, j, entry);
	njobs++;
	resolve_arm();
}

static void
resolve_arm(void)
{
	struct timeval	 tv = { 0, RESOLVE_POLL_MS * 1000 };

	if (!TAILQ_EMPTY(&jobs) && !evtimer_pending(&ev_poll, NULL))
		evtimer_add(&ev_poll, &tv);
}

static void
resolve_poll(int fd, short event, void *arg)
{
	struct resolve_job	*j, *next;
	struct timespec		 now;
	int			 rc;
	char			 text[RESOLVE_TEXT_LEN];

	clock_gettime(CLOCK_MONOTONIC, &now);
	for (j = TAILQ_FIRST(&jobs); j != NULL; j = next) {
		next = TAILQ_NEXT(j, entry);
		if ((rc = gai_error(&j->cb)) == EAI_INPROGRESS) {
			if (j->answered || now.tv_sec < j->deadline.tv_sec ||
			    (now.tv_sec == j->deadline.tv_sec &&
			    now.tv_nsec < j->deadline.tv_nsec))
				continue;
			snprintf(text, sizeof(text), "lookup timed out after "
			    "%d s", RESOLVE_TIMEOUT);
			resolve_answer(j->id, ETIMEDOUT, NULL, text);
			j->answered = 1;
			/* Running lookups are not cancelled: kept till done. */
			if (gai_cancel(&j->cb) != EAI_CANCELED)
				continue;
		} else if (!j->answered) {
			if (rc == 0)
				resolve_answer(j->id, 0, j->cb.ar_result, NULL);
			else
				resolve_answer(j->id, EHOSTUNREACH, NULL,
				    gai_strerror(rc));
		}
		if (j->cb.ar_result != NULL)
			freeaddrinfo(j->cb.ar_result);
		TAILQ_REMOVE(&jobs, j, entry);
		njobs--;
		free(j);
	}
	resolve_arm();
}

/* The first IPv4 or IPv6 address the resolver gives. */
static void
resolve_answer(uint32_t id, int err, const struct addrinfo *res,
    const char *text)
{
	struct resolve_result_msg	 r;
	const struct addrinfo		*ai;

	memset(&r, 0, sizeof(r));
	if (err == 0) {
		for (ai = res; ai != NULL; ai = ai->ai_next)
			if (ai->ai_family == AF_INET6 ||
			    ai->ai_family == AF_INET)
				break;
		if (ai == NULL) {
			err = EHOSTUNREACH;
			text = "no IPv4 or IPv6 address";
		} else if (ai->ai_family == AF_INET6) {
			r.af = AF_INET6;
			memcpy(r.addr, &((const struct sockaddr_in6 *)
			    (const void *)ai->ai_addr)->sin6_addr, 16);
		} else {
			r.af = AF_INET;
			memcpy(r.addr, &((const struct sockaddr_in *)
			    (const void *)ai->ai_addr)->sin_addr, 4);
		}
	}
	r.err = err;
	if (err != 0)
		strlcpy(r.text, text, sizeof(r.text));
	imsg_compose_event(iev_parent, IMSG_RESOLVE_RESULT, id, 0, -1, &r,
	    sizeof(r));
}
