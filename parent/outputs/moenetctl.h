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

#ifndef MOENET_MOENETCTL_H
#define MOENET_MOENETCTL_H

#include "ctl.h"

enum ctl_action {
	CTL_NONE,
	CTL_SHOW_STATUS,
	CTL_SHOW_SESSIONS,
	CTL_SHOW_SESSION,
	CTL_SHOW_BIRD,
	CTL_SHOW_WG,
	CTL_RELOAD,
	CTL_LOG_VERBOSE,
	CTL_LOG_BRIEF,
	CTL_MAINT_ON,
	CTL_MAINT_OFF,
	CTL_SYNC,
	CTL_ROUTE,
	CTL_PATH,
	CTL_RESTART,
	CTL_PROBE,
	CTL_DIAG_PING,
	CTL_DIAG_TRACE,
	CTL_SHOW_FIREWALL,
	CTL_CONFIRM_REMOVAL
};

/* How replies are shown: for people, or as JSON (bgpctl's vtable). */
struct output {
	void	(*head)(enum ctl_action);
	void	(*status)(const struct ctl_status_msg *);
	void	(*status_ext)(const struct ctl_status_ext_msg *);
	void	(*node)(const struct ctl_node_msg *);
	void	(*session)(const struct ctl_session_msg *);
	void	(*session_ext)(const struct ctl_session_ext_msg *);
	void	(*proto)(const struct ctl_proto_msg *);
	void	(*bird)(const struct ctl_bird_msg *);
	void	(*wg)(const struct ctl_wg_msg *);
	void	(*tunnel)(const struct ctl_tunnel_msg *);
	void	(*result)(const struct ctl_result_msg *);
	void	(*text)(const char *, size_t);	/* route, ping, ... */
	void	(*tail)(enum ctl_action);
};

extern const struct output	show_output;
extern const struct output	json_output;

__dead void	ctl_main(int, char *[]);

#endif /* MOENET_MOENETCTL_H */
