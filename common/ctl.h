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

#ifndef MOENET_CTL_H
#define MOENET_CTL_H

/*
 * The control socket's wire structs, between moenetctl and the parent.
 * Every message carries IMSG_VERSION in the imsg peerid, both ways.
 * Requests are one struct ctl_req_msg whatever the command; replies are
 * fixed structs, listings end with IMSG_CTL_END, and anything that is
 * not data is one IMSG_CTL_RESULT.  Words such as states travel as
 * text, so the client needs no enum of the daemon's.
 *
 *	IMSG_CTL_SHOW_STATUS	-> IMSG_CTL_SHOW_STATUS (ctl_status_msg),
 *				   IMSG_CTL_STATUS_EXT (ctl_status_ext_msg),
 *				   END
 *	IMSG_CTL_SHOW_SESSIONS	-> IMSG_CTL_NODE (ctl_node_msg), then per
 *				   session IMSG_CTL_SHOW_SESSION
 *				   (ctl_session_msg), IMSG_CTL_SESSION_EXT
 *				   (ctl_session_ext_msg) and nprotos
 *				   IMSG_CTL_SESSION_PROTO (ctl_proto_msg),
 *				   END
 *	IMSG_CTL_SHOW_SESSION	-> the same for one session, or RESULT (no
 *				   such session; several match: their names)
 *	IMSG_CTL_SHOW_BIRD	-> IMSG_CTL_SHOW_BIRD (ctl_bird_msg), END
 *	IMSG_CTL_SHOW_WG	-> IMSG_CTL_SHOW_WG (ctl_wg_msg) once, then
 *				   IMSG_CTL_SHOW_WG (ctl_tunnel_msg) per
 *				   tunnel, END
 *	IMSG_CTL_SHOW_FIREWALL	-> IMSG_CTL_TEXT (ctl_text_msg)..., END
 *	IMSG_CTL_RELOAD		-> IMSG_CTL_RESULT
 *	IMSG_CTL_LOG_VERBOSE	-> IMSG_CTL_RESULT
 *	IMSG_CTL_MAINTENANCE	-> IMSG_CTL_RESULT once BIRD has it (or not);
 *				   arg is "on" or "off"
 *	IMSG_CTL_ROUTE, _PATH	-> IMSG_CTL_TEXT (ctl_text_msg)..., END, or
 *				   RESULT; arg is an address or prefix
 *	IMSG_CTL_RESTART	-> the same; arg is a session's protocol,
 *				   interface or uuid
 *	IMSG_CTL_PROBE		-> the same; arg is an ASN
 *	IMSG_CTL_DIAG_PING	-> IMSG_CTL_DIAG_TEXT (raw text, at most
 *	IMSG_CTL_DIAG_TRACE	   CTL_DIAG_CHUNK bytes)..., END; or RESULT
 *				   when refused; arg is the target
 */

#include <stdint.h>

#define CTL_MAXIMSG		2048	/* header included, both ways */
#define CTL_ARG_LEN		128
#define CTL_NAME_LEN		128
#define CTL_UUID_LEN		64
#define CTL_IFNAME_LEN		16
#define CTL_WORD_LEN		32
#define CTL_INFO_LEN		64
#define CTL_TEXT_LEN		512
#define CTL_HOST_LEN		272	/* [host name]:port */
#define CTL_ADDR_LEN		80	/* address%interface */
#define CTL_PROCS		3	/* fetcher, birdctl, wgctl */
#define CTL_STATES		8	/* >= the session states */
#define CTL_APPLY		12	/* >= the apply results */
#define CTL_TIMEOUT		10	/* seconds moenetctl waits */
#define CTL_DIAG_TIMEOUT	30	/* for a ping or trace */
#define CTL_DIAG_CHUNK		1024

/* A piece of a text answer (route, path, restart, probe). */
#define CTL_CHUNK_LEN		1024
struct ctl_text_msg {
	uint32_t	len;			/* bytes used of text */
	uint32_t	pad;
	char		text[CTL_CHUNK_LEN];
};

struct ctl_req_msg {
	char		arg[CTL_ARG_LEN];	/* show session: its name */
	int32_t		verbose;		/* log: 0 brief, 1 verbose */
	uint32_t	pad;
};

enum ctl_res {
	CTL_RES_OK,
	CTL_RES_FAILED,		/* the command ran and failed */
	CTL_RES_NOSUCH,		/* no such session */
	CTL_RES_DENIED,		/* not for this socket or user */
	CTL_RES_BADMSG,		/* unknown type, wrong size or version */
	CTL_RES_LIMIT,		/* too many connections */
	CTL_RES_MAX = CTL_RES_LIMIT
};

struct ctl_result_msg {
	uint32_t	code;			/* enum ctl_res */
	uint32_t	pad;
	char		text[CTL_TEXT_LEN];
};

struct ctl_proc_msg {
	char		name[CTL_WORD_LEN];
	int32_t		pid;
	int32_t		ready;			/* HELLO seen */
	int64_t		pong_age;		/* seconds; -1: never */
};

struct ctl_status_msg {
	char		version[CTL_WORD_LEN];
	char		node_name[CTL_NAME_LEN];
	char		mode[CTL_WORD_LEN];	/* bootstrap, full */
	char		public_ipv4[CTL_WORD_LEN];	/* of the last heartbeat; */
	char		public_ipv6[CTL_INFO_LEN];	/* "": none */
	char		state_names[CTL_STATES][CTL_WORD_LEN];
	struct ctl_proc_msg	procs[CTL_PROCS];
	uint32_t	nstate[CTL_STATES];	/* sessions per state */
	uint32_t	nsessions;
	int32_t		pid;
	int32_t		verbose;
	int32_t		maintenance;		/* 1: on (RFC 8326) */
	int64_t		uptime;			/* seconds */
	int64_t		maint_since;		/* Unix time; 0: unknown */
	char		degraded[CTL_TEXT_LEN];	/* why, "; " between; "": ok */
};

struct ctl_session_msg {
	char		uuid[CTL_UUID_LEN];
	char		name[CTL_NAME_LEN];
	char		ifname[CTL_IFNAME_LEN];
	char		protocol[CTL_INFO_LEN];	/* BIRD protocol name */
	char		cp_status[CTL_WORD_LEN];
	char		state[CTL_WORD_LEN];	/* what the agent did */
	char		bgp_state[CTL_WORD_LEN];	/* what BIRD says */
	char		bgp_info[CTL_INFO_LEN];
	char		last_error[CTL_TEXT_LEN];
	int64_t		since;			/* seconds in state; -1 */
	int64_t		bgp_since;		/* seconds; -1: unknown */
	int64_t		handshake_age;		/* seconds; -1: never */
	int64_t		rtt_us;			/* -1: unknown */
	uint32_t	asn;
	uint32_t	routes_in[2];		/* [0] IPv4, [1] IPv6 */
	uint32_t	routes_out[2];
	uint32_t	retries;
	uint32_t	loss_pct;		/* 0..100 */
	uint32_t	pad;
};

/* BIRD as the parent sees it; ages in seconds, -1: not known. */
struct ctl_bird_msg {
	char		version[CTL_WORD_LEN];	/* "": never connected */
	char		last_error[CTL_TEXT_LEN];
	char		apply_names[CTL_APPLY][CTL_WORD_LEN];
	uint64_t	applies[CTL_APPLY];	/* transactions per result */
	uint64_t	attempts;		/* connect() calls */
	uint64_t	connects;		/* banners read */
	uint64_t	cmds_sent;
	uint64_t	auto_undos;		/* BIRD undid a config */
	int64_t		connected_age;		/* -1: not connected */
	int64_t		last_error_age;		/* -1: no error yet */
	int64_t		maint_since;		/* Unix time; 0: unknown */
	int32_t		enabled;		/* a socket is configured */
	int32_t		connected;
	int32_t		connecting;		/* no banner yet */
	int32_t		maintenance;		/* 1: on */
	uint32_t	backoff;		/* seconds */
	uint32_t	pad;
};

/* The header of show wg: the backend and what was sent. */
struct ctl_wg_msg {
	char		backend[CTL_WORD_LEN];	/* kernel, userspace */
	uint64_t	applies;		/* answered by wgctl */
	uint64_t	errors;
	uint64_t	rtnl_msgs;
	uint64_t	wg_sets;
	uint64_t	userspace_started;
	uint64_t	userspace_killed;
	uint32_t	ntunnels;		/* records that follow */
	uint32_t	pad;
};

/* One tunnel the agent manages; link and counters: the last metrics. */
struct ctl_tunnel_msg {
	char		ifname[CTL_IFNAME_LEN];
	char		uuid[CTL_UUID_LEN];
	char		name[CTL_NAME_LEN];
	int64_t		handshake_age;		/* seconds; -1: never */
	uint64_t	rx_bytes;
	uint64_t	tx_bytes;
	int32_t		present;		/* the interface exists now */
	int32_t		link_up;
};

/*
 * What show status adds to ctl_status_msg: the control plane, BIRD and
 * WireGuard as the node sees them.  Ages and times in seconds, -1: not
 * known (never).
 */
struct ctl_status_ext_msg {
	char		cp_breaker[CTL_WORD_LEN];	/* closed, open, ... */
	char		sync_error[CTL_TEXT_LEN];	/* "": none */
	char		bird_version[CTL_WORD_LEN];	/* "": never */
	char		bird_error[CTL_TEXT_LEN];	/* "": none */
	char		wg_backend[CTL_WORD_LEN];
	int64_t		cp_last_ok_age;		/* any call that succeeded */
	int64_t		last_sync_age;		/* a sync that completed */
	int64_t		last_sync_ok_age;	/* a valid session list */
	int64_t		next_sync_in;
	int64_t		heartbeat_ok_age;
	int64_t		bird_connected_age;
	int64_t		bird_error_age;
	int32_t		cp_configured;
	int32_t		cp_reachable;
	int32_t		sync_started;		/* has the node config */
	int32_t		syncing;		/* a sync runs now */
	int32_t		from_state;		/* sessions of the state file */
	int32_t		bird_enabled;
	int32_t		bird_connected;
	int32_t		bird_connecting;
	int32_t		state_ok;		/* the state dir takes writes */
	uint32_t	generation;		/* valid session lists seen */
};

/*
 * Before a listing of sessions: what holds for all of them.  BIRD not
 * connected leaves every session's BGP unknown: said once, here.
 */
struct ctl_node_msg {
	char		bird_error[CTL_TEXT_LEN];	/* why not connected */
	int32_t		bird_enabled;
	int32_t		bird_connected;
	int32_t		bird_fresh;		/* BIRD answered just now */
	int32_t		pad;
};

/* After each ctl_session_msg: its tunnel and BGP history. */
struct ctl_session_ext_msg {
	char		endpoint[CTL_HOST_LEN];	/* "": passive */
	char		allowed[CTL_INFO_LEN];	/* allowed IPs, ", " between */
	char		neighbor[CTL_ADDR_LEN];	/* BIRD's; "": unknown */
	int64_t		bgp_changed_age;	/* -1: no change seen */
	uint64_t	rx_bytes;
	uint64_t	tx_bytes;
	uint32_t	mtu;
	uint32_t	listen_port;		/* 0: any */
	uint32_t	bgp_changes;		/* state changes seen */
	uint32_t	nprotos;		/* ctl_proto_msg that follow */
	int32_t		wg_known;		/* rx, tx, link read */
	int32_t		link_up;
};

/* One BIRD protocol of a session, as "show protocols all" has it. */
struct ctl_proto_msg {
	char		name[CTL_INFO_LEN];
	char		state[CTL_WORD_LEN];	/* up, start, down, ... */
	char		bgp_state[CTL_WORD_LEN];	/* "": not BGP */
	char		info[CTL_INFO_LEN];	/* BIRD's Info: why down */
	char		neighbor[CTL_INFO_LEN];
	char		last_error[CTL_INFO_LEN * 2];
	int64_t		since_age;		/* -1: unknown */
	uint32_t	routes_in[2];		/* [0] IPv4, [1] IPv6 */
	uint32_t	routes_out[2];
	uint32_t	neighbor_as;
	uint32_t	hold_time;		/* s; 0: not running */
	uint32_t	hold_left_ms;
	uint32_t	keepalive_time;		/* s; 0: not running */
	uint32_t	keepalive_left_ms;
	uint32_t	nchannels;		/* routes known when > 0 */
};

#endif /* MOENET_CTL_H */
