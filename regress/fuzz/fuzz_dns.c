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
 * libFuzzer harness for the DNS reply decoder (fetcher/dns.c) and the
 * dig text made from it: any input is parsed, what parses is printed,
 * and every text field must come out terminated and printable.
 */

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fetcher/diagout.h"
#include "fetcher/dns.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_text(const char *s, size_t size)
{
	size_t	 i, n;

	if ((n = strnlen(s, size)) == size)
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			abort();
}

static void
check_section(const struct dns_section *s)
{
	size_t	 i;

	if (s->n > DNS_SECTION_MAX || s->n > s->count)
		abort();
	for (i = 0; i < s->n; i++) {
		check_text(s->rr[i].name, sizeof(s->rr[i].name));
		check_text(s->rr[i].data, sizeof(s->rr[i].data));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dns_msg	 m;
	struct diag_out		 o;
	uint8_t			 q[DNS_QUERY_MAX];
	char			 err[128], name[300];
	size_t			 i;
	ssize_t			 n;

	if (dns_parse(data, size, &m, err, sizeof(err)) == 0) {
		check_text(m.qname, sizeof(m.qname));
		check_section(&m.an);
		check_section(&m.ns);
		check_section(&m.ar);
		if (diag_out_init(&o, 8192) == -1)
			abort();
		dns_format(&o, &m);
		diag_out_finish(&o);
		if (o.len > o.max || strlen(o.buf) != o.len)
			abort();
		for (i = 0; i < o.len; i++)
			if ((o.buf[i] < 0x20 && o.buf[i] != '\n' &&
			    o.buf[i] != '\t') ||
			    (unsigned char)o.buf[i] >= 0x7f)
				abort();
		diag_out_free(&o);
	} else if (strnlen(err, sizeof(err)) == sizeof(err) || err[0] == '\0')
		abort();

	/* The encoder, on whatever name the input spells, and back. */
	if (size > 0 && size < sizeof(name)) {
		memcpy(name, data, size);
		name[size] = '\0';
		if ((n = dns_encode_query(q, sizeof(q), 0x4242, name,
		    DNS_T_A)) != -1) {
			if (n > (ssize_t)sizeof(q) ||
			    dns_parse(q, n, &m, err, sizeof(err)) == -1 ||
			    m.qdcount != 1 || !m.edns)
				abort();
		}
	}
	return 0;
}
