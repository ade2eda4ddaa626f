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

#ifndef MOENET_WGCTL_NLERR_H
#define MOENET_WGCTL_NLERR_H

#include <errno.h>

/* The largest errno the kernel sends (include/linux/err.h MAX_ERRNO). */
#define NL_ERRNO_MAX	4095

/*
 * The errno a netlink error code stands for.  The kernel sends -errno;
 * any other value (positive, beyond MAX_ERRNO, INT_MIN, whose negation
 * overflows) comes from a broken or hostile peer and is EPROTO.
 */
static inline int
nl_errno(int error)
{
	if (error == 0)
		return 0;
	if (error < 0 && error >= -NL_ERRNO_MAX)
		return -error;
	return EPROTO;
}

#endif /* MOENET_WGCTL_NLERR_H */
