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

#include <netinet/in.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpdoc.h"
#include "cpjson.h"
#include "cpvalid.h"

/*
 * GET {node}/config: {node, bird, wireguard, metric, autoUpdate}, keys
 * as in the configuration file.  Any bad value refuses the document:
 * the parent keeps its cached copy instead.
 */

enum {
	NC_NAME, NC_ID, NC_REGION,
	NC_SOCKET, NC_PEERDIR, NC_IBGPDIR, NC_POLICYDIR, NC_MAINTFILE,
	NC_PRIV, NC_PUB, NC_KEEPALIVE, NC_IPV4, NC_IPV6, NC_IPV6LL,
	NC_PINGTIMEOUT, NC_PINGCOUNT
};

static int	nc_scalar(struct cpw *, void *, int, const struct cpw_value *,
		    const char **);
static int	nc_path(const struct cpw_value *, char *, size_t,
		    const char **);
static int	nc_autoupdate(struct cpw *, void *);

static const struct cpw_node n_nc_scalar = {
	.kind = CPW_SCALAR, .scalar = nc_scalar
};
static const struct cpw_node n_nc_any = {
	.kind = CPW_ANY, .open = nc_autoupdate
};

static const struct cpw_field nc_node_fields[] = {
	{ "name", &n_nc_scalar, NC_NAME, 0 },
	{ "id", &n_nc_scalar, NC_ID, 0 },
	{ "region", &n_nc_scalar, NC_REGION, 0 },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_field nc_bird_fields[] = {
	{ "controlSocket", &n_nc_scalar, NC_SOCKET, 0 },
	{ "peerConfDir", &n_nc_scalar, NC_PEERDIR, 0 },
	{ "ibgpConfDir", &n_nc_scalar, NC_IBGPDIR, 0 },
	{ "policyDir", &n_nc_scalar, NC_POLICYDIR, 0 },
	{ "maintenanceFile", &n_nc_scalar, NC_MAINTFILE, 0 },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_field nc_wg_fields[] = {
	{ "privateKeyPath", &n_nc_scalar, NC_PRIV, 0 },
	{ "publicKeyPath", &n_nc_scalar, NC_PUB, 0 },
	{ "persistentKeepaliveInterval", &n_nc_scalar, NC_KEEPALIVE, 0 },
	{ "dn42Ipv4", &n_nc_scalar, NC_IPV4, 0 },
	{ "dn42Ipv6", &n_nc_scalar, NC_IPV6, 0 },
	{ "dn42Ipv6LinkLocal", &n_nc_scalar, NC_IPV6LL, 0 },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_field nc_metric_fields[] = {
	{ "pingTimeout", &n_nc_scalar, NC_PINGTIMEOUT, 0 },
	{ "pingCount", &n_nc_scalar, NC_PINGCOUNT, 0 },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_node n_nc_node = {
	.kind = CPW_OBJECT, .fields = nc_node_fields
};
static const struct cpw_node n_nc_bird = {
	.kind = CPW_OBJECT, .fields = nc_bird_fields
};
static const struct cpw_node n_nc_wg = {
	.kind = CPW_OBJECT, .fields = nc_wg_fields
};
static const struct cpw_node n_nc_metric = {
	.kind = CPW_OBJECT, .fields = nc_metric_fields
};
static const struct cpw_field nc_data_fields[] = {
	{ "node", &n_nc_node, 0, CPW_REQUIRED },
	{ "bird", &n_nc_bird, 0, 0 },
	{ "wireguard", &n_nc_wg, 0, 0 },
	{ "metric", &n_nc_metric, 0, 0 },
	{ "autoUpdate", &n_nc_any, 0, 0 },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_node n_nc_data = {
	.kind = CPW_OBJECT, .fields = nc_data_fields
};
static const struct cpw_field nc_root_fields[] = {
	{ "data", &n_nc_data, 0, CPW_REQUIRED },
	{ NULL, NULL, 0, 0 }
};
static const struct cpw_node n_nc_root = {
	.kind = CPW_OBJECT, .fields = nc_root_fields
};

static int
nc_path(const struct cpw_value *v, char *dst, size_t size, const char **why)
{
	if (cpd_str(v, why) == -1 || cpv_path(v->str, size, why) == -1)
		return -1;
	strlcpy(dst, v->str, size);
	return 0;
}

static int
nc_autoupdate(struct cpw *w, void *arg)
{
	struct cp_nodeconf_msg	*nc = arg;

	nc->has |= CP_NC_AUTOUPDATE;
	return 0;
}

static int
nc_scalar(struct cpw *w, void *arg, int id, const struct cpw_value *v,
    const char **why)
{
	struct cp_nodeconf_msg	*nc = arg;
	long long		 n;

	/* An empty string leaves the local value or default. */
	if (v->kind == CPW_STRING && v->str[0] == '\0')
		return 0;
	switch (id) {
	case NC_NAME:
		if (cpd_nodename(v, nc->node_name, sizeof(nc->node_name),
		    why) == -1)
			return -1;
		nc->has |= CP_NC_NODE_NAME;
		break;
	case NC_ID:
		if (cpd_int(v, 0, UINT16_MAX, &n, why) == -1)
			return -1;
		nc->node_id = n;
		nc->has |= CP_NC_NODE_ID;
		break;
	case NC_REGION:
		if (cpd_str(v, why) == -1 ||
		    cpv_word(v->str, sizeof(nc->region), why) == -1)
			return -1;
		strlcpy(nc->region, v->str, sizeof(nc->region));
		nc->has |= CP_NC_NODE_REGION;
		break;
	case NC_SOCKET:
		if (nc_path(v, nc->bird_socket, sizeof(nc->bird_socket),
		    why) == -1)
			return -1;
		nc->has |= CP_NC_BIRD_SOCKET;
		break;
	case NC_PEERDIR:
		if (nc_path(v, nc->bird_peerdir, sizeof(nc->bird_peerdir),
		    why) == -1)
			return -1;
		nc->has |= CP_NC_BIRD_PEERDIR;
		break;
	case NC_IBGPDIR:
		if (nc_path(v, nc->bird_ibgpdir, sizeof(nc->bird_ibgpdir),
		    why) == -1)
			return -1;
		nc->has |= CP_NC_BIRD_IBGPDIR;
		break;
	case NC_POLICYDIR:
		if (nc_path(v, nc->bird_policydir,
		    sizeof(nc->bird_policydir), why) == -1)
			return -1;
		nc->has |= CP_NC_BIRD_POLICYDIR;
		break;
	case NC_MAINTFILE:
		if (nc_path(v, nc->bird_maintfile,
		    sizeof(nc->bird_maintfile), why) == -1)
			return -1;
		nc->has |= CP_NC_BIRD_MAINTFILE;
		break;
	case NC_PRIV:
		if (nc_path(v, nc->wg_privpath, sizeof(nc->wg_privpath),
		    why) == -1)
			return -1;
		nc->has |= CP_NC_WG_PRIVPATH;
		break;
	case NC_PUB:
		if (nc_path(v, nc->wg_pubpath, sizeof(nc->wg_pubpath),
		    why) == -1)
			return -1;
		nc->has |= CP_NC_WG_PUBPATH;
		break;
	case NC_KEEPALIVE:
		if (cpd_int(v, 0, 3600, &n, why) == -1)
			return -1;
		nc->wg_keepalive = n;
		nc->has |= CP_NC_WG_KEEPALIVE;
		break;
	case NC_IPV4:
		if (cpd_str(v, why) == -1 || cpv_inet4(v->str, 1,
		    &nc->wg_ipv4, &nc->wg_ipv4_len, why) == -1)
			return -1;
		nc->has |= CP_NC_WG_IPV4;
		break;
	case NC_IPV6:
		if (cpd_str(v, why) == -1 || cpv_inet6(v->str, 1,
		    &nc->wg_ipv6, &nc->wg_ipv6_len, why) == -1)
			return -1;
		nc->has |= CP_NC_WG_IPV6;
		break;
	case NC_IPV6LL:
		if (cpd_str(v, why) == -1 || cpv_inet6(v->str, 1,
		    &nc->wg_ipv6ll, &nc->wg_ipv6ll_len, why) == -1)
			return -1;
		if (!cpv_linklocal(&nc->wg_ipv6ll)) {
			*why = "not in fe80::/10";
			return -1;
		}
		nc->has |= CP_NC_WG_IPV6LL;
		break;
	case NC_PINGTIMEOUT:
		if (cpd_int(v, 1, 60, &n, why) == -1)
			return -1;
		nc->ping_timeout = n;
		nc->has |= CP_NC_PING_TIMEOUT;
		break;
	case NC_PINGCOUNT:
		if (cpd_int(v, 1, 100, &n, why) == -1)
			return -1;
		nc->ping_count = n;
		nc->has |= CP_NC_PING_COUNT;
		break;
	}
	return 0;
}

int
cp_parse_nodeconf(const char *buf, size_t len, struct cp_nodeconf_msg *nc,
    char *err, size_t errlen)
{
	int	rv;

	memset(nc, 0, sizeof(*nc));
	if ((rv = cpd_run(&n_nc_root, buf, len, nc, err, errlen)) != 0)
		memset(nc, 0, sizeof(*nc));
	return rv;
}
