# Copyright (c) 2026 The moenet-agent authors
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.

# wgctl: WireGuard over generic netlink or UAPI, links and addresses over
# rtnetlink, and the reconcile diff.
AGENT_SRCS+=	wgctl/wg.c \
		wgctl/key.c \
		wgctl/wg_genl.c \
		wgctl/wg_uapi.c \
		wgctl/uapiconn.c \
		wgctl/rtnl.c \
		wgctl/pubaddr.c \
		wgctl/wg_diff.c \
		wgctl/nft.c \
		wgctl/nftmsg.c
