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

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "cpbody.h"
#include "cpvalid.h"

static yajl_gen	gen_new(void);
static char	*gen_done(yajl_gen, int, size_t *);
static int	gkey(yajl_gen, const char *);
static int	gstr(yajl_gen, const char *, const char *);
static int	gint(yajl_gen, const char *, long long);
static int	guint(yajl_gen, const char *, uint64_t);
static int	grtt(yajl_gen, int64_t);
static int	gbool(yajl_gen, const char *, int);

static yajl_gen
gen_new(void)
{
	yajl_gen	g;

	if ((g = yajl_gen_alloc(NULL)) == NULL)
		return NULL;
	yajl_gen_config(g, yajl_gen_validate_utf8, 1);
	yajl_gen_config(g, yajl_gen_beautify, 0);
	return g;
}

/* ok is 0 when something failed on the way: then there is no body. */
static char *
gen_done(yajl_gen g, int ok, size_t *lenp)
{
	const unsigned char	*buf;
	size_t			 len;
	char			*body = NULL;

	if (ok && yajl_gen_get_buf(g, &buf, &len) == yajl_gen_status_ok &&
	    (body = malloc(len + 1)) != NULL) {
		memcpy(body, buf, len);
		body[len] = '\0';
		*lenp = len;
	}
	yajl_gen_free(g);
	return body;
}

static int
gkey(yajl_gen g, const char *key)
{
	return yajl_gen_string(g, (const unsigned char *)key,
	    strlen(key)) == yajl_gen_status_ok;
}

/*
 * A string value (key NULL: an array element).  Text that is not UTF-8
 * (a BIRD message, say) goes with those bytes replaced by '?'.
 */
static int
gstr(yajl_gen g, const char *key, const char *val)
{
	char		 buf[1024];
	size_t		 i;
	yajl_gen_status	 st;

	if (key != NULL && !gkey(g, key))
		return 0;
	st = yajl_gen_string(g, (const unsigned char *)val, strlen(val));
	if (st != yajl_gen_invalid_string)
		return st == yajl_gen_status_ok;
	strlcpy(buf, val, sizeof(buf));
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] >= 0x80)
			buf[i] = '?';
	return yajl_gen_string(g, (const unsigned char *)buf,
	    strlen(buf)) == yajl_gen_status_ok;
}

static int
gint(yajl_gen g, const char *key, long long val)
{
	return gkey(g, key) && yajl_gen_integer(g, val) == yajl_gen_status_ok;
}

static int
guint(yajl_gen g, const char *key, uint64_t val)
{
	char	buf[32];
	int	len;

	len = snprintf(buf, sizeof(buf), "%" PRIu64, val);
	return gkey(g, key) &&
	    yajl_gen_number(g, buf, len) == yajl_gen_status_ok;
}

/* Milliseconds with three decimals, -1 when every probe was lost. */
static int
grtt(yajl_gen g, int64_t rtt_us)
{
	char	buf[32];
	int	len;

	if (rtt_us < 0)
		len = snprintf(buf, sizeof(buf), "-1");
	else
		len = snprintf(buf, sizeof(buf), "%" PRId64 ".%03" PRId64,
		    rtt_us / 1000, rtt_us % 1000);
	return gkey(g, "rtt_ms") &&
	    yajl_gen_number(g, buf, len) == yajl_gen_status_ok;
}

static int
gbool(yajl_gen g, const char *key, int val)
{
	return gkey(g, key) && yajl_gen_bool(g, val) == yajl_gen_status_ok;
}

/* {uuid, status, lastError?} */
char *
cp_body_modify(const struct cp_modify_msg *m, size_t *lenp)
{
	yajl_gen	 g;
	const char	*why;
	int		 ok;

	if (cpv_uuid(m->uuid, &why) == -1 || m->status > CP_STATUS_MAX ||
	    strnlen(m->last_error, sizeof(m->last_error)) ==
	    sizeof(m->last_error))
		return NULL;
	if ((g = gen_new()) == NULL)
		return NULL;
	ok = yajl_gen_map_open(g) == yajl_gen_status_ok &&
	    gstr(g, "uuid", m->uuid) &&
	    gint(g, "status", m->status) &&
	    (m->last_error[0] == '\0' ||
	    gstr(g, "lastError", m->last_error)) &&
	    yajl_gen_map_close(g) == yajl_gen_status_ok;
	return gen_done(g, ok, lenp);
}

/* {node_id, agent_version, status: {...}} */
char *
cp_body_heartbeat(const struct cp_heartbeat_msg *h, size_t *lenp)
{
	char		key[CPV_B64KEY_LEN + 1];
	char		a4[INET_ADDRSTRLEN], a6[INET6_ADDRSTRLEN];
	yajl_gen	g;
	int		ok;

	if (strnlen(h->node_id, sizeof(h->node_id)) == sizeof(h->node_id) ||
	    strnlen(h->agent_version, sizeof(h->agent_version)) ==
	    sizeof(h->agent_version) ||
	    strnlen(h->bird_version, sizeof(h->bird_version)) ==
	    sizeof(h->bird_version) ||
	    strnlen(h->kernel, sizeof(h->kernel)) == sizeof(h->kernel) ||
	    strnlen(h->loadavg, sizeof(h->loadavg)) == sizeof(h->loadavg))
		return NULL;
	if ((h->flags & CP_HB_HAS_PUBV4) &&
	    inet_ntop(AF_INET, &h->public_ipv4, a4, sizeof(a4)) == NULL)
		return NULL;
	if ((h->flags & CP_HB_HAS_PUBV6) &&
	    inet_ntop(AF_INET6, &h->public_ipv6, a6, sizeof(a6)) == NULL)
		return NULL;
	if (h->flags & CP_HB_HAS_MESHKEY)
		cpv_key_encode(h->mesh_pubkey, key);
	if ((g = gen_new()) == NULL)
		return NULL;
	ok = yajl_gen_map_open(g) == yajl_gen_status_ok &&
	    gstr(g, "node_id", h->node_id) &&
	    gstr(g, "agent_version", h->agent_version) &&
	    gkey(g, "status") &&
	    yajl_gen_map_open(g) == yajl_gen_status_ok &&
	    gstr(g, "version", h->bird_version) &&
	    gstr(g, "kernel", h->kernel) &&
	    gstr(g, "loadAvg", h->loadavg) &&
	    gint(g, "uptime", h->uptime) &&
	    gint(g, "timestamp", h->timestamp) &&
	    guint(g, "tx", h->tx) &&
	    guint(g, "rx", h->rx) &&
	    gint(g, "tcp", h->tcp) &&
	    gint(g, "udp", h->udp) &&
	    (!(h->flags & CP_HB_HAS_MESHKEY) ||
	    gstr(g, "meshPublicKey", key)) &&
	    (!(h->flags & CP_HB_HAS_PUBV4) || gstr(g, "publicIpv4", a4)) &&
	    (!(h->flags & CP_HB_HAS_PUBV6) || gstr(g, "publicIpv6", a6)) &&
	    gbool(g, "maintenance", (h->flags & CP_HB_MAINTENANCE) != 0) &&
	    (!(h->flags & (CP_HB_STATE_WRITE | CP_HB_REMOVAL_HELD |
	    CP_HB_BIRD_DOWN)) ||
	    (gkey(g, "degraded") &&
	    yajl_gen_array_open(g) == yajl_gen_status_ok &&
	    (!(h->flags & CP_HB_STATE_WRITE) ||
	    gstr(g, NULL, "state_write")) &&
	    (!(h->flags & CP_HB_REMOVAL_HELD) ||
	    gstr(g, NULL, "removal_held")) &&
	    (!(h->flags & CP_HB_BIRD_DOWN) || gstr(g, NULL, "bird")) &&
	    yajl_gen_array_close(g) == yajl_gen_status_ok)) &&
	    yajl_gen_map_close(g) == yajl_gen_status_ok &&
	    yajl_gen_map_close(g) == yajl_gen_status_ok;
	return gen_done(g, ok, lenp);
}

/*
 * {node_id, timestamp, sessions: [...]}: the fields the control plane
 * reads, then uuid, per-AF routes, handshake age and RTT, which it may.
 */
char *
cp_body_report(const struct cp_report_msg *r,
    const struct cp_report_session_msg *s, size_t n, size_t *lenp)
{
	yajl_gen	g;
	size_t		i;
	int		ok;

	if (strnlen(r->node_id, sizeof(r->node_id)) == sizeof(r->node_id))
		return NULL;
	for (i = 0; i < n; i++) {
		if (strnlen(s[i].uuid, sizeof(s[i].uuid)) ==
		    sizeof(s[i].uuid) ||
		    strnlen(s[i].name, sizeof(s[i].name)) ==
		    sizeof(s[i].name) ||
		    strnlen(s[i].state, sizeof(s[i].state)) ==
		    sizeof(s[i].state) ||
		    strnlen(s[i].info, sizeof(s[i].info)) ==
		    sizeof(s[i].info) || s[i].loss > 100)
			return NULL;
	}
	if ((g = gen_new()) == NULL)
		return NULL;
	ok = yajl_gen_map_open(g) == yajl_gen_status_ok &&
	    gstr(g, "node_id", r->node_id) &&
	    gint(g, "timestamp", r->timestamp) &&
	    gkey(g, "sessions") &&
	    yajl_gen_array_open(g) == yajl_gen_status_ok;
	for (i = 0; ok && i < n; i++) {
		ok = yajl_gen_map_open(g) == yajl_gen_status_ok &&
		    gstr(g, "name", s[i].name) &&
		    gstr(g, "type", "bgp") &&
		    gstr(g, "state", s[i].state) &&
		    gstr(g, "info", s[i].info) &&
		    gint(g, "routes_imported", s[i].routes_imported) &&
		    gint(g, "routes_exported", s[i].routes_exported) &&
		    (s[i].uuid[0] == '\0' || gstr(g, "uuid", s[i].uuid));
		if (ok && (s[i].flags & CP_RS_HAS_AF))
			ok = gkey(g, "routes") &&
			    yajl_gen_map_open(g) == yajl_gen_status_ok &&
			    gkey(g, "ipv4") &&
			    yajl_gen_map_open(g) == yajl_gen_status_ok &&
			    gint(g, "imported", s[i].ipv4_imported) &&
			    gint(g, "exported", s[i].ipv4_exported) &&
			    yajl_gen_map_close(g) == yajl_gen_status_ok &&
			    gkey(g, "ipv6") &&
			    yajl_gen_map_open(g) == yajl_gen_status_ok &&
			    gint(g, "imported", s[i].ipv6_imported) &&
			    gint(g, "exported", s[i].ipv6_exported) &&
			    yajl_gen_map_close(g) == yajl_gen_status_ok &&
			    yajl_gen_map_close(g) == yajl_gen_status_ok;
		if (ok && (s[i].flags & CP_RS_HAS_HANDSHAKE))
			ok = gint(g, "handshake_age", s[i].handshake_age);
		if (ok && (s[i].flags & CP_RS_HAS_RTT))
			ok = grtt(g, s[i].rtt_us) &&
			    gint(g, "loss", s[i].loss);
		ok = ok && yajl_gen_map_close(g) == yajl_gen_status_ok;
	}
	ok = ok && yajl_gen_array_close(g) == yajl_gen_status_ok &&
	    yajl_gen_map_close(g) == yajl_gen_status_ok;
	return gen_done(g, ok, lenp);
}

/* {node_id, timestamp, peers: {"<nodeId>": "configured" | "error: ..."}} */
char *
cp_body_mesh_status(const char *node_id, int64_t ts,
    const struct cp_mesh_status_msg *m, size_t n, size_t *lenp)
{
	char		id[16], text[CP_ERROR_LEN + 8];
	yajl_gen	g;
	size_t		i, j;
	int		ok;

	for (i = 0; i < n; i++) {
		if (strnlen(m[i].error, sizeof(m[i].error)) ==
		    sizeof(m[i].error) || m[i].node_id == 0 ||
		    m[i].node_id > CP_MESH_NODEID_MAX)
			return NULL;
		for (j = 0; j < i; j++)
			if (m[j].node_id == m[i].node_id)
				return NULL;
	}
	if ((g = gen_new()) == NULL)
		return NULL;
	ok = yajl_gen_map_open(g) == yajl_gen_status_ok &&
	    gstr(g, "node_id", node_id) &&
	    gint(g, "timestamp", ts) &&
	    gkey(g, "peers") &&
	    yajl_gen_map_open(g) == yajl_gen_status_ok;
	for (i = 0; ok && i < n; i++) {
		snprintf(id, sizeof(id), "%u", m[i].node_id);
		if (m[i].error[0] == '\0')
			strlcpy(text, "configured", sizeof(text));
		else
			snprintf(text, sizeof(text), "error: %s", m[i].error);
		ok = gstr(g, id, text);
	}
	ok = ok && yajl_gen_map_close(g) == yajl_gen_status_ok &&
	    yajl_gen_map_close(g) == yajl_gen_status_ok;
	return gen_done(g, ok, lenp);
}

/* {measurements: [{target, rtt_ms, loss}], timestamp} */
char *
cp_body_rtt(int64_t ts, const struct cp_rtt_msg *m, size_t n, size_t *lenp)
{
	yajl_gen	g;
	size_t		i;
	int		ok;

	for (i = 0; i < n; i++)
		if (strnlen(m[i].target, sizeof(m[i].target)) ==
		    sizeof(m[i].target) || m[i].loss > 100)
			return NULL;
	if ((g = gen_new()) == NULL)
		return NULL;
	ok = yajl_gen_map_open(g) == yajl_gen_status_ok &&
	    gkey(g, "measurements") &&
	    yajl_gen_array_open(g) == yajl_gen_status_ok;
	for (i = 0; ok && i < n; i++)
		ok = yajl_gen_map_open(g) == yajl_gen_status_ok &&
		    gstr(g, "target", m[i].target) &&
		    grtt(g, m[i].rtt_us) &&
		    gint(g, "loss", m[i].loss) &&
		    yajl_gen_map_close(g) == yajl_gen_status_ok;
	ok = ok && yajl_gen_array_close(g) == yajl_gen_status_ok &&
	    gint(g, "timestamp", ts) &&
	    yajl_gen_map_close(g) == yajl_gen_status_ok;
	return gen_done(g, ok, lenp);
}
