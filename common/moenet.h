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

#ifndef MOENET_H
#define MOENET_H

#include <sys/types.h>

#include <stdint.h>

#include "log.h"

/* libbsd's RB_*_STATIC want it; glibc does not define it. */
#ifndef __unused
#define __unused	__attribute__((__unused__))
#endif

#ifndef MOENET_VERSION
#define MOENET_VERSION		"0.1.0"
#endif

/* Bumped whenever a wire struct or the meaning of an imsg changes. */
#define IMSG_VERSION		2

#define PARENT_FD		3
#define MOENET_USER		"_moenet"
#define MOENET_CONF		"/etc/moenet-agent/config.json"
#define MOENET_STATEDIR		"/var/lib/moenet-agent"
#define MOENET_CTLSOCK		"/run/moenet-agent.sock"
#define MOENET_MAXIMSG		(64 * 1024)

/* A tunnel's MTU: IPv6's minimum up to jumbo frames; every process. */
#define MOENET_MTU_MIN		1280
#define MOENET_MTU_MAX		9000
#define MOENET_MTU_DEFAULT	1420	/* when the control plane gives none */

enum moenet_proc {
	PROC_PARENT,
	PROC_FETCHER,
	PROC_BIRDCTL,
	PROC_WGCTL,
	PROC_MAX
};

extern const char *const proc_names[PROC_MAX];

/*
 * One enum for the whole daemon.  Directions: P = parent, F = fetcher,
 * B = birdctl, W = wgctl, C = moenetctl.
 */
#define IMSG_TYPES(X)							\
	X(IMSG_NONE)	\
	\
	/* generic */	\
	X(IMSG_HELLO)	/* child -> P: struct hello_msg */	\
	X(IMSG_PING)	/* P -> child: uint32_t seq */	\
	X(IMSG_PONG)	/* child -> P: uint32_t seq */	\
	X(IMSG_LOG)	/* child -> P: struct log_msg */	\
	X(IMSG_LOG_VERBOSE)	/* P -> child: int */	\
	\
	/* fetcher */	\
	X(IMSG_CP_CONF)	/* P -> F */	\
	X(IMSG_CP_TOKEN)	/* P -> F: secret, wiped after use */	\
	X(IMSG_CP_CA)	/* P -> F: PEM chunk */	\
	X(IMSG_CP_CA_END)	\
	X(IMSG_CP_FETCH_CONFIG)	/* P -> F */	\
	X(IMSG_CP_FETCH_SESSIONS)	\
	X(IMSG_CP_FETCH_MESH)	\
	X(IMSG_CP_FETCH_POLICY)	\
	X(IMSG_CP_NODECONF)	/* F -> P */	\
	X(IMSG_CP_SESSIONS_BEGIN)	\
	X(IMSG_CP_SESSION)	\
	X(IMSG_CP_SESSIONS_END)	\
	X(IMSG_CP_MESH_BEGIN)	\
	X(IMSG_CP_MESH_PEER)	\
	X(IMSG_CP_MESH_END)	\
	X(IMSG_CP_POLICY)	\
	X(IMSG_CP_IBGP_PEER)	\
	X(IMSG_CP_POLICY_END)	\
	X(IMSG_CP_MODIFY)	/* P -> F */	\
	X(IMSG_CP_HEARTBEAT)	\
	X(IMSG_CP_REPORT_BEGIN)	\
	X(IMSG_CP_REPORT_SESSION)	\
	X(IMSG_CP_REPORT_END)	\
	X(IMSG_CP_MESH_STATUS)	\
	X(IMSG_CP_MESH_STATUS_END)	\
	X(IMSG_CP_RTT_RESULT)	\
	X(IMSG_CP_RTT_END)	\
	X(IMSG_CP_RESULT)	/* F -> P: outcome of one request */	\
	X(IMSG_CP_BREAKER)	/* F -> P: breaker state changed */	\
	X(IMSG_RTT_PROBE)	/* P -> F */	\
	X(IMSG_RTT_DONE)	/* F -> P */	\
	X(IMSG_HTTP_LISTEN)	/* P -> F: listening fd */	\
	X(IMSG_HTTP_SNAPSHOT)	/* P -> F: status document chunk */	\
	X(IMSG_HTTP_SNAPSHOT_END)	\
	X(IMSG_HTTP_ACTION)	/* F -> P: authorized POST */	\
	X(IMSG_HTTP_TOKENS)	/* P -> F: secret, wiped after use */	\
	X(IMSG_HTTP_RESULT)	/* P -> F: the answer to an ACTION */	\
	\
	/* birdctl */	\
	X(IMSG_BIRD_SOCKET)	/* P -> B: connected fd */	\
	X(IMSG_BIRD_RECONNECT)	/* B -> P: fd lost, send another */	\
	X(IMSG_BIRD_CMD)	/* P -> B: typed command */	\
	X(IMSG_BIRD_RESULT)	/* B -> P */	\
	X(IMSG_BIRD_STATUS)	\
	X(IMSG_BIRD_PROTO)	\
	X(IMSG_BIRD_PROTO_END)	/* B -> P: uint32_t count */	\
	X(IMSG_BIRD_CONNECTED)	/* B -> P: struct bird_conn_msg */	\
	X(IMSG_BIRD_ASYNC)	/* B -> P: struct bird_async_msg */	\
	X(IMSG_BIRD_FAIL)	/* B -> P: struct bird_fail_msg */	\
	\
	/* wgctl: wire structs in wgmsg.h */	\
	X(IMSG_WG_PROBE)	/* P -> W: which back end */	\
	X(IMSG_WG_PROBE_RESULT)	/* W -> P: struct wgmsg_probe */	\
	X(IMSG_WG_PRIVKEY)	/* P -> W: secret, wiped after use */	\
	X(IMSG_WG_APPLY)	/* P -> W: struct wgmsg_apply, UAPI fd */	\
	X(IMSG_WG_REMOVE)	/* P -> W: struct wgmsg_name */	\
	X(IMSG_WG_GET)	/* P -> W: struct wgmsg_name, UAPI fd */	\
	X(IMSG_WG_RESULT)	/* W -> P: struct wgmsg_result */	\
	X(IMSG_WG_STATS)	/* W -> P: struct wgmsg_stats */	\
	X(IMSG_WG_LOOPBACK)	/* P -> W: struct wgmsg_loopback */	\
	X(IMSG_WG_PUBADDR)	/* P -> W: nothing */	\
	X(IMSG_WG_PUBADDR_RESULT)	/* W -> P: struct wgmsg_pubaddr */	\
	\
	/* control socket */	\
	X(IMSG_CTL_SHOW_STATUS)	\
	X(IMSG_CTL_SHOW_SESSIONS)	\
	X(IMSG_CTL_SHOW_SESSION)	\
	X(IMSG_CTL_SHOW_BIRD)	\
	X(IMSG_CTL_SHOW_WG)	\
	X(IMSG_CTL_SYNC)	\
	X(IMSG_CTL_RELOAD)	\
	X(IMSG_CTL_MAINTENANCE)	\
	X(IMSG_CTL_LOG_VERBOSE)	\
	X(IMSG_CTL_RESULT)	\
	X(IMSG_CTL_END)	\
	\
	/* the bot's node API (httpd.h, bird.h, ctl.h) */	\
	X(IMSG_HTTP_REQUEST)	/* F -> P: httpd_request_msg */	\
	X(IMSG_HTTP_REPLY)	/* P -> F: answer body chunk */	\
	X(IMSG_HTTP_REPLY_END)	/* P -> F: httpd_reply_end_msg */	\
	X(IMSG_BIRD_TEXT)	/* B -> P: sanitized reply text chunk */	\
	X(IMSG_BIRD_ROUTE)	/* B -> P: struct bird_route_msg */	\
	X(IMSG_BIRD_COMMUNITY)	/* B -> P: struct bird_community_msg */	\
	X(IMSG_CTL_ROUTE)	\
	X(IMSG_CTL_PATH)	\
	X(IMSG_CTL_RESTART)	\
	X(IMSG_CTL_PROBE)	\
	X(IMSG_CTL_TEXT)	/* P -> C: struct ctl_text_msg */	\
	/* the bot's tools: wire structs in diagmsg.h */	\
	X(IMSG_DIAG_CONF)	/* P -> F: struct diag_conf_msg */	\
	X(IMSG_DIAG_RUN)	/* P -> F: struct diag_run_msg */	\
	X(IMSG_DIAG_RESULT)	/* F -> P: struct diag_result_msg, text */	\
	X(IMSG_CTL_DIAG_PING)	/* C -> P: ctl_req_msg, arg the target */	\
	X(IMSG_CTL_DIAG_TRACE)	\
	X(IMSG_CTL_DIAG_TEXT)	/* P -> C: a chunk of the tool's output */	\
	/* endpoint names, resolved in the fetcher: resolvemsg.h */	\
	X(IMSG_RESOLVE)	/* P -> F: struct resolve_msg */	\
	X(IMSG_RESOLVE_RESULT)	/* F -> P: struct resolve_result_msg */	\
	/* the firewall: wire structs in fwmsg.h */	\
	X(IMSG_FW_PORTS)	/* P -> W: struct fwmsg_ports */	\
	X(IMSG_FW_RESULT)	/* W -> P: struct fwmsg_result */	\
	X(IMSG_CTL_SHOW_FIREWALL)	/* C -> P */	\
	X(IMSG_CTL_CONFIRM)	/* C -> P: ctl_req_msg, arg "removal" */	\
	/* moenetctl show: the wire structs in ctl.h */	\
	X(IMSG_CTL_STATUS_EXT)	/* P -> C: struct ctl_status_ext_msg */	\
	X(IMSG_CTL_NODE)	/* P -> C: struct ctl_node_msg */	\
	X(IMSG_CTL_SESSION_EXT)	/* P -> C: struct ctl_session_ext_msg */	\
	X(IMSG_CTL_SESSION_PROTO)	/* P -> C: struct ctl_proto_msg */	\
	/* the HTTP API's documents, rendered on request: fetcher/httpd.h */ \
	X(IMSG_HTTP_DOC_GET)	/* F -> P: uint32_t doc */	\
	X(IMSG_HTTP_DOC_SAME)	/* P -> F: uint32_t doc, as sent before */ \
	/* moenetctl's actions: wire structs in ctl.h */	\
	X(IMSG_CTL_DISABLE)	/* C -> P: ctl_req_msg, arg a session */	\
	X(IMSG_CTL_ENABLE)	\
	X(IMSG_CTL_SYNC_WAIT)	/* C -> P: ctl_req_msg */	\
	X(IMSG_CTL_SYNC_PROGRESS)	/* P -> C: ctl_progress_msg */	\
	X(IMSG_CTL_CHANGE)	/* P -> C: ctl_change_msg */	\
	X(IMSG_CTL_SYNC_DONE)	/* P -> C: ctl_sync_msg */	\
	X(IMSG_CTL_SHOW_PLAN)	/* C -> P; P -> C: ctl_sync_msg */	\
	X(IMSG_CTL_RELOAD_KEY)	/* P -> C: ctl_key_msg */	\


#define IMSG_ENUM(t)	t,
enum imsg_type {
	IMSG_TYPES(IMSG_ENUM)
	IMSG_MAX
};
#undef IMSG_ENUM

const char	*imsg_type_name(uint32_t);
int		 proc_from_name(const char *);
const char	*ifname_check(const char *, size_t);
const char	*host_check(const char *, size_t);
uint32_t	 fnv1a(const char *);

struct hello_msg {
	uint32_t	version;	/* IMSG_VERSION */
	uint32_t	proc;		/* enum moenet_proc */
	int32_t		pid;
};

#define LOG_MSG_LEN	2048
struct log_msg {
	int32_t		pri;
	char		line[LOG_MSG_LEN];
};

#endif /* MOENET_H */
