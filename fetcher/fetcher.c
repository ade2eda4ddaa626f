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

#include <errno.h>
#include <event.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <curl/curl.h>

#include "moenet.h"
#include "imsgev.h"
#include "proc.h"
#include "sandbox.h"

static void	fetcher_dispatch_parent(int, short, void *);
static void	fetcher_sig(int, short, void *);
static __dead void fetcher_shutdown(void);

static struct imsgev	 iev_parent;

void
fetcher_main(const struct child_opts *o)
{
	struct sandbox_opts	 sb;
	struct event		 ev_sigint, ev_sigterm;

	log_init(o->debug, LOG_DAEMON);
	log_procinit(proc_names[PROC_FETCHER]);
	log_setverbose(o->verbose);
	if (o->json_log)
		log_setformat(LOG_FORMAT_JSON);
	setproctitle("%s", proc_names[PROC_FETCHER]);
	closefrom(PARENT_FD + 1);

	/* OpenSSL reads its configuration here, before the chroot. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		fatalx("curl_global_init failed");
	event_init();

	proc_child_setup(PROC_FETCHER, o, &sb);
	sandbox_apply(PROC_FETCHER, &sb);

	signal_set(&ev_sigint, SIGINT, fetcher_sig, NULL);
	signal_set(&ev_sigterm, SIGTERM, fetcher_sig, NULL);
	signal_add(&ev_sigint, NULL);
	signal_add(&ev_sigterm, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);

	imsgev_init(&iev_parent, PARENT_FD, "parent", fetcher_dispatch_parent,
	    NULL);
	if (!o->debug)
		proc_child_log_to(&iev_parent);
	proc_send_hello(&iev_parent, PROC_FETCHER);
	log_debug("sandboxed, ready");

	event_dispatch();
	fetcher_shutdown();
}

static void
fetcher_sig(int sig, short event, void *arg)
{
	fetcher_shutdown();
}

static __dead void
fetcher_shutdown(void)
{
	imsgbuf_clear(&iev_parent.ibuf);
	close(PARENT_FD);
	log_debug("exiting");
	exit(0);
}

static void
fetcher_dispatch_parent(int fd, short event, void *arg)
{
	struct imsgev	*iev = arg;
	struct imsg	 imsg;
	ssize_t		 n;
	uint32_t	 seq;
	int		 verbose;

	if (imsgev_io(iev, event) == -1)
		/* The parent is gone: shared fate. */
		fetcher_shutdown();

	for (;;) {
		if ((n = imsg_get(&iev->ibuf, &imsg)) == -1)
			fatal("%s: imsg_get", __func__);
		if (n == 0)
			break;
		switch (imsg_get_type(&imsg)) {
		case IMSG_PING:
			if (imsg_get_data(&imsg, &seq, sizeof(seq)) == -1)
				fatalx("%s: IMSG_PING wrong length", __func__);
			imsg_compose_event(iev, IMSG_PONG, 0, 0, -1, &seq,
			    sizeof(seq));
			break;
		case IMSG_LOG_VERBOSE:
			if (imsg_get_data(&imsg, &verbose,
			    sizeof(verbose)) == -1)
				fatalx("%s: IMSG_LOG_VERBOSE wrong length",
				    __func__);
			log_setverbose(verbose);
			break;
		default:
			fatalx("%s: unexpected imsg %s", __func__,
			    imsg_type_name(imsg_get_type(&imsg)));
		}
		imsg_free(&imsg);
	}
	imsg_event_add(iev);
}
