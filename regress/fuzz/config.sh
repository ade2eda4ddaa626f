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

# Builds the configuration parser fuzzer and runs it for a bounded
# time over the regress/config fixtures.  Skips, saying why, where
# clang has no libFuzzer.

. "$(dirname "$0")/../lib.sh"

: "${FUZZ_TIME:=10}"
cd "$TOP" || exit 1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%s\n' 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)' \
    '{ return 0; }' >"$work/probe.c"
if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
	skip fuzz-config "no ${FUZZ_CC:-clang} (apt-get install clang)"
	exit 0
fi
if ! "${FUZZ_CC:-clang}" -fsanitize=fuzzer,address -o "$work/probe" \
    "$work/probe.c" >/dev/null 2>&1; then
	skip fuzz-config "clang cannot link libFuzzer" \
	    "(apt-get install libclang-rt-14-dev)"
	exit 0
fi

if ! ${MAKE:-make} -s regress/fuzz/fuzz_config >"$work/build.log" 2>&1; then
	fail fuzz-config-build "$(tail -5 "$work/build.log")"
	finish
fi
ok fuzz-config-build

mkdir "$work/corpus" "$work/crash"
cp regress/config/*.json "$work/corpus/"
for f in etc/*.json; do cp "$f" "$work/corpus/etc-${f##*/}"; done
if regress/fuzz/fuzz_config -max_total_time="$FUZZ_TIME" -max_len=8192 \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
    -dict=regress/fuzz/config.dict -artifact_prefix="$work/crash/" \
    "$work/corpus" >"$work/fuzz.log" 2>&1; then
	ok fuzz-config
else
	fail fuzz-config "$(grep -m3 -E 'ERROR|SUMMARY|Test unit' \
	    "$work/fuzz.log" | tr '\n' ' ')"
	for f in "$work"/crash/*; do
		[ -f "$f" ] || continue
		echo "# crashing input ($f), base64:"
		base64 "$f" | head -20
	done
fi
finish
