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
# What the fuzz runs share.  Source it after lib.sh, from the tree's top.
#	fuzz_setup NAME		skip (and exit) where clang cannot link
#				libFuzzer; makes $work with crash/ in it
#	fuzz_build NAME TARGET	make TARGET, ok or fail NAME-build
#	fuzz_run NAME PROG SECONDS MAXLEN CORPUS [libFuzzer flags]
#				PROG over CORPUS, ok or fail NAME with the
#				crashing inputs, in base64, on stdout

fuzz_setup() {
	work=$(mktemp -d)
	trap 'rm -rf "$work"' EXIT
	mkdir "$work/crash"
	printf '%s\n' \
	    'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)' \
	    '{ return 0; }' >"$work/probe.c"
	if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
		skip "$1" "no ${FUZZ_CC:-clang} (apt-get install clang)"
		exit 0
	fi
	if ! "${FUZZ_CC:-clang}" -fsanitize=fuzzer,address -o "$work/probe" \
	    "$work/probe.c" >/dev/null 2>&1; then
		skip "$1" "clang cannot link libFuzzer" \
		    "(apt-get install libclang-rt-14-dev)"
		exit 0
	fi
}

fuzz_build() {
	if ! ${MAKE:-make} -s "$2" >"$work/build.log" 2>&1; then
		fail "$1-build" "$(tail -5 "$work/build.log")"
		finish
	fi
	ok "$1-build"
}

fuzz_run() {
	_name=$1 _prog=$2 _secs=$3 _max=$4 _corpus=$5
	shift 5
	if "$_prog" -max_total_time="$_secs" -max_len="$_max" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=0 \
	    -artifact_prefix="$work/crash/" "$@" "$_corpus" \
	    >"$work/$_name.log" 2>&1; then
		ok "$_name"
		return
	fi
	fail "$_name" "$(grep -m3 -E 'ERROR|SUMMARY|Test unit' \
	    "$work/$_name.log" | tr '\n' ' ')"
	for f in "$work"/crash/*; do
		[ -f "$f" ] || continue
		echo "# crashing input ($f), base64:"
		base64 "$f" | head -20
	done
}
