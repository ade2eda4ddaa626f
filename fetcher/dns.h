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

#ifndef MOENET_FETCHER_DNS_H
#define MOENET_FETCHER_DNS_H

/*
 * A small DNS message encoder and decoder (RFC 1035, 3596, 6891) for the
 * bot's dig and for the tools' name lookups.  dns_parse() takes a reply
 * as it came off the network and turns it into text fields, escaped so
 * that any byte of a name or a TXT string prints as printable ASCII.
 */

#include <sys/types.h>

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_PORT		53
#define DNS_HDR_LEN		12
#define DNS_QUERY_MAX		512
#define DNS_UDP_MAX		1232	/* our EDNS buffer size */
#define DNS_NAME_TEXT		1024	/* 255 wire bytes as \DDD at worst */
#define DNS_RDATA_TEXT		2080	/* SOA: two such names and numbers */
#define DNS_SECTION_MAX		32	/* records kept per section */

#define DNS_T_A			1
#define DNS_T_NS		2
#define DNS_T_CNAME		5
#define DNS_T_SOA		6
#define DNS_T_PTR		12
#define DNS_T_MX		15
#define DNS_T_TXT		16
#define DNS_T_AAAA		28
#define DNS_T_SRV		33
#define DNS_T_OPT		41
#define DNS_C_IN		1

#define DNS_F_QR		0x8000
#define DNS_F_AA		0x0400
#define DNS_F_TC		0x0200
#define DNS_F_RD		0x0100
#define DNS_F_RA		0x0080
#define DNS_F_AD		0x0020
#define DNS_F_CD		0x0010

struct dns_rr {
	char		 name[DNS_NAME_TEXT];
	char		 data[DNS_RDATA_TEXT];
	uint16_t	 type;
	uint16_t	 class;
	uint32_t	 ttl;
	int		 af;		/* A, AAAA: the address below */
	struct in_addr	 a4;
	struct in6_addr	 a6;
};

struct dns_section {
	struct dns_rr	 rr[DNS_SECTION_MAX];
	size_t		 n;		/* kept */
	size_t		 count;		/* in the message */
};

struct dns_msg {
	uint16_t		 id;
	uint16_t		 flags;
	uint16_t		 qdcount;
	char			 qname[DNS_NAME_TEXT];
	uint16_t		 qtype;
	uint16_t		 qclass;
	int			 edns;		/* an OPT record came */
	uint16_t		 edns_size;
	struct dns_section	 an, ns, ar;	/* OPT not kept in ar */
};

struct diag_out;

int		 dns_type_parse(const char *, uint16_t *);
const char	*dns_type_name(uint16_t, char *, size_t);
const char	*dns_rcode_name(unsigned int);
int		 dns_ptr_name(int, const void *, char *, size_t);
ssize_t		 dns_encode_query(uint8_t *, size_t, uint16_t, const char *,
		    uint16_t);
int		 dns_parse(const uint8_t *, size_t, struct dns_msg *, char *,
		    size_t);
int		 dns_name_equal(const char *, const char *);
void		 dns_format(struct diag_out *, const struct dns_msg *);

#endif /* MOENET_FETCHER_DNS_H */
