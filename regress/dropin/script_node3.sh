#!/bin/sh
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

#
# script_node.sh again with the BIRD the control plane's script
# installs: BIRD 3 (regress/bird3.sh builds it once from the vendored
# source), on the router only; its peer keeps Debian's BIRD 2.

. "$(dirname "$0")/../lib.sh"
need_root script_node_bird3
if ! out=$(sh "$TOP/regress/bird3.sh"); then
	skip script_node_bird3 "$(echo "$out" | tail -n 1)"
	exit 0
fi
NODE_BIRD=$out/sbin/bird NODE_BIRDC=$out/sbin/birdc \
    exec sh "$TOP/regress/dropin/script_node.sh"
