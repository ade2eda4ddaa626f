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

#ifndef MOENET_SESSION_H
#define MOENET_SESSION_H

/*
 * What the parent knows of each BGP session: what the control plane
 * wants, what was applied, what BIRD and WireGuard show, and the last
 * error.  Keyed by the control plane's uuid.
 */

#include <sys/types.h>
#include <sys/tree.h>

#include <stdint.h>
#include <time.h>

#include "cp.h"

#define SESSION_PROTO_LEN	64

enum session_state {
	SESSION_NEW,		/* known, nothing done yet */
	SESSION_PENDING,	/* CP: waiting for approval */
	SESSION_SETUP,		/* being set up */
	SESSION_ACTIVE,		/* tunnel and BGP configured */
	SESSION_ERROR,		/* last attempt failed; retried with backoff */
	SESSION_REMOVING,
	SESSION_DISABLED,	/* removed locally, kept in the CP */
	SESSION_STATE_MAX = SESSION_DISABLED
};

struct session_observed {
	char		 bgp_state[32];	/* BIRD's BGP state, e.g. Established */
	char		 bird_info[64];
	time_t		 bird_since;
	uint32_t	 routes_in[2];	/* [0] IPv4, [1] IPv6 */
	uint32_t	 routes_out[2];
	time_t		 wg_handshake;
	uint64_t	 wg_rx, wg_tx;
	int		 link_up;
	double		 rtt_ms;	/* -1: unknown or all lost */
	double		 loss;		/* 0..100 */
	/* BGP state changes between the agent's looks (session_bgp_seen) */
	char		 bgp_last[32];	/* the last state BIRD told */
	uint32_t	 bgp_changes;
	time_t		 bgp_changed;	/* 0: none seen */
};

struct session {
	RB_ENTRY(session)	 entry;
	struct cp_session_msg	 desired;
	int			 desired_known;	/* from a sync or the state */
	enum session_state	 state;
	char			 protocol[SESSION_PROTO_LEN];
	char			 last_error[CP_ERROR_LEN];
	time_t			 since;		/* state entered */
	time_t			 last_applied;
	time_t			 next_retry;
	unsigned int		 retries;
	unsigned int		 missing;	/* consecutive syncs absent */
	struct session_observed	 observed;

	/* What the agent owns on the router for this session. */
	int			 applied;	/* tunnel and file exist */
	char			 file[SESSION_PROTO_LEN + 8];
	char			 ifname[16];

	/* The sync in progress. */
	int			 act;		/* enum session_act */
	int			 failed;	/* enum session_fail */
	char			 fail_text[CP_ERROR_LEN];
	uint32_t		 reported_status; /* last modify sent */
	char			 reported_error[CP_ERROR_LEN];
};

/* Why this sync's step did not go through for the session. */
enum session_fail {
	FAIL_NONE,
	FAIL_SESSION,	/* its own fault: ERROR, reported to the CP */
	FAIL_WAIT	/* not its fault (BIRD, the policy): kept, tried again */
};

enum session_act {
	ACT_UNDECIDED = -1,	/* seen this sync, decided below */
	ACT_NONE,
	ACT_UP,		/* set up or keep: tunnel and BIRD protocol */
	ACT_DOWN,	/* remove locally */
	ACT_FAIL	/* invalid: report, touch nothing */
};

RB_HEAD(session_tree, session);
RB_PROTOTYPE(session_tree, session, entry, session_cmp);

extern struct session_tree	 sessions;

int		 session_cmp(struct session *, struct session *);
struct session	*session_find(const char *);
const char	*session_state_name(enum session_state);
void		 session_bgp_seen(struct session_observed *, time_t);

#endif /* MOENET_SESSION_H */
