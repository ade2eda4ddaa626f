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
 * libFuzzer harness for the control-plane reply parsers: every input goes
 * through each document parser (the session parser reaches the credential
 * parser through its strings) and the string validators.
 */

#include <sys/types.h>

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fetcher/cpjson.h"
#include "fetcher/cpvalid.h"
#include "log.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

static void	quiet(int, const char *);

static void
quiet(int pri, const char *line)
{
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_init(0, LOG_USER);
	log_setsink(quiet);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cp_session_msg	*s;
	struct cp_mesh_peer_msg	*m;
	struct cp_ibgp_peer_msg	*ib;
	struct cp_nodeconf_msg	 nc;
	struct cp_policy_msg	 pol;
	struct in6_addr		 in6;
	struct in_addr		 in;
	const char		*buf = (const char *)data;
	const char		*why;
	char			 err[512], host[CP_HOST_LEN], *str;
	uint8_t			 key[WG_KEY_LEN], plen;
	uint16_t		 port;
	size_t			 n, i;

	if (cp_parse_sessions(buf, size, &s, &n, err, sizeof(err)) == 0) {
		/* what travels up must be terminated and consistent */
		for (i = 0; i < n; i++) {
			if (strnlen(s[i].uuid, sizeof(s[i].uuid)) ==
			    sizeof(s[i].uuid) || s[i].uuid[0] == '\0' ||
			    strnlen(s[i].error, sizeof(s[i].error)) ==
			    sizeof(s[i].error) || s[i].type > CP_TUNNEL_MAX ||
			    s[i].policy > CP_POLICY_MAX ||
			    s[i].status > CP_STATUS_MAX)
				abort();
			if (!(s[i].flags & CP_SESS_INVALID) &&
			    s[i].error[0] != '\0')
				abort();
		}
		free(s);
	} else if (s != NULL || n != 0)
		abort();
	if (cp_parse_mesh(buf, size, &m, &n, err, sizeof(err)) == 0)
		free(m);
	if (cp_parse_policy(buf, size, &pol, &ib, &n, err, sizeof(err)) == 0) {
		if (pol.nrpki > CP_RPKI_MAX ||
		    pol.ncommunities > CP_COMMUNITY_MAX ||
		    pol.nlarge_communities > CP_COMMUNITY_MAX)
			abort();
		free(ib);
	}
	cp_parse_nodeconf(buf, size, &nc, err, sizeof(err));
	cp_parse_reply(buf, size, err, sizeof(err));
	if (strnlen(err, sizeof(err)) == sizeof(err))
		abort();

	if (size > 1024 || (str = malloc(size + 1)) == NULL)
		return 0;
	memcpy(str, data, size);
	str[size] = '\0';
	cpv_endpoint(str, host, sizeof(host), &port, &why);
	cpv_key(str, key, &why);
	cpv_inet4(str, 1, &in, &plen, &why);
	cpv_inet6(str, 2, &in6, &plen, &why);
	cpv_path(str, CP_PATH_LEN, &why);
	cpv_hostname(str, &why);
	free(str);
	return 0;
}
