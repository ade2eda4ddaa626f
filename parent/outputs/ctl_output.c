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
 * Control records: built from the session tree on the agent's side, and
 * shown by moenetctl, for people (aligned columns) or as JSON.
 */

#include <sys/types.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moenet.h"
#include "cp.h"
#include "parent/core/session.h"
#include "parent/outputs/control.h"
#include "parent/outputs/moenetctl.h"
#include "parent/outputs/ctl_json.h"
#include "parent/outputs/ctl_text.h"
#include "parent/outputs/ctl_err.h"
#include "parent/outputs/ctl_sessions.h"

enum tunnel_col {
	TCOL_IFNAME,
	TCOL_SESSION,
	TCOL_LINK,
	TCOL_HANDSHAKE,
	TCOL_RX,
	TCOL_TX,
	TCOL_MAX
};

static const char *const tcol_heads[TCOL_MAX] = {
	"Interface", "Session", "Link", "Handshake", "RX bytes", "TX bytes"
};

static struct ctl_status_msg	 status_msg;
static struct ctl_status_ext_msg status_ext;
static int			 has_status, has_status_ext;
static struct ctl_tunnel_msg	*trows;
static size_t			 ntrows;
static int			 jtunnels;	/* the array is open */

static const char	*cp_status_name(const struct cp_session_msg *);
static int64_t		 age_of(time_t, time_t);
static void		 tunnel_cell(const struct ctl_tunnel_msg *, int,
			    char *, size_t);
static void		 show_head(enum ctl_action);
static void		 show_bird(const struct ctl_bird_msg *);
static void		 show_wg(const struct ctl_wg_msg *);
static void		 show_tunnel(const struct ctl_tunnel_msg *);
static void		 show_tunnels(void);
static void		 show_status(const struct ctl_status_msg *);
static void		 show_status_ext(const struct ctl_status_ext_msg *);
static void		 show_status_node(const struct ctl_status_ext_msg *);
static void		 show_status_all(const struct ctl_status_msg *);
static void		 json_status_ext(const struct ctl_status_ext_msg *);
static void		 show_result(const struct ctl_result_msg *);
static void		 show_tail(enum ctl_action);
static void		 json_head(enum ctl_action);
static void		 json_bird(const struct ctl_bird_msg *);
static void		 json_wg(const struct ctl_wg_msg *);
static void		 json_tunnel(const struct ctl_tunnel_msg *);
static void		 json_status(const struct ctl_status_msg *);
static void		 json_result(const struct ctl_result_msg *);
static void		 json_tail(enum ctl_action);
static void		 show_text(const char *, size_t);
static void		 json_text(const char *, size_t);

const struct output show_output = {
	.head = show_head,
	.status = show_status,
	.status_ext = show_status_ext,
	.node = sess_node,
	.session = sess_add,
	.session_ext = sess_ext,
	.proto = sess_proto,
	.bird = show_bird,
	.wg = show_wg,
	.tunnel = show_tunnel,
	.result = show_result,
	.text = show_text,
	.tail = show_tail
};

const struct output json_output = {
	.head = json_head,
	.status = json_status,
	.status_ext = json_status_ext,
	.node = sess_node,
	.session = sess_add,
	.session_ext = sess_ext,
	.proto = sess_proto,
	.bird = json_bird,
	.wg = json_wg,
	.tunnel = json_tunnel,
	.result = json_result,
	.text = json_text,
	.tail = json_tail
};

/* route, path, restart, probe: their text, for -j one "result". */
static char		*jtext;
static size_t		 jtextlen;

static const char *
cp_status_name(const struct cp_session_msg *d)
{
	static const char *const names[] = {
		"deleted", "disabled", "enabled", "pending-approval",
		"queued-for-setup", "queued-for-delete", "problem",
		"teardown", "rejected"
	};

	if ((d->flags & CP_SESS_HAS_STATUS) == 0 || d->status > CP_STATUS_MAX)
		return "";
	return names[d->status];
}

static int64_t
age_of(time_t then, time_t now)
{
	if (then == 0)
		return -1;
	return now < then ? 0 : now - then;
}

/* The wire record of one session; times become ages at now. */
void
ctl_session_fill(struct ctl_session_msg *m, const struct session *s,
    time_t now)
{
	const struct session_observed	*o = &s->observed;

	memset(m, 0, sizeof(*m));
	strlcpy(m->uuid, s->desired.uuid, sizeof(m->uuid));
	strlcpy(m->name, s->desired.name, sizeof(m->name));
	strlcpy(m->ifname, s->desired.ifname, sizeof(m->ifname));
	strlcpy(m->protocol, s->protocol, sizeof(m->protocol));
	strlcpy(m->cp_status, cp_status_name(&s->desired),
	    sizeof(m->cp_status));
	strlcpy(m->state, session_state_name(s->state), sizeof(m->state));
	strlcpy(m->bgp_state, o->bgp_state, sizeof(m->bgp_state));
	strlcpy(m->bgp_info, o->bird_info, sizeof(m->bgp_info));
	strlcpy(m->last_error, s->last_error, sizeof(m->last_error));
	m->since = age_of(s->since, now);
	m->bgp_since = age_of(o->bird_since, now);
	m->handshake_age = age_of(o->wg_handshake, now);
	m->rtt_us = o->rtt_ms < 0 ? -1 : (int64_t)(o->rtt_ms * 1000.0 + 0.5);
	m->asn = s->desired.asn;
	memcpy(m->routes_in, o->routes_in, sizeof(m->routes_in));
	memcpy(m->routes_out, o->routes_out, sizeof(m->routes_out));
	m->retries = s->retries;
	m->loss_pct = o->loss < 0 ? 0 : o->loss > 100 ? 100 :
	    (uint32_t)(o->loss + 0.5);
}


static void
tunnel_cell(const struct ctl_tunnel_msg *t, int col, char *buf, size_t len)
{
	switch (col) {
	case TCOL_IFNAME:
		printable(t->ifname, buf, len);
		break;
	case TCOL_SESSION:
		printable(t->uuid, buf, len);
		break;
	case TCOL_LINK:
		strlcpy(buf, !t->present ? "absent" : t->link_up ? "up" :
		    "down", len);
		break;
	case TCOL_HANDSHAKE:
		/* No interface, nothing to say; one without a handshake. */
		if (!t->present)
			strlcpy(buf, "-", len);
		else if (t->handshake_age < 0)
			strlcpy(buf, "never", len);
		else
			fmt_age(t->handshake_age, buf, len);
		break;
	case TCOL_RX:
		snprintf(buf, len, "%llu", (unsigned long long)t->rx_bytes);
		break;
	case TCOL_TX:
		snprintf(buf, len, "%llu", (unsigned long long)t->tx_bytes);
		break;
	}
	if (buf[0] == '\0')
		strlcpy(buf, "-", len);
}

static void
show_head(enum ctl_action action)
{
	if (action == CTL_SHOW_SESSIONS || action == CTL_SHOW_SESSION)
		sess_reset();
	free(trows);
	trows = NULL;
	ntrows = 0;
}

/* Kept until the end: what the agent adds goes in the middle. */
static void
show_status(const struct ctl_status_msg *st)
{
	status_msg = *st;
	has_status = 1;
}

static void
show_status_ext(const struct ctl_status_ext_msg *x)
{
	status_ext = *x;
	status_ext.cp_breaker[sizeof(status_ext.cp_breaker) - 1] = '\0';
	status_ext.sync_error[sizeof(status_ext.sync_error) - 1] = '\0';
	status_ext.bird_version[sizeof(status_ext.bird_version) - 1] = '\0';
	status_ext.bird_error[sizeof(status_ext.bird_error) - 1] = '\0';
	status_ext.wg_backend[sizeof(status_ext.wg_backend) - 1] = '\0';
	has_status_ext = 1;
}

/* The control plane, the sync, BIRD, WireGuard, the state store. */
static void
show_status_node(const struct ctl_status_ext_msg *x)
{
	char	 b1[32], b2[32], b3[CTL_TEXT_LEN];

	if (!x->cp_configured)
		printf("%-14s not configured\n", "Control plane:");
	else
		printf("%-14s %s, breaker %s, %s%s%s\n", "Control plane:",
		    x->cp_reachable ? "reachable" : "unreachable",
		    printable(x->cp_breaker, b3, sizeof(b3)),
		    x->cp_last_ok_age >= 0 ? "last answer " : "no answer yet",
		    x->cp_last_ok_age >= 0 ? fmt_age(x->cp_last_ok_age, b1,
		    sizeof(b1)) : "", x->cp_last_ok_age >= 0 ? " ago" : "");
	if (!x->sync_started)
		printf("%-14s waiting for the node configuration\n",
		    "Session sync:");
	else {
		printf("%-14s ", "Session sync:");
		if (x->syncing)
			printf("running now");
		else if (x->last_sync_age >= 0)
			printf("last %s ago", fmt_age(x->last_sync_age, b1,
			    sizeof(b1)));
		else
			printf("none yet");
		if (x->last_sync_ok_age >= 0)
			printf(", last list %s ago", fmt_age(
			    x->last_sync_ok_age, b1, sizeof(b1)));
		if (x->next_sync_in >= 0 && !x->syncing)
			printf(", next in %s", fmt_age(x->next_sync_in, b2,
			    sizeof(b2)));
		printf("%s\n", x->from_state ? "; sessions from the state "
		    "file" : "");
	}
	if (x->sync_error[0] != '\0')
		printf("%-14s %s\n", "Sync error:", printable(x->sync_error,
		    b3, sizeof(b3)));
	printf("%-14s %s%s\n", "Heartbeat:", x->heartbeat_ok_age < 0 ?
	    "never answered" : fmt_age(x->heartbeat_ok_age, b1, sizeof(b1)),
	    x->heartbeat_ok_age < 0 ? "" : " ago");
	if (!x->bird_enabled)
		printf("%-14s no control socket configured\n", "BIRD:");
	else if (x->bird_connected)
		printf("%-14s connected, %s, for %s\n", "BIRD:",
		    printable(x->bird_version, b3, sizeof(b3)),
		    fmt_age(x->bird_connected_age, b1, sizeof(b1)));
	else
		printf("%-14s %s: %s%s%s%s\n", "BIRD:", x->bird_connecting ?
		    "connecting" : "unreachable",
		    printable(x->bird_error, b3, sizeof(b3)),
		    x->bird_error_age >= 0 ? " (" : "",
		    x->bird_error_age >= 0 ? fmt_age(x->bird_error_age, b1,
		    sizeof(b1)) : "", x->bird_error_age >= 0 ? " ago)" : "");
	printf("%-14s %s\n", "WireGuard:", printable(x->wg_backend, b3,
	    sizeof(b3)));
	printf("%-14s %s\n", "State store:", x->state_ok ? "ok" :
	    "not saved (see Degraded)");
}

static void
show_status_all(const struct ctl_status_msg *st)
{
	char		 b1[32], b2[CTL_NAME_LEN], b3[CTL_TEXT_LEN];
	const char	*sep = " (";
	int		 i;

	printf("%-14s %s\n", "Version:", printable(st->version, b2,
	    sizeof(b2)));
	printf("%-14s %s, %s mode\n", "Node:", printable(st->node_name, b2,
	    sizeof(b2)), st->mode);
	printf("%-14s %d\n", "PID:", st->pid);
	printf("%-14s %s\n", "Uptime:", fmt_age(st->uptime, b1, sizeof(b1)));
	printf("%-14s %s\n", "Logging:", st->verbose > 0 ? "verbose" :
	    "brief");
	printf("%-14s %s\n", "Public IPv4:", st->public_ipv4[0] != '\0' ?
	    printable(st->public_ipv4, b2, sizeof(b2)) : "-");
	printf("%-14s %s\n", "Public IPv6:", st->public_ipv6[0] != '\0' ?
	    printable(st->public_ipv6, b2, sizeof(b2)) : "-");
	if (has_status_ext)
		show_status_node(&status_ext);
	if (st->maintenance && st->maint_since > 0)
		printf("%-14s on (for %s)\n", "Maintenance:",
		    fmt_age(time(NULL) - st->maint_since, b1, sizeof(b1)));
	else
		printf("%-14s %s\n", "Maintenance:", st->maintenance ? "on" :
		    "off");
	if (st->degraded[0] != '\0')
		printf("%-14s %s\n", "Degraded:", printable(st->degraded, b3,
		    sizeof(b3)));
	printf("%-14s %u", "Sessions:", st->nsessions);
	for (i = 0; i < CTL_STATES; i++) {
		if (st->nstate[i] == 0)
			continue;
		printf("%s%u %s", sep, st->nstate[i],
		    printable(st->state_names[i], b2, sizeof(b2)));
		sep = ", ";
	}
	printf("%s\n\n", *sep == ',' ? ")" : "");
	printf("%-10s %8s  %-5s  %s\n", "Process", "PID", "Ready",
	    "Last pong");
	for (i = 0; i < CTL_PROCS; i++) {
		printf("%-10s %8d  %-5s  %s\n",
		    printable(st->procs[i].name, b2, sizeof(b2)),
		    st->procs[i].pid, st->procs[i].ready ? "yes" : "no",
		    st->procs[i].pong_age < 0 ? "-" :
		    fmt_age(st->procs[i].pong_age, b1, sizeof(b1)));
	}
}

static void
show_bird(const struct ctl_bird_msg *b)
{
	char		 b1[32], b2[CTL_TEXT_LEN];
	const char	*sep = " (";
	uint64_t	 total = 0;
	int		 i;

	if (b->connected)
		printf("%-13s yes, for %s\n", "Connected:",
		    fmt_age(b->connected_age, b1, sizeof(b1)));
	else
		printf("%-13s no%s\n", "Connected:", !b->enabled ?
		    " (no control socket configured)" : b->connecting ?
		    " (connecting)" : "");
	printf("%-13s %s\n", "Version:", printable(b->version, b2,
	    sizeof(b2)));
	if (b->last_error[0] != '\0' && b->last_error_age >= 0)
		printf("%-13s %s (%s ago)\n", "Last error:",
		    printable(b->last_error, b2, sizeof(b2)),
		    fmt_age(b->last_error_age, b1, sizeof(b1)));
	else
		printf("%-13s %s\n", "Last error:", printable(b->last_error,
		    b2, sizeof(b2)));
	printf("%-13s %u s\n", "Backoff:", b->backoff);
	printf("%-13s %llu of %llu attempts\n", "Connects:",
	    (unsigned long long)b->connects, (unsigned long long)b->attempts);
	printf("%-13s %llu sent\n", "Commands:",
	    (unsigned long long)b->cmds_sent);
	printf("%-13s %llu\n", "Auto undos:",
	    (unsigned long long)b->auto_undos);
	for (i = 0; i < CTL_APPLY; i++)
		total += b->applies[i];
	printf("%-13s %llu", "Transactions:", (unsigned long long)total);
	for (i = 0; i < CTL_APPLY; i++) {
		if (b->applies[i] == 0)
			continue;
		printf("%s%llu %s", sep, (unsigned long long)b->applies[i],
		    printable(b->apply_names[i], b2, sizeof(b2)));
		sep = ", ";
	}
	printf("%s\n", *sep == ',' ? ")" : "");
	if (b->maintenance && b->maint_since > 0)
		printf("%-13s on (for %s)\n", "Maintenance:",
		    fmt_age(time(NULL) - b->maint_since, b1, sizeof(b1)));
	else
		printf("%-13s %s\n", "Maintenance:", b->maintenance ? "on" :
		    "off");
}

static void
show_wg(const struct ctl_wg_msg *w)
{
	char	 buf[CTL_WORD_LEN];

	printf("%-12s %s\n", "Backend:", printable(w->backend, buf,
	    sizeof(buf)));
	printf("%-12s %llu answered, %llu failed\n", "Applies:",
	    (unsigned long long)w->applies, (unsigned long long)w->errors);
	printf("%-12s %llu requests, %llu WireGuard sets\n", "Netlink:",
	    (unsigned long long)w->rtnl_msgs, (unsigned long long)w->wg_sets);
	printf("%-12s %llu started, %llu killed\n", "Userspace:",
	    (unsigned long long)w->userspace_started,
	    (unsigned long long)w->userspace_killed);
	printf("%-12s %u\n", "Tunnels:", w->ntunnels);
}

/* Rows are kept until the end: columns are as wide as their widest. */
static void *
row_append(void *rows_, size_t *n, const void *row, size_t size)
{
	char	*p;

	if ((p = reallocarray(rows_, *n + 1, size)) == NULL)
		err(1, "reallocarray");
	memcpy(p + *n * size, row, size);
	(*n)++;
	return p;
}

static void
show_tunnel(const struct ctl_tunnel_msg *t)
{
	trows = row_append(trows, &ntrows, t, sizeof(*t));
}

static void
show_tunnels(void)
{
	char	 buf[CTL_NAME_LEN];
	size_t	 i, w[TCOL_MAX];
	int	 c;

	for (c = 0; c < TCOL_MAX; c++)
		w[c] = width(tcol_heads[c]);
	for (i = 0; i < ntrows; i++)
		for (c = 0; c < TCOL_MAX; c++) {
			tunnel_cell(&trows[i], c, buf, sizeof(buf));
			if (width(buf) > w[c])
				w[c] = width(buf);
		}
	printf("\n");
	for (c = 0; c < TCOL_MAX - 1; c++) {
		pad(tcol_heads[c], w[c], 0);
		printf("  ");
	}
	printf("%s\n", tcol_heads[TCOL_MAX - 1]);
	for (i = 0; i < ntrows; i++)
		for (c = 0; c < TCOL_MAX; c++) {
			tunnel_cell(&trows[i], c, buf, sizeof(buf));
			/* Numbers right-aligned, words left. */
			pad(buf, w[c], c >= TCOL_HANDSHAKE);
			printf("%s", c == TCOL_MAX - 1 ? "\n" : "  ");
		}
}

static void
show_result(const struct ctl_result_msg *r)
{
	char	 buf[CTL_TEXT_LEN];

	printf("%s\n", printable(r->text, buf, sizeof(buf)));
}

static void
show_tail(enum ctl_action action)
{
	if (action == CTL_SHOW_STATUS && has_status)
		show_status_all(&status_msg);
	has_status = has_status_ext = 0;
	if (action == CTL_SHOW_WG)
		show_tunnels();
	else if (action == CTL_SHOW_SESSIONS || action == CTL_SHOW_SESSION)
		sess_show_tail(action);
	free(trows);
	trows = NULL;
	ntrows = 0;
}

static void
json_head(enum ctl_action action)
{
	json_reset();
	jtunnels = 0;
	json_open(NULL, '{');
	if (action == CTL_SHOW_SESSIONS || action == CTL_SHOW_SESSION)
		sess_reset();
}

static void
json_status(const struct ctl_status_msg *st)
{
	int	 i;

	json_string("version", st->version);
	json_string_null("node", st->node_name);
	json_string("mode", st->mode);
	json_int("pid", st->pid);
	json_int("uptime", st->uptime);
	json_string("log", st->verbose > 0 ? "verbose" : "brief");
	json_string_null("public_ipv4", st->public_ipv4);
	json_string_null("public_ipv6", st->public_ipv6);
	json_bool("maintenance", st->maintenance);
	/* Only while on, and only if known. */
	json_age("maintenance_since", st->maintenance && st->maint_since > 0 ?
	    st->maint_since : -1);
	json_string_null("degraded", st->degraded);
	json_open("children", '[');
	for (i = 0; i < CTL_PROCS; i++) {
		json_open(NULL, '{');
		json_string("name", st->procs[i].name);
		json_int("pid", st->procs[i].pid);
		json_bool("ready", st->procs[i].ready);
		json_age("last_pong_age", st->procs[i].pong_age);
		json_close('}');
	}
	json_close(']');
	json_open("sessions", '{');
	json_int("total", st->nsessions);
	for (i = 0; i < CTL_STATES; i++)
		if (st->state_names[i][0] != '\0')
			json_int(st->state_names[i], st->nstate[i]);
	json_close('}');
}

static void
json_bird(const struct ctl_bird_msg *b)
{
	int	 i;

	json_bool("enabled", b->enabled);
	json_bool("connected", b->connected);
	json_bool("connecting", b->connecting);
	json_string_null("version", b->version);
	json_age("connected_age", b->connected_age);
	json_string_null("last_error", b->last_error);
	json_age("last_error_age", b->last_error_age);
	json_int("backoff", b->backoff);
	json_uint("attempts", b->attempts);
	json_uint("connects", b->connects);
	json_uint("commands_sent", b->cmds_sent);
	json_uint("auto_undos", b->auto_undos);
	json_open("transactions", '{');
	for (i = 0; i < CTL_APPLY; i++)
		if (b->apply_names[i][0] != '\0')
			json_uint(b->apply_names[i], b->applies[i]);
	json_close('}');
	json_bool("maintenance", b->maintenance);
	json_age("maintenance_since", b->maintenance && b->maint_since > 0 ?
	    b->maint_since : -1);
}

static void
json_status_ext(const struct ctl_status_ext_msg *x)
{
	json_open("control_plane", '{');
	json_bool("configured", x->cp_configured);
	json_bool("reachable", x->cp_reachable);
	json_string_null("breaker", x->cp_breaker);
	json_age("last_success_age", x->cp_last_ok_age);
	json_close('}');
	json_open("sync", '{');
	json_bool("started", x->sync_started);
	json_bool("running", x->syncing);
	json_bool("from_state", x->from_state);
	json_uint("generation", x->generation);
	json_age("last_sync_age", x->last_sync_age);
	json_age("last_sync_ok_age", x->last_sync_ok_age);
	json_age("next_sync_in", x->next_sync_in);
	json_string_null("last_error", x->sync_error);
	json_age("heartbeat_ok_age", x->heartbeat_ok_age);
	json_close('}');
	json_open("bird", '{');
	json_bool("enabled", x->bird_enabled);
	json_bool("connected", x->bird_connected);
	json_bool("connecting", x->bird_connecting);
	json_string_null("version", x->bird_version);
	json_age("connected_age", x->bird_connected_age);
	json_string_null("last_error", x->bird_error);
	json_age("last_error_age", x->bird_error_age);
	json_close('}');
	json_open("wireguard", '{');
	json_string_null("backend", x->wg_backend);
	json_close('}');
	json_open("state_store", '{');
	json_bool("ok", x->state_ok);
	json_close('}');
}

static void
json_wg(const struct ctl_wg_msg *w)
{
	json_string("backend", w->backend);
	json_open("counters", '{');
	json_uint("applies", w->applies);
	json_uint("errors", w->errors);
	json_uint("rtnl_msgs", w->rtnl_msgs);
	json_uint("wg_sets", w->wg_sets);
	json_uint("userspace_started", w->userspace_started);
	json_uint("userspace_killed", w->userspace_killed);
	json_close('}');
	json_open("tunnels", '[');
	jtunnels = 1;
}

static void
json_tunnel(const struct ctl_tunnel_msg *t)
{
	json_open(NULL, '{');
	json_string("interface", t->ifname);
	json_string_null("session", t->uuid);
	json_string_null("name", t->name);
	json_bool("present", t->present);
	json_bool("link_up", t->link_up);
	json_age("handshake_age", t->handshake_age);
	json_uint("rx_bytes", t->rx_bytes);
	json_uint("tx_bytes", t->tx_bytes);
	json_close('}');
}

static void
json_result(const struct ctl_result_msg *r)
{
	json_string("result", "ok");
	json_string("message", r->text);
}

/* The agent's text as it came: printable ASCII, tabs and newlines. */
static void
show_text(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		putchar((s[i] >= 0x20 && s[i] < 0x7f) || s[i] == '\t' ||
		    s[i] == '\n' ? s[i] : '?');
}

static void
json_text(const char *s, size_t len)
{
	char	*p;

	if (jtextlen + len > 1024 * 1024)
		errx(1, "the agent's answer is too long");
	if ((p = realloc(jtext, jtextlen + len + 1)) == NULL)
		err(1, "realloc");
	jtext = p;
	memcpy(jtext + jtextlen, s, len);
	jtextlen += len;
	jtext[jtextlen] = '\0';
}

static void
json_tail(enum ctl_action action)
{
	if (action == CTL_ROUTE || action == CTL_PATH ||
	    action == CTL_RESTART || action == CTL_PROBE ||
	    action == CTL_DIAG_PING || action == CTL_DIAG_TRACE ||
	    action == CTL_SHOW_FIREWALL) {
		/* NUL bytes in the text end it: JSON has no room for them. */
		json_string("result", jtext != NULL ? jtext : "");
		free(jtext);
		jtext = NULL;
		jtextlen = 0;
	}
	if (action == CTL_SHOW_SESSIONS || action == CTL_SHOW_SESSION)
		sess_json_tail(action);
	/* show wg's header opened the array of tunnels. */
	if (jtunnels)
		json_close(']');
	jtunnels = 0;
	json_close('}');
	putchar('\n');
}
