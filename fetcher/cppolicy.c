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
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpdoc.h"
#include "cpjson.h"
#include "cpvalid.h"
#include "log.h"

/*
 * GET {node}/bird-config: {configHash, node, policy, ibgpPeers}.  The
 * policy is rendered as a whole, so a bad value in it refuses the
 * document; an iBGP peer with a bad value is kept, flagged invalid.
 */

struct poldoc {
	struct cp_policy_msg	*pol;
	struct cp_ibgp_peer_msg	*v;
	size_t			 n;
	size_t			 cap;
	struct cp_ibgp_peer_msg	 cur;
	struct cp_community	*comm;		/* entry being read */
	int			 in_group;	/* {"latency": {"tier0": ...}} */
	int			 ncommval;	/* its values so far */
	int			 has_id;
	int			 has_as;
};

enum {
	P_HASH,
	P_N_ID, P_N_ASN, P_N_NAME, P_N_TYPE, P_N_BW, P_N_REGION, P_N_LOOP4,
	P_N_LOOP6, P_N_CONTLC, P_N_SUBLC, P_N_REGCOMM, P_N_BWCOMM,
	P_AS, P_PFX4, P_PFX6, P_EBGPIN, P_EBGPOUT, P_IBGPIN, P_IBGPOUT,
	P_PATHLEN,
	P_R_NAME, P_R_HOST, P_R_PORT,
	P_I_ID, P_I_NAME, P_I_LOOP4, P_I_LOOP6, P_I_RR
};

#define LIMIT_MAX	100000000

static int	pol_scalar(struct cpw *, void *, int, const struct cpw_value *,
		    const char **);
static int	pol_node(struct poldoc *, int, const struct cpw_value *,
		    const char **);
static int	pol_limit(const struct cpw_value *, uint32_t *, const char **);
static int	pol_prefix(struct poldoc *, int, const struct cpw_value *,
		    const char **);
static int	rpki_open(struct cpw *, void *);
static int	ibgp_open(struct cpw *, void *);
static int	ibgp_close(struct cpw *, void *);
static int	ibgp_scalar(struct cpw *, void *, int,
		    const struct cpw_value *, const char **);
static int	comm_new(struct cpw *, struct poldoc *, int);
static int	comm_str_std(struct cpw *, void *, int,
		    const struct cpw_value *, const char **);
static int	comm_str_large(struct cpw *, void *, int,
		    const struct cpw_value *, const char **);
static int	comm_str(struct cpw *, struct poldoc *, int, const char *,
		    const char **);
static int	comm_group_open(struct cpw *, void *);
static int	comm_group_close(struct cpw *, void *);
static int	comm_group_name(const char *, const char *, int, char *,
		    size_t);
static int	comm_open_std(struct cpw *, void *);
static int	comm_open_large(struct cpw *, void *);
static int	comm_close(struct cpw *, void *);
static int	comm_elem(struct cpw *, void *, int, const struct cpw_value *,
		    const char **);

static const char *const region_communities[] = {
	"DN42_REGION_EU", "DN42_REGION_NA_E", "DN42_REGION_NA_C",
	"DN42_REGION_NA_W", "DN42_REGION_CA", "DN42_REGION_SA",
	"DN42_REGION_AF", "DN42_REGION_AS_S", "DN42_REGION_AS_SE",
	"DN42_REGION_AS_E", "DN42_REGION_OC", "DN42_REGION_ME",
	"DN42_REGION_AS_N", NULL
};
static const char *const bandwidth_communities[] = {
	"DN42_BW_100K_PLUS", "DN42_BW_10M_PLUS", "DN42_BW_100M_PLUS",
	"DN42_BW_1G_PLUS", "DN42_BW_10G_PLUS", NULL
};

static const struct cpw_node n_pol_scalar = {
	.kind = CPW_SCALAR, .scalar = pol_scalar
};
static const struct cpw_field pn_fields[] = {
	{ "id", &n_pol_scalar, P_N_ID, 0 },
	{ "asn", &n_pol_scalar, P_N_ASN, 0 },
	{ "name", &n_pol_scalar, P_N_NAME, 0 },
	{ "type", &n_pol_scalar, P_N_TYPE, 0 },
	{ "bandwidth", &n_pol_scalar, P_N_BW, 0 },
	{ "regionCode", &n_pol_scalar, P_N_REGION, 0 },
	{ "loopbackIpv4", &n_pol_scalar, P_N_LOOP4, 0 },
	{ "loopbackIpv6", &n_pol_scalar, P_N_LOOP6, 0 },
	{ "continentLc", &n_pol_scalar, P_N_CONTLC, 0 },
	{ "subregionLc", &n_pol_scalar, P_N_SUBLC, 0 },
	{ "regionCommunity", &n_pol_scalar, P_N_REGCOMM, 0 },
	{ "bandwidthCommunity", &n_pol_scalar, P_N_BWCOMM, 0 },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_node n_pnode = {
	.kind = CPW_OBJECT, .fields = pn_fields
};

static const struct cpw_field rpki_fields[] = {
	{ "name", &n_pol_scalar, P_R_NAME, 0 },
	{ "host", &n_pol_scalar, P_R_HOST, CPW_REQUIRED },
	{ "port", &n_pol_scalar, P_R_PORT, CPW_REQUIRED },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_node n_rpki = {
	.kind = CPW_OBJECT, .fields = rpki_fields, .open = rpki_open
};
static const struct cpw_node n_rpkis = {
	.kind = CPW_ARRAY, .elem = &n_rpki, .maxelem = CP_RPKI_MAX
};

static const struct cpw_node n_comm_num = {
	.kind = CPW_SCALAR, .scalar = comm_elem
};
/*
 * A community is "NAME": [a, b] (or "a:b"), or sits one level down in a
 * group, as the control plane's default policy has them:
 * {"latency": {"tier0": [64511, 1]}}, {"origin": {"as": [A, 1, 100]}}.
 */
static const struct cpw_node n_comm_std_leaf = {
	.kind = CPW_SCALAR, .scalar = comm_str_std, .elem = &n_comm_num,
	.maxelem = 2, .open = comm_open_std, .close = comm_close
};
static const struct cpw_node n_comm_large_leaf = {
	.kind = CPW_SCALAR, .scalar = comm_str_large, .elem = &n_comm_num,
	.maxelem = 3, .open = comm_open_large, .close = comm_close
};
static const struct cpw_node n_comm_std_group = {
	.kind = CPW_OBJECT, .elem = &n_comm_std_leaf, .open = comm_group_open,
	.close = comm_group_close
};
static const struct cpw_node n_comm_large_group = {
	.kind = CPW_OBJECT, .elem = &n_comm_large_leaf,
	.open = comm_group_open, .close = comm_group_close
};
static const struct cpw_node n_comm_std = {
	.kind = CPW_SCALAR, .scalar = comm_str_std, .elem = &n_comm_num,
	.maxelem = 2, .open = comm_open_std, .close = comm_close,
	.group = &n_comm_std_group
};
static const struct cpw_node n_comm_large = {
	.kind = CPW_SCALAR, .scalar = comm_str_large, .elem = &n_comm_num,
	.maxelem = 3, .open = comm_open_large, .close = comm_close,
	.group = &n_comm_large_group
};
static const struct cpw_node n_comms_std = {
	.kind = CPW_OBJECT, .elem = &n_comm_std
};
static const struct cpw_node n_comms_large = {
	.kind = CPW_OBJECT, .elem = &n_comm_large
};

static const struct cpw_field pp_fields[] = {
	{ "dn42As", &n_pol_scalar, P_AS, CPW_REQUIRED },
	{ "dn42Ipv4Prefix", &n_pol_scalar, P_PFX4, 0 },
	{ "dn42Ipv6Prefix", &n_pol_scalar, P_PFX6, 0 },
	{ "rpkiServers", &n_rpkis, 0, 0 },
	{ "ebgpImportLimit", &n_pol_scalar, P_EBGPIN, 0 },
	{ "ebgpExportLimit", &n_pol_scalar, P_EBGPOUT, 0 },
	{ "ibgpImportLimit", &n_pol_scalar, P_IBGPIN, 0 },
	{ "ibgpExportLimit", &n_pol_scalar, P_IBGPOUT, 0 },
	{ "asPathMaxLen", &n_pol_scalar, P_PATHLEN, 0 },
	{ "communities", &n_comms_std, 0, 0 },
	{ "largeCommunities", &n_comms_large, 0, 0 },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_node n_ppolicy = {
	.kind = CPW_OBJECT, .fields = pp_fields
};

static const struct cpw_node n_ibgp_scalar = {
	.kind = CPW_SCALAR, .scalar = ibgp_scalar
};
static const struct cpw_field ibgp_fields[] = {
	{ "nodeId", &n_ibgp_scalar, P_I_ID, CPW_REQUIRED },
	{ "nodeName", &n_ibgp_scalar, P_I_NAME, 0 },
	{ "loopbackIpv4", &n_ibgp_scalar, P_I_LOOP4, 0 },
	{ "loopbackIpv6", &n_ibgp_scalar, P_I_LOOP6, CPW_REQUIRED },
	{ "isRr", &n_ibgp_scalar, P_I_RR, 0 },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_node n_ibgp = {
	.kind = CPW_OBJECT, .flags = CPW_RECORD, .fields = ibgp_fields,
	.open = ibgp_open, .close = ibgp_close
};
static const struct cpw_node n_ibgps = {
	.kind = CPW_ARRAY, .elem = &n_ibgp, .maxelem = CP_IBGP_PEERS_MAX
};

static const struct cpw_field pd_fields[] = {
	{ "configHash", &n_pol_scalar, P_HASH, CPW_REQUIRED },
	{ "node", &n_pnode, 0, CPW_REQUIRED },
	{ "policy", &n_ppolicy, 0, CPW_REQUIRED },
	{ "ibgpPeers", &n_ibgps, 0, 0 },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_node n_pdata = {
	.kind = CPW_OBJECT, .fields = pd_fields
};
static const struct cpw_field proot_fields[] = {
	{ "data", &n_pdata, 0, CPW_REQUIRED },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_node n_proot = {
	.kind = CPW_OBJECT, .fields = proot_fields
};

static int
pol_limit(const struct cpw_value *v, uint32_t *out, const char **why)
{
	long long	n;

	if (cpd_int(v, 0, LIMIT_MAX, &n, why) == -1)
		return -1;
	*out = n;
	return 0;
}

/* An aggregate: the length is required and the host bits must be 0. */
static int
pol_prefix(struct poldoc *d, int id, const struct cpw_value *v,
    const char **why)
{
	struct cp_policy_msg	*p = d->pol;
	uint8_t			*b;
	size_t			 sz;
	int			 i, len;

	if (cpd_str(v, why) == -1)
		return -1;
	if (id == P_PFX4) {
		if (cpv_inet4(v->str, 2, &p->prefix4, &p->prefix4_len,
		    why) == -1)
			return -1;
		b = (uint8_t *)&p->prefix4;
		sz = sizeof(p->prefix4);
		len = p->prefix4_len;
		p->flags |= CP_POL_HAS_PFX4;
	} else {
		if (cpv_inet6(v->str, 2, &p->prefix6, &p->prefix6_len,
		    why) == -1)
			return -1;
		b = (uint8_t *)&p->prefix6;
		sz = sizeof(p->prefix6);
		len = p->prefix6_len;
		p->flags |= CP_POL_HAS_PFX6;
	}
	for (i = len; i < (int)sz * 8; i++) {
		if (b[i / 8] & (0x80 >> (i % 8))) {
			*why = "host bits set";
			return -1;
		}
	}
	return 0;
}

static int
pol_node(struct poldoc *d, int id, const struct cpw_value *v,
    const char **why)
{
	struct cp_policy_msg	*p = d->pol;
	long long		 n;

	switch (id) {
	case P_N_ID:
		if (cpd_int(v, 0, UINT16_MAX, &n, why) == -1)
			return -1;
		p->node_id = n;
		return 0;
	case P_N_ASN:
		if (cpd_int(v, 0, UINT32_MAX, &n, why) == -1 ||
		    cpv_asn(n, why) == -1)
			return -1;
		p->node_asn = n;
		p->flags |= CP_POL_HAS_NODEASN;
		return 0;
	case P_N_REGION:
		if (cpd_int(v, 0, UINT16_MAX, &n, why) == -1)
			return -1;
		p->region_code = n;
		return 0;
	}

	/* The rest are strings; empty means not given. */
	if (cpd_str(v, why) == -1)
		return -1;
	if (v->str[0] == '\0')
		return 0;
	switch (id) {
	case P_N_NAME:
		if (cpv_nodename(v->str, why) == -1)
			return -1;
		strlcpy(p->node_name, v->str, sizeof(p->node_name));
		break;
	case P_N_TYPE:
		if (cpv_word(v->str, sizeof(p->node_type), why) == -1)
			return -1;
		strlcpy(p->node_type, v->str, sizeof(p->node_type));
		break;
	case P_N_BW:
		if (cpv_word(v->str, sizeof(p->bandwidth), why) == -1)
			return -1;
		strlcpy(p->bandwidth, v->str, sizeof(p->bandwidth));
		break;
	case P_N_LOOP4:
		if (cpv_inet4(v->str, 1, &p->loopback4, NULL, why) == -1)
			return -1;
		p->flags |= CP_POL_HAS_LOOP4;
		break;
	case P_N_LOOP6:
		if (cpv_inet6(v->str, 1, &p->loopback6, NULL, why) == -1)
			return -1;
		p->flags |= CP_POL_HAS_LOOP6;
		break;
	case P_N_CONTLC:
	case P_N_SUBLC:
		/* Names the rendered policy defines: LC_ symbols only. */
		if (cpv_symbol(v->str, CP_SYMBOL_LEN, why) == -1)
			return -1;
		if (strncmp(v->str, "LC_", 3) != 0) {
			*why = "not an LC_ symbol";
			return -1;
		}
		strlcpy(id == P_N_CONTLC ? p->continent_lc : p->subregion_lc,
		    v->str, CP_SYMBOL_LEN);
		break;
	case P_N_REGCOMM:
		if (cpd_lookup(region_communities, v->str) == -1) {
			*why = "unknown region community";
			return -1;
		}
		strlcpy(p->region_community, v->str,
		    sizeof(p->region_community));
		break;
	case P_N_BWCOMM:
		if (cpd_lookup(bandwidth_communities, v->str) == -1) {
			*why = "unknown bandwidth community";
			return -1;
		}
		strlcpy(p->bandwidth_community, v->str,
		    sizeof(p->bandwidth_community));
		break;
	}
	return 0;
}

static int
pol_scalar(struct cpw *w, void *arg, int id, const struct cpw_value *v,
    const char **why)
{
	struct poldoc		*d = arg;
	struct cp_policy_msg	*p = d->pol;
	struct cp_rpki_server	*r;
	long long		 n;
	struct in_addr		 in;
	struct in6_addr		 in6;

	switch (id) {
	case P_HASH:
		if (cpd_str(v, why) == -1 ||
		    cpv_word(v->str, sizeof(p->config_hash), why) == -1)
			return -1;
		strlcpy(p->config_hash, v->str, sizeof(p->config_hash));
		return 0;
	case P_AS:
		/* A string of digits; a number is taken as well. */
		if (cpd_int(v, 0, UINT32_MAX, &n, why) == -1 ||
		    cpv_asn(n, why) == -1)
			return -1;
		p->dn42_as = n;
		return 0;
	case P_PFX4:
	case P_PFX6:
		return pol_prefix(d, id, v, why);
	case P_EBGPIN:
		return pol_limit(v, &p->ebgp_import_limit, why);
	case P_EBGPOUT:
		return pol_limit(v, &p->ebgp_export_limit, why);
	case P_IBGPIN:
		return pol_limit(v, &p->ibgp_import_limit, why);
	case P_IBGPOUT:
		return pol_limit(v, &p->ibgp_export_limit, why);
	case P_PATHLEN:
		if (cpd_int(v, 0, 255, &n, why) == -1)
			return -1;
		p->as_path_max_len = n;
		return 0;
	case P_R_NAME:
	case P_R_HOST:
	case P_R_PORT:
		r = &p->rpki[p->nrpki - 1];
		if (id == P_R_PORT) {
			if (cpd_int(v, 1, 65535, &n, why) == -1)
				return -1;
			r->port = n;
			return 0;
		}
		if (cpd_str(v, why) == -1)
			return -1;
		if (id == P_R_NAME) {
			if (v->str[0] != '\0' &&
			    cpv_symbol(v->str, sizeof(r->name), why) == -1)
				return -1;
			strlcpy(r->name, v->str, sizeof(r->name));
			return 0;
		}
		if (inet_pton(AF_INET, v->str, &in) != 1 &&
		    inet_pton(AF_INET6, v->str, &in6) != 1 &&
		    cpv_hostname(v->str, why) == -1)
			return -1;
		strlcpy(r->host, v->str, sizeof(r->host));
		return 0;
	}
	return pol_node(d, id, v, why);
}

static int
rpki_open(struct cpw *w, void *arg)
{
	struct poldoc	*d = arg;

	/* The array's maxelem keeps nrpki within CP_RPKI_MAX. */
	d->pol->nrpki++;
	return 0;
}

static int
comm_new(struct cpw *w, struct poldoc *d, int large)
{
	struct cp_policy_msg	*p = d->pol;
	struct cp_community	*c;
	const char		*why, *name;
	char			 gname[CP_SYMBOL_LEN];
	uint32_t		*np;

	np = large ? &p->nlarge_communities : &p->ncommunities;
	if (*np >= CP_COMMUNITY_MAX)
		return cpw_fail(w, "more than %d communities",
		    CP_COMMUNITY_MAX);
	if (d->in_group) {
		if (comm_group_name(cpw_outer_key(w), cpw_key(w), large,
		    gname, sizeof(gname)) == -1)
			return cpw_fail(w, "community name: too long");
		name = gname;
	} else
		name = cpw_key(w);
	if (cpv_symbol(name, CP_SYMBOL_LEN, &why) == -1)
		return cpw_fail(w, "community name: %s", why);
	c = large ? &p->large_communities[*np] : &p->communities[*np];
	(*np)++;
	memset(c, 0, sizeof(*c));
	strlcpy(c->name, name, sizeof(c->name));
	c->large = large;
	d->comm = c;
	d->ncommval = 0;
	return 0;
}

static int
comm_group_open(struct cpw *w, void *arg)
{
	struct poldoc	*d = arg;

	d->in_group = 1;
	return 0;
}

static int
comm_group_close(struct cpw *w, void *arg)
{
	struct poldoc	*d = arg;

	d->in_group = 0;
	return 0;
}

/*
 * The BIRD name of a grouped community: DN42_<GROUP>_<KEY>, and for
 * large ones LC_<GROUP>_<KEY> with "subregion" as REGION, so that the
 * node's continentLc and subregionLc (LC_ORIGIN_AS, LC_REGION_AS_E)
 * name what origin.as and subregion.as_e define.  Characters other than
 * letters, digits and '_' become '_'; cpv_symbol() judges the result.
 */
static int
comm_group_name(const char *group, const char *key, int large, char *out,
    size_t outlen)
{
	const char	*g = group;
	size_t		 n, i;

	if (large && strcmp(group, "subregion") == 0)
		g = "region";
	n = strlcpy(out, large ? "LC_" : "DN42_", outlen);
	if (n >= outlen || (n = strlcat(out, g, outlen)) >= outlen ||
	    (n = strlcat(out, "_", outlen)) >= outlen ||
	    (n = strlcat(out, key, outlen)) >= outlen)
		return -1;
	for (i = 0; out[i] != '\0'; i++) {
		if (isalnum((unsigned char)out[i]))
			out[i] = toupper((unsigned char)out[i]);
		else
			out[i] = '_';
	}
	return 0;
}

static int
comm_open_std(struct cpw *w, void *arg)
{
	return comm_new(w, arg, 0);
}

static int
comm_open_large(struct cpw *w, void *arg)
{
	return comm_new(w, arg, 1);
}

/* The array form: [a, b] or [a, b, c]. */
static int
comm_elem(struct cpw *w, void *arg, int id, const struct cpw_value *v,
    const char **why)
{
	struct poldoc		*d = arg;
	struct cp_community	*c = d->comm;
	long long		 n;

	if (cpd_int(v, 0, c->large ? UINT32_MAX : UINT16_MAX, &n,
	    why) == -1)
		return -1;
	/* maxelem of the node keeps ncommval within val[] */
	c->val[d->ncommval++] = n;
	return 0;
}

static int
comm_close(struct cpw *w, void *arg)
{
	struct poldoc		*d = arg;
	int			 want;

	want = d->comm->large ? 3 : 2;
	if (d->ncommval != want)
		return cpw_fail(w, "expected %d values", want);
	return 0;
}

static int
comm_str_std(struct cpw *w, void *arg, int id, const struct cpw_value *v,
    const char **why)
{
	if (comm_new(w, arg, 0) == -1)
		return -1;
	return comm_str(w, arg, 0, v->kind == CPW_STRING ? v->str : NULL,
	    why);
}

static int
comm_str_large(struct cpw *w, void *arg, int id, const struct cpw_value *v,
    const char **why)
{
	if (comm_new(w, arg, 1) == -1)
		return -1;
	return comm_str(w, arg, 1, v->kind == CPW_STRING ? v->str : NULL,
	    why);
}

/* The string form: "a:b", "a,b" or "(a, b)", three values when large. */
static int
comm_str(struct cpw *w, struct poldoc *d, int large, const char *s,
    const char **why)
{
	struct cp_community	*c = d->comm;
	char			 buf[96], *p, *tok, *end;
	long long		 n;
	int			 i, want;

	if (s == NULL || strlen(s) >= sizeof(buf)) {
		*why = "expected \"a:b\" or [a, b]";
		return -1;
	}
	strlcpy(buf, s, sizeof(buf));
	p = buf;
	if (*p == '(') {
		end = p + strlen(p) - 1;
		if (*end != ')') {
			*why = "unbalanced parenthesis";
			return -1;
		}
		*end = '\0';
		p++;
	}
	want = large ? 3 : 2;
	for (i = 0; i < want; i++) {
		tok = strsep(&p, i < want - 1 ? ",:" : "");
		while (tok != NULL && *tok == ' ')
			tok++;
		if (tok != NULL)
			for (end = tok + strlen(tok); end > tok &&
			    end[-1] == ' '; end--)
				end[-1] = '\0';
		if (tok == NULL || cpv_int(tok, 0,
		    large ? UINT32_MAX : UINT16_MAX, &n, why) == -1) {
			*why = large ? "expected \"a:b:c\" or [a, b, c]" :
			    "expected \"a:b\" or [a, b]";
			return -1;
		}
		c->val[i] = n;
	}
	return 0;
}

static int
ibgp_open(struct cpw *w, void *arg)
{
	struct poldoc	*d = arg;

	memset(&d->cur, 0, sizeof(d->cur));
	d->has_id = 0;
	return 0;
}

static int
ibgp_scalar(struct cpw *w, void *arg, int id, const struct cpw_value *v,
    const char **why)
{
	struct poldoc		*d = arg;
	struct cp_ibgp_peer_msg	*p = &d->cur;
	long long		 n;
	int			 b;

	switch (id) {
	case P_I_ID:
		if (cpd_int(v, 1, UINT16_MAX, &n, why) == -1)
			return -1;
		p->node_id = n;
		d->has_id = 1;
		return 0;
	case P_I_NAME:
		return cpd_nodename(v, p->node_name, sizeof(p->node_name),
		    why);
	case P_I_LOOP4:
		return cpd_addr(v, AF_INET, &p->loopback4, &p->flags,
		    CP_PEER_HAS_IPV4, why);
	case P_I_LOOP6:
		if (cpd_str(v, why) == -1 ||
		    cpv_inet6(v->str, 1, &p->loopback6, NULL, why) == -1)
			return -1;
		p->flags |= CP_PEER_HAS_IPV6;
		return 0;
	case P_I_RR:
		if (cpd_bool(v, &b, why) == -1)
			return -1;
		if (b)
			p->flags |= CP_PEER_RR;
		return 0;
	}
	return 0;
}

static int
ibgp_close(struct cpw *w, void *arg)
{
	struct poldoc		*d = arg;
	struct cp_ibgp_peer_msg	*p = &d->cur;
	const char		*e;
	size_t			 i;

	if (!d->has_id) {
		log_warnx("control plane iBGP peer %zu: no valid nodeId, "
		    "ignored", cpw_index(w));
		return 0;
	}
	for (i = 0; i < d->n; i++)
		if (d->v[i].node_id == p->node_id)
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

int
cp_parse_policy(const char *buf, size_t len, struct cp_policy_msg *pol,
    struct cp_ibgp_peer_msg **out, size_t *n, char *err, size_t errlen)
{
	struct poldoc	d;
	int		rv;

	*out = NULL;
	*n = 0;
	memset(pol, 0, sizeof(*pol));
	memset(&d, 0, sizeof(d));
	d.pol = pol;
	if ((rv = cpd_run(&n_proot, buf, len, &d, err, errlen)) != 0) {
		free(d.v);
		memset(pol, 0, sizeof(*pol));
		return rv;
	}
	*out = d.v;
	*n = d.n;
	return 0;
}
