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
#	fuzz_build NAME TARGET	make TARGET, silent, or fail NAME-build
#	fuzz_seeds NAME DIR	fill DIR with NAME's seeds: the inputs in
#				regress/fuzz/corpus/NAME (crashes found
#				once stay there, replayed by every run)
#				and the real replies and files the other
#				tests use
#	fuzz_args NAME		NAME's max_len and dictionary, as flags
#	fuzz_run NAME SECONDS CORPUS [libFuzzer flags]
#				regress/fuzz/fuzz_NAME over CORPUS, ok or
#				fail fuzz-NAME with the crashing inputs,
#				in base64, on stdout
#
# The harnesses, in the order make check and make fuzz run them.
: "${FUZZ_NAMES:=cpjson config target botdata dns httpd bird ctl wg state nft}"

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

# A build is a step, not a test: it says nothing unless it fails.
fuzz_build() {
	if ! ${MAKE:-make} -s "$2" >"$work/build.log" 2>&1; then
		fail "$1-build" "$(tail -5 "$work/build.log")"
		finish
	fi
}

fuzz_seeds() {
	_d=$2
	mkdir -p "$_d"
	if [ -d "regress/fuzz/corpus/$1" ]; then
		cp regress/fuzz/corpus/"$1"/* "$_d/" 2>/dev/null
	fi
	case $1 in
	cpjson)
		cp regress/json/fixtures/*.json "$_d/" ;;
	config)
		cp regress/config/*.json "$_d/"
		for _f in etc/*.json; do cp "$_f" "$_d/etc-${_f##*/}"; done ;;
	botdata)
		# First byte 1: streamed community count, 2: route lookup.
		for _f in regress/bot/fixtures/*.raw; do
			for _m in 1 2; do
				{ printf "\\00$_m"; tail -n +2 "$_f"; } \
				    >"$_d/$_m-${_f##*/}"
			done
		done ;;
	bird)
		# First byte: the command the reply answers (fuzz_bird.c),
		# second: where the stream is cut.
		for _f in regress/bird/fixtures/*.raw; do
			_k=${_f##*/}
			case ${_k%%.*} in
			status)			_i=000 ;;
			protocols)		_i=001 ;;
			configure_check)	_i=002 ;;
			configure_timeout)	_i=003 ;;
			configure_confirm)	_i=004 ;;
			configure_undo)		_i=005 ;;
			configure)		_i=006 ;;
			enable)			_i=007 ;;
			disable)		_i=010 ;;
			restart)		_i=011 ;;
			*)			_i=012 ;;
			esac
			{ printf "\\$_i\\007"; cat "$_f"; } >"$_d/$_k"
		done ;;
	esac
}

fuzz_args() {
	case $1 in
	cpjson)		echo "-max_len=16384 -dict=regress/fuzz/cpjson.dict" ;;
	config)		echo "-max_len=8192 -dict=regress/fuzz/config.dict" ;;
	target)		echo "-max_len=300" ;;
	botdata)	echo "-max_len=16384" ;;
	dns)		echo "-max_len=1500" ;;
	httpd)		echo "-max_len=12800 -dict=regress/fuzz/httpd.dict" ;;
	bird)		echo "-max_len=32768" ;;
	ctl)		echo "-max_len=4096" ;;
	wg)		echo "-max_len=8192" ;;
	state)		echo "-max_len=16384" ;;
	nft)		echo "-max_len=4096" ;;
	esac
}

fuzz_run() {
	_name=$1 _secs=$2 _corpus=$3
	shift 3
	# shellcheck disable=SC2046
	if "regress/fuzz/fuzz_$_name" -max_total_time="$_secs" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$work/crash/$_name-" $(fuzz_args "$_name") \
	    "$@" "$_corpus" >"$work/$_name.log" 2>&1; then
		ok "fuzz-$_name"
		return
	fi
	fail "fuzz-$_name" "$(grep -m3 -E 'ERROR|SUMMARY|Test unit' \
	    "$work/$_name.log" | tr '\n' ' ')"
	for f in "$work/crash/$_name"-*; do
		[ -f "$f" ] || continue
		echo "# crashing input ($f), base64:"
		base64 "$f" | head -20
	done
}
