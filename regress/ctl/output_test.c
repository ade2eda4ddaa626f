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
 * moenetctl's output layer with sessions in it, which the agent cannot
 * have yet in a test: records built by ctl_session_fill() from crafted
 * sessions, printed through both vtables.  output.sh compares the text
 * with golden files and parses the JSON.
 */

#include <sys/types.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "moenet.h"
#include "cp.h"
#include "parent/session.h"
#include "parent/control.h"
#include "parent/moenetctl.h"

#define NOW	1800000000

static void	fill(struct ctl_session_msg *);
static void	status(struct ctl_status_msg *);

static void
fill(struct ctl_session_msg *m)
{
	struct session	 s[3];
	int		 i;

	memset(s, 0, sizeof(s));
	strlcpy(s[0].desired.uuid, "6f1e2d3c-0000-4000-8000-000000000001",
	    sizeof(s[0].desired.uuid));
	strlcpy(s[0].desired.name, "cust-a", sizeof(s[0].desired.name));
	strlcpy(s[0].desired.ifname, "dn42-cust-a",
	    sizeof(s[0].desired.ifname));
	strlcpy(s[0].protocol, "dn42_cust_a", sizeof(s[0].protocol));
	s[0].desired.asn = 4242420001U;
	s[0].desired.status = CP_STATUS_ENABLED;
	s[0].desired.flags = CP_SESS_HAS_STATUS;
	s[0].state = SESSION_ACTIVE;
	s[0].since = NOW - 3723;
	strlcpy(s[0].observed.bgp_state, "Established",
	    sizeof(s[0].observed.bgp_state));
	s[0].observed.bird_since = NOW - 90061;
	s[0].observed.routes_in[0] = 120;
	s[0].observed.routes_in[1] = 30;
	s[0].observed.routes_out[0] = 5;
	s[0].observed.routes_out[1] = 6;
	s[0].observed.wg_handshake = NOW - 42;
	s[0].observed.rtt_ms = 12.345;
	s[0].observed.loss = 2.4;

	/* Everything a terminal or a JSON parser could choke on. */
	strlcpy(s[1].desired.uuid, "6f1e2d3c-0000-4000-8000-000000000002",
	    sizeof(s[1].desired.uuid));
	strlcpy(s[1].desired.name, "we\"ird\\na\nme\x01\xc3\xa9\xff",
	    sizeof(s[1].desired.name));
	strlcpy(s[1].desired.ifname, "dn42-weird", sizeof(s[1].desired.ifname));
	s[1].desired.asn = 64512;
	s[1].state = SESSION_ERROR;
	s[1].since = NOW - 1300000;
	s[1].retries = 3;
	s[1].observed.rtt_ms = -1;
	strlcpy(s[1].last_error, "bird: syntax error near \"}\"\tline 3",
	    sizeof(s[1].last_error));

	strlcpy(s[2].desired.uuid, "6f1e2d3c-0000-4000-8000-000000000003",
	    sizeof(s[2].desired.uuid));
	memset(s[2].desired.name, 'x', 60);
	s[2].desired.status = CP_STATUS_PENDING_APPROVAL;
	s[2].desired.flags = CP_SESS_HAS_STATUS;
	s[2].state = SESSION_PENDING;
	s[2].observed.rtt_ms = -1;

	for (i = 0; i < 3; i++)
		ctl_session_fill(&m[i], &s[i], NOW);
}

static void
status(struct ctl_status_msg *st)
{
	static const char *const procs[] = { "fetcher", "birdctl", "wgctl" };
	int	 i;

	memset(st, 0, sizeof(*st));
	strlcpy(st->version, "0.1.0", sizeof(st->version));
	strlcpy(st->node_name, "node-\"1\"", sizeof(st->node_name));
	strlcpy(st->mode, "full", sizeof(st->mode));
	for (i = 0; i <= SESSION_STATE_MAX; i++)
		strlcpy(st->state_names[i], session_state_name(i),
		    sizeof(st->state_names[i]));
	st->nstate[SESSION_ACTIVE] = 2;
	st->nstate[SESSION_ERROR] = 1;
	st->nsessions = 3;
	for (i = 0; i < CTL_PROCS; i++) {
		strlcpy(st->procs[i].name, procs[i], sizeof(st->procs[i].name));
		st->procs[i].pid = 100 + i;
		st->procs[i].ready = i != 2;
		st->procs[i].pong_age = i == 2 ? -1 : 3;
	}
	st->pid = 99;
	st->uptime = 86400 * 8 + 3600;
}

int
main(int argc, char *argv[])
{
	struct ctl_session_msg	 m[3];
	struct ctl_status_msg	 st;
	struct ctl_result_msg	 r;
	const struct output	*out;
	enum ctl_action		 a;
	int			 i;

	if (argc != 3) {
		fprintf(stderr, "usage: output_test human|json "
		    "sessions|session|status|result\n");
		return 1;
	}
	out = strcmp(argv[1], "json") == 0 ? &json_output : &show_output;
	fill(m);
	if (strcmp(argv[2], "sessions") == 0 ||
	    strcmp(argv[2], "session") == 0) {
		a = argv[2][7] == 's' ? CTL_SHOW_SESSIONS : CTL_SHOW_SESSION;
		out->head(a);
		for (i = 0; i < 3; i++)
			out->session(&m[i]);
		out->tail(a);
	} else if (strcmp(argv[2], "status") == 0) {
		status(&st);
		out->head(CTL_SHOW_STATUS);
		out->status(&st);
		out->tail(CTL_SHOW_STATUS);
	} else {
		memset(&r, 0, sizeof(r));
		strlcpy(r.text, "configuration reloaded", sizeof(r.text));
		out->head(CTL_RELOAD);
		out->result(&r);
		out->tail(CTL_RELOAD);
	}
	return 0;
}
