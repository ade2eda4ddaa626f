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
 * The JSON configuration: a table of every key with its type, bounds
 * and check, so that parsing, defaults and printing (-nv) cannot drift
 * apart.  Every error names the file, the line, the key and the reason.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "config.h"
#include "jdom.h"

#define CONF_MAXDEPTH	8
#define REDACTED	"********"

#ifndef MOENET_TEMPLATEDIR
#define MOENET_TEMPLATEDIR	"/usr/local/share/moenet-agent/templates"
#endif

enum ctype {
	C_STR,
	C_INT,
	C_DUR,		/* seconds: a number, or "30s", "5m", "1h" */
	C_ENUM,
	C_IGNORE	/* read and ignored with a notice */
};

enum ccheck {
	CK_NONE,
	CK_URL,
	CK_NODENAME,
	CK_TOKEN,
	CK_PATH,
	CK_IPV4,
	CK_IPV6,
	CK_LINKLOCAL,
	CK_HOST4,	/* an address without a prefix length */
	CK_HOST6,
	CK_LISTEN,
	CK_SYMBOL,
	CK_COMMAND,
	CK_IFNAME,
	CK_TEXT
};

/* Where a key is printed by -nv. */
#define M_BOOT		0x1
#define M_FULL		0x2
#define M_BOTH		(M_BOOT | M_FULL)

struct ckey {
	const char		*section;
	const char		*name;
	const char		*alias;
	enum ctype		 type;
	enum ccheck		 check;
	size_t			 off;
	size_t			 size;
	long long		 min, max, def;
	const char		*sdef;
	const char *const	*enums;
	int			 modes;
};

static const char *const backend_names[] = { "auto", "kernel", "userspace",
    NULL };
static const char *const mesh_allowed_names[] = { "network", "any", NULL };
static const char *const logfmt_names[] = { "text", "json", NULL };
static const char *const level_names[] = { "error", "warn", "info", "debug",
    NULL };
static const char *const sandbox_names[] = { "kill", "log", NULL };

#define O(f)		offsetof(struct moenet_conf, f), \
			    sizeof(((struct moenet_conf *)0)->f)
#define STR(sec, key, f, ck, def, m) \
	{ sec, key, NULL, C_STR, ck, O(f), 0, 0, 0, def, NULL, m }
#define INT(sec, key, f, lo, hi, def, m) \
	{ sec, key, NULL, C_INT, CK_NONE, O(f), lo, hi, def, NULL, NULL, m }
#define DUR(sec, key, f, lo, hi, def, m) \
	{ sec, key, NULL, C_DUR, CK_NONE, O(f), lo, hi, def, NULL, NULL, m }
#define ENUM(sec, key, f, names, def, m) \
	{ sec, key, NULL, C_ENUM, CK_NONE, O(f), 0, 0, def, NULL, names, m }

static const struct ckey ckeys[] = {
	{ "bootstrap", "controlPlaneUrl", "apiUrl", C_STR, CK_URL,
	    O(cp_url), 0, 0, 0, NULL, NULL, M_BOOT },
	STR("bootstrap", "nodeName", node_name, CK_NODENAME, NULL, M_BOOT),
	STR("bootstrap", "token", cp_token, CK_TOKEN, NULL, M_BOOT),
	STR("bootstrap", "tokenFile", cp_token_file, CK_PATH, NULL, M_BOOT),

	STR("server", "listen", srv_listen, CK_LISTEN, "localhost:24368",
	    M_BOTH),
	STR("server", "token", srv_token, CK_TOKEN, NULL, M_BOTH),

	STR("node", "name", node_name, CK_NODENAME, NULL, M_FULL),
	INT("node", "id", node_id, 0, 13715, 0, M_FULL),
	STR("node", "region", node_region, CK_TEXT, NULL, M_FULL),
	STR("node", "publicIpv4", node_public_ipv4, CK_HOST4, NULL, M_BOTH),
	STR("node", "publicIpv6", node_public_ipv6, CK_HOST6, NULL, M_BOTH),

	STR("controlPlane", "url", cp_url, CK_URL, NULL, M_FULL),
	STR("controlPlane", "token", cp_token, CK_TOKEN, NULL, M_FULL),
	STR("controlPlane", "tokenFile", cp_token_file, CK_PATH, NULL,
	    M_FULL),
	STR("controlPlane", "caFile", cp_ca_file, CK_PATH, NULL, M_BOTH),
	DUR("controlPlane", "requestTimeout", cp_request_timeout, 1, 300, 10,
	    M_BOTH),
	DUR("controlPlane", "heartbeatInterval", iv_heartbeat, 5, 86400, 30,
	    M_BOTH),
	DUR("controlPlane", "syncInterval", iv_sync, 5, 86400, 60, M_BOTH),
	DUR("controlPlane", "metricInterval", iv_metric, 5, 86400, 60,
	    M_BOTH),
	DUR("controlPlane", "rttInterval", iv_rtt, 5, 86400, 300, M_BOTH),
	DUR("controlPlane", "meshSyncInterval", iv_mesh, 5, 86400, 120,
	    M_BOTH),
	DUR("controlPlane", "ibgpSyncInterval", iv_ibgp, 5, 86400, 120,
	    M_BOTH),
	DUR("controlPlane", "policyInterval", iv_policy, 5, 86400, 300,
	    M_BOTH),
	INT("controlPlane", "maxRetries", cp_max_retries, 0, 10, 3, M_BOTH),
	DUR("controlPlane", "retryInitialDelay", cp_retry_initial_delay, 1,
	    60, 1, M_BOTH),
	INT("controlPlane", "removeAfterMissing", cp_remove_after_missing, 1,
	    100, 3, M_BOTH),

	STR("bird", "controlSocket", bird_socket, CK_PATH,
	    "/run/bird/bird.ctl", M_BOTH),
	STR("bird", "peerConfDir", bird_peer_dir, CK_PATH, "/etc/bird/peers",
	    M_BOTH),
	STR("bird", "ibgpConfDir", bird_ibgp_dir, CK_PATH, "/etc/bird/ibgp",
	    M_BOTH),
	STR("bird", "policyDir", bird_policy_dir, CK_PATH, "/etc/bird/policy",
	    M_BOTH),
	STR("bird", "maintenanceFile", bird_maint_file, CK_PATH,
	    "/etc/bird/maintenance.conf", M_BOTH),
	STR("bird", "peerTemplate", bird_peer_template, CK_SYMBOL,
	    "dn42_peer", M_BOTH),
	STR("bird", "importFilter", bird_import_filter, CK_SYMBOL,
	    "dn42_import_filter", M_BOTH),
	STR("bird", "exportFilter", bird_export_filter, CK_SYMBOL,
	    "dn42_export_filter", M_BOTH),
	STR("bird", "templateDir", bird_template_dir, CK_PATH,
	    MOENET_TEMPLATEDIR, M_BOTH),
	STR("bird", "configFile", bird_config_file, CK_PATH,
	    "/etc/bird/bird.conf", M_BOTH),
	STR("bird", "command", bird_command, CK_COMMAND, "bird", M_BOTH),

	STR("wireguard", "privateKeyPath", wg_privkey_path, CK_PATH, NULL,
	    M_FULL),
	STR("wireguard", "publicKeyPath", wg_pubkey_path, CK_PATH, NULL,
	    M_FULL),
	DUR("wireguard", "persistentKeepaliveInterval", wg_keepalive, 0,
	    3600, 25, M_BOTH),
	STR("wireguard", "dn42Ipv4", wg_dn42_ipv4, CK_IPV4, NULL, M_FULL),
	STR("wireguard", "dn42Ipv6", wg_dn42_ipv6, CK_IPV6, NULL, M_FULL),
	STR("wireguard", "dn42Ipv6LinkLocal", wg_dn42_ipv6_ll, CK_LINKLOCAL,
	    NULL, M_FULL),
	ENUM("wireguard", "backend", wg_backend, backend_names,
	    WG_BACKEND_AUTO, M_BOTH),
	ENUM("wireguard", "meshAllowedIps", wg_mesh_allowed, mesh_allowed_names,
	    MESH_ALLOWED_NETWORK, M_BOTH),
	STR("wireguard", "userspaceCommand", wg_userspace_cmd, CK_COMMAND,
	    "wireguard-go", M_BOTH),
	STR("wireguard", "loopbackInterface", wg_loopback_if, CK_IFNAME,
	    "dummy0", M_BOTH),

	DUR("metric", "pingTimeout", ping_timeout, 1, 60, 5, M_BOTH),
	INT("metric", "pingCount", ping_count, 1, 100, 4, M_BOTH),
	STR("diag", "resolver", diag_resolver, CK_TEXT, NULL, M_BOTH),

	STR("state", "dir", state_dir, CK_PATH, MOENET_STATEDIR, M_BOTH),
	STR("control", "socket", ctl_socket, CK_PATH, MOENET_CTLSOCK, M_BOTH),
	STR("control", "readOnlySocket", ctl_socket_ro, CK_PATH, NULL,
	    M_BOTH),
	ENUM("log", "format", log_format, logfmt_names, 0, M_BOTH),
	ENUM("log", "level", log_level, level_names, 2, M_BOTH),
	ENUM("sandbox", "seccomp", sandbox_mode, sandbox_names,
	    SANDBOX_MODE_KILL, M_BOTH),

	{ NULL, "autoUpdate", NULL, C_IGNORE, CK_NONE, 0, 0, 0, 0, 0, NULL,
	    NULL, 0 },
};
#define NCKEYS	(sizeof(ckeys) / sizeof(ckeys[0]))

struct cerr {
	const char	*file;
	char		*buf;
	size_t		 len;
};

static int	conf_error(struct cerr *, const struct jnode *, const char *,
		    const char *, ...)
		    __attribute__((__format__ (printf, 4, 5)));
static int	conf_check(struct cerr *, const struct jnode *,
		    const struct ckey *, const char *, const char *);
static int	conf_set(struct cerr *, struct moenet_conf *,
		    const struct ckey *, const struct jnode *, const char *);
static int	conf_apply(struct cerr *, struct moenet_conf *, struct jnode *);
static int	conf_finish(struct cerr *, struct moenet_conf *, int);
static int	conf_read_secret(struct cerr *, const char *, char *, size_t);
static int	parse_duration(const char *, long long *);
static int	check_host(const char *, int);
static void	conf_defaults(struct moenet_conf *);

static int
conf_error(struct cerr *e, const struct jnode *n, const char *key,
    const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n != NULL && key != NULL)
		snprintf(e->buf, e->len, "%s:%d: %s: %s", e->file, n->line,
		    key, msg);
	else if (n != NULL)
		snprintf(e->buf, e->len, "%s:%d: %s", e->file, n->line, msg);
	else if (key != NULL)
		snprintf(e->buf, e->len, "%s: %s: %s", e->file, key, msg);
	else
		snprintf(e->buf, e->len, "%s: %s", e->file, msg);
	return -1;
}

static int
check_printable(const char *s, int allow_space)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
		if (!allow_space && *s == ' ')
			return 0;
		if (*s == '"' || *s == '\\')
			return 0;
	}
	return 1;
}

/* A host in a URL or listen address: a literal or a DNS name. */
static int
check_host(const char *h, int bracketed)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;
	size_t		 len = strlen(h);
	const char	*p;

	if (len == 0 || len > 253)
		return 0;
	if (bracketed)
		return inet_pton(AF_INET6, h, &a6) == 1;
	if (inet_pton(AF_INET, h, &a4) == 1)
		return 1;
	for (p = h; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.')
			return 0;
	return *h != '-' && *h != '.';
}

static int
is_loopback_host(const char *h)
{
	return strcmp(h, "localhost") == 0 || strncmp(h, "127.", 4) == 0 ||
	    strcmp(h, "::1") == 0;
}

/* Split "host:port" / "[v6]:port" / ":port" into its parts. */
static int
split_hostport(const char *s, char *host, size_t hostsz, int *bracketed,
    long long *port)
{
	const char	*colon, *errstr;
	size_t		 hl;

	*bracketed = 0;
	if (*s == '[') {
		if ((colon = strstr(s, "]:")) == NULL)
			return -1;
		hl = colon - s - 1;
		s++;
		colon++;
		*bracketed = 1;
	} else {
		if ((colon = strrchr(s, ':')) == NULL)
			return -1;
		hl = colon - s;
	}
	if (hl >= hostsz)
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	*port = strtonum(colon + 1, 1, 65535, &errstr);
	return errstr == NULL ? 0 : -1;
}

static int
check_url(const char *u, char *why, size_t whylen)
{
	char		 host[256];
	const char	*p, *end;
	size_t		 hl;
	int		 tls;

	if (strncmp(u, "https://", 8) == 0) {
		tls = 1;
		p = u + 8;
	} else if (strncmp(u, "http://", 7) == 0) {
		tls = 0;
		p = u + 7;
	} else {
		snprintf(why, whylen, "must start with https://");
		return 0;
	}
	if (!check_printable(u, 0)) {
		snprintf(why, whylen, "contains spaces, quotes or control "
		    "characters");
		return 0;
	}
	if (*p == '[') {
		if ((end = strchr(p, ']')) == NULL) {
			snprintf(why, whylen, "unterminated [");
			return 0;
		}
		hl = end - p - 1;
		p++;
	} else {
		end = p + strcspn(p, ":/?#");
		hl = end - p;
	}
	if (hl == 0 || hl >= sizeof(host)) {
		snprintf(why, whylen, "bad host");
		return 0;
	}
	memcpy(host, p, hl);
	host[hl] = '\0';
	if (!check_host(host, p[-1] == '[')) {
		snprintf(why, whylen, "bad host \"%.64s\"", host);
		return 0;
	}
	if (!tls && !is_loopback_host(host)) {
		snprintf(why, whylen, "plain http is only allowed to a "
		    "loopback address");
		return 0;
	}
	return 1;
}

/* Address with an optional /len, as the control plane writes them. */
static int
check_addr(const char *s, int af, int linklocal)
{
	char		 buf[CONF_ADDR_LEN], *slash;
	struct in6_addr	 a6;
	struct in_addr	 a4;
	const char	*errstr;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return 0;
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		strtonum(slash, 0, af == AF_INET ? 32 : 128, &errstr);
		if (errstr != NULL)
			return 0;
	}
	if (af == AF_INET)
		return inet_pton(AF_INET, buf, &a4) == 1;
	if (inet_pton(AF_INET6, buf, &a6) != 1)
		return 0;
	if (linklocal)
		return IN6_IS_ADDR_LINKLOCAL(&a6);
	return 1;
}

static int
conf_check(struct cerr *e, const struct jnode *n, const struct ckey *k,
    const char *path, const char *v)
{
	char		 why[128], host[256];
	const char	*p;
	long long	 port;
	int		 br;

	switch (k->check) {
	case CK_URL:
		if (!check_url(v, why, sizeof(why)))
			return conf_error(e, n, path, "%s", why);
		break;
	case CK_NODENAME:
		if (*v == '\0' || !isalnum((unsigned char)*v))
			return conf_error(e, n, path, "must start with a "
			    "letter or digit");
		for (p = v; *p != '\0'; p++)
			if (!isalnum((unsigned char)*p) && *p != '-' &&
			    *p != '_' && *p != '.')
				return conf_error(e, n, path, "only letters, "
				    "digits, '-', '_' and '.' are allowed");
		break;
	case CK_TOKEN:
		if (*v == '\0' || !check_printable(v, 0))
			return conf_error(e, n, path, "must be printable "
			    "ASCII without spaces or quotes");
		break;
	case CK_PATH:
		if (*v != '/')
			return conf_error(e, n, path, "must be an absolute "
			    "path");
		if (!check_printable(v, 1))
			return conf_error(e, n, path, "contains control "
			    "characters or quotes");
		break;
	case CK_IPV4:
		if (!check_addr(v, AF_INET, 0))
			return conf_error(e, n, path, "not an IPv4 address");
		break;
	case CK_IPV6:
		if (!check_addr(v, AF_INET6, 0))
			return conf_error(e, n, path, "not an IPv6 address");
		break;
	case CK_LINKLOCAL:
		if (!check_addr(v, AF_INET6, 1))
			return conf_error(e, n, path, "not an IPv6 link-local "
			    "address (fe80::/10)");
		break;
	case CK_HOST4:
		if (strchr(v, '/') != NULL || !check_addr(v, AF_INET, 0))
			return conf_error(e, n, path, "not an IPv4 address "
			    "(without a prefix length)");
		break;
	case CK_HOST6:
		if (strchr(v, '/') != NULL || !check_addr(v, AF_INET6, 0))
			return conf_error(e, n, path, "not an IPv6 address "
			    "(without a prefix length)");
		break;
	case CK_LISTEN:
		if (split_hostport(v, host, sizeof(host), &br, &port) == -1 ||
		    (host[0] != '\0' && !check_host(host, br)))
			return conf_error(e, n, path, "must be host:port, "
			    "[address]:port or :port");
		break;
	case CK_SYMBOL:
		if (!isalpha((unsigned char)*v) && *v != '_')
			return conf_error(e, n, path, "not a BIRD symbol name");
		for (p = v; *p != '\0'; p++)
			if (!isalnum((unsigned char)*p) && *p != '_')
				return conf_error(e, n, path, "not a BIRD "
				    "symbol name");
		break;
	case CK_COMMAND:
		if (*v == '\0')
			return conf_error(e, n, path, "empty");
		for (p = v; *p != '\0'; p++)
			if (!isalnum((unsigned char)*p) && *p != '-' &&
			    *p != '_' && *p != '.' && *p != '/')
				return conf_error(e, n, path, "only a program "
				    "name or path, without arguments");
		break;
	case CK_IFNAME:
		if (*v == '\0' || strlen(v) >= IFNAMSIZ)
			return conf_error(e, n, path, "must be 1 to %d bytes",
			    IFNAMSIZ - 1);
		for (p = v; *p != '\0'; p++)
			if (!isalnum((unsigned char)*p) && *p != '-' &&
			    *p != '_' && *p != '.')
				return conf_error(e, n, path, "only letters, "
				    "digits, '-', '_' and '.' are allowed");
		break;
	case CK_TEXT:
		if (!check_printable(v, 1))
			return conf_error(e, n, path, "contains control "
			    "characters or quotes");
		break;
	case CK_NONE:
		break;
	}
	return 0;
}

static int
parse_duration(const char *s, long long *out)
{
	char		 buf[32];
	const char	*errstr;
	size_t		 len;
	long long	 mult = 1, v;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -1;
	len = strlen(buf);
	if (len == 0)
		return -1;
	switch (buf[len - 1]) {
	case 's':
		buf[--len] = '\0';
		break;
	case 'm':
		mult = 60;
		buf[--len] = '\0';
		break;
	case 'h':
		mult = 3600;
		buf[--len] = '\0';
		break;
	}
	v = strtonum(buf, 0, 100000000, &errstr);
	if (errstr != NULL)
		return -1;
	*out = v * mult;
	return 0;
}

static int
conf_set(struct cerr *e, struct moenet_conf *c, const struct ckey *k,
    const struct jnode *n, const char *path)
{
	char		*field = (char *)c + k->off;
	const char	*errstr;
	long long	 v = 0;
	int		 i;

	switch (k->type) {
	case C_IGNORE:
		log_info("%s: %s is ignored: updates come from packages",
		    e->file, path);
		return 0;
	case C_STR:
		if (n->type != J_STRING)
			return conf_error(e, n, path, "expected a string, "
			    "got %s", jdom_type_name(n->type));
		if (strlen(n->str) >= k->size)
			return conf_error(e, n, path, "too long (at most %zu "
			    "bytes)", k->size - 1);
		if (conf_check(e, n, k, path, n->str) == -1)
			return -1;
		strlcpy(field, n->str, k->size);
		return 0;
	case C_INT:
		if (n->type != J_NUMBER && n->type != J_STRING)
			return conf_error(e, n, path, "expected a number, "
			    "got %s", jdom_type_name(n->type));
		v = strtonum(n->str, k->min, k->max, &errstr);
		if (errstr != NULL)
			return conf_error(e, n, path, "must be an integer "
			    "from %lld to %lld", k->min, k->max);
		break;
	case C_DUR:
		if ((n->type != J_NUMBER && n->type != J_STRING) ||
		    parse_duration(n->str, &v) == -1)
			return conf_error(e, n, path, "expected seconds (a "
			    "number, or a string such as \"30s\", \"5m\", "
			    "\"1h\")");
		if (v < k->min || v > k->max)
			return conf_error(e, n, path, "must be from %lld to "
			    "%lld seconds", k->min, k->max);
		break;
	case C_ENUM:
		if (n->type != J_STRING)
			return conf_error(e, n, path, "expected a string, "
			    "got %s", jdom_type_name(n->type));
		for (i = 0; k->enums[i] != NULL; i++)
			if (strcmp(k->enums[i], n->str) == 0)
				break;
		if (k->enums[i] == NULL)
			return conf_error(e, n, path, "unknown value \"%s\"",
			    n->str);
		v = i;
		break;
	}
	*(int *)(void *)field = (int)v;
	return 0;
}

static void
conf_defaults(struct moenet_conf *c)
{
	size_t	 i;

	for (i = 0; i < NCKEYS; i++) {
		const struct ckey	*k = &ckeys[i];
		char			*field = (char *)c + k->off;

		if (k->type == C_IGNORE)
			continue;
		if (k->type == C_STR) {
			if (k->sdef != NULL && field[0] == '\0')
				strlcpy(field, k->sdef, k->size);
		} else
			*(int *)(void *)field = (int)k->def;
	}
}

static int
conf_apply(struct cerr *e, struct moenet_conf *c, struct jnode *root)
{
	const struct ckey	*top;
	struct jnode		*sec, *n;
	char			 path[256];
	size_t			 i;
	int			 known;

	if (root->type != J_OBJECT)
		return conf_error(e, root, NULL, "top level must be an "
		    "object");

	TAILQ_FOREACH(sec, &root->children, entry) {
		top = NULL;
		known = 0;
		for (i = 0; i < NCKEYS; i++) {
			if (ckeys[i].section == NULL &&
			    strcmp(ckeys[i].name, sec->key) == 0)
				top = &ckeys[i];
			else if (ckeys[i].section != NULL &&
			    strcmp(ckeys[i].section, sec->key) == 0)
				known = 1;
		}
		if (top != NULL) {
			if (conf_set(e, c, top, sec, sec->key) == -1)
				return -1;
			continue;
		}
		if (!known) {
			log_warnx("%s:%d: unknown section \"%s\" ignored",
			    e->file, sec->line, sec->key);
			continue;
		}
		if (sec->type == J_NULL)
			continue;
		if (sec->type != J_OBJECT)
			return conf_error(e, sec, sec->key, "expected an "
			    "object, got %s", jdom_type_name(sec->type));
		TAILQ_FOREACH(n, &sec->children, entry) {
			snprintf(path, sizeof(path), "%s.%s", sec->key,
			    n->key);
			for (i = 0; i < NCKEYS; i++) {
				if (ckeys[i].section == NULL ||
				    strcmp(ckeys[i].section, sec->key) != 0)
					continue;
				if (strcmp(ckeys[i].name, n->key) == 0 ||
				    (ckeys[i].alias != NULL &&
				    strcmp(ckeys[i].alias, n->key) == 0))
					break;
			}
			if (i == NCKEYS) {
				log_warnx("%s:%d: unknown key %s ignored",
				    e->file, n->line, path);
				continue;
			}
			if (n->type == J_NULL)
				continue;
			if (conf_set(e, c, &ckeys[i], n, path) == -1)
				return -1;
		}
	}
	return 0;
}

/*
 * A file holding a secret: regular, not readable by group or others,
 * one line.
 */
static int
conf_read_secret(struct cerr *e, const char *file, char *out, size_t outsz)
{
	struct stat	 st;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return conf_error(e, NULL, file, "%s", strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return conf_error(e, NULL, file, "not a regular file");
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		close(fd);
		return conf_error(e, NULL, file, "mode %04o lets group or "
		    "others read a secret; chmod 600 it",
		    (unsigned int)(st.st_mode & 07777));
	}
	n = read(fd, out, outsz - 1);
	close(fd);
	if (n <= 0)
		return conf_error(e, NULL, file, "empty or unreadable");
	out[n] = '\0';
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	if ((size_t)n >= outsz - 2 || !check_printable(out, 0)) {
		explicit_bzero(out, outsz);
		return conf_error(e, NULL, file, "token must be one line of "
		    "printable ASCII, at most %zu bytes", outsz - 2);
	}
	return 0;
}

static int
conf_finish(struct cerr *e, struct moenet_conf *c, int inline_token_perm)
{
	const char	*sec = c->mode == CONF_MODE_BOOTSTRAP ?
			    "bootstrap" : "controlPlane";
	char		 key[64];

	if (c->cp_url[0] == '\0') {
		snprintf(key, sizeof(key), "%s.%s", sec,
		    c->mode == CONF_MODE_BOOTSTRAP ? "controlPlaneUrl" : "url");
		return conf_error(e, NULL, key, "missing");
	}
	if (c->node_name[0] == '\0')
		return conf_error(e, NULL, c->mode == CONF_MODE_BOOTSTRAP ?
		    "bootstrap.nodeName" : "node.name", "missing");
	snprintf(key, sizeof(key), "%s.token", sec);
	if (c->cp_token[0] != '\0' && c->cp_token_file[0] != '\0')
		return conf_error(e, NULL, key, "give either token or "
		    "tokenFile, not both");
	if (c->cp_token[0] == '\0' && c->cp_token_file[0] == '\0')
		return conf_error(e, NULL, key, "missing (or tokenFile)");
	if ((c->cp_token[0] != '\0' || c->srv_token[0] != '\0') &&
	    inline_token_perm)
		return conf_error(e, NULL, NULL, "holds a token but is "
		    "readable by group or others (mode %04o); chmod 600 it",
		    (unsigned int)inline_token_perm);
	if (c->cp_token_file[0] != '\0' &&
	    conf_read_secret(e, c->cp_token_file, c->cp_token,
	    sizeof(c->cp_token)) == -1)
		return -1;

	if (c->mode == CONF_MODE_FULL) {
		if (c->wg_dn42_ipv6[0] == '\0' &&
		    c->wg_dn42_ipv6_ll[0] == '\0')
			return conf_error(e, NULL, "wireguard.dn42Ipv6",
			    "missing (needed for the tunnels' link-local "
			    "address unless dn42Ipv6LinkLocal is set)");
		if (c->wg_privkey_path[0] == '\0')
			return conf_error(e, NULL, "wireguard.privateKeyPath",
			    "missing");
	}
	if (strcmp(c->bird_peer_dir, c->bird_policy_dir) == 0)
		return conf_error(e, NULL, "bird.policyDir", "must differ "
		    "from bird.peerConfDir");
	return 0;
}

struct moenet_conf *
config_load_buf(const char *file, const char *buf, size_t len, char *err,
    size_t errlen)
{
	struct moenet_conf	*c;
	struct jnode		*root;
	struct cerr		 e;
	char			 jerr[256];

	e.file = file;
	e.buf = err;
	e.len = errlen;
	if ((root = jdom_parse(buf, len, CONF_MAXDEPTH, jerr,
	    sizeof(jerr))) == NULL) {
		snprintf(err, errlen, "%s:%s", file, jerr);
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		jdom_free(root);
		snprintf(err, errlen, "%s: out of memory", file);
		return NULL;
	}
	strlcpy(c->path, file, sizeof(c->path));
	conf_defaults(c);

	if (root->type != J_OBJECT) {
		conf_error(&e, root, NULL, "top level must be an object");
		goto fail;
	}

	if (jdom_get(root, "bootstrap") != NULL)
		c->mode = CONF_MODE_BOOTSTRAP;
	else if (jdom_get(jdom_get(root, "node"), "name") != NULL &&
	    jdom_get(jdom_get(root, "wireguard"), "dn42Ipv4") != NULL)
		c->mode = CONF_MODE_FULL;
	else {
		snprintf(err, errlen, "%s: neither a \"bootstrap\" section "
		    "nor full mode (node.name and wireguard.dn42Ipv4)", file);
		goto fail;
	}

	/* Keys of the other mode's CP section are refused, not merged. */
	if (c->mode == CONF_MODE_BOOTSTRAP &&
	    jdom_get(root, "controlPlane") != NULL &&
	    (jdom_get(jdom_get(root, "controlPlane"), "url") != NULL ||
	    jdom_get(jdom_get(root, "controlPlane"), "token") != NULL)) {
		conf_error(&e, jdom_get(root, "controlPlane"), "controlPlane",
		    "url and token belong in \"bootstrap\" in bootstrap mode");
		goto fail;
	}
	if (conf_apply(&e, c, root) == -1)
		goto fail;
	jdom_free(root);
	return c;
 fail:
	jdom_free(root);
	config_free(c);
	return NULL;
}

struct moenet_conf *
config_load(const char *file, char *err, size_t errlen)
{
	struct moenet_conf	*c;
	struct stat		 st;
	struct cerr		 e;
	char			*buf;
	ssize_t			 n;
	size_t			 len = 0;
	int			 fd, perm;

	e.file = file;
	e.buf = err;
	e.len = errlen;
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1) {
		conf_error(&e, NULL, NULL, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1) {
		conf_error(&e, NULL, NULL, "%s", strerror(errno));
		close(fd);
		return NULL;
	}
	if ((buf = malloc(CONF_MAX_FILE + 1)) == NULL) {
		close(fd);
		conf_error(&e, NULL, NULL, "out of memory");
		return NULL;
	}
	while ((n = read(fd, buf + len, CONF_MAX_FILE + 1 - len)) > 0) {
		len += n;
		if (len > CONF_MAX_FILE)
			break;
	}
	close(fd);
	if (n == -1 || len > CONF_MAX_FILE) {
		conf_error(&e, NULL, NULL, "%s", n == -1 ? strerror(errno) :
		    "larger than 1 MiB");
		freezero(buf, CONF_MAX_FILE + 1);
		return NULL;
	}
	buf[len] = '\0';
	c = config_load_buf(file, buf, len, err, errlen);
	freezero(buf, CONF_MAX_FILE + 1);
	if (c == NULL)
		return NULL;
	perm = S_ISREG(st.st_mode) ? (st.st_mode & (S_IRWXG | S_IRWXO)) : 0;
	if (perm)
		perm = st.st_mode & 07777;
	if (conf_finish(&e, c, perm) == -1) {
		config_free(c);
		return NULL;
	}
	return c;
}

void
config_free(struct moenet_conf *c)
{
	if (c != NULL)
		freezero(c, sizeof(*c));
}

static void
print_str(FILE *f, const char *s)
{
	char	 esc[2 * PATH_MAX];

	json_escape(esc, sizeof(esc), s);
	fprintf(f, "\"%s\"", esc);
}

/*
 * Print the configuration as JSON, normalized: every key with its value
 * or default, in the order of the table, secrets replaced.  The output
 * is a valid configuration file for the same mode.
 */
void
config_print(FILE *f, const struct moenet_conf *c)
{
	const char	*sec = NULL, *field;
	size_t		 i;
	int		 first_sec = 1, first_key = 0, mask, v;

	mask = c->mode == CONF_MODE_BOOTSTRAP ? M_BOOT : M_FULL;
	fprintf(f, "{");
	for (i = 0; i < NCKEYS; i++) {
		const struct ckey	*k = &ckeys[i];

		if (k->section == NULL || !(k->modes & mask))
			continue;
		field = (const char *)c + k->off;
		if (k->type == C_STR && field[0] == '\0')
			continue;
		if (k->off == offsetof(struct moenet_conf, cp_token) &&
		    c->cp_token_file[0] != '\0')
			continue;
		if (sec == NULL || strcmp(sec, k->section) != 0) {
			if (sec != NULL)
				fprintf(f, "\n\t}");
			fprintf(f, "%s\n\t\"%s\": {", first_sec ? "" : ",",
			    k->section);
			sec = k->section;
			first_sec = 0;
			first_key = 1;
		}
		fprintf(f, "%s\n\t\t\"%s\": ", first_key ? "" : ",", k->name);
		first_key = 0;
		switch (k->type) {
		case C_STR:
			if (k->check == CK_TOKEN)
				print_str(f, REDACTED);
			else
				print_str(f, field);
			break;
		case C_INT:
		case C_DUR:
			memcpy(&v, field, sizeof(v));
			fprintf(f, "%d", v);
			break;
		case C_ENUM:
			memcpy(&v, field, sizeof(v));
			print_str(f, k->enums[v]);
			break;
		case C_IGNORE:
			break;
		}
	}
	if (sec != NULL)
		fprintf(f, "\n\t}");
	fprintf(f, "\n}\n");
}

/*
 * The TCP ports the fetcher may connect to (Landlock): the control
 * plane's, as "443" or "8443".
 */
void
config_cp_ports(const struct moenet_conf *c, char *buf, size_t len)
{
	const char	*p, *end, *errstr;
	char		 port[8];
	size_t		 pl;
	long long	 v;

	p = strstr(c->cp_url, "://");
	p = p == NULL ? c->cp_url : p + 3;
	if (*p == '[' && (end = strchr(p, ']')) != NULL)
		p = end + 1;
	else
		p += strcspn(p, ":/?#");
	v = strncmp(c->cp_url, "https://", 8) == 0 ? 443 : 80;
	if (*p == ':') {
		pl = strcspn(p + 1, "/?#");
		if (pl > 0 && pl < sizeof(port)) {
			memcpy(port, p + 1, pl);
			port[pl] = '\0';
			v = strtonum(port, 1, 65535, &errstr);
			if (errstr != NULL)
				v = 443;
		}
	}
	snprintf(buf, len, "%lld", v);
}

/*
 * Lay a document of config sections over a loaded configuration: the
 * node configuration from the control plane in bootstrap mode, or its
 * cached copy.  Same table, same checks, same error text as the file.
 */
int
config_overlay_buf(struct moenet_conf *c, const char *name, const char *buf,
    size_t len, char *err, size_t errlen)
{
	struct moenet_conf	 tmp;
	struct jnode		*root;
	struct cerr		 e;
	char			 jerr[256];

	e.file = name;
	e.buf = err;
	e.len = errlen;
	if ((root = jdom_parse(buf, len, CONF_MAXDEPTH, jerr,
	    sizeof(jerr))) == NULL) {
		snprintf(err, errlen, "%s:%s", name, jerr);
		return -1;
	}
	/* All or nothing: a bad key leaves the configuration as it was. */
	tmp = *c;
	if (root->type != J_OBJECT) {
		conf_error(&e, root, NULL, "top level must be an object");
		goto fail;
	}
	if (jdom_get(root, "bootstrap") != NULL ||
	    jdom_get(root, "controlPlane") != NULL) {
		conf_error(&e, root, NULL, "may not change the control plane");
		goto fail;
	}
	if (conf_apply(&e, &tmp, root) == -1)
		goto fail;
	jdom_free(root);
	*c = tmp;
	explicit_bzero(&tmp, sizeof(tmp));
	return 0;
 fail:
	jdom_free(root);
	explicit_bzero(&tmp, sizeof(tmp));
	return -1;
}
