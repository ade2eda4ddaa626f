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
#include <sys/tree.h>

#include <string.h>

#include "moenet.h"
#include "parent/core/session.h"

struct session_tree	 sessions = RB_INITIALIZER(&sessions);

RB_GENERATE(session_tree, session, entry, session_cmp);

int
session_cmp(struct session *a, struct session *b)
{
	return strcmp(a->desired.uuid, b->desired.uuid);
}

struct session *
session_find(const char *uuid)
{
	struct session	 key;

	memset(&key, 0, sizeof(key));
	if (strlcpy(key.desired.uuid, uuid, sizeof(key.desired.uuid)) >=
	    sizeof(key.desired.uuid))
		return NULL;
	return RB_FIND(session_tree, &sessions, &key);
}

const char *
session_state_name(enum session_state s)
{
	static const char *const names[] = {
		"new", "pending", "setup", "active", "error", "removing",
		"disabled"
	};

	if ((unsigned int)s > SESSION_STATE_MAX)
		return "unknown";
	return names[s];
}

/*
 * o->bgp_state as BIRD just told it: a change from the last state told
 * is counted.  Nothing told (BIRD away) is no change, so a BIRD restart
 * counts only if the session's state differs afterwards.
 */
void
session_bgp_seen(struct session_observed *o, time_t now)
{
	if (o->bgp_state[0] == '\0')
		return;
	if (o->bgp_last[0] != '\0' && strcmp(o->bgp_last, o->bgp_state) != 0) {
		o->bgp_changes++;
		o->bgp_changed = now;
	}
	strlcpy(o->bgp_last, o->bgp_state, sizeof(o->bgp_last));
}
