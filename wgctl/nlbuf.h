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

#ifndef MOENET_WGCTL_NLBUF_H
#define MOENET_WGCTL_NLBUF_H

#include <sys/types.h>

#include <errno.h>
#include <linux/netlink.h>
#include <stddef.h>

/*
 * A received netlink buffer is whole messages, each at least a header
 * and within the buffer.  libmnl's mnl_nlmsg_ok() compares the length
 * as an int: one over 2^31 passes, and mnl_cb_run2() then walks off the
 * buffer (libmnl 1.0.4, Debian 12).  Checked before libmnl sees it;
 * 0, or -1 with EBADMSG.
 */
static inline int
nl_buf_check(const void *buf, size_t len)
{
	const char		*p = buf;
	const struct nlmsghdr	*nlh;
	size_t			 step;

	while (len >= sizeof(*nlh)) {
		nlh = (const struct nlmsghdr *)p;
		if (nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len) {
			errno = EBADMSG;
			return -1;
		}
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}

#endif /* MOENET_WGCTL_NLBUF_H */
