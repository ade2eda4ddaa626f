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


#ifndef MOENET_PARENT_BIRD_H
#define MOENET_PARENT_BIRD_H

/*
 * The parent's side of BIRD: the connection (opened here, passed to
 * birdctl, reopened with backoff) and an asynchronous command API for
 * the other parent modules.  The wire records are common/bird.h's.
 */

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/bird.h"

#define BIRD_BACKOFF_MIN	1	/* seconds before reconnecting */
#define BIRD_BACKOFF_MAX	30
#define BIRD_REQ_MAX		256	/* commands outstanding at once */

struct bird_state {
	int		 enabled;	/* a control socket is configured */
	int		 connected;	/* birdctl has read BIRD's banner */
	int		 connecting;	/* an fd is with birdctl, no banner */
	char		 version[BIRD_VERSION_LEN];
	char		 last_error[BIRD_TEXT_LEN];
	time_t		 last_error_time;
	time_t		 connected_since;
	unsigned int	 backoff;	/* seconds before the next attempt */
	uint64_t	 attempts;	/* connect() calls */
	uint64_t	 connects;	/* banners read */
	uint64_t	 cmds_sent;
	uint64_t	 cmds_by_type[BIRD_CMD_MAX + 1];
	uint64_t	 auto_undos;	/* BIRD undid a config on its own */
};

/*
 * What a command's callback gets.  failed: BIRD never answered (see
 * fail_reason), result is NULL.  Otherwise result is BIRD's answer,
 * good or bad, and for a good "show status" or "show protocols" the
 * records come along.  text is one line for logs and reports: BIRD's
 * deciding line with its code ("8002 /etc/bird/peers/x.conf:3:12
 * syntax error"), or why there was no answer.  All of it is valid
 * during the callback only.
 */
struct bird_answer {
	uint32_t			 id;
	uint32_t			 cmd;		/* enum bird_cmd_type */
	int				 failed;
	uint32_t			 fail_reason;	/* bird_fail_reason */
	const struct bird_result_msg	*result;
	const struct bird_status_msg	*status;
	const struct bird_proto_msg	*protos;
	size_t				 nprotos;
	const char			*text;
	/* show route for: the reply as text, the routes; or the count */
	const char			*rtext;		/* NUL-terminated */
	size_t				 rtextlen;
	const struct bird_route_msg	*routes;
	size_t				 nroutes;
	const struct bird_community_msg	*community;
};

typedef void	(*bird_cb)(const struct bird_answer *, void *);

const struct bird_state	*bird_state(void);
void	bird_on_connect(void (*)(void));
void	bird_on_undo(void (*)(void));
int	bird_cmd(enum bird_cmd_type, const char *, uint32_t, bird_cb, void *);
int	bird_show_protocols(const char *, bird_cb, void *);
int	bird_show_status(bird_cb, void *);
int	bird_answer_ok(const struct bird_answer *);
void	bird_set_observer(bird_cb, void *);

struct imsg;
void	bird_init(void);
void	bird_routes(void);
void	parent_dispatch_birdctl(struct imsg *);

#endif /* MOENET_PARENT_BIRD_H */
