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

#ifndef MOENET_BIRDPARSE_H
#define MOENET_BIRDPARSE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "bird.h"
#include "birdproto.h"

/*
 * Reply parsers: a complete reply from the framer in, fixed-size
 * records out.  They never trust the reply: every field is bounded,
 * sanitized to printable ASCII and range-checked; anything that does
 * not parse gives -1 and a reason in the caller's buffer.
 *
 * Times are read as BIRD prints them (local time of the BIRD host).
 * Short forms ("12:34:56.789") are resolved against a reference time,
 * normally now: call tzset() before entering a chroot so that local
 * time is still known there.
 */

#define BIRD_PROTOS_MAX		100000

int	bird_parse_time(const char *, time_t, int64_t *, int *);
int	bird_parse_status(const struct bird_reply *, time_t,
	    struct bird_status_msg *, char *, size_t);
int	bird_parse_protocols(const struct bird_reply *, time_t,
	    struct bird_proto_msg **, size_t *, char *, size_t);
int	bird_parse_result(const struct bird_reply *, struct bird_result_msg *);

const char	*bird_daemon_state_name(unsigned int);
const char	*bird_proto_state_name(unsigned int);
const char	*bird_bgp_state_name(unsigned int);
const char	*bird_limit_action_name(unsigned int);
const char	*bird_outcome_name(unsigned int);

#endif /* MOENET_BIRDPARSE_H */
