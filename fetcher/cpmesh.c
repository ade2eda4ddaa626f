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

#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpdoc.h"
#include "cpjson.h"
#include "cpvalid.h"
#include "log.h"

/* GET {node}/mesh: {"self": Peer?, "peers": [Peer]} */

struct meshdoc {
	struct cp_mesh_peer_msg	*v;
	size_t			 n;
	size_t			 cap;
	struct cp_mesh_peer_msg	 cur;
	int			 self;
	int			 has_id;
};

enum {
	M_ID, M_NAME, M_LOOP4, M_LOOP6, M_KEY, M_ENDPOINT, M_MTU, M_RR
};

static int	mesh_scalar(struct cpw *, void *, int,
		    const struct cpw_value *, const char **);
static int	mesh_open_self(struct cpw *, void *);
static int	mesh_open_peer(struct cpw *, void *);
static int	mesh_close(struct cpw *, void *);

static const struct cpw_node n_mesh_scalar = {
	.kind = CPW_SCALAR, .scalar = mesh_scalar
};

static const struct cpw_field peer_fields[] = {
	{ "nodeId", &n_mesh_scalar, M_ID, CPW_REQUIRED },
	{ "nodeName", &n_mesh_scalar, M_NAME, 0 },
	{ "loopbackIpv4", &n_mesh_scalar, M_LOOP4, 0 },
	{ "loopbackIpv6", &n_mesh_scalar, M_LOOP6, 0 },
	{ "publicKey", &n_mesh_scalar, M_KEY, CPW_REQUIRED },
	{ "endpoint", &n_mesh_scalar, M_ENDPOINT, 0 },
	{ "mtu", &n_mesh_scalar, M_MTU, 0 },
	{ "isRr", &n_mesh_scalar, M_RR, 0 },
	{ NULL, NULL, 0, 0 }
};

/* "self" describes this router: nothing in it is needed. */
static const struct cpw_field self_fields[] = {
	{ "nodeId", &n_mesh_scalar, M_ID, 0 },
	{ "nodeName", &n_mesh_scalar, M_NAME, 0 },
	{ "loopbackIpv4", &n_mesh_scalar, M_LOOP4, 0 },
	{ "loopbackIpv6", &n_mesh_scalar, M_LOOP6, 0 },
	{ "publicKey", &n_mesh_scalar, M_KEY, 0 },
	{ "endpoint", &n_mesh_scalar, M_ENDPOINT, 0 },
	{ "mtu", &n_mesh_scalar, M_MTU, 0 },
	{ "isRr", &n_mesh_scalar, M_RR, 0 },
	{ NULL, NULL, 0, 0 }
};

static const struct cpw_node n_peer = {
	.kind = CPW_OBJECT, .flags = CPW_RECORD, .fields = peer_fields,
	.open = mesh_open_peer, .close = mesh_close
};
static const struct cpw_node n_self = {
	.kind = CPW_OBJECT, .flags = CPW_RECORD, .fields = self_fields,
	.open = mesh_open_self, .close = mesh_close
};
static const struct cpw_node n_peers = {
	.kind = CPW_ARRAY, .elem = &n_peer, .maxelem = CP_MESH_PEERS_MAX
};
static const struct cpw_field mdata_fields[] = {
	{ "self", &n_self, 0, 0 },
	{ "peers", &n_peers, 0, CPW_REQUIRED },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_node n_mdata = {
	.kind = CPW_OBJECT, .fields = mdata_fields
};
static const struct cpw_field mroot_fields[] = {
	{ "data", &n_mdata, 0, CPW_REQUIRED },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_node n_mroot = {
	.kind = CPW_OBJECT, .fields = mroot_fields
};

static int
mesh_scalar(struct cpw *w, void *arg, int id, const struct cpw_value *v,
    const char **why)
{
	struct meshdoc		*d = arg;
	struct cp_mesh_peer_msg	*p = &d->cur;
	long long		 n;
	int			 b;

	switch (id) {
	case M_ID:
		/* The interface is "dn42-wg-igp-<id>", 15 bytes at most. */
		if (cpd_int(v, 1, CP_MESH_NODEID_MAX, &n, why) == -1)
			return -1;
		p->node_id = n;
		d->has_id = 1;
		return 0;
	case M_NAME:
		return cpd_nodename(v, p->node_name, sizeof(p->node_name),
		    why);
	case M_LOOP4:
		return cpd_addr(v, AF_INET, &p->loopback4, &p->flags,
		    CP_PEER_HAS_IPV4, why);
	case M_LOOP6:
		return cpd_addr(v, AF_INET6, &p->loopback6, &p->flags,
		    CP_PEER_HAS_IPV6, why);
	case M_KEY:
		if (cpd_str(v, why) == -1 ||
		    cpv_key(v->str, p->pubkey, why) == -1)
			return -1;
		p->flags |= CP_PEER_HAS_KEY;
		return 0;
	case M_ENDPOINT:
		if (cpd_str(v, why) == -1)
			return -1;
		if (v->str[0] == '\0')		/* passive */
			return 0;
		if (cpv_endpoint(v->str, p->endpoint_host,
		    sizeof(p->endpoint_host), &p->endpoint_port, why) == -1)
			return -1;
		p->flags |= CP_PEER_HAS_ENDPOINT;
		return 0;
	case M_MTU:
		return cpd_mtu(v, &p->mtu, why);
	case M_RR:
		if (cpd_bool(v, &b, why) == -1)
			return -1;
		if (b)
			p->flags |= CP_PEER_RR;
		return 0;
	}
	return 0;
}

static int
mesh_open_peer(struct cpw *w, void *arg)
{
	struct meshdoc	*d = arg;

	memset(&d->cur, 0, sizeof(d->cur));
	d->self = 0;
	d->has_id = 0;
	return 0;
}

static int
mesh_open_self(struct cpw *w, void *arg)
{
	struct meshdoc	*d = arg;

	mesh_open_peer(w, arg);
	d->self = 1;
	d->cur.flags = CP_PEER_SELF;
	return 0;
}

static int
mesh_close(struct cpw *w, void *arg)
{
	struct meshdoc		*d = arg;
	struct cp_mesh_peer_msg	*p = &d->cur;
	const char		*e;
	size_t			 i;

	if (!d->self && !d->has_id) {
		log_warnx("control plane mesh peer %zu: no valid nodeId, "
		    "ignored", cpw_index(w));
		return 0;
	}
	for (i = 0; i < d->n && !d->self; i++)
		if (!(d->v[i].flags & CP_PEER_SELF) &&
		    d->v[i].node_id == p->node_id)
			return cpw_fail(w, "duplicate nodeId %u", p->node_id);
	if ((e = cpw_record_error(w)) != NULL) {
		p->flags |= CP_PEER_INVALID;
		strlcpy(p->error, e, sizeof(p->error));
	}
	if (cpd_grow((void **)&d->v, d->n, &d->cap, sizeof(*d->v)) == -1)
		return cpw_fail(w, "out of memory");
	d->v[d->n++] = *p;
	return 0;
}

/* The records are the peers, and "self" flagged CP_PEER_SELF if given. */
int
cp_parse_mesh(const char *buf, size_t len, struct cp_mesh_peer_msg **out,
    size_t *n, char *err, size_t errlen)
{
	struct meshdoc	d;
	int		rv;

	*out = NULL;
	*n = 0;
	memset(&d, 0, sizeof(d));
	if ((rv = cpd_run(&n_mroot, buf, len, &d, err, errlen)) != 0) {
		free(d.v);
		return rv;
	}
	*out = d.v;
	*n = d.n;
	return 0;
}
