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
# Runs each test program given as an argument and counts its results.
# A test prints one line per case: "ok <name>", "FAIL <name>: <why>" or
# "skip <name>: <why>".  Only an "ok" line counts as a pass.  A test
# that exits non-zero without printing a FAIL line counts as one
# failure, and so does one that says nothing at all, whatever its exit
# status ("no result"): a test that did not report did not pass.  The
# last line is "N passed, N failed, N skipped".

: "${REGRESS_TIMEOUT:=900}"
pass=0 fail=0 skip=0
failed_tests=""
out=$(mktemp)
trap 'rm -f "$out"' EXIT

for t in "$@"; do
	echo "==> $t"
	start=$(date +%s)
	timeout -k 10 "$REGRESS_TIMEOUT" "$t" >"$out" 2>&1
	rc=$?
	cat "$out"
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^FAIL ' "$out")
	s=$(grep -c '^skip ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $t: exited with status $rc"
		f=1
	fi
	if [ "$rc" -eq 0 ] && [ $((p + f + s)) -eq 0 ]; then
		echo "FAIL $t: no result (exited 0 without a line)"
		f=1
	fi
	[ "$f" -gt 0 ] && failed_tests="$failed_tests $t"
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	echo "<== $t: $p passed, $f failed, $s skipped ($(( $(date +%s) - start ))s)"
done

[ -n "$failed_tests" ] && echo "failed:$failed_tests"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
