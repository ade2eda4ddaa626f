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
 * A session as the state file keeps it: written and read back to the
 * same bytes, and anything that is not what the writer writes refused
 * with the field named.
 */

#include <sys/types.h>

#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "parent/core/jdom.h"
#include "parent/core/sessiondoc.h"
#include "regress.h"

static void
full_session(struct cp_session_msg *d)
{
	size_t	 i;

	memset(d, 0, sizeof(*d));
	strlcpy(d->uuid, "6f1c2a7e-0000-4000-8000-000000000001",
	    sizeof(d->uuid));
	strlcpy(d->name, "peer \"b\" \\ ünïcode", sizeof(d->name));
	strlcpy(d->description, "a description", sizeof(d->description));
	strlcpy(d->ifname, "dn42_4242420002", sizeof(d->ifname));
	strlcpy(d->endpoint_host, "peer.example.net",
	    sizeof(d->endpoint_host));
	for (i = 0; i < sizeof(d->peer_pubkey); i++) {
		d->peer_pubkey[i] = i + 1;
		d->psk[i] = 0xff - i;
	}
	inet_pton(AF_INET, "172.20.2.1", &d->ipv4);
	inet_pton(AF_INET6, "fd42:2::1", &d->ipv6);
	inet_pton(AF_INET6, "fe80::b", &d->ipv6_ll);
	d->asn = 4242420002;
	d->status = CP_STATUS_ENABLED;
	d->type = CP_TUNNEL_WIREGUARD;
	d->policy = CP_POLICY_PEER;
	d->flags = CP_SESS_MPBGP | CP_SESS_ENH | CP_SESS_HAS_IPV4 |
	    CP_SESS_HAS_IPV6 | CP_SESS_HAS_LL | CP_SESS_HAS_PSK |
	    CP_SESS_HAS_ENDPOINT | CP_SESS_HAS_STATUS;
	d->endpoint_port = 20001;
	d->listen_port = 20002;
	d->mtu = 1400;
}

/* doc with FIELD's value replaced by VALUE (JSON text); decoded. */
static int
decode_with(const char *doc, const char *field, const char *value,
    char *err, size_t errlen)
{
	struct cp_session_msg	 d;
	struct jnode		*root;
	char			 buf[SESSIONDOC_MAX], key[64], jerr[128];
	const char		*p, *end;
	int			 rv;

	snprintf(key, sizeof(key), "\"%s\": ", field);
	if ((p = strstr(doc, key)) == NULL)
		return -2;
	p += strlen(key);
	end = p + strcspn(p, ",}");
	if (*p == '"')
		end = strchr(p + 1, '"') + 1;
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(p - doc), doc, value,
	    end);
	if ((root = jdom_parse(buf, strlen(buf), 4, jerr,
	    sizeof(jerr))) == NULL)
		return -3;
	rv = sessiondoc_decode(root, &d, err, errlen);
	jdom_free(root);
	return rv;
}

int
main(void)
{
	struct cp_session_msg	 d, back;
	struct jnode		*root;
	char			 doc[SESSIONDOC_MAX], err[128], small[64];
	int			 n;
	static const struct {
		const char	*field, *value;
	} bad[] = {
		{ "uuid", "\"\"" },
		{ "interface", "\"bad name!\"" },
		{ "interface", "\"dn42_0123456789abc\"" },
		{ "asn", "4294967296" },
		{ "asn", "0" },
		{ "status", "99" },
		{ "type", "7" },
		{ "mtu", "-1" },
		{ "publicKey", "\"AAAA\"" },
		{ "publicKey",
		    "\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"" },
		{ "presharedKey", "17" },
		{ "endpointPort", "0" },
		{ "ipv4", "\"172.20.2.300\"" },
		{ "ipv6", "\"fd42::g\"" },
		{ "ipv6LinkLocal", "\"fe80::b%eth0\"" },
		{ "name", "\"a\\nb\"" },
	};
	size_t	 i;

	log_init(1, LOG_DAEMON);
	full_session(&d);
	n = sessiondoc_encode(&d, doc, sizeof(doc));
	root = n > 0 ? jdom_parse(doc, n, 4, err, sizeof(err)) : NULL;
	if (root == NULL)
		REGRESS_FAIL("sessiondoc_encode", "%d: %s", n, doc);
	else if (sessiondoc_decode(root, &back, err, sizeof(err)) == -1)
		REGRESS_FAIL("sessiondoc_round_trip", "%s", err);
	else
		REGRESS_CHECK("sessiondoc_round_trip",
		    memcmp(&d, &back, sizeof(d)) == 0);
	jdom_free(root);

	/* Without the optional parts: they stay absent. */
	d.flags = CP_SESS_HAS_STATUS;
	memset(d.psk, 0, sizeof(d.psk));
	memset(&d.ipv4, 0, sizeof(d.ipv4));
	memset(&d.ipv6, 0, sizeof(d.ipv6));
	memset(&d.ipv6_ll, 0, sizeof(d.ipv6_ll));
	memset(d.endpoint_host, 0, sizeof(d.endpoint_host));
	d.endpoint_port = 0;
	n = sessiondoc_encode(&d, doc, sizeof(doc));
	root = n > 0 ? jdom_parse(doc, n, 4, err, sizeof(err)) : NULL;
	REGRESS_CHECK("sessiondoc_round_trip_minimal", root != NULL &&
	    sessiondoc_decode(root, &back, err, sizeof(err)) == 0 &&
	    memcmp(&d, &back, sizeof(d)) == 0 &&
	    strstr(doc, "presharedKey") == NULL &&
	    strstr(doc, "endpointHost") == NULL);
	jdom_free(root);

	REGRESS_CHECK("sessiondoc_encode_overflow",
	    sessiondoc_encode(&d, small, sizeof(small)) == -1);

	/* A plain name: the replacements below find its end. */
	full_session(&d);
	strlcpy(d.name, "peer b", sizeof(d.name));
	n = sessiondoc_encode(&d, doc, sizeof(doc));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char	 name[64];

		snprintf(name, sizeof(name), "sessiondoc_refuses_%s_%zu",
		    bad[i].field, i);
		err[0] = '\0';
		if (decode_with(doc, bad[i].field, bad[i].value, err,
		    sizeof(err)) != -1)
			REGRESS_FAIL(name, "%s: %s taken", bad[i].field,
			    bad[i].value);
		else
			REGRESS_CHECK(name, strncmp(err, bad[i].field,
			    strlen(bad[i].field)) == 0);
	}
	REGRESS_EXIT();
}
