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
#include "parent/core/session.h"
#include "parent/outputs/control.h"
#include "parent/outputs/moenetctl.h"

#define NOW	1800000000

static void	fill(struct ctl_session_msg *);
static void	status(struct ctl_status_msg *);
static void	bird(struct ctl_bird_msg *);
static void	wg(struct ctl_wg_msg *, struct ctl_tunnel_msg *);

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
	strlcpy(st->public_ipv4, "192.0.2.10", sizeof(st->public_ipv4));
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

static void
bird(struct ctl_bird_msg *b)
{
	static const char *const names[] = { "ok", "unchanged",
	    "bird not connected", "file error", "configure check failed" };
	int	 i;

	memset(b, 0, sizeof(*b));
	strlcpy(b->version, "2.0.12", sizeof(b->version));
	strlcpy(b->last_error, "connect: No such file\x1b[2J\xff",
	    sizeof(b->last_error));
	for (i = 0; i < 5; i++)
		strlcpy(b->apply_names[i], names[i], sizeof(b->apply_names[i]));
	b->applies[0] = 7;
	b->applies[1] = 2;
	b->applies[4] = 1;
	b->attempts = 5;
	b->connects = 2;
	b->cmds_sent = 123;
	b->auto_undos = 1;
	b->connected_age = 3723;
	b->last_error_age = 90061;
	b->enabled = 1;
	b->connected = 1;
	b->maintenance = 1;
	b->backoff = 1;
}

static void
wg(struct ctl_wg_msg *w, struct ctl_tunnel_msg *t)
{
	memset(w, 0, sizeof(*w));
	strlcpy(w->backend, "userspace", sizeof(w->backend));
	w->applies = 4;
	w->errors = 1;
	w->rtnl_msgs = 20;
	w->wg_sets = 3;
	w->userspace_started = 2;
	w->userspace_killed = 1;
	w->ntunnels = 3;

	memset(t, 0, 3 * sizeof(*t));
	strlcpy(t[0].ifname, "dn42_4242420002", sizeof(t[0].ifname));
	strlcpy(t[0].uuid, "s1", sizeof(t[0].uuid));
	strlcpy(t[0].name, "peer b", sizeof(t[0].name));
	t[0].handshake_age = 42;
	t[0].rx_bytes = 1234567;
	t[0].tx_bytes = 89;
	t[0].present = t[0].link_up = 1;

	/* There, never a handshake; and a hostile uuid. */
	strlcpy(t[1].ifname, "dn42-x", sizeof(t[1].ifname));
	strlcpy(t[1].uuid, "u\"2\n\xc3\xa9\xff", sizeof(t[1].uuid));
	t[1].handshake_age = -1;
	t[1].present = 1;

	/* Gone from under the agent. */
	strlcpy(t[2].ifname, "dn42-gone", sizeof(t[2].ifname));
	strlcpy(t[2].uuid, "s3", sizeof(t[2].uuid));
	t[2].handshake_age = 3600;
	t[2].rx_bytes = 18446744073709551615ULL;
}

int
main(int argc, char *argv[])
{
	struct ctl_session_msg	 m[3];
	struct ctl_status_msg	 st;
	struct ctl_bird_msg	 b;
	struct ctl_wg_msg	 w;
	struct ctl_tunnel_msg	 t[3];
	struct ctl_result_msg	 r;
	const struct output	*out;
	enum ctl_action		 a;
	int			 i;

	if (argc != 3) {
		fprintf(stderr, "usage: output_test human|json "
		    "sessions|session|status|bird|wg|wg-empty|result\n");
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
	} else if (strcmp(argv[2], "bird") == 0) {
		bird(&b);
		out->head(CTL_SHOW_BIRD);
		out->bird(&b);
		out->tail(CTL_SHOW_BIRD);
	} else if (strncmp(argv[2], "wg", 2) == 0) {
		wg(&w, t);
		if (strcmp(argv[2], "wg-empty") == 0)
			w.ntunnels = 0;
		out->head(CTL_SHOW_WG);
		out->wg(&w);
		for (i = 0; i < (int)w.ntunnels; i++)
			out->tunnel(&t[i]);
		out->tail(CTL_SHOW_WG);
	} else {
		memset(&r, 0, sizeof(r));
		strlcpy(r.text, "configuration reloaded", sizeof(r.text));
		out->head(CTL_RELOAD);
		out->result(&r);
		out->tail(CTL_RELOAD);
	}
	return 0;
}
