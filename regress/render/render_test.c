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
 * The renderer against golden files, every field's refusal, the
 * template language and the helpers.  The golden cases render from the
 * built-in templates, as an agent run from anywhere does; a directory
 * of templates (bird.templateDir) overrides them.  With -w dir it
 * writes the golden cases as rendered files (dir/peers, dir/ibgp) for
 * the bird -p test; with -u it rewrites the golden files.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parent/ports/render.h"
#include "parent/tasks/policy.h"
#include "parent/tasks/mesh.h"
#include "files.h"
#include "regress.h"

#define OWN_IPV6	"fd00:4242:7777:101:4::1"
#define OWN_LO6		"fd00:4242:7777:101:4::1"
#define LOCAL_AS	4242420998U

struct ecase {
	const char	*name;
	void		(*setup)(struct cp_session_msg *, struct render_params *);
};

struct icase {
	const char	*name;
	void		(*setup)(struct render_ibgp_peer *,
			    struct render_params *);
};

static char			 topdir[PATH_MAX];
static char			 golden[PATH_MAX];
static struct render_templates	*tmpls;

static void	 base_params(struct render_params *);
static void	 sess(struct cp_session_msg *, const char *, uint32_t,
		    const char *, const char *);
static void	 set_v4(struct cp_session_msg *, const char *);
static void	 set_v6(struct cp_session_msg *, const char *);
static void	 set_ll(struct cp_session_msg *, const char *);
static void	 e_mpbgp_enh(struct cp_session_msg *, struct render_params *);
static void	 e_separate(struct cp_session_msg *, struct render_params *);
static void	 e_separate_ll(struct cp_session_msg *,
		    struct render_params *);
static void	 e_passive(struct cp_session_msg *, struct render_params *);
static void	 e_limits(struct cp_session_msg *, struct render_params *);
static void	 e_second(struct cp_session_msg *, struct render_params *);
static void	 e_third(struct cp_session_msg *, struct render_params *);
static void	 e_mpbgp_v6(struct cp_session_msg *, struct render_params *);
static void	 i_rr_client(struct render_ibgp_peer *, struct render_params *);
static void	 i_rr_rr(struct render_ibgp_peer *, struct render_params *);
static void	 i_plain(struct render_ibgp_peer *, struct render_params *);
static void	 i_filters(struct render_ibgp_peer *, struct render_params *);
static void	 bad_uuid_space(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_uuid_empty(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_uuid_long(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_asn_zero(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_asn_trans(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_asn_max(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_asn_own(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_if_slash(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_if_quote(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_if_empty(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_if_long(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_if_dots(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_name_nl(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_name_ctl(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_name_del(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_name_c1(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_name_utf8(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_name_overlong(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_name_surrogate(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_name_cut(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_name_unterm(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_ll_global(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_ll_zero(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_v6_mcast(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_v6_lo(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_v6_mapped(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_v4_lo(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_v4_zero(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_v4_mcast(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_v4_bcast(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_mp_v4only(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_noaddr(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_no_own_ll(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_p_tmpl(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_p_tmpl0(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_p_tmpl_digit(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_p_tmpl_long(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_p_imp(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_p_exp(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_p_ll(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_p_ll2(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_p_action(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_p_gr(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_p_localas(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_p_localas2(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_p_notmpl(struct cp_session_msg *,
		    struct render_params *);
static void	 bad_invalid(struct cp_session_msg *,
		    struct render_params *);
static int	 name_safe(const char *);
static struct render_templates *load_pair(const char *, const char *,
		    const char *, char *, size_t);
static void	 usage(void);
static int	 render_one_e(const struct ecase *, struct render_buf *,
		    char *, size_t);
static int	 render_one_i(const struct icase *, struct render_buf *,
		    char *, size_t);
static void	 test_golden(int);
static void	 test_invalid_sessions(void);
static void	 test_invalid_params(void);
static void	 test_invalid_ibgp(void);
static void	 test_own_ll(void);
static void	 test_asn(void);
static void	 test_names(void);
static void	 test_header(void);
static void	 test_templates(void);
static int	 write_sets(const char *);

static const struct ecase ecases[] = {
	{ "ebgp_mpbgp_enh_ll", e_mpbgp_enh },
	{ "ebgp_separate_v4_v6", e_separate },
	{ "ebgp_separate_ll", e_separate_ll },
	{ "ebgp_passive", e_passive },
	{ "ebgp_limits_gr_localas", e_limits },
	{ "ebgp_second_session", e_second },
	{ "ebgp_third_session", e_third },
	{ "ebgp_mpbgp_ula_noenh", e_mpbgp_v6 }
};

static const struct icase icases[] = {
	{ "ibgp_rr_client", i_rr_client },
	{ "ibgp_rr_to_rr", i_rr_rr },
	{ "ibgp_non_rr", i_plain },
	{ "ibgp_filters_limits", i_filters }
};

static void
base_params(struct render_params *p)
{
	char	 err[256];

	render_params_init(p);
	p->templates = tmpls;
	if (render_own_ll(OWN_IPV6, "", p->own_ll, sizeof(p->own_ll), err,
	    sizeof(err)) == -1)
		errx(1, "render_own_ll: %s", err);
	(void)strlcpy(p->loopback_ipv6, OWN_LO6, sizeof(p->loopback_ipv6));
	p->local_asn = LOCAL_AS;
}

static void
sess(struct cp_session_msg *s, const char *uuid, uint32_t asn,
    const char *ifname, const char *name)
{
	memset(s, 0, sizeof(*s));
	(void)strlcpy(s->uuid, uuid, sizeof(s->uuid));
	(void)strlcpy(s->ifname, ifname, sizeof(s->ifname));
	(void)strlcpy(s->name, name, sizeof(s->name));
	s->asn = asn;
	s->status = CP_STATUS_ENABLED;
	s->type = CP_TUNNEL_WIREGUARD;
	s->flags = CP_SESS_HAS_ENDPOINT;
	(void)strlcpy(s->endpoint_host, "peer.example.net",
	    sizeof(s->endpoint_host));
	s->endpoint_port = 20998;
}

static void
set_v4(struct cp_session_msg *s, const char *a)
{
	if (inet_pton(AF_INET, a, &s->ipv4) != 1)
		errx(1, "bad fixture address %s", a);
	s->flags |= CP_SESS_HAS_IPV4;
}

static void
set_v6(struct cp_session_msg *s, const char *a)
{
	if (inet_pton(AF_INET6, a, &s->ipv6) != 1)
		errx(1, "bad fixture address %s", a);
	s->flags |= CP_SESS_HAS_IPV6;
}

static void
set_ll(struct cp_session_msg *s, const char *a)
{
	if (inet_pton(AF_INET6, a, &s->ipv6_ll) != 1)
		errx(1, "bad fixture address %s", a);
	s->flags |= CP_SESS_HAS_LL;
}

static void
e_mpbgp_enh(struct cp_session_msg *s, struct render_params *p)
{
	sess(s, "0b6d2c1e-8f43-4c6a-9d0e-1a2b3c4d5e01", 4242420001,
	    "dn42_4242420001", "Alice \"A\" \\ Net \xe6\x9d\xb1\xe4\xba\xac");
	set_ll(s, "fe80::1:2");
	set_v4(s, "172.20.1.1");
	s->flags |= CP_SESS_MPBGP | CP_SESS_ENH;
}

static void
e_separate(struct cp_session_msg *s, struct render_params *p)
{
	sess(s, "0b6d2c1e-8f43-4c6a-9d0e-1a2b3c4d5e02", 4242420002,
	    "dn42-4242420002", "bob");
	set_v4(s, "172.20.2.1");
	set_v6(s, "fd42:2::1");
}

static void
e_separate_ll(struct cp_session_msg *s, struct render_params *p)
{
	sess(s, "0b6d2c1e-8f43-4c6a-9d0e-1a2b3c4d5e05", 4242420005,
	    "dn42_4242420005", "carol");
	set_v4(s, "172.20.5.1");
	set_v6(s, "fd42:5::1");
	set_ll(s, "fe80::5");
	/* Without mp-bgp, extended next hop has nothing to apply to. */
	s->flags |= CP_SESS_ENH;
}

static void
e_passive(struct cp_session_msg *s, struct render_params *p)
{
	sess(s, "0b6d2c1e-8f43-4c6a-9d0e-1a2b3c4d5e03", 4242420003,
	    "dn42_4242420003", "");
	set_ll(s, "fe80::3");
	s->flags |= CP_SESS_MPBGP | CP_SESS_ENH;
	s->flags &= ~CP_SESS_HAS_ENDPOINT;
	s->endpoint_host[0] = '\0';
	s->endpoint_port = 0;
}

static void
e_limits(struct cp_session_msg *s, struct render_params *p)
{
	sess(s, "0b6d2c1e-8f43-4c6a-9d0e-1a2b3c4d5e04", 4242420004,
	    "dn42_4242420004", "dave");
	set_ll(s, "fe80::4");
	s->flags |= CP_SESS_MPBGP | CP_SESS_ENH;
	p->import_limit.count = 9000;
	p->import_limit.action = RENDER_LIMIT_BLOCK;
	p->export_limit.count = 500;
	p->export_limit.action = RENDER_LIMIT_DISABLE;
	p->graceful_restart = RENDER_GR_ON;
	p->ebgp_local_as = 1;
	(void)strlcpy(p->export_filter, "", sizeof(p->export_filter));
}

static void
e_second(struct cp_session_msg *s, struct render_params *p)
{
	sess(s, "0b6d2c1e-8f43-4c6a-9d0e-1a2b3c4d5e11", 4242420001,
	    "wg-a0001.2", "Alice, second tunnel");
	set_ll(s, "fe80::1:3");
	s->flags |= CP_SESS_MPBGP | CP_SESS_ENH;
}

static void
e_third(struct cp_session_msg *s, struct render_params *p)
{
	sess(s, "0b6d2c1e-8f43-4c6a-9d0e-1a2b3c4d5e12", 4242420001,
	    "dn42_0001b", "Alice, third tunnel");
	set_v4(s, "172.20.1.9");
	p->graceful_restart = RENDER_GR_OFF;
}

static void
e_mpbgp_v6(struct cp_session_msg *s, struct render_params *p)
{
	sess(s, "0b6d2c1e-8f43-4c6a-9d0e-1a2b3c4d5e06", 4242420006,
	    "dn42_4242420006", "erin");
	set_v6(s, "fd42:6::1");
	set_v4(s, "172.20.6.1");
	s->flags |= CP_SESS_MPBGP;
}

static void
i_rr_client(struct render_ibgp_peer *i, struct render_params *p)
{
	memset(i, 0, sizeof(*i));
	i->node_id = 2;
	(void)strlcpy(i->node_name, "us-edge", sizeof(i->node_name));
	(void)inet_pton(AF_INET6, "fd00:4242:7777:101:2::1", &i->loopback_ipv6);
	p->is_rr = render_node_is_rr("jp-rr", 0);
}

static void
i_rr_rr(struct render_ibgp_peer *i, struct render_params *p)
{
	memset(i, 0, sizeof(*i));
	i->node_id = 3;
	(void)strlcpy(i->node_name, "eu-rr", sizeof(i->node_name));
	(void)inet_pton(AF_INET6, "fd00:4242:7777:101:3::1", &i->loopback_ipv6);
	i->is_rr = 1;
	p->is_rr = 1;
}

static void
i_plain(struct render_ibgp_peer *i, struct render_params *p)
{
	memset(i, 0, sizeof(*i));
	i->node_id = 4;
	(void)strlcpy(i->node_name, "hk-edge", sizeof(i->node_name));
	(void)inet_pton(AF_INET6, "fd00:4242:7777:101:5::1", &i->loopback_ipv6);
	i->is_rr = 1;
	p->is_rr = render_node_is_rr("jp-edge", 0);
	p->graceful_restart = RENDER_GR_ON;
}

static void
i_filters(struct render_ibgp_peer *i, struct render_params *p)
{
	memset(i, 0, sizeof(*i));
	i->node_id = 13715;
	(void)inet_pton(AF_INET6, "fd00:4242:7777:101:6::1", &i->loopback_ipv6);
	(void)strlcpy(p->ibgp_import_filter, "dn42_ibgp_import",
	    sizeof(p->ibgp_import_filter));
	(void)strlcpy(p->ibgp_export_filter, "dn42_ibgp_export",
	    sizeof(p->ibgp_export_filter));
	p->ibgp_import_limit.count = 20000;
	p->ibgp_import_limit.action = RENDER_LIMIT_RESTART;
	p->ibgp_export_limit.count = 10000;
	p->ibgp_export_limit.action = RENDER_LIMIT_WARN;
}

static int
render_one_e(const struct ecase *c, struct render_buf *b, char *err,
    size_t errlen)
{
	struct cp_session_msg	 s;
	struct render_params	 p;

	base_params(&p);
	c->setup(&s, &p);
	return (render_session(&p, &s, b, err, errlen));
}

static int
render_one_i(const struct icase *c, struct render_buf *b, char *err,
    size_t errlen)
{
	struct render_ibgp_peer	 i;
	struct render_params	 p;

	base_params(&p);
	c->setup(&i, &p);
	return (render_ibgp_peer(&p, &i, b, err, errlen));
}

/* Each golden case, its file name and header, and a second render. */
static void
test_golden(int update)
{
	struct render_buf	 b1 = { 0 }, b2 = { 0 };
	struct render_header	 h;
	char			 path[PATH_MAX], err[512], name[128];
	char			*want;
	size_t			 i, n, wlen;
	int			 r1, r2;

	n = sizeof(ecases) / sizeof(ecases[0]) +
	    sizeof(icases) / sizeof(icases[0]);
	for (i = 0; i < n; i++) {
		size_t ne = sizeof(ecases) / sizeof(ecases[0]);
		const char *cname = i < ne ? ecases[i].name :
		    icases[i - ne].name;

		if (i < ne) {
			r1 = render_one_e(&ecases[i], &b1, err, sizeof(err));
			r2 = render_one_e(&ecases[i], &b2, err, sizeof(err));
		} else {
			r1 = render_one_i(&icases[i - ne], &b1, err,
			    sizeof(err));
			r2 = render_one_i(&icases[i - ne], &b2, err,
			    sizeof(err));
		}
		(void)snprintf(name, sizeof(name), "golden_%s", cname);
		if (r1 == -1 || r2 == -1) {
			REGRESS_FAIL(name, "render: %s", err);
			continue;
		}
		if (snprintf(path, sizeof(path), "%s/%s.ok", golden, cname) >=
		    (int)sizeof(path))
			errx(1, "path too long");
		if (update) {
			if (file_spit(path, b1.data, b1.len) == -1)
				REGRESS_FAIL(name, "%s: %s", path,
				    strerror(errno));
			else
				printf("updated %s\n", path);
			continue;
		}
		if ((want = file_slurp(path, &wlen)) == NULL) {
			REGRESS_FAIL(name, "%s: %s", path, strerror(errno));
			continue;
		}
		if (wlen != b1.len || memcmp(want, b1.data, wlen) != 0)
			REGRESS_FAIL(name, "output differs from %s; got:\n%s",
			    path, b1.data);
		else
			REGRESS_OK(name);
		free(want);

		(void)snprintf(name, sizeof(name), "rerender_%s", cname);
		REGRESS_CHECK(name, b1.len == b2.len &&
		    memcmp(b1.data, b2.data, b1.len) == 0);

		(void)snprintf(name, sizeof(name), "header_%s", cname);
		if (render_parse_header(b1.data, b1.len, &h) == -1)
			REGRESS_FAIL(name, "header not read back");
		else
			REGRESS_CHECK(name, h.nprotos >= 1 &&
			    strstr(b1.data, h.protos[0]) != NULL &&
			    h.kind == (i < ne ? RENDER_KIND_SESSION :
			    RENDER_KIND_IBGP));
	}
	render_buf_free(&b1);
	render_buf_free(&b2);
}

struct bad_session {
	const char	*name;
	const char	*want;
	void		(*mod)(struct cp_session_msg *, struct render_params *);
};

#define U	"0b6d2c1e-8f43-4c6a-9d0e-1a2b3c4d5e01"

static void
bad_uuid_space(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(s->uuid, "a b", sizeof(s->uuid));
}

static void
bad_uuid_empty(struct cp_session_msg *s, struct render_params *p)
{
	s->uuid[0] = '\0';
}

static void
bad_uuid_long(struct cp_session_msg *s, struct render_params *p)
{
	memset(s->uuid, 'a', sizeof(s->uuid));
}

static void
bad_asn_zero(struct cp_session_msg *s, struct render_params *p)
{
	s->asn = 0;
}

static void
bad_asn_trans(struct cp_session_msg *s, struct render_params *p)
{
	s->asn = 23456;
}

static void
bad_asn_max(struct cp_session_msg *s, struct render_params *p)
{
	s->asn = 4294967295U;
}

static void
bad_asn_own(struct cp_session_msg *s, struct render_params *p)
{
	s->asn = LOCAL_AS;
}

static void
bad_if_slash(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(s->ifname, "wg0/1", sizeof(s->ifname));
}

static void
bad_if_quote(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(s->ifname, "wg\"0", sizeof(s->ifname));
}

static void
bad_if_empty(struct cp_session_msg *s, struct render_params *p)
{
	s->ifname[0] = '\0';
}

static void
bad_if_long(struct cp_session_msg *s, struct render_params *p)
{
	memset(s->ifname, 'a', sizeof(s->ifname));
}

static void
bad_if_dots(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(s->ifname, "..", sizeof(s->ifname));
}

static void
bad_name_nl(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(s->name, "x\";\n}\nprotocol bgp y {", sizeof(s->name));
}

static void
bad_name_ctl(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(s->name, "x\x1b[2J", sizeof(s->name));
}

static void
bad_name_del(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(s->name, "x\x7f", sizeof(s->name));
}

static void
bad_name_c1(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(s->name, "x\xc2\x85", sizeof(s->name));
}

static void
bad_name_utf8(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(s->name, "x\xff", sizeof(s->name));
}

static void
bad_name_overlong(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(s->name, "x\xc0\xaf", sizeof(s->name));
}

static void
bad_name_surrogate(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(s->name, "x\xed\xa0\x80", sizeof(s->name));
}

static void
bad_name_cut(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(s->name, "x\xe6\x9d", sizeof(s->name));
}

static void
bad_name_unterm(struct cp_session_msg *s, struct render_params *p)
{
	memset(s->name, 'a', sizeof(s->name));
}

static void
bad_ll_global(struct cp_session_msg *s, struct render_params *p)
{
	(void)inet_pton(AF_INET6, "fd00::1", &s->ipv6_ll);
}

static void
bad_ll_zero(struct cp_session_msg *s, struct render_params *p)
{
	memset(&s->ipv6_ll, 0, sizeof(s->ipv6_ll));
}

static void
bad_v6_mcast(struct cp_session_msg *s, struct render_params *p)
{
	set_v6(s, "ff02::1");
}

static void
bad_v6_lo(struct cp_session_msg *s, struct render_params *p)
{
	set_v6(s, "::1");
}

static void
bad_v6_mapped(struct cp_session_msg *s, struct render_params *p)
{
	set_v6(s, "::ffff:10.0.0.1");
}

static void
bad_v4_lo(struct cp_session_msg *s, struct render_params *p)
{
	set_v4(s, "127.0.0.1");
}

static void
bad_v4_zero(struct cp_session_msg *s, struct render_params *p)
{
	set_v4(s, "0.0.0.0");
}

static void
bad_v4_mcast(struct cp_session_msg *s, struct render_params *p)
{
	set_v4(s, "224.0.0.5");
}

static void
bad_v4_bcast(struct cp_session_msg *s, struct render_params *p)
{
	set_v4(s, "255.255.255.255");
}

static void
bad_mp_v4only(struct cp_session_msg *s, struct render_params *p)
{
	s->flags &= ~CP_SESS_HAS_LL;
	set_v4(s, "172.20.1.1");
}

static void
bad_noaddr(struct cp_session_msg *s, struct render_params *p)
{
	s->flags &= ~(CP_SESS_HAS_LL | CP_SESS_HAS_IPV4 | CP_SESS_MPBGP);
}

static void
bad_no_own_ll(struct cp_session_msg *s, struct render_params *p)
{
	p->own_ll[0] = '\0';
}

static void
bad_invalid(struct cp_session_msg *s, struct render_params *p)
{
	s->flags |= CP_SESS_INVALID;
	(void)strlcpy(s->error, "field mtu: out of range", sizeof(s->error));
}

static void
bad_p_tmpl(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(p->peer_template, "dn42 peer", sizeof(p->peer_template));
}

static void
bad_p_tmpl0(struct cp_session_msg *s, struct render_params *p)
{
	p->peer_template[0] = '\0';
}

static void
bad_p_tmpl_digit(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(p->peer_template, "9peer", sizeof(p->peer_template));
}

static void
bad_p_tmpl_long(struct cp_session_msg *s, struct render_params *p)
{
	memset(p->peer_template, 'z', sizeof(p->peer_template));
}

static void
bad_p_imp(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(p->import_filter, "x; import all",
	    sizeof(p->import_filter));
}

static void
bad_p_exp(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(p->export_filter, "x}", sizeof(p->export_filter));
}

static void
bad_p_ll(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(p->own_ll, "fd00::1", sizeof(p->own_ll));
}

static void
bad_p_ll2(struct cp_session_msg *s, struct render_params *p)
{
	(void)strlcpy(p->own_ll, "fe80::1;", sizeof(p->own_ll));
}

static void
bad_p_action(struct cp_session_msg *s, struct render_params *p)
{
	p->import_limit.count = 5;
	p->import_limit.action = 9;
}

static void
bad_p_gr(struct cp_session_msg *s, struct render_params *p)
{
	p->graceful_restart = 7;
}

static void
bad_p_localas(struct cp_session_msg *s, struct render_params *p)
{
	p->ebgp_local_as = 1;
	p->local_asn = 0;
}

static void
bad_p_localas2(struct cp_session_msg *s, struct render_params *p)
{
	p->local_asn = 23456;
}

static void
bad_p_notmpl(struct cp_session_msg *s, struct render_params *p)
{
	p->templates = NULL;
}


static const struct bad_session bad_sessions[] = {
	{ "uuid_space", "session: field uuid: characters other than "
	    "A-Z a-z 0-9 - _", bad_uuid_space },
	{ "uuid_empty", "session: field uuid: missing", bad_uuid_empty },
	{ "uuid_long", "session: field uuid: too long", bad_uuid_long },
	{ "asn_zero", "session " U ": field asn: reserved (0)",
	    bad_asn_zero },
	{ "asn_trans", "session " U ": field asn: reserved (AS_TRANS)",
	    bad_asn_trans },
	{ "asn_max", "session " U ": field asn: reserved", bad_asn_max },
	{ "asn_own", "session " U ": field asn: is our own AS, not an eBGP "
	    "peer", bad_asn_own },
	{ "if_slash", "session " U ": field interface: characters other "
	    "than A-Z a-z 0-9 _ - .", bad_if_slash },
	{ "if_quote", "session " U ": field interface: characters other "
	    "than A-Z a-z 0-9 _ - .", bad_if_quote },
	{ "if_empty", "session " U ": field interface: missing",
	    bad_if_empty },
	{ "if_long", "session " U ": field interface: longer than 15 bytes",
	    bad_if_long },
	{ "if_dots", "session " U ": field interface: not an interface name",
	    bad_if_dots },
	{ "name_newline", "session " U ": field name: control character",
	    bad_name_nl },
	{ "name_escape", "session " U ": field name: control character",
	    bad_name_ctl },
	{ "name_del", "session " U ": field name: control character",
	    bad_name_del },
	{ "name_c1", "session " U ": field name: control character",
	    bad_name_c1 },
	{ "name_utf8", "session " U ": field name: not UTF-8",
	    bad_name_utf8 },
	{ "name_overlong", "session " U ": field name: not UTF-8",
	    bad_name_overlong },
	{ "name_surrogate", "session " U ": field name: not UTF-8",
	    bad_name_surrogate },
	{ "name_cut", "session " U ": field name: not UTF-8", bad_name_cut },
	{ "name_unterminated", "session " U ": field name: not terminated",
	    bad_name_unterm },
	{ "ll_global", "session " U ": field ipv6LinkLocal: not a "
	    "link-local address", bad_ll_global },
	{ "ll_zero", "session " U ": field ipv6LinkLocal: not a "
	    "link-local address", bad_ll_zero },
	{ "ipv6_multicast", "session " U ": field ipv6: multicast address",
	    bad_v6_mcast },
	{ "ipv6_loopback", "session " U ": field ipv6: loopback address",
	    bad_v6_lo },
	{ "ipv6_mapped", "session " U ": field ipv6: IPv4-mapped address",
	    bad_v6_mapped },
	{ "ipv4_loopback", "session " U ": field ipv4: loopback address",
	    bad_v4_lo },
	{ "ipv4_zero", "session " U ": field ipv4: unspecified address",
	    bad_v4_zero },
	{ "ipv4_multicast", "session " U ": field ipv4: multicast address",
	    bad_v4_mcast },
	{ "ipv4_broadcast", "session " U ": field ipv4: reserved or "
	    "broadcast address", bad_v4_bcast },
	{ "mpbgp_v4_only", "session " U ": field extensions: mp-bgp needs "
	    "ipv6 or ipv6LinkLocal", bad_mp_v4only },
	{ "no_address", "session " U ": field ipv4: no peer address (ipv4, "
	    "ipv6 or ipv6LinkLocal)", bad_noaddr },
	{ "no_own_ll", "session " U ": field ipv6LinkLocal: no own "
	    "link-local address to speak from (set wireguard.dn42Ipv6 or "
	    "wireguard.dn42Ipv6LinkLocal)", bad_no_own_ll },
	{ "cp_invalid", "session " U ": field mtu: out of range",
	    bad_invalid },
	{ "param_template_space", "bird.peerTemplate: not a BIRD name "
	    "([A-Za-z_][A-Za-z0-9_]*, at most 64 bytes)", bad_p_tmpl },
	{ "param_template_empty", "bird.peerTemplate: not set",
	    bad_p_tmpl0 },
	{ "param_template_digit", "bird.peerTemplate: not a BIRD name "
	    "([A-Za-z_][A-Za-z0-9_]*, at most 64 bytes)", bad_p_tmpl_digit },
	{ "param_template_unterminated", "bird.peerTemplate: not terminated",
	    bad_p_tmpl_long },
	{ "param_import_filter", "bird.importFilter: not a BIRD name "
	    "([A-Za-z_][A-Za-z0-9_]*, at most 64 bytes)", bad_p_imp },
	{ "param_export_filter", "bird.exportFilter: not a BIRD name "
	    "([A-Za-z_][A-Za-z0-9_]*, at most 64 bytes)", bad_p_exp },
	{ "param_own_ll", "own link-local address fd00::1: not a "
	    "link-local address", bad_p_ll },
	{ "param_own_ll_syntax", "own link-local address fe80::1;: not a "
	    "link-local address", bad_p_ll2 },
	{ "param_limit_action", "import limit: unknown action 9",
	    bad_p_action },
	{ "param_graceful_restart", "graceful restart: bad value 7",
	    bad_p_gr },
	{ "param_local_as_unknown", "local AS: needed for \"local as\" in "
	    "peer files, but not known", bad_p_localas },
	{ "param_local_as_reserved", "local AS 23456: reserved (AS_TRANS)",
	    bad_p_localas2 },
	{ "param_no_templates", "templates: not loaded", bad_p_notmpl }
};

/* Each bad value alone on an otherwise good session: refused, no bytes. */
static void
test_invalid_sessions(void)
{
	struct cp_session_msg	 s;
	struct render_params	 p;
	struct render_buf	 b = { 0 };
	char			 err[512], name[128];
	size_t			 i;
	int			 r;

	for (i = 0; i < sizeof(bad_sessions) / sizeof(bad_sessions[0]); i++) {
		base_params(&p);
		e_mpbgp_enh(&s, &p);
		bad_sessions[i].mod(&s, &p);
		/* Output of an earlier render must not survive either. */
		if (render_one_e(&ecases[0], &b, err, sizeof(err)) == -1 ||
		    b.len == 0)
			errx(1, "good session did not render: %s", err);
		err[0] = '\0';
		r = render_session(&p, &s, &b, err, sizeof(err));
		(void)snprintf(name, sizeof(name), "invalid_%s",
		    bad_sessions[i].name);
		if (r != -1)
			REGRESS_FAIL(name, "rendered:\n%s", b.data);
		else if (b.len != 0)
			REGRESS_FAIL(name, "refused, but %zu bytes of output",
			    b.len);
		else if (strcmp(err, bad_sessions[i].want) != 0)
			REGRESS_FAIL(name, "error \"%s\", want \"%s\"", err,
			    bad_sessions[i].want);
		else
			REGRESS_OK(name);
	}
	render_buf_free(&b);
}

static void
test_invalid_params(void)
{
	struct render_params	 p;

	base_params(&p);
	REGRESS_CHECK("params_defaults_ok",
	    render_params_check(&p, NULL, 0) == 0 &&
	    strcmp(p.peer_template, "dn42_peer") == 0 &&
	    strcmp(p.import_filter, "dn42_import_filter") == 0 &&
	    strcmp(p.export_filter, "dn42_export_filter") == 0);
	(void)strlcpy(p.ibgp_export_filter, "a-b", sizeof(p.ibgp_export_filter));
	REGRESS_CHECK("params_ibgp_filter", render_params_check(&p, NULL,
	    0) == -1);
	base_params(&p);
	(void)strlcpy(p.loopback_ipv6, "fe80::1", sizeof(p.loopback_ipv6));
	REGRESS_CHECK("params_loopback_ll", render_params_check(&p, NULL,
	    0) == -1);
	(void)strlcpy(p.loopback_ipv6, "10.0.0.1", sizeof(p.loopback_ipv6));
	REGRESS_CHECK("params_loopback_v4", render_params_check(&p, NULL,
	    0) == -1);
}

static void
test_invalid_ibgp(void)
{
	static const struct {
		const char	*name;
		int		 what;
		const char	*want;
	} t[] = {
		{ "ibgp_no_asn", 0, "iBGP peer 2: our AS (policy.dn42As) is "
		    "not known" },
		{ "ibgp_no_loopback", 1, "iBGP peer 2: our IPv6 loopback is "
		    "not known" },
		{ "ibgp_peer_ll", 2, "iBGP peer 2: field loopbackIpv6: is "
		    "link-local" },
		{ "ibgp_peer_zero", 3, "iBGP peer 2: field loopbackIpv6: "
		    "unspecified address" },
		{ "ibgp_peer_self", 4, "iBGP peer 2: field loopbackIpv6: is "
		    "our own loopback" },
		{ "ibgp_name_ctl", 5, "iBGP peer 2: field nodeName: control "
		    "character" },
		{ "ibgp_name_long", 6, "iBGP peer 2: field nodeName: too "
		    "long" },
		{ "ibgp_bad_filter", 7, "iBGP import filter: not a BIRD name "
		    "([A-Za-z_][A-Za-z0-9_]*, at most 64 bytes)" }
	};
	struct render_ibgp_peer	 i;
	struct render_params	 p;
	struct render_buf	 b = { 0 };
	char			 err[512];
	size_t			 k;
	int			 r;

	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		base_params(&p);
		i_rr_client(&i, &p);
		switch (t[k].what) {
		case 0:
			p.local_asn = 0;
			break;
		case 1:
			p.loopback_ipv6[0] = '\0';
			break;
		case 2:
			(void)inet_pton(AF_INET6, "fe80::2", &i.loopback_ipv6);
			break;
		case 3:
			memset(&i.loopback_ipv6, 0, sizeof(i.loopback_ipv6));
			break;
		case 4:
			(void)inet_pton(AF_INET6, OWN_LO6, &i.loopback_ipv6);
			break;
		case 5:
			(void)strlcpy(i.node_name, "a\nb", sizeof(i.node_name));
			break;
		case 6:
			memset(i.node_name, 'n', sizeof(i.node_name) - 1);
			i.node_name[sizeof(i.node_name) - 1] = '\0';
			break;
		case 7:
			(void)strlcpy(p.ibgp_import_filter, "all;",
			    sizeof(p.ibgp_import_filter));
			break;
		}
		err[0] = '\0';
		r = render_ibgp_peer(&p, &i, &b, err, sizeof(err));
		if (r != -1 || b.len != 0)
			REGRESS_FAIL(t[k].name, "not refused");
		else if (strcmp(err, t[k].want) != 0)
			REGRESS_FAIL(t[k].name, "error \"%s\", want \"%s\"",
			    err, t[k].want);
		else
			REGRESS_OK(t[k].name);
	}
	render_buf_free(&b);
}

static void
test_own_ll(void)
{
	static const struct {
		const char	*name, *v6, *ll, *want;
	} t[] = {
		{ "own_ll_contract", "fd00:4242:7777:101:4::1", "",
		    "fe80::998:101:4:1" },
		{ "own_ll_prefixlen", "fd00:4242:7777:101:4::1/128", NULL,
		    "fe80::998:101:4:1" },
		{ "own_ll_zero_groups", "fd00:4242:7777::1", "",
		    "fe80::998:0:0:1" },
		{ "own_ll_wide_groups", "fd00:4242:7777:abcd:ef01::1", "",
		    "fe80::998:abcd:ef01:1" },
		{ "own_ll_configured", "fd00:4242:7777:101:4::1",
		    "fe80::1234/64", "fe80::1234" },
		{ "own_ll_configured_only", "", "fe80::0:42", "fe80::42" },
		{ "own_ll_not_ll", "", "fd00::1",
		    "wireguard.dn42Ipv6LinkLocal: not a link-local address" },
		{ "own_ll_bad_len", "", "fe80::1/129",
		    "wireguard.dn42Ipv6LinkLocal: not a link-local address" },
		{ "own_ll_unset", "", "",
		    "wireguard.dn42Ipv6: not set, and no "
		    "wireguard.dn42Ipv6LinkLocal" },
		{ "own_ll_garbage", "fd00::1;x", "",
		    "wireguard.dn42Ipv6: not an IPv6 address" },
		{ "own_ll_v4", "172.20.0.1", "",
		    "wireguard.dn42Ipv6: not an IPv6 address" },
		{ "own_ll_multicast", "ff02::1", "",
		    "wireguard.dn42Ipv6: multicast address" }
	};
	char	 out[RENDER_ADDR_LEN], err[256];
	size_t	 k;
	int	 r;

	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		out[0] = err[0] = '\0';
		r = render_own_ll(t[k].v6, t[k].ll, out, sizeof(out), err,
		    sizeof(err));
		if (strcmp(r == 0 ? out : err, t[k].want) != 0)
			REGRESS_FAIL(t[k].name, "got \"%s\", want \"%s\"",
			    r == 0 ? out : err, t[k].want);
		else
			REGRESS_OK(t[k].name);
	}
}

static void
test_asn(void)
{
	static const struct {
		const char	*s;
		uint32_t	 want;	/* 0: refused */
	} t[] = {
		{ "4242420998", 4242420998U }, { "64512", 64512 },
		{ "4294967294", 4294967294U }, { "1", 1 },
		{ "", 0 }, { "0", 0 }, { "23456", 0 }, { "65535", 0 },
		{ "4294967295", 0 }, { "4294967296", 0 }, { "12a", 0 },
		{ "-1", 0 }, { "+5", 0 }, { " 5", 0 }, { "00000000001", 0 }
	};
	char		 name[64], err[128];
	uint32_t	 asn;
	size_t		 k;
	int		 r;

	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		(void)snprintf(name, sizeof(name), "asn_parse_\"%s\"", t[k].s);
		asn = 0;
		r = render_parse_asn(t[k].s, &asn, err, sizeof(err));
		REGRESS_CHECK(name, t[k].want == 0 ? r == -1 :
		    (r == 0 && asn == t[k].want));
	}
	REGRESS_CHECK("is_rr_name", render_node_is_rr("jp-rr1", 0) == 1 &&
	    render_node_is_rr("JP-RR", 0) == 1 &&
	    render_node_is_rr("jp-edge", 0) == 0 &&
	    render_node_is_rr("rr", 0) == 0 &&
	    render_node_is_rr("jp-edge", 1) == 1);
}

static int
name_safe(const char *s)
{
	return (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_") == strlen(s));
}

static void
test_names(void)
{
	static const struct {
		uint32_t	 asn;
		const char	*ifname, *want;
	} t[] = {
		{ 4242420001, "dn42_4242420001", "dn42_4242420001" },
		{ 4242420001, "dn42-4242420001", "dn42_4242420001" },
		{ 4242420001, "dn42_0001b", "dn42_4242420001_dn42_0001b" },
		{ 4242420001, "wg_a", "dn42_4242420001_wg_a" },
		{ 4242420001, "DN42_4242420001",
		    "dn42_4242420001_DN42_4242420001" },
		{ 64512, "dn42_64512", "dn42_64512" },
		{ 64512, "dn42_4242420001", "dn42_64512_dn42_4242420001" }
	};
	struct cp_session_msg	 s;
	struct render_ibgp_peer	 ip;
	char			 a[RENDER_NAME_LEN], b[RENDER_NAME_LEN];
	char			 f[RENDER_FILE_LEN], name[96], err[256];
	size_t			 k;

	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		(void)snprintf(name, sizeof(name), "name_%u_%s", t[k].asn,
		    t[k].ifname);
		sess(&s, "u1", t[k].asn, t[k].ifname, "");
		if (render_protocol_name(&s, a, sizeof(a), err,
		    sizeof(err)) == -1)
			REGRESS_FAIL(name, "%s", err);
		else if (strcmp(a, t[k].want) != 0)
			REGRESS_FAIL(name, "got %s, want %s", a, t[k].want);
		else
			REGRESS_OK(name);
	}

	/* Interfaces that differ only in - . _ still get distinct names. */
	sess(&s, "u1", 4242420001, "wg-a", "");
	(void)render_protocol_name(&s, a, sizeof(a), err, sizeof(err));
	sess(&s, "u1", 4242420001, "wg.a", "");
	(void)render_protocol_name(&s, b, sizeof(b), err, sizeof(err));
	REGRESS_CHECK("name_dash_dot_distinct", strcmp(a, b) != 0 &&
	    strncmp(a, "dn42_4242420001_wg_a_", 21) == 0 &&
	    strlen(a) == 21 + 8 && name_safe(a) && name_safe(b) &&
	    strcmp(a, "dn42_4242420001_wg_a") != 0);

	/* The longest inputs still fit BIRD's limit with the suffix. */
	sess(&s, "u1", 4294967294U, "a-b-c-d-e-f-g-h", "");
	s.flags |= CP_SESS_HAS_IPV4;
	REGRESS_CHECK("name_longest", render_protocol_name(&s, a, sizeof(a),
	    err, sizeof(err)) == 0 && strlen(a) + 3 <= RENDER_SYM_MAX &&
	    name_safe(a));

	sess(&s, "u1", 4242420001, "wg-a0001.2", "");
	REGRESS_CHECK("file_name", render_file_name(&s, f, sizeof(f), err,
	    sizeof(err)) == 0 && render_protocol_name(&s, a, sizeof(a), err,
	    sizeof(err)) == 0 && strncmp(f, a, strlen(a)) == 0 &&
	    strcmp(f + strlen(a), ".conf") == 0);
	sess(&s, "u1", 4242420001, "../etc", "");
	REGRESS_CHECK("file_name_refuses_path", render_file_name(&s, f,
	    sizeof(f), err, sizeof(err)) == -1);
	sess(&s, "u1", 4242420001, "dn42_4242420001", "");
	REGRESS_CHECK("file_name_short_buffer", render_file_name(&s, f, 10,
	    err, sizeof(err)) == -1);
	memset(&ip, 0, sizeof(ip));
	ip.node_id = 7;
	REGRESS_CHECK("ibgp_file_name", render_ibgp_file_name(&ip, f,
	    sizeof(f)) == 0 && strcmp(f, "ibgp_7.conf") == 0);
}

static void
test_header(void)
{
	static const struct {
		const char	*name, *in;
		int		 ok, n;
	} t[] = {
		{ "hdr_one", "# moenet-agent: session ab-1 protocols "
		    "dn42_1\nx", 1, 1 },
		{ "hdr_two", "# moenet-agent: session ab-1 protocols "
		    "dn42_1_v4 dn42_1_v6\n", 1, 2 },
		{ "hdr_ibgp", "# moenet-agent: ibgp 7 protocols ibgp_7\n",
		    1, 1 },
		{ "hdr_three", "# moenet-agent: session a protocols a b c\n",
		    0, 0 },
		{ "hdr_no_newline", "# moenet-agent: session a protocols a",
		    0, 0 },
		{ "hdr_other", "# written by hand\n", 0, 0 },
		{ "hdr_bad_kind", "# moenet-agent: peer a protocols a\n", 0,
		    0 },
		{ "hdr_bad_uuid", "# moenet-agent: session a/b protocols a\n",
		    0, 0 },
		{ "hdr_bad_proto", "# moenet-agent: session a protocols a-b\n",
		    0, 0 },
		{ "hdr_empty_proto", "# moenet-agent: session a protocols \n",
		    0, 0 },
		{ "hdr_double_space", "# moenet-agent: session a protocols "
		    "a  b\n", 0, 0 },
		{ "hdr_trailing", "# moenet-agent: session a protocols a \n",
		    0, 0 }
	};
	struct render_header	 h;
	size_t			 k;
	int			 r;

	for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		r = render_parse_header(t[k].in, strlen(t[k].in), &h);
		REGRESS_CHECK(t[k].name, t[k].ok ? (r == 0 &&
		    h.nprotos == t[k].n) : r == -1);
	}
	(void)render_parse_header(t[1].in, strlen(t[1].in), &h);
	REGRESS_CHECK("hdr_fields", h.kind == RENDER_KIND_SESSION &&
	    strcmp(h.id, "ab-1") == 0 && strcmp(h.protos[0], "dn42_1_v4") == 0 &&
	    strcmp(h.protos[1], "dn42_1_v6") == 0);
}

/* Write both templates into a scratch directory and try to load them. */
static struct render_templates *
load_pair(const char *dir, const char *ebgp, const char *ibgp, char *ebuf,
    size_t errlen)
{
	char	 path[PATH_MAX];

	(void)snprintf(path, sizeof(path), "%s/%s", dir, RENDER_EBGP_TEMPLATE);
	if (ebgp != NULL && file_spit(path, ebgp, strlen(ebgp)) == -1)
		err(1, "%s", path);
	if (ebgp == NULL)
		(void)unlink(path);
	(void)snprintf(path, sizeof(path), "%s/%s", dir, RENDER_IBGP_TEMPLATE);
	if (file_spit(path, ibgp, strlen(ibgp)) == -1)
		err(1, "%s", path);
	return (render_templates_load(dir, ebuf, errlen));
}

static void
test_templates(void)
{
	static const struct {
		const char	*name, *tmpl, *want;
	} bad[] = {
		{ "tmpl_unknown_var", "a\nprotocol {{nope}}\n",
		    "ebgp_peer.conf.in:2: unknown variable \"nope\"" },
		{ "tmpl_ibgp_var_in_ebgp", "{{#if rr_client}}x{{/if}}\n",
		    "ebgp_peer.conf.in:1: unknown variable \"rr_client\"" },
		{ "tmpl_flag_as_value", "{{passive}}\n",
		    "ebgp_peer.conf.in:1: \"passive\" is a flag, only for "
		    "{{#if}}" },
		{ "tmpl_unclosed", "x\n{{#if passive}}\ny\n",
		    "ebgp_peer.conf.in:2: {{#if}} not closed" },
		{ "tmpl_stray_end", "{{/if}}\n",
		    "ebgp_peer.conf.in:1: {{/if}} without {{#if}}" },
		{ "tmpl_stray_else", "{{else}}\n",
		    "ebgp_peer.conf.in:1: {{else}} outside {{#if}}" },
		{ "tmpl_double_else", "{{#if enh}}a{{else}}b{{else}}c{{/if}}\n",
		    "ebgp_peer.conf.in:1: {{else}} outside {{#if}}" },
		{ "tmpl_open_tag", "a {{protocol\n}}\n",
		    "ebgp_peer.conf.in:1: \"{{\" without \"}}\"" },
		{ "tmpl_bad_tag", "{{Protocol}}\n",
		    "ebgp_peer.conf.in:1: bad tag \"{{Protocol}}\"" },
		{ "tmpl_empty_tag", "{{}}\n", "ebgp_peer.conf.in:1: bad tag" },
		{ "tmpl_too_deep", "{{#if enh}}{{#if enh}}{{#if enh}}{{#if enh}}"
		    "{{#if enh}}{{#if enh}}{{#if enh}}{{#if enh}}{{#if enh}}\n",
		    "ebgp_peer.conf.in:1: sections nested too deep" }
	};
	static const char *ok_ebgp =
	    "## a template comment, dropped\n"
	    "p {{protocol}} as {{asn}}\n"
	    "{{#if passive}}\n"
	    "  passive\n"
	    "{{else}}\n"
	    "  active\n"
	    "{{/if}}\n"
	    "  {{#if !enh}}noenh{{else}}enh{{/if}} {{#if link_local}}"
	    "ll {{#if enh}}+enh{{/if}}{{/if}};\n"
	    "{{#if description}}d \"{{description}}\"{{/if}}\n"
	    "}} {single} # end\n";
	static const char *ok_ibgp = "i {{protocol}}\n";
	struct render_templates	*t;
	struct render_params	 p;
	struct cp_session_msg	 s;
	struct render_buf	 b = { 0 };
	char			 dir[] = "/tmp/render_test.XXXXXX";
	char			 ebuf[512], path[PATH_MAX], *big;
	const char		*e;
	size_t			 k;

	if (mkdtemp(dir) == NULL)
		err(1, "mkdtemp");

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		ebuf[0] = '\0';
		t = load_pair(dir, bad[k].tmpl, ok_ibgp, ebuf, sizeof(ebuf));
		e = strstr(ebuf, "ebgp_peer");
		if (t != NULL) {
			REGRESS_FAIL(bad[k].name, "loaded");
			render_templates_free(t);
		} else if (e == NULL || strcmp(e, bad[k].want) != 0)
			REGRESS_FAIL(bad[k].name, "error \"%s\", want \"%s\"",
			    ebuf, bad[k].want);
		else
			REGRESS_OK(bad[k].name);
	}

	t = load_pair(dir, ok_ebgp, "{{peer_template}}\n", ebuf, sizeof(ebuf));
	REGRESS_CHECK("tmpl_ebgp_var_in_ibgp", t == NULL &&
	    strstr(ebuf, "ibgp_peer.conf.in:1: unknown variable "
	    "\"peer_template\"") != NULL);
	render_templates_free(t);

	t = load_pair(dir, NULL, ok_ibgp, ebuf, sizeof(ebuf));
	REGRESS_CHECK("tmpl_missing_file", t == NULL &&
	    strstr(ebuf, "ebgp_peer.conf.in: No such file") != NULL);
	render_templates_free(t);

	if ((big = malloc(70000)) == NULL)
		err(1, NULL);
	memset(big, '#', 69999);
	big[69999] = '\0';
	t = load_pair(dir, big, ok_ibgp, ebuf, sizeof(ebuf));
	free(big);
	REGRESS_CHECK("tmpl_too_large", t == NULL && strstr(ebuf,
	    "65536 bytes") != NULL);
	render_templates_free(t);

	t = load_pair(dir, ok_ebgp, ok_ibgp, ebuf, sizeof(ebuf));
	if (t == NULL)
		REGRESS_FAIL("tmpl_language", "load: %s", ebuf);
	else {
		base_params(&p);
		p.templates = t;
		e_mpbgp_enh(&s, &p);
		(void)strlcpy(s.name, "n", sizeof(s.name));
		if (render_session(&p, &s, &b, ebuf, sizeof(ebuf)) == -1)
			REGRESS_FAIL("tmpl_language", "render: %s", ebuf);
		else
			REGRESS_CHECK("tmpl_language", strcmp(b.data,
			    "# moenet-agent: session " U " protocols "
			    "dn42_4242420001\n\n"
			    "p dn42_4242420001 as 4242420001\n"
			    "  active\n"
			    "  enh ll +enh;\n"
			    "d \"n\"\n"
			    "}} {single} # end\n") == 0);
		s.flags &= ~(CP_SESS_HAS_ENDPOINT | CP_SESS_ENH);
		s.name[0] = '\0';
		if (render_session(&p, &s, &b, ebuf, sizeof(ebuf)) == -1)
			REGRESS_FAIL("tmpl_language_else", "render: %s", ebuf);
		else
			REGRESS_CHECK("tmpl_language_else", strcmp(b.data,
			    "# moenet-agent: session " U " protocols "
			    "dn42_4242420001\n\n"
			    "p dn42_4242420001 as 4242420001\n"
			    "  passive\n"
			    "  noenh ll ;\n"
			    "\n"
			    "}} {single} # end\n") == 0);
		render_templates_free(t);
	}

	t = render_templates_load("/nonexistent/templates", ebuf, sizeof(ebuf));
	REGRESS_CHECK("tmpl_dir_missing", t == NULL && strstr(ebuf,
	    "/nonexistent/templates/ebgp_peer.conf.in") != NULL);

	(void)snprintf(path, sizeof(path), "%s/%s", dir, RENDER_EBGP_TEMPLATE);
	(void)unlink(path);
	(void)snprintf(path, sizeof(path), "%s/%s", dir, RENDER_IBGP_TEMPLATE);
	(void)unlink(path);
	(void)rmdir(dir);
	render_buf_free(&b);
}

/* Every template the agent uses, as the tree has it. */
static const char *all_templates[] = {
	RENDER_EBGP_TEMPLATE,
	RENDER_IBGP_TEMPLATE,
	RENDER_BABEL_TEMPLATE,
	POLICY_DEFS_TEMPLATE,
	POLICY_COMMUNITY_TEMPLATE,
	POLICY_FILTERS_TEMPLATE,
	POLICY_RPKI_TEMPLATE,
	POLICY_BLOCKLIST_TEMPLATE,
	POLICY_MAIN_TEMPLATE
};
#define NALL	(sizeof(all_templates) / sizeof(all_templates[0]))

static void
join(char *buf, size_t len, const char *dir, const char *file)
{
	int	 r;

	r = snprintf(buf, len, "%s/%s", dir, file);
	if (r < 0 || (size_t)r >= len)
		errx(1, "%s/%s: path too long", dir, file);
}

/* Copy every template of the tree into dir, then replace one. */
static void
template_dir(const char *tdir, const char *dir, const char *file,
    const char *text)
{
	char	 path[PATH_MAX], *buf;
	size_t	 k, len;

	for (k = 0; k < NALL; k++) {
		join(path, sizeof(path), tdir, all_templates[k]);
		if ((buf = file_slurp(path, &len)) == NULL)
			err(1, "%s", path);
		join(path, sizeof(path), dir, all_templates[k]);
		if (file_spit(path, buf, len) == -1)
			err(1, "%s", path);
		free(buf);
	}
	if (file == NULL)
		return;
	join(path, sizeof(path), dir, file);
	if (text == NULL)
		(void)unlink(path);
	else if (file_spit(path, text, strlen(text)) == -1)
		err(1, "%s", path);
}

static void
template_dir_rm(const char *dir)
{
	char	 path[PATH_MAX];
	size_t	 k;

	for (k = 0; k < NALL; k++) {
		join(path, sizeof(path), dir, all_templates[k]);
		(void)unlink(path);
	}
	(void)rmdir(dir);
}

/* render_templates_check over the tree's set with file replaced. */
static int
check_one(const char *tdir, const char *dir, const char *file,
    const char *text, char *ebuf, size_t errlen)
{
	int	 r;

	template_dir(tdir, dir, file, text);
	ebuf[0] = '\0';
	r = render_templates_check(dir, ebuf, errlen);
	template_dir_rm(dir);
	if (mkdir(dir, 0700) == -1)
		err(1, "%s", dir);
	return (r);
}

/*
 * The built-in templates are the tree's, byte for byte; an empty or
 * absent templateDir means them; a templateDir is honoured, and one
 * that lacks a template fails, naming the path.
 */
static void
test_builtin(const char *tdir)
{
	struct render_templates	*t;
	struct render_params	 p;
	struct cp_session_msg	 s;
	struct render_buf	 b = { 0 };
	char			 dir[] = "/tmp/render_test_dir.XXXXXX";
	char			 ebuf[512], want[PATH_MAX + 64];
	char			 name[PATH_MAX];
	char			 path[PATH_MAX], *text, *file, *ebgp;
	size_t			 k, len, flen;
	int			 same = 1;

	for (k = 0; k < NALL; k++) {
		join(path, sizeof(path), tdir, all_templates[k]);
		if ((file = file_slurp(path, &flen)) == NULL)
			err(1, "%s", path);
		if (render_template_text("", all_templates[k], &text, &len,
		    name, sizeof(name), ebuf, sizeof(ebuf)) == -1) {
			REGRESS_FAIL("builtin_is_tree", "%s", ebuf);
			same = -1;
		} else if (len != flen || memcmp(text, file, len) != 0 ||
		    strncmp(name, "built-in:", 9) != 0) {
			REGRESS_FAIL("builtin_is_tree", "%s differs from %s",
			    name, path);
			same = -1;
		}
		free(text);
		free(file);
		if (same == -1)
			break;
	}
	if (same == 1)
		REGRESS_OK("builtin_is_tree");

	text = NULL;
	REGRESS_CHECK("builtin_unknown", render_template_text(NULL,
	    "nope.conf.in", &text, &len, name, sizeof(name), ebuf,
	    sizeof(ebuf)) == -1 && text == NULL &&
	    strcmp(ebuf, "built-in:nope.conf.in: no such template") == 0);

	REGRESS_CHECK("check_builtin", render_templates_check("", ebuf,
	    sizeof(ebuf)) == 0);
	REGRESS_CHECK("check_builtin_null", render_templates_check(NULL,
	    ebuf, sizeof(ebuf)) == 0);
	REGRESS_CHECK("check_tree_dir", render_templates_check(tdir, ebuf,
	    sizeof(ebuf)) == 0);

	ebuf[0] = '\0';
	REGRESS_CHECK("check_bad_dir", render_templates_check(
	    "/nonexistent/moenet-templates", ebuf, sizeof(ebuf)) == -1 &&
	    strcmp(ebuf, "/nonexistent/moenet-templates/ebgp_peer.conf.in: "
	    "No such file or directory") == 0);

	if (mkdtemp(dir) == NULL)
		err(1, "mkdtemp");

	/* Each template of the set is checked, by its path. */
	for (k = 0; k < NALL; k++) {
		(void)snprintf(want, sizeof(want), "%s/%s: No such file or "
		    "directory", dir, all_templates[k]);
		if (check_one(tdir, dir, all_templates[k], NULL, ebuf,
		    sizeof(ebuf)) != -1 || strcmp(ebuf, want) != 0) {
			REGRESS_FAIL("check_each_missing", "%s: \"%s\"",
			    all_templates[k], ebuf);
			break;
		}
	}
	if (k == NALL)
		REGRESS_OK("check_each_missing");

	REGRESS_CHECK("check_bad_policy", check_one(tdir, dir,
	    POLICY_FILTERS_TEMPLATE, "x {{nope}}\n", ebuf, sizeof(ebuf)) ==
	    -1 && strstr(ebuf, "policy_filters.conf.in:1: unknown variable "
	    "\"nope\"") != NULL);
	REGRESS_CHECK("check_bad_babel_var", check_one(tdir, dir,
	    RENDER_BABEL_TEMPLATE, "a\n\tb {{loopback_if}} {{asn}}\n", ebuf,
	    sizeof(ebuf)) == -1 && strstr(ebuf, "babel.conf.in:2: unknown "
	    "variable \"asn\"") != NULL);
	REGRESS_CHECK("check_bad_babel_section", check_one(tdir, dir,
	    RENDER_BABEL_TEMPLATE, "{{#if filter4}}x{{/if}}\n", ebuf,
	    sizeof(ebuf)) == -1 && strstr(ebuf, "babel.conf.in: \"{{#\": "
	    "no sections") != NULL);
	REGRESS_CHECK("check_bad_ibgp", check_one(tdir, dir,
	    RENDER_IBGP_TEMPLATE, "{{#if x}}\n", ebuf, sizeof(ebuf)) == -1 &&
	    strstr(ebuf, "ibgp_peer.conf.in:1: unknown variable") != NULL);

	/* An override is what renders, not the built-in copy. */
	join(path, sizeof(path), tdir, RENDER_EBGP_TEMPLATE);
	if ((file = file_slurp(path, &flen)) == NULL)
		err(1, "%s", path);
	if (asprintf(&ebgp, "%.*s## a comment\n# override {{protocol}}\n",
	    (int)flen, file) == -1)
		err(1, NULL);
	free(file);
	template_dir(tdir, dir, RENDER_EBGP_TEMPLATE, ebgp);
	free(ebgp);
	REGRESS_CHECK("check_override", render_templates_check(dir, ebuf,
	    sizeof(ebuf)) == 0);
	if ((t = render_templates_load(dir, ebuf, sizeof(ebuf))) == NULL)
		REGRESS_FAIL("override_renders", "load: %s", ebuf);
	else {
		base_params(&p);
		p.templates = t;
		e_mpbgp_enh(&s, &p);
		if (render_session(&p, &s, &b, ebuf, sizeof(ebuf)) == -1)
			REGRESS_FAIL("override_renders", "render: %s", ebuf);
		else
			REGRESS_CHECK("override_renders", strstr(b.data,
			    "\n# override dn42_4242420001\n") != NULL &&
			    strstr(b.data, "a comment") == NULL);
		render_templates_free(t);
		base_params(&p);
		e_mpbgp_enh(&s, &p);
		if (render_session(&p, &s, &b, ebuf, sizeof(ebuf)) == -1)
			REGRESS_FAIL("builtin_not_overridden", "%s", ebuf);
		else
			REGRESS_CHECK("builtin_not_overridden",
			    strstr(b.data, "# override") == NULL);
	}
	template_dir_rm(dir);
	render_buf_free(&b);
}

static int
write_sets(const char *dir)
{
	struct render_buf	 b = { 0 };
	struct cp_session_msg	 s;
	struct render_ibgp_peer	 ip;
	struct render_params	 p;
	char			 path[PATH_MAX], f[RENDER_FILE_LEN];
	char			 ebuf[512];
	size_t			 k;

	for (k = 0; k < sizeof(ecases) / sizeof(ecases[0]); k++) {
		base_params(&p);
		ecases[k].setup(&s, &p);
		if (render_session(&p, &s, &b, ebuf, sizeof(ebuf)) == -1 ||
		    render_file_name(&s, f, sizeof(f), ebuf, sizeof(ebuf)) == -1)
			errx(1, "%s: %s", ecases[k].name, ebuf);
		(void)snprintf(path, sizeof(path), "%s/peers/%s", dir, f);
		if (file_spit(path, b.data, b.len) == -1)
			err(1, "%s", path);
	}
	for (k = 0; k < sizeof(icases) / sizeof(icases[0]); k++) {
		base_params(&p);
		icases[k].setup(&ip, &p);
		if (render_ibgp_peer(&p, &ip, &b, ebuf, sizeof(ebuf)) == -1 ||
		    render_ibgp_file_name(&ip, f, sizeof(f)) == -1)
			errx(1, "%s: %s", icases[k].name, ebuf);
		(void)snprintf(path, sizeof(path), "%s/ibgp/%s", dir, f);
		if (file_spit(path, b.data, b.len) == -1)
			err(1, "%s", path);
	}
	render_buf_free(&b);
	return (0);
}

static void
usage(void)
{
	fprintf(stderr, "usage: render_test [-u] [-w dir]\n");
	exit(1);
}

int
main(int argc, char *argv[])
{
	char		 self[PATH_MAX], tdir[PATH_MAX], err[512];
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

	/* Fixtures sit beside the test; templates at the top of the tree. */
	(void)strlcpy(self, argv[0], sizeof(self));
	if (snprintf(golden, sizeof(golden), "%s/golden",
	    dirname(self)) >= (int)sizeof(golden) ||
	    snprintf(topdir, sizeof(topdir), "%s/../..", self) >=
	    (int)sizeof(topdir) ||
	    snprintf(tdir, sizeof(tdir), "%s/templates", topdir) >=
	    (int)sizeof(tdir))
		errx(1, "path too long");
	/* No directory: the built-in templates, as the agent's default. */
	if ((tmpls = render_templates_load("", err, sizeof(err))) == NULL)
		errx(1, "%s", err);

	if (wdir != NULL)
		return (write_sets(wdir));

	test_golden(update);
	if (update)
		return (0);
	test_invalid_sessions();
	test_invalid_params();
	test_invalid_ibgp();
	test_own_ll();
	test_asn();
	test_names();
	test_header();
	test_templates();
	test_builtin(tdir);
	render_templates_free(tmpls);
	REGRESS_EXIT();
}
