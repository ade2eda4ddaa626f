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
# The metrics report for real: the engine lab, the metrics task every
# 5 s, and what the control plane gets once BGP is up: the session's
# BIRD protocol Established with router B's routes and a handshake age.
# Then router A's BIRD goes away: the agent lives on and says so.

LAB_NAME=metrics
. "$(dirname "$0")/../engine/lab.sh"

python3 - "$L/a/agent.json" <<'EOP'
import json, sys
c = json.load(open(sys.argv[1]))
c["controlPlane"]["metricInterval"] = 5
json.dump(c, open(sys.argv[1], "w"), indent=1)
EOP

# reported MODE: the control plane got a report that says, for s1,
# MODE "up": Established, with routes and a handshake age;
# MODE "unknown": BIRD unknown, routes not claimed, handshake age still.
reported() {
	python3 - "$L/cp.log" "$1" <<'EOP'
import json, sys
path, mode = sys.argv[1], sys.argv[2]
for l in open(path):
    r = json.loads(l)
    if r.get("method") != "POST" or not r.get("path", "").endswith("/report"):
        continue
    b = r.get("body")
    if not isinstance(b, dict) or b.get("node_id") != "r1" or \
            not isinstance(b.get("timestamp"), int):
        continue
    for s in b.get("sessions", []):
        if s.get("uuid") != "s1" or s.get("name") != "dn42_4242420002" or \
                s.get("type") != "bgp":
            continue
        hs = s.get("handshake_age")
        if not isinstance(hs, int) or not 0 <= hs < 300:
            continue
        if mode == "up":
            v6 = s.get("routes", {}).get("ipv6", {})
            if s.get("state") == "up" and \
                    s.get("info", "").startswith("Established") and \
                    s.get("routes_imported", 0) >= 1 and \
                    s.get("routes_exported", 0) >= 1 and \
                    v6.get("imported", 0) >= 1:
                sys.exit(0)
        elif s.get("state") == "unknown" and "routes" not in s:
            sys.exit(0)
sys.exit(1)
EOP
}

start_agent
check metrics_bgp_established wait_for 60 established dn42_4242420002
check metrics_route_learned wait_for 30 route_from_b
check metrics_report_established wait_for 30 reported up
check metrics_report_no_failure sh -c "! grep -q 'metrics: report' '$L/a/agent.log'"

# A's BIRD stops: reports go on with what is known, said once.
kill "$(cat "$L/a/bird.pid")"
check metrics_report_bird_unknown wait_for 30 reported unknown
n=$(grep -c '/report' "$L/cp.log")
wait_for 30 sh -c "[ \$(grep -c '/report' '$L/cp.log') -ge $((n + 2)) ]"
check metrics_bird_gone_agent_alive kill -0 "$agent_pid"
check metrics_bird_gone_logged_once \
    sh -c "[ \$(grep -c 'metrics: BIRD:' '$L/a/agent.log') = 1 ]"

[ "$failures" -gt 0 ] && tail -40 "$L/a/agent.log"
finish
