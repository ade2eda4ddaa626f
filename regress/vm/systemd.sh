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

# systemd as PID 1 in a guest (vm.sh -s) running the project's unit:
# systemd_guest.sh says what is checked.  tun is loaded for wireguard-go
# (no udev or kmod here to make /dev/net/tun on demand).
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/regress/lib.sh"
need_root vm_systemd
out=$(VM_MODULES="wireguard veth tun" sh "$TOP/regress/vm/vm.sh" -s \
    sh "$TOP/regress/vm/systemd_guest.sh" 2>&1)
r=$?
if [ $r -eq 77 ]; then
	skip vm_systemd "$out"
	exit 0
fi
echo "$out"
if [ $r -ne 0 ] && ! echo "$out" | grep -q '^FAIL '; then
	fail vm_systemd "the guest's run exited $r"
fi
# Their FAIL lines are ours.
echo "$out" | grep -q '^FAIL ' && failures=$((failures + 1))
finish
