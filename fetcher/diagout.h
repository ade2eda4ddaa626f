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

#ifndef MOENET_FETCHER_DIAGOUT_H
#define MOENET_FETCHER_DIAGOUT_H

/*
 * The text a tool answers with: appended to, capped at a fixed size,
 * and marked when something had to be cut.
 */

#include <stddef.h>

struct diag_out {
	char	*buf;		/* NUL-terminated */
	size_t	 len;
	size_t	 max;		/* bytes of text at most */
	int	 truncated;
};

int	diag_out_init(struct diag_out *, size_t);
void	diag_out_free(struct diag_out *);
void	diag_out_printf(struct diag_out *, const char *, ...)
	    __attribute__((__format__ (printf, 2, 3)));
void	diag_out_finish(struct diag_out *);

#endif /* MOENET_FETCHER_DIAGOUT_H */
