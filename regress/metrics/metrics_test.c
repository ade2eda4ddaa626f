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
 * parent/tasks/metrics.c with the rest of the parent replaced by the few
 * functions it calls: sessions built here, BIRD's and wgctl's answers
 * handed to its callbacks as the real modules would, the report it
 * posts caught.  Then the exposition, checked line by line and by
 * "promtool check metrics", hostile session names included.
 */

#include <sys/types.h>
#include <sys/tree.h>
#include <sys/wait.h>

#include <event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "cp.h"
#include "cpctl.h"
#include "parent/core/parent.h"
#include "parent/ports/cpclient.h"
#include "parent/core/session.h"
#include "parent/ports/apply.h"
#include "parent/ports/bird.h"
#include "parent/ports/wg.h"
#include "parent/core/sched.h"
#include "parent/tasks/engine.h"
#include "parent/tasks/maint.h"
#include "parent/tasks/metrics.h"
#include "regress.h"

#define HOSTILE	"we\"ird\\na\nme \xc3\xa9\xff\tend"

struct moenet_conf	*conf;

/* The stand-ins, and what they saw. */
static struct bird_state	 bstate;
static struct cp_stats		 cstats;
static uint64_t			 acount[APPLY_NSTATUS];
static bird_cb			 bird_pending;
static void			*bird_arg;
static wg_stats_cb		 wg_pending;
static void			*wg_arg;
static cp_cb			 cp_pending;
static void			*cp_arg;
static struct cp_report_msg	 rep_head;
static struct cp_report_session_msg rep[16];
static size_t			 nrep;
static int			 nreports, ndone, bird_cmds;
static uint32_t			 bird_cmd_type;
static char			 bird_cmd_name[BIRD_NAME_LEN];
static int			 warnings_bird, infos_bird;
static int			 maint;

const struct bird_state *
bird_state(void)
{
	return &bstate;
}

int
bird_cmd(enum bird_cmd_type type, const char *name, uint32_t timeout,
    bird_cb cb, void *arg)
{
	if (!bstate.connected)
		return -1;
	bird_cmds++;
	bird_cmd_type = type;
	strlcpy(bird_cmd_name, name == NULL ? "" : name,
	    sizeof(bird_cmd_name));
	bird_pending = cb;
	bird_arg = arg;
	return 0;
}

int
bird_answer_ok(const struct bird_answer *a)
{
	return !a->failed && a->result != NULL &&
	    a->result->outcome == BIRD_OUT_OK;
}

int
wg_tunnel_stats(wg_stats_cb cb, void *arg)
{
	wg_pending = cb;
	wg_arg = arg;
	return 0;
}

uint32_t
cp_report(const struct cp_report_msg *h, const struct cp_report_session_msg *s,
    size_t n, cp_cb cb, void *arg)
{
	rep_head = *h;
	nrep = n < 16 ? n : 16;
	memcpy(rep, s, nrep * sizeof(*s));
	nreports++;
	cp_pending = cb;
	cp_arg = arg;
	return 1;
}

const struct cp_stats *
cp_stats(void)
{
	return &cstats;
}

const uint64_t *
apply_counters(void)
{
	return acount;
}

int
maint_get(void)
{
	return maint;
}

void
sched_done(struct sched_task *t)
{
	ndone++;
}

static void
sink(int pri, const char *line)
{
	printf("# log: %s\n", line);
	if (strstr(line, "metrics: BIRD") == NULL)
		return;
	if (pri != LOG_INFO)
		warnings_bird++;
	else
		infos_bird++;
}

/* The BIRD side. */

static void
chan(struct bird_proto_msg *p, const char *af, uint32_t in, uint32_t out)
{
	struct bird_channel_msg	*c = &p->channels[p->nchannels++];

	strlcpy(c->name, af, sizeof(c->name));
	strlcpy(c->state, "UP", sizeof(c->state));
	c->imported = in;
	c->exported = out;
	c->flags = BIRD_CHAN_ROUTES;
}

static void
proto(struct bird_proto_msg *p, const char *name, const char *state,
    const char *info, uint32_t bgp)
{
	memset(p, 0, sizeof(*p));
	strlcpy(p->name, name, sizeof(p->name));
	strlcpy(p->proto, "BGP", sizeof(p->proto));
	strlcpy(p->state, state, sizeof(p->state));
	strlcpy(p->info, info, sizeof(p->info));
	strlcpy(p->bgp_state, bgp == BIRD_BGP_ESTABLISHED ? "Established" :
	    "Active", sizeof(p->bgp_state));
	p->bgp_state_code = bgp;
	p->since_unix = 1800000000;
	p->flags = BIRD_PROTO_DETAILS | BIRD_PROTO_BGP;
}

static struct session *
mksession(const char *uuid, const char *name, uint32_t asn,
    const char *ifname, const char *protocol, uint32_t flags, int applied,
    enum session_state state)
{
	struct session	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		abort();
	strlcpy(s->desired.uuid, uuid, sizeof(s->desired.uuid));
	strlcpy(s->desired.name, name, sizeof(s->desired.name));
	strlcpy(s->desired.ifname, ifname, sizeof(s->desired.ifname));
	s->desired.asn = asn;
	s->desired.flags = flags | CP_SESS_HAS_STATUS;
	s->state = state;
	s->applied = applied;
	if (applied) {
		strlcpy(s->ifname, ifname, sizeof(s->ifname));
		strlcpy(s->protocol, protocol, sizeof(s->protocol));
	}
	s->observed.rtt_ms = -1;
	RB_INSERT(session_tree, &sessions, s);
	return s;
}

static const struct cp_report_session_msg *
record(const char *name)
{
	size_t	 i;

	for (i = 0; i < nrep; i++)
		if (strcmp(rep[i].name, name) == 0)
			return &rep[i];
	return NULL;
}

static char *
render(void)
{
	char	*buf;
	size_t	 len;

	if (metrics_prometheus(&buf, &len) == -1) {
		REGRESS_FAIL("metrics_render", "metrics_prometheus failed");
		exit(1);
	}
	if (strlen(buf) != len || len == 0 || buf[len - 1] != '\n') {
		REGRESS_FAIL("metrics_render", "not text ending in a newline");
		exit(1);
	}
	return buf;
}

static int
has(const char *text, const char *line)
{
	const char	*p = text;
	size_t		 n = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

static int
has_prefix(const char *text, const char *prefix)
{
	const char	*p = text;
	size_t		 n = strlen(prefix);

	while ((p = strstr(p, prefix)) != NULL) {
		if (p == text || p[-1] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

/* "promtool check metrics" on text: 1 clean, 0 not, -1 no promtool. */
static int
promtool(const char *name, const char *text)
{
	char	 path[] = "/tmp/metrics_test.XXXXXX", cmd[512];
	FILE	*f;
	int	 fd, rc;

	if (system("command -v promtool >/dev/null 2>&1") != 0)
		return -1;
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		return 0;
	fputs(text, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "promtool check metrics <%s >%s.out 2>&1",
	    path, path);
	rc = system(cmd);
	if (rc != 0) {
		printf("# %s: promtool says:\n", name);
		snprintf(cmd, sizeof(cmd), "sed 's/^/#   /' %s.out; "
		    "sed 's/^/#   | /' %s", path, path);
		if (system(cmd) != 0)
			printf("# (cannot show it)\n");
	}
	snprintf(cmd, sizeof(cmd), "%s.out", path);
	unlink(cmd);
	unlink(path);
	return WIFEXITED(rc) && WEXITSTATUS(rc) == 0;
}

static void
check_promtool(const char *name, const char *text)
{
	int	 r = promtool(name, text);

	if (r == -1)
		REGRESS_SKIP(name, "promtool not installed (Debian: prometheus)");
	else if (r == 1)
		REGRESS_OK(name);
	else
		REGRESS_FAIL(name, "promtool check metrics refused the text");
}

int
main(void)
{
	struct moenet_conf	 c;
	struct sched_task	 task;
	struct bird_proto_msg	 p[5];
	struct bird_result_msg	 res;
	struct bird_answer	 a;
	struct wg_tunnel_stats	 st[3];
	struct cp_result_msg	 cr;
	struct session		*s1, *s2, *s3;
	const struct cp_report_session_msg *r;
	time_t			 now = time(NULL);
	char			*text;

	event_init();
	log_init(1, LOG_DAEMON);
	log_setsink(sink);
	memset(&c, 0, sizeof(c));
	strlcpy(c.node_name, "r1", sizeof(c.node_name));
	conf = &c;
	memset(&task, 0, sizeof(task));

	/* Nothing yet: the agent's own series only, and valid. */
	text = render();
	REGRESS_CHECK("metrics_empty_build_info", has(text,
	    "moenet_agent_build_info{version=\"" MOENET_VERSION "\"} 1"));
	REGRESS_CHECK("metrics_empty_up", has(text, "moenet_agent_up 1"));
	REGRESS_CHECK("metrics_empty_states_zero",
	    has(text, "moenet_sessions{state=\"active\"} 0") &&
	    has(text, "moenet_sessions{state=\"disabled\"} 0"));
	REGRESS_CHECK("metrics_empty_bird_down", has(text, "moenet_bird_up 0"));
	REGRESS_CHECK("metrics_empty_maintenance_off",
	    has(text, "moenet_maintenance 0"));
	REGRESS_CHECK("metrics_empty_no_session_series",
	    strstr(text, "moenet_session_") == NULL &&
	    strstr(text, "moenet_wg_") == NULL);
	REGRESS_CHECK("metrics_empty_no_success_time",
	    strstr(text, "last_success_timestamp") == NULL);
	check_promtool("metrics_empty_promtool", text);
	free(text);

	/* No applied session: nothing asked, nothing posted, task done. */
	metrics_run(&task);
	REGRESS_CHECK("metrics_idle_run", ndone == 1 && nreports == 0 &&
	    wg_pending == NULL);

	/*
	 * s1: MP-BGP, Established, both families.  s2: hostile name, one
	 * protocol per family, v6 not up; tunnel never shook hands; every
	 * RTT probe lost.  s3: applied, but BIRD lacks it, and wgctl does
	 * not know the tunnel.  s4: waiting for approval, nothing applied.
	 */
	s1 = mksession("s1", "peer one", 4242420001U, "dn42_1", "dn42_1",
	    CP_SESS_MPBGP | CP_SESS_HAS_LL, 1, SESSION_ACTIVE);
	s2 = mksession("s2", HOSTILE, 4242420002U, "dn42_2", "dn42_2",
	    CP_SESS_HAS_IPV4 | CP_SESS_HAS_IPV6, 1, SESSION_ACTIVE);
	s3 = mksession("s3", "gone", 64512, "dn42_3", "dn42_3",
	    CP_SESS_MPBGP | CP_SESS_HAS_IPV6, 1, SESSION_ERROR);
	(void)mksession("s4", "later", 64513, "dn42_4", "", 0, 0,
	    SESSION_PENDING);
	s1->observed.rtt_ms = 12.5;
	s1->observed.loss = 25;
	s2->observed.loss = 100;
	bstate.connected = 1;
	cstats.count[CP_EP_SESSIONS][CP_RES_OK] = 7;
	cstats.count[CP_EP_REPORT][CP_RES_TIMEOUT] = 2;
	cstats.last_success[CP_EP_SESSIONS] = 1800000100;
	cstats.breaker = 2;
	acount[APPLY_OK] = 3;
	acount[APPLY_UNCHANGED] = 9;
	acount[APPLY_ERR_CHECK] = 1;
	maint = 1;

	metrics_run(&task);
	REGRESS_CHECK("metrics_asks_wgctl_first", wg_pending != NULL &&
	    bird_pending == NULL);
	memset(st, 0, sizeof(st));
	strlcpy(st[0].ifname, "dn42_2", sizeof(st[0].ifname));
	st[0].present = 1;
	st[0].link_up = 1;
	st[0].rx_bytes = 1000;
	st[0].tx_bytes = 2000;
	strlcpy(st[1].ifname, "dn42_1", sizeof(st[1].ifname));
	st[1].present = 1;
	st[1].link_up = 1;
	st[1].last_handshake = now - 42;
	st[1].rx_bytes = 123456789012ULL;
	st[1].tx_bytes = 42;
	wg_pending(st, 2, wg_arg);
	REGRESS_CHECK("metrics_then_bird", bird_pending != NULL &&
	    bird_cmd_type == BIRD_CMD_SHOW_PROTOCOLS_ALL &&
	    bird_cmd_name[0] == '\0');

	proto(&p[0], "dn42_2_v6", "start", "Active        Socket: Connection "
	    "refused", BIRD_BGP_ACTIVE);
	proto(&p[1], "dn42_1", "up", "Established   ", BIRD_BGP_ESTABLISHED);
	chan(&p[1], "ipv4", 1, 2);
	chan(&p[1], "ipv6", 3, 4);
	proto(&p[2], "dn42_2_v4", "up", "Established", BIRD_BGP_ESTABLISHED);
	chan(&p[2], "ipv4", 5, 6);
	proto(&p[3], "device1", "up", "", BIRD_BGP_NONE);
	p[3].flags = BIRD_PROTO_DETAILS;
	strlcpy(p[3].proto, "Device", sizeof(p[3].proto));
	proto(&p[4], "dn42_9", "up", "Established", BIRD_BGP_ESTABLISHED);
	chan(&p[2 + 2], "ipv6", 100, 100);
	memset(&res, 0, sizeof(res));
	res.cmd = BIRD_CMD_SHOW_PROTOCOLS_ALL;
	res.outcome = BIRD_OUT_OK;
	memset(&a, 0, sizeof(a));
	a.cmd = BIRD_CMD_SHOW_PROTOCOLS_ALL;
	a.result = &res;
	a.protos = p;
	a.nprotos = 5;
	a.text = "0000";
	bird_pending(&a, bird_arg);

	REGRESS_CHECK("metrics_report_posted", nreports == 1 &&
	    strcmp(rep_head.node_id, "r1") == 0 && rep_head.count == nrep &&
	    nrep == 4 && ndone == 1);
	r = record("dn42_1");
	REGRESS_CHECK("metrics_report_mpbgp", r != NULL &&
	    strcmp(r->uuid, "s1") == 0 && strcmp(r->state, "up") == 0 &&
	    strcmp(r->info, "Established") == 0 &&
	    r->routes_imported == 4 && r->routes_exported == 6 &&
	    (r->flags & CP_RS_HAS_AF) && r->ipv4_imported == 1 &&
	    r->ipv6_exported == 4);
	REGRESS_CHECK("metrics_report_handshake", r != NULL &&
	    (r->flags & CP_RS_HAS_HANDSHAKE) && r->handshake_age >= 42 &&
	    r->handshake_age < 60);
	REGRESS_CHECK("metrics_report_rtt", r != NULL &&
	    (r->flags & CP_RS_HAS_RTT) && r->rtt_us == 12500 && r->loss == 25);
	r = record("dn42_2_v6");
	REGRESS_CHECK("metrics_report_separate_v6", r != NULL &&
	    strcmp(r->uuid, "s2") == 0 && strcmp(r->state, "start") == 0 &&
	    strcmp(r->info, "Active Socket: Connection refused") == 0 &&
	    r->routes_imported == 0 && !(r->flags & CP_RS_HAS_HANDSHAKE));
	REGRESS_CHECK("metrics_report_all_lost", r != NULL &&
	    (r->flags & CP_RS_HAS_RTT) && r->rtt_us == -1 && r->loss == 100);
	r = record("dn42_2_v4");
	REGRESS_CHECK("metrics_report_separate_v4", r != NULL &&
	    strcmp(r->info, "Established") == 0 && r->routes_imported == 5 &&
	    r->ipv4_exported == 6);
	r = record("dn42_3");
	REGRESS_CHECK("metrics_report_missing", r != NULL &&
	    strcmp(r->state, "missing") == 0 && !(r->flags & (CP_RS_HAS_RTT |
	    CP_RS_HAS_HANDSHAKE | CP_RS_HAS_AF)));
	REGRESS_CHECK("metrics_report_not_others", record("dn42_9") == NULL &&
	    record("device1") == NULL && record("dn42_4") == NULL);

	REGRESS_CHECK("metrics_observed_up",
	    strcmp(s1->observed.bgp_state, "Established") == 0 &&
	    s1->observed.routes_in[0] == 1 && s1->observed.routes_in[1] == 3 &&
	    s1->observed.wg_rx == 123456789012ULL && s1->observed.link_up &&
	    s1->observed.bird_since == 1800000000);
	REGRESS_CHECK("metrics_observed_worst",
	    strcmp(s2->observed.bgp_state, "Active") == 0 &&
	    strcmp(s2->observed.bird_info,
	    "dn42_2_v6: Active Socket: Connection refused") == 0 &&
	    s2->observed.routes_in[0] == 5 && s2->observed.routes_out[0] == 6);
	REGRESS_CHECK("metrics_observed_missing",
	    s3->observed.bgp_state[0] == '\0' &&
	    strstr(s3->observed.bird_info, "not in BIRD") != NULL);

	memset(&cr, 0, sizeof(cr));
	cr.endpoint = CP_EP_REPORT;
	cr.result = CP_RES_OK;
	cp_pending(&cr, NULL, cp_arg);
	REGRESS_CHECK("metrics_task_done_after_post", ndone == 2);

	text = render();
	REGRESS_CHECK("metrics_states", has(text,
	    "moenet_sessions{state=\"active\"} 2") &&
	    has(text, "moenet_sessions{state=\"error\"} 1") &&
	    has(text, "moenet_sessions{state=\"pending\"} 1") &&
	    has(text, "moenet_sessions{state=\"new\"} 0"));
	REGRESS_CHECK("metrics_bgp_up", has(text,
	    "moenet_session_bgp_up{session=\"s1\",protocol=\"dn42_1\","
	    "name=\"peer one\","
	    "asn=\"4242420001\",interface=\"dn42_1\"} 1") &&
	    has(text, "moenet_session_bgp_up{session=\"s3\","
	    "protocol=\"dn42_3\",name=\"gone\","
	    "asn=\"64512\",interface=\"dn42_3\"} 0"));
	REGRESS_CHECK("metrics_hostile_label", has(text,
	    "moenet_session_bgp_up{session=\"s2\",protocol=\"dn42_2\","
	    "name=\"we\\\"ird\\\\na\\nme "
	    "\xc3\xa9\xef\xbf\xbd\tend\",asn=\"4242420002\","
	    "interface=\"dn42_2\"} 0"));
	REGRESS_CHECK("metrics_no_raw_newline_in_label",
	    strstr(text, "a\nme") == NULL);
	REGRESS_CHECK("metrics_routes", has(text,
	    "moenet_session_routes{session=\"s1\",protocol=\"dn42_1\","
	    "af=\"ipv6\","
	    "direction=\"exported\"} 4") &&
	    has(text, "moenet_session_routes{session=\"s2\","
	    "protocol=\"dn42_2\",af=\"ipv4\","
	    "direction=\"imported\"} 5") &&
	    has(text, "moenet_session_routes{session=\"s3\","
	    "protocol=\"dn42_3\",af=\"ipv4\","
	    "direction=\"imported\"} 0"));
	REGRESS_CHECK("metrics_rtt_only_known", has(text,
	    "moenet_session_rtt_seconds{session=\"s1\",protocol=\"dn42_1\"} "
	    "0.012500") &&
	    !has_prefix(text, "moenet_session_rtt_seconds{session=\"s2\"") &&
	    !has_prefix(text, "moenet_session_rtt_seconds{session=\"s3\""));
	REGRESS_CHECK("metrics_loss_only_known", has(text,
	    "moenet_session_packet_loss_ratio{session=\"s1\","
	    "protocol=\"dn42_1\"} 0.2500") &&
	    has(text, "moenet_session_packet_loss_ratio{session=\"s2\","
	    "protocol=\"dn42_2\"} "
	    "1.0000") &&
	    !has_prefix(text, "moenet_session_packet_loss_ratio{session=\"s3\""));
	REGRESS_CHECK("metrics_handshake_only_known",
	    has_prefix(text, "moenet_wg_last_handshake_timestamp_seconds{"
	    "session=\"s1\",protocol=\"dn42_1\",interface=\"dn42_1\"} ") &&
	    !has_prefix(text, "moenet_wg_last_handshake_timestamp_seconds{"
	    "session=\"s2\""));
	REGRESS_CHECK("metrics_wg_bytes", has(text,
	    "moenet_wg_rx_bytes_total{session=\"s1\",protocol=\"dn42_1\","
	    "interface=\"dn42_1\"} "
	    "123456789012") &&
	    has(text, "moenet_wg_tx_bytes_total{session=\"s2\","
	    "protocol=\"dn42_2\",interface=\"dn42_2\"} 2000") &&
	    !has_prefix(text, "moenet_wg_rx_bytes_total{session=\"s3\""));
	/* s4 is known, waiting: its info says so, and nothing else. */
	REGRESS_CHECK("metrics_unapplied_no_series",
	    has(text, "moenet_session_info{session=\"s4\",protocol=\"\","
	    "name=\"later\",asn=\"64513\",interface=\"dn42_4\","
	    "state=\"pending\"} 1") &&
	    !has_prefix(text, "moenet_session_bgp_up{session=\"s4\"") &&
	    !has_prefix(text, "moenet_session_error{session=\"s4\"") &&
	    !has_prefix(text, "moenet_wg_rx_bytes_total{session=\"s4\""));
	REGRESS_CHECK("metrics_session_state", has(text,
	    "moenet_session_bgp_state{session=\"s1\",protocol=\"dn42_1\","
	    "state=\"Established\"} 1") &&
	    has(text, "moenet_session_bgp_state{session=\"s2\","
	    "protocol=\"dn42_2\",state=\"Active\"} 1") &&
	    has_prefix(text, "moenet_session_uptime_seconds{session=\"s1\","
	    "protocol=\"dn42_1\"} ") &&
	    has(text, "moenet_session_uptime_seconds{session=\"s2\","
	    "protocol=\"dn42_2\"} 0"));
	REGRESS_CHECK("metrics_error_series", has(text,
	    "moenet_session_error{session=\"s3\",protocol=\"dn42_3\"} 1") &&
	    has(text, "moenet_session_error{session=\"s1\","
	    "protocol=\"dn42_1\"} 0") &&
	    has(text, "moenet_session_info{session=\"s3\",protocol=\"dn42_3\","
	    "name=\"gone\",asn=\"64512\",interface=\"dn42_3\","
	    "state=\"error\"} 1"));
	REGRESS_CHECK("metrics_handshake_age", has_prefix(text,
	    "moenet_wg_last_handshake_age_seconds{session=\"s1\","
	    "protocol=\"dn42_1\",interface=\"dn42_1\"} ") &&
	    !has_prefix(text, "moenet_wg_last_handshake_age_seconds{"
	    "session=\"s2\""));
	REGRESS_CHECK("metrics_cp_requests", has(text,
	    "moenet_controlplane_requests_total{endpoint=\"sessions\","
	    "result=\"ok\"} 7") &&
	    has(text, "moenet_controlplane_requests_total{endpoint=\"report\","
	    "result=\"timeout\"} 2") &&
	    has(text, "moenet_controlplane_requests_total{endpoint="
	    "\"mesh/status\",result=\"breaker_open\"} 0"));
	REGRESS_CHECK("metrics_cp_last_success", has(text,
	    "moenet_controlplane_last_success_timestamp_seconds{endpoint="
	    "\"sessions\"} 1800000100") &&
	    !has_prefix(text, "moenet_controlplane_last_success_timestamp_"
	    "seconds{endpoint=\"config\"}"));
	REGRESS_CHECK("metrics_maintenance_on",
	    has(text, "moenet_maintenance 1"));
	REGRESS_CHECK("metrics_breaker",
	    has(text, "moenet_controlplane_breaker_state 2"));
	REGRESS_CHECK("metrics_bird", has(text, "moenet_bird_up 1") &&
	    has(text, "moenet_bird_reconfigure_total{result=\"ok\"} 3") &&
	    has(text, "moenet_bird_reconfigure_total{result=\"check_failed\"} "
	    "1") && strstr(text, "unchanged") == NULL);
	REGRESS_CHECK("metrics_help_type", has(text,
	    "# HELP moenet_wg_rx_bytes_total Bytes received on the session's "
	    "tunnel.") &&
	    has(text, "# TYPE moenet_wg_rx_bytes_total counter") &&
	    has(text, "# TYPE moenet_session_bgp_up gauge"));
	if (getenv("METRICS_TEST_DUMP") != NULL)
		fputs(text, stdout);
	check_promtool("metrics_full_promtool", text);
	free(text);

	/* BIRD gone: no invented BGP numbers; the tunnels still count. */
	bstate.connected = 0;
	bird_pending = NULL;
	metrics_run(&task);
	wg_pending(st, 2, wg_arg);
	REGRESS_CHECK("metrics_bird_down_no_command", bird_pending == NULL);
	REGRESS_CHECK("metrics_bird_down_reported", nreports == 2 &&
	    nrep == 4 && (r = record("dn42_1")) != NULL &&
	    strcmp(r->state, "unknown") == 0 &&
	    strstr(r->info, "not connected") != NULL &&
	    !(r->flags & CP_RS_HAS_AF) && (r->flags & CP_RS_HAS_HANDSHAKE));
	cr.result = CP_RES_HTTP_5XX;
	cp_pending(&cr, NULL, cp_arg);
	REGRESS_CHECK("metrics_bird_down_done", ndone == 3);
	REGRESS_CHECK("metrics_bird_down_observed",
	    s1->observed.bgp_state[0] == '\0');
	text = render();
	REGRESS_CHECK("metrics_bird_down_series",
	    strstr(text, "moenet_session_bgp_up") == NULL &&
	    strstr(text, "moenet_session_routes") == NULL &&
	    has(text, "moenet_bird_up 0") &&
	    has_prefix(text, "moenet_wg_rx_bytes_total{session=\"s1\""));
	check_promtool("metrics_bird_down_promtool", text);
	free(text);

	/* Said once, not every run; and said when it is over. */
	metrics_run(&task);
	wg_pending(st, 2, wg_arg);
	cp_pending(&cr, NULL, cp_arg);
	REGRESS_CHECK("metrics_bird_down_logged_once", warnings_bird == 1 &&
	    infos_bird == 0 && ndone == 4);
	bstate.connected = 1;
	metrics_run(&task);
	wg_pending(st, 2, wg_arg);
	bird_pending(&a, bird_arg);
	cp_pending(&cr, NULL, cp_arg);
	REGRESS_CHECK("metrics_bird_back_logged", warnings_bird == 1 &&
	    infos_bird == 1 && ndone == 5 &&
	    strcmp(s1->observed.bgp_state, "Established") == 0);

	/* BIRD answers with an error; a late wgctl answer is ignored. */
	metrics_run(&task);
	{
		wg_stats_cb	 late = wg_pending;
		void		*late_arg = wg_arg;

		wg_pending(NULL, 0, wg_arg);	/* wgctl knows no tunnel */
		res.outcome = BIRD_OUT_ERROR;
		a.text = "8001 oops";
		bird_pending(&a, bird_arg);
		r = record("dn42_1");
		REGRESS_CHECK("metrics_bird_error_reported", nreports == 5 &&
		    r != NULL && strcmp(r->state, "unknown") == 0 &&
		    strstr(r->info, "8001 oops") != NULL &&
		    !(r->flags & CP_RS_HAS_HANDSHAKE));
		cp_pending(&cr, NULL, cp_arg);
		late(st, 2, late_arg);
		REGRESS_CHECK("metrics_late_answer_ignored", ndone == 6 &&
		    nreports == 5);
	}
	text = render();
	REGRESS_CHECK("metrics_no_wg_no_wg_series",
	    strstr(text, "moenet_wg_") == NULL);
	check_promtool("metrics_no_wg_promtool", text);
	free(text);

	REGRESS_EXIT();
}
