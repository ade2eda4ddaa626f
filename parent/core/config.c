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
 * apart.  Every problem names the file, the line, the key and the
 * reason, and a load reports all of them (config.h: conf_report).
 *
 * Files written for the previous agent keep working: its units (all
 * durations in seconds but retryInitialDelay, in milliseconds), its
 * habits (0 or "" for "the default" or "not set") and its keys this
 * agent does not use (a notice each).
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/core/config.h"
#include "parent/core/jdom.h"

#define CONF_MAXDEPTH	8
#define REDACTED	"********"
#define SUGGEST_MAXLEN	64	/* longer names get no suggestion */
#define SUGGEST_DIST	2

#ifndef MOENET_TEMPLATEDIR
#define MOENET_TEMPLATEDIR	"/usr/local/share/moenet-agent/templates"
#endif

enum ctype {
	C_STR,
	C_INT,
	C_DUR,		/* seconds: a number, or "30s", "5m", "1h" */
	C_MSEC,		/* milliseconds: a number, or "500ms", "1s", "2m" */
	C_ENUM,
	C_BOOL,		/* true or false */
	C_IFLIST,	/* interface names: an array, stored space separated */
	C_IGNORE	/* read and ignored with a notice; sdef says why */
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

/*
 * A number 0 means the default, as in the previous agent's files,
 * unless 0 is a value of its own (a keepalive of 0 is off).
 */
#define KF_ZERO		0x1

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
	int			 flags;
};

static const char *const backend_names[] = { "auto", "kernel", "userspace",
    NULL };
static const char *const mesh_allowed_names[] = { "network", "any", NULL };
static const char *const logfmt_names[] = { "text", "json", NULL };
static const char *const level_names[] = { "error", "warn", "info", "debug",
    NULL };
static const char *const sandbox_names[] = { "kill", "log", NULL };
static const char *const fw_mode_names[] = { "auto", "iptables-nft",
    "nftables", "none", NULL };

#define O(f)		offsetof(struct moenet_conf, f), \
			    sizeof(((struct moenet_conf *)0)->f)
#define STR(sec, key, f, ck, def, m) \
	{ sec, key, NULL, C_STR, ck, O(f), 0, 0, 0, def, NULL, m, 0 }
#define INT(sec, key, f, lo, hi, def, m) \
	{ sec, key, NULL, C_INT, CK_NONE, O(f), lo, hi, def, NULL, NULL, m, 0 }
#define INT0(sec, key, f, lo, hi, def, m) \
	{ sec, key, NULL, C_INT, CK_NONE, O(f), lo, hi, def, NULL, NULL, m, \
	    KF_ZERO }
#define DUR(sec, key, f, lo, hi, def, m) \
	{ sec, key, NULL, C_DUR, CK_NONE, O(f), lo, hi, def, NULL, NULL, m, 0 }
#define DUR0(sec, key, f, lo, hi, def, m) \
	{ sec, key, NULL, C_DUR, CK_NONE, O(f), lo, hi, def, NULL, NULL, m, \
	    KF_ZERO }
#define MSEC(sec, key, f, lo, hi, def, m) \
	{ sec, key, NULL, C_MSEC, CK_NONE, O(f), lo, hi, def, NULL, NULL, m, \
	    0 }
#define ENUM(sec, key, f, names, def, m) \
	{ sec, key, NULL, C_ENUM, CK_NONE, O(f), 0, 0, def, NULL, names, m, 0 }
#define BOOL(sec, key, f, def, m) \
	{ sec, key, NULL, C_BOOL, CK_NONE, O(f), 0, 1, def, NULL, NULL, m, 0 }
/* A key of the previous agent that this one does not use. */
#define OLD(sec, key) \
	{ sec, key, NULL, C_IGNORE, CK_NONE, 0, 0, 0, 0, 0, \
	    "used by the previous agent only, ignored", NULL, 0, 0 }

static const struct ckey ckeys[] = {
	{ "bootstrap", "controlPlaneUrl", "apiUrl", C_STR, CK_URL,
	    O(cp_url), 0, 0, 0, NULL, NULL, M_BOOT, 0 },
	STR("bootstrap", "nodeName", node_name, CK_NODENAME, NULL, M_BOOT),
	STR("bootstrap", "token", cp_token, CK_TOKEN, NULL, M_BOOT),
	STR("bootstrap", "tokenFile", cp_token_file, CK_PATH, NULL, M_BOOT),

	STR("server", "listen", srv_listen, CK_LISTEN, "localhost:24368",
	    M_BOTH),
	STR("server", "token", srv_token, CK_TOKEN, NULL, M_BOTH),
	OLD("server", "readTimeout"),
	OLD("server", "writeTimeout"),
	OLD("server", "idleTimeout"),

	STR("node", "name", node_name, CK_NODENAME, NULL, M_FULL),
	INT0("node", "id", node_id, 0, 13715, 0, M_FULL),
	STR("node", "region", node_region, CK_TEXT, NULL, M_FULL),
	STR("node", "publicIpv4", node_public_ipv4, CK_HOST4, NULL, M_BOTH),
	STR("node", "publicIpv6", node_public_ipv6, CK_HOST6, NULL, M_BOTH),
	OLD("node", "location"),
	OLD("node", "provider"),

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
	MSEC("controlPlane", "retryInitialDelay", cp_retry_initial_delay, 1,
	    300000, 1000, M_BOTH),
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
	STR("bird", "blacklistFile", bird_blacklist_file, CK_PATH,
	    "/etc/bird/blacklist.conf", M_BOTH),
	STR("bird", "localConfigFile", bird_local_file, CK_PATH,
	    "/etc/bird/local.conf", M_BOTH),
	STR("bird", "peerTemplate", bird_peer_template, CK_SYMBOL,
	    "dn42_peer", M_BOTH),
	STR("bird", "importFilter", bird_import_filter, CK_SYMBOL,
	    "dn42_import_filter", M_BOTH),
	STR("bird", "exportFilter", bird_export_filter, CK_SYMBOL,
	    "dn42_export_filter", M_BOTH),
	STR("bird", "templateDir", bird_template_dir, CK_PATH,
	    NULL, M_BOTH),
	STR("bird", "configFile", bird_config_file, CK_PATH,
	    "/etc/bird/bird.conf", M_BOTH),
	STR("bird", "command", bird_command, CK_COMMAND, "bird", M_BOTH),
	OLD("bird", "poolSize"),
	OLD("bird", "poolSizeMax"),
	OLD("bird", "ebgpConfTemplateFile"),

	STR("wireguard", "privateKeyPath", wg_privkey_path, CK_PATH, NULL,
	    M_FULL),
	STR("wireguard", "publicKeyPath", wg_pubkey_path, CK_PATH, NULL,
	    M_FULL),
	DUR0("wireguard", "persistentKeepaliveInterval", wg_keepalive, 0,
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
	{ "wireguard", "adopt", NULL, C_IFLIST, CK_IFNAME, O(wg_adopt), 0,
	    0, 0, NULL, NULL, M_BOTH, 0 },
	OLD("wireguard", "configDir"),

	DUR("metric", "pingTimeout", ping_timeout, 1, 60, 5, M_BOTH),
	INT("metric", "pingCount", ping_count, 1, 100, 4, M_BOTH),
	OLD("metric", "pingWorkers"),
	STR("diag", "resolver", diag_resolver, CK_TEXT, NULL, M_BOTH),

	STR("state", "dir", state_dir, CK_PATH, MOENET_STATEDIR, M_BOTH),
	STR("control", "socket", ctl_socket, CK_PATH, MOENET_CTLSOCK, M_BOTH),
	STR("control", "readOnlySocket", ctl_socket_ro, CK_PATH, NULL,
	    M_BOTH),
	ENUM("log", "format", log_format, logfmt_names, 0, M_BOTH),
	ENUM("log", "level", log_level, level_names, 2, M_BOTH),
	ENUM("sandbox", "seccomp", sandbox_mode, sandbox_names,
	    SANDBOX_MODE_KILL, M_BOTH),
	BOOL("firewall", "enabled", fw_enabled, 1, M_BOTH),
	ENUM("firewall", "mode", fw_mode, fw_mode_names, 0, M_BOTH),

	{ NULL, "autoUpdate", NULL, C_IGNORE, CK_NONE, 0, 0, 0, 0, 0,
	    "ignored: updates come from packages", NULL, 0, 0 },
};
#define NCKEYS	(sizeof(ckeys) / sizeof(ckeys[0]))

struct cerr {
	const char		*file;
	struct conf_report	*report;
};

static void	conf_diag(struct cerr *, enum conf_level, const struct jnode *,
		    const char *, const char *, va_list)
		    __attribute__((__format__ (printf, 5, 0)));
static int	conf_error(struct cerr *, const struct jnode *, const char *,
		    const char *, ...)
		    __attribute__((__format__ (printf, 4, 5)));
static void	conf_warning(struct cerr *, const struct jnode *, const char *,
		    const char *, ...)
		    __attribute__((__format__ (printf, 4, 5)));
static void	conf_notice(struct cerr *, const struct jnode *, const char *,
		    const char *, ...)
		    __attribute__((__format__ (printf, 4, 5)));
static int	conf_check(struct cerr *, const struct jnode *,
		    const struct ckey *, const char *, const char *);
static int	conf_set(struct cerr *, struct moenet_conf *,
		    const struct ckey *, const struct jnode *, const char *);
static int	conf_set_iflist(struct cerr *, char *, const struct ckey *,
		    const struct jnode *, const char *);
static int	conf_apply(struct cerr *, struct moenet_conf *, struct jnode *);
static void	conf_unknown(struct cerr *, const struct jnode *,
		    const char *, const char *);
static int	conf_finish(struct cerr *, struct moenet_conf *, int, int);
static int	refused(struct cerr *, const char *);
static int	conf_read_secret(struct cerr *, const char *, char *, size_t);
static int	conf_tighten(struct cerr *, int, mode_t, const char *);
static int	parse_duration(const char *, long long, long long *);
static int	check_host(const char *, int);
static void	conf_defaults(struct moenet_conf *);
static void	conf_set_default(struct moenet_conf *, const struct ckey *);
static int	edit_distance(const char *, const char *);
static int	suggest(const char *, const char *, int, char *, size_t);

/* "file:line: key: reason", as much of it as is known. */
static void
conf_diag(struct cerr *e, enum conf_level level, const struct jnode *n,
    const char *key, const char *fmt, va_list ap)
{
	char	 msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n != NULL && key != NULL)
		conf_report_add(e->report, level, key, "%s:%d: %s: %s",
		    e->file, n->line, key, msg);
	else if (n != NULL)
		conf_report_add(e->report, level, "", "%s:%d: %s", e->file,
		    n->line, msg);
	else if (key != NULL)
		conf_report_add(e->report, level, key, "%s: %s: %s", e->file,
		    key, msg);
	else
		conf_report_add(e->report, level, "", "%s: %s", e->file, msg);
}

static int
conf_error(struct cerr *e, const struct jnode *n, const char *key,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conf_diag(e, CONF_ERROR, n, key, fmt, ap);
	va_end(ap);
	return -1;
}

static void
conf_warning(struct cerr *e, const struct jnode *n, const char *key,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conf_diag(e, CONF_WARNING, n, key, fmt, ap);
	va_end(ap);
}

static void
conf_notice(struct cerr *e, const struct jnode *n, const char *key,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	conf_diag(e, CONF_NOTICE, n, key, fmt, ap);
	va_end(ap);
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

/*
 * A host in a URL or listen address: a literal or a DNS name; an IPv6
 * address only between brackets.
 */
static int
check_host(const char *h, int bracketed)
{
	struct in6_addr	 a6;

	if (bracketed)
		return inet_pton(AF_INET6, h, &a6) == 1;
	return strchr(h, ':') == NULL && host_check(h, strlen(h) + 1) == NULL;
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

/*
 * A duration in milliseconds: a number in the key's unit (unit_ms: 1
 * for milliseconds, 1000 for seconds), or a string with a unit: "ms",
 * "s", "m", "h".  A bare string of digits is in the key's unit too.
 */
static int
parse_duration(const char *s, long long unit_ms, long long *out)
{
	char		 buf[32];
	const char	*errstr;
	size_t		 len;
	long long	 mult = unit_ms, v;

	if (strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -1;
	len = strlen(buf);
	if (len == 0)
		return -1;
	if (len > 2 && strcmp(buf + len - 2, "ms") == 0) {
		mult = 1;
		len -= 2;
	} else if (buf[len - 1] == 's') {
		mult = 1000;
		len--;
	} else if (buf[len - 1] == 'm') {
		mult = 60 * 1000;
		len--;
	} else if (buf[len - 1] == 'h') {
		mult = 3600 * 1000;
		len--;
	}
	buf[len] = '\0';
	v = strtonum(buf, 0, 100000000, &errstr);
	if (errstr != NULL)
		return -1;
	*out = v * mult;
	return 0;
}

static void
conf_set_default(struct moenet_conf *c, const struct ckey *k)
{
	char	*field = (char *)c + k->off;

	switch (k->type) {
	case C_IGNORE:
		break;
	case C_STR:
	case C_IFLIST:
		strlcpy(field, k->sdef != NULL ? k->sdef : "", k->size);
		break;
	default:
		*(int *)(void *)field = (int)k->def;
		break;
	}
}

/*
 * An array of interface names, each checked, none twice; kept as one
 * space separated string, which is how the owner code reads it.
 */
static int
conf_set_iflist(struct cerr *e, char *field, const struct ckey *k,
    const struct jnode *n, const char *path)
{
	const struct jnode	*m;
	char			 word[IFNAMSIZ + 2];
	int			 count = 0;

	if (n->type != J_ARRAY)
		return conf_error(e, n, path, "expected an array of "
		    "interface names, got %s", jdom_type_name(n->type));
	field[0] = '\0';
	TAILQ_FOREACH(m, &n->children, entry) {
		if (m->type != J_STRING)
			return conf_error(e, m, path, "expected interface "
			    "names, got %s", jdom_type_name(m->type));
		if (conf_check(e, m, k, path, m->str) == -1)
			return -1;
		if (++count > CONF_ADOPT_MAX)
			return conf_error(e, m, path, "at most %d names",
			    CONF_ADOPT_MAX);
		snprintf(word, sizeof(word), " %s ", m->str);
		if (field[0] != '\0' && strstr(field, word) != NULL)
			return conf_error(e, m, path, "\"%s\" twice",
			    m->str);
		/* " a b " form: a name is found as " name ". */
		if (field[0] == '\0')
			strlcpy(field, " ", k->size);
		strlcat(field, m->str, k->size);
		strlcat(field, " ", k->size);
	}
	return 0;
}

static int
conf_set(struct cerr *e, struct moenet_conf *c, const struct ckey *k,
    const struct jnode *n, const char *path)
{
	char		*field = (char *)c + k->off;
	const char	*errstr, *unit;
	long long	 v = 0, scale;
	int		 i;

	/* The previous agent's habit: "" is "not set", so the default. */
	if (n->type == J_STRING && n->str[0] == '\0' && k->type != C_IGNORE) {
		conf_set_default(c, k);
		return 0;
	}
	switch (k->type) {
	case C_IGNORE:
		conf_notice(e, n, path, "%s", k->sdef);
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
		v = strtonum(n->str, k->min < 0 ? k->min : 0, k->max, &errstr);
		if (errstr == NULL && v == 0 && !(k->flags & KF_ZERO))
			v = k->def;
		if (errstr != NULL || v < k->min)
			return conf_error(e, n, path, "must be an integer "
			    "from %lld to %lld%s", k->min, k->max,
			    k->flags & KF_ZERO ? "" : " (0: the default)");
		break;
	case C_DUR:
	case C_MSEC:
		scale = k->type == C_DUR ? 1000 : 1;
		unit = k->type == C_DUR ? "seconds" : "milliseconds";
		if ((n->type != J_NUMBER && n->type != J_STRING) ||
		    parse_duration(n->str, scale, &v) == -1)
			return conf_error(e, n, path, "expected %s (a number, "
			    "or a string such as %s)", unit,
			    k->type == C_DUR ? "\"30s\", \"5m\", \"1h\"" :
			    "\"500ms\", \"1s\", \"2m\"");
		if (v % scale != 0)
			return conf_error(e, n, path, "must be whole seconds");
		v /= scale;
		if (v == 0 && !(k->flags & KF_ZERO))
			v = k->def;
		if (v < k->min || v > k->max)
			return conf_error(e, n, path, "must be from %lld to "
			    "%lld %s%s", k->min, k->max, unit,
			    k->flags & KF_ZERO ? "" : " (0: the default)");
		break;
	case C_IFLIST:
		return conf_set_iflist(e, field, k, n, path);
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
	case C_BOOL:
		if (n->type != J_BOOL)
			return conf_error(e, n, path, "expected true or false, "
			    "got %s", jdom_type_name(n->type));
		v = n->boolean != 0;
		break;
	}
	*(int *)(void *)field = (int)v;
	return 0;
}

static void
conf_defaults(struct moenet_conf *c)
{
	size_t	 i;

	for (i = 0; i < NCKEYS; i++)
		conf_set_default(c, &ckeys[i]);
}

/*
 * Optimal string alignment distance, case folded: an insertion, a
 * deletion, a substitution or a swap of neighbours costs 1.
 */
static int
edit_distance(const char *a, const char *b)
{
	int	 d[SUGGEST_MAXLEN + 1][SUGGEST_MAXLEN + 1];
	size_t	 la = strlen(a), lb = strlen(b), i, j;
	int	 cost, v;

	if (la > SUGGEST_MAXLEN || lb > SUGGEST_MAXLEN)
		return INT_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			cost = tolower((unsigned char)a[i - 1]) !=
			    tolower((unsigned char)b[j - 1]);
			v = d[i - 1][j - 1] + cost;
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 &&
			    tolower((unsigned char)a[i - 1]) ==
			    tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) ==
			    tolower((unsigned char)b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

#define SUG_KEYS	0x1	/* the keys of section, or of all sections */
#define SUG_SECTIONS	0x2	/* section names and top-level keys */

/*
 * The known name closest to word, if it is close enough to be a typo:
 * at most SUGGEST_DIST edits, and fewer than the word has letters.
 * Keys of other sections come back as "section.key".
 */
static int
suggest(const char *section, const char *word, int what, char *out,
    size_t outlen)
{
	const struct ckey	*k;
	const char		*names[2];
	size_t			 i, j, wl = strlen(word);
	int			 best = SUGGEST_DIST + 1, dist;

	for (i = 0; i < NCKEYS; i++) {
		k = &ckeys[i];
		if (what & SUG_SECTIONS) {
			names[0] = k->section != NULL ? k->section : k->name;
			dist = edit_distance(word, names[0]);
			if (dist < best && (size_t)dist < wl) {
				best = dist;
				strlcpy(out, names[0], outlen);
			}
		}
		if (!(what & SUG_KEYS) || k->section == NULL ||
		    (section != NULL && strcmp(section, k->section) != 0))
			continue;
		names[0] = k->name;
		names[1] = k->alias;
		for (j = 0; j < 2 && names[j] != NULL; j++) {
			dist = edit_distance(word, names[j]);
			if (dist >= best || (size_t)dist >= wl)
				continue;
			best = dist;
			if (section != NULL)
				strlcpy(out, names[j], outlen);
			else
				snprintf(out, outlen, "%s.%s", k->section,
				    names[j]);
		}
	}
	return best <= SUGGEST_DIST;
}

static int
is_comment(const char *key)
{
	return strcmp(key, "_comment") == 0;
}

/*
 * A member the table does not know: a warning, never an error (a newer
 * file on an older agent), naming what it may be a typo of.  section is
 * NULL for a top-level member.
 */
static void
conf_unknown(struct cerr *e, const struct jnode *n, const char *section,
    const char *path)
{
	const struct jnode	*k;
	char			 sug[CONF_KEY_LEN], kpath[CONF_KEY_LEN];

	if (section != NULL) {
		if (suggest(section, n->key, SUG_KEYS, sug, sizeof(sug)))
			conf_warning(e, n, path, "unknown key, ignored (did "
			    "you mean '%s'?)", sug);
		else
			conf_warning(e, n, path, "unknown key, ignored");
		return;
	}
	if (suggest(NULL, n->key, SUG_SECTIONS, sug, sizeof(sug))) {
		conf_warning(e, n, path, "unknown section, ignored (did you "
		    "mean '%s'?)", sug);
		return;
	}
	if (n->type != J_OBJECT) {
		if (suggest(NULL, n->key, SUG_KEYS, sug, sizeof(sug)))
			conf_warning(e, n, path, "unknown key, ignored (did "
			    "you mean '%s'?)", sug);
		else
			conf_warning(e, n, path, "unknown key, ignored");
		return;
	}
	conf_warning(e, n, path, "unknown section, ignored");
	/* A section under another name: its keys may say which. */
	TAILQ_FOREACH(k, &n->children, entry) {
		if (!suggest(NULL, k->key, SUG_KEYS, sug, sizeof(sug)))
			continue;
		snprintf(kpath, sizeof(kpath), "%s.%s", n->key, k->key);
		conf_warning(e, k, kpath, "in an unknown section, ignored "
		    "(did you mean '%s'?)", sug);
	}
}

/* Every member of root onto c; 0, or -1 after any error. */
static int
conf_apply(struct cerr *e, struct moenet_conf *c, struct jnode *root)
{
	const struct ckey	*top;
	struct jnode		*sec, *n;
	char			 path[CONF_KEY_LEN];
	size_t			 i;
	int			 known, rc = 0;

	if (root->type != J_OBJECT)
		return conf_error(e, root, NULL, "top level must be an "
		    "object");

	TAILQ_FOREACH(sec, &root->children, entry) {
		if (is_comment(sec->key)) {
			conf_notice(e, sec, sec->key, "a comment, ignored");
			continue;
		}
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
				rc = -1;
			continue;
		}
		if (!known) {
			conf_unknown(e, sec, NULL, sec->key);
			continue;
		}
		if (sec->type == J_NULL)
			continue;
		if (sec->type != J_OBJECT) {
			rc = conf_error(e, sec, sec->key, "expected an "
			    "object, got %s", jdom_type_name(sec->type));
			continue;
		}
		TAILQ_FOREACH(n, &sec->children, entry) {
			snprintf(path, sizeof(path), "%s.%s", sec->key,
			    n->key);
			if (is_comment(n->key)) {
				conf_notice(e, n, path, "a comment, ignored");
				continue;
			}
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
				conf_unknown(e, n, sec->key, path);
				continue;
			}
			if (n->type == J_NULL)
				continue;
			if (conf_set(e, c, &ckeys[i], n, path) == -1)
				rc = -1;
		}
	}
	return rc;
}

/*
 * A file holding a secret that group or others may read: at start the
 * agent (root) takes the access away and says so; -n says it will.
 * Either way the file is used: a router set up by the control plane's
 * script (umask 022) must come up.
 */
static int
conf_tighten(struct cerr *e, int fd, mode_t mode, const char *what)
{
	mode_t	 tight = mode & S_IRWXU;

	if (e->report->check_only) {
		conf_warning(e, NULL, NULL, "mode %04o lets group or others "
		    "read %s; the agent will tighten it to %04o at start",
		    (unsigned int)(mode & 07777), what, (unsigned int)tight);
		return 0;
	}
	if (fchmod(fd, tight) == -1) {
		conf_warning(e, NULL, NULL, "mode %04o lets group or others "
		    "read %s, and it cannot be tightened: %s; chmod 600 it",
		    (unsigned int)(mode & 07777), what, strerror(errno));
		return -1;
	}
	conf_warning(e, NULL, NULL, "mode %04o let group or others read %s; "
	    "tightened to %04o", (unsigned int)(mode & 07777), what,
	    (unsigned int)tight);
	return 0;
}

/* A file holding a secret: regular, one line, ours alone to read. */
static int
conf_read_secret(struct cerr *e, const char *file, char *out, size_t outsz)
{
	struct cerr	 fe;
	struct stat	 st;
	ssize_t		 n;
	int		 fd;

	fe.file = file;
	fe.report = e->report;
	if ((fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return conf_error(&fe, NULL, NULL, "%s", strerror(errno));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return conf_error(&fe, NULL, NULL, "not a regular file");
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		conf_tighten(&fe, fd, st.st_mode, "the token");
	n = read(fd, out, outsz - 1);
	close(fd);
	if (n <= 0)
		return conf_error(&fe, NULL, NULL, "empty or unreadable");
	out[n] = '\0';
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	if ((size_t)n >= outsz - 2 || !check_printable(out, 0)) {
		explicit_bzero(out, outsz);
		return conf_error(&fe, NULL, NULL, "token must be one line "
		    "of printable ASCII, at most %zu bytes", outsz - 2);
	}
	return 0;
}

static int
refused(struct cerr *e, const char *key)
{
	return conf_report_has(e->report, CONF_ERROR, key);
}

/* What no single key says: required keys, and keys that go together. */
static int
conf_finish(struct cerr *e, struct moenet_conf *c, int fd, int mode)
{
	const char	*sec = c->mode == CONF_MODE_BOOTSTRAP ?
			    "bootstrap" : "controlPlane";
	char		 key[64];
	int		 rc = 0, tokfile_bad;

	/* A value refused above is not "missing" as well. */
	snprintf(key, sizeof(key), "%s.%s", sec,
	    c->mode == CONF_MODE_BOOTSTRAP ? "controlPlaneUrl" : "url");
	if (c->cp_url[0] == '\0' && !refused(e, key) &&
	    !refused(e, "bootstrap.apiUrl"))
		rc = conf_error(e, NULL, key, "missing");
	snprintf(key, sizeof(key), "%s", c->mode == CONF_MODE_BOOTSTRAP ?
	    "bootstrap.nodeName" : "node.name");
	if (c->node_name[0] == '\0' && !refused(e, key))
		rc = conf_error(e, NULL, key, "missing");
	snprintf(key, sizeof(key), "%s.tokenFile", sec);
	tokfile_bad = refused(e, key);
	snprintf(key, sizeof(key), "%s.token", sec);
	if (tokfile_bad || refused(e, key))
		rc = -1;
	else if (c->cp_token[0] != '\0' && c->cp_token_file[0] != '\0')
		rc = conf_error(e, NULL, key, "give either token or "
		    "tokenFile, not both");
	else if (c->cp_token[0] == '\0' && c->cp_token_file[0] == '\0')
		rc = conf_error(e, NULL, key, "missing (or tokenFile)");
	else if (c->cp_token_file[0] != '\0' &&
	    conf_read_secret(e, c->cp_token_file, c->cp_token,
	    sizeof(c->cp_token)) == -1)
		rc = -1;
	if ((c->cp_token[0] != '\0' || c->srv_token[0] != '\0') &&
	    c->cp_token_file[0] == '\0' && (mode & (S_IRWXG | S_IRWXO)))
		conf_tighten(e, fd, mode, "the token it holds");

	if (c->mode == CONF_MODE_FULL) {
		if (c->wg_dn42_ipv6[0] == '\0' &&
		    c->wg_dn42_ipv6_ll[0] == '\0' &&
		    !refused(e, "wireguard.dn42Ipv6") &&
		    !refused(e, "wireguard.dn42Ipv6LinkLocal"))
			rc = conf_error(e, NULL, "wireguard.dn42Ipv6",
			    "missing (needed for the tunnels' link-local "
			    "address unless dn42Ipv6LinkLocal is set)");
		if (c->wg_privkey_path[0] == '\0' &&
		    !refused(e, "wireguard.privateKeyPath"))
			rc = conf_error(e, NULL, "wireguard.privateKeyPath",
			    "missing");
	}
	if (strcmp(c->bird_peer_dir, c->bird_policy_dir) == 0)
		rc = conf_error(e, NULL, "bird.policyDir", "must differ "
		    "from bird.peerConfDir");
	return rc;
}

/*
 * The document alone, without the files it names.  The configuration
 * comes back with the errors of its keys (their fields at the defaults)
 * and NULL only when there is nothing to read keys from.
 */
static struct moenet_conf *
conf_load_buf(const char *file, const char *buf, size_t len,
    struct conf_report *r, int *known)
{
	struct moenet_conf	*c;
	struct jnode		*root, *cp;
	struct cerr		 e;
	char			 jerr[256];

	*known = 1;
	e.file = file;
	e.report = r;
	if ((root = jdom_parse(buf, len, CONF_MAXDEPTH, jerr,
	    sizeof(jerr))) == NULL) {
		conf_report_add(r, CONF_ERROR, "", "%s:%s", file, jerr);
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		jdom_free(root);
		conf_report_add(r, CONF_ERROR, "", "%s: out of memory", file);
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
		/* Still read the keys: their errors are worth knowing. */
		conf_error(&e, NULL, NULL, "neither a \"bootstrap\" section "
		    "nor full mode (node.name and wireguard.dn42Ipv4)");
		*known = 0;
	}

	/* Keys of the other mode's CP section are refused, not merged. */
	cp = jdom_get(root, "controlPlane");
	if (*known && c->mode == CONF_MODE_BOOTSTRAP &&
	    (jdom_get(cp, "url") != NULL || jdom_get(cp, "token") != NULL))
		conf_error(&e, cp, "controlPlane", "url and token belong in "
		    "\"bootstrap\" in bootstrap mode");
	conf_apply(&e, c, root);
	jdom_free(root);
	return c;
 fail:
	jdom_free(root);
	config_free(c);
	return NULL;
}

/* What the fuzzer sees: NULL when the document has any error. */
struct moenet_conf *
config_load_buf_report(const char *file, const char *buf, size_t len,
    struct conf_report *r)
{
	struct moenet_conf	*c;
	int			 nerr = r->count[CONF_ERROR], known;

	c = conf_load_buf(file, buf, len, r, &known);
	if (c != NULL && r->count[CONF_ERROR] > nerr) {
		config_free(c);
		c = NULL;
	}
	return c;
}

struct moenet_conf *
config_load_buf(const char *file, const char *buf, size_t len, char *err,
    size_t errlen)
{
	struct moenet_conf	*c;
	struct conf_report	 r;

	conf_report_init(&r, 1);
	if ((c = config_load_buf_report(file, buf, len, &r)) == NULL)
		strlcpy(err, conf_report_first(&r, CONF_ERROR) != NULL ?
		    conf_report_first(&r, CONF_ERROR) : "error", errlen);
	conf_report_clear(&r);
	return c;
}

/*
 * The file, then what it names (the token file); every problem goes
 * into r.  NULL when there is any error, except with r->check_only
 * (-n), where the configuration comes back for the checks that follow
 * and the caller looks at r->count.  Unless r->check_only, a file
 * holding a secret that others may read is tightened on the way.
 */
struct moenet_conf *
config_load_report(const char *file, struct conf_report *r)
{
	struct moenet_conf	*c;
	struct stat		 st;
	struct cerr		 e;
	char			*buf;
	ssize_t			 n;
	size_t			 len = 0;
	int			 fd, known, nerr = r->count[CONF_ERROR];

	e.file = file;
	e.report = r;
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
	if (n == -1 || len > CONF_MAX_FILE) {
		conf_error(&e, NULL, NULL, "%s", n == -1 ? strerror(errno) :
		    "larger than 1 MiB");
		freezero(buf, CONF_MAX_FILE + 1);
		close(fd);
		return NULL;
	}
	buf[len] = '\0';
	c = conf_load_buf(file, buf, len, r, &known);
	freezero(buf, CONF_MAX_FILE + 1);
	if (c != NULL && known)
		conf_finish(&e, c, fd, S_ISREG(st.st_mode) ? st.st_mode : 0);
	close(fd);
	if (c != NULL && r->count[CONF_ERROR] > nerr && !r->check_only) {
		config_free(c);
		c = NULL;
	}
	return c;
}

/*
 * For a start and a reload: every problem logged at its level; err
 * says how many errors there were, which were logged above it.
 */
struct moenet_conf *
config_load(const char *file, char *err, size_t errlen)
{
	struct moenet_conf	*c;
	struct conf_report	 r;
	int			 nerr;

	conf_report_init(&r, 0);
	c = config_load_report(file, &r);
	conf_report_log(&r);
	nerr = r.count[CONF_ERROR];
	/* The first error itself, for whoever sees only this line. */
	if (c == NULL && nerr > 1)
		snprintf(err, errlen, "%s (and %d more error%s): not used",
		    conf_report_first(&r, CONF_ERROR), nerr - 1,
		    nerr == 2 ? "" : "s");
	else if (c == NULL && nerr == 1)
		snprintf(err, errlen, "%s: not used",
		    conf_report_first(&r, CONF_ERROR));
	else if (c == NULL)
		snprintf(err, errlen, "%s: not used", file);
	conf_report_clear(&r);
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

/* " a b " as ["a", "b"]. */
static void
print_iflist(FILE *f, const char *list)
{
	char	 buf[CONF_ADOPT_MAX * 17 + 2], *s, *w;
	int	 first = 1;

	strlcpy(buf, list, sizeof(buf));
	fprintf(f, "[");
	for (s = buf; (w = strsep(&s, " ")) != NULL;) {
		if (*w == '\0')
			continue;
		fprintf(f, "%s", first ? "" : ", ");
		print_str(f, w);
		first = 0;
	}
	fprintf(f, "]");
}

/*
 * The keys whose values differ between a and b, "section.key", in the
 * order of the table; a key given in one and defaulted in the other
 * counts only if the values differ.  A secret is named, never shown.
 */
void
config_diff(const struct moenet_conf *a, const struct moenet_conf *b,
    void (*cb)(const char *, void *), void *arg)
{
	const char	*fa, *fb;
	char		 key[128];
	size_t		 i;
	int		 differ;

	for (i = 0; i < NCKEYS; i++) {
		const struct ckey	*k = &ckeys[i];

		if (k->section == NULL || k->type == C_IGNORE || k->size == 0)
			continue;
		fa = (const char *)a + k->off;
		fb = (const char *)b + k->off;
		if (k->type == C_STR || k->type == C_IFLIST)
			differ = strncmp(fa, fb, k->size) != 0;
		else
			differ = memcmp(fa, fb, k->size) != 0;
		if (!differ)
			continue;
		snprintf(key, sizeof(key), "%s.%s", k->section, k->name);
		cb(key, arg);
	}
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
		if ((k->type == C_STR || k->type == C_IFLIST) &&
		    field[0] == '\0')
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
		case C_MSEC:
			memcpy(&v, field, sizeof(v));
			fprintf(f, "%d", v);
			break;
		case C_ENUM:
			memcpy(&v, field, sizeof(v));
			print_str(f, k->enums[v]);
			break;
		case C_BOOL:
			memcpy(&v, field, sizeof(v));
			fprintf(f, "%s", v ? "true" : "false");
			break;
		case C_IFLIST:
			print_iflist(f, field);
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
	struct conf_report	 r;
	struct jnode		*root;
	struct cerr		 e;
	char			 jerr[256];
	int			 rc = -1;

	conf_report_init(&r, 1);
	e.file = name;
	e.report = &r;
	if ((root = jdom_parse(buf, len, CONF_MAXDEPTH, jerr,
	    sizeof(jerr))) == NULL) {
		snprintf(err, errlen, "%s:%s", name, jerr);
		return -1;
	}
	/* All or nothing: a bad key leaves the configuration as it was. */
	tmp = *c;
	if (root->type != J_OBJECT)
		conf_error(&e, root, NULL, "top level must be an object");
	else if (jdom_get(root, "bootstrap") != NULL ||
	    jdom_get(root, "controlPlane") != NULL)
		conf_error(&e, root, NULL, "may not change the control plane");
	else if (conf_apply(&e, &tmp, root) == 0) {
		*c = tmp;
		rc = 0;
	}
	if (rc == -1)
		strlcpy(err, conf_report_first(&r, CONF_ERROR) != NULL ?
		    conf_report_first(&r, CONF_ERROR) : "error", errlen);
	else
		conf_report_log(&r);
	conf_report_clear(&r);
	jdom_free(root);
	explicit_bzero(&tmp, sizeof(tmp));
	return rc;
}

/* An address of the config ("addr" or "addr/len"): 0, or -1. */
int
config_addr(const char *s, int af, void *out)
{
	char	 buf[CONF_ADDR_LEN], *slash;

	if (s == NULL || *s == '\0' ||
	    strlcpy(buf, s, sizeof(buf)) >= sizeof(buf))
		return -1;
	if ((slash = strchr(buf, '/')) != NULL)
		*slash = '\0';
	return inet_pton(af, buf, out) == 1 ? 0 : -1;
}
