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

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "cpdoc.h"
#include "cpjson.h"
#include "cpvalid.h"
#include "log.h"

/* GET {node}/sessions: {"bgpSessions": [Session]} */

#define C_PUB		0x01
#define C_PSK		0x02
#define C_ENDPOINT	0x04
#define C_LPORT		0x08
#define C_MTU		0x10

/* What a credential holds when it is JSON text. */
struct cred {
	uint8_t		pubkey[WG_KEY_LEN];
	uint8_t		psk[WG_KEY_LEN];
	char		host[CP_HOST_LEN];
	uint16_t	port;
	uint16_t	listen_port;
	uint16_t	mtu;
	int		flags;		/* C_* */
};

#define H_UUID		0x01
#define H_PORT		0x02
#define H_LOCALPORT	0x04

/*
 * Sessions of v by a string member, to find the one before with the
 * same uuid or interface without going through all of them: a list of
 * a thousand would cost half a million comparisons a sync.  Open
 * addressing; a slot holds an index of v plus one, 0 when empty.
 */
struct sessidx {
	uint32_t	*slot;
	size_t		 size;		/* a power of two; 0: none yet */
	size_t		 used;
	size_t		 off;		/* of the member in cp_session_msg */
};

struct sessdoc {
	struct cp_session_msg	*v;
	size_t			 n;
	size_t			 cap;
	struct sessidx		 by_uuid;
	struct sessidx		 by_ifname;	/* set-up statuses only */
	struct cp_session_msg	 cur;
	struct cred		 cred;
	int			 have;		/* H_* */
	uint16_t		 port;
	uint16_t		 localport;
};

enum {
	S_UUID, S_ASN, S_NAME, S_DESCR, S_STATUS, S_TYPE, S_IFACE,
	S_ENDPOINT, S_CRED, S_IPV4, S_IPV6, S_LL, S_MTU, S_PORT,
	S_LOCALPORT, S_EXT, S_POLICY
};

enum { C_F_PUB, C_F_PUBKEY, C_F_PSK, C_F_PSK2, C_F_LPORT, C_F_ENDPOINT,
	C_F_MTU };

static int	sess_scalar(struct cpw *, void *, int,
		    const struct cpw_value *, const char **);
static int	sess_open(struct cpw *, void *);
static int	sess_close(struct cpw *, void *);
static void	sess_merge(struct cpw *, struct sessdoc *);
static int	sess_setup(uint32_t);
static int	cred_parse(struct cpw *, struct sessdoc *,
		    const struct cpw_value *, const char **);
static int	cred_scalar(struct cpw *, void *, int,
		    const struct cpw_value *, const char **);

static const char *const tunnel_types[] = {
	"wireguard", "gre", "ip6gre", NULL
};
static const char *const policies[] = {
	"full", "peer", "upstream", "downstream", NULL
};

static const struct cpw_node n_sess_scalar = {
	.kind = CPW_SCALAR, .scalar = sess_scalar
};
static const struct cpw_node n_sess_ext = {
	.kind = CPW_ARRAY, .elem = &n_sess_scalar, .maxelem = 8
};

static const struct cpw_field sess_fields[] = {
	{ "uuid", &n_sess_scalar, S_UUID, CPW_REQUIRED },
	{ "asn", &n_sess_scalar, S_ASN, CPW_REQUIRED },
	{ "name", &n_sess_scalar, S_NAME, 0 },
	{ "description", &n_sess_scalar, S_DESCR, 0 },
	{ "status", &n_sess_scalar, S_STATUS, CPW_REQUIRED },
	{ "type", &n_sess_scalar, S_TYPE, 0 },
	{ "interface", &n_sess_scalar, S_IFACE, 0 },
	{ "endpoint", &n_sess_scalar, S_ENDPOINT, 0 },
	{ "credential", &n_sess_scalar, S_CRED, 0 },
	{ "ipv4", &n_sess_scalar, S_IPV4, 0 },
	{ "ipv6", &n_sess_scalar, S_IPV6, 0 },
	{ "ipv6LinkLocal", &n_sess_scalar, S_LL, 0 },
	{ "mtu", &n_sess_scalar, S_MTU, 0 },
	{ "port", &n_sess_scalar, S_PORT, 0 },
	{ "localPort", &n_sess_scalar, S_LOCALPORT, 0 },
	{ "extensions", &n_sess_ext, S_EXT, 0 },
	{ "policy", &n_sess_scalar, S_POLICY, 0 },
	{ NULL, NULL, 0, 0 }
};

static const struct cpw_node n_session = {
	.kind = CPW_OBJECT, .flags = CPW_RECORD, .fields = sess_fields,
	.open = sess_open, .close = sess_close
};
static const struct cpw_node n_sessions = {
	.kind = CPW_ARRAY, .elem = &n_session, .maxelem = CP_SESSIONS_MAX
};
static const struct cpw_field sdata_fields[] = {
	{ "bgpSessions", &n_sessions, 0, CPW_REQUIRED },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_node n_sdata = {
	.kind = CPW_OBJECT, .fields = sdata_fields
};
static const struct cpw_field sroot_fields[] = {
	{ "data", &n_sdata, 0, CPW_REQUIRED },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_node n_sroot = {
	.kind = CPW_OBJECT, .fields = sroot_fields
};

static const struct cpw_node n_cred_scalar = {
	.kind = CPW_SCALAR, .scalar = cred_scalar
};
static const struct cpw_field cred_fields[] = {
	{ "public_key", &n_cred_scalar, C_F_PUB, 0 },
	{ "pubkey", &n_cred_scalar, C_F_PUBKEY, 0 },
	{ "preshared_key", &n_cred_scalar, C_F_PSK, 0 },
	{ "psk", &n_cred_scalar, C_F_PSK2, 0 },
	{ "listen_port", &n_cred_scalar, C_F_LPORT, 0 },
	{ "endpoint", &n_cred_scalar, C_F_ENDPOINT, 0 },
	{ "mtu", &n_cred_scalar, C_F_MTU, 0 },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_node n_cred = {
	.kind = CPW_OBJECT, .fields = cred_fields
};

/* Statuses for which the agent builds the session. */
static int
sess_setup(uint32_t status)
{
	return status == CP_STATUS_ENABLED ||
	    status == CP_STATUS_QUEUED_FOR_SETUP ||
	    status == CP_STATUS_PROBLEM;
}

static int
sess_scalar(struct cpw *w, void *arg, int id, const struct cpw_value *v,
    const char **why)
{
	struct sessdoc		*d = arg;
	struct cp_session_msg	*s = &d->cur;
	long long		 n;
	int			 i;

	switch (id) {
	case S_UUID:
		if (cpd_str(v, why) == -1 || cpv_uuid(v->str, why) == -1)
			return -1;
		strlcpy(s->uuid, v->str, sizeof(s->uuid));
		d->have |= H_UUID;
		return 0;
	case S_ASN:
		if (cpd_int(v, 0, UINT32_MAX, &n, why) == -1 ||
		    cpv_asn(n, why) == -1)
			return -1;
		s->asn = n;
		return 0;
	case S_NAME:
		return cpd_copy(v, s->name, sizeof(s->name), why);
	case S_DESCR:
		return cpd_copy(v, s->description, sizeof(s->description),
		    why);
	case S_STATUS:
		if (cpd_int(v, 0, CP_STATUS_MAX, &n, why) == -1)
			return -1;
		s->status = n;
		s->flags |= CP_SESS_HAS_STATUS;
		return 0;
	case S_TYPE:
		if (cpd_str(v, why) == -1)
			return -1;
		if ((i = cpd_lookup(tunnel_types, v->str)) == -1) {
			*why = "unknown tunnel type";
			return -1;
		}
		s->type = i;
		return 0;
	case S_IFACE:
		if (cpd_str(v, why) == -1 || cpv_ifname(v->str, why) == -1)
			return -1;
		strlcpy(s->ifname, v->str, sizeof(s->ifname));
		return 0;
	case S_ENDPOINT:
		if (cpd_str(v, why) == -1)
			return -1;
		if (v->str[0] == '\0')		/* passive */
			return 0;
		if (cpv_endpoint(v->str, s->endpoint_host,
		    sizeof(s->endpoint_host), &s->endpoint_port, why) == -1)
			return -1;
		s->flags |= CP_SESS_HAS_ENDPOINT;
		return 0;
	case S_CRED:
		return cred_parse(w, d, v, why);
	case S_IPV4:
		return cpd_addr(v, AF_INET, &s->ipv4, &s->flags,
		    CP_SESS_HAS_IPV4, why);
	case S_IPV6:
		return cpd_addr(v, AF_INET6, &s->ipv6, &s->flags,
		    CP_SESS_HAS_IPV6, why);
	case S_LL:
		if (cpd_addr(v, AF_INET6, &s->ipv6_ll, &s->flags,
		    CP_SESS_HAS_LL, why) == -1)
			return -1;
		if ((s->flags & CP_SESS_HAS_LL) &&
		    !cpv_linklocal(&s->ipv6_ll)) {
			s->flags &= ~CP_SESS_HAS_LL;
			*why = "not in fe80::/10";
			return -1;
		}
		return 0;
	case S_MTU:
		return cpd_mtu(v, &s->mtu, why);
	case S_PORT:
	case S_LOCALPORT:
		/* 0 reads as not given, as the previous agents had it. */
		if (cpd_int(v, 0, 65535, &n, why) == -1)
			return -1;
		if (n == 0)
			return 0;
		if (id == S_PORT) {
			d->port = n;
			d->have |= H_PORT;
		} else {
			d->localport = n;
			d->have |= H_LOCALPORT;
		}
		return 0;
	case S_EXT:
		if (cpd_str(v, why) == -1)
			return -1;
		if (strcmp(v->str, "mp-bgp") == 0 ||
		    strcmp(v->str, "mp_bgp") == 0)
			s->flags |= CP_SESS_MPBGP;
		else if (strcmp(v->str, "extended-nexthop") == 0 ||
		    strcmp(v->str, "extended_nexthop") == 0)
			s->flags |= CP_SESS_ENH;
		else {
			*why = "unknown extension";
			return -1;
		}
		return 0;
	case S_POLICY:
		if (cpd_str(v, why) == -1)
			return -1;
		if ((i = cpd_lookup(policies, v->str)) == -1) {
			*why = "unknown policy";
			return -1;
		}
		s->policy = i;
		return 0;
	}
	return 0;
}

/*
 * A bare WireGuard public key, or JSON text walked with the same rules
 * as the document; its errors read "credential.<field>: <why>".
 */
static int
cred_parse(struct cpw *w, struct sessdoc *d, const struct cpw_value *v,
    const char **why)
{
	char		 err[256], field[96];
	const char	*p, *sep;

	if (cpd_str(v, why) == -1)
		return -1;
	for (p = v->str; *p == ' ' || *p == '\t' || *p == '\n' ||
	    *p == '\r'; p++)
		;
	if (*p == '\0')
		return 0;
	if (*p != '{') {
		if (cpv_key(v->str, d->cred.pubkey, why) == -1)
			return -1;
		d->cred.flags |= C_PUB;
		return 0;
	}
	if (cpw_parse(&n_cred, v->str, v->len, &d->cred, err,
	    sizeof(err)) == 0)
		return 0;
	/* err is "$<path>: <why>" */
	if ((sep = strstr(err, ": ")) == NULL)
		sep = err + strlen(err);
	snprintf(field, sizeof(field), "credential%.*s",
	    (int)(sep - err - 1), err + 1);
	cpw_record_fail(w, field, *sep != '\0' ? sep + 2 : "invalid");
	return 0;
}

static int
cred_scalar(struct cpw *w, void *arg, int id, const struct cpw_value *v,
    const char **why)
{
	struct cred	*c = arg;
	long long	 n;

	switch (id) {
	case C_F_PUB:
	case C_F_PUBKEY:
		if (c->flags & C_PUB) {
			*why = "public key given twice";
			return -1;
		}
		if (cpd_str(v, why) == -1 ||
		    cpv_key(v->str, c->pubkey, why) == -1)
			return -1;
		c->flags |= C_PUB;
		return 0;
	case C_F_PSK:
	case C_F_PSK2:
		if (c->flags & C_PSK) {
			*why = "preshared key given twice";
			return -1;
		}
		if (cpd_str(v, why) == -1)
			return -1;
		if (v->str[0] == '\0')
			return 0;
		if (cpv_key(v->str, c->psk, why) == -1)
			return -1;
		c->flags |= C_PSK;
		return 0;
	case C_F_LPORT:
		if (cpd_int(v, 0, 65535, &n, why) == -1)
			return -1;
		if (n != 0) {
			c->listen_port = n;
			c->flags |= C_LPORT;
		}
		return 0;
	case C_F_ENDPOINT:
		if (cpd_str(v, why) == -1)
			return -1;
		if (v->str[0] == '\0')
			return 0;
		if (cpv_endpoint(v->str, c->host, sizeof(c->host), &c->port,
		    why) == -1)
			return -1;
		c->flags |= C_ENDPOINT;
		return 0;
	case C_F_MTU:
		if (cpd_mtu(v, &c->mtu, why) == -1)
			return -1;
		if (c->mtu != 0)
			c->flags |= C_MTU;
		return 0;
	}
	return 0;
}

static const char *
sessidx_key(const struct sessidx *x, const struct sessdoc *d, uint32_t slot)
{
	return (const char *)&d->v[slot - 1] + x->off;
}

/* Is there a session with that key? */
static int
sessidx_has(const struct sessidx *x, const struct sessdoc *d,
    const char *key)
{
	size_t	 i, mask;

	if (x->size == 0)
		return 0;
	mask = x->size - 1;
	for (i = fnv1a(key) & mask; x->slot[i] != 0; i = (i + 1) & mask)
		if (strcmp(sessidx_key(x, d, x->slot[i]), key) == 0)
			return 1;
	return 0;
}

/*
 * Slot (index of v plus one) under its key, unless the key is there: the
 * first session with a key stays.  The table is never more than half
 * full, so the probe ends.
 */
static void
sessidx_put(struct sessidx *x, const struct sessdoc *d, uint32_t slot)
{
	const char	*key = sessidx_key(x, d, slot);
	size_t		 i, mask = x->size - 1;

	for (i = fnv1a(key) & mask; x->slot[i] != 0; i = (i + 1) & mask)
		if (strcmp(sessidx_key(x, d, x->slot[i]), key) == 0)
			return;
	x->slot[i] = slot;
	x->used++;
}

/* Session idx of v, under its key. */
static int
sessidx_add(struct sessidx *x, const struct sessdoc *d, size_t idx)
{
	struct sessidx	 old = *x;
	size_t		 i;

	if ((x->used + 1) * 2 > x->size) {
		x->size = old.size ? old.size * 2 : 64;
		if ((x->slot = calloc(x->size, sizeof(*x->slot))) == NULL) {
			*x = old;
			return -1;
		}
		x->used = 0;
		for (i = 0; i < old.size; i++)
			if (old.slot[i] != 0)
				sessidx_put(x, d, old.slot[i]);
		free(old.slot);
	}
	sessidx_put(x, d, idx + 1);
	return 0;
}

static int
sess_open(struct cpw *w, void *arg)
{
	struct sessdoc	*d = arg;

	memset(&d->cur, 0, sizeof(d->cur));
	explicit_bzero(&d->cred, sizeof(d->cred));
	d->have = 0;
	d->port = d->localport = 0;
	return 0;
}

/*
 * Values given in two places (the session and its credential) must
 * agree; what a session needs to be built must be there.
 */
static void
sess_merge(struct cpw *w, struct sessdoc *d)
{
	struct cp_session_msg	*s = &d->cur;
	struct cred		*c = &d->cred;

	if (c->flags & C_PUB)
		memcpy(s->peer_pubkey, c->pubkey, sizeof(s->peer_pubkey));
	if (c->flags & C_PSK) {
		memcpy(s->psk, c->psk, sizeof(s->psk));
		s->flags |= CP_SESS_HAS_PSK;
	}
	if ((d->have & H_PORT) && (d->have & H_LOCALPORT) &&
	    d->port != d->localport)
		cpw_record_fail(w, "localPort", "differs from port");
	if (d->have & H_LOCALPORT)
		s->listen_port = d->localport;
	if (d->have & H_PORT)
		s->listen_port = d->port;
	if (c->flags & C_LPORT) {
		if (s->listen_port != 0 && s->listen_port != c->listen_port)
			cpw_record_fail(w, "port",
			    "differs from credential.listen_port");
		s->listen_port = c->listen_port;
	}
	if (c->flags & C_ENDPOINT) {
		if ((s->flags & CP_SESS_HAS_ENDPOINT) &&
		    (strcmp(s->endpoint_host, c->host) != 0 ||
		    s->endpoint_port != c->port))
			cpw_record_fail(w, "endpoint",
			    "differs from credential.endpoint");
		strlcpy(s->endpoint_host, c->host, sizeof(s->endpoint_host));
		s->endpoint_port = c->port;
		s->flags |= CP_SESS_HAS_ENDPOINT;
	}
	if (c->flags & C_MTU) {
		if (s->mtu != 0 && s->mtu != c->mtu)
			cpw_record_fail(w, "mtu",
			    "differs from credential.mtu");
		s->mtu = c->mtu;
	}

	if (!(s->flags & CP_SESS_HAS_STATUS) || !sess_setup(s->status))
		return;
	if (s->ifname[0] == '\0')
		cpw_record_fail(w, "interface", "missing");
	if (s->type == CP_TUNNEL_WIREGUARD && !(c->flags & C_PUB))
		cpw_record_fail(w, "credential", "public key missing");
	if ((s->flags & (CP_SESS_HAS_IPV4 | CP_SESS_HAS_IPV6 |
	    CP_SESS_HAS_LL)) == 0)
		cpw_record_fail(w, "ipv6",
		    "no peer address (ipv4, ipv6 or ipv6LinkLocal)");
	if (s->ifname[0] != '\0' && sessidx_has(&d->by_ifname, d, s->ifname))
		cpw_record_fail(w, "interface",
		    "already used by another session");
}

static int
sess_close(struct cpw *w, void *arg)
{
	struct sessdoc		*d = arg;
	struct cp_session_msg	*s = &d->cur;
	const char		*e;

	if (!(d->have & H_UUID)) {
		/* Nothing to report it under. */
		log_warnx("control plane session %zu: no valid uuid, ignored",
		    cpw_index(w));
		return 0;
	}
	if (sessidx_has(&d->by_uuid, d, s->uuid))
		return cpw_fail(w, "duplicate uuid");
	sess_merge(w, d);
	if ((e = cpw_record_error(w)) != NULL) {
		s->flags |= CP_SESS_INVALID;
		strlcpy(s->error, e, sizeof(s->error));
	}
	if (cpd_grow((void **)&d->v, d->n, &d->cap, sizeof(*d->v)) == -1)
		return cpw_fail(w, "out of memory");
	d->v[d->n] = *s;
	if (sessidx_add(&d->by_uuid, d, d->n) == -1 ||
	    ((s->flags & CP_SESS_HAS_STATUS) && sess_setup(s->status) &&
	    s->ifname[0] != '\0' &&
	    sessidx_add(&d->by_ifname, d, d->n) == -1))
		return cpw_fail(w, "out of memory");
	d->n++;
	return 0;
}

int
cp_parse_sessions(const char *buf, size_t len, struct cp_session_msg **out,
    size_t *n, char *err, size_t errlen)
{
	struct sessdoc	d;
	int		rv;

	*out = NULL;
	*n = 0;
	memset(&d, 0, sizeof(d));
	d.by_uuid.off = offsetof(struct cp_session_msg, uuid);
	d.by_ifname.off = offsetof(struct cp_session_msg, ifname);
	rv = cpd_run(&n_sroot, buf, len, &d, err, errlen);
	free(d.by_uuid.slot);
	free(d.by_ifname.slot);
	explicit_bzero(&d.cred, sizeof(d.cred));
	explicit_bzero(&d.cur, sizeof(d.cur));
	if (rv != 0) {
		if (d.v != NULL)
			freezero(d.v, d.cap * sizeof(*d.v));
		return rv;
	}
	*out = d.v;
	*n = d.n;
	return 0;
}
