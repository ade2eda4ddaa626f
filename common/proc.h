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

#ifndef MOENET_PROC_H
#define MOENET_PROC_H

#include <sys/types.h>

#include "moenet.h"

/* How a child was started; travels as hidden argv flags. */
struct child_opts {
	int		 debug;
	int		 verbose;
	int		 json_log;
	int		 journal;		/* stderr is the journal */
	int		 seccomp_log;		/* log violations, don't kill */
	char		 chroot[256];
	char		 ports[64];		/* fetcher: TCP ports, a,b,c */
	uid_t		 uid;			/* what the sandbox drops to */
	gid_t		 gid;
};

struct sandbox_opts;
struct imsgev;

int	proc_exe_open(void);
pid_t	start_child(enum moenet_proc, int, int, const struct child_opts *);
void	proc_child_setup(enum moenet_proc, const struct child_opts *,
	    struct sandbox_opts *);
void	proc_child_log_to(struct imsgev *);
void	proc_send_hello(struct imsgev *, enum moenet_proc);
void	proc_child_init(enum moenet_proc, const struct child_opts *);
void	proc_child_ready(enum moenet_proc, const struct child_opts *,
	    struct imsgev *, void (*)(int, short, void *),
	    void (*)(int, short, void *), int);
struct imsg;
int	proc_child_imsg(struct imsgev *, struct imsg *);

__dead void	fetcher_main(const struct child_opts *);
__dead void	birdctl_main(const struct child_opts *);
__dead void	wgctl_main(const struct child_opts *);

#endif /* MOENET_PROC_H */
