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
 * The routing policy's BIRD files, rendered from bird-config.  Pure:
 * records in, bytes out, so the tests render fixtures without an agent.
 * Every value from the control plane is checked for its place before a
 * template sees it, and a document with one bad value renders nothing:
 * the error names the field.  Same record, same bytes.
 */

#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "cp.h"
#include "parent/ports/render.h"
#include "parent/ports/policy_render.h"

#define RPKI_NAME_MAX	32

struct policy_templates {
	struct render_tmpl	*defs;
	struct render_tmpl	*community;
	struct render_tmpl	*filters;
	struct render_tmpl	*rpki;
	struct render_tmpl	*blocklist;
	struct render_tmpl	*main;
};

enum { D_MAINT, D_ASN, D_PFX4, D_PFX6, D_REGION, D_REGION_VAL, D_BW,
	D_BW_VAL, D_RPKI, D_MAX };
static const struct render_var defs_vars[D_MAX] = {
	[D_MAINT] = { "maintenance_file", 0 },
	[D_ASN] = { "asn", 0 },
	[D_PFX4] = { "prefix4", 0 },
	[D_PFX6] = { "prefix6", 0 },
	[D_REGION] = { "region_community", 0 },
	[D_REGION_VAL] = { "region_value", 0 },
	[D_BW] = { "bandwidth_community", 0 },
	[D_BW_VAL] = { "bandwidth_value", 0 },
	[D_RPKI] = { "rpki", 1 }
};

enum { C_NAME, C_A, C_B, C_C, C_LARGE, C_MAX };
static const struct render_var comm_vars[C_MAX] = {
	[C_NAME] = { "name", 0 },
	[C_A] = { "a", 0 },
	[C_B] = { "b", 0 },
	[C_C] = { "c", 0 },
	[C_LARGE] = { "large", 1 }
};

enum { F_IMPORT, F_EXPORT, F_IBGP_IMPORT, F_IBGP_EXPORT, F_TEMPLATE,
	F_PFX4, F_PFX6, F_PATHLEN, F_RPKI, F_REGION, F_BW, F_CONTLC,
	F_SUBLC, F_IMPORT_LIMIT, F_EXPORT_LIMIT, F_MAX };
static const struct render_var filter_vars[F_MAX] = {
	[F_IMPORT] = { "import_filter", 0 },
	[F_EXPORT] = { "export_filter", 0 },
	[F_IBGP_IMPORT] = { "ibgp_import_filter", 0 },
	[F_IBGP_EXPORT] = { "ibgp_export_filter", 0 },
	[F_TEMPLATE] = { "peer_template", 0 },
	[F_PFX4] = { "prefix4", 0 },
	[F_PFX6] = { "prefix6", 0 },
	[F_PATHLEN] = { "path_len", 0 },
	[F_RPKI] = { "rpki", 1 },
	[F_REGION] = { "region_community", 0 },
	[F_BW] = { "bandwidth_community", 0 },
	[F_CONTLC] = { "continent_lc", 0 },
	[F_SUBLC] = { "subregion_lc", 0 },
	[F_IMPORT_LIMIT] = { "import_limit", 0 },
	[F_EXPORT_LIMIT] = { "export_limit", 0 }
};

enum { B_INCLUDE, B_FILE, B_MAX };
static const struct render_var blocklist_vars[B_MAX] = {
	[B_INCLUDE] = { "include", 0 },
	[B_FILE] = { "file", 0 }
};

enum { M_ROUTER_ID, M_SRC4, M_SRC6, M_PFX4, M_PFX6, M_POLICY_DIR,
	M_PEER_DIR, M_IBGP_DIR, M_LOCAL_FILE, M_MAX };
static const struct render_var main_vars[M_MAX] = {
	[M_ROUTER_ID] = { "router_id", 0 },
	[M_SRC4] = { "src4", 0 },
	[M_SRC6] = { "src6", 0 },
	[M_PFX4] = { "prefix4", 0 },
	[M_PFX6] = { "prefix6", 0 },
	[M_POLICY_DIR] = { "policy_dir", 0 },
	[M_PEER_DIR] = { "peer_dir", 0 },
	[M_IBGP_DIR] = { "ibgp_dir", 0 },
	[M_LOCAL_FILE] = { "local_file", 0 }
};

enum { R_NAME, R_HOST, R_PORT, R_MAX };
static const struct render_var rpki_vars[R_MAX] = {
	[R_NAME] = { "name", 0 },
	[R_HOST] = { "host", 0 },
	[R_PORT] = { "port", 0 }
};

/*
 * The known sets behind regionCommunity and bandwidthCommunity: the
 * DN42 registry's community values (64511, n), by their usual names.
 */
static const struct {
	const char	*name;
	const char	*value;
} known_communities[] = {
	{ "DN42_REGION_EU", "64511, 41" },
	{ "DN42_REGION_NA_E", "64511, 42" },
	{ "DN42_REGION_NA_C", "64511, 43" },
	{ "DN42_REGION_NA_W", "64511, 44" },
	{ "DN42_REGION_CA", "64511, 45" },
	{ "DN42_REGION_SA", "64511, 46" },
	{ "DN42_REGION_AF", "64511, 47" },
	{ "DN42_REGION_AS_S", "64511, 48" },
	{ "DN42_REGION_AS_SE", "64511, 49" },
	{ "DN42_REGION_AS_E", "64511, 50" },
	{ "DN42_REGION_OC", "64511, 51" },
	{ "DN42_REGION_ME", "64511, 52" },
	{ "DN42_REGION_AS_N", "64511, 53" },
	{ "DN42_BW_100K_PLUS", "64511, 21" },
	{ "DN42_BW_10M_PLUS", "64511, 22" },
	{ "DN42_BW_100M_PLUS", "64511, 23" },
	{ "DN42_BW_1G_PLUS", "64511, 24" },
	{ "DN42_BW_10G_PLUS", "64511, 25" },
	{ NULL, NULL }
};

/* Names the policy defines itself, and BIRD's own constants' prefixes. */
static const char *const own_names[] = {
	"OWNAS", "OWNNETv4", "OWNNETv6", "OWNNETSETv4", "OWNNETSETv6",
	"DN42_REGION", "DN42_BW", "MAINTENANCE_MODE", NULL
};
static const char *const bird_prefixes[] = {
	"ROA_", "RTS_", "RTD_", "NET_", "SCOPE_", "MPLS_", "ORIGIN_", "BGP_",
	"ASPA_", "RT_", NULL
};

static const char *const file_names[POLICY_NFILES] = {
	[POLICY_F_DEFS] = "00-defs.conf",
	[POLICY_F_BLOCKLIST] = "05-blacklist.conf",
	[POLICY_F_FILTERS] = "10-filters.conf",
	[POLICY_F_RPKI] = "20-rpki.conf",
	[POLICY_F_MAIN] = "bird.conf"
};

static int	 terminated(const char *, size_t);
static int	 check_comm_name(const char *, const struct cp_policy_msg *,
		    size_t, int, const char **);
static const char *known_value(const char *);
static int	 check_path(const char *);
static int	 fmt_prefix(int, const void *, unsigned int, char *, size_t,
		    const char **);
static int	 header(struct render_buf *, const char *, const char *,
		    char *, size_t);
static int	 large_defined(const struct cp_policy_msg *, const char *);
static int	 render_main(const struct policy_params *,
		    const struct cp_policy_msg *, const char *, const char *,
		    char *, size_t, const char **, char *, size_t);

static int
terminated(const char *s, size_t size)
{
	return (memchr(s, '\0', size) != NULL);
}

const char *
policy_file_name(int id)
{
	if (id < 0 || id >= POLICY_NFILES)
		return (NULL);
	return (file_names[id]);
}

struct policy_templates *
policy_templates_load(const char *dir, char *err, size_t errlen)
{
	struct policy_templates	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		render_fail(err, errlen,
		    "policy templates: %s", strerror(errno));
		return (NULL);
	}
	if ((t->defs = render_tmpl_load(dir, POLICY_DEFS_TEMPLATE, defs_vars,
	    D_MAX, err, errlen)) == NULL ||
	    (t->community = render_tmpl_load(dir, POLICY_COMMUNITY_TEMPLATE,
	    comm_vars, C_MAX, err, errlen)) == NULL ||
	    (t->filters = render_tmpl_load(dir, POLICY_FILTERS_TEMPLATE,
	    filter_vars, F_MAX, err, errlen)) == NULL ||
	    (t->rpki = render_tmpl_load(dir, POLICY_RPKI_TEMPLATE, rpki_vars,
	    R_MAX, err, errlen)) == NULL ||
	    (t->blocklist = render_tmpl_load(dir, POLICY_BLOCKLIST_TEMPLATE,
	    blocklist_vars, B_MAX, err, errlen)) == NULL ||
	    (t->main = render_tmpl_load(dir, POLICY_MAIN_TEMPLATE,
	    main_vars, M_MAX, err, errlen)) == NULL) {
		policy_templates_free(t);
		return (NULL);
	}
	return (t);
}

void
policy_templates_free(struct policy_templates *t)
{
	if (t == NULL)
		return;
	render_tmpl_free(t->defs);
	render_tmpl_free(t->community);
	render_tmpl_free(t->filters);
	render_tmpl_free(t->rpki);
	render_tmpl_free(t->blocklist);
	render_tmpl_free(t->main);
	free(t);
}

void
policy_params_init(struct policy_params *p)
{
	memset(p, 0, sizeof(*p));
	(void)strlcpy(p->maint_file, "/etc/bird/maintenance.conf",
	    sizeof(p->maint_file));
	(void)strlcpy(p->peer_template, "dn42_peer", sizeof(p->peer_template));
	(void)strlcpy(p->import_filter, "dn42_import_filter",
	    sizeof(p->import_filter));
	(void)strlcpy(p->export_filter, "dn42_export_filter",
	    sizeof(p->export_filter));
	(void)strlcpy(p->ibgp_import_filter, POLICY_IBGP_IMPORT,
	    sizeof(p->ibgp_import_filter));
	(void)strlcpy(p->ibgp_export_filter, POLICY_IBGP_EXPORT,
	    sizeof(p->ibgp_export_filter));
	(void)strlcpy(p->blacklist_file, "/etc/bird/blacklist.conf",
	    sizeof(p->blacklist_file));
}

/*
 * The block list's text as BIRD before 2.14 reads it: "function f()
 * -> bool {" loses its "-> bool".  0 with *out NULL when nothing needs
 * to change; -1 on a failed allocation.
 */
int
policy_blacklist_compat(const char *in, size_t len, char **out,
    size_t *outlen)
{
	const char	*p, *end = in + len, *arrow, *close;
	char		*buf;
	size_t		 n = 0;

	*out = NULL;
	*outlen = 0;
	if (memmem(in, len, "->", 2) == NULL)
		return (0);
	if ((buf = malloc(len + 1)) == NULL)
		return (-1);
	for (p = in; p < end; ) {
		close = memchr(p, ')', end - p);
		if (close == NULL) {
			memcpy(buf + n, p, end - p);
			n += end - p;
			break;
		}
		memcpy(buf + n, p, close + 1 - p);
		n += close + 1 - p;
		p = close + 1;
		/* ") -> type" with the type one word: drop the arrow and it. */
		for (arrow = p; arrow < end && (*arrow == ' ' ||
		    *arrow == '\t'); arrow++)
			;
		if (end - arrow < 2 || arrow[0] != '-' || arrow[1] != '>')
			continue;
		for (arrow += 2; arrow < end && (*arrow == ' ' ||
		    *arrow == '\t'); arrow++)
			;
		while (arrow < end && (isalnum((unsigned char)*arrow) ||
		    *arrow == '_'))
			arrow++;
		p = arrow;
	}
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	return (0);
}

void
policy_out_free(struct policy_out *o)
{
	int	 i;

	for (i = 0; i < POLICY_NFILES; i++)
		render_buf_free(&o->files[i]);
	memset(o, 0, sizeof(*o));
}

static const char *
known_value(const char *name)
{
	size_t	 i;

	for (i = 0; known_communities[i].name != NULL; i++)
		if (strcmp(known_communities[i].name, name) == 0)
			return (known_communities[i].value);
	return (NULL);
}

/*
 * A community name becomes a BIRD constant: upper case, digits and '_'
 * (BIRD's keywords are lower case), none of the names the policy or
 * BIRD define, and each name once across both lists.
 */
static int
check_comm_name(const char *name, const struct cp_policy_msg *p, size_t idx,
    int large, const char **why)
{
	const struct cp_community	*c;
	const char			*known;
	char				 val[32];
	size_t				 i, n;

	if (!terminated(name, CP_SYMBOL_LEN) || *name == '\0') {
		*why = "empty or not terminated";
		return (-1);
	}
	if (!isupper((unsigned char)name[0]) ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
	    strlen(name)) {
		*why = "not a name of A-Z 0-9 _ starting with a letter";
		return (-1);
	}
	for (i = 0; own_names[i] != NULL; i++)
		if (strcmp(own_names[i], name) == 0) {
			*why = "a name the policy defines itself";
			return (-1);
		}
	/* A registry name (DN42_REGION_EU) only with the registry's value. */
	if ((known = known_value(name)) != NULL) {
		c = large ? &p->large_communities[idx] : &p->communities[idx];
		(void)snprintf(val, sizeof(val), "%u, %u", c->val[0],
		    c->val[1]);
		if (large || strcmp(val, known) != 0) {
			*why = "not the DN42 registry's value for that name";
			return (-1);
		}
	}
	for (i = 0; bird_prefixes[i] != NULL; i++)
		if (strncmp(name, bird_prefixes[i],
		    strlen(bird_prefixes[i])) == 0) {
			*why = "a prefix of BIRD's own constants";
			return (-1);
		}
	/* Every name before this one, in both lists. */
	n = large ? p->ncommunities + idx : idx;
	for (i = 0; i < n; i++) {
		c = i < p->ncommunities ? &p->communities[i] :
		    &p->large_communities[i - p->ncommunities];
		if (strcmp(c->name, name) == 0) {
			*why = "defined twice";
			return (-1);
		}
	}
	return (0);
}

static int
large_defined(const struct cp_policy_msg *p, const char *name)
{
	uint32_t	 i;

	for (i = 0; i < p->nlarge_communities; i++)
		if (strcmp(p->large_communities[i].name, name) == 0)
			return (1);
	return (0);
}

/* An absolute path that is safe between double quotes. */
static int
check_path(const char *s)
{
	size_t	 n = strlen(s);

	if (n == 0 || s[0] != '/' || strstr(s, "..") != NULL ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_./-+") != n)
		return (-1);
	return (0);
}

/* An aggregate: not a default route, no host bits. */
static int
fmt_prefix(int af, const void *addr, unsigned int len, char *out,
    size_t outlen, const char **why)
{
	const uint8_t	*b = addr;
	char		 a[INET6_ADDRSTRLEN];
	unsigned int	 i, max = af == AF_INET ? 32 : 128;

	if (len < 8 || len > max) {
		*why = af == AF_INET ? "length not within 8..32" :
		    "length not within 8..128";
		return (-1);
	}
	for (i = len; i < max; i++)
		if (b[i / 8] & (0x80 >> (i % 8))) {
			*why = "host bits set";
			return (-1);
		}
	if (inet_ntop(af, addr, a, sizeof(a)) == NULL ||
	    snprintf(out, outlen, "%s/%u", a, len) >= (int)outlen) {
		*why = "cannot format";
		return (-1);
	}
	return (0);
}

static int
header(struct render_buf *b, const char *what, const char *hash, char *err,
    size_t errlen)
{
	char	 line[256];
	int	 n;

	n = snprintf(line, sizeof(line), "%s%s%s%s\n", RENDER_HEADER_PREFIX,
	    what, hash != NULL ? " " : "", hash != NULL ? hash : "");
	if (n < 0 || (size_t)n >= sizeof(line) ||
	    render_buf_append(b, line, n) == -1)
		return (render_fail(err, errlen,
		    "policy: %s", strerror(errno)));
	return (0);
}

/* The values of bird.conf, checked; rid holds the router id. */
static int
render_main(const struct policy_params *pp, const struct cp_policy_msg *p,
    const char *pfx4, const char *pfx6, char *rid, size_t ridlen,
    const char **mv, char *err, size_t errlen)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;
	const char	*paths[4];
	size_t		 i;

	paths[0] = pp->policy_dir;
	paths[1] = pp->peer_dir;
	paths[2] = pp->ibgp_dir;
	paths[3] = pp->local_file;
	for (i = 0; i < 4; i++)
		if (check_path(paths[i]) == -1)
			return (render_fail(err, errlen,
			    "bird.conf: %s: not an "
			    "absolute path of A-Z a-z 0-9 _ . / - +",
			    paths[i]));
	if (pp->router_id[0] != '\0') {
		if (inet_pton(AF_INET, pp->router_id, &a4) != 1)
			return (render_fail(err, errlen,
			    "bird.conf: router id %s: "
			    "not an IPv4 address", pp->router_id));
		(void)strlcpy(rid, pp->router_id, ridlen);
	} else if (p->loopback4.s_addr != INADDR_ANY)
		(void)inet_ntop(AF_INET, &p->loopback4, rid, ridlen);
	else
		return (render_fail(err, errlen,
		    "bird.conf: no router id: neither "
		    "wireguard.dn42Ipv4 nor bird-config node.loopbackIpv4"));
	if ((pp->src4[0] != '\0' && inet_pton(AF_INET, pp->src4, &a4) != 1) ||
	    (pp->src6[0] != '\0' && inet_pton(AF_INET6, pp->src6, &a6) != 1))
		return (render_fail(err, errlen,
		    "bird.conf: a loopback address is "
		    "not an address"));
	mv[M_ROUTER_ID] = rid;
	mv[M_SRC4] = pp->src4;
	mv[M_SRC6] = pp->src6;
	mv[M_PFX4] = pfx4;
	mv[M_PFX6] = pfx6;
	mv[M_POLICY_DIR] = pp->policy_dir;
	mv[M_PEER_DIR] = pp->peer_dir;
	mv[M_IBGP_DIR] = pp->ibgp_dir;
	mv[M_LOCAL_FILE] = pp->local_file;
	return (0);
}

int
policy_render(const struct policy_templates *t, const struct policy_params *pp,
    const struct cp_policy_msg *p, struct policy_out *o, char *err,
    size_t errlen)
{
	const char	*dv[D_MAX], *cv[C_MAX], *fv[F_MAX], *rv[R_MAX];
	const char	*bv[B_MAX], *mv[M_MAX];
	char		 rid[INET_ADDRSTRLEN];
	const char	*why = NULL;
	const struct cp_community *c;
	char		 asn[16], pfx4[64], pfx6[64], pathlen[16];
	char		 ilimit[16], elimit[16], ca[16], cb[16], cc[16];
	char		 rname[RPKI_NAME_MAX + 8], rport[8], sum[96];
	uint32_t	 i;
	int		 k;

	memset(o, 0, sizeof(*o));
	if (t == NULL)
		return (render_fail(err, errlen,
		    "policy templates not loaded"));

	/* The node's own settings. */
	if (!terminated(pp->maint_file, sizeof(pp->maint_file)) ||
	    check_path(pp->maint_file) == -1)
		return (render_fail(err, errlen, "bird.maintenanceFile: not an "
		    "absolute path of A-Z a-z 0-9 _ . / - +"));
	if (!terminated(pp->blacklist_file, sizeof(pp->blacklist_file)) ||
	    check_path(pp->blacklist_file) == -1)
		return (render_fail(err, errlen, "bird.blacklistFile: not an "
		    "absolute path of A-Z a-z 0-9 _ . / - +"));
	if (!render_is_symbol(pp->peer_template, sizeof(pp->peer_template)) ||
	    !render_is_symbol(pp->import_filter, sizeof(pp->import_filter)) ||
	    !render_is_symbol(pp->export_filter, sizeof(pp->export_filter)) ||
	    !render_is_symbol(pp->ibgp_import_filter,
	    sizeof(pp->ibgp_import_filter)) ||
	    !render_is_symbol(pp->ibgp_export_filter,
	    sizeof(pp->ibgp_export_filter)))
		return (render_fail(err, errlen,
		    "bird.peerTemplate, importFilter or "
		    "exportFilter: not a BIRD name"));

	/* The control plane's, field by field. */
	if (!terminated(p->config_hash, sizeof(p->config_hash)) ||
	    p->config_hash[0] == '\0' || strspn(p->config_hash,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	    "_.:-") != strlen(p->config_hash))
		return (render_fail(err, errlen,
		    "bird-config: configHash: empty or "
		    "characters other than A-Z a-z 0-9 _ . : -"));
	if (p->dn42_as == 0 || p->dn42_as == 23456 || p->dn42_as == 65535 ||
	    p->dn42_as == UINT32_MAX)
		return (render_fail(err, errlen,
		    "bird-config: policy.dn42As: %u is "
		    "reserved", p->dn42_as));
	(void)snprintf(asn, sizeof(asn), "%u", p->dn42_as);
	pfx4[0] = pfx6[0] = '\0';
	if ((p->flags & CP_POL_HAS_PFX4) && fmt_prefix(AF_INET, &p->prefix4,
	    p->prefix4_len, pfx4, sizeof(pfx4), &why) == -1)
		return (render_fail(err, errlen,
		    "bird-config: policy.dn42Ipv4Prefix: "
		    "%s", why));
	if ((p->flags & CP_POL_HAS_PFX6) && fmt_prefix(AF_INET6, &p->prefix6,
	    p->prefix6_len, pfx6, sizeof(pfx6), &why) == -1)
		return (render_fail(err, errlen,
		    "bird-config: policy.dn42Ipv6Prefix: "
		    "%s", why));
	if (p->ebgp_import_limit > POLICY_LIMIT_MAX ||
	    p->ebgp_export_limit > POLICY_LIMIT_MAX ||
	    p->ibgp_import_limit > POLICY_LIMIT_MAX ||
	    p->ibgp_export_limit > POLICY_LIMIT_MAX)
		return (render_fail(err, errlen,
		    "bird-config: policy: a limit above "
		    "%d", POLICY_LIMIT_MAX));
	if (p->as_path_max_len > 255)
		return (render_fail(err, errlen,
		    "bird-config: policy.asPathMaxLen: "
		    "%u not within 0..255", p->as_path_max_len));
	if (!terminated(p->region_community, CP_SYMBOL_LEN) ||
	    !terminated(p->bandwidth_community, CP_SYMBOL_LEN) ||
	    !terminated(p->continent_lc, CP_SYMBOL_LEN) ||
	    !terminated(p->subregion_lc, CP_SYMBOL_LEN))
		return (render_fail(err, errlen,
		    "bird-config: node: a community name "
		    "not terminated"));
	if (p->region_community[0] != '\0' &&
	    (strncmp(p->region_community, "DN42_REGION_", 12) != 0 ||
	    known_value(p->region_community) == NULL))
		return (render_fail(err, errlen,
		    "bird-config: node.regionCommunity: "
		    "not a known region community"));
	if (p->bandwidth_community[0] != '\0' &&
	    (strncmp(p->bandwidth_community, "DN42_BW_", 8) != 0 ||
	    known_value(p->bandwidth_community) == NULL))
		return (render_fail(err, errlen,
		    "bird-config: node.bandwidthCommunity: "
		    "not a known bandwidth community"));
	if (p->ncommunities > CP_COMMUNITY_MAX ||
	    p->nlarge_communities > CP_COMMUNITY_MAX || p->nrpki > CP_RPKI_MAX)
		return (render_fail(err, errlen,
		    "bird-config: policy: too many "
		    "communities or RPKI servers"));
	for (i = 0; i < p->ncommunities; i++) {
		c = &p->communities[i];
		if (check_comm_name(c->name, p, i, 0, &why) == -1)
			return (render_fail(err, errlen, "bird-config: "
			    "policy.communities[%u]: %s", i, why));
		if (c->large || c->val[0] > UINT16_MAX ||
		    c->val[1] > UINT16_MAX)
			return (render_fail(err, errlen, "bird-config: "
			    "policy.communities.%s: values not within "
			    "0..65535", c->name));
	}
	for (i = 0; i < p->nlarge_communities; i++) {
		c = &p->large_communities[i];
		if (check_comm_name(c->name, p, i, 1, &why) == -1)
			return (render_fail(err, errlen, "bird-config: "
			    "policy.largeCommunities[%u]: %s", i, why));
		if (!c->large)
			return (render_fail(err, errlen, "bird-config: "
			    "policy.largeCommunities.%s: not large", c->name));
	}
	if (p->continent_lc[0] != '\0' && !large_defined(p, p->continent_lc))
		return (render_fail(err, errlen,
		    "bird-config: node.continentLc: not "
		    "one of policy.largeCommunities"));
	if (p->subregion_lc[0] != '\0' && !large_defined(p, p->subregion_lc))
		return (render_fail(err, errlen,
		    "bird-config: node.subregionLc: not "
		    "one of policy.largeCommunities"));
	for (i = 0; i < p->nrpki; i++) {
		const struct cp_rpki_server *r = &p->rpki[i];
		uint32_t j;

		if (!terminated(r->name, sizeof(r->name)) ||
		    (r->name[0] != '\0' && (strlen(r->name) > RPKI_NAME_MAX ||
		    strspn(r->name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
		    "qrstuvwxyz0123456789_") != strlen(r->name))))
			return (render_fail(err, errlen, "bird-config: "
			    "policy.rpkiServers[%u].name: not a name of at "
			    "most %d A-Z a-z 0-9 _", i, RPKI_NAME_MAX));
		for (j = 0; j < i; j++)
			if (r->name[0] != '\0' &&
			    strcmp(p->rpki[j].name, r->name) == 0)
				return (render_fail(err, errlen, "bird-config: "
				    "policy.rpkiServers[%u].name: twice", i));
		if (host_check(r->host, CP_HOST_LEN) != NULL)
			return (render_fail(err, errlen, "bird-config: "
			    "policy.rpkiServers[%u].host: not an address or "
			    "a host name", i));
		if (r->port == 0)
			return (render_fail(err, errlen, "bird-config: "
			    "policy.rpkiServers[%u].port: 0", i));
	}

	/* 00-defs.conf */
	for (k = 0; k < D_MAX; k++)
		dv[k] = "";
	dv[D_MAINT] = pp->maint_file;
	dv[D_ASN] = asn;
	dv[D_PFX4] = pfx4;
	dv[D_PFX6] = pfx6;
	if (p->region_community[0] != '\0') {
		dv[D_REGION] = p->region_community;
		dv[D_REGION_VAL] = known_value(p->region_community);
	}
	if (p->bandwidth_community[0] != '\0') {
		dv[D_BW] = p->bandwidth_community;
		dv[D_BW_VAL] = known_value(p->bandwidth_community);
	}
	dv[D_RPKI] = p->nrpki > 0 ? "1" : "";
	if (header(&o->files[POLICY_F_DEFS], "policy", p->config_hash, err,
	    errlen) == -1 ||
	    render_tmpl_apply(t->defs, dv, &o->files[POLICY_F_DEFS], err,
	    errlen) == -1)
		goto bad;
	for (i = 0; i < p->ncommunities + p->nlarge_communities; i++) {
		c = i < p->ncommunities ? &p->communities[i] :
		    &p->large_communities[i - p->ncommunities];
		(void)snprintf(ca, sizeof(ca), "%u", c->val[0]);
		(void)snprintf(cb, sizeof(cb), "%u", c->val[1]);
		(void)snprintf(cc, sizeof(cc), "%u", c->val[2]);
		cv[C_NAME] = c->name;
		cv[C_A] = ca;
		cv[C_B] = cb;
		cv[C_C] = c->large ? cc : "";
		cv[C_LARGE] = c->large ? "1" : "";
		if (render_tmpl_apply(t->community, cv,
		    &o->files[POLICY_F_DEFS], err, errlen) == -1)
			goto bad;
	}
	o->present[POLICY_F_DEFS] = 1;

	/* 05-blacklist.conf */
	bv[B_INCLUDE] = pp->blacklist_copy == NULL ? pp->blacklist_file : "";
	bv[B_FILE] = pp->blacklist_file;
	if (header(&o->files[POLICY_F_BLOCKLIST], "policy", p->config_hash,
	    err, errlen) == -1 ||
	    render_tmpl_apply(t->blocklist, bv, &o->files[POLICY_F_BLOCKLIST],
	    err, errlen) == -1 ||
	    (pp->blacklist_copy != NULL &&
	    render_buf_append(&o->files[POLICY_F_BLOCKLIST],
	    pp->blacklist_copy, pp->blacklist_copylen) == -1))
		goto bad;
	if (pp->blacklist_copy == NULL && pp->blacklist_sum[0] != '\0') {
		k = snprintf(sum, sizeof(sum), "# its sha256: %.64s\n",
		    pp->blacklist_sum);
		if (render_buf_append(&o->files[POLICY_F_BLOCKLIST], sum,
		    k) == -1)
			goto bad;
	}
	o->present[POLICY_F_BLOCKLIST] = 1;

	/* 10-filters.conf */
	for (k = 0; k < F_MAX; k++)
		fv[k] = "";
	fv[F_IMPORT] = pp->import_filter;
	fv[F_EXPORT] = pp->export_filter;
	fv[F_IBGP_IMPORT] = pp->ibgp_import_filter;
	fv[F_IBGP_EXPORT] = pp->ibgp_export_filter;
	fv[F_TEMPLATE] = pp->peer_template;
	fv[F_PFX4] = pfx4;
	fv[F_PFX6] = pfx6;
	pathlen[0] = ilimit[0] = elimit[0] = '\0';
	if (p->as_path_max_len > 0)
		(void)snprintf(pathlen, sizeof(pathlen), "%u",
		    p->as_path_max_len);
	if (p->ebgp_import_limit > 0)
		(void)snprintf(ilimit, sizeof(ilimit), "%u",
		    p->ebgp_import_limit);
	if (p->ebgp_export_limit > 0)
		(void)snprintf(elimit, sizeof(elimit), "%u",
		    p->ebgp_export_limit);
	fv[F_PATHLEN] = pathlen;
	fv[F_IMPORT_LIMIT] = ilimit;
	fv[F_EXPORT_LIMIT] = elimit;
	fv[F_RPKI] = p->nrpki > 0 ? "1" : "";
	fv[F_REGION] = p->region_community;
	fv[F_BW] = p->bandwidth_community;
	fv[F_CONTLC] = p->continent_lc;
	fv[F_SUBLC] = p->subregion_lc;
	if (header(&o->files[POLICY_F_FILTERS], "policy", p->config_hash, err,
	    errlen) == -1 ||
	    render_tmpl_apply(t->filters, fv, &o->files[POLICY_F_FILTERS], err,
	    errlen) == -1)
		goto bad;
	o->present[POLICY_F_FILTERS] = 1;

	/* 20-rpki.conf, only with servers. */
	if (p->nrpki > 0) {
		if (header(&o->files[POLICY_F_RPKI], "policy", p->config_hash,
		    err, errlen) == -1)
			goto bad;
		for (i = 0; i < p->nrpki; i++) {
			if (p->rpki[i].name[0] != '\0')
				(void)snprintf(rname, sizeof(rname), "rpki_%s",
				    p->rpki[i].name);
			else
				(void)snprintf(rname, sizeof(rname), "rpki%u",
				    i + 1);
			(void)snprintf(rport, sizeof(rport), "%u",
			    p->rpki[i].port);
			rv[R_NAME] = rname;
			rv[R_HOST] = p->rpki[i].host;
			rv[R_PORT] = rport;
			if (render_buf_append(&o->files[POLICY_F_RPKI], "\n",
			    1) == -1 || render_tmpl_apply(t->rpki, rv,
			    &o->files[POLICY_F_RPKI], err, errlen) == -1)
				goto bad;
		}
		o->present[POLICY_F_RPKI] = 1;
	}

	/* bird.conf, when the caller names the directories. */
	if (pp->policy_dir[0] != '\0') {
		if (render_main(pp, p, pfx4, pfx6, rid, sizeof(rid), mv, err,
		    errlen) == -1 ||
		    header(&o->files[POLICY_F_MAIN], "bird.conf",
		    p->config_hash, err, errlen) == -1 ||
		    render_tmpl_apply(t->main, mv, &o->files[POLICY_F_MAIN],
		    err, errlen) == -1)
			goto bad;
		o->present[POLICY_F_MAIN] = 1;
	}
	return (0);
 bad:
	policy_out_free(o);
	return (-1);
}
