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
 * What show status and show session(s) say beyond the session table:
 * the control plane, BIRD and WireGuard of the node, and per session
 * its BIRD protocols as BIRD answered just now and its tunnel as the
 * agent set it up.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/tree.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moenet.h"
#include "cp.h"
#include "cpctl.h"
#include "parent/core/degraded.h"
#include "parent/core/sched.h"
#include "parent/core/session.h"
#include "parent/ports/bird.h"
#include "parent/ports/cpclient.h"
#include "parent/ports/wg.h"
#include "parent/tasks/engine.h"
#include "parent/outputs/ctl_show.h"
#include "fetcher/breaker.h"

/* BIRD's protocols, sorted by name, for the sessions to find theirs. */
struct ctl_protos {
	const struct bird_proto_msg	**v;
	size_t				  n;
};

static int64_t	age(time_t, time_t);
static int	proto_cmp(const void *, const void *);
static const struct bird_proto_msg *proto_find(const struct ctl_protos *,
		    const char *);
static void	prefix_text(const struct wgt_prefix *, char *, size_t);
static void	squeeze(char *, size_t, const char *);

static int64_t
age(time_t then, time_t now)
{
	if (then == 0)
		return -1;
	return now < then ? 0 : now - then;
}

void
ctl_status_ext_fill(struct ctl_status_ext_msg *m, time_t now)
{
	const struct cp_stats		*cs = cp_stats();
	const struct engine_status	*es = engine_status();
	const struct bird_state		*bs = bird_state();
	struct sched_task		*t;
	time_t				 newest;

	memset(m, 0, sizeof(*m));
	m->cp_configured = cs->configured;
	m->cp_reachable = cp_reachable(now, &newest);
	m->cp_last_ok_age = age(newest, now);
	strlcpy(m->cp_breaker, breaker_state_name(cs->breaker),
	    sizeof(m->cp_breaker));
	m->sync_started = es->started;
	m->syncing = es->syncing;
	m->from_state = es->from_state;
	m->generation = es->generation;
	m->last_sync_age = age(es->last_sync, now);
	m->last_sync_ok_age = age(es->last_sync_ok, now);
	m->heartbeat_ok_age = age(es->last_heartbeat_ok, now);
	strlcpy(m->sync_error, es->last_error, sizeof(m->sync_error));
	m->next_sync_in = -1;
	if ((t = sched_find(ENGINE_SYNC_TASK)) != NULL &&
	    sched_next(t, &m->next_sync_in) == -1)
		m->next_sync_in = -1;

	m->bird_enabled = bs->enabled;
	m->bird_connected = bs->connected;
	m->bird_connecting = bs->connecting;
	strlcpy(m->bird_version, bs->version, sizeof(m->bird_version));
	strlcpy(m->bird_error, bs->last_error, sizeof(m->bird_error));
	m->bird_connected_age = bs->connected ?
	    age(bs->connected_since, now) : -1;
	m->bird_error_age = bs->last_error[0] != '\0' ?
	    age(bs->last_error_time, now) : -1;

	strlcpy(m->wg_backend, wg_backend_name(), sizeof(m->wg_backend));
	m->state_ok = !degraded_is(DEGRADED_STATE_WRITE);
}

/* a: BIRD's answer to the refresh just made, or NULL if none was. */
void
ctl_node_fill(struct ctl_node_msg *m, const struct bird_answer *a)
{
	const struct bird_state	*bs = bird_state();

	memset(m, 0, sizeof(*m));
	m->bird_enabled = bs->enabled;
	m->bird_connected = bs->connected;
	m->bird_fresh = a != NULL && bird_answer_ok(a);
	if (!bs->enabled)
		strlcpy(m->bird_error, "no BIRD control socket configured",
		    sizeof(m->bird_error));
	else if (a != NULL && !m->bird_fresh && a->text != NULL &&
	    a->text[0] != '\0')
		strlcpy(m->bird_error, a->text, sizeof(m->bird_error));
	else if (!bs->connected)
		strlcpy(m->bird_error, bs->last_error[0] != '\0' ?
		    bs->last_error : bs->connecting ? "connecting" :
		    "not connected", sizeof(m->bird_error));
}

/* BIRD's Info pads its columns: "Active        Socket: ..." */
static void
squeeze(char *dst, size_t len, const char *src)
{
	size_t	 i = 0;

	for (; *src != '\0' && i + 1 < len; src++) {
		if (*src == ' ' && (i == 0 || dst[i - 1] == ' '))
			continue;
		dst[i++] = *src;
	}
	while (i > 0 && dst[i - 1] == ' ')
		i--;
	dst[i] = '\0';
}

static int
proto_cmp(const void *a, const void *b)
{
	const struct bird_proto_msg	*const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* NULL when BIRD gave no usable answer: no protocol is known then. */
struct ctl_protos *
ctl_protos_new(const struct bird_answer *a)
{
	struct ctl_protos	*p;
	size_t			 i;

	if (a == NULL || !bird_answer_ok(a) ||
	    (p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if (a->nprotos > 0 &&
	    (p->v = calloc(a->nprotos, sizeof(*p->v))) == NULL) {
		free(p);
		return NULL;
	}
	for (i = 0; i < a->nprotos; i++)
		p->v[i] = &a->protos[i];
	p->n = a->nprotos;
	qsort(p->v, p->n, sizeof(*p->v), proto_cmp);
	return p;
}

void
ctl_protos_free(struct ctl_protos *p)
{
	if (p == NULL)
		return;
	free(p->v);
	free(p);
}

static const struct bird_proto_msg *
proto_find(const struct ctl_protos *p, const char *name)
{
	struct bird_proto_msg		  key;
	const struct bird_proto_msg	 *k = &key, **r;

	if (p->n == 0 || strlcpy(key.name, name, sizeof(key.name)) >=
	    sizeof(key.name))
		return NULL;
	r = bsearch(&k, p->v, p->n, sizeof(*p->v), proto_cmp);
	return r != NULL ? *r : NULL;
}

/*
 * The BIRD protocols of s (<protocol>, or <protocol>_v4 and _v6 when
 * the session has no MP-BGP), as many as fit in out.
 */
size_t
ctl_session_protos(const struct ctl_protos *p, const struct session *s,
    struct ctl_proto_msg *out, size_t max, time_t now)
{
	static const char *const sfx[] = { "", "_v4", "_v6" };
	const struct bird_proto_msg	*b;
	const struct bird_channel_msg	*ch;
	struct ctl_proto_msg		*m;
	char				 name[BIRD_NAME_LEN];
	size_t				 i, n = 0;
	uint32_t			 c;
	int				 af;

	if (p == NULL || s->protocol[0] == '\0')
		return 0;
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]) && n < max; i++) {
		if ((size_t)snprintf(name, sizeof(name), "%s%s", s->protocol,
		    sfx[i]) >= sizeof(name) || (b = proto_find(p, name)) ==
		    NULL)
			continue;
		m = &out[n++];
		memset(m, 0, sizeof(*m));
		strlcpy(m->name, b->name, sizeof(m->name));
		strlcpy(m->state, b->state, sizeof(m->state));
		strlcpy(m->bgp_state, b->bgp_state, sizeof(m->bgp_state));
		squeeze(m->info, sizeof(m->info), b->info);
		strlcpy(m->neighbor, b->neighbor_addr, sizeof(m->neighbor));
		strlcpy(m->last_error, b->last_error, sizeof(m->last_error));
		m->since_age = b->since_unix > 0 ?
		    age((time_t)b->since_unix, now) : -1;
		m->neighbor_as = b->neighbor_as;
		m->hold_time = b->hold_time;
		m->hold_left_ms = b->hold_left_ms;
		m->keepalive_time = b->keepalive_time;
		m->keepalive_left_ms = b->keepalive_left_ms;
		for (c = 0; c < b->nchannels && c < BIRD_CHANNELS_MAX; c++) {
			ch = &b->channels[c];
			if (strcmp(ch->name, "ipv4") == 0)
				af = 0;
			else if (strcmp(ch->name, "ipv6") == 0)
				af = 1;
			else
				continue;
			m->routes_in[af] += ch->imported;
			m->routes_out[af] += ch->exported;
			m->nchannels++;
		}
	}
	return n;
}

static void
prefix_text(const struct wgt_prefix *p, char *buf, size_t len)
{
	char	 a[INET6_ADDRSTRLEN];

	if (inet_ntop(p->af, &p->addr, a, sizeof(a)) == NULL)
		strlcpy(a, "?", sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->plen);
}

/*
 * The session's tunnel as the agent set it up (endpoint, MTU, allowed
 * IPs), its traffic as the metrics task last read it, its BGP state
 * changes, and its neighbour: BIRD's if a protocol was found, else the
 * address the agent configured.
 */
void
ctl_session_ext_fill(struct ctl_session_ext_msg *m, const struct session *s,
    const struct ctl_proto_msg *pm, size_t np, time_t now)
{
	const struct cp_session_msg	*d = &s->desired;
	const struct session_observed	*o = &s->observed;
	struct wg_tunnel		 t;
	char				 buf[INET6_ADDRSTRLEN + 8];
	int				 i;

	memset(m, 0, sizeof(*m));
	m->nprotos = np;
	m->bgp_changes = o->bgp_changes;
	m->bgp_changed_age = age(o->bgp_changed, now);
	m->rx_bytes = o->wg_rx;
	m->tx_bytes = o->wg_tx;
	m->link_up = o->link_up;
	m->wg_known = o->wg_rx != 0 || o->wg_tx != 0 || o->wg_handshake != 0;

	if (np > 0 && pm[0].neighbor[0] != '\0')
		strlcpy(m->neighbor, pm[0].neighbor, sizeof(m->neighbor));
	else if (d->flags & CP_SESS_HAS_LL) {
		inet_ntop(AF_INET6, &d->ipv6_ll, buf, sizeof(buf));
		snprintf(m->neighbor, sizeof(m->neighbor), "%s%%%s", buf,
		    d->ifname);
	} else if (d->flags & CP_SESS_HAS_IPV6)
		inet_ntop(AF_INET6, &d->ipv6, m->neighbor,
		    sizeof(m->neighbor));
	else if (d->flags & CP_SESS_HAS_IPV4)
		inet_ntop(AF_INET, &d->ipv4, m->neighbor,
		    sizeof(m->neighbor));

	/* A tunnel not set up has no endpoint, MTU or allowed IPs yet. */
	if (!s->applied || d->type != CP_TUNNEL_WIREGUARD ||
	    engine_tunnel_of(s, &t) == -1)
		return;
	if (t.endpoint_host[0] != '\0' && strchr(t.endpoint_host, ':') != NULL)
		snprintf(m->endpoint, sizeof(m->endpoint), "[%s]:%u",
		    t.endpoint_host, t.endpoint_port);
	else if (t.endpoint_host[0] != '\0')
		snprintf(m->endpoint, sizeof(m->endpoint), "%s:%u",
		    t.endpoint_host, t.endpoint_port);
	m->mtu = t.mtu;
	m->listen_port = t.listen_port;
	for (i = 0; i < t.nallowed && i < WGT_ALLOWED_MAX; i++) {
		prefix_text(&t.allowed[i], buf, sizeof(buf));
		if (i > 0)
			strlcat(m->allowed, ", ", sizeof(m->allowed));
		strlcat(m->allowed, buf, sizeof(m->allowed));
	}
	explicit_bzero(&t, sizeof(t));
}
