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
 * The bot API's parsers on real BIRD output: fixtures/bird2-* captured
 * from BIRD 2.0.12 (fixtures/bird2-capture.conf), bird3-* taken from
 * the BIRD 3.1.8 transcripts (bird3-route-all-dn42 with DN42
 * communities put into one route).  Each goes through the real framer,
 * streamed through the sink as birdctl streams it; then the canonical
 * target check and the request body reader.
 */

#include <sys/types.h>

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bird.h"
#include "birdctl/birdcmd.h"
#include "birdctl/birdproto.h"
#include "birdctl/birdroute.h"
#include "fetcher/reqbody.h"
#include "regress.h"

static char	 dir[1024];

static void
sink(int code, const char *text, void *arg)
{
	bird_route_scan_line(arg, code, text);
}

/*
 * Feed fixture name as the reply to cmd: streamed into sc (stream) or
 * kept and scanned after.  The reply text goes to text if not NULL.
 */
static int
run(const char *name, unsigned int cmd, int stream,
    struct bird_route_scan *sc, char *text, size_t textlen)
{
	struct bird_reader	 r;
	struct bird_cmd_msg	 m;
	const struct bird_reply	*rp;
	char			 path[1200], *buf, line[BIRD_CMD_LINE_MAX];
	size_t			 len, i;
	FILE			*f;
	char			*nl;
	int			 rc = -1;

	snprintf(path, sizeof(path), "%s/fixtures/%s", dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	buf = malloc(1 << 20);
	len = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[len] = '\0';
	bird_reader_init(&r, 0, 0, 0);
	/* The banner first, then the command, then the reply. */
	nl = strchr(buf, '\n');
	if (nl == NULL || bird_reader_feed(&r, buf, nl + 1 - buf) ==
	    BIRD_FEED_ERROR)
		goto out;
	memset(&m, 0, sizeof(m));
	m.type = cmd;
	if (cmd == BIRD_CMD_SHOW_ROUTE_FOR)
		strlcpy(m.target, "172.20.9.1", sizeof(m.target));
	if (bird_reader_start(&r, &m, line, sizeof(line)) == -1)
		goto out;
	bird_route_scan_init(sc, !stream);
	if (stream)
		bird_reader_set_sink(&r, sink, sc);
	if (bird_reader_feed(&r, nl + 1, len - (nl + 1 - buf)) !=
	    BIRD_FEED_DONE || (rp = bird_reader_reply(&r)) == NULL)
		goto out;
	if (!stream)
		for (i = 0; i < rp->nlines; i++)
			if (!(rp->lines[i].flags & BIRD_LINE_FINAL))
				bird_route_scan_line(sc, rp->lines[i].code,
				    bird_reply_text(rp, i));
	bird_route_scan_end(sc);
	if (text != NULL)
		bird_route_text(rp, text, textlen);
	/* Streamed: only the final line was kept. */
	rc = stream ? (int)rp->nlines : 0;
 out:
	bird_reader_clear(&r);
	free(buf);
	return rc;
}

static int
path_is(const struct bird_route_msg *r, const uint32_t *want, size_t n)
{
	size_t	 i;

	if (r->npath != n)
		return 0;
	for (i = 0; i < n; i++)
		if (r->path[i] != want[i])
			return 0;
	return 1;
}

static void
test_community(void)
{
	static struct bird_route_scan	 sc;
	const struct bird_community_msg	*c = &sc.comm;
	int				 n;

	n = run("bird2-route-all-primary.raw",
	    BIRD_CMD_SHOW_ROUTE_COMMUNITIES, 1, &sc, NULL, 0);
	REGRESS_CHECK("comm_b2_streamed", n == 1);
	REGRESS_CHECK("comm_b2_total", c->total == 5 && c->tagged == 4);
	REGRESS_CHECK("comm_b2_latency", c->latency[0] == 1 &&
	    c->latency[2] == 1 && c->latency[3] == 1 && c->latency[8] == 1 &&
	    c->latency[1] == 0);
	REGRESS_CHECK("comm_b2_bandwidth", c->bandwidth[3] == 1 &&
	    c->bandwidth[8] == 1);
	REGRESS_CHECK("comm_b2_crypto", c->crypto[2] == 1 &&
	    c->crypto[3] == 1 && c->crypto[0] == 0);
	REGRESS_CHECK("comm_b2_region", c->region[0] == 1 &&
	    c->region[11] == 1 && c->region[29] == 1);

	n = run("bird2-route-all.raw", BIRD_CMD_SHOW_ROUTE_COMMUNITIES, 1,
	    &sc, NULL, 0);
	REGRESS_CHECK("comm_b2_transcript", n == 1 && c->total == 7 &&
	    c->tagged == 0);
	n = run("bird3-route-all.raw", BIRD_CMD_SHOW_ROUTE_COMMUNITIES, 1,
	    &sc, NULL, 0);
	REGRESS_CHECK("comm_b3_transcript", n == 1 && c->total == 7 &&
	    c->tagged == 0);
	n = run("bird3-route-all-dn42.raw", BIRD_CMD_SHOW_ROUTE_COMMUNITIES,
	    1, &sc, NULL, 0);
	REGRESS_CHECK("comm_b3_dn42", n == 1 && c->total == 7 &&
	    c->tagged == 1 && c->latency[2] == 1 && c->bandwidth[3] == 1);
}

static void
test_routes(void)
{
	static struct bird_route_scan	 sc;
	static const uint32_t		 p2[] = { 4242420008, 4242420009 };
	static const uint32_t		 p3[] = { 65002 };
	char				 text[BIRD_ROUTE_TEXT_MAX];
	int				 n;

	n = run("bird2-route-for.raw", BIRD_CMD_SHOW_ROUTE_FOR, 0, &sc,
	    text, sizeof(text));
	REGRESS_CHECK("route_b2_count", n == 0 && sc.nroutes == 2);
	REGRESS_CHECK("route_b2_best", strcmp(sc.routes[0].net,
	    "172.20.9.0/24") == 0 && strcmp(sc.routes[0].proto, "st4") == 0 &&
	    strcmp(sc.routes[0].table, "master4") == 0 &&
	    (sc.routes[0].flags & BIRD_ROUTE_PRIMARY) &&
	    path_is(&sc.routes[0], p2, 2));
	REGRESS_CHECK("route_b2_other", strcmp(sc.routes[1].net,
	    "172.20.9.0/24") == 0 && strcmp(sc.routes[1].proto, "st4b") == 0 &&
	    !(sc.routes[1].flags & (BIRD_ROUTE_PRIMARY | BIRD_ROUTE_PATH)));
	REGRESS_CHECK("route_b2_text", strncmp(text, "Table master4:\n"
	    "172.20.9.0/24        unreachable [st4 ", 53) == 0 &&
	    strstr(text, "\tBGP.as_path: 4242420008 4242420009\n") != NULL &&
	    text[strlen(text) - 1] == '\n');

	n = run("bird3-route-for.raw", BIRD_CMD_SHOW_ROUTE_FOR, 0, &sc,
	    text, sizeof(text));
	REGRESS_CHECK("route_b3", n == 0 && sc.nroutes == 1 &&
	    strcmp(sc.routes[0].net, "203.0.113.0/24") == 0 &&
	    strcmp(sc.routes[0].proto, "peer_wg0") == 0 &&
	    (sc.routes[0].flags & BIRD_ROUTE_PRIMARY) &&
	    path_is(&sc.routes[0], p3, 1));
	REGRESS_CHECK("route_b3_text", strstr(text, "\tbgp_path: 65002\n") !=
	    NULL);

	n = run("bird2-route-for-none.raw", BIRD_CMD_SHOW_ROUTE_FOR, 0, &sc,
	    text, sizeof(text));
	REGRESS_CHECK("route_none", n == 0 && sc.nroutes == 0 &&
	    strcmp(text, "Network not found\n") == 0);
}

/* Paths with sets, long paths, junk: bounded, never trusted. */
static void
test_path_edges(void)
{
	static struct bird_route_scan	 sc;
	char				 line[4096];
	int				 i, o;

	bird_route_scan_init(&sc, 1);
	bird_route_scan_line(&sc, 1007, "10.0.0.0/8 unicast [p1 x] * (100)");
	bird_route_scan_line(&sc, 1012, "\tBGP.as_path: 1 {2 3} 4 99999999999 5");
	bird_route_scan_line(&sc, 1007, "10.0.0.0/8 unicast [p2\001\377 x]");
	o = snprintf(line, sizeof(line), "\tbgp_path:");
	for (i = 0; i < 100; i++)
		o += snprintf(line + o, sizeof(line) - o, " %d", i + 1);
	bird_route_scan_line(&sc, 1012, line);
	bird_route_scan_line(&sc, 1012, "\tBGP.community: (64511,");
	bird_route_scan_line(&sc, 1012, "\t\t(64511,41)");
	bird_route_scan_end(&sc);
	REGRESS_CHECK("path_set", sc.nroutes == 2 && sc.routes[0].npath == 3 &&
	    sc.routes[0].path[0] == 1 && sc.routes[0].path[1] == 4 &&
	    sc.routes[0].path[2] == 5 &&
	    (sc.routes[0].flags & BIRD_ROUTE_PATH_SET));
	REGRESS_CHECK("path_long", sc.routes[1].npath == BIRD_ASPATH_MAX &&
	    (sc.routes[1].flags & BIRD_ROUTE_PATH_TRUNC));
	REGRESS_CHECK("path_proto_printable",
	    strcmp(sc.routes[1].proto, "p2??") == 0);
	REGRESS_CHECK("community_continued", sc.comm.region[0] == 1 &&
	    sc.comm.total == 2);
}

static void
test_targets(void)
{
	static const char *const good[] = { "172.20.0.53", "fd00::1",
	    "172.20.0.0/14", "fd42:2::/48", "0.0.0.0/0", "::/0", "::1/128" };
	static const char *const bad[] = { "", "172.20.0.053", "FD00::1",
	    "fd00:0::1", "172.20.0.0/33", "fd00::/129", "172.20.0.0/014",
	    "172.20.0.0/", "172.20.0.0/+1", "1.2.3.4 all", "1.2.3.4;",
	    "host.dn42", "[fd00::1]", "fd00::1%eth0", "1.2.3.4\n",
	    "1111111111111111111111111111111111111111111111111111111" };
	size_t	 i;
	int	 ok = 1;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!bird_cmd_valid_target(good[i])) {
			REGRESS_FAIL("target_good", "%s refused", good[i]);
			ok = 0;
		}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (bird_cmd_valid_target(bad[i])) {
			REGRESS_FAIL("target_bad", "%s taken", bad[i]);
			ok = 0;
		}
	if (ok)
		REGRESS_OK("targets");
}

static void
test_cmd_format(void)
{
	struct bird_cmd_msg	 m;
	char			 line[BIRD_CMD_LINE_MAX];

	memset(&m, 0, sizeof(m));
	m.type = BIRD_CMD_SHOW_ROUTE_FOR;
	strlcpy(m.target, "fd42:2::/48", sizeof(m.target));
	REGRESS_CHECK("format_route_for", bird_cmd_format(&m, line,
	    sizeof(line), NULL) > 0 &&
	    strcmp(line, "show route for fd42:2::/48 all\n") == 0);
	strlcpy(m.target, "fd42:2::/48 all; x", sizeof(m.target));
	REGRESS_CHECK("format_route_bad", bird_cmd_format(&m, line,
	    sizeof(line), NULL) == -1);
	m.type = BIRD_CMD_SHOW_STATUS;
	strlcpy(m.target, "1.2.3.4", sizeof(m.target));
	REGRESS_CHECK("format_target_elsewhere", bird_cmd_format(&m, line,
	    sizeof(line), NULL) == -1);
	memset(&m, 0, sizeof(m));
	m.type = BIRD_CMD_SHOW_ROUTE_COMMUNITIES;
	REGRESS_CHECK("format_communities", bird_cmd_format(&m, line,
	    sizeof(line), NULL) > 0 &&
	    strcmp(line, "show route all primary\n") == 0);
}

static void
test_reqbody(void)
{
	static const char *const keys[] = { "peer_name", "name", NULL };
	static const char *const asn[] = { "asn", NULL };
	char	 out[64], err[128];
	int	 r;

#define BODY(s)	(s), strlen(s)
	r = reqbody_member(BODY("{\"peer_name\":\"dn42_1\"}"), keys,
	    REQBODY_STRING, out, sizeof(out), err, sizeof(err));
	REGRESS_CHECK("body_string", r == 1 && strcmp(out, "dn42_1") == 0);
	r = reqbody_member(BODY("{\"x\":1,\"name\":\"a\"}"), keys,
	    REQBODY_STRING, out, sizeof(out), err, sizeof(err));
	REGRESS_CHECK("body_alias", r == 1 && strcmp(out, "a") == 0);
	r = reqbody_member(BODY("{\"asn\":4242420002}"), asn,
	    REQBODY_NUMBER, out, sizeof(out), err, sizeof(err));
	REGRESS_CHECK("body_number", r == 1 && strcmp(out, "4242420002") == 0);
	r = reqbody_member(BODY("{\"asn\":-1}"), asn, REQBODY_NUMBER, out,
	    sizeof(out), err, sizeof(err));
	REGRESS_CHECK("body_negative", r == -1);
	r = reqbody_member(BODY("{\"asn\":1.5}"), asn, REQBODY_NUMBER, out,
	    sizeof(out), err, sizeof(err));
	REGRESS_CHECK("body_float", r == -1);
	r = reqbody_member(BODY("{\"peer_name\":7}"), keys, REQBODY_STRING,
	    out, sizeof(out), err, sizeof(err));
	REGRESS_CHECK("body_type", r == -1);
	r = reqbody_member(BODY("[\"peer_name\"]"), keys, REQBODY_STRING,
	    out, sizeof(out), err, sizeof(err));
	REGRESS_CHECK("body_array", r == -1);
	r = reqbody_member(BODY("{}"), keys, REQBODY_STRING, out,
	    sizeof(out), err, sizeof(err));
	REGRESS_CHECK("body_missing", r == 0);
	r = reqbody_member("{\"name\":\"a\\u0000b\"}", 20, keys,
	    REQBODY_STRING, out, sizeof(out), err, sizeof(err));
	REGRESS_CHECK("body_nul_escape", r != 1 || strlen(out) == 1);
	r = reqbody_member(BODY("{\"name\":\"" "0123456789012345678901234567"
	    "890123456789012345678901234567890123456789\"}"), keys,
	    REQBODY_STRING, out, sizeof(out), err, sizeof(err));
	REGRESS_CHECK("body_long", r == -1 && out[0] == '\0');
	r = reqbody_member(BODY("{\"name\":"), keys, REQBODY_STRING, out,
	    sizeof(out), err, sizeof(err));
	REGRESS_CHECK("body_truncated", r == -1);
#undef BODY
}

int
main(int argc, char *argv[])
{
	char	 self[1024];

	strlcpy(self, argv[0], sizeof(self));
	strlcpy(dir, dirname(self), sizeof(dir));
	test_community();
	test_routes();
	test_path_edges();
	test_targets();
	test_cmd_format();
	test_reqbody();
	REGRESS_EXIT();
}
