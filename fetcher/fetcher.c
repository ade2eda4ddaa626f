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

#include <curl/curl.h>
#include <errno.h>
#include <event.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "imsgev.h"
#include "proc.h"
#include "sandbox.h"
#include "cp.h"
#include "cpctl.h"
#include "cpbody.h"
#include "cpcall.h"
#include "http.h"
#include "rtt.h"
#include "httpd.h"
#include "diag.h"
#include "resolve.h"

static void	fetcher_dispatch_parent(int, short, void *);
static void	fetcher_sig(int, short, void *);
static __dead void fetcher_shutdown(void);

static struct imsgev	 iev_parent;

/* A list being sent up by the parent, POSTed on its END message. */
struct pending_list {
	void		*recs;
	size_t		 n;
	size_t		 recsz;
	uint32_t	 id;
	int		 open;
	struct cp_report_msg hdr;
};

static struct pending_list	 report, meshstatus, rtt;
static char			 node_name[64];

static void	fetcher_dispatch_cp(struct imsg *);
static void	list_begin(struct pending_list *, uint32_t, size_t);
static void	list_add(struct pending_list *, struct imsg *);
static void	list_end(struct pending_list *, struct imsg *);

void
fetcher_main(const struct child_opts *o)
{
	struct sandbox_opts	 sb;

	proc_child_init(PROC_FETCHER, o);

	/* OpenSSL reads its configuration here, before the chroot. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
		fatalx("curl_global_init failed");
	resolve_preload();
	event_init();

	proc_child_setup(PROC_FETCHER, o, &sb);
	sandbox_apply(PROC_FETCHER, &sb);

	cpcall_init(&iev_parent);
	rtt_probe_init(&iev_parent);
	httpd_init(&iev_parent);
	diag_init(&iev_parent);
	resolve_init(&iev_parent);
	/* The HTTP API's listening sockets come from the parent. */
	proc_child_ready(PROC_FETCHER, o, &iev_parent, fetcher_dispatch_parent,
	    fetcher_sig, 1);

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
	http_clear_secrets();
	httpd_clear_secrets();
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

	if (imsgev_io(iev, event) == -1)
		/* The parent is gone: shared fate. */
		fetcher_shutdown();

	for (;;) {
		if ((n = imsg_get(&iev->ibuf, &imsg)) == -1)
			fatal("%s: imsg_get", __func__);
		if (n == 0)
			break;
		if (proc_child_imsg(iev, &imsg)) {
			imsg_free(&imsg);
			continue;
		}
		switch (imsg_get_type(&imsg)) {
		case IMSG_RTT_PROBE:
			rtt_probe_dispatch(&imsg);
			break;
		case IMSG_DIAG_CONF:
		case IMSG_DIAG_RUN:
			diag_dispatch(&imsg);
			break;
		case IMSG_RESOLVE:
			resolve_dispatch(&imsg);
			break;
		default:
			fetcher_dispatch_cp(&imsg);
			break;
		}
		imsg_free(&imsg);
	}
	imsg_event_add(iev);
}

static void
list_begin(struct pending_list *l, uint32_t id, size_t recsz)
{
	if (l->open)
		fatalx("%s: list already open", __func__);
	free(l->recs);
	memset(l, 0, sizeof(*l));
	l->id = id;
	l->recsz = recsz;
	l->open = 1;
}

static void
list_add(struct pending_list *l, struct imsg *imsg)
{
	void	*p;

	if (!l->open || imsg_get_id(imsg) != l->id)
		fatalx("%s: %s outside its list", __func__,
		    imsg_type_name(imsg_get_type(imsg)));
	if (l->n >= CP_SESSIONS_MAX)
		fatalx("%s: list too long", __func__);
	if ((p = reallocarray(l->recs, l->n + 1, l->recsz)) == NULL)
		fatal("%s", __func__);
	l->recs = p;
	if (imsg_get_data(imsg, (char *)l->recs + l->n * l->recsz,
	    l->recsz) == -1)
		fatalx("%s: %s wrong length", __func__,
		    imsg_type_name(imsg_get_type(imsg)));
	l->n++;
}

static void
list_end(struct pending_list *l, struct imsg *imsg)
{
	uint32_t	 count;

	if (!l->open || imsg_get_id(imsg) != l->id)
		fatalx("%s: %s outside its list", __func__,
		    imsg_type_name(imsg_get_type(imsg)));
	if (imsg_get_data(imsg, &count, sizeof(count)) == -1 ||
	    count != l->n)
		fatalx("%s: %s: count mismatch", __func__,
		    imsg_type_name(imsg_get_type(imsg)));
	l->open = 0;
}

/* A POST is built here from typed records: the parent never sees JSON. */
static void
fetcher_post(enum cp_endpoint ep, uint32_t id, char *body, size_t len)
{
	if (body == NULL) {
		cpcall_fail(ep, id, CP_RES_PARSE, "record cannot be encoded");
		return;
	}
	cpcall_start(ep, id, body, len);
}

static void
fetcher_dispatch_cp(struct imsg *imsg)
{
	struct cp_conf_msg	 conf;
	struct cp_token_msg	 tok;
	struct cp_modify_msg	 mod;
	struct cp_heartbeat_msg	 hb;
	char			*body;
	size_t			 len;
	uint32_t		 id = imsg_get_id(imsg);

	switch (imsg_get_type(imsg)) {
	case IMSG_CP_CONF:
		if (imsg_get_data(imsg, &conf, sizeof(conf)) == -1)
			fatalx("%s: IMSG_CP_CONF wrong length", __func__);
		if (cpcall_configure(&conf) == -1)
			fatalx("%s: refused control plane settings", __func__);
		strlcpy(node_name, conf.node, sizeof(node_name));
		break;
	case IMSG_CP_TOKEN:
		if (imsg_get_data(imsg, &tok, sizeof(tok)) == -1)
			fatalx("%s: IMSG_CP_TOKEN wrong length", __func__);
		tok.token[sizeof(tok.token) - 1] = '\0';
		if (cpcall_set_token(tok.token) == -1)
			fatal("%s: token", __func__);
		explicit_bzero(&tok, sizeof(tok));
		break;
	case IMSG_CP_CA:
		len = imsg_get_len(imsg);
		if (len == 0 || len > CP_CA_CHUNK ||
		    cpcall_add_ca(imsg->data, len) == -1)
			fatalx("%s: bad CA chunk", __func__);
		break;
	case IMSG_CP_CA_END:
		if (imsg_get_len(imsg) != 0 || cpcall_ca_done() == -1)
			fatalx("%s: CA bundle refused", __func__);
		break;
	case IMSG_CP_FETCH_CONFIG:
	case IMSG_CP_FETCH_SESSIONS:
	case IMSG_CP_FETCH_MESH:
	case IMSG_CP_FETCH_POLICY:
		if (imsg_get_len(imsg) != 0)
			fatalx("%s: fetch with payload", __func__);
		cpcall_start(imsg_get_type(imsg) == IMSG_CP_FETCH_CONFIG ?
		    CP_EP_CONFIG : imsg_get_type(imsg) ==
		    IMSG_CP_FETCH_SESSIONS ? CP_EP_SESSIONS :
		    imsg_get_type(imsg) == IMSG_CP_FETCH_MESH ? CP_EP_MESH :
		    CP_EP_POLICY, id, NULL, 0);
		break;
	case IMSG_CP_MODIFY:
		if (imsg_get_data(imsg, &mod, sizeof(mod)) == -1)
			fatalx("%s: IMSG_CP_MODIFY wrong length", __func__);
		mod.uuid[sizeof(mod.uuid) - 1] = '\0';
		mod.last_error[sizeof(mod.last_error) - 1] = '\0';
		if (mod.status > CP_STATUS_MAX)
			fatalx("%s: IMSG_CP_MODIFY bad status", __func__);
		body = cp_body_modify(&mod, &len);
		fetcher_post(CP_EP_MODIFY, id, body, len);
		break;
	case IMSG_CP_HEARTBEAT:
		if (imsg_get_data(imsg, &hb, sizeof(hb)) == -1)
			fatalx("%s: IMSG_CP_HEARTBEAT wrong length", __func__);
		hb.node_id[sizeof(hb.node_id) - 1] = '\0';
		hb.agent_version[sizeof(hb.agent_version) - 1] = '\0';
		hb.bird_version[sizeof(hb.bird_version) - 1] = '\0';
		hb.kernel[sizeof(hb.kernel) - 1] = '\0';
		hb.loadavg[sizeof(hb.loadavg) - 1] = '\0';
		body = cp_body_heartbeat(&hb, &len);
		fetcher_post(CP_EP_HEARTBEAT, id, body, len);
		break;
	case IMSG_CP_REPORT_BEGIN:
		list_begin(&report, id, sizeof(struct cp_report_session_msg));
		if (imsg_get_data(imsg, &report.hdr, sizeof(report.hdr)) == -1)
			fatalx("%s: IMSG_CP_REPORT_BEGIN wrong length",
			    __func__);
		report.hdr.node_id[sizeof(report.hdr.node_id) - 1] = '\0';
		break;
	case IMSG_CP_REPORT_SESSION:
		list_add(&report, imsg);
		break;
	case IMSG_CP_REPORT_END:
		list_end(&report, imsg);
		report.hdr.count = report.n;
		body = cp_body_report(&report.hdr, report.recs, report.n, &len);
		fetcher_post(CP_EP_REPORT, id, body, len);
		break;
	case IMSG_CP_MESH_STATUS:
		if (!meshstatus.open)
			list_begin(&meshstatus, id,
			    sizeof(struct cp_mesh_status_msg));
		list_add(&meshstatus, imsg);
		break;
	case IMSG_CP_MESH_STATUS_END:
		if (!meshstatus.open)
			list_begin(&meshstatus, id,
			    sizeof(struct cp_mesh_status_msg));
		list_end(&meshstatus, imsg);
		body = cp_body_mesh_status(node_name, time(NULL),
		    meshstatus.recs, meshstatus.n, &len);
		fetcher_post(CP_EP_MESH_STATUS, id, body, len);
		break;
	case IMSG_CP_RTT_RESULT:
		if (!rtt.open)
			list_begin(&rtt, id, sizeof(struct cp_rtt_msg));
		list_add(&rtt, imsg);
		break;
	case IMSG_CP_RTT_END:
		if (!rtt.open)
			list_begin(&rtt, id, sizeof(struct cp_rtt_msg));
		list_end(&rtt, imsg);
		body = cp_body_rtt(time(NULL), rtt.recs, rtt.n, &len);
		fetcher_post(CP_EP_RTT, id, body, len);
		break;
	case IMSG_HTTP_TOKENS:
	case IMSG_HTTP_LISTEN:
	case IMSG_HTTP_SNAPSHOT:
	case IMSG_HTTP_SNAPSHOT_END:
	case IMSG_HTTP_DOC_SAME:
	case IMSG_HTTP_RESULT:
	case IMSG_HTTP_REPLY:
	case IMSG_HTTP_REPLY_END:
		httpd_dispatch(imsg);
		break;
	default:
		fatalx("%s: unexpected imsg %s", __func__,
		    imsg_type_name(imsg_get_type(imsg)));
	}
}
