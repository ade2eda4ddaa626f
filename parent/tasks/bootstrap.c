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
 * Bootstrap mode: the local file names only the control plane, this
 * router and the token; the rest of the configuration comes from the
 * control plane's node config, laid over the local file and cached in
 * the state directory so that the agent can start while the control
 * plane is down.  Until a fetch succeeds it keeps asking.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/core/jw.h"
#include "parent/core/parent.h"
#include "cp.h"
#include "parent/ports/cpclient.h"
#include "parent/ports/cphealth.h"
#include "parent/tasks/bootstrap.h"
#include "parent/tasks/engine.h"
#include "parent/tasks/policy.h"
#include "parent/core/statefile.h"
#include "parent/core/store.h"
#include "parent/core/reload.h"
#include "parent/ports/wg.h"

#define NODECONF_RETRY_MAX	300

static void	(*bootstrap_ready)(void);
static struct event	 ev_retry;
static int		 started, cache_tried, failures;

static void	bootstrap_fetch(int, short, void *);
static void	bootstrap_done(const struct cp_result_msg *,
		    const struct cp_reply *, void *);
static int	bootstrap_load_cache(void);
static void	bootstrap_go(const char *);
static void	bootstrap_conf_changed(void);
static int	bootstrap_reload(struct moenet_conf *, char *, size_t);

static void
addr_text(int af, const void *a, int plen, char *out, size_t len)
{
	char	 s[INET6_ADDRSTRLEN];

	inet_ntop(af, a, s, sizeof(s));
	if (plen > 0)
		snprintf(out, len, "%s/%d", s, plen);
	else
		strlcpy(out, s, len);
}

/*
 * The node config as config-file sections, only the keys the control
 * plane gave; parsed back by the config table like any file.
 */
int
bootstrap_nodeconf_json(const struct cp_nodeconf_msg *nc, char *buf,
    size_t len)
{
	struct jw	 j;
	FILE		*f;
	char		 a[64], *out = NULL;
	size_t		 outlen = 0;

	if ((f = open_memstream(&out, &outlen)) == NULL)
		return -1;
	jw_init(&j, f);
	jw_open(&j, NULL, '{');
	jw_open(&j, "node", '{');
	if (nc->has & CP_NC_NODE_ID)
		jw_int(&j, "id", nc->node_id);
	if (nc->has & CP_NC_NODE_REGION)
		jw_str(&j, "region", nc->region);
	jw_close(&j, '}');
	jw_open(&j, "bird", '{');
	if (nc->has & CP_NC_BIRD_SOCKET)
		jw_str(&j, "controlSocket", nc->bird_socket);
	if (nc->has & CP_NC_BIRD_PEERDIR)
		jw_str(&j, "peerConfDir", nc->bird_peerdir);
	if (nc->has & CP_NC_BIRD_IBGPDIR)
		jw_str(&j, "ibgpConfDir", nc->bird_ibgpdir);
	if (nc->has & CP_NC_BIRD_POLICYDIR)
		jw_str(&j, "policyDir", nc->bird_policydir);
	if (nc->has & CP_NC_BIRD_MAINTFILE)
		jw_str(&j, "maintenanceFile", nc->bird_maintfile);
	jw_close(&j, '}');
	jw_open(&j, "wireguard", '{');
	if (nc->has & CP_NC_WG_PRIVPATH)
		jw_str(&j, "privateKeyPath", nc->wg_privpath);
	if (nc->has & CP_NC_WG_PUBPATH)
		jw_str(&j, "publicKeyPath", nc->wg_pubpath);
	if (nc->has & CP_NC_WG_KEEPALIVE)
		jw_int(&j, "persistentKeepaliveInterval", nc->wg_keepalive);
	if (nc->has & CP_NC_WG_IPV4) {
		addr_text(AF_INET, &nc->wg_ipv4, nc->wg_ipv4_len, a,
		    sizeof(a));
		jw_str(&j, "dn42Ipv4", a);
	}
	if (nc->has & CP_NC_WG_IPV6) {
		addr_text(AF_INET6, &nc->wg_ipv6, nc->wg_ipv6_len, a,
		    sizeof(a));
		jw_str(&j, "dn42Ipv6", a);
	}
	if (nc->has & CP_NC_WG_IPV6LL) {
		addr_text(AF_INET6, &nc->wg_ipv6ll, nc->wg_ipv6ll_len, a,
		    sizeof(a));
		jw_str(&j, "dn42Ipv6LinkLocal", a);
	}
	jw_close(&j, '}');
	jw_open(&j, "metric", '{');
	if (nc->has & CP_NC_PING_TIMEOUT)
		jw_int(&j, "pingTimeout", nc->ping_timeout);
	if (nc->has & CP_NC_PING_COUNT)
		jw_int(&j, "pingCount", nc->ping_count);
	jw_close(&j, '}');
	jw_close(&j, '}');
	fputc('\n', f);
	if (fclose(f) == EOF || out == NULL || outlen >= len) {
		free(out);
		return -1;
	}
	memcpy(buf, out, outlen + 1);
	free(out);
	return (int)outlen;
}

/*
 * A reload reads the local file again, which in bootstrap mode has no
 * node configuration: the last one the control plane gave (cached) is
 * laid over it before it is taken, as at start.
 */
static int
bootstrap_reload(struct moenet_conf *nc, char *err, size_t errlen)
{
	char	 path[PATH_MAX], *buf;
	size_t	 len;
	int	 rc;

	/* nc is not in force yet: its state.dir is the running one's. */
	if (nc->mode != CONF_MODE_BOOTSTRAP ||
	    store_path(STORE_NODECONF, NULL, path, sizeof(path)) == -1 ||
	    (buf = statefile_read(path, store_max(STORE_NODECONF), &len)) ==
	    NULL)
		return 0;
	rc = config_overlay_buf(nc, path, buf, len, err, errlen);
	free(buf);
	return rc;
}

void
bootstrap_start(void (*ready)(void))
{
	static const struct reload_hook	 hook = { "node configuration",
					    bootstrap_reload, NULL };

	bootstrap_ready = ready;
	reload_add(&hook);
	evtimer_set(&ev_retry, bootstrap_fetch, NULL);
	if (conf->mode != CONF_MODE_BOOTSTRAP) {
		bootstrap_go(NULL);
		return;
	}
	bootstrap_fetch(0, 0, NULL);
}

/*
 * What was read at start from the local file alone is read again with
 * the node config: the WireGuard key, then (once running) the loopback.
 */
static void
bootstrap_conf_changed(void)
{
	char	 err[512];

	if (children[PROC_WGCTL].hello && wg_reload_key(err,
	    sizeof(err)) == -1)
		log_warnx("WireGuard: %s; no tunnel will be configured until "
		    "it is fixed", err);
	if (engine_status()->started)
		policy_reload();
}

static void
bootstrap_go(const char *from)
{
	if (from != NULL)
		bootstrap_conf_changed();
	if (started)
		return;
	started = 1;
	if (from != NULL)
		log_info("node configuration from %s", from);
	bootstrap_ready();
}

static void
bootstrap_fetch(int fd, short event, void *arg)
{
	cp_fetch(CP_EP_CONFIG, bootstrap_done, NULL);
}

static void
bootstrap_done(const struct cp_result_msg *r, const struct cp_reply *rep,
    void *arg)
{
	static int	 said_autoupdate;
	struct timeval	 tv;
	char		 buf[8192], err[512], path[PATH_MAX];
	long long	 ms;
	int		 len;

	if (r->result == CP_RES_OK && rep->nodeconf != NULL) {
		/* Once: the node configuration comes again and again. */
		if ((rep->nodeconf->has & CP_NC_AUTOUPDATE) &&
		    !said_autoupdate) {
			said_autoupdate = 1;
			log_notice("control plane: autoUpdate is ignored: "
			    "updates come from packages");
		}
		if ((len = bootstrap_nodeconf_json(rep->nodeconf, buf,
		    sizeof(buf))) == -1)
			log_warnx("node configuration too large");
		else if (config_overlay_buf(conf, "control plane node config",
		    buf, len, err, sizeof(err)) == -1)
			log_warnx("%s", err);
		else {
			failures = 0;
			if (store_path(STORE_NODECONF, NULL, path,
			    sizeof(path)) == 0 &&
			    statefile_write(path, buf, len) == -1)
				log_warnx("cannot cache the node configuration");
			if (started)
				log_info("node configuration refreshed from the "
				    "control plane");
			bootstrap_go("the control plane");
			return;
		}
	} else {
		/* Said every time: without it the agent has no config. */
		cphealth_describe(r, err, sizeof(err));
		log_warning("cannot fetch the node configuration: %s", err);
	}

	if (!cache_tried) {
		cache_tried = 1;
		if (bootstrap_load_cache() == 0)
			bootstrap_go("the cache (control plane unreachable), "
			    "retrying");
		else if (!started)
			log_warning("no cached node configuration: waiting "
			    "for the control plane");
	}
	/* retryInitialDelay is in milliseconds. */
	ms = (long long)conf->cp_retry_initial_delay << (failures < 8 ?
	    failures : 8);
	if (ms > NODECONF_RETRY_MAX * 1000LL)
		ms = NODECONF_RETRY_MAX * 1000LL;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	failures++;
	evtimer_add(&ev_retry, &tv);
}

static int
bootstrap_load_cache(void)
{
	char	 path[PATH_MAX], err[512], *buf;
	size_t	 len;
	int	 rc;

	if (store_path(STORE_NODECONF, NULL, path, sizeof(path)) == -1)
		return -1;
	if ((buf = statefile_read(path, store_max(STORE_NODECONF), &len)) ==
	    NULL)
		return -1;
	rc = config_overlay_buf(conf, path, buf, len, err, sizeof(err));
	free(buf);
	if (rc == -1) {
		log_warnx("ignoring the cached node configuration: %s", err);
		statefile_set_aside(path);
	}
	return rc;
}
