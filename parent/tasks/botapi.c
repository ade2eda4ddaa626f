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
 * The bot's operations that need BIRD or one session.  BIRD is asked
 * only through birdctl, with typed commands whose one argument birdctl
 * checks again (a protocol name the agent generated, a canonical
 * address or prefix); its answers come back as records and sanitized
 * text.  /community counts the whole table, which costs BIRD a walk:
 * the count is kept BOTAPI_COMM_TTL seconds and asked once for every
 * client waiting meanwhile.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/tree.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "parent/core/session.h"
#include "parent/ports/bird.h"
#include "parent/core/jw.h"
#include "parent/tasks/botapi.h"
#include "birdctl/birdcmd.h"

#define BOTAPI_COMM_TTL		30	/* seconds a count is shown again */
#define BOTAPI_WAIT_MAX		32	/* clients waiting on one count */
#define BOTAPI_PATHS_LEN	8192

struct lookup {
	int		 path;
	char		 target[BIRD_TARGET_LEN];
	botapi_cb	 cb;
	void		*arg;
};

struct restart {
	char		 proto[SESSION_PROTO_LEN];
	botapi_cb	 cb;
	void		*arg;
};

struct comm_wait {
	TAILQ_ENTRY(comm_wait)	 entry;
	botapi_cb		 cb;
	void			*arg;
};

static TAILQ_HEAD(, comm_wait)	 comm_waits =
    TAILQ_HEAD_INITIALIZER(comm_waits);
static size_t			 ncomm_waits;
static int			 comm_running;
static char			*comm_doc;
static time_t			 comm_time;

static void	restart_done(const struct bird_answer *, void *);
static void	lookup_done(const struct bird_answer *, void *);
static void	lookup_paths(const struct bird_answer *, char *, size_t);
static void	comm_done(const struct bird_answer *, void *);
static void	comm_answer(int, const char *);
static char	*comm_render(const struct bird_community_msg *);
static void	human_bytes(uint64_t, char *, size_t);
static void	human_age(time_t, const char *, char *, size_t);
static int	bird_failed(const struct bird_answer *, char *, size_t);

/*
 * A session this router owns, by its BIRD protocol, its interface or
 * its uuid: one the agent applied, with the protocol it generated.
 */
struct session *
botapi_session(const char *name)
{
	struct session	*s;

	if (name == NULL || *name == '\0')
		return NULL;
	RB_FOREACH(s, session_tree, &sessions) {
		if (!s->applied || s->protocol[0] == '\0')
			continue;
		if (strcmp(s->protocol, name) == 0 ||
		    strcmp(s->desired.uuid, name) == 0 ||
		    (s->ifname[0] != '\0' && strcmp(s->ifname, name) == 0))
			return s;
	}
	return NULL;
}

/* BIRD's "restart <protocol>" for one owned session, nothing else. */
void
botapi_restart(const char *name, const char *who, botapi_cb cb, void *arg)
{
	struct session	*s;
	struct restart	*r;

	if ((s = botapi_session(name)) == NULL) {
		cb(404, "no such BGP session on this router", arg);
		return;
	}
	if (!bird_cmd_valid_name(s->protocol)) {
		cb(500, "the session's protocol name is not valid", arg);
		return;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		cb(500, "out of memory", arg);
		return;
	}
	strlcpy(r->proto, s->protocol, sizeof(r->proto));
	r->cb = cb;
	r->arg = arg;
	log_info("bot: restart of %s (%s) asked by %s", r->proto,
	    s->desired.uuid, who);
	if (bird_cmd(BIRD_CMD_RESTART, r->proto, 0, restart_done, r) == -1) {
		cb(503, errno == ENOTCONN ? "BIRD is not connected" :
		    "BIRD is busy", arg);
		free(r);
	}
}

static void
restart_done(const struct bird_answer *a, void *arg)
{
	struct restart	*r = arg;
	char		 text[BIRD_TEXT_LEN + 64];
	int		 status;

	if ((status = bird_failed(a, text, sizeof(text))) != 0)
		;
	else if (a->result->outcome == BIRD_OUT_NO_MATCH) {
		status = 404;
		snprintf(text, sizeof(text), "BIRD has no protocol %s",
		    r->proto);
	} else {
		status = 200;
		snprintf(text, sizeof(text), "%s restarted", r->proto);
		log_info("bot: %s restarted", r->proto);
	}
	r->cb(status, text, r->arg);
	free(r);
}

/* 0 if BIRD answered well, else the status and why in text. */
static int
bird_failed(const struct bird_answer *a, char *text, size_t len)
{
	if (a->failed) {
		snprintf(text, len, "BIRD did not answer: %s", a->text);
		return 503;
	}
	if (!bird_answer_ok(a) && a->result->outcome != BIRD_OUT_NO_MATCH) {
		snprintf(text, len, "BIRD: %s", a->text);
		return 502;
	}
	return 0;
}

/*
 * "show route for X all": the reply as text (path 0), or the AS paths
 * of the best routes (path 1).  target is a canonical address or
 * prefix, checked again by birdctl's formatter.
 */
void
botapi_lookup(int path, const char *target, botapi_cb cb, void *arg)
{
	struct lookup	*l;

	if (!bird_cmd_valid_target(target)) {
		cb(400, "target: an IP address or prefix", arg);
		return;
	}
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		cb(500, "out of memory", arg);
		return;
	}
	l->path = path;
	strlcpy(l->target, target, sizeof(l->target));
	l->cb = cb;
	l->arg = arg;
	if (bird_cmd(BIRD_CMD_SHOW_ROUTE_FOR, l->target, 0, lookup_done,
	    l) == -1) {
		cb(503, errno == ENOTCONN ? "BIRD is not connected" :
		    "BIRD is busy", arg);
		free(l);
	}
}

static void
lookup_done(const struct bird_answer *a, void *arg)
{
	struct lookup	*l = arg;
	char		 text[BOTAPI_PATHS_LEN];
	int		 status;

	if (!a->failed && a->result != NULL && a->result->code == 8001) {
		/* "Network not found": an answer, not a failure. */
		snprintf(text, sizeof(text), "%s: %s", l->target,
		    a->result->text);
		l->cb(200, text, l->arg);
	} else if ((status = bird_failed(a, text, sizeof(text))) != 0)
		l->cb(status, text, l->arg);
	else if (!l->path)
		l->cb(200, a->rtext, l->arg);
	else {
		lookup_paths(a, text, sizeof(text));
		l->cb(200, text, l->arg);
	}
	free(l);
}

/*
 * "172.20.2.0/24 via dn42_4242420002: 4242420002 4242420003", a line
 * per best route (every route when BIRD marked none best).
 */
static void
lookup_paths(const struct bird_answer *a, char *buf, size_t len)
{
	const struct bird_route_msg	*r;
	size_t				 i, k, o = 0;
	int				 anyprimary = 0, n;

	buf[0] = '\0';
	for (i = 0; i < a->nroutes; i++)
		if (a->routes[i].flags & BIRD_ROUTE_PRIMARY)
			anyprimary = 1;
	for (i = 0; i < a->nroutes && o < len; i++) {
		r = &a->routes[i];
		if (anyprimary && !(r->flags & BIRD_ROUTE_PRIMARY))
			continue;
		n = snprintf(buf + o, len - o, "%s via %s:", r->net,
		    r->proto[0] != '\0' ? r->proto : "?");
		if (n < 0 || (size_t)n >= len - o)
			break;
		o += n;
		if (!(r->flags & BIRD_ROUTE_PATH) || r->npath == 0)
			n = snprintf(buf + o, len - o, " (local, no AS path)");
		else
			n = 0;
		if (n < 0 || (size_t)n >= len - o)
			break;
		o += n;
		for (k = 0; k < r->npath; k++) {
			n = snprintf(buf + o, len - o, " %u", r->path[k]);
			if (n < 0 || (size_t)n >= len - o)
				break;
			o += n;
		}
		if (r->flags & (BIRD_ROUTE_PATH_TRUNC | BIRD_ROUTE_PATH_SET)) {
			n = snprintf(buf + o, len - o, " ...");
			if (n > 0 && (size_t)n < len - o)
				o += n;
		}
		n = snprintf(buf + o, len - o, "\n");
		if (n < 0 || (size_t)n >= len - o)
			break;
		o += n;
	}
	if (o == 0)
		strlcpy(buf, "no route\n", len);
}

/* The DN42 communities of the best routes, kept a little while. */
void
botapi_community(botapi_cb cb, void *arg)
{
	struct comm_wait	*w;

	if (comm_doc != NULL && time(NULL) - comm_time < BOTAPI_COMM_TTL) {
		cb(200, comm_doc, arg);
		return;
	}
	if (ncomm_waits >= BOTAPI_WAIT_MAX) {
		cb(503, "too many requests waiting", arg);
		return;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		cb(500, "out of memory", arg);
		return;
	}
	w->cb = cb;
	w->arg = arg;
	TAILQ_INSERT_TAIL(&comm_waits, w, entry);
	ncomm_waits++;
	if (comm_running)
		return;
	if (bird_cmd(BIRD_CMD_SHOW_ROUTE_COMMUNITIES, NULL, 0, comm_done,
	    NULL) == -1) {
		comm_answer(503, errno == ENOTCONN ? "BIRD is not connected" :
		    "BIRD is busy");
		return;
	}
	comm_running = 1;
}

static void
comm_done(const struct bird_answer *a, void *arg)
{
	char	 text[BIRD_TEXT_LEN + 64];
	int	 status;

	comm_running = 0;
	if ((status = bird_failed(a, text, sizeof(text))) != 0 ||
	    a->community == NULL) {
		comm_answer(status != 0 ? status : 502, status != 0 ? text :
		    "BIRD sent no count");
		return;
	}
	free(comm_doc);
	comm_doc = comm_render(a->community);
	comm_time = time(NULL);
	comm_answer(200, comm_doc);
}

static void
comm_answer(int status, const char *text)
{
	struct comm_wait	*w;

	while ((w = TAILQ_FIRST(&comm_waits)) != NULL) {
		TAILQ_REMOVE(&comm_waits, w, entry);
		ncomm_waits--;
		w->cb(status, text, w->arg);
		free(w);
	}
}

/*
 * Buckets by the DN42 registry's names (dn42 wiki, "BGP communities");
 * a value it names nothing for is shown as its number.
 */
static const char *const bw_names[BIRD_COMM_BANDWIDTH] = {
	"100k", "1m", "10m", "100m", "1g", "10g", NULL, NULL, NULL
};
static const char *const crypto_names[BIRD_COMM_CRYPTO] = {
	"none", "unsafe", "encrypted", "encrypted-pfs"
};
static const char *const region_names[BIRD_COMM_REGION] = {
	"eu", "na-e", "na-c", "na-w", "ca", "sa-e", "sa-w", "af-n", "af-s",
	"as-s", "as-se", "as-e", "oc", "ant", "as-n", "as-w", "as-c"
};

static void
comm_group(struct jw *j, const char *key, const uint64_t *v, size_t n,
    const char *const *names, int base)
{
	char	 num[16];
	size_t	 i;

	jw_open(j, key, '{');
	for (i = 0; i < n; i++) {
		if (names != NULL && names[i] != NULL)
			jw_uint(j, names[i], v[i]);
		else if (v[i] > 0) {
			snprintf(num, sizeof(num), "%zu", i + base);
			jw_uint(j, num, v[i]);
		}
	}
	jw_close(j, '}');
}

static char *
comm_render(const struct bird_community_msg *c)
{
	static const char *const tiers[BIRD_COMM_LATENCY] = {
		"0", "1", "2", "3", "4", "5", "6", "7", "8"
	};
	struct jw	 j;
	char		*buf = NULL;
	size_t		 len = 0;
	FILE		*f;

	if ((f = open_memstream(&buf, &len)) == NULL)
		fatal("%s", __func__);
	jw_init(&j, f);
	jw_open(&j, NULL, '{');
	jw_uint(&j, "total_routes", c->total);
	jw_uint(&j, "tagged_routes", c->tagged);
	comm_group(&j, "latency_distribution", c->latency, BIRD_COMM_LATENCY,
	    tiers, 1);
	comm_group(&j, "bandwidth_distribution", c->bandwidth,
	    BIRD_COMM_BANDWIDTH, bw_names, 21);
	comm_group(&j, "crypto_distribution", c->crypto, BIRD_COMM_CRYPTO,
	    crypto_names, 31);
	comm_group(&j, "region_distribution", c->region, BIRD_COMM_REGION,
	    region_names, 41);
	jw_close(&j, '}');
	fputc('\n', f);
	if (fclose(f) != 0)
		fatal("%s", __func__);
	return buf;
}

/*
 * The peer card: {peer_name, bgp_status, wg_status, last_handshake,
 * transfer: {rx, tx}, uptime, routes_imported, routes_exported} from
 * what the metrics task and BIRD last said, and the raw numbers beside.
 * Returns the HTTP status; the document is written only for 200.
 */
int
botapi_peer_json(const char *name, FILE *f)
{
	const struct session_observed	*o;
	struct session			*s;
	struct jw			 j;
	char				 rx[32], tx[32], hs[32], up[32];
	time_t				 now = time(NULL);
	const char			*wg;

	if ((s = botapi_session(name)) == NULL)
		return 404;
	o = &s->observed;
	human_bytes(o->wg_rx, rx, sizeof(rx));
	human_bytes(o->wg_tx, tx, sizeof(tx));
	if (o->wg_handshake == 0)
		strlcpy(hs, "never", sizeof(hs));
	else
		human_age(now - o->wg_handshake, " ago", hs, sizeof(hs));
	if (o->bird_since == 0)
		strlcpy(up, "", sizeof(up));
	else
		human_age(now - o->bird_since, "", up, sizeof(up));
	/* WireGuard re-keys every 2 minutes while packets flow. */
	if (!o->link_up)
		wg = "down";
	else if (o->wg_handshake != 0 && now - o->wg_handshake <= 180)
		wg = "up";
	else
		wg = "no-handshake";

	jw_init(&j, f);
	jw_open(&j, NULL, '{');
	jw_str(&j, "peer_name", s->protocol);
	jw_str(&j, "uuid", s->desired.uuid);
	jw_str(&j, "interface", s->ifname);
	jw_uint(&j, "asn", s->desired.asn);
	jw_str(&j, "bgp_status", o->bgp_state[0] != '\0' ? o->bgp_state :
	    "unknown");
	jw_str(&j, "wg_status", wg);
	jw_str(&j, "last_handshake", hs);
	jw_open(&j, "transfer", '{');
	jw_str(&j, "rx", rx);
	jw_str(&j, "tx", tx);
	jw_uint(&j, "rx_bytes", o->wg_rx);
	jw_uint(&j, "tx_bytes", o->wg_tx);
	jw_close(&j, '}');
	jw_str(&j, "uptime", up);
	if (o->bird_since == 0)
		jw_null(&j, "uptime_seconds");
	else
		jw_int(&j, "uptime_seconds", now - o->bird_since);
	jw_uint(&j, "routes_imported", (uint64_t)o->routes_in[0] +
	    o->routes_in[1]);
	jw_uint(&j, "routes_exported", (uint64_t)o->routes_out[0] +
	    o->routes_out[1]);
	jw_close(&j, '}');
	fputc('\n', f);
	return 200;
}

static void
human_bytes(uint64_t n, char *buf, size_t len)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
	double	 v = n;
	int	 u = -1;

	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu B", (unsigned long long)n);
	else
		snprintf(buf, len, "%.2f %s", v, units[u]);
}

/* "42s", "5m", "3h", "2d" and the suffix: the largest unit only. */
static void
human_age(time_t t, const char *suffix, char *buf, size_t len)
{
	if (t < 0)
		t = 0;
	if (t < 60)
		snprintf(buf, len, "%llds%s", (long long)t, suffix);
	else if (t < 3600)
		snprintf(buf, len, "%lldm%s", (long long)t / 60, suffix);
	else if (t < 86400)
		snprintf(buf, len, "%lldh%s", (long long)t / 3600, suffix);
	else
		snprintf(buf, len, "%lldd%s", (long long)t / 86400, suffix);
}
