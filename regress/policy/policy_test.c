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
 * The routing policy renderer: golden files for fixture bird-config
 * records, a refusal for every kind of bad value (naming the field),
 * and stable bytes.  -w dir writes each case's policy files into
 * dir/<case>/policy plus one eBGP peer file into dir/<case>/peers, for
 * "bird -p" (bird_test.sh); -u rewrites the golden files.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cp.h"
#include "parent/ports/render.h"
#include "parent/tasks/policy.h"
#include "files.h"
#include "regress.h"

#define MAINT_FILE	"/etc/bird/maintenance.conf"

struct pcase {
	const char	*name;
	void		(*fill)(struct cp_policy_msg *);
};

struct bad {
	const char	*name;
	void		(*spoil)(struct cp_policy_msg *,
			    struct policy_params *);
	const char	*field;		/* the error must name it */
};

static struct policy_templates	*tmpls;
static struct render_templates	*peer_tmpls;
static char			 golden[PATH_MAX];

static void	p_full(struct cp_policy_msg *);
static void	p_minimal(struct cp_policy_msg *);
static void	p_v6only(struct cp_policy_msg *);
static void	comm(struct cp_community *, const char *, int, uint32_t,
		    uint32_t, uint32_t);
static void	params(struct policy_params *, const char *);
static void	test_blacklist_compat(void);
static int	render_case(const struct pcase *, const char *,
		    struct policy_out *, char *, size_t);
static void	test_golden(int);
static void	test_bad(void);
static void	test_stable(void);
static int	write_sets(const char *);
static void	usage(void) __attribute__((__noreturn__));
static void	pathf(char *, size_t, const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));

static const struct pcase cases[] = {
	{ "full", p_full },
	{ "minimal", p_minimal },
	{ "v6only", p_v6only }
};

static void
pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		errx(1, "path too long");
}

static void
comm(struct cp_community *c, const char *name, int large, uint32_t a,
    uint32_t b, uint32_t cc)
{
	memset(c, 0, sizeof(*c));
	(void)strlcpy(c->name, name, sizeof(c->name));
	c->large = large;
	c->val[0] = a;
	c->val[1] = b;
	c->val[2] = cc;
}

static void
p_minimal(struct cp_policy_msg *p)
{
	memset(p, 0, sizeof(*p));
	(void)strlcpy(p->config_hash, "h-minimal", sizeof(p->config_hash));
	p->dn42_as = 4242420077;
}

static void
p_full(struct cp_policy_msg *p)
{
	memset(p, 0, sizeof(*p));
	(void)strlcpy(p->config_hash, "9f2c61a0e4", sizeof(p->config_hash));
	(void)strlcpy(p->node_name, "jp-edge", sizeof(p->node_name));
	p->node_id = 3;
	p->dn42_as = 4242421234;
	if (inet_pton(AF_INET, "172.22.140.0", &p->prefix4) != 1 ||
	    inet_pton(AF_INET6, "fd00:4242:7777::", &p->prefix6) != 1)
		errx(1, "inet_pton");
	p->prefix4_len = 26;
	p->prefix6_len = 48;
	p->flags = CP_POL_HAS_PFX4 | CP_POL_HAS_PFX6;
	(void)strlcpy(p->region_community, "DN42_REGION_AS_E",
	    sizeof(p->region_community));
	(void)strlcpy(p->bandwidth_community, "DN42_BW_1G_PLUS",
	    sizeof(p->bandwidth_community));
	(void)strlcpy(p->continent_lc, "LC_CONT_AS", sizeof(p->continent_lc));
	(void)strlcpy(p->subregion_lc, "LC_SUB_EA", sizeof(p->subregion_lc));
	(void)strlcpy(p->rpki[0].name, "local", sizeof(p->rpki[0].name));
	(void)strlcpy(p->rpki[0].host, "127.0.0.1", sizeof(p->rpki[0].host));
	p->rpki[0].port = 8082;
	(void)strlcpy(p->rpki[1].host, "rpki.example.net",
	    sizeof(p->rpki[1].host));
	p->rpki[1].port = 323;
	p->nrpki = 2;
	p->ebgp_import_limit = 10000;
	p->ebgp_export_limit = 5000;
	p->ibgp_import_limit = 20000;
	p->as_path_max_len = 24;
	comm(&p->communities[0], "NO_EXPORT_PEERS", 0, 65000, 1, 0);
	comm(&p->communities[1], "LEARNED_IX", 0, 65000, 2, 0);
	p->ncommunities = 2;
	comm(&p->large_communities[0], "LC_CONT_AS", 1, 4242421234, 1, 50);
	comm(&p->large_communities[1], "LC_SUB_EA", 1, 4242421234, 2, 30);
	p->nlarge_communities = 2;
}

static void
p_v6only(struct cp_policy_msg *p)
{
	p_minimal(p);
	(void)strlcpy(p->config_hash, "h-v6", sizeof(p->config_hash));
	if (inet_pton(AF_INET6, "fd42:4242:99::", &p->prefix6) != 1)
		errx(1, "inet_pton");
	p->prefix6_len = 48;
	p->flags = CP_POL_HAS_PFX6;
	p->as_path_max_len = 8;
	(void)strlcpy(p->rpki[0].host, "fd42:4242:99::53",
	    sizeof(p->rpki[0].host));
	p->rpki[0].port = 8282;
	p->nrpki = 1;
}

/* The script's block list, which BIRD 2.0 reads only as a copy. */
static const char	 script_blacklist[] =
    "function is_blacklisted() -> bool { return false; }\n";
static const char	 untyped_blacklist[] =
    "function is_blacklisted() { return false; }\n";

/* Paths under base ("/etc/bird" for the golden files). */
static void
params(struct policy_params *pp, const char *base)
{
	policy_params_init(pp);
	if (base == NULL)
		base = "/etc/bird";
	pathf(pp->maint_file, sizeof(pp->maint_file), "%s/maintenance.conf",
	    base);
	pathf(pp->blacklist_file, sizeof(pp->blacklist_file),
	    "%s/blacklist.conf", base);
	pathf(pp->policy_dir, sizeof(pp->policy_dir), "%s/policy", base);
	pathf(pp->peer_dir, sizeof(pp->peer_dir), "%s/peers", base);
	pathf(pp->ibgp_dir, sizeof(pp->ibgp_dir), "%s/ibgp", base);
	pathf(pp->local_file, sizeof(pp->local_file), "%s/local.conf", base);
	(void)strlcpy(pp->router_id, "192.0.2.1", sizeof(pp->router_id));
	(void)strlcpy(pp->src4, "172.20.0.1", sizeof(pp->src4));
	(void)strlcpy(pp->src6, "fd42:4242::1", sizeof(pp->src6));
}

/* The minimal case carries the block list as BIRD 2.0 reads it. */
static int
render_case(const struct pcase *c, const char *base, struct policy_out *o,
    char *err, size_t errlen)
{
	struct cp_policy_msg	 p;
	struct policy_params	 pp;
	char			*copy = NULL;
	size_t			 copylen;
	int			 rc;

	c->fill(&p);
	params(&pp, base);
	if (strcmp(c->name, "minimal") == 0) {
		if (policy_blacklist_compat(script_blacklist,
		    strlen(script_blacklist), &copy, &copylen) == -1 ||
		    copy == NULL)
			errx(1, "policy_blacklist_compat");
		pp.blacklist_copy = copy;
		pp.blacklist_copylen = copylen;
	}
	rc = policy_render(tmpls, &pp, &p, o, err, errlen);
	free(copy);
	return (rc);
}

/* "-> type" after a function's arguments goes; nothing else changes. */
static void
test_blacklist_compat(void)
{
	static const struct {
		const char	*name, *in, *out;
	} t[] = {
		{ "stub", "function is_blacklisted() -> bool { return false; }",
		    "function is_blacklisted() { return false; }" },
		{ "tabs", "function f(int a)\t->\tbool\n{\n\treturn a > 1;\n}",
		    "function f(int a)\n{\n\treturn a > 1;\n}" },
		{ "two", "function a() -> bool { return (1 > 2); }\n"
		    "function b() -> int { return 3; }",
		    "function a() { return (1 > 2); }\n"
		    "function b() { return 3; }" },
		{ "untyped", "function f() { return false; }", NULL },
	};
	char	*out, name[64];
	size_t	 i, len;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		(void)snprintf(name, sizeof(name), "policy_blacklist_compat_%s",
		    t[i].name);
		if (policy_blacklist_compat(t[i].in, strlen(t[i].in), &out,
		    &len) == -1)
			REGRESS_FAIL(name, "failed");
		else if (t[i].out == NULL)
			REGRESS_CHECK(name, out == NULL);
		else if (out == NULL || len != strlen(t[i].out) ||
		    strcmp(out, t[i].out) != 0)
			REGRESS_FAIL(name, "got \"%s\"", out ? out : "(null)");
		else
			REGRESS_OK(name);
		free(out);
	}
}

/* Every file of every case against golden/<case>/<file>. */
static void
test_golden(int update)
{
	struct policy_out	 o;
	char			 path[PATH_MAX], name[128], ebuf[POLICY_ERR_LEN];
	char			*want;
	size_t			 i, len;
	int			 f;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (render_case(&cases[i], NULL, &o, ebuf, sizeof(ebuf)) == -1) {
			(void)snprintf(name, sizeof(name), "policy_render_%s",
			    cases[i].name);
			REGRESS_FAIL(name, "%s", ebuf);
			continue;
		}
		for (f = 0; f < POLICY_NFILES; f++) {
			(void)snprintf(name, sizeof(name), "policy_golden_%s_%s",
			    cases[i].name, policy_file_name(f));
			pathf(path, sizeof(path), "%s/%s/%s", golden,
			    cases[i].name, policy_file_name(f));
			if (update) {
				pathf(ebuf, sizeof(ebuf), "%s/%s",
				    golden, cases[i].name);
				(void)mkdir(ebuf, 0755);
				if (!o.present[f])
					(void)unlink(path);
				else if (file_spit(path, o.files[f].data,
				    o.files[f].len) == -1)
					err(1, "%s", path);
				continue;
			}
			want = file_slurp(path, &len);
			if (!o.present[f]) {
				if (want != NULL)
					REGRESS_FAIL(name, "not rendered, but "
					    "%s exists", path);
				else
					REGRESS_OK(name);
			} else if (want == NULL)
				REGRESS_FAIL(name, "%s: %s", path,
				    strerror(errno));
			else if (len != o.files[f].len ||
			    memcmp(want, o.files[f].data, len) != 0)
				REGRESS_FAIL(name, "differs from %s", path);
			else
				REGRESS_OK(name);
			free(want);
		}
		policy_out_free(&o);
	}
}

/* Same record, same bytes; another hash, other bytes. */
static void
test_stable(void)
{
	struct policy_out	 a, b;
	struct cp_policy_msg	 p;
	struct policy_params	 pp;
	char			 err[POLICY_ERR_LEN];
	int			 f, same = 1;

	if (render_case(&cases[0], NULL, &a, err, sizeof(err)) == -1 ||
	    render_case(&cases[0], NULL, &b, err, sizeof(err)) == -1)
		errx(1, "%s", err);
	for (f = 0; f < POLICY_NFILES; f++)
		if (a.files[f].len != b.files[f].len ||
		    (a.files[f].len > 0 && memcmp(a.files[f].data,
		    b.files[f].data, a.files[f].len) != 0))
			same = 0;
	REGRESS_CHECK("policy_same_bytes", same);
	policy_out_free(&b);
	p_full(&p);
	(void)strlcpy(p.config_hash, "other", sizeof(p.config_hash));
	params(&pp, NULL);
	if (policy_render(tmpls, &pp, &p, &b, err, sizeof(err)) == -1)
		errx(1, "%s", err);
	REGRESS_CHECK("policy_hash_in_header",
	    strncmp(b.files[POLICY_F_DEFS].data, "# moenet-agent: policy other\n",
	    29) == 0);
	REGRESS_CHECK("policy_main_has_hash",
	    strncmp(b.files[POLICY_F_MAIN].data,
	    "# moenet-agent: bird.conf other\n", 32) == 0);
	policy_out_free(&a);
	policy_out_free(&b);
}

static void s_hash(struct cp_policy_msg *p, struct policy_params *pp)
{ (void)strlcpy(p->config_hash, "ab\"c", sizeof(p->config_hash)); }
static void s_hash_empty(struct cp_policy_msg *p, struct policy_params *pp)
{ p->config_hash[0] = '\0'; }
static void s_hash_unterm(struct cp_policy_msg *p, struct policy_params *pp)
{ memset(p->config_hash, 'a', sizeof(p->config_hash)); }
static void s_as0(struct cp_policy_msg *p, struct policy_params *pp)
{ p->dn42_as = 0; }
static void s_as_trans(struct cp_policy_msg *p, struct policy_params *pp)
{ p->dn42_as = 23456; }
static void s_pfx4_host(struct cp_policy_msg *p, struct policy_params *pp)
{ p->prefix4.s_addr = htonl(0xac168c01); }
static void s_pfx4_len(struct cp_policy_msg *p, struct policy_params *pp)
{ p->prefix4_len = 0; p->prefix4.s_addr = 0; }
static void s_pfx6_len(struct cp_policy_msg *p, struct policy_params *pp)
{ p->prefix6_len = 129; }
static void s_region(struct cp_policy_msg *p, struct policy_params *pp)
{ (void)strlcpy(p->region_community, "DN42_REGION_MARS",
    sizeof(p->region_community)); }
static void s_region_bw(struct cp_policy_msg *p, struct policy_params *pp)
{ (void)strlcpy(p->region_community, "DN42_BW_1G_PLUS",
    sizeof(p->region_community)); }
static void s_bw(struct cp_policy_msg *p, struct policy_params *pp)
{ (void)strlcpy(p->bandwidth_community, "filter",
    sizeof(p->bandwidth_community)); }
static void s_comm_lower(struct cp_policy_msg *p, struct policy_params *pp)
{ (void)strlcpy(p->communities[0].name, "filter",
    sizeof(p->communities[0].name)); }
static void s_comm_bird(struct cp_policy_msg *p, struct policy_params *pp)
{ (void)strlcpy(p->communities[1].name, "ROA_INVALID",
    sizeof(p->communities[1].name)); }
static void s_comm_own(struct cp_policy_msg *p, struct policy_params *pp)
{ (void)strlcpy(p->communities[0].name, "MAINTENANCE_MODE",
    sizeof(p->communities[0].name)); }
static void s_comm_dup(struct cp_policy_msg *p, struct policy_params *pp)
{ (void)strlcpy(p->large_communities[1].name, "LEARNED_IX",
    sizeof(p->large_communities[1].name)); }
static void s_comm_val(struct cp_policy_msg *p, struct policy_params *pp)
{ p->communities[0].val[1] = 70000; }
static void s_comm_count(struct cp_policy_msg *p, struct policy_params *pp)
{ p->ncommunities = CP_COMMUNITY_MAX + 1; }
static void s_lc_undef(struct cp_policy_msg *p, struct policy_params *pp)
{ (void)strlcpy(p->continent_lc, "LC_CONT_EU", sizeof(p->continent_lc)); }
static void s_rpki_host(struct cp_policy_msg *p, struct policy_params *pp)
{ (void)strlcpy(p->rpki[1].host, "rpki\" port 1", sizeof(p->rpki[1].host)); }
static void s_rpki_name(struct cp_policy_msg *p, struct policy_params *pp)
{ (void)strlcpy(p->rpki[0].name, "a-b", sizeof(p->rpki[0].name)); }
static void s_rpki_dup(struct cp_policy_msg *p, struct policy_params *pp)
{ (void)strlcpy(p->rpki[1].name, "local", sizeof(p->rpki[1].name)); }
static void s_rpki_port(struct cp_policy_msg *p, struct policy_params *pp)
{ p->rpki[0].port = 0; }
static void s_pathlen(struct cp_policy_msg *p, struct policy_params *pp)
{ p->as_path_max_len = 256; }
static void s_limit(struct cp_policy_msg *p, struct policy_params *pp)
{ p->ebgp_export_limit = POLICY_LIMIT_MAX + 1; }
static void s_maint(struct cp_policy_msg *p, struct policy_params *pp)
{ (void)strlcpy(pp->maint_file, "maintenance.conf",
    sizeof(pp->maint_file)); }
static void s_maint_quote(struct cp_policy_msg *p, struct policy_params *pp)
{ (void)strlcpy(pp->maint_file, "/etc/bird/m\".conf",
    sizeof(pp->maint_file)); }
static void s_filter(struct cp_policy_msg *p, struct policy_params *pp)
{ (void)strlcpy(pp->import_filter, "dn42 import",
    sizeof(pp->import_filter)); }

static const struct bad bads[] = {
	{ "hash_quote", s_hash, "configHash" },
	{ "hash_empty", s_hash_empty, "configHash" },
	{ "hash_unterminated", s_hash_unterm, "configHash" },
	{ "as_zero", s_as0, "dn42As" },
	{ "as_trans", s_as_trans, "dn42As" },
	{ "prefix4_host_bits", s_pfx4_host, "dn42Ipv4Prefix" },
	{ "prefix4_default", s_pfx4_len, "dn42Ipv4Prefix" },
	{ "prefix6_length", s_pfx6_len, "dn42Ipv6Prefix" },
	{ "region_unknown", s_region, "regionCommunity" },
	{ "region_is_bandwidth", s_region_bw, "regionCommunity" },
	{ "bandwidth_unknown", s_bw, "bandwidthCommunity" },
	{ "community_lower_case", s_comm_lower, "communities" },
	{ "community_bird_constant", s_comm_bird, "communities" },
	{ "community_own_name", s_comm_own, "communities" },
	{ "community_twice", s_comm_dup, "largeCommunities" },
	{ "community_value", s_comm_val, "communities" },
	{ "community_count", s_comm_count, "communities" },
	{ "continent_lc_undefined", s_lc_undef, "continentLc" },
	{ "rpki_host", s_rpki_host, "rpkiServers[1].host" },
	{ "rpki_name", s_rpki_name, "rpkiServers[0].name" },
	{ "rpki_name_twice", s_rpki_dup, "rpkiServers[1].name" },
	{ "rpki_port", s_rpki_port, "rpkiServers[0].port" },
	{ "path_length", s_pathlen, "asPathMaxLen" },
	{ "limit", s_limit, "limit" },
	{ "maintenance_relative", s_maint, "maintenanceFile" },
	{ "maintenance_quote", s_maint_quote, "maintenanceFile" },
	{ "filter_name", s_filter, "importFilter" }
};

/* Each bad value alone, on the full fixture: refused, field named. */
static void
test_bad(void)
{
	struct policy_out	 o;
	struct cp_policy_msg	 p;
	struct policy_params	 pp;
	char			 name[128], err[POLICY_ERR_LEN];
	size_t			 i;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		(void)snprintf(name, sizeof(name), "policy_refuses_%s",
		    bads[i].name);
		p_full(&p);
		params(&pp, NULL);
		bads[i].spoil(&p, &pp);
		memset(err, 0, sizeof(err));
		if (policy_render(tmpls, &pp, &p, &o, err, sizeof(err)) !=
		    -1) {
			REGRESS_FAIL(name, "rendered");
			policy_out_free(&o);
		} else if (strstr(err, bads[i].field) == NULL)
			REGRESS_FAIL(name, "error does not name %s: %s",
			    bads[i].field, err);
		else if (o.files[POLICY_F_DEFS].data != NULL)
			REGRESS_FAIL(name, "output left behind");
		else
			REGRESS_OK(name);
	}
}

/*
 * dir/<case>/: bird.conf as the agent renders it, policy/, the block
 * list and local.conf it includes, and one eBGP peer file in peers/
 * that names the template and filters the policy defines.
 */
static int
write_sets(const char *dir)
{
	struct policy_out	 o;
	struct render_params	 rp;
	struct cp_session_msg	 s;
	struct render_buf	 rb;
	char			 path[PATH_MAX], base[PATH_MAX];
	char			 ebuf[POLICY_ERR_LEN];
	static const char	*const subdirs[] = { "policy", "peers", "ibgp" };
	size_t			 i, j;
	int			 f;

	render_params_init(&rp);
	rp.templates = peer_tmpls;
	if (render_own_ll("fd00:4242:7777:101:4::1", "", rp.own_ll,
	    sizeof(rp.own_ll), ebuf, sizeof(ebuf)) == -1)
		errx(1, "%s", ebuf);
	memset(&s, 0, sizeof(s));
	(void)strlcpy(s.uuid, "s1", sizeof(s.uuid));
	(void)strlcpy(s.ifname, "dn42_4242420002", sizeof(s.ifname));
	(void)strlcpy(s.name, "peer b", sizeof(s.name));
	s.asn = 4242420002;
	s.status = CP_STATUS_ENABLED;
	s.flags = CP_SESS_MPBGP | CP_SESS_ENH | CP_SESS_HAS_LL;
	if (inet_pton(AF_INET6, "fe80::b", &s.ipv6_ll) != 1)
		errx(1, "inet_pton");
	memset(&rb, 0, sizeof(rb));
	if (render_session(&rp, &s, &rb, ebuf, sizeof(ebuf)) == -1)
		errx(1, "peer file: %s", ebuf);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pathf(base, sizeof(base), "%s/%s", dir, cases[i].name);
		if (mkdir(base, 0755) == -1 && errno != EEXIST)
			err(1, "%s", base);
		for (j = 0; j < sizeof(subdirs) / sizeof(subdirs[0]); j++) {
			pathf(path, sizeof(path), "%s/%s", base, subdirs[j]);
			if (mkdir(path, 0755) == -1 && errno != EEXIST)
				err(1, "%s", path);
		}
		if (render_case(&cases[i], base, &o, ebuf, sizeof(ebuf)) == -1)
			errx(1, "%s: %s", cases[i].name, ebuf);
		for (f = 0; f < POLICY_NFILES; f++) {
			if (!o.present[f])
				continue;
			if (f == POLICY_F_MAIN)
				pathf(path, sizeof(path), "%s/bird.conf", base);
			else
				pathf(path, sizeof(path), "%s/policy/%s", base,
				    policy_file_name(f));
			if (file_spit(path, o.files[f].data, o.files[f].len) == -1)
				err(1, "%s", path);
		}
		policy_out_free(&o);
		/*
		 * The minimal case has the script's block list as a copy;
		 * the others include one that every BIRD reads.
		 */
		pathf(path, sizeof(path), "%s/blacklist.conf", base);
		if (file_spit(path, untyped_blacklist,
		    strlen(untyped_blacklist)) == -1)
			err(1, "%s", path);
		pathf(path, sizeof(path), "%s/local.conf", base);
		if (file_spit(path, "", 0) == -1)
			err(1, "%s", path);
		pathf(path, sizeof(path), "%s/peers/dn42_4242420002.conf",
		    base);
		if (file_spit(path, rb.data, rb.len) == -1)
			err(1, "%s", path);
	}
	render_buf_free(&rb);
	return (0);
}

static void
usage(void)
{
	fprintf(stderr, "usage: policy_test [-u | -w dir]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	char		 self[PATH_MAX], top[PATH_MAX], tdir[PATH_MAX];
	char		 err[POLICY_ERR_LEN];
	const char	*wdir = NULL;
	int		 ch, update = 0;

	while ((ch = getopt(argc, argv, "uw:")) != -1) {
		switch (ch) {
		case 'u':
			update = 1;
			break;
		case 'w':
			wdir = optarg;
			break;
		default:
			usage();
		}
	}
	(void)strlcpy(self, argv[0], sizeof(self));
	if (snprintf(golden, sizeof(golden), "%s/golden",
	    dirname(self)) >= (int)sizeof(golden) ||
	    snprintf(top, sizeof(top), "%s/../..", self) >= (int)sizeof(top) ||
	    snprintf(tdir, sizeof(tdir), "%s/templates", top) >=
	    (int)sizeof(tdir))
		errx(1, "path too long");
	if ((tmpls = policy_templates_load(tdir, err, sizeof(err))) == NULL ||
	    (peer_tmpls = render_templates_load(tdir, err, sizeof(err))) ==
	    NULL)
		errx(1, "%s", err);
	if (wdir != NULL)
		return (write_sets(wdir));
	test_golden(update);
	if (update)
		return (0);
	test_stable();
	test_bad();
	test_blacklist_compat();
	policy_templates_free(tmpls);
	render_templates_free(peer_tmpls);
	REGRESS_EXIT();
}
