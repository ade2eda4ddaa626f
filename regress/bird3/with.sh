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
# with.sh NAME TEST...: the tests again with BIRD 3 (regress/bird3.sh,
# built once into a cache) as the "bird", "birdc" and "birdcl" of their
# PATH, for every router of their labs and for the agent's "bird -p".
# Every case name gets the suffix -bird3 (ok x -> ok x-bird3) so that
# both runs count apart in make check; a test that exits non-zero
# without a FAIL line is one failure.  Where BIRD 3 cannot be had, one
# skip line NAME-bird3 says why.  The time of each test goes in the
# output.

. "$(dirname "$0")/../lib.sh"
name=$1
shift
need_root "$name-bird3"
if ! prefix=$(sh "$TOP/regress/bird3.sh"); then
	skip "$name-bird3" "$(echo "$prefix" | tail -n 1)"
	exit 0
fi

bin=$(mktemp -d /tmp/mnt-bird3-bin-XXXXXX)
out=$(mktemp /tmp/mnt-bird3-out-XXXXXX)
trap 'rm -rf "$bin" "$out"' EXIT
trap 'exit 1' INT TERM
for t in bird birdc birdcl; do
	ln -s "$prefix/sbin/$t" "$bin/$t"
done
PATH=$bin:$PATH
export PATH
if ! v=$(bird --version 2>&1) || [ "${v#BIRD version 3.}" = "$v" ]; then
	fail "$name-bird3" "bird on PATH is not BIRD 3: $v"
	finish
fi
echo "# bird on PATH: $v ($prefix)"

rc_all=0
for t; do
	start=$(date +%s)
	"$TOP/$t" >"$out" 2>&1
	rc=$?
	sed -E 's/^(ok|FAIL|skip) ([^: ]+)/\1 \2-bird3/' "$out"
	if [ "$rc" -ne 0 ]; then
		rc_all=1
		grep -q '^FAIL ' "$out" ||
		    fail "$(basename "$(dirname "$t")")-$(basename "$t" .sh)-bird3" \
		    "exited with status $rc"
	fi
	echo "# $t with BIRD 3: $(($(date +%s) - start))s"
done
[ "$failures" -eq 0 ] && exit "$rc_all"
exit 1
