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
 * fuzz_state.c's sessions, freed between runs (session.h cannot meet
 * mesh.c, which fuzz_state.c includes, in one file); and what maint.c
 * and mesh.c call past loading, which no load reaches: each aborts, so
 * that a call would be a finding.  Declared here without their types:
 * only their names are wanted.
 */

#include <sys/types.h>

#include <stdlib.h>

#define STUB(f)	void f(void); void f(void) { abort(); }

#include "parent/core/session.h"

void	fuzz_sessions_free(void);

void
fuzz_sessions_free(void)
{
	struct session	*s;

	while ((s = RB_MIN(session_tree, &sessions)) != NULL) {
		RB_REMOVE(session_tree, &sessions, s);
		freezero(s, sizeof(*s));
	}
}

STUB(apply_abort)
STUB(apply_begin)
STUB(apply_commit)
STUB(apply_put)
STUB(apply_result_names)
STUB(apply_remove)
STUB(apply_status_name)
STUB(apply_valid_name)
STUB(cp_fetch)
STUB(cphealth_failed)
STUB(cp_mesh_status)
STUB(engine_task_done)
STUB(firewall_source_done)
STUB(owner_claim_mesh)
STUB(owner_mesh_sync_done)
STUB(owner_owns)
STUB(owner_release)
STUB(policy_current)
STUB(render_buf_free)
STUB(render_ibgp_file_name)
STUB(render_ibgp_peer)
STUB(render_node_is_rr)
STUB(render_own_ll)
STUB(render_params_check)
STUB(render_params_init)
STUB(render_parse_header)
STUB(reconcile_expect)
STUB(reconcile_files)
STUB(reconcile_tunnels)
STUB(render_template_text)
STUB(render_templates_load)
STUB(wg_tunnel_apply)
STUB(wg_tunnel_remove)
STUB(sched_done)
STUB(status_changed)

/* mstate_load() hands its tunnels to owner.c: not part of these runs. */
void	owner_known(const char *);

void
owner_known(const char *ifname)
{
}
