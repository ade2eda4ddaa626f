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

#ifndef MOENET_PARENT_H
#define MOENET_PARENT_H

#include <sys/types.h>

#include <time.h>

#include "imsgev.h"
#include "parent/core/config.h"

struct child {
	struct imsgev	 iev;
	pid_t		 pid;
	int		 hello;		/* HELLO seen */
	uint32_t	 ping_seq;
	time_t		 last_pong;
};

extern struct moenet_conf	*conf;
extern struct child		 children[PROC_MAX];

typedef int	(*parent_reload_cb)(char *, size_t);

int	parent_imsg_compose(enum moenet_proc, uint32_t, uint32_t, int,
	    const void *, size_t);
void	parent_on_reload(parent_reload_cb);
int	parent_reload(char *, size_t);

#endif /* MOENET_PARENT_H */
