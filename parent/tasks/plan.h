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


#ifndef MOENET_PLAN_H
#define MOENET_PLAN_H

/*
 * What a session sync does with each session, as one function the
 * sync itself and moenetctl show plan share (plan_act), and the fields
 * of the control plane's record that changed (plan_fields).  A plan is
 * a list of changes: made by a sync (sync -w), or that the next sync
 * would make (show plan, which changes nothing).
 */

#include <net/if.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cp.h"
#include "parent/core/session.h"

#define PLAN_FIELDS_LEN		192
#define PLAN_ERROR_LEN		512

enum plan_kind {
	PLAN_CREATED,
	PLAN_CHANGED,
	PLAN_REMOVED,
	PLAN_HELD,
	PLAN_FAILED
};

struct plan_change {
	int		 kind;		/* enum plan_kind */
	char		 uuid[CP_UUID_LEN];
	char		 name[CP_NAME_LEN];
	char		 ifname[IFNAMSIZ];
	uint32_t	 asn;
	char		 fields[PLAN_FIELDS_LEN];
	char		 reason[CP_ERROR_LEN];
};

struct plan {
	struct plan_change	*v;
	size_t			 n;
	size_t			 nlisted;	/* sessions in the list */
	size_t			 nunchanged;
	char			 error[PLAN_ERROR_LEN];	/* "": list read */
	int64_t			 duration_ms;	/* a sync's; -1: a plan */
};

typedef void	(*plan_cb)(const struct plan *, void *);

int		 plan_act(const struct session *, const struct cp_session_msg *,
		    time_t);
size_t		 plan_fields(const struct cp_session_msg *,
		    const struct cp_session_msg *, char *, size_t);
const char	*plan_kind_name(int);
void		 plan_add(struct plan *, int, const struct session *,
		    const struct cp_session_msg *, const char *, const char *);
void		 plan_clear(struct plan *);
void		 plan_show(plan_cb, void *);

#endif /* MOENET_PLAN_H */
