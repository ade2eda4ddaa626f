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

# make check: the VM tests (kernel.sh, then systemd.sh) take minutes of
# emulated CPU and wait on little else, so they start first, in the
# background, and run beside the rest; collect.sh, last, waits for them
# and prints their results.  One VM at a time: the machine has 2 cores.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/regress/lib.sh"
# Outside the tree, one per checkout.
BG=/tmp/mnt-vm-bg.$(echo "$TOP" | cksum | cut -d" " -f1)
if [ -f "$BG/pid" ]; then
	kill -TERM -- "-$(cat "$BG/pid")" 2>/dev/null
fi
rm -rf "$BG"
mkdir -p "$BG"
date +%s >"$BG/start"
setsid sh -c '
	for t in kernel systemd; do
		sh "$0/regress/vm/$t.sh" >"$1/$t.out" 2>&1
		echo $? >"$1/$t.rc"
	done
	date +%s >"$1/end"' "$TOP" "$BG" </dev/null >/dev/null 2>&1 &
echo $! >"$BG/pid"
ok vm_background_started
