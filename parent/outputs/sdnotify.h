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

#ifndef MOENET_SDNOTIFY_H
#define MOENET_SDNOTIFY_H

/*
 * The service manager's notification protocol, spoken directly: one
 * datagram of KEY=VALUE lines to $NOTIFY_SOCKET.  No libsystemd.
 */


void	sdnotify_init(void);
void	sdnotify_start(void);
void	sdnotify_ready(void);
void	sdnotify_reloading(void);
void	sdnotify_reloaded(void);
void	sdnotify_stopping(void);
int	sdnotify(const char *, ...)
	    __attribute__((__format__ (printf, 1, 2)));

#endif /* MOENET_SDNOTIFY_H */
