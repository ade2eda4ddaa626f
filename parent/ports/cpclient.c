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
 * The parent's side of the control plane.  The fetcher does the talking
 * and the parsing; here the records it sends are checked again, gathered
 * per call and handed to whoever asked, and every outcome is counted.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "cp.h"
#include "cpctl.h"
#include "parent/ports/cpclient.h"
#include "parent/ports/cphealth.h"
#include "parent/core/pending.h"
#include "parent/core/reload.h"
#include "parent/core/route.h"
#include "fetcher/breaker.h"

#define SYSTEM_CA_BUNDLE	"/etc/ssl/certs/ca-certificates.crt"

struct cp_pending {
	struct pending		 pend;
	struct cp_reply		 reply;
	cp_cb			 cb;
	void			*arg;
	enum cp_endpoint	 ep;
	uint32_t		 expect;	/* count announced by BEGIN */
	int			 begun;
	int			 ended;
};

static struct pending_set	 cp_reqs =
    PENDING_SET_INITIALIZER(cp_reqs, "fetcher", 0, NULL);
static struct cp_stats		 stats;

static struct cp_pending *cp_pending_new(enum cp_endpoint, cp_cb, void *);
static struct cp_pending *cp_pending_find(uint32_t, const char *);
static void	cp_pending_free(struct cp_pending *);
static int	cp_send_ca(void);
static void	cp_reload(const struct moenet_conf *,
		    const struct moenet_conf *);
static void	cp_check_session(struct cp_session_msg *);
static void	*cp_grow(void *, size_t, size_t);

void
cp_init(void)
{
	static const struct reload_hook	 hook = { "control plane", NULL,
					    cp_reload };

	cp_reconfigure();
	reload_add(&hook);
}

/* The fetcher gets everything again; the token is never compared. */
static void
cp_reload(const struct moenet_conf *old, const struct moenet_conf *new)
{
	if (strcmp(old->cp_url, new->cp_url) != 0)
		log_info("control plane: now %s", new->cp_url);
	cp_reconfigure();
}

/* Settings, token and CA for the fetcher; again after a reload. */
void
cp_reconfigure(void)
{
	struct cp_conf_msg	 c;
	struct cp_token_msg	 t;

	memset(&c, 0, sizeof(c));
	strlcpy(c.url, conf->cp_url, sizeof(c.url));
	strlcpy(c.node, conf->node_name, sizeof(c.node));
	c.total_timeout = conf->cp_request_timeout;
	c.connect_timeout = conf->cp_request_timeout < 5 ?
	    conf->cp_request_timeout : 5;
	c.max_retries = conf->cp_max_retries;
	c.retry_initial_ms = conf->cp_retry_initial_delay;
	c.retry_cap_ms = c.retry_initial_ms > 30000 ? c.retry_initial_ms :
	    30000;
	/* One call that ran out of retries opens the breaker. */
	c.breaker_threshold = 1;
	c.breaker_cooldown = conf->iv_sync;
	c.max_response = 8 * 1024 * 1024;
	c.allow_plain_loopback = 1;
	c.has_ca = strncmp(conf->cp_url, "https://", 8) == 0;
	parent_imsg_compose(PROC_FETCHER, IMSG_CP_CONF, 0, -1, &c, sizeof(c));

	memset(&t, 0, sizeof(t));
	strlcpy(t.token, conf->cp_token, sizeof(t.token));
	parent_imsg_compose(PROC_FETCHER, IMSG_CP_TOKEN, 0, -1, &t,
	    sizeof(t));
	explicit_bzero(&t, sizeof(t));
	/* imsg_compose copied it; the queue is wiped once written. */

	if (c.has_ca && cp_send_ca() == -1)
		log_warnx("no CA bundle for the control plane: TLS will fail");
	stats.configured = 1;
}

/* The parent reads the bundle; the fetcher reads no files. */
static int
cp_send_ca(void)
{
	const char	*path;
	struct stat	 st;
	char		 buf[CP_CA_CHUNK];
	ssize_t		 n;
	size_t		 total = 0;
	int		 fd;

	path = conf->cp_ca_file[0] != '\0' ? conf->cp_ca_file :
	    SYSTEM_CA_BUNDLE;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_warn("CA bundle %s", path);
		parent_imsg_compose(PROC_FETCHER, IMSG_CP_CA_END, 0, -1,
		    NULL, 0);
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > CP_CA_MAX) {
		log_warnx("CA bundle %s: not a regular file of at most %d "
		    "bytes", path, CP_CA_MAX);
		close(fd);
		parent_imsg_compose(PROC_FETCHER, IMSG_CP_CA_END, 0, -1,
		    NULL, 0);
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0 && total < CP_CA_MAX) {
		parent_imsg_compose(PROC_FETCHER, IMSG_CP_CA, 0, -1, buf, n);
		total += n;
	}
	close(fd);
	parent_imsg_compose(PROC_FETCHER, IMSG_CP_CA_END, 0, -1, NULL, 0);
	return n == -1 ? -1 : 0;
}

static struct cp_pending *
cp_pending_new(enum cp_endpoint ep, cp_cb cb, void *arg)
{
	struct cp_pending	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal("%s", __func__);
	p->ep = ep;
	p->cb = cb;
	p->arg = arg;
	stats.last_attempt[ep] = time(NULL);
	/* The fetcher bounds its own queue: no limit here. */
	if (pending_add(&cp_reqs, &p->pend, p) == -1)
		fatal("%s", __func__);
	return p;
}

static struct cp_pending *
cp_pending_find(uint32_t id, const char *what)
{
	return pending_get(&cp_reqs, id, what);
}

static void
cp_pending_free(struct cp_pending *p)
{
	pending_del(&p->pend);
	/* Session records may hold preshared keys. */
	freezero(p->reply.sessions,
	    p->reply.nsessions * sizeof(*p->reply.sessions));
	free(p->reply.mesh);
	free(p->reply.policy);
	free(p->reply.ibgp);
	free(p->reply.nodeconf);
	free(p);
}

uint32_t
cp_fetch(enum cp_endpoint ep, cp_cb cb, void *arg)
{
	struct cp_pending	*p;
	uint32_t		 type;

	switch (ep) {
	case CP_EP_CONFIG:
		type = IMSG_CP_FETCH_CONFIG;
		break;
	case CP_EP_SESSIONS:
		type = IMSG_CP_FETCH_SESSIONS;
		break;
	case CP_EP_MESH:
		type = IMSG_CP_FETCH_MESH;
		break;
	case CP_EP_POLICY:
		type = IMSG_CP_FETCH_POLICY;
		break;
	default:
		fatalx("%s: %s is not a document", __func__,
		    cp_endpoint_name(ep));
	}
	p = cp_pending_new(ep, cb, arg);
	parent_imsg_compose(PROC_FETCHER, type, p->pend.id, -1, NULL, 0);
	return p->pend.id;
}

uint32_t
cp_modify(const struct cp_modify_msg *m, cp_cb cb, void *arg)
{
	struct cp_pending	*p;

	p = cp_pending_new(CP_EP_MODIFY, cb, arg);
	parent_imsg_compose(PROC_FETCHER, IMSG_CP_MODIFY, p->pend.id, -1, m,
	    sizeof(*m));
	return p->pend.id;
}

uint32_t
cp_heartbeat(const struct cp_heartbeat_msg *m, cp_cb cb, void *arg)
{
	struct cp_pending	*p;

	p = cp_pending_new(CP_EP_HEARTBEAT, cb, arg);
	parent_imsg_compose(PROC_FETCHER, IMSG_CP_HEARTBEAT, p->pend.id, -1, m,
	    sizeof(*m));
	return p->pend.id;
}

uint32_t
cp_report(const struct cp_report_msg *h, const struct cp_report_session_msg *s,
    size_t n, cp_cb cb, void *arg)
{
	struct cp_pending	*p;
	uint32_t		 cnt = n;
	size_t			 i;

	p = cp_pending_new(CP_EP_REPORT, cb, arg);
	parent_imsg_compose(PROC_FETCHER, IMSG_CP_REPORT_BEGIN, p->pend.id, -1,
	    h, sizeof(*h));
	for (i = 0; i < n; i++)
		parent_imsg_compose(PROC_FETCHER, IMSG_CP_REPORT_SESSION,
		    p->pend.id, -1, &s[i], sizeof(s[i]));
	parent_imsg_compose(PROC_FETCHER, IMSG_CP_REPORT_END, p->pend.id, -1,
	    &cnt, sizeof(cnt));
	return p->pend.id;
}

uint32_t
cp_rtt(const struct cp_rtt_msg *r, size_t n, cp_cb cb, void *arg)
{
	struct cp_pending	*p;
	uint32_t		 cnt = n;
	size_t			 i;

	p = cp_pending_new(CP_EP_RTT, cb, arg);
	for (i = 0; i < n; i++)
		parent_imsg_compose(PROC_FETCHER, IMSG_CP_RTT_RESULT,
		    p->pend.id, -1, &r[i], sizeof(r[i]));
	parent_imsg_compose(PROC_FETCHER, IMSG_CP_RTT_END, p->pend.id, -1,
	    &cnt, sizeof(cnt));
	return p->pend.id;
}

uint32_t
cp_mesh_status(const struct cp_mesh_status_msg *m, size_t n, cp_cb cb,
    void *arg)
{
	struct cp_pending	*p;
	uint32_t		 cnt = n;
	size_t			 i;

	p = cp_pending_new(CP_EP_MESH_STATUS, cb, arg);
	for (i = 0; i < n; i++)
		parent_imsg_compose(PROC_FETCHER, IMSG_CP_MESH_STATUS,
		    p->pend.id, -1, &m[i], sizeof(m[i]));
	parent_imsg_compose(PROC_FETCHER, IMSG_CP_MESH_STATUS_END,
	    p->pend.id, -1, &cnt, sizeof(cnt));
	return p->pend.id;
}

const struct cp_stats *
cp_stats(void)
{
	return &stats;
}

/*
 * Reachable: the breaker lets calls through and one succeeded within
 * three of the longer of the sync and heartbeat periods.  *newest: the
 * last success of any call, 0 if none.
 */
int
cp_reachable(time_t now, time_t *newest)
{
	time_t	 last = 0, limit;
	int	 ep;

	for (ep = 0; ep < CP_EP_MAX; ep++)
		if (stats.last_success[ep] > last)
			last = stats.last_success[ep];
	if (newest != NULL)
		*newest = last;
	limit = 3 * (conf->iv_sync > conf->iv_heartbeat ? conf->iv_sync :
	    conf->iv_heartbeat);
	return stats.configured && stats.breaker == BREAKER_CLOSED &&
	    last != 0 && now - last <= limit;
}

static void *
cp_grow(void *arr, size_t n, size_t size)
{
	void	*p;

	if (n >= CP_SESSIONS_MAX)
		fatalx("fetcher sent more than %d records", CP_SESSIONS_MAX);
	if ((p = reallocarray(arr, n + 1, size)) == NULL)
		fatal("%s", __func__);
	return p;
}

/* The fetcher validated it; a record that is still bad is a bug there. */
static void
cp_check_session(struct cp_session_msg *s)
{
	s->uuid[sizeof(s->uuid) - 1] = '\0';
	s->name[sizeof(s->name) - 1] = '\0';
	s->description[sizeof(s->description) - 1] = '\0';
	s->ifname[sizeof(s->ifname) - 1] = '\0';
	s->endpoint_host[sizeof(s->endpoint_host) - 1] = '\0';
	s->error[sizeof(s->error) - 1] = '\0';
	if (s->uuid[0] == '\0' || s->status > CP_STATUS_MAX ||
	    s->type > CP_TUNNEL_MAX || s->policy > CP_POLICY_MAX)
		fatalx("fetcher sent a session record out of range");
}

#define CP_ROUTE(t, len)	{ (t), ROUTE_FROM(PROC_FETCHER), (len), \
	parent_dispatch_fetcher }

static const struct route cp_route_table[] = {
	CP_ROUTE(IMSG_CP_BREAKER, sizeof(struct cp_breaker_msg)),
	CP_ROUTE(IMSG_CP_SESSIONS_BEGIN, sizeof(uint32_t)),
	CP_ROUTE(IMSG_CP_MESH_BEGIN, sizeof(uint32_t)),
	CP_ROUTE(IMSG_CP_SESSION, sizeof(struct cp_session_msg)),
	CP_ROUTE(IMSG_CP_MESH_PEER, sizeof(struct cp_mesh_peer_msg)),
	CP_ROUTE(IMSG_CP_POLICY, sizeof(struct cp_policy_msg)),
	CP_ROUTE(IMSG_CP_IBGP_PEER, sizeof(struct cp_ibgp_peer_msg)),
	CP_ROUTE(IMSG_CP_SESSIONS_END, sizeof(uint32_t)),
	CP_ROUTE(IMSG_CP_MESH_END, sizeof(uint32_t)),
	CP_ROUTE(IMSG_CP_POLICY_END, sizeof(uint32_t)),
	CP_ROUTE(IMSG_CP_NODECONF, sizeof(struct cp_nodeconf_msg)),
	CP_ROUTE(IMSG_CP_RESULT, sizeof(struct cp_result_msg)),
};

void
cp_routes(void)
{
	route_add(cp_route_table,
	    sizeof(cp_route_table) / sizeof(cp_route_table[0]));
}

void
parent_dispatch_fetcher(struct imsg *imsg)
{
	struct cp_result_msg	 r;
	struct cp_breaker_msg	 b;
	struct cp_pending	*p;
	uint32_t		 type = imsg_get_type(imsg), id, cnt;

	id = imsg_get_id(imsg);
	switch (type) {
	case IMSG_CP_BREAKER:
		if (imsg_get_data(imsg, &b, sizeof(b)) == -1 || b.state > 2)
			fatalx("%s: bad IMSG_CP_BREAKER", __func__);
		stats.breaker = b.state;
		return;
	case IMSG_CP_SESSIONS_BEGIN:
	case IMSG_CP_MESH_BEGIN:
		p = cp_pending_find(id, imsg_type_name(type));
		if (imsg_get_data(imsg, &cnt, sizeof(cnt)) == -1 || p->begun ||
		    (type == IMSG_CP_SESSIONS_BEGIN ? p->ep != CP_EP_SESSIONS :
		    p->ep != CP_EP_MESH) || cnt > CP_SESSIONS_MAX)
			fatalx("%s: bad %s", __func__, imsg_type_name(type));
		p->begun = 1;
		p->expect = cnt;
		return;
	case IMSG_CP_SESSION:
		p = cp_pending_find(id, imsg_type_name(type));
		if (!p->begun || p->ended)
			fatalx("%s: session outside its list", __func__);
		p->reply.sessions = cp_grow(p->reply.sessions,
		    p->reply.nsessions, sizeof(*p->reply.sessions));
		if (imsg_get_data(imsg, &p->reply.sessions[p->reply.nsessions],
		    sizeof(*p->reply.sessions)) == -1)
			fatalx("%s: IMSG_CP_SESSION wrong length", __func__);
		cp_check_session(&p->reply.sessions[p->reply.nsessions++]);
		return;
	case IMSG_CP_MESH_PEER:
		p = cp_pending_find(id, imsg_type_name(type));
		if (!p->begun || p->ended)
			fatalx("%s: mesh peer outside its list", __func__);
		p->reply.mesh = cp_grow(p->reply.mesh, p->reply.nmesh,
		    sizeof(*p->reply.mesh));
		if (imsg_get_data(imsg, &p->reply.mesh[p->reply.nmesh],
		    sizeof(*p->reply.mesh)) == -1)
			fatalx("%s: IMSG_CP_MESH_PEER wrong length", __func__);
		p->reply.nmesh++;
		return;
	case IMSG_CP_POLICY:
		p = cp_pending_find(id, imsg_type_name(type));
		if (p->ep != CP_EP_POLICY || p->begun)
			fatalx("%s: unexpected policy", __func__);
		if ((p->reply.policy = calloc(1,
		    sizeof(*p->reply.policy))) == NULL)
			fatal("%s", __func__);
		if (imsg_get_data(imsg, p->reply.policy,
		    sizeof(*p->reply.policy)) == -1)
			fatalx("%s: IMSG_CP_POLICY wrong length", __func__);
		p->begun = 1;
		return;
	case IMSG_CP_IBGP_PEER:
		p = cp_pending_find(id, imsg_type_name(type));
		if (p->ep != CP_EP_POLICY || !p->begun || p->ended)
			fatalx("%s: iBGP peer outside its list", __func__);
		p->reply.ibgp = cp_grow(p->reply.ibgp, p->reply.nibgp,
		    sizeof(*p->reply.ibgp));
		if (imsg_get_data(imsg, &p->reply.ibgp[p->reply.nibgp],
		    sizeof(*p->reply.ibgp)) == -1)
			fatalx("%s: IMSG_CP_IBGP_PEER wrong length", __func__);
		p->reply.nibgp++;
		return;
	case IMSG_CP_SESSIONS_END:
	case IMSG_CP_MESH_END:
	case IMSG_CP_POLICY_END:
		p = cp_pending_find(id, imsg_type_name(type));
		if (imsg_get_data(imsg, &cnt, sizeof(cnt)) == -1 ||
		    !p->begun || p->ended)
			fatalx("%s: bad %s", __func__, imsg_type_name(type));
		if (type == IMSG_CP_POLICY_END)
			p->expect = cnt;
		if (cnt != p->expect || cnt != (type == IMSG_CP_SESSIONS_END ?
		    p->reply.nsessions : type == IMSG_CP_MESH_END ?
		    p->reply.nmesh : p->reply.nibgp))
			fatalx("%s: %s: count mismatch", __func__,
			    imsg_type_name(type));
		p->ended = 1;
		return;
	case IMSG_CP_NODECONF:
		p = cp_pending_find(id, imsg_type_name(type));
		if (p->ep != CP_EP_CONFIG || p->reply.nodeconf != NULL)
			fatalx("%s: unexpected node config", __func__);
		if ((p->reply.nodeconf = calloc(1,
		    sizeof(*p->reply.nodeconf))) == NULL)
			fatal("%s", __func__);
		if (imsg_get_data(imsg, p->reply.nodeconf,
		    sizeof(*p->reply.nodeconf)) == -1)
			fatalx("%s: IMSG_CP_NODECONF wrong length", __func__);
		p->ended = 1;
		return;
	case IMSG_CP_RESULT:
		p = cp_pending_find(id, imsg_type_name(type));
		if (imsg_get_data(imsg, &r, sizeof(r)) == -1 ||
		    r.endpoint != p->ep || r.result >= CP_RES_MAX ||
		    r.breaker > 2)
			fatalx("%s: bad IMSG_CP_RESULT", __func__);
		r.message[sizeof(r.message) - 1] = '\0';
		/* Records without their end, or an end without success. */
		if (r.result == CP_RES_OK && p->ep != CP_EP_MODIFY &&
		    p->ep != CP_EP_HEARTBEAT && p->ep != CP_EP_REPORT &&
		    p->ep != CP_EP_RTT && p->ep != CP_EP_MESH_STATUS &&
		    !p->ended)
			fatalx("%s: %s ok without records", __func__,
			    cp_endpoint_name(p->ep));
		if (r.result != CP_RES_OK && (p->begun || p->ended))
			fatalx("%s: records for a failed call", __func__);
		stats.count[p->ep][r.result]++;
		stats.breaker = r.breaker;
		if (r.result == CP_RES_OK)
			stats.last_success[p->ep] = time(NULL);
		else
			log_debug("control plane %s: %s: %s",
			    cp_endpoint_name(p->ep), cp_result_name(r.result),
			    r.message);
		cphealth_note(&r);
		if (p->cb != NULL)
			p->cb(&r, &p->reply, p->arg);
		cp_pending_free(p);
		return;
	default:
		fatalx("%s: unexpected imsg %s", __func__,
		    imsg_type_name(type));
	}
}
