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
 * The session sync's diff.  plan_act() is the decision the sync makes
 * for each session (engine.c calls it); plan_show() makes the same
 * decisions on a freshly fetched list against the sessions as they
 * are, and changes nothing: no session, no file, no tunnel, no report.
 */

#include <sys/types.h>
#include <sys/tree.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moenet.h"
#include "log.h"
#include "cp.h"
#include "cpctl.h"
#include "parent/core/session.h"
#include "parent/ports/cpclient.h"
#include "parent/tasks/guard.h"
#include "parent/tasks/plan.h"

/* Flags of the record that are the control plane's, not ours. */
#define PLAN_CP_FLAGS	(CP_SESS_MPBGP | CP_SESS_ENH | CP_SESS_HAS_IPV4 | \
			    CP_SESS_HAS_IPV6 | CP_SESS_HAS_LL | \
			    CP_SESS_HAS_PSK | CP_SESS_HAS_ENDPOINT)

struct plan_req {
	plan_cb		 cb;
	void		*arg;
};

static const char *const kind_names[] = {
	[PLAN_CREATED] = "created",
	[PLAN_CHANGED] = "changed",
	[PLAN_REMOVED] = "removed",
	[PLAN_HELD] = "held",
	[PLAN_FAILED] = "failed"
};

static void	plan_fetched(const struct cp_result_msg *,
		    const struct cp_reply *, void *);
static void	plan_compute(const struct cp_reply *, time_t, struct plan *);
static int	uuid_cmp(const void *, const void *);
static void	field(char *, size_t, size_t *, const char *);

const char *
plan_kind_name(int k)
{
	if (k < 0 || (size_t)k >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "unknown";
	return kind_names[k];
}

/*
 * The sync's decision for session s (NULL: not known yet) given its
 * record d in a valid list: enum session_act.  A session in error waits
 * for its retry; a session the control plane no longer wants is removed
 * once, if anything of it is here.
 */
int
plan_act(const struct session *s, const struct cp_session_msg *d, time_t now)
{
	switch (d->status) {
	case CP_STATUS_QUEUED_FOR_SETUP:
	case CP_STATUS_ENABLED:
	case CP_STATUS_PROBLEM:
		if (d->flags & CP_SESS_INVALID)
			return ACT_FAIL;
		if (d->type != CP_TUNNEL_WIREGUARD)
			return ACT_FAIL;
		if (s != NULL && s->state == SESSION_ERROR &&
		    now < s->next_retry)
			return ACT_NONE;
		return ACT_UP;
	case CP_STATUS_QUEUED_FOR_DELETE:
		return ACT_DOWN;
	case CP_STATUS_PENDING_APPROVAL:
		return ACT_NONE;
	default:
		if (s != NULL && (s->applied || s->state == SESSION_ACTIVE ||
		    s->state == SESSION_ERROR))
			return ACT_DOWN;
		return ACT_NONE;
	}
}

static void
field(char *buf, size_t len, size_t *n, const char *name)
{
	if (*n > 0)
		strlcat(buf, ", ", len);
	strlcat(buf, name, len);
	(*n)++;
}

/*
 * The fields of the control plane's record that differ, by their names
 * in the control plane's document, ", " between.  The status is left
 * out: what it changes shows as a creation or a removal.
 */
size_t
plan_fields(const struct cp_session_msg *a, const struct cp_session_msg *b,
    char *buf, size_t len)
{
	uint32_t	 fa = a->flags & PLAN_CP_FLAGS;
	uint32_t	 fb = b->flags & PLAN_CP_FLAGS;
	size_t		 n = 0;

	buf[0] = '\0';
	if (strcmp(a->name, b->name) != 0)
		field(buf, len, &n, "name");
	if (strcmp(a->description, b->description) != 0)
		field(buf, len, &n, "description");
	if (a->asn != b->asn)
		field(buf, len, &n, "asn");
	if (a->type != b->type)
		field(buf, len, &n, "type");
	if (strcmp(a->ifname, b->ifname) != 0)
		field(buf, len, &n, "interface");
	if ((fa & CP_SESS_HAS_ENDPOINT) != (fb & CP_SESS_HAS_ENDPOINT) ||
	    strcmp(a->endpoint_host, b->endpoint_host) != 0 ||
	    a->endpoint_port != b->endpoint_port)
		field(buf, len, &n, "endpoint");
	if (memcmp(a->peer_pubkey, b->peer_pubkey, sizeof(a->peer_pubkey)) !=
	    0)
		field(buf, len, &n, "credential");
	if ((fa & CP_SESS_HAS_PSK) != (fb & CP_SESS_HAS_PSK) ||
	    memcmp(a->psk, b->psk, sizeof(a->psk)) != 0)
		field(buf, len, &n, "preshared_key");
	if ((fa & CP_SESS_HAS_IPV4) != (fb & CP_SESS_HAS_IPV4) ||
	    memcmp(&a->ipv4, &b->ipv4, sizeof(a->ipv4)) != 0)
		field(buf, len, &n, "ipv4");
	if ((fa & CP_SESS_HAS_IPV6) != (fb & CP_SESS_HAS_IPV6) ||
	    memcmp(&a->ipv6, &b->ipv6, sizeof(a->ipv6)) != 0)
		field(buf, len, &n, "ipv6");
	if ((fa & CP_SESS_HAS_LL) != (fb & CP_SESS_HAS_LL) ||
	    memcmp(&a->ipv6_ll, &b->ipv6_ll, sizeof(a->ipv6_ll)) != 0)
		field(buf, len, &n, "ipv6LinkLocal");
	if (a->listen_port != b->listen_port)
		field(buf, len, &n, "port");
	if (a->mtu != b->mtu)
		field(buf, len, &n, "mtu");
	if ((fa & (CP_SESS_MPBGP | CP_SESS_ENH)) !=
	    (fb & (CP_SESS_MPBGP | CP_SESS_ENH)))
		field(buf, len, &n, "extensions");
	if (a->policy != b->policy)
		field(buf, len, &n, "policy");
	return n;
}

/* One line of a plan; d (the list's record) or s says who it is. */
void
plan_add(struct plan *p, int kind, const struct session *s,
    const struct cp_session_msg *d, const char *fields, const char *reason)
{
	struct plan_change	*c, *v;

	if (d == NULL && s != NULL)
		d = &s->desired;
	if (d == NULL)
		return;
	if ((v = reallocarray(p->v, p->n + 1, sizeof(*p->v))) == NULL) {
		log_warn("%s", __func__);
		return;
	}
	p->v = v;
	c = &p->v[p->n++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	strlcpy(c->uuid, d->uuid, sizeof(c->uuid));
	strlcpy(c->name, d->name, sizeof(c->name));
	strlcpy(c->ifname, s != NULL && s->ifname[0] != '\0' ? s->ifname :
	    d->ifname, sizeof(c->ifname));
	c->asn = d->asn;
	if (fields != NULL)
		strlcpy(c->fields, fields, sizeof(c->fields));
	if (reason != NULL)
		strlcpy(c->reason, reason, sizeof(c->reason));
}

void
plan_clear(struct plan *p)
{
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* moenetctl show plan: the list fetched now, compared, nothing done. */
void
plan_show(plan_cb cb, void *arg)
{
	struct plan_req	*q;
	struct plan	 p;

	if ((q = calloc(1, sizeof(*q))) == NULL) {
		memset(&p, 0, sizeof(p));
		p.duration_ms = -1;
		strlcpy(p.error, "out of memory", sizeof(p.error));
		cb(&p, arg);
		return;
	}
	q->cb = cb;
	q->arg = arg;
	cp_fetch(CP_EP_SESSIONS, plan_fetched, q);
}

static void
plan_fetched(const struct cp_result_msg *r, const struct cp_reply *rep,
    void *arg)
{
	struct plan_req	*q = arg;
	struct plan	 p;

	memset(&p, 0, sizeof(p));
	p.duration_ms = -1;
	if (r->result != CP_RES_OK)
		snprintf(p.error, sizeof(p.error), "session list: %s: %.200s",
		    cp_result_name(r->result), r->message);
	else
		plan_compute(rep, time(NULL), &p);
	q->cb(&p, q->arg);
	plan_clear(&p);
	free(q);
}

static int
uuid_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sync's steps, on copies of its inputs: see sync_fetched(). */
static void
plan_compute(const struct cp_reply *rep, time_t now, struct plan *p)
{
	const struct cp_session_msg	*d;
	struct session			*s;
	const char			**ids, *key;
	char				 buf[CP_ERROR_LEN];
	size_t				 i, owned = 0, gone = 0;
	unsigned int			 after;
	int				 hold;

	p->nlisted = rep->nsessions;
	if ((ids = calloc(rep->nsessions + 1, sizeof(*ids))) == NULL) {
		strlcpy(p->error, "out of memory", sizeof(p->error));
		return;
	}
	for (i = 0; i < rep->nsessions; i++) {
		d = &rep->sessions[i];
		ids[i] = d->uuid;
		s = session_find(d->uuid);
		switch (plan_act(s, d, now)) {
		case ACT_UP:
			if (s == NULL || !s->applied)
				plan_add(p, PLAN_CREATED, s, d, NULL, NULL);
			else if (plan_fields(&s->desired, d, buf,
			    sizeof(buf)) > 0)
				plan_add(p, PLAN_CHANGED, s, d, buf, NULL);
			else
				p->nunchanged++;
			break;
		case ACT_DOWN:
			plan_add(p, PLAN_REMOVED, s, d, NULL,
			    d->status == CP_STATUS_QUEUED_FOR_DELETE ?
			    "queued for deletion" : "not enabled in the "
			    "control plane");
			break;
		case ACT_FAIL:
			if (d->flags & CP_SESS_INVALID)
				plan_add(p, PLAN_FAILED, s, d, NULL, d->error);
			else
				plan_add(p, PLAN_FAILED, s, d, NULL, "type: "
				    "this tunnel type is not supported");
			break;
		default:
			if (s != NULL && s->state == SESSION_ERROR &&
			    d->status != CP_STATUS_PENDING_APPROVAL) {
				snprintf(buf, sizeof(buf), "in error, retried "
				    "in %llds: %.180s",
				    (long long)(s->next_retry - now),
				    s->last_error);
				plan_add(p, PLAN_HELD, s, d, NULL, buf);
			} else
				p->nunchanged++;
			break;
		}
	}
	qsort(ids, rep->nsessions, sizeof(*ids), uuid_cmp);

	/* Missing from the list: as the sync counts, without counting. */
	RB_FOREACH(s, session_tree, &sessions) {
		key = s->desired.uuid;
		if (!s->applied)
			continue;
		owned++;
		if (bsearch(&key, ids, rep->nsessions, sizeof(*ids),
		    uuid_cmp) == NULL)
			gone++;
	}
	after = guard_peek(owned, gone, &hold);
	RB_FOREACH(s, session_tree, &sessions) {
		key = s->desired.uuid;
		if (!s->applied || bsearch(&key, ids, rep->nsessions,
		    sizeof(*ids), uuid_cmp) != NULL)
			continue;
		if (s->missing + 1 < after) {
			if (hold)
				snprintf(buf, sizeof(buf), "missing from the "
				    "list with %zu of the %zu sessions set up "
				    "here: removal held (moenetctl confirm "
				    "removal)", gone, owned);
			else
				snprintf(buf, sizeof(buf), "missing from the "
				    "list (%u of %u)", s->missing + 1, after);
			plan_add(p, PLAN_HELD, s, NULL, NULL, buf);
		} else
			plan_add(p, PLAN_REMOVED, s, NULL, NULL,
			    "gone from the control plane's list");
	}
	free(ids);
}
