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

#ifndef MOENET_CPBODY_H
#define MOENET_CPBODY_H

/*
 * JSON request bodies for the control plane, from the typed records of
 * common/cp.h.  Each returns a NUL-terminated body to free(), its length
 * in *len, or NULL when a record holds an impossible value.
 */

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "cp.h"

char	*cp_body_modify(const struct cp_modify_msg *, size_t *);
char	*cp_body_heartbeat(const struct cp_heartbeat_msg *, size_t *);
char	*cp_body_report(const struct cp_report_msg *,
	    const struct cp_report_session_msg *, size_t, size_t *);
char	*cp_body_mesh_status(const char *, int64_t,
	    const struct cp_mesh_status_msg *, size_t, size_t *);
char	*cp_body_rtt(int64_t, const struct cp_rtt_msg *, size_t, size_t *);

#endif /* MOENET_CPBODY_H */
