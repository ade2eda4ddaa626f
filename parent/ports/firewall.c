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
 * The firewall client.  After every change to the tunnels the parent
 * works out the whole set of UDP ports they listen on and sends it to
 * wgctl, which holds CAP_NET_ADMIN and does the nf_tables work; one
 * request at a time, the latest set winning.
 *
 * Until the session list and the mesh list have each been applied
 * once, the set is incomplete (a restarted agent knows no tunnel yet),
 * so wgctl only adds: rules of ours for ports not in the set, kept
 * from before the restart, are removed only once it is complete.
 * A router where the firewall cannot be managed gets one warning per
 * distinct reason; a tunnel never fails because of the firewall.
 */

#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "parent/core/route.h"
#include "parent/ports/firewall.h"
#include "parent/core/jw.h"
#include "parent/ports/wg.h"

static void	fw_run(int, short, void *);
static int	port_cmp(const void *, const void *);
static int	fw_enabled(void);
static int	legacy_in_use(void);

static struct fw_status	 st;
static struct event	 ev_run;
static int		 initialised, inflight, again, force;
static int		 done[FW_SRC_MAX];
static uint32_t		 req_id;
static struct fwmsg_ports sent;
static int		 have_sent;
static char		 warned[FWMSG_ERR_LEN];

static const char *const state_names[] = {
	"off", "pending", "active", "unused", "error"
};
static const char *const mode_names[] = {
	"auto", "iptables-nft", "nftables", "none"
};

const char *
firewall_state_name(enum fw_state s)
{
	return (size_t)s < sizeof(state_names) / sizeof(state_names[0]) ?
	    state_names[s] : "?";
}

const char *
firewall_mode_name(int m)
{
	return m >= 0 && m < FW_MODE_MAX ? mode_names[m] : "?";
}

static int
fw_enabled(void)
{
	return conf->fw_enabled && conf->fw_mode != FW_MODE_NONE;
}

void
firewall_init(void)
{
	if (initialised)
		return;
	initialised = 1;
	evtimer_set(&ev_run, fw_run, NULL);
	wg_on_ports_changed(firewall_changed);
	st.mode = conf->fw_mode;
	if (!fw_enabled()) {
		st.state = FW_ST_OFF;
		log_info("firewall: off (%s): the tunnels' ports are left to "
		    "the operator", conf->fw_enabled ? "firewall.mode none" :
		    "firewall.enabled false");
		return;
	}
	st.state = FW_ST_PENDING;
}

/* A request out or about to go: the status is not final yet. */
int
firewall_busy(void)
{
	return initialised && (inflight || evtimer_pending(&ev_run, NULL));
}

const struct fw_status *
firewall_status(void)
{
	if (!initialised)
		st.state = fw_enabled() ? FW_ST_PENDING : FW_ST_OFF;
	return &st;
}

/* Ports as ranges: "4242, 42001-42003". */
static size_t
ports_text(char *buf, size_t len, const uint16_t *ports, uint32_t n)
{
	size_t		 off = 0;
	uint32_t	 i, j;
	int		 w;

	buf[0] = '\0';
	for (i = 0; i < n && off < len; i = j + 1) {
		for (j = i; j + 1 < n && ports[j + 1] == ports[j] + 1; j++)
			;
		if (j == i)
			w = snprintf(buf + off, len - off, "%s%u",
			    i ? ", " : "", ports[i]);
		else
			w = snprintf(buf + off, len - off, "%s%u-%u",
			    i ? ", " : "", ports[i], ports[j]);
		if (w < 0)
			break;
		off += w;
	}
	return off;
}

/* moenetctl show firewall: for people. */
char *
firewall_text(void)
{
	const struct fw_status	*s = firewall_status();
	char			*buf, *p;
	size_t			 len = 1024 + FWMSG_PORTS_MAX * 8, off;
	uint32_t		 i;

	if ((buf = malloc(len)) == NULL)
		return NULL;
	off = snprintf(buf, len, "%-12s %s (mode %s)\n", "Firewall:",
	    firewall_state_name(s->state), firewall_mode_name(conf->fw_mode));
	if (s->state == FW_ST_OFF) {
		off += snprintf(buf + off, len - off, "%-12s none: the "
		    "tunnels' ports are left to the operator\n", "Rules:");
		return buf;
	}
	off += snprintf(buf + off, len - off, "%-12s ", "Chains:");
	for (i = 0; i < s->nchains; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
		    s->chains[i]);
	off += snprintf(buf + off, len - off, "%s\n", s->nchains ? "" :
	    s->state == FW_ST_UNUSED ? "none in use: nothing to open" :
	    "none");
	off += snprintf(buf + off, len - off, "%-12s ", "Open:");
	p = buf + off;
	off += ports_text(p, len - off - 64, s->ports, s->nports);
	off += snprintf(buf + off, len - off, "%s (%u of %u wanted)\n",
	    s->nports ? "" : "none", s->nports, s->nwanted);
	off += snprintf(buf + off, len - off, "%-12s %llu added, %llu "
	    "removed%s\n", "Rules:", (unsigned long long)s->added,
	    (unsigned long long)s->removed, s->complete ? "" :
	    "; leftovers kept until the tunnel lists are in");
	if (s->error[0] != '\0')
		snprintf(buf + off, len - off, "%-12s %s\n", "Error:",
		    s->error);
	return buf;
}

/* The "firewall" object of GET /status. */
void
firewall_json(struct jw *j)
{
	const struct fw_status	*s = firewall_status();
	uint32_t		 i;

	jw_open(j, "firewall", '{');
	jw_str(j, "state", firewall_state_name(s->state));
	jw_str(j, "mode", firewall_mode_name(conf->fw_mode));
	jw_open(j, "chains", '[');
	for (i = 0; i < s->nchains; i++)
		jw_str(j, NULL, s->chains[i]);
	jw_close(j, ']');
	jw_open(j, "ports", '[');
	for (i = 0; i < s->nports; i++)
		jw_uint(j, NULL, s->ports[i]);
	jw_close(j, ']');
	jw_bool(j, "complete", s->complete);
	jw_uint(j, "rules_added", s->added);
	jw_uint(j, "rules_removed", s->removed);
	jw_time(j, "last_change", s->last_change);
	jw_str(j, "last_error", s->error[0] != '\0' ? s->error : NULL);
	jw_close(j, '}');
}

/* What -n says the firewall will do. */
int
firewall_plan(const struct moenet_conf *c, char *buf, size_t len)
{
	const char	*what;

	if (!c->fw_enabled)
		what = "off (firewall.enabled false): opens nothing, touches "
		    "no rule";
	else switch (c->fw_mode) {
	case FW_MODE_IPTABLES:
		what = "iptables-nft: keeps the tunnels' UDP ports open in "
		    "ip and ip6 filter INPUT, rules commented "
		    "moenet-dn42-<port>";
		break;
	case FW_MODE_NFTABLES:
		what = "nftables: keeps the tunnels' UDP ports open in every "
		    "base input chain with a drop policy, rules commented "
		    "moenet-dn42-<port>";
		break;
	case FW_MODE_NONE:
		what = "none: opens nothing, touches no rule";
		break;
	default:
		what = "auto: keeps the tunnels' UDP ports open, rules "
		    "commented moenet-dn42-<port>, in ip and ip6 filter INPUT "
		    "(iptables-nft) and in the base input chains with a drop "
		    "policy (nftables); nothing where neither is in use";
		break;
	}
	return snprintf(buf, len, "firewall: %s", what);
}

void
firewall_changed(void)
{
	struct timeval	 tv = { 0, 0 };

	firewall_init();
	if (!fw_enabled()) {
		/* firewall.enabled false after a reload: hands off. */
		st.state = FW_ST_OFF;
		return;
	}
	if (st.state == FW_ST_OFF)
		st.state = FW_ST_PENDING;
	if (inflight) {
		again = 1;
		return;
	}
	if (!evtimer_pending(&ev_run, NULL))
		evtimer_add(&ev_run, &tv);
}

/*
 * A session or mesh sync applied a valid list: its tunnels are known.
 * Also the moment to put back rules someone removed.
 */
void
firewall_source_done(enum fw_source src)
{
	if (src >= FW_SRC_MAX)
		return;
	done[src] = 1;
	force = 1;
	firewall_changed();
}

/*
 * iptables-legacy's tables are not nf_tables: its rules cannot be seen
 * or changed over nf_tables netlink.  The kernel lists the x_tables
 * tables in use of this network namespace.
 */
static int
legacy_in_use(void)
{
	const char *const	 files[] = { "/proc/net/ip_tables_names",
				    "/proc/net/ip6_tables_names" };
	FILE			*f;
	char			 line[64];
	size_t			 i;
	int			 found = 0;

	for (i = 0; i < sizeof(files) / sizeof(files[0]) && !found; i++) {
		if ((f = fopen(files[i], "r")) == NULL)
			continue;
		while (fgets(line, sizeof(line), f) != NULL)
			if (strcmp(line, "filter\n") == 0)
				found = 1;
		fclose(f);
	}
	return found;
}

static int
port_cmp(const void *a, const void *b)
{
	uint16_t	 x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return x < y ? -1 : x > y;
}

static void
fw_run(int fd, short event, void *arg)
{
	static struct fwmsg_ports	 m;
	size_t				 n, i, j;
	int				 s;

	if (!fw_enabled() || inflight)
		return;
	memset(&m, 0, sizeof(m));
	m.mode = conf->fw_mode;
	for (m.prune = 1, s = 0; s < FW_SRC_MAX; s++)
		m.prune &= done[s];
	n = wg_listen_ports(m.ports, FWMSG_PORTS_MAX);
	qsort(m.ports, n, sizeof(m.ports[0]), port_cmp);
	for (i = j = 0; i < n; i++)
		if (j == 0 || m.ports[i] != m.ports[j - 1])
			m.ports[j++] = m.ports[i];
	m.nports = j;
	if (have_sent && !force && memcmp(&m, &sent, sizeof(m)) == 0)
		return;
	force = 0;
	sent = m;
	have_sent = 1;
	st.complete = m.prune;
	st.nwanted = m.nports;
	inflight = 1;
	parent_imsg_compose(PROC_WGCTL, IMSG_FW_PORTS, ++req_id, -1, &m,
	    sizeof(m));
}

/* Names from the kernel are shown, never interpreted: printable only. */
static void
sanitize(char *s, size_t len)
{
	size_t	 i;

	s[len - 1] = '\0';
	for (i = 0; s[i] != '\0'; i++)
		if (!isprint((unsigned char)s[i]))
			s[i] = '?';
}

static const struct route firewall_route_table[] = {
	{ IMSG_FW_RESULT, ROUTE_FROM(PROC_WGCTL),
	    sizeof(struct fwmsg_result), firewall_dispatch },
};

void
firewall_routes(void)
{
	route_add(firewall_route_table, sizeof(firewall_route_table) /
	    sizeof(firewall_route_table[0]));
}

void
firewall_dispatch(struct imsg *imsg)
{
	static struct fwmsg_result	 r;
	uint32_t			 i;
	char				 list[256];
	size_t				 off;

	if (imsg_get_data(imsg, &r, sizeof(r)) == -1)
		fatalx("%s: IMSG_FW_RESULT wrong length", __func__);
	if (!inflight || imsg_get_id(imsg) != req_id)
		fatalx("%s: IMSG_FW_RESULT for no request", __func__);
	if (r.err < 0 || r.nchains > FWMSG_CHAINS_MAX ||
	    r.nports > FWMSG_PORTS_MAX || r.added > FWMSG_PORTS_MAX *
	    FWMSG_CHAINS_MAX)
		fatalx("%s: malformed IMSG_FW_RESULT", __func__);
	sanitize(r.msg, sizeof(r.msg));
	for (i = 0; i < r.nchains; i++)
		sanitize(r.chains[i], sizeof(r.chains[i]));
	inflight = 0;

	if (r.err != 0) {
		st.state = FW_ST_ERROR;
		strlcpy(st.error, r.msg, sizeof(st.error));
		if (strcmp(warned, r.msg) != 0) {
			log_warnx("firewall: cannot manage the input chains: "
			    "%s; peers may not reach tunnels outside the "
			    "router's open ports: open them by hand, or set "
			    "firewall.enabled false", r.msg);
			strlcpy(warned, r.msg, sizeof(warned));
		}
		/* Tried again with the next change or sync. */
		have_sent = 0;
	} else if (r.nchains == 0) {
		if (st.state != FW_ST_UNUSED && legacy_in_use())
			log_warnx("firewall: iptables-legacy's filter table is "
			    "in use, which nf_tables cannot change: open the "
			    "tunnels' UDP ports by hand, or switch to "
			    "iptables-nft");
		else if (st.state != FW_ST_UNUSED)
			log_info("firewall: neither iptables-nft's filter "
			    "INPUT nor an nftables input chain with a drop "
			    "policy is in use (mode %s): nothing to open",
			    firewall_mode_name(conf->fw_mode));
		st.state = FW_ST_UNUSED;
		st.error[0] = '\0';
		warned[0] = '\0';
	} else {
		if (st.state != FW_ST_ACTIVE || st.nchains != r.nchains ||
		    memcmp(st.chains, r.chains, sizeof(st.chains)) != 0) {
			for (off = 0, list[0] = '\0', i = 0; i < r.nchains &&
			    off < sizeof(list); i++)
				off += snprintf(list + off, sizeof(list) - off,
				    "%s%s", i ? ", " : "", r.chains[i]);
			log_info("firewall: keeping the tunnels' ports open "
			    "in %s", list);
		}
		st.state = FW_ST_ACTIVE;
		st.error[0] = '\0';
		warned[0] = '\0';
	}
	st.mode = conf->fw_mode;
	st.nchains = r.nchains;
	memcpy(st.chains, r.chains, sizeof(st.chains));
	if (r.err == 0) {
		st.nports = r.nports;
		memcpy(st.ports, r.ports, sizeof(st.ports));
	}
	if (r.added > 0 || r.removed > 0) {
		st.added += r.added;
		st.removed += r.removed;
		st.last_change = time(NULL);
		log_info("firewall: %u rule%s added, %u removed; %u port%s "
		    "open", r.added, r.added == 1 ? "" : "s", r.removed,
		    r.nports, r.nports == 1 ? "" : "s");
	}
	if (again) {
		again = 0;
		firewall_changed();
	}
}
