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
 * moenetctl restart|disable|enable X.  X is found as show session
 * finds a session (core/session_find.c), among the sessions the agent
 * set up.  A session
 * of two protocols (no MP-BGP: <name>_v4, <name>_v6) gets the command
 * on both, one after the other.  The iBGP protocols to the network's
 * own routers ("ibgp_<nodeId>", or the router's name) are found too,
 * when no session matches; the disabled set keeps them by protocol.
 */

#include <sys/types.h>
#include <sys/tree.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "log.h"
#include "cp.h"
#include "parent/core/session.h"
#include "parent/core/session_find.h"
#include "parent/tasks/disabled.h"
#include "parent/ports/bird.h"
#include "parent/tasks/engine.h"
#include "parent/tasks/mesh.h"
#include "parent/tasks/session_act.h"
#include "birdctl/birdcmd.h"

struct act_req {
	enum session_act_what	 what;
	int			 ibgp;
	char			 uuid[CP_UUID_LEN];	/* or iBGP protocol */
	char			 protos[2][SESSION_PROTO_LEN + 4];
	int			 n, i;
	session_act_cb		 cb;
	void			*arg;
};

static const char *const verbs[] = {
	[SESSION_ACT_RESTART] = "restart",
	[SESSION_ACT_DISABLE] = "disable",
	[SESSION_ACT_ENABLE] = "enable"
};
static const char *const done_words[] = {
	[SESSION_ACT_RESTART] = "restarted",
	[SESSION_ACT_DISABLE] = "disabled",
	[SESSION_ACT_ENABLE] = "enabled"
};

static struct session *session_act_find(const char *, char *, size_t,
		    int *);
static void	act_next(struct act_req *);
static void	act_done(const struct bird_answer *, void *);
static void	act_follow(const struct act_req *);

/*
 * The owned session arg names, as show session finds it
 * (core/session_find.c), if the agent set it up with a BIRD protocol.
 * NULL and why in err; *several when arg names more than one.
 */
static struct session *
session_act_find(const char *arg, char *err, size_t errlen, int *several)
{
	struct session	*s;
	int		 r;

	*several = 0;
	if ((r = session_lookup(arg, &s, err, errlen)) < 0) {
		*several = r == SESSION_LOOKUP_SEVERAL;
		return NULL;
	}
	if (!s->applied || s->protocol[0] == '\0') {
		snprintf(err, errlen, "no BGP session %s set up on this "
		    "router", arg);
		return NULL;
	}
	return s;
}

void
session_act(enum session_act_what what, const char *arg, const char *who,
    session_act_cb cb, void *cbarg)
{
	struct session	*s;
	struct act_req	*r;
	char		 err[512], proto[SESSION_PROTO_LEN];
	int		 i, several;

	if ((s = session_act_find(arg, err, sizeof(err), &several)) ==
	    NULL && (several ||
	    mesh_ibgp_find(arg, proto, sizeof(proto)) == -1)) {
		cb(several ? 400 : 404, err, cbarg);
		return;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		cb(500, "out of memory", cbarg);
		return;
	}
	r->what = what;
	r->cb = cb;
	r->arg = cbarg;
	if (s == NULL) {
		r->ibgp = 1;
		strlcpy(r->uuid, proto, sizeof(r->uuid));
		strlcpy(r->protos[0], proto, sizeof(r->protos[0]));
		r->n = 1;
	} else {
		strlcpy(r->uuid, s->desired.uuid, sizeof(r->uuid));
		if (s->desired.flags & CP_SESS_MPBGP) {
			strlcpy(r->protos[0], s->protocol,
			    sizeof(r->protos[0]));
			r->n = 1;
		} else {
			snprintf(r->protos[0], sizeof(r->protos[0]), "%s_v4",
			    s->protocol);
			snprintf(r->protos[1], sizeof(r->protos[1]), "%s_v6",
			    s->protocol);
			r->n = 2;
		}
	}
	for (i = 0; i < r->n; i++)
		if (!bird_cmd_valid_name(r->protos[i])) {
			cb(500, "the session's protocol name is not valid",
			    cbarg);
			free(r);
			return;
		}
	/* Remembered first: what BIRD is told must survive a restart. */
	if (what != SESSION_ACT_RESTART && disabled_set(r->uuid,
	    what == SESSION_ACT_DISABLE) == -1) {
		cb(500, "cannot keep the disabled sessions in state.dir",
		    cbarg);
		free(r);
		return;
	}
	if (s != NULL && what == SESSION_ACT_DISABLE)
		s->desired.flags |= CP_SESS_DISABLED;
	else if (s != NULL && what == SESSION_ACT_ENABLE)
		s->desired.flags &= ~CP_SESS_DISABLED;
	log_info("%s %s (%s): %s asked by %s", r->ibgp ? "iBGP" : "session",
	    r->protos[0], r->uuid, verbs[what], who);
	act_next(r);
}

/* The file follows what BIRD was told: "disabled;" on or off. */
static void
act_follow(const struct act_req *r)
{
	if (r->what == SESSION_ACT_RESTART)
		return;
	if (r->ibgp)
		mesh_ibgp_kick();
	else
		engine_sync_now();
}

static void
act_next(struct act_req *r)
{
	enum bird_cmd_type	 cmd;
	char			 text[3 * SESSION_PROTO_LEN];

	if (r->i == r->n) {
		if (r->n == 1)
			snprintf(text, sizeof(text), "%s %s", r->protos[0],
			    done_words[r->what]);
		else
			snprintf(text, sizeof(text), "%s and %s %s",
			    r->protos[0], r->protos[1], done_words[r->what]);
		act_follow(r);
		r->cb(200, text, r->arg);
		free(r);
		return;
	}
	cmd = r->what == SESSION_ACT_RESTART ? BIRD_CMD_RESTART :
	    r->what == SESSION_ACT_DISABLE ? BIRD_CMD_DISABLE :
	    BIRD_CMD_ENABLE;
	if (bird_cmd(cmd, r->protos[r->i], 0, act_done, r) == -1) {
		/* Remembered all the same: the next sync's file says so. */
		act_follow(r);
		r->cb(503, r->what == SESSION_ACT_RESTART ?
		    (errno == ENOTCONN ? "BIRD is not connected" :
		    "BIRD is busy") : errno == ENOTCONN ? "BIRD is not "
		    "connected; remembered: the peer file says so from the "
		    "next sync" : "BIRD is busy; remembered: the peer file "
		    "says so from the next sync", r->arg);
		free(r);
	}
}

static void
act_done(const struct bird_answer *a, void *arg)
{
	struct act_req	*r = arg;
	char		 text[BIRD_TEXT_LEN + 64];
	int		 status = 0;

	if (a->failed) {
		snprintf(text, sizeof(text), "BIRD did not answer: %s",
		    a->text);
		status = 503;
	} else if (a->result->outcome == BIRD_OUT_NO_MATCH) {
		snprintf(text, sizeof(text), "BIRD has no protocol %s",
		    r->protos[r->i]);
		status = 404;
	} else if (!bird_answer_ok(a)) {
		snprintf(text, sizeof(text), "BIRD: %s", a->text);
		status = 502;
	}
	if (status != 0) {
		act_follow(r);
		r->cb(status, text, r->arg);
		free(r);
		return;
	}
	log_info("session %s: %s", r->protos[r->i], done_words[r->what]);
	r->i++;
	act_next(r);
}
