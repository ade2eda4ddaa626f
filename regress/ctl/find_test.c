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
 * ctl_find(): which session an operator's word names, and the errors
 * for none and for several (parent/outputs/ctl_find.c).
 */

#include <sys/types.h>
#include <sys/tree.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "parent/core/session.h"
#include "parent/outputs/ctl_find.h"
#include "regress.h"

static struct session	 ss[4];

static void
add(struct session *s, const char *uuid, const char *name, uint32_t asn,
    const char *proto, const char *ifname)
{
	strlcpy(s->desired.uuid, uuid, sizeof(s->desired.uuid));
	strlcpy(s->desired.name, name, sizeof(s->desired.name));
	strlcpy(s->desired.ifname, ifname, sizeof(s->desired.ifname));
	strlcpy(s->protocol, proto, sizeof(s->protocol));
	s->desired.asn = asn;
	RB_INSERT(session_tree, &sessions, s);
}

/* arg finds the session with uuid want, or fails (want NULL) saying sub. */
static void
expect(const char *name, const char *arg, const char *want,
    const char *sub)
{
	struct session	*s;
	char		 err[512];
	int		 r;

	err[0] = '\0';
	r = ctl_find(arg, &s, err, sizeof(err));
	if (want != NULL && r == 0 && s != NULL &&
	    strcmp(s->desired.uuid, want) == 0)
		REGRESS_OK(name);
	else if (want == NULL && r == -1 && s == NULL &&
	    strstr(err, sub) != NULL)
		REGRESS_OK(name);
	else
		REGRESS_FAIL(name, "%s: r %d, %s, err \"%s\"", arg, r,
		    s != NULL ? s->desired.uuid : "no session", err);
}

int
main(void)
{
	uint32_t	 asn;

	memset(ss, 0, sizeof(ss));
	add(&ss[0], "6f1e2d3c-0000-4000-8000-000000000001", "peer b",
	    4242420002U, "dn42_4242420002", "dn42_4242420002");
	add(&ss[1], "6f1e2d3c-0000-4000-8000-000000000002", "东京 节点",
	    4242420002U, "dn42_4242420002_2", "dn42_42424200x2");
	add(&ss[2], "9a000000-0000-4000-8000-000000000003", "kioubit",
	    4242423914U, "dn42_4242423914", "dn42_3914");
	/* Its name is another's ASN: the name wins. */
	add(&ss[3], "b0000000-0000-4000-8000-000000000004", "4242423914",
	    64512, "", "");

	expect("find_uuid", "6f1e2d3c-0000-4000-8000-000000000002",
	    "6f1e2d3c-0000-4000-8000-000000000002", NULL);
	expect("find_uuid_prefix", "9a00", "9a000000-0000-4000-8000-"
	    "000000000003", NULL);
	expect("find_uuid_prefix_ambiguous", "6f1e2d3c", NULL,
	    "matches 2 sessions by uuid prefix");
	expect("find_uuid_prefix_short", "9a", NULL, "no session 9a");
	expect("find_name", "peer b", "6f1e2d3c-0000-4000-8000-"
	    "000000000001", NULL);
	expect("find_name_utf8", "东京 节点", "6f1e2d3c-0000-4000-8000-"
	    "000000000002", NULL);
	expect("find_protocol", "dn42_4242420002_2", "6f1e2d3c-0000-4000-"
	    "8000-000000000002", NULL);
	expect("find_protocol_v4", "dn42_4242423914_v4", "9a000000-0000-"
	    "4000-8000-000000000003", NULL);
	expect("find_protocol_other_suffix", "dn42_4242423914_v5", NULL,
	    "no session");
	expect("find_interface", "dn42_3914", "9a000000-0000-4000-8000-"
	    "000000000003", NULL);
	expect("find_asn", "AS4242420002", NULL,
	    "matches 2 sessions by ASN");
	expect("find_asn_candidates", "4242420002", NULL,
	    "6f1e2d3c-0000-4000-8000-000000000001 (AS4242420002, "
	    "dn42_4242420002), 6f1e2d3c-0000-4000-8000-000000000002");
	expect("find_asn_lower", "as64512", "b0000000-0000-4000-8000-"
	    "000000000004", NULL);
	expect("find_name_before_asn", "4242423914", "b0000000-0000-4000-"
	    "8000-000000000004", NULL);
	expect("find_none", "nosuch", NULL, "no session nosuch");
	expect("find_empty", "", NULL, "no session");
	expect("find_asn_zero", "AS0", NULL, "no session");

	REGRESS_CHECK("asn_parse_plain", ctl_parse_asn("4242420002", &asn) &&
	    asn == 4242420002U);
	REGRESS_CHECK("asn_parse_prefix", ctl_parse_asn("AS1", &asn) &&
	    asn == 1);
	REGRESS_CHECK("asn_parse_range", !ctl_parse_asn("4294967296", &asn));
	REGRESS_CHECK("asn_parse_junk", !ctl_parse_asn("AS12x", &asn) &&
	    !ctl_parse_asn("AS", &asn) && !ctl_parse_asn("+12", &asn) &&
	    !ctl_parse_asn("ASN12", &asn));
	REGRESS_EXIT();
}
