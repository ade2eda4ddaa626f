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

# Shell helpers for tests run by regress/run.sh.  Source it.

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
AGENT=${AGENT:-$TOP/moenet-agent}
failures=0

ok()   { echo "ok $1"; }
fail() { n=$1; shift; echo "FAIL $n: $*"; failures=$((failures + 1)); }
skip() { n=$1; shift; echo "skip $n: $*"; }
check() { n=$1; shift; if "$@" >/dev/null 2>&1; then ok "$n"; else fail "$n" "$*"; fi; }
finish() { [ "$failures" -eq 0 ]; exit $?; }

# wait_for SECONDS COMMAND...: poll COMMAND every 0.1 s until it succeeds
# or SECONDS pass.  Bounded, never a fixed sleep.
wait_for() {
	_limit=$(( $1 * 10 )); shift
	_i=0
	while [ "$_i" -lt "$_limit" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

need_root() {
	if [ "$(id -u)" != 0 ]; then
		skip "$1" "needs root"
		exit 0
	fi
}
