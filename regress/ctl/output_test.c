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
#include "parent/outputs/ctl_sessions.h"

#define NOW	1800000000

#define NSESS	5

static void	fill(struct ctl_session_msg *);
static void	fill_ext(struct ctl_session_ext_msg *, struct ctl_proto_msg *);
static void	node_of(struct ctl_node_msg *, int);
static void	status(struct ctl_status_msg *);
static void	bird(struct ctl_bird_msg *);
static void	wg(struct ctl_wg_msg *, struct ctl_tunnel_msg *);

static void
fill(struct ctl_session_msg *m)
{
	struct session	 s[NSESS];
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
	/* C0, C1 and a bidirectional override: a '?' each. */
	strlcpy(s[1].desired.name, "we\"ird\\na\nme\x01\xc3\xa9\xff"
	    "\xe2\x80\xae\xc2\x85",
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

	/* Two columns a character: the row must not shift. */
	strlcpy(s[3].desired.uuid, "6f1e2d3c-0000-4000-8000-000000000004",
	    sizeof(s[3].desired.uuid));
	strlcpy(s[3].desired.name, "东京节点 tyo", sizeof(s[3].desired.name));
	strlcpy(s[3].desired.ifname, "dn42_4242420004",
	    sizeof(s[3].desired.ifname));
	strlcpy(s[3].protocol, "dn42_4242420004", sizeof(s[3].protocol));
	s[3].desired.asn = 4242420004U;
	s[3].state = SESSION_ACTIVE;
	s[3].since = NOW - 60;
	strlcpy(s[3].observed.bgp_state, "Active",
	    sizeof(s[3].observed.bgp_state));
	strlcpy(s[3].observed.bird_info, "Socket: Connection refused",
	    sizeof(s[3].observed.bird_info));
	s[3].observed.bird_since = NOW - 5;
	s[3].observed.rtt_ms = -1;

	/* Too wide for 100 columns: cut, never through a character. */
	strlcpy(s[4].desired.uuid, "6f1e2d3c-0000-4000-8000-000000000005",
	    sizeof(s[4].desired.uuid));
	strlcpy(s[4].desired.name, "大阪大阪大阪大阪大阪大阪大阪大阪大阪大阪"
	    "大阪大阪大阪大阪大阪x",
	    sizeof(s[4].desired.name));
	strlcpy(s[4].protocol, "dn42_4242420005", sizeof(s[4].protocol));
	s[4].desired.asn = 4242420005U;
	s[4].state = SESSION_SETUP;
	s[4].since = NOW - 1;
	s[4].observed.rtt_ms = -1;

	for (i = 0; i < NSESS; i++)
		ctl_session_fill(&m[i], &s[i], NOW);
}

/* Session 0 has its tunnel and protocol; session 3 a down protocol. */
static void
fill_ext(struct ctl_session_ext_msg *x, struct ctl_proto_msg *p)
{
	int	 i;

	memset(x, 0, NSESS * sizeof(*x));
	memset(p, 0, 2 * sizeof(*p));
	for (i = 0; i < NSESS; i++)
		x[i].bgp_changed_age = -1;
	strlcpy(x[0].endpoint, "[fd00:ab::2]:20001", sizeof(x[0].endpoint));
	strlcpy(x[0].allowed, "0.0.0.0/0, ::/0", sizeof(x[0].allowed));
	strlcpy(x[0].neighbor, "fe80::b%dn42-cust-a", sizeof(x[0].neighbor));
	x[0].rx_bytes = 1234;
	x[0].tx_bytes = 5678;
	x[0].mtu = 1420;
	x[0].listen_port = 20002;
	x[0].bgp_changes = 3;
	x[0].bgp_changed_age = 90061;
	x[0].nprotos = 1;
	x[0].wg_known = x[0].link_up = 1;
	strlcpy(p[0].name, "dn42_cust_a", sizeof(p[0].name));
	strlcpy(p[0].state, "up", sizeof(p[0].state));
	strlcpy(p[0].bgp_state, "Established", sizeof(p[0].bgp_state));
	strlcpy(p[0].info, "Established", sizeof(p[0].info));
	strlcpy(p[0].neighbor, "fe80::b%dn42-cust-a", sizeof(p[0].neighbor));
	p[0].since_age = 90061;
	p[0].neighbor_as = 4242420001U;
	p[0].hold_time = 9;
	p[0].hold_left_ms = 4640;
	p[0].keepalive_time = 3;
	p[0].keepalive_left_ms = 202;
	p[0].routes_in[0] = 120;
	p[0].routes_in[1] = 30;
	p[0].routes_out[0] = 5;
	p[0].routes_out[1] = 6;
	p[0].nchannels = 2;

	strlcpy(x[3].neighbor, "fe80::4%dn42_4242420004",
	    sizeof(x[3].neighbor));
	x[3].nprotos = 1;
	strlcpy(p[1].name, "dn42_4242420004", sizeof(p[1].name));
	strlcpy(p[1].state, "start", sizeof(p[1].state));
	strlcpy(p[1].bgp_state, "Active", sizeof(p[1].bgp_state));
	strlcpy(p[1].info, "Active        Socket: Connection refused",
	    sizeof(p[1].info));
	strlcpy(p[1].last_error, "Received: Administrative shutdown",
	    sizeof(p[1].last_error));
	p[1].since_age = 5;
	p[1].neighbor_as = 4242420004U;
}

static void
node_of(struct ctl_node_msg *n, int up)
{
	memset(n, 0, sizeof(*n));
	n->bird_enabled = 1;
	n->bird_connected = up;
	n->bird_fresh = up;
	if (!up)
		strlcpy(n->bird_error, "connect /run/bird/bird.ctl: "
		    "Connection refused", sizeof(n->bird_error));
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
	struct ctl_session_msg	 m[NSESS];
	struct ctl_session_ext_msg x[NSESS];
	struct ctl_proto_msg	 p[2];
	struct ctl_node_msg	 n;
	struct ctl_status_ext_msg sx;
	const char		*up[] = { "up" }, *asn[] = { "AS4242420004" };
	const char		*frag[] = { "CUST" }, *down[] = { "down" };
	const char		*errf[] = { "error" };
	int			 k;
	struct ctl_status_msg	 st;
	struct ctl_bird_msg	 b;
	struct ctl_wg_msg	 w;
	struct ctl_tunnel_msg	 t[3];
	struct ctl_result_msg	 r;
	const struct output	*out;
	enum ctl_action		 a;
	int			 i;

	if (argc != 3) {
		fprintf(stderr, "usage: output_test human|json|wide "
		    "sessions[-up|-down|-error|-asn|-name|-birddown]|session|"
		    "status[-down]|bird|wg|wg-empty|result\n");
		return 1;
	}
	out = strcmp(argv[1], "json") == 0 ? &json_output : &show_output;
	fill(m);
	fill_ext(x, p);
	if (strncmp(argv[2], "session", 7) == 0) {
		a = argv[2][7] == 's' ? CTL_SHOW_SESSIONS : CTL_SHOW_SESSION;
		if (strcmp(argv[2], "sessions-wide") == 0)
			ctl_sessions_options(1, NULL, 0);
		else if (strcmp(argv[2], "sessions-up") == 0)
			ctl_sessions_options(0, up, 1);
		else if (strcmp(argv[2], "sessions-down") == 0)
			ctl_sessions_options(0, down, 1);
		else if (strcmp(argv[2], "sessions-error") == 0)
			ctl_sessions_options(0, errf, 1);
		else if (strcmp(argv[2], "sessions-asn") == 0)
			ctl_sessions_options(0, asn, 1);
		else if (strcmp(argv[2], "sessions-name") == 0)
			ctl_sessions_options(0, frag, 1);
		out->head(a);
		node_of(&n, strcmp(argv[2], "sessions-birddown") != 0 &&
		    strcmp(argv[2], "session-birddown") != 0);
		out->node(&n);
		for (i = 0, k = 0; i < NSESS; i++) {
			out->session(&m[i]);
			out->session_ext(&x[i]);
			if (x[i].nprotos > 0)
				out->proto(&p[k++]);
		}
		out->tail(a);
	} else if (strncmp(argv[2], "status", 6) == 0) {
		status(&st);
		memset(&sx, 0, sizeof(sx));
		strlcpy(sx.cp_breaker, "closed", sizeof(sx.cp_breaker));
		strlcpy(sx.bird_version, "2.0.12", sizeof(sx.bird_version));
		strlcpy(sx.wg_backend, "userspace", sizeof(sx.wg_backend));
		sx.cp_configured = sx.cp_reachable = 1;
		sx.cp_last_ok_age = 3;
		sx.last_sync_age = sx.last_sync_ok_age = 3;
		sx.next_sync_in = 57;
		sx.heartbeat_ok_age = 12;
		sx.bird_connected_age = 3723;
		sx.bird_error_age = -1;
		sx.sync_started = 1;
		sx.generation = 4;
		sx.bird_enabled = sx.bird_connected = 1;
		sx.state_ok = 1;
		if (strcmp(argv[2], "status-down") == 0) {
			strlcpy(sx.cp_breaker, "open", sizeof(sx.cp_breaker));
			strlcpy(sx.sync_error, "control plane: 401 "
			    "Unauthorized: the token was refused",
			    sizeof(sx.sync_error));
			strlcpy(sx.bird_error, "connect /run/bird/bird.ctl: "
			    "Connection refused", sizeof(sx.bird_error));
			sx.cp_reachable = 0;
			sx.cp_last_ok_age = -1;
			sx.last_sync_ok_age = -1;
			sx.bird_connected = 0;
			sx.bird_connected_age = -1;
			sx.bird_error_age = 5;
			sx.state_ok = 0;
			sx.from_state = 1;
			st.maintenance = 1;
			st.maint_since = time(NULL) - 3600;
		}
		out->head(CTL_SHOW_STATUS);
		out->status(&st);
		out->status_ext(&sx);
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
