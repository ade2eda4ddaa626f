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


#ifndef MOENET_CTL_ACTOUT_H
#define MOENET_CTL_ACTOUT_H

/*
 * moenetctl's actions: restart, disable, enable, sync -w, show plan,
 * reload.  Their replies are read and shown here, for people or as
 * JSON (-j), errors included.
 */

#include "imsg.h"
#include "parent/outputs/moenetctl.h"

int		actout_handles(enum ctl_action);
int		actout_reply(struct imsg *, enum ctl_action, int);
__dead void	actout_fail(const char *, ...)
		    __attribute__((__format__ (printf, 1, 2)));

#endif /* MOENET_CTL_ACTOUT_H */
