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


#ifndef MOENET_REAP_H
#define MOENET_REAP_H

/*
 * Processes the parent starts besides its children (bird -p, the
 * helpers of wireguard-go): their exit reaches whoever watches the pid,
 * from the event loop, when the SIGCHLD handler reaps it.  Nothing in
 * the parent waits for a process.
 */

#include <sys/types.h>

#define REAP_WATCH_MAX	16

typedef void	(*reap_cb)(pid_t, int, void *);	/* pid, wait status */

int	reap_watch(pid_t, reap_cb, void *);
void	reap_forget(pid_t);
int	reap_exited(pid_t, int);
pid_t	reap_fork_pipe(int *, char *, size_t);

#endif /* MOENET_REAP_H */
