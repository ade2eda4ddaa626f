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
#
# The benchmark (bench/bench.py) end to end at N=3, one round, one no-op
# sync: every way applies the three sessions, the figures are there.
# Figures are not judged here (nor in the bench): only that each was
# measured.

. "$(dirname "$0")/../lib.sh"
need_root bench_smoke
out=$(mktemp -d /tmp/mnt-bench-smoke-XXXXXX)
trap 'rm -rf "$out"' EXIT INT TERM

BENCH_N=3 BENCH_RUNS=1 BENCH_NOOP=1 BENCH_OUT=$out/results.json \
    AGENT=$AGENT python3 "$TOP/bench/bench.py" >"$out/table" 2>"$out/log"
rc=$?
if grep -q '^skip ' "$out/table"; then
	cat "$out/table"
	exit 0
fi
if [ "$rc" -ne 0 ] || [ ! -s "$out/results.json" ]; then
	fail bench_smoke_runs "exit $rc: $(tail -5 "$out/log")"
	finish
fi
ok bench_smoke_runs
check bench_smoke_table grep -q '^| cold apply' "$out/table"

# results EXPR: the Python expression holds for the samples "s" (by way).
results() {
	python3 - "$out/results.json" "$1" <<'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
s = {x["way"]: x for x in d["samples"]}
sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)
EOP
}
check bench_smoke_agent_applied results \
    's["agent"]["applied"] == 3 and "error" not in s["agent"] and
     s["agent"]["cold_wall_s"] > 0'
check bench_smoke_baselines results \
    'all(s[w]["applied"] == 3 and "error" not in s[w] and
         s[w]["cold_wall_s"] > 0 for w in ("usual", "floor"))'
check bench_smoke_noop results \
    'len(s["agent"]["noop"]) == 1 and
     "error" not in s["agent"]["noop_trace"] and
     all(k in s["agent"]["noop_trace"] for k in ("files_written",
         "bird_commands", "uapi_set", "netlink_set"))'
check bench_smoke_change results \
    '"error" not in s["agent"]["change"] and
     s["agent"]["change"]["bird_description_changed"] and
     sum(s["agent"]["change"]["others_touched"].values()) == 0'
check bench_smoke_memory results \
    's["agent"]["mem"]["parent"]["pss_kib"] > 0 and
     s["agent"]["mem"]["wireguard-go"]["procs"] == 3'
check bench_smoke_latency results \
    's["agent"].get("metrics_ms", 0) > 0 and s["agent"]["ctl_sessions_ms"] > 0'
finish
