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
 * The DNS encoder and decoder of the bot's dig: the query's bytes, the
 * replies servers send, and the malformed ones a hostile server could.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetcher/diagout.h"
#include "fetcher/dns.h"
#include "regress.h"

static struct dns_msg	 m;

/* A reply header and the question far.test A, 22 bytes from offset 0. */
static const uint8_t	 head[] = {
	0x12, 0x34, 0x85, 0x80, 0, 1, 0, 1, 0, 0, 0, 0,
	3, 'f', 'a', 'r', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1
};

static size_t
reply(uint8_t *buf, const uint8_t *rr, size_t rrlen)
{
	memcpy(buf, head, sizeof(head));
	memcpy(buf + sizeof(head), rr, rrlen);
	return sizeof(head) + rrlen;
}

static void
bad(const char *name, const uint8_t *rr, size_t rrlen, const char *why)
{
	uint8_t	 buf[512];
	char	 err[128];
	size_t	 n = reply(buf, rr, rrlen);

	if (dns_parse(buf, n, &m, err, sizeof(err)) == 0)
		REGRESS_FAIL(name, "accepted");
	else if (strstr(err, why) == NULL)
		REGRESS_FAIL(name, "reason \"%s\", wanted \"%s\"", err, why);
	else
		REGRESS_OK(name);
}

static void
good(const char *name, const uint8_t *rr, size_t rrlen, const char *data)
{
	uint8_t	 buf[512];
	char	 err[128];
	size_t	 n = reply(buf, rr, rrlen);

	if (dns_parse(buf, n, &m, err, sizeof(err)) == -1)
		REGRESS_FAIL(name, "refused: %s", err);
	else if (m.an.n != 1 || strcmp(m.an.rr[0].data, data) != 0)
		REGRESS_FAIL(name, "data \"%s\", wanted \"%s\"",
		    m.an.n ? m.an.rr[0].data : "", data);
	else
		REGRESS_OK(name);
}

static void
test_query(void)
{
	static const uint8_t	 want[] = {
		0xbe, 0xef, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1,
		3, 'f', 'a', 'r', 4, 't', 'e', 's', 't', 0, 0, 16, 0, 1,
		0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0
	};
	uint8_t			 q[DNS_QUERY_MAX];
	char			 big[300];
	ssize_t			 n;

	n = dns_encode_query(q, sizeof(q), 0xbeef, "far.test", DNS_T_TXT);
	REGRESS_CHECK("dns query bytes", n == sizeof(want) &&
	    memcmp(q, want, sizeof(want)) == 0);
	n = dns_encode_query(q, sizeof(q), 0xbeef, "far.test.", DNS_T_TXT);
	REGRESS_CHECK("dns query final dot", n == sizeof(want) &&
	    memcmp(q, want, sizeof(want)) == 0);
	REGRESS_CHECK("dns query empty label", dns_encode_query(q, sizeof(q),
	    1, "a..b", DNS_T_A) == -1);
	memset(big, 'a', 64);
	big[64] = '\0';
	REGRESS_CHECK("dns query long label", dns_encode_query(q, sizeof(q),
	    1, big, DNS_T_A) == -1);
}

static void
test_names(void)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;
	char		 buf[128], tn[16];
	uint16_t	 t;

	inet_pton(AF_INET, "172.20.0.53", &a4);
	dns_ptr_name(AF_INET, &a4, buf, sizeof(buf));
	REGRESS_CHECK("dns ptr v4", strcmp(buf, "53.0.20.172.in-addr.arpa") ==
	    0);
	inet_pton(AF_INET6, "fd42:d42:d42:54::1", &a6);
	dns_ptr_name(AF_INET6, &a6, buf, sizeof(buf));
	REGRESS_CHECK("dns ptr v6", strcmp(buf, "1.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "0.0.4.5.0.0.2.4.d.0.2.4.d.0.2.4.d.f.ip6.arpa") == 0);
	REGRESS_CHECK("dns type names", dns_type_parse("aaaa", &t) == 0 &&
	    t == DNS_T_AAAA && dns_type_parse("ANY", &t) == -1 &&
	    strcmp(dns_type_name(99, tn, sizeof(tn)), "TYPE99") == 0);
	REGRESS_CHECK("dns name equal", dns_name_equal("Far.Test.",
	    "far.test") && !dns_name_equal("far.test", "far.tes"));
}

static void
test_replies(void)
{
	static const uint8_t	 a[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44,
	    0, 4, 10, 0, 0, 1 };
	static const uint8_t	 txt[] = { 0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 60,
	    0, 9, 3, 'a', '"', 'b', 4, '\\', 0x01, '\n', 'x' };
	static const uint8_t	 mx[] = { 0xc0, 12, 0, 15, 0, 1, 0, 0, 0, 60,
	    0, 4, 0, 10, 0xc0, 12 };
	static const uint8_t	 odd[] = { 3, 'a', '.', 0x07, 0xc0, 12, 0, 5,
	    0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 12 };
	static const uint8_t	 unk[] = { 0xc0, 12, 0, 99, 0, 1, 0, 0, 0, 60,
	    0, 3, 0xde, 0xad, 0x01 };
	static const uint8_t	 loop[] = { 0xc0, 26, 0, 1, 0, 1, 0, 0, 0, 60,
	    0, 4, 10, 0, 0, 1 };
	static const uint8_t	 fwd[] = { 0xc0, 40, 0, 1, 0, 1, 0, 0, 0, 60,
	    0, 4, 10, 0, 0, 1 };
	static const uint8_t	 a5[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60,
	    0, 5, 10, 0, 0, 1, 1 };
	static const uint8_t	 past[] = { 0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 60,
	    0, 40, 3, 'a', 'b', 'c' };
	static const uint8_t	 txtover[] = { 0xc0, 12, 0, 16, 0, 1, 0, 0,
	    0, 60, 0, 3, 5, 'a', 'b' };
	static const uint8_t	 ext[] = { 0x40, 12, 0, 1, 0, 1, 0, 0, 0, 60,
	    0, 4, 10, 0, 0, 1 };
	static const uint8_t	 cut[] = { 0xc0, 12, 0, 1, 0, 1, 0 };
	uint8_t			 buf[512];
	struct diag_out		 o;
	char			 err[128];
	size_t			 n;

	good("dns reply a", a, sizeof(a), "10.0.0.1");
	REGRESS_CHECK("dns reply a fields", m.an.rr[0].af == AF_INET &&
	    m.an.rr[0].ttl == 300 && strcmp(m.an.rr[0].name, "far.test.") ==
	    0 && strcmp(m.qname, "far.test.") == 0 && m.id == 0x1234);
	good("dns reply txt", txt, sizeof(txt),
	    "\"a\\\"b\" \"\\\\\\001\\010x\"");
	good("dns reply mx", mx, sizeof(mx), "10 far.test.");
	good("dns reply unknown", unk, sizeof(unk), "\\# 3 dead01");
	/* a '.' and a control byte inside labels come out escaped */
	n = reply(buf, odd, sizeof(odd));
	REGRESS_CHECK("dns reply odd name", dns_parse(buf, n, &m, err,
	    sizeof(err)) == 0 && m.an.n == 1 &&
	    strcmp(m.an.rr[0].name, "a\\046\\007.far.test.") == 0);
	bad("dns loop", loop, sizeof(loop), "malformed record name");
	bad("dns forward pointer", fwd, sizeof(fwd), "malformed record name");
	bad("dns a length", a5, sizeof(a5), "A record of the wrong length");
	bad("dns data past end", past, sizeof(past), "past the end");
	bad("dns txt overrun", txtover, sizeof(txtover), "malformed TXT");
	bad("dns extended label", ext, sizeof(ext), "malformed record name");
	bad("dns truncated", cut, sizeof(cut), "truncated record");
	REGRESS_CHECK("dns short", dns_parse(head, 11, &m, err,
	    sizeof(err)) == -1);

	/* the whole text of a reply */
	n = reply(buf, a, sizeof(a));
	dns_parse(buf, n, &m, err, sizeof(err));
	diag_out_init(&o, 8192);
	dns_format(&o, &m);
	REGRESS_CHECK("dns format", strcmp(o.buf,
	    ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 4660\n"
	    ";; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, "
	    "ADDITIONAL: 0\n\n;; QUESTION SECTION:\n;far.test.\t\tIN\tA\n\n"
	    ";; ANSWER SECTION:\nfar.test.\t300\tIN\tA\t10.0.0.1\n") == 0);
	diag_out_free(&o);

	/* the cap: cut, and said so */
	diag_out_init(&o, 64);
	for (n = 0; n < 20; n++)
		diag_out_printf(&o, "line %zu\n", n);
	diag_out_finish(&o);
	REGRESS_CHECK("diag output cap", o.len <= 64 &&
	    strstr(o.buf, "[output truncated]") != NULL &&
	    strncmp(o.buf, "line 0\n", 7) == 0);
	diag_out_free(&o);
}

int
main(void)
{
	test_query();
	test_names();
	test_replies();
	REGRESS_EXIT();
}
