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
