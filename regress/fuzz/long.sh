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

# "make fuzz": the long run.  Each harness (FUZZ_NAMES, default all)
# runs FUZZ_LONG seconds (default 600) at nice 19, FUZZ_JOBS (default
# 2) at a time, over a corpus kept in FUZZ_DIR (default
# /var/tmp/moenet-fuzz/<name>) so that the next run starts where this
# one ended.  One line per harness goes to FUZZ_DIR/summary and stdout:
#	name seconds executions corpus-size findings
# A finding leaves its input in FUZZ_DIR/crash/: copy it to
# regress/fuzz/corpus/<name>/ once fixed, and make check replays it.

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
: "${FUZZ_LONG:=600}" "${FUZZ_JOBS:=2}" "${FUZZ_DIR:=/var/tmp/moenet-fuzz}"
. regress/fuzz/fuzzlib.sh

mkdir -p "$FUZZ_DIR/crash" || exit 1
work=$FUZZ_DIR

one() {
	_n=$1 _seed=$FUZZ_DIR/seed-$1
	rm -rf "$_seed"
	fuzz_seeds "$_n" "$_seed"
	mkdir -p "$FUZZ_DIR/$_n"
	# shellcheck disable=SC2046
	nice -n 19 "regress/fuzz/fuzz_$_n" -max_total_time="$FUZZ_LONG" \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$FUZZ_DIR/crash/$_n-" $(fuzz_args "$_n") \
	    "$FUZZ_DIR/$_n" "$_seed" >"$FUZZ_DIR/$_n.log" 2>&1
	_rc=$?
	_x=$(sed -n 's/^stat::number_of_executed_units: *//p' \
	    "$FUZZ_DIR/$_n.log")
	_t=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' \
	    "$FUZZ_DIR/$_n.log")
	_c=$(find "$FUZZ_DIR/$_n" -type f | wc -l)
	_f=$(find "$FUZZ_DIR/crash" -name "$_n-*" -type f | wc -l)
	[ "$_rc" -ne 0 ] && [ "$_f" -eq 0 ] && _f="exit-$_rc"
	echo "$_n ${_t:-?} ${_x:-?} $_c $_f" | tee -a "$FUZZ_DIR/summary"
}

set -- $FUZZ_NAMES
while [ $# -gt 0 ]; do
	i=0
	while [ $# -gt 0 ] && [ $i -lt "$FUZZ_JOBS" ]; do
		one "$1" &
		shift
		i=$((i + 1))
	done
	wait
done
