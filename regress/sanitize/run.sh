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

# The unit tests (the C programs among REGRESS_TESTS) built a second
# time with AddressSanitizer, UndefinedBehaviorSanitizer and
# LeakSanitizer into obj.san/ ("make sanitize") and run from there: one
# line per program, ok when it passes and the sanitizers found nothing
# (a leak in the test itself is a finding too).  SAN_TESTS="a b" runs
# only those.

. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1

: "${SAN_DIR:=obj.san}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Not the caller's make variables: "make regress REGRESS_TESTS=x" would
# narrow the list of unit tests to x.
unset MAKEFLAGS MFLAGS MAKELEVEL
if ! ${MAKE:-make} -s sanitize SAN_DIR="$SAN_DIR" >"$log" 2>&1; then
	fail sanitize-build "$(grep -m5 -E 'error|Error' "$log")"
	finish
fi
[ -n "$SAN_TESTS" ] || SAN_TESTS=$(${MAKE:-make} -s sanitize-tests)

# Halt at the first finding; leaks are checked at exit.
ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=86:detect_stack_use_after_return=1:strict_string_checks=1
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=86
LSAN_OPTIONS=exitcode=86
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

for t in $SAN_TESTS; do
	n=sanitize-${t#regress/}
	n=$(echo "$n" | tr / -)
	(cd "$SAN_DIR" && timeout -k 5 300 "./$t") >"$log" 2>&1
	rc=$?
	if grep -qE '^(==[0-9]+==ERROR|SUMMARY: [A-Za-z]*Sanitizer)|runtime error:' \
	    "$log"; then
		fail "$n" "$(grep -m3 -E 'ERROR|SUMMARY|runtime error' "$log" |
		    tr '\n' ' ')"
	elif grep -q '^FAIL ' "$log"; then
		fail "$n" "$(grep -m3 '^FAIL ' "$log" | tr '\n' ' ')"
	elif [ "$rc" -ne 0 ]; then
		fail "$n" "exited $rc: $(tail -3 "$log" | tr '\n' ' ')"
	elif ! grep -q '^ok ' "$log"; then
		fail "$n" "no result"
	else
		ok "$n"
	fi
done
finish
