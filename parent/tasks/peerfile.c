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
 * The session sync's side of file ownership.  A session whose file
 * name is taken by a file the agent did not write fails before its
 * tunnel is made (the control plane hears why, modify 6); the file is
 * left byte for byte.  A session going away takes its file only if the
 * file is still the agent's.  The previous agent named every peer's
 * file dn42_<asn>.conf: once adopted (a drop-in), that file goes when
 * the session's own file, under another name, takes its place, so that
 * BIRD never holds two protocols for one peer.
 */

#include <sys/types.h>
#include <sys/tree.h>

#include <stdio.h>
#include <string.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "parent/core/session.h"
#include "parent/ports/apply.h"
#include "parent/ports/birdfiles.h"
#include "parent/ports/render.h"
#include "parent/tasks/peerfile.h"

/* 0, or -1 with the reason in err: the session may not have its file. */
int
peerfile_check(const struct session *s, char *err, size_t errlen)
{
	char	 name[SESSION_PROTO_LEN + 8], why[256];

	/* A name that cannot be rendered fails later, with its reason. */
	if (render_file_name(&s->desired, name, sizeof(name), why,
	    sizeof(why)) == -1)
		return 0;
	return birdfiles_check(conf->bird_peer_dir, name, err, errlen);
}

void
peerfile_remove(const struct session *s, const char *file)
{
	char	 err[512];

	if (birdfiles_check(conf->bird_peer_dir, file, err,
	    sizeof(err)) == -1) {
		log_warnx("session %s: %s", s->desired.uuid, err);
		return;
	}
	if (apply_remove(conf->bird_peer_dir, file) == -1)
		log_warn("session %s: cannot stage the removal of %s",
		    s->desired.uuid, file);
}

/* Does a session of the table render to name? */
static int
someone_renders(const char *name)
{
	struct session	*t;
	char		 other[SESSION_PROTO_LEN + 8], why[256];

	RB_FOREACH(t, session_tree, &sessions)
		if (t->desired_known && render_file_name(&t->desired, other,
		    sizeof(other), why, sizeof(why)) == 0 &&
		    strcmp(other, name) == 0)
			return 1;
	return 0;
}

void
peerfile_previous_remove(const struct session *s, const char *name)
{
	char	 prev[SESSION_PROTO_LEN + 8];

	if ((size_t)snprintf(prev, sizeof(prev), "dn42_%u.conf",
	    s->desired.asn) >= sizeof(prev) || strcmp(prev, name) == 0 ||
	    !birdfiles_previous(conf->bird_peer_dir, prev) ||
	    someone_renders(prev))
		return;
	log_info("session %s: %s/%s, the previous agent's file for AS%u, "
	    "gives way to %s", s->desired.uuid, conf->bird_peer_dir, prev,
	    s->desired.asn, name);
	if (apply_remove(conf->bird_peer_dir, prev) == -1)
		log_warn("session %s: cannot stage the removal of %s",
		    s->desired.uuid, prev);
}
