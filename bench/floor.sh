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
# The floor, the second baseline: only what no way of doing it can
# avoid with userspace WireGuard: a wireguard-go per session (JOBS at a
# time), then one birdc configure of peer files written beforehand.
# Run in the lab's namespace by bench.py.  BENCH_WG=kernel: the links
# made by one ip -batch instead (keys unset: below any real floor).
#
#	floor.sh JOBS BIRDSOCKET <sessions.tsv

jobs=$1 ctl=$2
if [ "$BENCH_WG" = kernel ]; then
	cut -f 1 | sed 's/^\(.*\)$/link add dev \1 type wireguard/' |
	    ip -batch - || exit 1
else
	cut -f 1 | xargs -P "$jobs" -n 1 wireguard-go || exit 1
fi
birdc -s "$ctl" configure | grep -q 'Reconfigured'
