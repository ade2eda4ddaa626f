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

#ifndef MOENET_REGRESS_CHILD_H
#define MOENET_REGRESS_CHILD_H

/*
 * A stand-in for moenet-agent.c around one real child: the child is
 * the agent binary started as the agent starts it (sandboxed, on fd 3),
 * its log lines are printed here, HELLO calls on_hello, and every other
 * message goes to the parent module under test.  The test runs the
 * event loop with child_run_until().
 */

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "moenet.h"
#include "imsg.h"

struct child_harness {
	enum moenet_proc	 proc;
	const char		*agent;		/* the moenet-agent binary */
	const char		*emptydir;	/* its chroot */
	int			 verbose;
	int			 seccomp_log;
	void			(*on_hello)(void);
	void			(*dispatch)(struct imsg *);
	/* What the module sends another child; NULL: to this one. */
	int			(*other)(enum moenet_proc, uint32_t, uint32_t,
				    int, const void *, size_t);
};

/* A port's answer (error, message) as a test waits for it. */
#define CHILD_MSG_LEN	256
struct child_done {
	int	 done;
	int	 err;
	char	 msg[CHILD_MSG_LEN];
};

pid_t	child_start(const struct child_harness *);
void	child_stop(void);
int	child_run_until(int (*)(void *), void *, int);
int	child_is_set(void *);
void	child_done_cb(int, const char *, void *);
int	child_sh(char *, size_t, const char *, ...)
	    __attribute__((__format__ (printf, 3, 4)));

#endif /* MOENET_REGRESS_CHILD_H */
