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

#ifndef MOENET_CP_H
#define MOENET_CP_H

/*
 * Typed records the fetcher builds from control-plane documents.  They
 * cross the imsg pipe as they are, so: fixed sizes, no pointers, strings
 * always NUL-terminated, every value already validated by the fetcher
 * and checked again by the parent before use.
 */

#include <sys/types.h>

#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>

#define CP_UUID_LEN		64
#define CP_NAME_LEN		128
#define CP_DESCR_LEN		256
#define CP_HOST_LEN		256
#define CP_ERROR_LEN		256
#define WG_KEY_LEN		32

/* Session status codes, as CONTRACT.md numbers them. */
enum cp_status {
	CP_STATUS_DELETED = 0,
	CP_STATUS_DISABLED = 1,
	CP_STATUS_ENABLED = 2,
	CP_STATUS_PENDING_APPROVAL = 3,
	CP_STATUS_QUEUED_FOR_SETUP = 4,
	CP_STATUS_QUEUED_FOR_DELETE = 5,
	CP_STATUS_PROBLEM = 6,
	CP_STATUS_TEARDOWN = 7,
	CP_STATUS_REJECTED = 8,
	CP_STATUS_MAX = CP_STATUS_REJECTED
};

enum cp_tunnel_type {
	CP_TUNNEL_WIREGUARD,
	CP_TUNNEL_GRE,
	CP_TUNNEL_IP6GRE,
	CP_TUNNEL_MAX = CP_TUNNEL_IP6GRE
};

enum cp_policy {
	CP_POLICY_FULL,
	CP_POLICY_PEER,
	CP_POLICY_UPSTREAM,
	CP_POLICY_DOWNSTREAM,
	CP_POLICY_MAX = CP_POLICY_DOWNSTREAM
};

/* cp_session_msg.flags */
#define CP_SESS_MPBGP		0x0001	/* extension mp-bgp */
#define CP_SESS_ENH		0x0002	/* extension extended-nexthop */
#define CP_SESS_HAS_IPV4	0x0004	/* ipv4 is set */
#define CP_SESS_HAS_IPV6	0x0008	/* ipv6 is set */
#define CP_SESS_HAS_LL		0x0010	/* ipv6_ll is set */
#define CP_SESS_HAS_PSK		0x0020	/* psk is set */
#define CP_SESS_HAS_ENDPOINT	0x0040	/* endpoint_host/port set */
#define CP_SESS_HAS_STATUS	0x0080	/* status was given and valid */
#define CP_SESS_DISABLED	0x0100	/* local: moenetctl disable */
#define CP_SESS_INVALID		0x8000	/* error[] says why */

/*
 * One BGP session.  A session whose own fields failed validation still
 * travels up, with CP_SESS_INVALID and error[] naming the field, so the
 * parent can report it with modify 6 while the others go on.  Its other
 * fields are then only as far as they were valid: status is meaningful
 * only with CP_SESS_HAS_STATUS, and a session without a valid uuid never
 * travels at all.  Absent type and policy read as wireguard and full.
 */
struct cp_session_msg {
	char		uuid[CP_UUID_LEN];
	char		name[CP_NAME_LEN];
	char		description[CP_DESCR_LEN];
	char		ifname[IFNAMSIZ];
	char		endpoint_host[CP_HOST_LEN];	/* name or address */
	char		error[CP_ERROR_LEN];
	uint8_t		peer_pubkey[WG_KEY_LEN];
	uint8_t		psk[WG_KEY_LEN];
	struct in_addr	ipv4;
	struct in6_addr	ipv6;
	struct in6_addr	ipv6_ll;
	uint32_t	asn;
	uint32_t	status;		/* enum cp_status */
	uint32_t	type;		/* enum cp_tunnel_type */
	uint32_t	policy;		/* enum cp_policy */
	uint32_t	flags;		/* CP_SESS_* */
	uint16_t	endpoint_port;
	uint16_t	listen_port;	/* 0: none given */
	uint16_t	mtu;		/* 0: default */
	uint16_t	pad;
};

/* Limits the fetcher enforces on what the control plane sends. */
#define CP_SESSIONS_MAX		4096
#define CP_MESH_PEERS_MAX	1024
#define CP_IBGP_PEERS_MAX	1024
#define CP_RPKI_MAX		8
#define CP_COMMUNITY_MAX	64
#define CP_SYMBOL_LEN		48	/* BIRD symbol: community names */
#define CP_PATH_LEN		256
#define CP_HASH_LEN		128
#define CP_NODENAME_LEN		64
#define CP_VERSION_LEN		64
#define CP_STATE_LEN		32
#define CP_INFO_LEN		128
#define CP_MESH_NODEID_MAX	999	/* "dn42-wg-igp-999" fills IFNAMSIZ */

/* cp_mesh_peer_msg.flags and cp_ibgp_peer_msg.flags */
#define CP_PEER_SELF		0x0001	/* mesh "self": this router */
#define CP_PEER_RR		0x0002	/* isRr */
#define CP_PEER_HAS_IPV4	0x0004
#define CP_PEER_HAS_IPV6	0x0008
#define CP_PEER_HAS_KEY		0x0010
#define CP_PEER_HAS_ENDPOINT	0x0020
#define CP_PEER_INVALID		0x8000	/* error[] says why */

/* One router of our own network, from GET mesh ("self" or "peers"). */
struct cp_mesh_peer_msg {
	char		node_name[CP_NODENAME_LEN];
	char		endpoint_host[CP_HOST_LEN];
	char		error[CP_ERROR_LEN];
	uint8_t		pubkey[WG_KEY_LEN];
	struct in_addr	loopback4;
	struct in6_addr	loopback6;
	uint32_t	node_id;	/* 1..CP_MESH_NODEID_MAX */
	uint32_t	flags;		/* CP_PEER_* */
	uint16_t	endpoint_port;
	uint16_t	mtu;		/* 0: default */
};

/* One iBGP neighbour, from bird-config "ibgpPeers". */
struct cp_ibgp_peer_msg {
	char		node_name[CP_NODENAME_LEN];
	char		error[CP_ERROR_LEN];
	struct in_addr	loopback4;
	struct in6_addr	loopback6;
	uint32_t	node_id;
	uint32_t	flags;		/* CP_PEER_* */
};

struct cp_rpki_server {
	char		name[CP_SYMBOL_LEN];	/* BIRD symbol, may be empty */
	char		host[CP_HOST_LEN];	/* DNS name or address */
	uint16_t	port;
	uint16_t	pad;
};

/* A named community: (a, b) or, when large, (a, b, c). */
struct cp_community {
	char		name[CP_SYMBOL_LEN];
	uint32_t	large;
	uint32_t	val[3];
};

/* cp_policy_msg.flags: which optional values were given */
#define CP_POL_HAS_LOOP4	0x0001
#define CP_POL_HAS_LOOP6	0x0002
#define CP_POL_HAS_PFX4		0x0004
#define CP_POL_HAS_PFX6		0x0008
#define CP_POL_HAS_NODEASN	0x0010

/* The routing policy of this router, from GET bird-config. */
struct cp_policy_msg {
	char		config_hash[CP_HASH_LEN];
	char		node_name[CP_NODENAME_LEN];
	char		node_type[CP_SYMBOL_LEN];	/* [A-Za-z0-9_.-] */
	char		bandwidth[CP_SYMBOL_LEN];	/* [A-Za-z0-9_.-] */
	char		continent_lc[CP_SYMBOL_LEN];	/* BIRD symbol */
	char		subregion_lc[CP_SYMBOL_LEN];	/* BIRD symbol */
	char		region_community[CP_SYMBOL_LEN]; /* known set */
	char		bandwidth_community[CP_SYMBOL_LEN]; /* known set */
	struct cp_rpki_server	rpki[CP_RPKI_MAX];
	struct cp_community	communities[CP_COMMUNITY_MAX];
	struct cp_community	large_communities[CP_COMMUNITY_MAX];
	struct in_addr	loopback4;
	struct in6_addr	loopback6;
	struct in_addr	prefix4;
	struct in6_addr	prefix6;
	uint32_t	node_id;
	uint32_t	node_asn;		/* node.asn, if given */
	uint32_t	region_code;
	uint32_t	dn42_as;		/* policy.dn42As */
	uint32_t	ebgp_import_limit;	/* 0: none */
	uint32_t	ebgp_export_limit;
	uint32_t	ibgp_import_limit;
	uint32_t	ibgp_export_limit;
	uint32_t	as_path_max_len;	/* 0: none */
	uint32_t	nrpki;
	uint32_t	ncommunities;
	uint32_t	nlarge_communities;
	uint32_t	flags;			/* CP_POL_* */
	uint8_t		prefix4_len;
	uint8_t		prefix6_len;
	uint16_t	pad;
};

/* cp_nodeconf_msg.has: which keys the control plane gave */
#define CP_NC_NODE_NAME		0x00000001
#define CP_NC_NODE_ID		0x00000002
#define CP_NC_NODE_REGION	0x00000004
#define CP_NC_BIRD_SOCKET	0x00000008
#define CP_NC_BIRD_PEERDIR	0x00000010
#define CP_NC_BIRD_IBGPDIR	0x00000020
#define CP_NC_BIRD_POLICYDIR	0x00000040
#define CP_NC_BIRD_MAINTFILE	0x00000080
#define CP_NC_WG_PRIVPATH	0x00000100
#define CP_NC_WG_PUBPATH	0x00000200
#define CP_NC_WG_KEEPALIVE	0x00000400
#define CP_NC_WG_IPV4		0x00000800
#define CP_NC_WG_IPV6		0x00001000
#define CP_NC_WG_IPV6LL		0x00002000
#define CP_NC_PING_TIMEOUT	0x00004000
#define CP_NC_PING_COUNT	0x00008000
#define CP_NC_AUTOUPDATE	0x00010000	/* present: ignored, say so */

/*
 * The bootstrap configuration from GET config.  Paths are absolute,
 * free of "..", and only the parent decides whether to honour them.
 */
struct cp_nodeconf_msg {
	char		node_name[CP_NODENAME_LEN];
	char		region[CP_NAME_LEN];
	char		bird_socket[CP_PATH_LEN];
	char		bird_peerdir[CP_PATH_LEN];
	char		bird_ibgpdir[CP_PATH_LEN];
	char		bird_policydir[CP_PATH_LEN];
	char		bird_maintfile[CP_PATH_LEN];
	char		wg_privpath[CP_PATH_LEN];
	char		wg_pubpath[CP_PATH_LEN];
	struct in_addr	wg_ipv4;
	struct in6_addr	wg_ipv6;
	struct in6_addr	wg_ipv6ll;
	uint32_t	has;			/* CP_NC_* */
	uint32_t	node_id;
	uint32_t	wg_keepalive;		/* seconds, 0..3600 */
	uint32_t	ping_timeout;		/* seconds, 1..60 */
	uint32_t	ping_count;		/* 1..100 */
	uint8_t		wg_ipv4_len;		/* 0: none given */
	uint8_t		wg_ipv6_len;
	uint8_t		wg_ipv6ll_len;
	uint8_t		pad;
};

/*
 * Request bodies.  The parent fills these; the fetcher turns them into
 * JSON (fetcher/cpbody.c).  Strings are NUL-terminated and may hold any
 * bytes: the body builder escapes them and replaces what is not UTF-8.
 */

/* POST {node}/modify */
struct cp_modify_msg {
	char		uuid[CP_UUID_LEN];
	char		last_error[CP_ERROR_LEN];	/* "": not sent */
	uint32_t	status;				/* enum cp_status */
};

/* cp_heartbeat_msg.flags */
#define CP_HB_HAS_MESHKEY	0x0001
#define CP_HB_HAS_PUBV4		0x0002
#define CP_HB_HAS_PUBV6		0x0004
#define CP_HB_MAINTENANCE	0x0008
#define CP_HB_STATE_WRITE	0x0010	/* degraded: no state writes */
#define CP_HB_REMOVAL_HELD	0x0020	/* degraded: mass removal held */
#define CP_HB_BIRD_DOWN		0x0040	/* degraded: BIRD not connected */

/* POST heartbeat */
struct cp_heartbeat_msg {
	char		node_id[CP_NODENAME_LEN];	/* the router name */
	char		agent_version[CP_VERSION_LEN];
	char		bird_version[CP_VERSION_LEN];	/* status.version */
	char		kernel[CP_NAME_LEN];
	char		loadavg[CP_VERSION_LEN];	/* "0.10 0.20 0.30" */
	uint8_t		mesh_pubkey[WG_KEY_LEN];
	struct in_addr	public_ipv4;
	struct in6_addr	public_ipv6;
	int64_t		uptime;				/* seconds */
	int64_t		timestamp;			/* Unix seconds */
	uint64_t	tx;				/* bytes */
	uint64_t	rx;
	uint32_t	tcp;				/* connections */
	uint32_t	udp;
	uint32_t	flags;				/* CP_HB_* */
	uint32_t	pad;
};

/* POST {node}/report: a header, then one record per BGP session. */
struct cp_report_msg {
	char		node_id[CP_NODENAME_LEN];
	int64_t		timestamp;
	uint32_t	count;
	uint32_t	pad;
};

/* cp_report_session_msg.flags */
#define CP_RS_HAS_HANDSHAKE	0x0001
#define CP_RS_HAS_RTT		0x0002
#define CP_RS_HAS_AF		0x0004	/* per-AF route counts known */

struct cp_report_session_msg {
	char		uuid[CP_UUID_LEN];
	char		name[CP_NAME_LEN];	/* BIRD protocol name */
	char		state[CP_STATE_LEN];	/* "up", "start", ... */
	char		info[CP_INFO_LEN];	/* "Established", ... */
	int64_t		handshake_age;		/* seconds */
	int64_t		rtt_us;			/* -1: all probes lost */
	uint32_t	routes_imported;
	uint32_t	routes_exported;
	uint32_t	ipv4_imported;
	uint32_t	ipv4_exported;
	uint32_t	ipv6_imported;
	uint32_t	ipv6_exported;
	uint32_t	loss;			/* percent, 0..100 */
	uint32_t	flags;			/* CP_RS_* */
};

/* POST {node}/mesh/status: one record per mesh peer. */
struct cp_mesh_status_msg {
	char		error[CP_ERROR_LEN];	/* "": "configured" */
	uint32_t	node_id;
	uint32_t	pad;
};

/* POST {node}/rtt: one record per target. */
struct cp_rtt_msg {
	char		target[CP_HOST_LEN];
	int64_t		rtt_us;			/* -1: all probes lost */
	uint32_t	loss;			/* percent, 0..100 */
	uint32_t	pad;
};

#endif /* MOENET_CP_H */
