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

# wgctl's generic netlink code against the kernel's WireGuard module:
# genl_real sets and reads back a device of 1000 peers (many netlink
# messages each way), changes one peer and removes another; wg(8) then
# counts what the kernel holds.  Skips where the kernel has no
# WireGuard; regress/vm runs it under one that has.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/regress/lib.sh"
need_root genl_real
N=1000
NS=mnt-wgk-$$
trap 'ip netns del $NS 2>/dev/null' EXIT
ip netns add $NS || { fail genl_real_setup "netns"; finish; }
if ! ip -n $NS link add wgk0 type wireguard 2>/dev/null; then
	skip genl_real "no WireGuard in kernel $(uname -r)"
	exit 0
fi
out=$(ip netns exec $NS "$TOP/regress/wg/genl_real" wgk0 $N)
rc=$?
echo "$out"
[ $rc -eq 0 ] || [ -n "$(echo "$out" | grep '^FAIL ')" ] ||
    fail genl_real "exited with status $rc"
check genl_real_wg_peers [ "$(ip netns exec $NS wg show wgk0 peers |
    wc -l)" -eq $((N - 1)) ]
check genl_real_wg_allowedips [ "$(ip netns exec $NS wg show wgk0 \
    allowed-ips | wc -w)" -eq $(((N - 1) * 4)) ]
check genl_real_wg_port [ "$(ip netns exec $NS wg show wgk0 listen-port)" \
    = 51999 ]
finish
