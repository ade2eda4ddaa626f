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
# make bench-kernel: the benchmark (bench.py) with kernel WireGuard, in
# the guest of regress/vm/vm.sh (Debian's own kernel; this machine's has
# no WireGuard).  The guest runs under emulation unless KVM is usable:
# its figures compare the ways with one another, not with the host's.
# BENCH_N defaults to "10 100" (the guest's memory: VM_MEM, 2048M here).
# The results go to bench/results-kernel.json.

TOP=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d /tmp/mnt-bench-kernel-XXXXXX)
trap 'rm -rf "$out"' EXIT INT TERM

BENCH_BACKEND=kernel BENCH_N=${BENCH_N:-10 100} \
    BENCH_OUT=$out/results-kernel.json VM_RW=$out \
    VM_MEM=${VM_MEM:-2048M} VM_MODULES="wireguard veth" \
    sh "$TOP/regress/vm/vm.sh" python3 "$TOP/bench/bench.py"
rc=$?
if [ $rc -eq 77 ]; then
	echo "bench-kernel: no guest here (see above)"
	exit 0
fi
[ -s "$out/results-kernel.json" ] &&
    cp "$out/results-kernel.json" "$TOP/bench/results-kernel.json"
exit $rc
