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

# ports: the parent's clients of its children.  The control plane
# (through the fetcher), BIRD and the apply pipeline (through birdctl),
# WireGuard (through wgctl, or wireguard-go it starts), the bot's tools
# (fetcher/diag*.c), the firewall (through wgctl).  The renderers are in
# render.mk.
AGENT_SRCS+=	parent/ports/cpclient.c \
		parent/ports/cphealth.c \
		parent/ports/bird.c \
		parent/ports/apply.c \
		parent/ports/birdfiles.c \
		parent/ports/birdcheck.c \
		parent/ports/wg.c \
		parent/ports/firewall.c \
		parent/ports/tools.c \
		parent/ports/policy_render.c
