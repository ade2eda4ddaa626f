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

. regress/fuzz/fuzzlib.sh
fuzz_setup fuzz-config
fuzz_build fuzz-config regress/fuzz/fuzz_config
mkdir "$work/corpus"
cp regress/config/*.json "$work/corpus/"
for f in etc/*.json; do cp "$f" "$work/corpus/etc-${f##*/}"; done
fuzz_run fuzz-config regress/fuzz/fuzz_config "$FUZZ_TIME" 8192 \
    "$work/corpus" -dict=regress/fuzz/config.dict
finish
