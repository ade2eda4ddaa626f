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
 * show sessions and show session in moenetctl.  The agent sends first
 * what holds for every session (BIRD reachable or not), then each
 * session with its tunnel and its BIRD protocols; all is kept until the
 * end, so columns are as wide as their widest cell and filters see
 * whole records.  BIRD unreachable is said once, at the top, and the
 * columns only BIRD could fill are left out, not filled with "-".
 */

#include <sys/types.h>

#include <ctype.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "parent/outputs/ctl_err.h"
#include "parent/outputs/ctl_find.h"
#include "parent/outputs/ctl_json.h"
#include "parent/outputs/ctl_sessions.h"
#include "parent/outputs/ctl_text.h"
#include "parent/outputs/moenetctl.h"

#define SESS_PROTOS	3	/* <protocol>, or _v4 and _v6 */
#define NAME_MIN	8	/* columns the name keeps when cut */

struct srow {
	struct ctl_session_msg		 m;
	struct ctl_session_ext_msg	 x;
	struct ctl_proto_msg		 p[SESS_PROTOS];
	int				 has_x;
	int				 np;
};

enum col {
	C_NAME,
	C_UUID,
	C_ASN,
	C_PROTO,
	C_IFNAME,
	C_NEIGHBOR,
	C_CP,
	C_AGENT,
	C_STATE,
	C_BGP,
	C_SINCE,
	C_V4,
	C_V6,
	C_HANDSHAKE,
	C_RTT,
	C_ERROR,
	C_MAX
};

#define F_WIDE		0x01	/* with -w only */
#define F_NARROW	0x02	/* without -w only */
#define F_RIGHT		0x04	/* a number: right-aligned */
#define F_BIRD		0x08	/* only BIRD can fill it */

static const struct {
	const char	*head;
	int		 flags;
} cols[C_MAX] = {
	[C_NAME] =	{ "Session", 0 },
	[C_UUID] =	{ "UUID", F_WIDE },
	[C_ASN] =	{ "ASN", F_RIGHT },
	[C_PROTO] =	{ "Protocol", 0 },
	[C_IFNAME] =	{ "Interface", F_WIDE },
	[C_NEIGHBOR] =	{ "Neighbor", F_WIDE },
	[C_CP] =	{ "CP status", F_WIDE },
	[C_AGENT] =	{ "Agent", F_WIDE },
	[C_STATE] =	{ "State", F_NARROW },
	[C_BGP] =	{ "BGP", F_WIDE | F_BIRD },
	[C_SINCE] =	{ "Up/Down", F_RIGHT },
	[C_V4] =	{ "IPv4 in/out", F_RIGHT | F_BIRD },
	[C_V6] =	{ "IPv6 in/out", F_RIGHT | F_BIRD },
	[C_HANDSHAKE] =	{ "Handshake", F_WIDE | F_RIGHT },
	[C_RTT] =	{ "RTT", F_WIDE | F_RIGHT },
	[C_ERROR] =	{ "Last error", F_WIDE }
};

static struct srow		*srows;
static size_t			 nsrows;
static struct ctl_node_msg	 node;
static int			 has_node;
static int			 wide;
static const char		**filters;
static int			 nfilters;

static int	 bird_down(void);
static int	 bgp_known(const struct srow *);
static int	 is_up(const struct srow *);
static int	 contains(const char *, const char *);
static int	 filter_match(const struct srow *, const char *);
static int	 shown(const struct srow *);
static int	 col_on(int);
static void	 cell(const struct srow *, int, char *, size_t);
static void	 node_line(void);
static void	 table(void);
static void	 detail(const struct srow *);
static void	 detail_proto(const struct ctl_proto_msg *);
static void	 routes_text(const uint32_t *, const uint32_t *, char *,
		    size_t);
static void	 json_row(const struct srow *);
static void	 json_routes(const char *, const uint32_t *);

/* -w, and the words after "show sessions" (they must all match). */
void
ctl_sessions_options(int w, const char **f, int n)
{
	wide = w;
	filters = f;
	nfilters = n;
}

void
sess_reset(void)
{
	free(srows);
	srows = NULL;
	nsrows = 0;
	has_node = 0;
	memset(&node, 0, sizeof(node));
}

void
sess_node(const struct ctl_node_msg *n)
{
	if (has_node || nsrows > 0)
		errx(1, "IMSG_CTL_NODE: out of order");
	node = *n;
	node.bird_error[sizeof(node.bird_error) - 1] = '\0';
	has_node = 1;
}

void
sess_add(const struct ctl_session_msg *m)
{
	struct srow	*r;

	if ((r = reallocarray(srows, nsrows + 1, sizeof(*srows))) == NULL)
		err(1, "reallocarray");
	srows = r;
	r = &srows[nsrows++];
	memset(r, 0, sizeof(*r));
	r->m = *m;
}

void
sess_ext(const struct ctl_session_ext_msg *x)
{
	struct srow	*r;

	if (nsrows == 0 || srows[nsrows - 1].has_x ||
	    x->nprotos > SESS_PROTOS)
		errx(1, "IMSG_CTL_SESSION_EXT: out of order");
	r = &srows[nsrows - 1];
	r->x = *x;
	r->x.endpoint[sizeof(r->x.endpoint) - 1] = '\0';
	r->x.allowed[sizeof(r->x.allowed) - 1] = '\0';
	r->x.neighbor[sizeof(r->x.neighbor) - 1] = '\0';
	r->has_x = 1;
}

void
sess_proto(const struct ctl_proto_msg *p)
{
	struct srow		*r;
	struct ctl_proto_msg	*q;

	if (nsrows == 0 || !srows[nsrows - 1].has_x ||
	    srows[nsrows - 1].np >= (int)srows[nsrows - 1].x.nprotos)
		errx(1, "IMSG_CTL_SESSION_PROTO: out of order");
	r = &srows[nsrows - 1];
	q = &r->p[r->np++];
	*q = *p;
	q->name[sizeof(q->name) - 1] = '\0';
	q->state[sizeof(q->state) - 1] = '\0';
	q->bgp_state[sizeof(q->bgp_state) - 1] = '\0';
	q->info[sizeof(q->info) - 1] = '\0';
	q->neighbor[sizeof(q->neighbor) - 1] = '\0';
	q->last_error[sizeof(q->last_error) - 1] = '\0';
}

/* BIRD cannot be asked: no session's BGP is known. */
static int
bird_down(void)
{
	return has_node && !node.bird_connected;
}

static int
bgp_known(const struct srow *r)
{
	if (!has_node)
		return r->m.bgp_state[0] != '\0';
	return node.bird_connected && (node.bird_fresh ||
	    r->m.bgp_state[0] != '\0');
}

static int
is_up(const struct srow *r)
{
	return bgp_known(r) && strcmp(r->m.bgp_state, "Established") == 0;
}

/* ASCII letters of needle in s, either case. */
static int
contains(const char *s, const char *needle)
{
	size_t	 i, n = strlen(needle);

	for (; *s != '\0'; s++) {
		for (i = 0; i < n && s[i] != '\0'; i++)
			if (tolower((unsigned char)s[i]) !=
			    tolower((unsigned char)needle[i]))
				break;
		if (i == n)
			return 1;
	}
	return n == 0;
}

/*
 * up: BGP Established.  down: meant to be up (new, setup, active or in
 * error) and not Established, or its BGP not known.  error: the agent's
 * state, or an error it keeps.  An ASN, with or without "AS".  Anything
 * else: a piece of the name, BIRD protocol or interface.
 */
static int
filter_match(const struct srow *r, const char *f)
{
	const char	*st = r->m.state;
	uint32_t	 asn;

	if (strcmp(f, "up") == 0)
		return is_up(r);
	if (strcmp(f, "down") == 0)
		return !is_up(r) && (strcmp(st, "new") == 0 ||
		    strcmp(st, "setup") == 0 || strcmp(st, "active") == 0 ||
		    strcmp(st, "error") == 0);
	if (strcmp(f, "error") == 0)
		return strcmp(st, "error") == 0 || r->m.last_error[0] != '\0';
	if (ctl_parse_asn(f, &asn))
		return r->m.asn == asn;
	return contains(r->m.name, f) || contains(r->m.protocol, f) ||
	    contains(r->m.ifname, f);
}

static int
shown(const struct srow *r)
{
	int	 i;

	for (i = 0; i < nfilters; i++)
		if (!filter_match(r, filters[i]))
			return 0;
	return 1;
}

static int
col_on(int c)
{
	if ((cols[c].flags & F_WIDE) && !wide)
		return 0;
	if ((cols[c].flags & F_NARROW) && wide)
		return 0;
	if ((cols[c].flags & F_BIRD) && bird_down())
		return 0;
	return 1;
}

static void
cell(const struct srow *r, int c, char *buf, size_t len)
{
	const struct ctl_session_msg	*m = &r->m;
	char				 tmp[CTL_TEXT_LEN];
	int				 af;

	buf[0] = '\0';
	switch (c) {
	case C_NAME:
		printable(m->name[0] != '\0' ? m->name : m->uuid, buf, len);
		break;
	case C_UUID:
		printable(m->uuid, buf, len);
		break;
	case C_ASN:
		if (m->asn != 0)
			snprintf(buf, len, "%u", m->asn);
		break;
	case C_PROTO:
		printable(m->protocol, buf, len);
		break;
	case C_IFNAME:
		printable(m->ifname, buf, len);
		break;
	case C_NEIGHBOR:
		printable(r->x.neighbor, buf, len);
		break;
	case C_CP:
		printable(m->cp_status, buf, len);
		break;
	case C_AGENT:
		printable(m->state, buf, len);
		break;
	case C_STATE:
		/* BGP's word while the agent keeps it up; the agent's else. */
		if (strcmp(m->state, "active") == 0 && bgp_known(r) &&
		    m->bgp_state[0] != '\0')
			printable(m->bgp_state, buf, len);
		else
			printable(m->state, buf, len);
		break;
	case C_BGP:
		if (bgp_known(r))
			printable(m->bgp_state, buf, len);
		break;
	case C_SINCE:
		fmt_age(bgp_known(r) && m->bgp_since >= 0 ? m->bgp_since :
		    m->since, buf, len);
		break;
	case C_V4:
	case C_V6:
		af = c == C_V6;
		if (bgp_known(r) && m->bgp_state[0] != '\0')
			snprintf(buf, len, "%u/%u", m->routes_in[af],
			    m->routes_out[af]);
		break;
	case C_HANDSHAKE:
		fmt_age(m->handshake_age, buf, len);
		break;
	case C_RTT:
		fmt_rtt(m->rtt_us, buf, len);
		break;
	case C_ERROR:
		strlcpy(buf, printable(m->last_error, tmp, sizeof(tmp)), len);
		break;
	}
	if (buf[0] == '\0')
		strlcpy(buf, "-", len);
}

static void
node_line(void)
{
	char	 buf[CTL_TEXT_LEN];

	if (!has_node)
		return;
	if (!node.bird_enabled)
		printf("BIRD: no control socket configured; BGP state "
		    "unknown\n\n");
	else if (!node.bird_connected)
		printf("BIRD: unreachable (%s); BGP state and routes "
		    "unknown\n\n", printable(node.bird_error, buf,
		    sizeof(buf)));
	else if (!node.bird_fresh)
		printf("BIRD: no answer (%s); BGP state as last seen\n\n",
		    printable(node.bird_error, buf, sizeof(buf)));
}

static void
table(void)
{
	char	 buf[CTL_TEXT_LEN], cut[CTL_TEXT_LEN];
	size_t	 i, w[C_MAX], total = 0, over;
	int	 c, last = 0, n = 0;

	for (c = 0; c < C_MAX; c++) {
		w[c] = 0;
		if (!col_on(c))
			continue;
		w[c] = width(cols[c].head);
		for (i = 0; i < nsrows; i++) {
			if (!shown(&srows[i]))
				continue;
			cell(&srows[i], c, buf, sizeof(buf));
			if (width(buf) > w[c])
				w[c] = width(buf);
		}
		total += w[c] + (n++ > 0 ? 2 : 0);
		last = c;
	}
	/* Too wide for the default: the name gives way, then the protocol. */
	if (!wide && total > CTL_TABLE_WIDTH) {
		over = total - CTL_TABLE_WIDTH;
		for (c = C_NAME; c <= C_PROTO && over > 0; c += C_PROTO) {
			if (w[c] <= NAME_MIN)
				continue;
			i = w[c] - NAME_MIN < over ? w[c] - NAME_MIN : over;
			w[c] -= i;
			over -= i;
		}
	}
	for (c = 0; c < C_MAX; c++) {
		if (!col_on(c))
			continue;
		if (c == last)
			printf("%s\n", cols[c].head);
		else {
			pad(cols[c].head, w[c], cols[c].flags & F_RIGHT);
			printf("  ");
		}
	}
	for (i = 0; i < nsrows; i++) {
		if (!shown(&srows[i]))
			continue;
		for (c = 0; c < C_MAX; c++) {
			if (!col_on(c))
				continue;
			cell(&srows[i], c, buf, sizeof(buf));
			/* The last column unpadded, and whole with -w. */
			if (c == last && !(cols[c].flags & F_RIGHT) &&
			    (wide || width(buf) <= w[c])) {
				printf("%s\n", buf);
				continue;
			}
			pad(fit(buf, w[c], cut, sizeof(cut)), w[c],
			    cols[c].flags & F_RIGHT);
			printf("%s", c == last ? "\n" : "  ");
		}
	}
}

static void
routes_text(const uint32_t *in, const uint32_t *out, char *buf, size_t len)
{
	snprintf(buf, len, "IPv4 %u in, %u out; IPv6 %u in, %u out", in[0],
	    out[0], in[1], out[1]);
}

static void
detail_proto(const struct ctl_proto_msg *p)
{
	char	 b1[CTL_TEXT_LEN], b2[64];

	printf("  Protocol %s: %s", printable(p->name, b1, sizeof(b1)),
	    printable(p->state, b2, sizeof(b2)));
	if (p->bgp_state[0] != '\0')
		printf(", %s", printable(p->bgp_state, b1, sizeof(b1)));
	if (p->since_age >= 0)
		printf(" for %s", fmt_age(p->since_age, b2, sizeof(b2)));
	printf("\n");
	printf("    %-13s %s", "Neighbor:", printable(p->neighbor, b1,
	    sizeof(b1)));
	if (p->neighbor_as != 0)
		printf(", AS%u", p->neighbor_as);
	printf("\n");
	/* BIRD's Info column: the down reason while not Established. */
	if (strcmp(p->bgp_state, "Established") != 0)
		printf("    %-13s %s\n", "Down reason:", printable(p->info, b1,
		    sizeof(b1)));
	printf("    %-13s %s\n", "Last error:", printable(p->last_error, b1,
	    sizeof(b1)));
	if (p->hold_time != 0 || p->keepalive_time != 0)
		printf("    %-13s hold %u s (%u.%01u s left), keepalive %u s "
		    "(%u.%01u s left)\n", "Timers:", p->hold_time,
		    p->hold_left_ms / 1000, p->hold_left_ms % 1000 / 100,
		    p->keepalive_time, p->keepalive_left_ms / 1000,
		    p->keepalive_left_ms % 1000 / 100);
	else
		printf("    %-13s -\n", "Timers:");
	if (p->nchannels > 0) {
		routes_text(p->routes_in, p->routes_out, b1, sizeof(b1));
		printf("    %-13s %s\n", "Routes:", b1);
	}
}

static void
detail(const struct srow *r)
{
	const struct ctl_session_msg	*m = &r->m;
	const struct ctl_session_ext_msg *x = &r->x;
	char				 b1[CTL_TEXT_LEN], b2[CTL_TEXT_LEN];
	int				 i;

	printf("Session %s (%s)\n", printable(m->name, b1, sizeof(b1)),
	    printable(m->uuid, b2, sizeof(b2)));
	cell(r, C_ASN, b1, sizeof(b1));
	printf("  %-15s %s\n", "ASN:", b1);
	printf("  %-15s %s\n", "Interface:", printable(m->ifname, b1,
	    sizeof(b1)));
	printf("  %-15s %s\n", "BIRD protocol:", printable(m->protocol, b1,
	    sizeof(b1)));
	printf("  %-15s %s\n", "Neighbor:", printable(x->neighbor, b1,
	    sizeof(b1)));
	printf("  %-15s %s\n", "CP status:", printable(m->cp_status, b1,
	    sizeof(b1)));
	printf("  %-15s %s for %s, %u retries\n", "State:",
	    printable(m->state, b1, sizeof(b1)),
	    fmt_age(m->since, b2, sizeof(b2)), m->retries);
	if (!bgp_known(r))
		printf("  %-15s unknown (BIRD)\n", "BGP:");
	else {
		printf("  %-15s %s", "BGP:", printable(m->bgp_state, b1,
		    sizeof(b1)));
		if (m->bgp_since >= 0)
			printf(" for %s", fmt_age(m->bgp_since, b2,
			    sizeof(b2)));
		if (m->bgp_info[0] != '\0' &&
		    strcmp(m->bgp_info, m->bgp_state) != 0)
			printf(", %s", printable(m->bgp_info, b2, sizeof(b2)));
		printf("\n");
	}
	printf("  %-15s %u", "State changes:", x->bgp_changes);
	if (x->bgp_changed_age >= 0)
		printf(", the last %s ago", fmt_age(x->bgp_changed_age, b1,
		    sizeof(b1)));
	printf("\n");
	if (bgp_known(r) && m->bgp_state[0] != '\0') {
		routes_text(m->routes_in, m->routes_out, b1, sizeof(b1));
		printf("  %-15s %s\n", "Routes:", b1);
	} else
		printf("  %-15s -\n", "Routes:");
	printf("  %-15s %s\n", "Last error:", printable(m->last_error, b1,
	    sizeof(b1)));
	for (i = 0; i < r->np; i++)
		detail_proto(&r->p[i]);
	printf("  Tunnel\n");
	printf("    %-13s %s\n", "Endpoint:", x->endpoint[0] != '\0' ?
	    printable(x->endpoint, b1, sizeof(b1)) : "none (passive)");
	if (x->listen_port != 0)
		printf("    %-13s %u\n", "Listen port:", x->listen_port);
	else
		printf("    %-13s -\n", "Listen port:");
	if (x->mtu != 0)
		printf("    %-13s %u\n", "MTU:", x->mtu);
	else
		printf("    %-13s -\n", "MTU:");
	printf("    %-13s %s\n", "Allowed IPs:", printable(x->allowed, b1,
	    sizeof(b1)));
	printf("    %-13s %s\n", "Handshake:", m->handshake_age < 0 ?
	    "never" : fmt_age(m->handshake_age, b1, sizeof(b1)));
	if (x->wg_known)
		printf("    %-13s %llu bytes in, %llu bytes out\n", "Transfer:",
		    (unsigned long long)x->rx_bytes,
		    (unsigned long long)x->tx_bytes);
	else
		printf("    %-13s -\n", "Transfer:");
	if (m->rtt_us < 0)
		printf("    %-13s -\n", "RTT:");
	else
		printf("    %-13s %s, %u%% loss\n", "RTT:",
		    fmt_rtt(m->rtt_us, b1, sizeof(b1)), m->loss_pct);
}

void
sess_show_tail(enum ctl_action action)
{
	size_t	 i;
	int	 n = 0;

	node_line();
	if (action == CTL_SHOW_SESSIONS)
		table();
	else
		for (i = 0; i < nsrows; i++) {
			if (n++ > 0)
				printf("\n");
			detail(&srows[i]);
		}
	sess_reset();
}

static void
json_routes(const char *key, const uint32_t *v)
{
	json_open(key, '{');
	json_uint("ipv4", v[0]);
	json_uint("ipv6", v[1]);
	json_close('}');
}

static void
json_row(const struct srow *r)
{
	const struct ctl_session_msg	*m = &r->m;
	const struct ctl_session_ext_msg *x = &r->x;
	const struct ctl_proto_msg	*p;
	char				 allowed[CTL_INFO_LEN], *a, *next;
	int				 i;

	json_open(NULL, '{');
	json_string("uuid", m->uuid);
	json_string_null("name", m->name);
	json_nonzero("asn", m->asn);
	json_string_null("interface", m->ifname);
	json_string_null("protocol", m->protocol);
	json_string_null("neighbor", x->neighbor);
	json_string_null("cp_status", m->cp_status);
	json_string("state", m->state);
	json_age("state_age", m->since);
	json_uint("retries", m->retries);
	json_string_null("last_error", m->last_error);
	/* No BIRD to ask, or no protocol to ask it about. */
	if (!bgp_known(r) || m->protocol[0] == '\0')
		json_null("bgp");
	else {
		json_open("bgp", '{');
		json_string_null("state", m->bgp_state);
		json_string_null("info", m->bgp_info);
		json_age("age", m->bgp_since);
		json_routes("routes_in", m->routes_in);
		json_routes("routes_out", m->routes_out);
		json_close('}');
	}
	json_uint("bgp_changes", x->bgp_changes);
	json_age("bgp_changed_age", x->bgp_changed_age);
	json_open("protocols", '[');
	for (i = 0; i < r->np; i++) {
		p = &r->p[i];
		json_open(NULL, '{');
		json_string("name", p->name);
		json_string_null("state", p->state);
		json_string_null("bgp_state", p->bgp_state);
		json_string_null("info", p->info);
		json_string_null("neighbor", p->neighbor);
		json_nonzero("neighbor_as", p->neighbor_as);
		json_string_null("last_error", p->last_error);
		json_age("age", p->since_age);
		json_nonzero("hold_time", p->hold_time);
		json_age("hold_left_ms", p->hold_time != 0 ?
		    (int64_t)p->hold_left_ms : -1);
		json_nonzero("keepalive_time", p->keepalive_time);
		json_age("keepalive_left_ms", p->keepalive_time != 0 ?
		    (int64_t)p->keepalive_left_ms : -1);
		if (p->nchannels > 0) {
			json_routes("routes_in", p->routes_in);
			json_routes("routes_out", p->routes_out);
		} else {
			json_null("routes_in");
			json_null("routes_out");
		}
		json_close('}');
	}
	json_close(']');
	json_open("tunnel", '{');
	json_string_null("endpoint", x->endpoint);
	json_nonzero("listen_port", x->listen_port);
	json_nonzero("mtu", x->mtu);
	json_open("allowed_ips", '[');
	strlcpy(allowed, x->allowed, sizeof(allowed));
	for (a = allowed; a != NULL && *a != '\0'; a = next) {
		if ((next = strstr(a, ", ")) != NULL) {
			*next = '\0';
			next += 2;
		}
		json_string(NULL, a);
	}
	json_close(']');
	json_bool("link_up", x->link_up);
	json_age("rx_bytes", x->wg_known ? (int64_t)x->rx_bytes : -1);
	json_age("tx_bytes", x->wg_known ? (int64_t)x->tx_bytes : -1);
	json_close('}');
	json_age("handshake_age", m->handshake_age);
	json_key("rtt_ms");
	if (m->rtt_us < 0)
		printf("null");
	else
		printf("%lld.%03lld", (long long)(m->rtt_us / 1000),
		    (long long)(m->rtt_us % 1000));
	json_age("loss_pct", m->rtt_us < 0 ? -1 : (int64_t)m->loss_pct);
	json_close('}');
}

void
sess_json_tail(enum ctl_action action)
{
	size_t	 i;

	json_open("bird", '{');
	json_bool("enabled", has_node ? node.bird_enabled : 1);
	json_bool("connected", has_node ? node.bird_connected : 1);
	json_bool("fresh", has_node && node.bird_fresh);
	json_string_null("error", has_node ? node.bird_error : "");
	json_close('}');
	json_open("sessions", '[');
	for (i = 0; i < nsrows; i++)
		if (shown(&srows[i]))
			json_row(&srows[i]);
	json_close(']');
	sess_reset();
}
