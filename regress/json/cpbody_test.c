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
 * Request bodies: typed records to JSON, compared with bodies/<name>.ok
 * (written instead with -u).  Impossible records give no body.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetcher/cpbody.h"
#include "log.h"
#include "regress/regress.h"

static char	dir[1024];
static int	update;

static void	check(const char *, char *, size_t);

static void
check(const char *name, char *body, size_t len)
{
	char	 path[2048], want[65536];
	FILE	*f;
	size_t	 n;

	if (body == NULL) {
		REGRESS_FAIL(name, "no body");
		return;
	}
	snprintf(path, sizeof(path), "%s/bodies/%s.ok", dir, name);
	if (update) {
		if ((f = fopen(path, "w")) == NULL ||
		    fprintf(f, "%s\n", body) < 0 || fclose(f) != 0)
			REGRESS_FAIL(name, "cannot write %s", path);
		else
			REGRESS_OK(name);
		free(body);
		return;
	}
	if ((f = fopen(path, "r")) == NULL) {
		REGRESS_FAIL(name, "no %s", path);
		free(body);
		return;
	}
	n = fread(want, 1, sizeof(want) - 1, f);
	fclose(f);
	want[n] = '\0';
	if (strlen(body) == len && n == len + 1 &&
	    memcmp(want, body, len) == 0 && want[len] == '\n')
		REGRESS_OK(name);
	else
		REGRESS_FAIL(name, "got %s", body);
	free(body);
}

int
main(int argc, char *argv[])
{
	struct cp_modify_msg		mod;
	struct cp_heartbeat_msg		hb;
	struct cp_report_msg		rep;
	struct cp_report_session_msg	rs[2];
	struct cp_mesh_status_msg	ms[3];
	struct cp_rtt_msg		rtt[3];
	char				self[1024], *b;
	size_t				len, i;

	log_init(1, LOG_USER);
	if (argc > 1 && strcmp(argv[1], "-u") == 0)
		update = 1;
	strlcpy(self, argv[0], sizeof(self));
	strlcpy(dir, dirname(self), sizeof(dir));

	memset(&mod, 0, sizeof(mod));
	strlcpy(mod.uuid, "0f6c1c9e-9f0b-4a6e-8d1e-2b7c1f9d0a11",
	    sizeof(mod.uuid));
	mod.status = CP_STATUS_ENABLED;
	b = cp_body_modify(&mod, &len);
	check("modify-active", b, len);
	mod.status = CP_STATUS_PROBLEM;
	strlcpy(mod.last_error, "bird: 8002 /etc/bird/peers/x.conf:3:1 "
	    "syntax error, \"unexpected\" \\ \x01 \xff",
	    sizeof(mod.last_error));
	b = cp_body_modify(&mod, &len);
	check("modify-error", b, len);
	mod.status = 9;
	REGRESS_CHECK("modify-badstatus", cp_body_modify(&mod, &len) == NULL);
	mod.status = 0;
	strlcpy(mod.uuid, "bad uuid", sizeof(mod.uuid));
	REGRESS_CHECK("modify-baduuid", cp_body_modify(&mod, &len) == NULL);

	memset(&hb, 0, sizeof(hb));
	strlcpy(hb.node_id, "jp-edge", sizeof(hb.node_id));
	strlcpy(hb.agent_version, "moenet-agent 0.1.0",
	    sizeof(hb.agent_version));
	strlcpy(hb.bird_version, "2.0.12", sizeof(hb.bird_version));
	strlcpy(hb.kernel, "6.1.0-18-amd64", sizeof(hb.kernel));
	strlcpy(hb.loadavg, "0.10 0.20 0.30", sizeof(hb.loadavg));
	hb.uptime = 86400;
	hb.timestamp = 1767225600;
	hb.tx = 18446744073709551615ULL;
	hb.rx = 12345;
	hb.tcp = 10;
	hb.udp = 3;
	b = cp_body_heartbeat(&hb, &len);
	check("heartbeat-min", b, len);
	for (i = 0; i < sizeof(hb.mesh_pubkey); i++)
		hb.mesh_pubkey[i] = i;
	inet_pton(AF_INET, "192.0.2.1", &hb.public_ipv4);
	inet_pton(AF_INET6, "2001:db8::1", &hb.public_ipv6);
	hb.flags = CP_HB_HAS_MESHKEY | CP_HB_HAS_PUBV4 | CP_HB_HAS_PUBV6 |
	    CP_HB_MAINTENANCE;
	b = cp_body_heartbeat(&hb, &len);
	check("heartbeat-full", b, len);
	hb.flags = CP_HB_STATE_WRITE | CP_HB_REMOVAL_HELD;
	b = cp_body_heartbeat(&hb, &len);
	check("heartbeat-degraded", b, len);
	hb.flags = CP_HB_BIRD_DOWN;
	b = cp_body_heartbeat(&hb, &len);
	check("heartbeat-degraded-bird", b, len);
	memset(hb.kernel, 'k', sizeof(hb.kernel));
	REGRESS_CHECK("heartbeat-unterminated",
	    cp_body_heartbeat(&hb, &len) == NULL);

	memset(&rep, 0, sizeof(rep));
	strlcpy(rep.node_id, "jp-edge", sizeof(rep.node_id));
	rep.timestamp = 1767225600;
	rep.count = 2;
	memset(rs, 0, sizeof(rs));
	strlcpy(rs[0].uuid, "s1", sizeof(rs[0].uuid));
	strlcpy(rs[0].name, "dn42_4242420001", sizeof(rs[0].name));
	strlcpy(rs[0].state, "up", sizeof(rs[0].state));
	strlcpy(rs[0].info, "Established", sizeof(rs[0].info));
	rs[0].routes_imported = 700;
	rs[0].routes_exported = 20;
	rs[0].ipv4_imported = 300;
	rs[0].ipv4_exported = 10;
	rs[0].ipv6_imported = 400;
	rs[0].ipv6_exported = 10;
	rs[0].handshake_age = 42;
	rs[0].rtt_us = 12345;
	rs[0].loss = 0;
	rs[0].flags = CP_RS_HAS_AF | CP_RS_HAS_HANDSHAKE | CP_RS_HAS_RTT;
	strlcpy(rs[1].name, "dn42_4242420002", sizeof(rs[1].name));
	strlcpy(rs[1].state, "start", sizeof(rs[1].state));
	strlcpy(rs[1].info, "Active Socket: Connection refused",
	    sizeof(rs[1].info));
	rs[1].rtt_us = -1;
	rs[1].loss = 100;
	rs[1].flags = CP_RS_HAS_RTT;
	b = cp_body_report(&rep, rs, 2, &len);
	check("report", b, len);
	b = cp_body_report(&rep, rs, 0, &len);
	check("report-empty", b, len);
	rs[1].loss = 101;
	REGRESS_CHECK("report-badloss",
	    cp_body_report(&rep, rs, 2, &len) == NULL);

	memset(ms, 0, sizeof(ms));
	ms[0].node_id = 2;
	ms[1].node_id = 3;
	strlcpy(ms[1].error, "wgctl: no such device", sizeof(ms[1].error));
	b = cp_body_mesh_status("jp-edge", 1767225600, ms, 2,
	    &len);
	check("mesh-status", b, len);
	ms[2].node_id = 2;
	REGRESS_CHECK("mesh-status-dup",
	    cp_body_mesh_status("jp-edge", 0, ms, 3, &len) == NULL);

	memset(rtt, 0, sizeof(rtt));
	strlcpy(rtt[0].target, "fd00:4242:7777::2", sizeof(rtt[0].target));
	rtt[0].rtt_us = 1500;
	strlcpy(rtt[1].target, "172.22.188.3", sizeof(rtt[1].target));
	rtt[1].rtt_us = -1;
	rtt[1].loss = 100;
	strlcpy(rtt[2].target, "hk.example.net", sizeof(rtt[2].target));
	rtt[2].rtt_us = 250000;
	rtt[2].loss = 25;
	b = cp_body_rtt(1767225600, rtt, 3, &len);
	check("rtt", b, len);

	REGRESS_EXIT();
}
