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
 * DNS messages, both ways.  The decoder reads a reply that came off the
 * network: every offset is checked against the message, compression
 * pointers are followed a bounded number of times, a name may not grow
 * past 255 bytes, and each record's data must end where its length says.
 * A message that breaks any rule is refused whole.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diagout.h"
#include "dns.h"

#define DNS_NAME_WIRE_MAX	255
#define DNS_POINTER_HOPS	64
#define DNS_HEX_MAX		64	/* bytes of unknown data shown */

/* Text with a hard end: what does not fit is cut and marked. */
struct tbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;		/* including the NUL */
	int	 full;
};

static const struct {
	const char	*name;
	uint16_t	 type;
} dns_types[] = {
	{ "A",		DNS_T_A },
	{ "NS",		DNS_T_NS },
	{ "CNAME",	DNS_T_CNAME },
	{ "SOA",	DNS_T_SOA },
	{ "PTR",	DNS_T_PTR },
	{ "MX",		DNS_T_MX },
	{ "TXT",	DNS_T_TXT },
	{ "AAAA",	DNS_T_AAAA },
	{ "SRV",	DNS_T_SRV },
};

static const char *const rcode_names[] = {
	"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
	"YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"
};

static void	tb_init(struct tbuf *, char *, size_t);
static void	tb_putc(struct tbuf *, char);
static void	tb_printf(struct tbuf *, const char *, ...)
		    __attribute__((__format__ (printf, 2, 3)));
static int	rd16(const uint8_t *, size_t, size_t, uint16_t *);
static int	rd32(const uint8_t *, size_t, size_t, uint32_t *);
static int	read_name(const uint8_t *, size_t, size_t *, struct tbuf *);
static int	read_rdata(const uint8_t *, size_t, size_t, uint16_t,
		    uint16_t, struct dns_rr *, const char **);
static int	read_section(const uint8_t *, size_t, size_t *, uint16_t,
		    struct dns_section *, struct dns_msg *, const char **);
static void	format_section(struct diag_out *, const char *,
		    const struct dns_section *, int);

static void
tb_init(struct tbuf *t, char *p, size_t cap)
{
	t->p = p;
	t->len = 0;
	t->cap = cap;
	t->full = 0;
	p[0] = '\0';
}

static void
tb_putc(struct tbuf *t, char c)
{
	if (t->len + 1 >= t->cap) {
		t->full = 1;
		return;
	}
	t->p[t->len++] = c;
	t->p[t->len] = '\0';
}

static void
tb_printf(struct tbuf *t, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (t->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->cap - t->len) {
		t->p[t->len] = '\0';
		t->full = 1;
		return;
	}
	t->len += n;
}

int
dns_type_parse(const char *s, uint16_t *type)
{
	size_t	 i;

	for (i = 0; i < sizeof(dns_types) / sizeof(dns_types[0]); i++)
		if (strcasecmp(s, dns_types[i].name) == 0) {
			*type = dns_types[i].type;
			return 0;
		}
	return -1;
}

const char *
dns_type_name(uint16_t type, char *buf, size_t len)
{
	size_t	 i;

	for (i = 0; i < sizeof(dns_types) / sizeof(dns_types[0]); i++)
		if (dns_types[i].type == type)
			return dns_types[i].name;
	snprintf(buf, len, "TYPE%u", type);
	return buf;
}

const char *
dns_rcode_name(unsigned int rcode)
{
	if (rcode < sizeof(rcode_names) / sizeof(rcode_names[0]))
		return rcode_names[rcode];
	return "RCODE?";
}

/* The reverse lookup name of an address, as dig -x builds it. */
int
dns_ptr_name(int af, const void *addr, char *buf, size_t len)
{
	const uint8_t	*a = addr;
	struct tbuf	 t;
	int		 i;

	tb_init(&t, buf, len);
	if (af == AF_INET)
		tb_printf(&t, "%u.%u.%u.%u.in-addr.arpa", a[3], a[2], a[1],
		    a[0]);
	else {
		for (i = 15; i >= 0; i--)
			tb_printf(&t, "%x.%x.", a[i] & 0xf, a[i] >> 4);
		tb_printf(&t, "ip6.arpa");
	}
	return t.full ? -1 : 0;
}

/*
 * A query for name (LDH labels as target_parse() admits them, with or
 * without the final dot), recursion desired, with an EDNS0 OPT record
 * so that answers up to DNS_UDP_MAX come whole.  The length, or -1.
 */
ssize_t
dns_encode_query(uint8_t *buf, size_t len, uint16_t id, const char *name,
    uint16_t qtype)
{
	const char	*p, *dot;
	size_t		 off = DNS_HDR_LEN, l, wire = 1;

	if (len < DNS_QUERY_MAX)
		return -1;
	memset(buf, 0, DNS_HDR_LEN);
	buf[0] = id >> 8;
	buf[1] = id & 0xff;
	buf[2] = DNS_F_RD >> 8;
	buf[5] = 1;		/* QDCOUNT */
	buf[11] = 1;		/* ARCOUNT: the OPT record */
	for (p = name; *p != '\0'; p = dot + 1) {
		if ((dot = strchr(p, '.')) == NULL)
			dot = p + strlen(p);
		l = dot - p;
		if (l == 0 || l > 63 || (wire += l + 1) > DNS_NAME_WIRE_MAX)
			return -1;
		buf[off++] = l;
		memcpy(buf + off, p, l);
		off += l;
		if (*dot == '\0')
			break;
		if (dot[1] == '\0')
			break;
	}
	if (off == DNS_HDR_LEN)
		return -1;
	buf[off++] = 0;
	buf[off++] = qtype >> 8;
	buf[off++] = qtype & 0xff;
	buf[off++] = 0;
	buf[off++] = DNS_C_IN;
	/* OPT: root name, type 41, class = our UDP size, TTL 0, no data */
	buf[off++] = 0;
	buf[off++] = 0;
	buf[off++] = DNS_T_OPT;
	buf[off++] = DNS_UDP_MAX >> 8;
	buf[off++] = DNS_UDP_MAX & 0xff;
	memset(buf + off, 0, 6);
	off += 6;
	return off;
}

static int
rd16(const uint8_t *m, size_t len, size_t off, uint16_t *v)
{
	if (off > len || len - off < 2)
		return -1;
	*v = (uint16_t)(m[off] << 8 | m[off + 1]);
	return 0;
}

static int
rd32(const uint8_t *m, size_t len, size_t off, uint32_t *v)
{
	if (off > len || len - off < 4)
		return -1;
	*v = (uint32_t)m[off] << 24 | (uint32_t)m[off + 1] << 16 |
	    (uint32_t)m[off + 2] << 8 | m[off + 3];
	return 0;
}

/*
 * A name at *off, as text with a final dot; *off moves past it (past
 * the first pointer, if any).  Loops end on the hop count and the 255
 * byte limit, whatever the pointers say.
 */
static int
read_name(const uint8_t *m, size_t len, size_t *off, struct tbuf *t)
{
	size_t	 pos = *off, ptr, wire = 1, i;
	int	 jumped = 0, hops = 0;
	uint8_t	 l, c;

	for (;;) {
		if (pos >= len)
			return -1;
		l = m[pos];
		if ((l & 0xc0) == 0xc0) {
			if (pos + 1 >= len || ++hops > DNS_POINTER_HOPS)
				return -1;
			ptr = (size_t)(l & 0x3f) << 8 | m[pos + 1];
			if (!jumped)
				*off = pos + 2;
			jumped = 1;
			/* Forward pointers are not needed by any encoder. */
			if (ptr >= pos)
				return -1;
			pos = ptr;
			continue;
		}
		if ((l & 0xc0) != 0)
			return -1;		/* extended label types */
		if (l == 0) {
			if (!jumped)
				*off = pos + 1;
			break;
		}
		if (len - pos - 1 < l || (wire += l + 1) > DNS_NAME_WIRE_MAX)
			return -1;
		for (i = 0; i < l; i++) {
			c = m[pos + 1 + i];
			if (isalnum(c) || c == '-' || c == '_' || c == '*' ||
			    c == '/')
				tb_putc(t, c);
			else
				tb_printf(t, "\\%03u", c);
		}
		tb_putc(t, '.');
		pos += 1 + l;
	}
	if (t->len == 0)
		tb_putc(t, '.');
	return t->full ? -1 : 0;
}

/* One record's data as text; its bytes are [off, end). */
static int
read_rdata(const uint8_t *m, size_t len, size_t off, uint16_t type,
    uint16_t rdlen, struct dns_rr *rr, const char **why)
{
	struct tbuf	 t;
	size_t		 end = off + rdlen, p, i;
	uint32_t	 v[5];
	uint16_t	 pref, w, port;
	char		 a[INET6_ADDRSTRLEN];
	uint8_t		 l, c;

	tb_init(&t, rr->data, sizeof(rr->data));
	switch (type) {
	case DNS_T_A:
		if (rdlen != 4) {
			*why = "A record of the wrong length";
			return -1;
		}
		rr->af = AF_INET;
		memcpy(&rr->a4, m + off, 4);
		inet_ntop(AF_INET, &rr->a4, a, sizeof(a));
		tb_printf(&t, "%s", a);
		return 0;
	case DNS_T_AAAA:
		if (rdlen != 16) {
			*why = "AAAA record of the wrong length";
			return -1;
		}
		rr->af = AF_INET6;
		memcpy(&rr->a6, m + off, 16);
		inet_ntop(AF_INET6, &rr->a6, a, sizeof(a));
		tb_printf(&t, "%s", a);
		return 0;
	case DNS_T_NS:
	case DNS_T_CNAME:
	case DNS_T_PTR:
		p = off;
		if (read_name(m, end, &p, &t) == -1 || p != end) {
			*why = "malformed name in record data";
			return -1;
		}
		return 0;
	case DNS_T_MX:
		p = off + 2;
		if (rd16(m, end, off, &pref) == -1) {
			*why = "malformed MX record";
			return -1;
		}
		tb_printf(&t, "%u ", pref);
		if (read_name(m, end, &p, &t) == -1 || p != end) {
			*why = "malformed MX record";
			return -1;
		}
		return 0;
	case DNS_T_SRV:
		p = off + 6;
		if (rd16(m, end, off, &pref) == -1 ||
		    rd16(m, end, off + 2, &w) == -1 ||
		    rd16(m, end, off + 4, &port) == -1) {
			*why = "malformed SRV record";
			return -1;
		}
		tb_printf(&t, "%u %u %u ", pref, w, port);
		if (read_name(m, end, &p, &t) == -1 || p != end) {
			*why = "malformed SRV record";
			return -1;
		}
		return 0;
	case DNS_T_SOA:
		p = off;
		if (read_name(m, end, &p, &t) == -1) {
			*why = "malformed SOA record";
			return -1;
		}
		tb_putc(&t, ' ');
		if (read_name(m, end, &p, &t) == -1 || end - p != 20) {
			*why = "malformed SOA record";
			return -1;
		}
		for (i = 0; i < 5; i++)
			rd32(m, end, p + 4 * i, &v[i]);
		tb_printf(&t, " %u %u %u %u %u", v[0], v[1], v[2], v[3], v[4]);
		break;
	case DNS_T_TXT:
		for (p = off; p < end; p += 1 + l) {
			l = m[p];
			if (end - p - 1 < l) {
				*why = "malformed TXT record";
				return -1;
			}
			if (p != off)
				tb_putc(&t, ' ');
			tb_putc(&t, '"');
			for (i = 0; i < l; i++) {
				c = m[p + 1 + i];
				if (c == '"' || c == '\\')
					tb_printf(&t, "\\%c", c);
				else if (c >= 0x20 && c < 0x7f)
					tb_putc(&t, c);
				else
					tb_printf(&t, "\\%03u", c);
			}
			tb_putc(&t, '"');
		}
		break;
	default:
		/* RFC 3597's generic form, shortened. */
		tb_printf(&t, "\\# %u", rdlen);
		if (rdlen > 0)
			tb_putc(&t, ' ');
		for (i = 0; i < rdlen && i < DNS_HEX_MAX; i++)
			tb_printf(&t, "%02x", m[off + i]);
		if (rdlen > DNS_HEX_MAX)
			tb_printf(&t, "...");
		break;
	}
	if (t.full) {
		/* Long text is shown cut, not refused. */
		t.len = t.len > 4 ? t.len - 4 : t.len;
		t.p[t.len] = '\0';
		t.full = 0;
		tb_printf(&t, "...");
	}
	return 0;
}

static int
read_section(const uint8_t *m, size_t len, size_t *off, uint16_t count,
    struct dns_section *s, struct dns_msg *msg, const char **why)
{
	struct dns_rr	 scratch, *rr;
	struct tbuf	 t;
	uint32_t	 ttl;
	uint16_t	 type, class, rdlen;
	size_t		 i;

	s->count = count;
	memset(&scratch, 0, sizeof(scratch));
	for (i = 0; i < count; i++) {
		rr = s->n < DNS_SECTION_MAX ? &s->rr[s->n] : &scratch;
		memset(rr, 0, sizeof(*rr));
		tb_init(&t, rr->name, sizeof(rr->name));
		if (read_name(m, len, off, &t) == -1) {
			*why = "malformed record name";
			return -1;
		}
		if (rd16(m, len, *off, &type) == -1 ||
		    rd16(m, len, *off + 2, &class) == -1 ||
		    rd32(m, len, *off + 4, &ttl) == -1 ||
		    rd16(m, len, *off + 8, &rdlen) == -1) {
			*why = "truncated record";
			return -1;
		}
		*off += 10;
		if (len - *off < rdlen) {
			*why = "record data past the end";
			return -1;
		}
		rr->type = type;
		rr->class = class;
		rr->ttl = ttl;
		if (type == DNS_T_OPT) {
			if (s != &msg->ar || strcmp(rr->name, ".") != 0) {
				*why = "misplaced OPT record";
				return -1;
			}
			msg->edns = 1;
			msg->edns_size = class;
			*off += rdlen;
			continue;
		}
		if (read_rdata(m, len, *off, type, rdlen, rr, why) == -1)
			return -1;
		*off += rdlen;
		if (rr != &scratch)
			s->n++;
	}
	return 0;
}

/*
 * 0 and *msg filled, or -1 with the reason in err.  msg is large
 * (a few hundred kilobytes): callers allocate it.
 */
int
dns_parse(const uint8_t *m, size_t len, struct dns_msg *msg, char *err,
    size_t errlen)
{
	struct tbuf	 t;
	const char	*why = NULL;
	uint16_t	 an, ns, ar;
	size_t		 off = DNS_HDR_LEN;

	memset(msg, 0, sizeof(*msg));
	if (len < DNS_HDR_LEN) {
		why = "shorter than a DNS header";
		goto bad;
	}
	rd16(m, len, 0, &msg->id);
	rd16(m, len, 2, &msg->flags);
	rd16(m, len, 4, &msg->qdcount);
	rd16(m, len, 6, &an);
	rd16(m, len, 8, &ns);
	rd16(m, len, 10, &ar);
	if (msg->qdcount > 1) {
		why = "more than one question";
		goto bad;
	}
	if (msg->qdcount == 1) {
		tb_init(&t, msg->qname, sizeof(msg->qname));
		if (read_name(m, len, &off, &t) == -1 ||
		    rd16(m, len, off, &msg->qtype) == -1 ||
		    rd16(m, len, off + 2, &msg->qclass) == -1) {
			why = "malformed question";
			goto bad;
		}
		off += 4;
	}
	if (read_section(m, len, &off, an, &msg->an, msg, &why) == -1 ||
	    read_section(m, len, &off, ns, &msg->ns, msg, &why) == -1 ||
	    read_section(m, len, &off, ar, &msg->ar, msg, &why) == -1)
		goto bad;
	return 0;
bad:
	if (errlen > 0)
		strlcpy(err, why, errlen);
	return -1;
}

/* Names as text, without regard to case or a final dot. */
int
dns_name_equal(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b);

	if (la > 1 && a[la - 1] == '.')
		la--;
	if (lb > 1 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

static void
format_section(struct diag_out *o, const char *title,
    const struct dns_section *s, int skip_opt)
{
	const struct dns_rr	*rr;
	char			 tn[16];
	size_t			 i;

	if (s->n == 0)
		return;
	diag_out_printf(o, "\n;; %s SECTION:\n", title);
	for (i = 0; i < s->n; i++) {
		rr = &s->rr[i];
		diag_out_printf(o, "%s\t%u\t%s\t%s\t%s\n", rr->name, rr->ttl,
		    rr->class == DNS_C_IN ? "IN" : "CLASS?",
		    dns_type_name(rr->type, tn, sizeof(tn)), rr->data);
	}
	if (s->n == DNS_SECTION_MAX && s->count > s->n + (skip_opt ? 1 : 0))
		diag_out_printf(o, ";; (%zu more not shown)\n",
		    s->count - s->n);
}

/* The header and the sections, as dig lays them out. */
void
dns_format(struct diag_out *o, const struct dns_msg *m)
{
	char	 tn[16];

	diag_out_printf(o, ";; ->>HEADER<<- opcode: %s, status: %s, id: %u\n",
	    ((m->flags >> 11) & 0xf) == 0 ? "QUERY" : "OTHER",
	    dns_rcode_name(m->flags & 0xf), m->id);
	diag_out_printf(o, ";; flags:%s%s%s%s%s%s%s; QUERY: %u, ANSWER: %zu, "
	    "AUTHORITY: %zu, ADDITIONAL: %zu\n",
	    m->flags & DNS_F_QR ? " qr" : "", m->flags & DNS_F_AA ? " aa" : "",
	    m->flags & DNS_F_TC ? " tc" : "", m->flags & DNS_F_RD ? " rd" : "",
	    m->flags & DNS_F_RA ? " ra" : "", m->flags & DNS_F_AD ? " ad" : "",
	    m->flags & DNS_F_CD ? " cd" : "", m->qdcount, m->an.count,
	    m->ns.count, m->ar.count);
	if (m->edns)
		diag_out_printf(o, "\n;; OPT PSEUDOSECTION:\n; EDNS: version: "
		    "0; udp: %u\n", m->edns_size);
	if (m->qdcount == 1)
		diag_out_printf(o, "\n;; QUESTION SECTION:\n;%s\t\t%s\t%s\n",
		    m->qname, m->qclass == DNS_C_IN ? "IN" : "CLASS?",
		    dns_type_name(m->qtype, tn, sizeof(tn)));
	format_section(o, "ANSWER", &m->an, 0);
	format_section(o, "AUTHORITY", &m->ns, 0);
	format_section(o, "ADDITIONAL", &m->ar, 1);
}
