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
 * The target parser: every kind, its canonical text, and the shapes an
 * injection would take, each refused with a reason.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "fetcher/target.h"
#include "regress.h"

#define ALL	(TARGET_ADDR | TARGET_PREFIX | TARGET_HOST | TARGET_HOSTPORT)

struct good {
	const char	*in;
	int		 allowed;
	int		 kind;
	int		 af;
	int		 plen;
	unsigned	 port;
	const char	*host;
	const char	*canon;
};

static const struct good goods[] = {
	{ "172.20.0.53", ALL, TARGET_ADDR, AF_INET, -1, 0,
	    "172.20.0.53", "172.20.0.53" },
	{ "fd00::1", ALL, TARGET_ADDR, AF_INET6, -1, 0, "fd00::1", "fd00::1" },
	{ "FD00:0:0::0001", TARGET_ADDR, TARGET_ADDR, AF_INET6, -1, 0,
	    "fd00::1", "fd00::1" },
	{ "::1", ALL, TARGET_ADDR, AF_INET6, -1, 0, "::1", "::1" },
	{ "172.20.0.0/14", ALL, TARGET_PREFIX, AF_INET, 14, 0,
	    "172.20.0.0", "172.20.0.0/14" },
	{ "172.23.255.7/14", TARGET_PREFIX, TARGET_PREFIX, AF_INET, 14, 0,
	    "172.20.0.0", "172.20.0.0/14" },
	{ "10.1.2.3/32", ALL, TARGET_PREFIX, AF_INET, 32, 0,
	    "10.1.2.3", "10.1.2.3/32" },
	{ "10.1.2.3/0", ALL, TARGET_PREFIX, AF_INET, 0, 0,
	    "0.0.0.0", "0.0.0.0/0" },
	{ "fd00::/8", ALL, TARGET_PREFIX, AF_INET6, 8, 0,
	    "fd00::", "fd00::/8" },
	{ "fdff:1234::5/13", ALL, TARGET_PREFIX, AF_INET6, 13, 0,
	    "fdf8::", "fdf8::/13" },
	{ "fd42::1/128", ALL, TARGET_PREFIX, AF_INET6, 128, 0,
	    "fd42::1", "fd42::1/128" },
	{ "example.dn42", ALL, TARGET_HOST, 0, -1, 0,
	    "example.dn42", "example.dn42" },
	{ "Ns1.Example.DN42.", TARGET_HOST, TARGET_HOST, 0, -1, 0,
	    "ns1.example.dn42", "ns1.example.dn42" },
	{ "a-b.c0", ALL, TARGET_HOST, 0, -1, 0, "a-b.c0", "a-b.c0" },
	{ "localhost", ALL, TARGET_HOST, 0, -1, 0, "localhost", "localhost" },
	{ "1.2.3.com", ALL, TARGET_HOST, 0, -1, 0, "1.2.3.com", "1.2.3.com" },
	{ "example.dn42:443", ALL, TARGET_HOSTPORT, 0, -1, 443,
	    "example.dn42", "example.dn42:443" },
	{ "172.20.0.1:179", ALL, TARGET_HOSTPORT, AF_INET, -1, 179,
	    "172.20.0.1", "172.20.0.1:179" },
	{ "[fd00::0:1]:65535", ALL, TARGET_HOSTPORT, AF_INET6, -1, 65535,
	    "fd00::1", "[fd00::1]:65535" },
	{ "x:1", TARGET_HOSTPORT, TARGET_HOSTPORT, 0, -1, 1, "x", "x:1" },
	{ "_bgp._tcp.A.dn42", ALL | TARGET_UNDERSCORE, TARGET_HOST, 0, -1, 0,
	    "_bgp._tcp.a.dn42", "_bgp._tcp.a.dn42" },
};

struct bad {
	const char	*name;
	const char	*in;
	int		 allowed;
	const char	*why;	/* a substring of the reason */
};

static const struct bad bads[] = {
	{ "empty", "", ALL, "empty" },
	{ "semicolon", "1.1.1.1;reboot", ALL, "invalid character" },
	{ "subshell", "$(id)", ALL, "invalid character" },
	{ "backtick", "`id`", ALL, "invalid character" },
	{ "newline", "example.dn42\nx", ALL, "invalid character" },
	{ "cr", "example.dn42\r", ALL, "invalid character" },
	{ "space-option", "127.0.0.1 -c 1000", ALL, "invalid character" },
	{ "tab", "a\tb", ALL, "invalid character" },
	{ "leading-dash", "-c1000", ALL, "starts with '-'" },
	{ "leading-dash-addr", "-1.2.3.4", ALL, "starts with '-'" },
	{ "dquote", "\"x\"", ALL, "invalid character" },
	{ "squote", "'x'", ALL, "invalid character" },
	{ "pipe", "a|b", ALL, "invalid character" },
	{ "scope", "fe80::1%eth0", ALL, "invalid character" },
	{ "underscore", "a_b.dn42", ALL, "invalid character" },
	{ "underscore-port", "a_b.dn42:80", ALL | TARGET_UNDERSCORE,
	    "invalid character in host name" },
	{ "underscore-space", "_a b", ALL | TARGET_UNDERSCORE,
	    "invalid character" },
	{ "percent-enc", "a%0a", ALL, "invalid character" },
	{ "utf8", "\xc3\xa9.dn42", ALL, "invalid character" },
	{ "numeric-tld", "1.2.3", ALL, "not an address" },
	{ "bad-quad", "300.1.1.1", ALL, "not an address" },
	{ "octal-quad", "010.1.1.1", ALL, "not an address" },
	{ "bad-v6", "fd00:::1", ALL, "invalid address" },
	{ "v6-too-many", "1:2:3:4:5:6:7:8:9", ALL, "invalid address" },
	{ "label-dash", "-a.dn42", TARGET_HOST, "starts with '-'" },
	{ "label-dash-end", "a-.dn42", ALL, "label" },
	{ "label-empty", "a..dn42", ALL, "empty label" },
	{ "dot", ".", ALL, "empty host name" },
	{ "label-64", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.dn42", ALL, "longer than 63" },
	{ "prefix-len", "10.0.0.0/33", ALL, "prefix length" },
	{ "prefix-len6", "fd00::/129", ALL, "prefix length" },
	{ "prefix-lead0", "10.0.0.0/08", ALL, "prefix length" },
	{ "prefix-nolen", "10.0.0.0/", ALL, "prefix length" },
	{ "prefix-two", "10.0.0.0/8/8", ALL, "more than one" },
	{ "prefix-name", "example/8", ALL, "not an address" },
	{ "port-zero", "a.dn42:0", ALL, "port" },
	{ "port-big", "a.dn42:65536", ALL, "port" },
	{ "port-empty", "a.dn42:", ALL, "port" },
	{ "port-dash", "a.dn42:-1", ALL, "port" },
	{ "port-alpha", "a.dn42:http", ALL, "port" },
	{ "v6-port-nobracket", "[fd00::1]", ALL, "[address]:port" },
	{ "v6-bracket-v4", "[1.2.3.4]:80", ALL, "brackets" },
	{ "bracket-stray", "a]b", ALL, "bracket" },
	{ "bracket-in-name", "a[b:80", ALL, "bracket" },
	{ "hostport-slash", "a.dn42:80/8", ALL, "'/'" },
	{ "addr-only-name", "example.dn42", TARGET_ADDR, "not allowed" },
	{ "addr-only-prefix", "10.0.0.0/8", TARGET_ADDR, "not allowed" },
	{ "host-only-addr", "10.0.0.1", TARGET_HOST, "not allowed" },
	{ "hostport-needs-port", "example.dn42", TARGET_HOSTPORT,
	    "port required" },
	{ "no-port-here", "10.0.0.1:80", TARGET_ADDR | TARGET_HOST,
	    "port is not allowed" },
};

static void
check_good(const struct good *g)
{
	struct target	 t;
	char		 err[128], name[64];

	snprintf(name, sizeof(name), "good %s", g->in);
	if (target_parse(g->in, g->allowed, &t, err, sizeof(err)) == -1) {
		REGRESS_FAIL(name, "refused: %s", err);
		return;
	}
	if (t.kind != g->kind || t.af != g->af || t.plen != g->plen ||
	    t.port != g->port || strcmp(t.host, g->host) != 0 ||
	    strcmp(t.canon, g->canon) != 0) {
		REGRESS_FAIL(name, "kind %d af %d plen %d port %u host %s "
		    "canon %s", t.kind, t.af, t.plen, t.port, t.host, t.canon);
		return;
	}
	REGRESS_OK(name);
}

static void
check_bad(const struct bad *b)
{
	struct target	 t;
	char		 err[128], name[64];

	memset(&t, 0x5a, sizeof(t));
	snprintf(name, sizeof(name), "bad %s", b->name);
	if (target_parse(b->in, b->allowed, &t, err, sizeof(err)) == 0) {
		REGRESS_FAIL(name, "accepted as %s", t.canon);
		return;
	}
	if (strstr(err, b->why) == NULL) {
		REGRESS_FAIL(name, "reason \"%s\", wanted \"%s\"", err, b->why);
		return;
	}
	if (t.kind != 0x5a5a5a5a) {
		REGRESS_FAIL(name, "target touched on failure");
		return;
	}
	REGRESS_OK(name);
}

static void
check_lengths(void)
{
	struct target	 t;
	char		 in[400], err[128];
	size_t		 i;

	/* 300 bytes of a valid-looking name: refused by length alone */
	memset(in, 'a', 300);
	in[300] = '\0';
	REGRESS_CHECK("bad 300-bytes", target_parse(in, ALL, &t, err,
	    sizeof(err)) == -1 && strstr(err, "too long") != NULL);

	/* 255 bytes of labels pass the input limit, not the 253 name rule */
	for (i = 0; i < 255; i++)
		in[i] = (i % 4 == 3) ? '.' : 'a';
	in[255] = '\0';
	REGRESS_CHECK("bad name-254", target_parse(in, ALL, &t, err,
	    sizeof(err)) == -1 && strstr(err, "too long") != NULL);

	/* 253 bytes with a final dot: the longest name allowed */
	for (i = 0; i < 253; i++)
		in[i] = (i % 4 == 3) ? '.' : 'a';
	in[253] = '.';
	in[254] = '\0';
	in[252] = 'a';
	REGRESS_CHECK("good name-253", target_parse(in, ALL, &t, err,
	    sizeof(err)) == 0 && strlen(t.canon) == 253);

	REGRESS_CHECK("bad null", target_parse(NULL, ALL, &t, err,
	    sizeof(err)) == -1);
	REGRESS_CHECK("bad tiny-err", target_parse("$", ALL, &t, err, 4) ==
	    -1 && strlen(err) == 3);
}

int
main(void)
{
	size_t	i;

	for (i = 0; i < sizeof(goods) / sizeof(goods[0]); i++)
		check_good(&goods[i]);
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++)
		check_bad(&bads[i]);
	check_lengths();
	REGRESS_EXIT();
}
