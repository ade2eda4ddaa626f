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

#ifndef MOENET_BIRD_H
#define MOENET_BIRD_H

/*
 * Typed records birdctl builds from BIRD control-socket replies.  They
 * cross the imsg pipe as they are: fixed sizes, fixed-width integers,
 * no pointers, every string NUL-terminated and reduced to printable
 * ASCII by the parser.  Enums travel as uint32_t; range-check them on
 * receipt.  A Unix time of 0 means "not known" (unparsable or absent).
 */

#include <stdint.h>

#define BIRD_NAME_MAX		64	/* protocol names we accept/send */
#define BIRD_NAME_LEN		(BIRD_NAME_MAX + 4)
#define BIRD_WORD_LEN		32	/* "BGP", "up", "Established" */
#define BIRD_ADDR_LEN		80	/* "fe80::1%dn42_4242420001" */
#define BIRD_TIME_LEN		40	/* time as BIRD printed it */
#define BIRD_VERSION_LEN	32
#define BIRD_TEXT_LEN		256	/* info, errors, descriptions */
#define BIRD_PATH_LEN		256
#define BIRD_CHANNELS_MAX	4	/* ipv4, ipv6 and room to spare */
#define BIRD_STAT_NONE		UINT64_MAX	/* "---" in the stats table */
#define BIRD_TARGET_LEN		48	/* canonical address or prefix */
#define BIRD_ASPATH_MAX		64	/* ASNs kept of one path */
#define BIRD_ROUTE_TEXT_MAX	16384	/* show route for ...: text kept */
#define BIRD_ROUTES_MAX		64	/* route records of one lookup */

/* Typed commands: the parent never sends CLI text. */
enum bird_cmd_type {
	BIRD_CMD_NONE,
	BIRD_CMD_SHOW_STATUS,
	BIRD_CMD_SHOW_PROTOCOLS,
	BIRD_CMD_SHOW_PROTOCOLS_ALL,	/* name optional */
	BIRD_CMD_CONFIGURE_CHECK,	/* file optional */
	BIRD_CMD_CONFIGURE,
	BIRD_CMD_CONFIGURE_TIMEOUT,	/* timeout seconds */
	BIRD_CMD_CONFIGURE_CONFIRM,
	BIRD_CMD_CONFIGURE_UNDO,
	BIRD_CMD_ENABLE,		/* name required */
	BIRD_CMD_DISABLE,
	BIRD_CMD_RESTART,
	BIRD_CMD_SHOW_ROUTE_FOR,	/* target required */
	BIRD_CMD_SHOW_ROUTE_COMMUNITIES, /* the table, counted */
	BIRD_CMD_MAX = BIRD_CMD_SHOW_ROUTE_COMMUNITIES
};

struct bird_cmd_msg {
	uint32_t	type;		/* enum bird_cmd_type */
	uint32_t	timeout;	/* CONFIGURE_TIMEOUT: 1..BIRD_TIMEOUT_MAX */
	char		name[BIRD_NAME_LEN];	/* protocol, "" for none */
	char		file[BIRD_PATH_LEN];	/* config file, "" for none */
	char		target[BIRD_TARGET_LEN]; /* canonical, "" for none */
};

#define BIRD_TIMEOUT_MAX	86400

enum bird_daemon_state {
	BIRD_DAEMON_UNKNOWN,
	BIRD_DAEMON_UP,
	BIRD_DAEMON_SHUTDOWN,
	BIRD_DAEMON_GRACEFUL_RESTART,
	BIRD_DAEMON_RECONFIGURING,
	BIRD_DAEMON_MAX = BIRD_DAEMON_RECONFIGURING
};

/* show status */
struct bird_status_msg {
	char		version[BIRD_VERSION_LEN];
	char		router_id[BIRD_ADDR_LEN];
	char		hostname[BIRD_WORD_LEN * 2];
	char		server_time[BIRD_TIME_LEN];
	char		last_reboot[BIRD_TIME_LEN];
	char		last_reconfig[BIRD_TIME_LEN];
	char		state_text[BIRD_TEXT_LEN];
	int64_t		server_time_unix;
	int64_t		last_reboot_unix;
	int64_t		last_reconfig_unix;
	uint32_t	state;		/* enum bird_daemon_state */
	uint32_t	pad;
};

enum bird_proto_state {
	BIRD_PS_UNKNOWN,
	BIRD_PS_DOWN,
	BIRD_PS_START,
	BIRD_PS_UP,
	BIRD_PS_STOP,
	BIRD_PS_FLUSH,
	BIRD_PS_MAX = BIRD_PS_FLUSH
};

enum bird_bgp_state {
	BIRD_BGP_NONE,			/* not BGP, or not known */
	BIRD_BGP_IDLE,
	BIRD_BGP_CONNECT,
	BIRD_BGP_ACTIVE,
	BIRD_BGP_OPENSENT,
	BIRD_BGP_OPENCONFIRM,
	BIRD_BGP_ESTABLISHED,
	BIRD_BGP_CLOSE,
	BIRD_BGP_PASSIVE,
	BIRD_BGP_DOWN,
	BIRD_BGP_FLUSH,			/* BIRD 3: routes drain after a stop */
	BIRD_BGP_MAX = BIRD_BGP_FLUSH
};

enum bird_limit_action {
	BIRD_LIMIT_NONE,
	BIRD_LIMIT_WARN,
	BIRD_LIMIT_BLOCK,
	BIRD_LIMIT_RESTART,
	BIRD_LIMIT_DISABLE,
	BIRD_LIMIT_UNKNOWN,
	BIRD_LIMIT_MAX = BIRD_LIMIT_UNKNOWN
};

enum bird_limit_kind {
	BIRD_LIM_RECEIVE,
	BIRD_LIM_IMPORT,
	BIRD_LIM_EXPORT,
	BIRD_LIM_COUNT
};

struct bird_limit_msg {
	uint32_t	max;
	uint32_t	action;		/* enum bird_limit_action; NONE: no limit */
	uint32_t	hit;		/* "[HIT]" shown */
	uint32_t	pad;
};

/* Rows of "Route change stats". */
enum bird_stat_row {
	BIRD_STAT_IMPORT_UPDATES,
	BIRD_STAT_IMPORT_WITHDRAWS,
	BIRD_STAT_EXPORT_UPDATES,
	BIRD_STAT_EXPORT_WITHDRAWS,
	BIRD_STAT_ROWS
};

/* Columns, matched by header name (BIRD 3 adds the two limit columns). */
enum bird_stat_col {
	BIRD_STAT_RECEIVED,
	BIRD_STAT_REJECTED,
	BIRD_STAT_FILTERED,
	BIRD_STAT_IGNORED,
	BIRD_STAT_RX_LIMIT,
	BIRD_STAT_LIMIT,
	BIRD_STAT_ACCEPTED,
	BIRD_STAT_COLS
};

/* bird_channel_msg.flags */
#define BIRD_CHAN_ROUTES	0x0001	/* a Routes: line was seen */
#define BIRD_CHAN_FILTERED	0x0002	/* it had "N filtered" */
#define BIRD_CHAN_STATS		0x0004	/* the stats table was seen */

struct bird_channel_msg {
	char		name[BIRD_WORD_LEN];	/* "ipv4", "ipv6", ... */
	char		state[BIRD_WORD_LEN];	/* "UP", "DOWN", ... */
	char		import_state[BIRD_WORD_LEN];	/* BIRD 3 */
	char		export_state[BIRD_WORD_LEN];	/* BIRD 3 */
	char		table[BIRD_NAME_LEN];
	char		input_filter[BIRD_NAME_LEN];
	char		output_filter[BIRD_NAME_LEN];
	struct bird_limit_msg limits[BIRD_LIM_COUNT];
	uint64_t	stats[BIRD_STAT_ROWS][BIRD_STAT_COLS];
	uint32_t	imported;
	uint32_t	filtered;
	uint32_t	exported;
	uint32_t	preferred;
	uint32_t	preference;
	uint32_t	flags;		/* BIRD_CHAN_* */
};

/* bird_proto_msg.flags */
#define BIRD_PROTO_DETAILS	0x0001	/* from "show protocols all" */
#define BIRD_PROTO_BGP		0x0002	/* Proto is BGP */
#define BIRD_PROTO_SINCE_DAY	0x0004	/* since_unix is the day only */
#define BIRD_PROTO_MORE_CHANS	0x0008	/* channels beyond BIRD_CHANNELS_MAX */
#define BIRD_PROTO_TRUNCATED	0x0010	/* some text was cut to fit */

/* One row of "show protocols", with its "all" details if asked. */
struct bird_proto_msg {
	char		name[BIRD_NAME_LEN];
	char		proto[BIRD_WORD_LEN];
	char		table[BIRD_NAME_LEN];
	char		state[BIRD_WORD_LEN];
	char		since[BIRD_TIME_LEN];
	char		info[BIRD_TEXT_LEN];
	char		description[BIRD_TEXT_LEN];
	char		bgp_state[BIRD_WORD_LEN];
	char		neighbor_addr[BIRD_ADDR_LEN];
	char		source_addr[BIRD_ADDR_LEN];
	char		neighbor_id[BIRD_ADDR_LEN];
	char		last_error[BIRD_TEXT_LEN];
	int64_t		since_unix;
	uint32_t	proto_state;	/* enum bird_proto_state */
	uint32_t	bgp_state_code;	/* enum bird_bgp_state */
	uint32_t	neighbor_as;
	uint32_t	local_as;
	uint32_t	flags;		/* BIRD_PROTO_* */
	uint32_t	nchannels;
	/* BGP timers, "Hold timer: 4.640/9": what is left, of how long. */
	uint32_t	hold_time;	/* s; 0: not shown */
	uint32_t	hold_left_ms;
	uint32_t	keepalive_time;	/* s; 0: not shown */
	uint32_t	keepalive_left_ms;
	struct bird_channel_msg channels[BIRD_CHANNELS_MAX];
};

/* What a command's reply means (configure family, enable/disable/...). */
enum bird_outcome {
	BIRD_OUT_OK,		/* done */
	BIRD_OUT_IN_PROGRESS,	/* 0004/0005/0017: accepted, still applying */
	BIRD_OUT_NOTHING,	/* 0019, already enabled/disabled */
	BIRD_OUT_CONFIG_ERROR,	/* 8002 file:line:col message */
	BIRD_OUT_DENIED,	/* 8007 after restrict */
	BIRD_OUT_NO_MATCH,	/* 8003 no protocols match */
	BIRD_OUT_PARSE_ERROR,	/* 9xxx: the command itself was refused */
	BIRD_OUT_REFUSED,	/* 0006: shutting down */
	BIRD_OUT_ERROR,		/* another 8xxx */
	BIRD_OUT_UNEXPECTED,	/* a code that does not answer this command */
	BIRD_OUT_MAX = BIRD_OUT_UNEXPECTED
};

struct bird_result_msg {
	uint32_t	cmd;		/* enum bird_cmd_type */
	uint32_t	code;		/* the reply code that decided */
	uint32_t	outcome;	/* enum bird_outcome */
	uint32_t	undo_timeout;	/* seconds from 0022, 0: none */
	uint32_t	err_line;	/* from 8002, 0: not given */
	uint32_t	err_col;
	char		err_file[BIRD_PATH_LEN];
	char		text[BIRD_TEXT_LEN];	/* the deciding line, verbatim */
};

/*
 * "show route for X all": before the RESULT, the reply as text
 * (IMSG_BIRD_TEXT chunks: printable ASCII, tab and newline only, at
 * most BIRD_ROUTE_TEXT_MAX bytes in all) and one IMSG_BIRD_ROUTE per
 * route shown (at most BIRD_ROUTES_MAX).
 */
#define BIRD_ROUTE_PRIMARY	0x0001	/* "*": the best route */
#define BIRD_ROUTE_PATH		0x0002	/* an AS path attribute was seen */
#define BIRD_ROUTE_PATH_TRUNC	0x0004	/* longer than BIRD_ASPATH_MAX */
#define BIRD_ROUTE_PATH_SET	0x0008	/* had AS_SET members, left out */
#define BIRD_ROUTE_FLAGS	0x000f

struct bird_route_msg {
	char		net[BIRD_TARGET_LEN];
	char		proto[BIRD_NAME_LEN];
	char		table[BIRD_NAME_LEN];
	uint32_t	flags;		/* BIRD_ROUTE_* */
	uint32_t	npath;
	uint32_t	path[BIRD_ASPATH_MAX];
};

/*
 * "show route all primary", counted as it streams by: the best routes
 * and their DN42 communities (64511, N), each route counted once per
 * group.  latency[N - 1] for N 1..9, bandwidth[N - 21] for 21..29,
 * crypto[N - 31] for 31..34, region[N - 41] for 41..70.
 */
#define BIRD_COMM_LATENCY	9
#define BIRD_COMM_BANDWIDTH	9
#define BIRD_COMM_CRYPTO	4
#define BIRD_COMM_REGION	30

struct bird_community_msg {
	uint64_t	total;		/* best routes */
	uint64_t	tagged;		/* with any (64511, N) */
	uint64_t	latency[BIRD_COMM_LATENCY];
	uint64_t	bandwidth[BIRD_COMM_BANDWIDTH];
	uint64_t	crypto[BIRD_COMM_CRYPTO];
	uint64_t	region[BIRD_COMM_REGION];
};

/*
 * birdctl's own news, beside BIRD's replies.  IMSG_BIRD_CONNECTED: the
 * banner of a new connection was read (version set).  IMSG_BIRD_RECONNECT:
 * the connection was dropped (text says why); the parent sends another.
 */
struct bird_conn_msg {
	char		version[BIRD_VERSION_LEN];
	char		text[BIRD_TEXT_LEN];
};

/* An asynchronous "+" line; undo: BIRD undid an unconfirmed config. */
struct bird_async_msg {
	uint32_t	undo;
	uint32_t	pad;
	char		text[BIRD_TEXT_LEN];
};

/* Why birdctl could not get BIRD's answer to a command. */
enum bird_fail_reason {
	BIRD_FAIL_NOT_CONNECTED,	/* no connection to BIRD */
	BIRD_FAIL_LOST,			/* dropped before the answer */
	BIRD_FAIL_TIMEOUT,		/* no answer in time: dropped */
	BIRD_FAIL_QUEUE_FULL,
	BIRD_FAIL_INVALID,		/* refused by the command formatter */
	BIRD_FAIL_PARSE,		/* an answer we could not read */
	BIRD_FAIL_MAX = BIRD_FAIL_PARSE
};

/*
 * Every IMSG_BIRD_CMD ends with exactly one IMSG_BIRD_RESULT (BIRD
 * answered) or IMSG_BIRD_FAIL (it did not), with the same request id.
 * Before the RESULT of a successful "show status" comes its
 * IMSG_BIRD_STATUS; before that of "show protocols [all]", the
 * IMSG_BIRD_PROTO records and an IMSG_BIRD_PROTO_END with their count.
 */
struct bird_fail_msg {
	uint32_t	cmd;		/* enum bird_cmd_type */
	uint32_t	reason;		/* enum bird_fail_reason */
	char		text[BIRD_TEXT_LEN];
};

#endif /* MOENET_BIRD_H */
