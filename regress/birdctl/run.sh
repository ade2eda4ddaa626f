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
# A private network namespace and directory for a real BIRD 2, then
# apply_test, which starts and kills that BIRD itself as its cases
# need.  Its log goes to a file, shown when a case fails.

. "$(dirname "$0")/../lib.sh"

need_root birdctl
for c in bird birdc ip; do
	if ! command -v $c >/dev/null 2>&1; then
		skip birdctl "$c is not installed"
		exit 0
	fi
done
test=$TOP/regress/birdctl/apply_test
[ -x "$test" ] || { fail birdctl "$test not built"; finish; }
[ -x "$AGENT" ] || { fail birdctl "$AGENT not built"; finish; }
id _moenet >/dev/null 2>&1 || { skip birdctl "no user _moenet"; exit 0; }

ns=mnt-bc-$$
tmp=$(mktemp -d /tmp/mnt-bc-XXXXXX) || exit 1
chmod 755 "$tmp"
cleanup() {
	# apply_test stops its bird; this catches one it left behind.
	for p in $(pgrep -f "bird -f -c $tmp/bird.conf" 2>/dev/null); do
		kill -9 "$p" 2>/dev/null
	done
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

if ! ip netns add "$ns" 2>/dev/null; then
	skip birdctl "cannot create network namespace $ns"
	exit 0
fi
ip -n "$ns" link set lo up
mkdir -p "$tmp/peers"
cat >"$tmp/bird.conf" <<EOC
log "$tmp/bird.log" all;
router id 192.0.2.1;
protocol device { }
include "$tmp/peers/*.conf";
EOC

BC_NS=$ns BC_DIR=$tmp AGENT=$AGENT "$test" 2>"$tmp/test.log"
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "--- apply_test log"
	tail -n 60 "$tmp/test.log"
	echo "--- bird log"
	tail -n 30 "$tmp/bird.log"
fi
exit "$rc"
