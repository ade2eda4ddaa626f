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

# Kernel WireGuard: the integration lab (regress/integration) under
# Debian's kernel in a guest (vm.sh), once with wireguard.backend
# "kernel" and once with "auto", the scenarios that touch tunnels.  The
# agents' userspace command is a tripwire, and kernel_checks.sh adds
# what only a real kernel shows (dummy0, kernel links).  Then wgctl's
# generic netlink code against the module (regress/wg/genl_real.sh).
# Case names get a "vm_<backend>_" prefix.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/regress/lib.sh"
need_root vm_kernel
# "auto" only chooses the back end: the scenarios that start and
# restart it are enough there.
SCENARIOS=${VM_SCENARIOS:-setup change delete cpdown restart mesh}
SCENARIOS_AUTO=${VM_SCENARIOS_AUTO:-setup restart}

# prefixed NAME: the lines of a run, case names prefixed with NAME_.
prefixed() { sed -E "s/^(ok|FAIL|skip) /\\1 $1_/"; }

rc=0
for b in kernel auto; do
	t=$(date +%s)
	sc=$SCENARIOS
	[ $b = auto ] && sc=$SCENARIOS_AUTO
	out=$(LAB_WG_BACKEND=$b LAB_WG_TRIPWIRE=1 \
	    LAB_CHECKS=$TOP/regress/vm/kernel_checks.sh \
	    sh "$TOP/regress/vm/vm.sh" sh "$TOP/regress/integration/run.sh" \
	    $sc 2>&1)
	r=$?
	if [ $r -eq 77 ]; then
		skip vm_kernel "$out"
		exit 0
	fi
	echo "$out" | prefixed "vm_$b"
	echo "$out" | grep -q '^FAIL ' && failures=$((failures + 1))
	echo "# vm_$b: lab $(($(date +%s) - t))s"
	if [ $r -ne 0 ] && ! echo "$out" | grep -q '^FAIL '; then
		fail "vm_$b" "the guest's run exited $r"
	fi
done
out=$(sh "$TOP/regress/vm/vm.sh" sh "$TOP/regress/wg/genl_real.sh" 2>&1)
r=$?
echo "$out" | prefixed vm
if [ $r -ne 0 ] && ! echo "$out" | grep -q '^FAIL '; then
	fail vm_genl_real "the guest's run exited $r"
fi
echo "$out" | grep -q '^FAIL ' && failures=$((failures + 1))
finish
