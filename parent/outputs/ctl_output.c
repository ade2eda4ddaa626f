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

enum session_col {
	COL_NAME,
	COL_ASN,
	COL_IFNAME,
	COL_CPSTATUS,
	COL_STATE,
	COL_BGP,
	COL_SINCE,
	COL_ROUTES,
	COL_HANDSHAKE,
	COL_RTT,
	COL_ERROR,
	COL_MAX
};

static const char *const col_heads[COL_MAX] = {
	"Session", "ASN", "Interface", "CP status", "State", "BGP", "Since",
	"Routes in/out", "Handshake", "RTT", "Last error"
};

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

static struct ctl_session_msg	*rows;
static size_t			 nrows;
static struct ctl_tunnel_msg	*trows;
static size_t			 ntrows;
static int			 jdepth, jcomma[8];
static int			 jtunnels;	/* the array is open */

static const char	*cp_status_name(const struct cp_session_msg *);
static int64_t		 age_of(time_t, time_t);
static size_t		 utf8_len(const unsigned char *);
static size_t		 width(const char *);
static void		 pad(const char *, size_t, int);
static const char	*printable(const char *, char *, size_t);
static const char	*fmt_rtt(int64_t, char *, size_t);
static void		 session_cell(const struct ctl_session_msg *, int,
			    char *, size_t);
static void		 tunnel_cell(const struct ctl_tunnel_msg *, int,
			    char *, size_t);
static void		 show_head(enum ctl_action);
static void		 show_bird(const struct ctl_bird_msg *);
static void		 show_wg(const struct ctl_wg_msg *);
static void		 show_tunnel(const struct ctl_tunnel_msg *);
static void		 show_tunnels(void);
static void		 show_status(const struct ctl_status_msg *);
static void		 show_session(const struct ctl_session_msg *);
static void		 show_session_detail(const struct ctl_session_msg *);
static void		 show_result(const struct ctl_result_msg *);
static void		 show_tail(enum ctl_action);
static void		 json_head(enum ctl_action);
static void		 json_bird(const struct ctl_bird_msg *);
static void		 json_wg(const struct ctl_wg_msg *);
static void		 json_tunnel(const struct ctl_tunnel_msg *);
static void		 json_uint(const char *, uint64_t);
static void		 json_status(const struct ctl_status_msg *);
static void		 json_session(const struct ctl_session_msg *);
static void		 json_result(const struct ctl_result_msg *);
static void		 json_tail(enum ctl_action);
static void		 json_open(const char *, char);
static void		 json_close(char);
static void		 json_key(const char *);
static void		 json_string(const char *, const char *);
static void		 json_string_null(const char *, const char *);
static void		 json_int(const char *, int64_t);
static void		 json_age(const char *, int64_t);
static void		 json_bool(const char *, int);
static void		 json_quote(const char *);
static void		 show_text(const char *, size_t);
static void		 json_text(const char *, size_t);

const struct output show_output = {
	.head = show_head,
	.status = show_status,
	.session = show_session,
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
	.session = json_session,
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
	m->disabled = (s->desired.flags & CP_SESS_DISABLED) != 0;
}

/* bgpctl's fmt_timeframe: hh:mm:ss, then days, then weeks. */
const char *
fmt_age(int64_t t, char *buf, size_t len)
{
	unsigned int	 sec, min, hrs, day, week;

	if (t < 0) {
		strlcpy(buf, "-", len);
		return buf;
	}
	week = t / (7 * 86400);
	t %= 7 * 86400;
	day = t / 86400;
	t %= 86400;
	hrs = t / 3600;
	t %= 3600;
	min = t / 60;
	sec = t % 60;
	if (week > 0)
		snprintf(buf, len, "%02uw%01ud%02uh", week, day, hrs);
	else if (day > 0)
		snprintf(buf, len, "%01ud%02uh%02um", day, hrs, min);
	else
		snprintf(buf, len, "%02u:%02u:%02u", hrs, min, sec);
	return buf;
}

static const char *
fmt_rtt(int64_t us, char *buf, size_t len)
{
	if (us < 0)
		strlcpy(buf, "-", len);
	else
		snprintf(buf, len, "%lld.%01lldms", (long long)(us / 1000),
		    (long long)(us % 1000 / 100));
	return buf;
}

/* The length of the whole, shortest-form UTF-8 sequence at p, or 0. */
static size_t
utf8_len(const unsigned char *p)
{
	size_t	 i, n;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf)
		n = 1;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 2;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 3;
	else
		return 0;
	for (i = 1; i <= n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return n + 1;
}

/* Columns a printable() string takes: one per character. */
static size_t
width(const char *s)
{
	size_t	 w = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

static void
pad(const char *s, size_t w, int right)
{
	size_t	 n = width(s);

	if (right)
		for (; n < w; n++)
			putchar(' ');
	fputs(s, stdout);
	if (!right)
		for (; n < w; n++)
			putchar(' ');
}

/*
 * What came from BIRD or the control plane goes to a terminal tamed:
 * control characters and broken UTF-8 become '?'.
 */
static const char *
printable(const char *s, char *buf, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;

	while (*p != '\0') {
		n = utf8_len(p);
		if (n == 0 || *p < 0x20 || *p == 0x7f) {
			n = 1;
			if (i + 1 >= len)
				break;
			buf[i++] = '?';
		} else {
			if (i + n >= len)
				break;
			memcpy(buf + i, p, n);
			i += n;
		}
		p += n;
	}
	buf[i] = '\0';
	return buf[0] == '\0' ? "-" : buf;
}

static void
session_cell(const struct ctl_session_msg *m, int col, char *buf,
    size_t len)
{
	char	 tmp[CTL_TEXT_LEN];

	switch (col) {
	case COL_NAME:
		printable(m->name[0] != '\0' ? m->name : m->uuid, buf, len);
		break;
	case COL_ASN:
		if (m->asn == 0)
			strlcpy(buf, "-", len);
		else
			snprintf(buf, len, "%u", m->asn);
		break;
	case COL_IFNAME:
		printable(m->ifname, buf, len);
		break;
	case COL_CPSTATUS:
		printable(m->cp_status, buf, len);
		break;
	case COL_STATE:
		printable(m->state, buf, len);
		/* Down by the operator's hand, whatever the state. */
		if (m->disabled)
			strlcat(buf, ",disabled", len);
		break;
	case COL_BGP:
		printable(m->bgp_state, buf, len);
		break;
	case COL_SINCE:
		fmt_age(m->bgp_since, buf, len);
		break;
	case COL_ROUTES:
		if (m->bgp_state[0] == '\0')
			strlcpy(buf, "-", len);
		else
			snprintf(buf, len, "%llu/%llu",
			    (unsigned long long)m->routes_in[0] +
			    m->routes_in[1],
			    (unsigned long long)m->routes_out[0] +
			    m->routes_out[1]);
		break;
	case COL_HANDSHAKE:
		fmt_age(m->handshake_age, buf, len);
		break;
	case COL_RTT:
		fmt_rtt(m->rtt_us, buf, len);
		break;
	case COL_ERROR:
		strlcpy(buf, printable(m->last_error, tmp, sizeof(tmp)), len);
		break;
	}
	if (buf[0] == '\0')
		strlcpy(buf, "-", len);
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
	free(rows);
	rows = NULL;
	nrows = 0;
	free(trows);
	trows = NULL;
	ntrows = 0;
}

static void
show_status(const struct ctl_status_msg *st)
{
	char		 b1[32], b2[CTL_NAME_LEN], b3[CTL_TEXT_LEN];
	const char	*sep = " (";
	int		 i;

	printf("%-12s %s\n", "Version:", printable(st->version, b2,
	    sizeof(b2)));
	printf("%-12s %s, %s mode\n", "Node:", printable(st->node_name, b2,
	    sizeof(b2)), st->mode);
	printf("%-12s %d\n", "PID:", st->pid);
	printf("%-12s %s\n", "Uptime:", fmt_age(st->uptime, b1, sizeof(b1)));
	printf("%-12s %s\n", "Logging:", st->verbose > 0 ? "verbose" :
	    "brief");
	printf("%-12s %s\n", "Public IPv4:", st->public_ipv4[0] != '\0' ?
	    printable(st->public_ipv4, b2, sizeof(b2)) : "-");
	printf("%-12s %s\n", "Public IPv6:", st->public_ipv6[0] != '\0' ?
	    printable(st->public_ipv6, b2, sizeof(b2)) : "-");
	if (st->maintenance && st->maint_since > 0)
		printf("%-12s on (for %s)\n", "Maintenance:",
		    fmt_age(time(NULL) - st->maint_since, b1, sizeof(b1)));
	else
		printf("%-12s %s\n", "Maintenance:", st->maintenance ? "on" :
		    "off");
	if (st->degraded[0] != '\0')
		printf("%-12s %s\n", "Degraded:", printable(st->degraded, b3,
		    sizeof(b3)));
	printf("%-12s %u", "Sessions:", st->nsessions);
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

	if ((p = reallocarray(rows_, *n + 1, size)) == NULL) {
		perror("moenetctl");
		exit(1);
	}
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
show_session(const struct ctl_session_msg *m)
{
	rows = row_append(rows, &nrows, m, sizeof(*m));
}

static void
show_session_detail(const struct ctl_session_msg *m)
{
	char	 b1[CTL_TEXT_LEN], b2[CTL_TEXT_LEN];

	printf("Session %s (%s)\n", printable(m->name, b1, sizeof(b1)),
	    printable(m->uuid, b2, sizeof(b2)));
	session_cell(m, COL_ASN, b1, sizeof(b1));
	printf("  %-15s %s\n", "ASN:", b1);
	printf("  %-15s %s\n", "Interface:", printable(m->ifname, b1,
	    sizeof(b1)));
	printf("  %-15s %s\n", "BIRD protocol:", printable(m->protocol, b1,
	    sizeof(b1)));
	printf("  %-15s %s\n", "CP status:", printable(m->cp_status, b1,
	    sizeof(b1)));
	printf("  %-15s %s for %s, %u retries\n", "State:",
	    printable(m->state, b1, sizeof(b1)),
	    fmt_age(m->since, b2, sizeof(b2)), m->retries);
	if (m->disabled)
		printf("  %-15s %s\n", "Disabled:", "yes, by moenetctl "
		    "disable");
	printf("  %-15s %s", "BGP:", printable(m->bgp_state, b1,
	    sizeof(b1)));
	if (m->bgp_since >= 0)
		printf(" for %s", fmt_age(m->bgp_since, b2, sizeof(b2)));
	if (m->bgp_info[0] != '\0')
		printf(", %s", printable(m->bgp_info, b2, sizeof(b2)));
	printf("\n");
	if (m->bgp_state[0] != '\0') {
		printf("  %-15s %u IPv4, %u IPv6\n", "Routes in:",
		    m->routes_in[0], m->routes_in[1]);
		printf("  %-15s %u IPv4, %u IPv6\n", "Routes out:",
		    m->routes_out[0], m->routes_out[1]);
	} else {
		printf("  %-15s -\n", "Routes in:");
		printf("  %-15s -\n", "Routes out:");
	}
	printf("  %-15s %s\n", "Handshake:", m->handshake_age < 0 ? "never" :
	    fmt_age(m->handshake_age, b1, sizeof(b1)));
	if (m->rtt_us < 0)
		printf("  %-15s -\n", "RTT:");
	else
		printf("  %-15s %s, %u%% loss\n", "RTT:",
		    fmt_rtt(m->rtt_us, b1, sizeof(b1)), m->loss_pct);
	printf("  %-15s %s\n", "Last error:", printable(m->last_error, b1,
	    sizeof(b1)));
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
	char	 buf[CTL_TEXT_LEN];
	size_t	 i, w[COL_MAX];
	int	 c;

	if (action == CTL_SHOW_WG)
		show_tunnels();
	else if (action == CTL_SHOW_SESSION) {
		for (i = 0; i < nrows; i++) {
			if (i > 0)
				printf("\n");
			show_session_detail(&rows[i]);
		}
	} else if (action == CTL_SHOW_SESSIONS) {
		for (c = 0; c < COL_MAX; c++)
			w[c] = width(col_heads[c]);
		for (i = 0; i < nrows; i++)
			for (c = 0; c < COL_MAX; c++) {
				session_cell(&rows[i], c, buf, sizeof(buf));
				if (width(buf) > w[c])
					w[c] = width(buf);
			}
		for (c = 0; c < COL_MAX - 1; c++) {
			pad(col_heads[c], w[c], 0);
			printf("  ");
		}
		printf("%s\n", col_heads[COL_MAX - 1]);
		for (i = 0; i < nrows; i++)
			for (c = 0; c < COL_MAX; c++) {
				session_cell(&rows[i], c, buf, sizeof(buf));
				if (c == COL_MAX - 1) {
					printf("%s\n", buf);
					continue;
				}
				/* Numbers right-aligned, words left. */
				pad(buf, w[c], c == COL_ASN ||
				    c == COL_SINCE || c == COL_ROUTES ||
				    c == COL_HANDSHAKE || c == COL_RTT);
				printf("  ");
			}
	}
	free(rows);
	rows = NULL;
	nrows = 0;
	free(trows);
	trows = NULL;
	ntrows = 0;
}

/*
 * A small JSON writer: enough state to place commas, strings checked
 * to be UTF-8 so the output always parses.
 */
static void
json_open(const char *key, char c)
{
	if (key != NULL)
		json_key(key);
	else if (jdepth > 0 && jcomma[jdepth]++)
		putchar(',');
	putchar(c);
	if (jdepth + 1 < (int)(sizeof(jcomma) / sizeof(jcomma[0])))
		jdepth++;
	jcomma[jdepth] = 0;
}

static void
json_close(char c)
{
	putchar(c);
	if (jdepth > 0)
		jdepth--;
}

static void
json_key(const char *key)
{
	if (jcomma[jdepth]++)
		putchar(',');
	json_quote(key);
	putchar(':');
}

static void
json_string(const char *key, const char *val)
{
	json_key(key);
	json_quote(val);
}

/* "" is null: not known. */
static void
json_string_null(const char *key, const char *val)
{
	json_key(key);
	if (*val == '\0')
		printf("null");
	else
		json_quote(val);
}

static void
json_int(const char *key, int64_t v)
{
	json_key(key);
	printf("%lld", (long long)v);
}

static void
json_uint(const char *key, uint64_t v)
{
	json_key(key);
	printf("%llu", (unsigned long long)v);
}

/* Ages and other "unknown is -1" numbers: null when unknown. */
static void
json_age(const char *key, int64_t v)
{
	json_key(key);
	if (v < 0)
		printf("null");
	else
		printf("%lld", (long long)v);
}

static void
json_bool(const char *key, int v)
{
	json_key(key);
	printf(v ? "true" : "false");
}

static void
json_quote(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;

	putchar('"');
	while (*p != '\0') {
		if (*p == '"' || *p == '\\') {
			printf("\\%c", *p++);
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			printf("\\u%04x", *p++);
			continue;
		}
		if (*p < 0x80) {
			putchar(*p++);
			continue;
		}
		if ((n = utf8_len(p)) > 0) {
			fwrite(p, 1, n, stdout);
			p += n;
		} else {
			printf("\\ufffd");
			p++;
		}
	}
	putchar('"');
}

static void
json_head(enum ctl_action action)
{
	jdepth = 0;
	jcomma[0] = 0;
	jtunnels = 0;
	json_open(NULL, '{');
	if (action == CTL_SHOW_SESSIONS || action == CTL_SHOW_SESSION)
		json_open("sessions", '[');
}

static void
json_status(const struct ctl_status_msg *st)
{
	int	 i;

	json_string("version", st->version);
	json_string("node", st->node_name);
	json_string("mode", st->mode);
	json_int("pid", st->pid);
	json_int("uptime", st->uptime);
	json_string("log", st->verbose > 0 ? "verbose" : "brief");
	json_string_null("public_ipv4", st->public_ipv4);
	json_string_null("public_ipv6", st->public_ipv6);
	json_bool("maintenance", st->maintenance);
	json_int("maintenance_since", st->maint_since);
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
	json_string("version", b->version);
	json_age("connected_age", b->connected_age);
	json_string("last_error", b->last_error);
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
	json_int("maintenance_since", b->maint_since);
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
	json_string("session", t->uuid);
	json_string("name", t->name);
	json_bool("present", t->present);
	json_bool("link_up", t->link_up);
	json_age("handshake_age", t->handshake_age);
	json_uint("rx_bytes", t->rx_bytes);
	json_uint("tx_bytes", t->tx_bytes);
	json_close('}');
}

static void
json_session(const struct ctl_session_msg *m)
{
	json_open(NULL, '{');
	json_string("uuid", m->uuid);
	json_string("name", m->name);
	json_int("asn", m->asn);
	json_string("interface", m->ifname);
	json_string("protocol", m->protocol);
	json_string("cp_status", m->cp_status);
	json_string("state", m->state);
	json_age("state_age", m->since);
	json_int("retries", m->retries);
	json_bool("disabled", m->disabled);
	json_open("bgp", '{');
	json_string("state", m->bgp_state);
	json_string("info", m->bgp_info);
	json_age("age", m->bgp_since);
	json_open("routes_in", '{');
	json_int("ipv4", m->routes_in[0]);
	json_int("ipv6", m->routes_in[1]);
	json_close('}');
	json_open("routes_out", '{');
	json_int("ipv4", m->routes_out[0]);
	json_int("ipv6", m->routes_out[1]);
	json_close('}');
	json_close('}');
	json_age("handshake_age", m->handshake_age);
	json_key("rtt_ms");
	if (m->rtt_us < 0)
		printf("null");
	else
		printf("%lld.%03lld", (long long)(m->rtt_us / 1000),
		    (long long)(m->rtt_us % 1000));
	json_int("loss_pct", m->loss_pct);
	json_string("last_error", m->last_error);
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
		json_close(']');
	/* show wg's header opened the array of tunnels. */
	if (jtunnels)
		json_close(']');
	jtunnels = 0;
	json_close('}');
	putchar('\n');
}
