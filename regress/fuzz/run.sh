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

# Builds every libFuzzer harness and runs each for FUZZ_TIME seconds
# over its seeds (fuzzlib.sh): the seeds, crashes found before among
# them, are replayed first.  Eleven harnesses at 14 s stay well under the
# three minutes make check gives them.  Skips, saying why, where clang
# has no libFuzzer (Debian: the clang package, which brings
# libclang-rt-dev).  FUZZ_NAMES="httpd bird" runs only those.

. "$(dirname "$0")/../lib.sh"

: "${FUZZ_TIME:=14}"
cd "$TOP" || exit 1

. regress/fuzz/fuzzlib.sh
fuzz_setup fuzz
fuzz_build fuzz fuzz-build
for n in $FUZZ_NAMES; do
	fuzz_seeds "$n" "$work/c-$n"
	fuzz_run "$n" "$FUZZ_TIME" "$work/c-$n"
done
finish
