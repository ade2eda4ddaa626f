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

# Builds the control-plane parser fuzzer and runs it for a bounded time
# over the regress/json fixtures.  Skips, saying why, where clang has no
# libFuzzer (Debian: the clang package, which brings libclang-rt-dev).

. "$(dirname "$0")/../lib.sh"

: "${FUZZ_TIME:=20}"
cd "$TOP" || exit 1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%s\n' 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)' \
    '{ return 0; }' >"$work/probe.c"
if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
	skip fuzz-cpjson "no ${FUZZ_CC:-clang} (apt-get install clang)"
	exit 0
fi
if ! "${FUZZ_CC:-clang}" -fsanitize=fuzzer,address -o "$work/probe" \
    "$work/probe.c" >/dev/null 2>&1; then
	skip fuzz-cpjson "clang cannot link libFuzzer" \
	    "(apt-get install libclang-rt-14-dev)"
	exit 0
fi

if ! ${MAKE:-make} -s fuzz >"$work/build.log" 2>&1; then
	fail fuzz-build "$(tail -5 "$work/build.log")"
	finish
fi
ok fuzz-build

mkdir "$work/corpus" "$work/crash"
cp regress/json/fixtures/*.json "$work/corpus/"
if regress/fuzz/fuzz_cpjson -max_total_time="$FUZZ_TIME" -max_len=16384 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
    -dict=regress/fuzz/cpjson.dict -artifact_prefix="$work/crash/" \
    "$work/corpus" >"$work/fuzz.log" 2>&1; then
	ok fuzz-cpjson
else
	fail fuzz-cpjson "$(grep -m3 -E 'ERROR|SUMMARY|Test unit' \
	    "$work/fuzz.log" | tr '\n' ' ')"
	for f in "$work"/crash/*; do
		[ -f "$f" ] || continue
		echo "# crashing input ($f), base64:"
		base64 "$f" | head -20
	done
fi

# The tool target parser: seeds of each kind, the first byte choosing
# the kinds allowed.
mkdir "$work/tcorpus"
for s in 172.20.0.53 fd00::1 172.20.0.0/14 fd00::/8 example.dn42 \
    example.dn42:443 '[fd00::1]:179' 1.2.3.4:80 a..b -c; do
	printf '\017%s' "$s" >"$work/tcorpus/$(printf '%s' "$s" | md5sum |
	    cut -c1-8)"
done
if regress/fuzz/fuzz_target -max_total_time="$FUZZ_TIME" -max_len=300 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
    -artifact_prefix="$work/crash/" "$work/tcorpus" >"$work/tfuzz.log" 2>&1
then
	ok fuzz-target
else
	fail fuzz-target "$(grep -m3 -E 'ERROR|SUMMARY|Test unit' \
	    "$work/tfuzz.log" | tr '\n' ' ')"
	for f in "$work"/crash/*; do
		[ -f "$f" ] || continue
		echo "# crashing input ($f), base64:"
		base64 "$f" | head -20
	done
fi
finish
