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
 * Control-plane reply parsers: each fixtures/<kind>-<case>.json is parsed
 * and its records dumped as text, compared with <kind>-<case>.ok.  With
 * -u the .ok files are written instead.  Limits that need large inputs
 * are built in memory.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetcher/cpjson.h"
#include "fetcher/cpvalid.h"
#include "log.h"
#include "regress/regress.h"

static void	dump_key(FILE *, const char *, const uint8_t *);
static void	dump_sessions(FILE *, const char *, size_t);
static void	dump_mesh(FILE *, const char *, size_t);
static void	dump_policy(FILE *, const char *, size_t);
static void	dump_nodeconf(FILE *, const char *, size_t);
static void	dump_reply(FILE *, const char *, size_t);
static void	dump_err(FILE *, int, const char *);
static char	*readfile(const char *, size_t *);
static int	run_fixture(const char *, const char *, int);
static void	test_limits(void);
static void	test_validators(void);

static const char *const types[] = { "wireguard", "gre", "ip6gre" };
static const char *const policies[] = {
	"full", "peer", "upstream", "downstream"
};

static void
dump_key(FILE *f, const char *label, const uint8_t *key)
{
	char	b64[CPV_B64KEY_LEN + 1];

	cpv_key_encode(key, b64);
	fprintf(f, " %s=%s", label, b64);
}

static void
dump_err(FILE *f, int rv, const char *err)
{
	fprintf(f, "%s: %s\n", rv == CP_PARSE_CPERROR ? "cperror" :
	    "invalid", err);
}

static void
dump_sessions(FILE *f, const char *buf, size_t len)
{
	struct cp_session_msg	*v, *s;
	char			 err[512], a[INET6_ADDRSTRLEN];
	size_t			 n, i;
	int			 rv;

	if ((rv = cp_parse_sessions(buf, len, &v, &n, err,
	    sizeof(err))) != 0) {
		dump_err(f, rv, err);
		return;
	}
	fprintf(f, "%zu sessions\n", n);
	for (i = 0; i < n; i++) {
		s = &v[i];
		fprintf(f, "session %s asn=%u", s->uuid, s->asn);
		if (s->flags & CP_SESS_HAS_STATUS)
			fprintf(f, " status=%u", s->status);
		else
			fprintf(f, " status=unset");
		fprintf(f, " type=%s policy=%s\n", types[s->type],
		    policies[s->policy]);
		fprintf(f, "\tname=\"%s\" description=\"%s\"\n", s->name,
		    s->description);
		fprintf(f, "\tifname=%s", s->ifname[0] ? s->ifname : "-");
		if (s->flags & CP_SESS_HAS_ENDPOINT)
			fprintf(f, " endpoint=%s port=%u", s->endpoint_host,
			    s->endpoint_port);
		else
			fprintf(f, " endpoint=passive");
		fprintf(f, " listen_port=%u mtu=%u\n", s->listen_port,
		    s->mtu);
		fprintf(f, "\t");
		dump_key(f, "pubkey", s->peer_pubkey);
		if (s->flags & CP_SESS_HAS_PSK)
			dump_key(f, "psk", s->psk);
		fprintf(f, "\n\t");
		if (s->flags & CP_SESS_HAS_IPV4)
			fprintf(f, " ipv4=%s", inet_ntop(AF_INET, &s->ipv4, a,
			    sizeof(a)));
		if (s->flags & CP_SESS_HAS_IPV6)
			fprintf(f, " ipv6=%s", inet_ntop(AF_INET6, &s->ipv6,
			    a, sizeof(a)));
		if (s->flags & CP_SESS_HAS_LL)
			fprintf(f, " ll=%s", inet_ntop(AF_INET6, &s->ipv6_ll,
			    a, sizeof(a)));
		fprintf(f, "%s%s\n", (s->flags & CP_SESS_MPBGP) ?
		    " mp-bgp" : "", (s->flags & CP_SESS_ENH) ?
		    " extended-nexthop" : "");
		if (s->flags & CP_SESS_INVALID)
			fprintf(f, "\tINVALID %s\n", s->error);
	}
	free(v);
}

static void
dump_mesh(FILE *f, const char *buf, size_t len)
{
	struct cp_mesh_peer_msg	*v, *p;
	char			 err[512], a[INET6_ADDRSTRLEN];
	size_t			 n, i;
	int			 rv;

	if ((rv = cp_parse_mesh(buf, len, &v, &n, err, sizeof(err))) != 0) {
		dump_err(f, rv, err);
		return;
	}
	fprintf(f, "%zu peers\n", n);
	for (i = 0; i < n; i++) {
		p = &v[i];
		fprintf(f, "%s %u name=%s", (p->flags & CP_PEER_SELF) ?
		    "self" : "peer", p->node_id, p->node_name);
		if (p->flags & CP_PEER_HAS_IPV4)
			fprintf(f, " loop4=%s", inet_ntop(AF_INET,
			    &p->loopback4, a, sizeof(a)));
		if (p->flags & CP_PEER_HAS_IPV6)
			fprintf(f, " loop6=%s", inet_ntop(AF_INET6,
			    &p->loopback6, a, sizeof(a)));
		if (p->flags & CP_PEER_HAS_KEY)
			dump_key(f, "key", p->pubkey);
		if (p->flags & CP_PEER_HAS_ENDPOINT)
			fprintf(f, " endpoint=%s port=%u", p->endpoint_host,
			    p->endpoint_port);
		fprintf(f, " mtu=%u%s\n", p->mtu,
		    (p->flags & CP_PEER_RR) ? " rr" : "");
		if (p->flags & CP_PEER_INVALID)
			fprintf(f, "\tINVALID %s\n", p->error);
	}
	free(v);
}

static void
dump_policy(FILE *f, const char *buf, size_t len)
{
	struct cp_policy_msg	 pol;
	struct cp_ibgp_peer_msg	*v, *p;
	struct cp_community	*c;
	char			 err[512], a[INET6_ADDRSTRLEN];
	size_t			 n, i;
	int			 rv;

	if ((rv = cp_parse_policy(buf, len, &pol, &v, &n, err,
	    sizeof(err))) != 0) {
		dump_err(f, rv, err);
		return;
	}
	fprintf(f, "hash=%s\n", pol.config_hash);
	fprintf(f, "node id=%u name=%s type=%s bandwidth=%s region=%u",
	    pol.node_id, pol.node_name, pol.node_type, pol.bandwidth,
	    pol.region_code);
	if (pol.flags & CP_POL_HAS_NODEASN)
		fprintf(f, " asn=%u", pol.node_asn);
	if (pol.flags & CP_POL_HAS_LOOP4)
		fprintf(f, " loop4=%s", inet_ntop(AF_INET, &pol.loopback4, a,
		    sizeof(a)));
	if (pol.flags & CP_POL_HAS_LOOP6)
		fprintf(f, " loop6=%s", inet_ntop(AF_INET6, &pol.loopback6,
		    a, sizeof(a)));
	fprintf(f, "\n\tcontinent=%s subregion=%s region=%s bw=%s\n",
	    pol.continent_lc, pol.subregion_lc, pol.region_community,
	    pol.bandwidth_community);
	fprintf(f, "policy as=%u", pol.dn42_as);
	if (pol.flags & CP_POL_HAS_PFX4)
		fprintf(f, " pfx4=%s/%u", inet_ntop(AF_INET, &pol.prefix4, a,
		    sizeof(a)), pol.prefix4_len);
	if (pol.flags & CP_POL_HAS_PFX6)
		fprintf(f, " pfx6=%s/%u", inet_ntop(AF_INET6, &pol.prefix6,
		    a, sizeof(a)), pol.prefix6_len);
	fprintf(f, "\n\tlimits ebgp=%u/%u ibgp=%u/%u pathlen=%u\n",
	    pol.ebgp_import_limit, pol.ebgp_export_limit,
	    pol.ibgp_import_limit, pol.ibgp_export_limit,
	    pol.as_path_max_len);
	for (i = 0; i < pol.nrpki; i++)
		fprintf(f, "\trpki name=%s host=%s port=%u\n",
		    pol.rpki[i].name, pol.rpki[i].host, pol.rpki[i].port);
	for (i = 0; i < pol.ncommunities; i++) {
		c = &pol.communities[i];
		fprintf(f, "\tcommunity %s (%u, %u)\n", c->name, c->val[0],
		    c->val[1]);
	}
	for (i = 0; i < pol.nlarge_communities; i++) {
		c = &pol.large_communities[i];
		fprintf(f, "\tlarge %s (%u, %u, %u)\n", c->name, c->val[0],
		    c->val[1], c->val[2]);
	}
	fprintf(f, "%zu ibgp peers\n", n);
	for (i = 0; i < n; i++) {
		p = &v[i];
		fprintf(f, "ibgp %u name=%s", p->node_id, p->node_name);
		if (p->flags & CP_PEER_HAS_IPV4)
			fprintf(f, " loop4=%s", inet_ntop(AF_INET,
			    &p->loopback4, a, sizeof(a)));
		if (p->flags & CP_PEER_HAS_IPV6)
			fprintf(f, " loop6=%s", inet_ntop(AF_INET6,
			    &p->loopback6, a, sizeof(a)));
		fprintf(f, "%s\n", (p->flags & CP_PEER_RR) ? " rr" : "");
		if (p->flags & CP_PEER_INVALID)
			fprintf(f, "\tINVALID %s\n", p->error);
	}
	free(v);
}

static void
dump_nodeconf(FILE *f, const char *buf, size_t len)
{
	struct cp_nodeconf_msg	nc;
	char			err[512], a[INET6_ADDRSTRLEN];
	int			rv;

	if ((rv = cp_parse_nodeconf(buf, len, &nc, err, sizeof(err))) != 0) {
		dump_err(f, rv, err);
		return;
	}
	fprintf(f, "has=0x%05x\n", nc.has);
	fprintf(f, "node name=%s id=%u region=%s\n", nc.node_name,
	    nc.node_id, nc.region);
	fprintf(f, "bird socket=%s peers=%s ibgp=%s policy=%s maint=%s\n",
	    nc.bird_socket, nc.bird_peerdir, nc.bird_ibgpdir,
	    nc.bird_policydir, nc.bird_maintfile);
	fprintf(f, "wg priv=%s pub=%s keepalive=%u\n", nc.wg_privpath,
	    nc.wg_pubpath, nc.wg_keepalive);
	if (nc.has & CP_NC_WG_IPV4)
		fprintf(f, "\tipv4=%s/%u\n", inet_ntop(AF_INET, &nc.wg_ipv4,
		    a, sizeof(a)), nc.wg_ipv4_len);
	if (nc.has & CP_NC_WG_IPV6)
		fprintf(f, "\tipv6=%s/%u\n", inet_ntop(AF_INET6, &nc.wg_ipv6,
		    a, sizeof(a)), nc.wg_ipv6_len);
	if (nc.has & CP_NC_WG_IPV6LL)
		fprintf(f, "\tll=%s/%u\n", inet_ntop(AF_INET6, &nc.wg_ipv6ll,
		    a, sizeof(a)), nc.wg_ipv6ll_len);
	fprintf(f, "metric timeout=%u count=%u%s\n", nc.ping_timeout,
	    nc.ping_count, (nc.has & CP_NC_AUTOUPDATE) ?
	    " autoUpdate-ignored" : "");
}

static void
dump_reply(FILE *f, const char *buf, size_t len)
{
	char	err[512];
	int	rv;

	if ((rv = cp_parse_reply(buf, len, err, sizeof(err))) != 0)
		dump_err(f, rv, err);
	else
		fprintf(f, "ok\n");
}

static char *
readfile(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*buf;
	long	 len;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == -1 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) == -1 || (buf = malloc(len + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	if (fread(buf, 1, len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[len] = '\0';
	*lenp = len;
	fclose(f);
	return buf;
}

static int
run_fixture(const char *dir, const char *name, int update)
{
	char	 path[2048], okpath[2048], *doc, *out, *want;
	size_t	 doclen, outlen, wantlen;
	FILE	*f;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path) || (size_t)snprintf(okpath, sizeof(okpath), "%.*s.ok",
	    (int)strlen(path) - 5, path) >= sizeof(okpath)) {
		REGRESS_FAIL(name, "path too long");
		return -1;
	}
	if ((doc = readfile(path, &doclen)) == NULL) {
		REGRESS_FAIL(name, "cannot read %s", path);
		return -1;
	}
	if ((f = open_memstream(&out, &outlen)) == NULL) {
		REGRESS_FAIL(name, "open_memstream");
		free(doc);
		return -1;
	}
	if (strncmp(name, "sessions-", 9) == 0)
		dump_sessions(f, doc, doclen);
	else if (strncmp(name, "mesh-", 5) == 0)
		dump_mesh(f, doc, doclen);
	else if (strncmp(name, "policy-", 7) == 0)
		dump_policy(f, doc, doclen);
	else if (strncmp(name, "nodeconf-", 9) == 0)
		dump_nodeconf(f, doc, doclen);
	else
		dump_reply(f, doc, doclen);
	fclose(f);
	free(doc);

	if (update) {
		if ((f = fopen(okpath, "w")) == NULL ||
		    fwrite(out, 1, outlen, f) != outlen || fclose(f) != 0)
			REGRESS_FAIL(name, "cannot write %s", okpath);
		else
			REGRESS_OK(name);
	} else if ((want = readfile(okpath, &wantlen)) == NULL) {
		REGRESS_FAIL(name, "no %s", okpath);
	} else {
		if (wantlen == outlen && memcmp(want, out, outlen) == 0)
			REGRESS_OK(name);
		else
			REGRESS_FAIL(name, "output differs from %s:\n%s",
			    okpath, out);
		free(want);
	}
	free(out);
	return 0;
}

static const char sess_head[] = "{\"code\":0,\"data\":{\"bgpSessions\":[";
static const char sess_one[] = "{\"uuid\":\"u%d\",\"asn\":4242420001,"
    "\"status\":3},";

/* Inputs too large to keep as fixtures. */
static void
test_limits(void)
{
	struct cp_session_msg	*v;
	char			*buf, err[512];
	size_t			 n, len, i, off;
	int			 rv;

	/* the largest session list accepted, and one more */
	len = sizeof(sess_head) + (CP_SESSIONS_MAX + 1) * 64 + 16;
	if ((buf = malloc(len)) == NULL)
		fatal("malloc");
	for (n = CP_SESSIONS_MAX; n <= CP_SESSIONS_MAX + 1; n++) {
		off = strlcpy(buf, sess_head, len);
		for (i = 0; i < n; i++)
			off += snprintf(buf + off, len - off, sess_one,
			    (int)i);
		buf[off - 1] = ']';
		off += strlcpy(buf + off, "}}", len - off);
		rv = cp_parse_sessions(buf, off, &v, &i, err, sizeof(err));
		if (n == CP_SESSIONS_MAX)
			REGRESS_CHECK("limit-sessions-max", rv == 0 &&
			    i == CP_SESSIONS_MAX);
		else
			REGRESS_CHECK("limit-sessions-over", rv == -1 &&
			    strcmp(err, "$.data.bgpSessions: more than 4096 "
			    "elements") == 0);
		free(v);
	}
	free(buf);

	/* larger than CP_DOC_MAX, refused before it is looked at */
	if ((buf = malloc(CP_DOC_MAX + 2)) == NULL)
		fatal("malloc");
	memset(buf, ' ', CP_DOC_MAX + 1);
	rv = cp_parse_sessions(buf, CP_DOC_MAX + 1, &v, &n, err,
	    sizeof(err));
	REGRESS_CHECK("limit-docsize", rv == -1 && v == NULL && n == 0 &&
	    strstr(err, "larger than") != NULL);

	/* nesting: 16 levels in all pass, 17 do not */
	for (n = 16; n <= 17; n++) {
		off = strlcpy(buf, "{\"code\":0,\"x\":", CP_DOC_MAX);
		for (i = 0; i < n - 1; i++)
			buf[off++] = '[';
		for (i = 0; i < n - 1; i++)
			buf[off++] = ']';
		off += strlcpy(buf + off, "}", CP_DOC_MAX - off);
		rv = cp_parse_reply(buf, off, err, sizeof(err));
		if (n == 16)
			REGRESS_CHECK("limit-depth-ok", rv == 0);
		else
			REGRESS_CHECK("limit-depth-over", rv == -1 &&
			    strstr(err, "nesting too deep") != NULL);
	}

	/* a string longer than CPW_MAXSTR in a known field */
	off = strlcpy(buf, "{\"code\":0,\"data\":{\"bgpSessions\":[{\"uuid\":"
	    "\"a\",\"asn\":4242420001,\"status\":3,\"name\":\"", CP_DOC_MAX);
	memset(buf + off, 'x', 5000);
	off += 5000;
	off += strlcpy(buf + off, "\"}]}}", CP_DOC_MAX - off);
	rv = cp_parse_sessions(buf, off, &v, &n, err, sizeof(err));
	REGRESS_CHECK("limit-string", rv == 0 && n == 1 &&
	    (v[0].flags & CP_SESS_INVALID) &&
	    strcmp(v[0].error, "name: string too long") == 0);
	free(v);

	/* 129 keys in one object */
	off = strlcpy(buf, "{\"code\":0", CP_DOC_MAX);
	for (i = 0; i < 129; i++)
		off += snprintf(buf + off, CP_DOC_MAX - off, ",\"k%zu\":1", i);
	off += strlcpy(buf + off, "}", CP_DOC_MAX - off);
	rv = cp_parse_reply(buf, off, err, sizeof(err));
	REGRESS_CHECK("limit-keys", rv == -1 &&
	    strstr(err, "too many keys") != NULL);
	free(buf);
}

static void
test_validators(void)
{
	uint8_t		 key[32], back[32];
	char		 b64[CPV_B64KEY_LEN + 1], host[CP_HOST_LEN];
	const char	*why;
	uint16_t	 port;
	size_t		 i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = i * 7 + 3;
	cpv_key_encode(key, b64);
	REGRESS_CHECK("key-roundtrip", cpv_key(b64, back, &why) == 0 &&
	    memcmp(key, back, sizeof(key)) == 0);
	REGRESS_CHECK("key-zero", cpv_key(
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", back, &why) == 0);
	/* the last character's two unused bits must be zero */
	REGRESS_CHECK("key-noncanonical", cpv_key(
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=", back, &why) == -1);
	REGRESS_CHECK("key-43", cpv_key(
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", back, &why) == -1);
	REGRESS_CHECK("key-nopad", cpv_key(
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", back, &why) == -1);
	REGRESS_CHECK("key-badchar", cpv_key(
	    "AAAAAAAAAAAAAAAAAAAAAAAA*AAAAAAAAAAAAAAAAAA=", back, &why) == -1);
	REGRESS_CHECK("endpoint-v6", cpv_endpoint("[2001:db8::1]:51820",
	    host, sizeof(host), &port, &why) == 0 &&
	    strcmp(host, "2001:db8::1") == 0 && port == 51820);
	REGRESS_CHECK("endpoint-v6-bare", cpv_endpoint("2001:db8::1:51820",
	    host, sizeof(host), &port, &why) == -1 &&
	    strcmp(why, "IPv6 address not in brackets") == 0);
	REGRESS_CHECK("endpoint-name", cpv_endpoint("wg.example.net:1",
	    host, sizeof(host), &port, &why) == 0 && port == 1);
	REGRESS_CHECK("endpoint-port0", cpv_endpoint("a.example:0", host,
	    sizeof(host), &port, &why) == -1);
	REGRESS_CHECK("endpoint-badv4", cpv_endpoint("1.2.3.999:5", host,
	    sizeof(host), &port, &why) == -1);
	REGRESS_CHECK("endpoint-shell", cpv_endpoint("a;reboot:5", host,
	    sizeof(host), &port, &why) == -1);
	REGRESS_CHECK("asn-trans", cpv_asn(23456, &why) == -1);
	REGRESS_CHECK("asn-dn42", cpv_asn(4242420001LL, &why) == 0);
	REGRESS_CHECK("asn-max", cpv_asn(4294967295LL, &why) == -1);
	REGRESS_CHECK("path-dotdot", cpv_path("/etc/bird/../shadow", 256,
	    &why) == -1);
	REGRESS_CHECK("path-ok", cpv_path("/etc/bird/peers", 256, &why) == 0);
	REGRESS_CHECK("ifname-16", cpv_ifname("dn42_42424200011", &why) ==
	    -1);
	REGRESS_CHECK("ifname-slash", cpv_ifname("wg/0", &why) == -1);
}

int
main(int argc, char *argv[])
{
	struct dirent	**names;
	char		  dir[1024], self[1024];
	int		  i, n, update = 0;

	log_init(1, LOG_USER);
	log_setverbose(0);
	if (argc > 1 && strcmp(argv[1], "-u") == 0)
		update = 1;
	strlcpy(self, argv[0], sizeof(self));
	snprintf(dir, sizeof(dir), "%s/fixtures", dirname(self));
	if ((n = scandir(dir, &names, NULL, alphasort)) == -1) {
		REGRESS_FAIL("fixtures", "cannot read %s", dir);
		REGRESS_EXIT();
	}
	for (i = 0; i < n; i++) {
		if (strlen(names[i]->d_name) > 5 &&
		    strcmp(names[i]->d_name + strlen(names[i]->d_name) - 5,
		    ".json") == 0)
			run_fixture(dir, names[i]->d_name, update);
		free(names[i]);
	}
	free(names);
	if (!update) {
		test_limits();
		test_validators();
	}
	REGRESS_EXIT();
}
