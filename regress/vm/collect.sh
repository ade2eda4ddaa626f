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

# make check: the results of the VM tests start.sh began, waited for
# (bounded: below regress/run.sh's limit per test), printed as their
# own, with how long they ran and how long this wait added.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/regress/lib.sh"
# Outside the tree, one per checkout.
BG=/tmp/mnt-vm-bg.$(echo "$TOP" | cksum | cut -d" " -f1)
if [ ! -f "$BG/pid" ]; then
	skip vm_background "not started (regress/vm/start.sh)"
	exit 0
fi
t=$(date +%s)
if ! wait_for $((${REGRESS_TIMEOUT:-900} - 30)) test -f "$BG/end"; then
	kill -TERM -- "-$(cat "$BG/pid")" 2>/dev/null
	fail vm_background "still running after $(($(date +%s) - t))s"
fi
rc=0
for x in kernel systemd; do
	[ -f "$BG/$x.out" ] || continue
	echo "==> regress/vm/$x.sh (in the background)"
	cat "$BG/$x.out"
	r=$(cat "$BG/$x.rc" 2>/dev/null)
	if [ "${r:-1}" -ne 0 ] && ! grep -q '^FAIL ' "$BG/$x.out"; then
		fail "vm_$x" "exited with status ${r:-unknown}"
	fi
	grep -q '^FAIL ' "$BG/$x.out" && rc=1
done
echo "# vm: the background tests ran $(( $(cat "$BG/end" 2>/dev/null ||
    date +%s) - $(cat "$BG/start") ))s; make check waited $(($(date +%s) - t))s for them"
rm -rf "$BG"
[ $rc -eq 0 ] && finish
exit 1
