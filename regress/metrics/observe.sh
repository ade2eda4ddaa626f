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
# What an operator sees, for real (issue 18), on the engine lab's agent
# with its HTTP API: /metrics clean for promtool, its protocol label
# BIRD's own protocol name; the control plane down for a few sync
# periods is one log line a session sync and one when it is back; a
# rejected token says so; BIRD stopped is the node's condition ("bird"
# in the heartbeat, /healthz, /metrics), and no session is reported
# PROBLEM.

LAB_NAME=metrics
. "$(dirname "$0")/../engine/lab.sh"

HP=$(ip netns exec "$NA" python3 -c 'import socket
s = socket.socket(socket.AF_INET6); s.bind(("::", 0)); print(s.getsockname()[1])')
python3 - "$L/a/agent.json" "$HP" "$L/a/bird.conf" <<'EOP'
import json, sys
c = json.load(open(sys.argv[1]))
c["server"] = {"listen": "127.0.0.1:" + sys.argv[2]}
c["controlPlane"]["metricInterval"] = 5
# Tasks whose own failures (the fake CP has no bird-config) are no
# outage: run once at start, not in the outage counted below.
for k in ("ibgpSyncInterval", "meshSyncInterval", "policyInterval",
          "rttInterval"):
    c["controlPlane"][k] = 3600
c["log"] = {"level": "info", "format": "json"}
c["bird"]["configFile"] = sys.argv[3]
json.dump(c, open(sys.argv[1], "w"), indent=1)
EOP
get() { ip netns exec "$NA" curl -sg --max-time 10 "http://127.0.0.1:$HP$1"; }
# fault MODE|none: every control-plane endpoint fails so (fakecp faults)
fault() {
	python3 - "$L/cp.json" "$1" <<'EOP'
import json, os, sys
c = json.load(open(sys.argv[1]))
c.pop("faults", None)
if sys.argv[2] != "none":
    c["faults"] = {"*": {"mode": sys.argv[2]}}
json.dump(c, open(sys.argv[1] + ".t", "w"))
os.rename(sys.argv[1] + ".t", sys.argv[1])
EOP
}
# lines FROM PATTERN: agent log lines after line FROM matching PATTERN
lines() { tail -n +"$(($1 + 1))" "$L/a/agent.log" | grep -c "$2"; }
nlog() { wc -l <"$L/a/agent.log"; }

start_agent
check obs_bgp_established wait_for 60 established dn42_4242420002
metrics_seen() { get /metrics | grep -q '^moenet_session_bgp_up{.*} 1$'; }
check obs_metrics_session wait_for 30 metrics_seen
get /metrics >"$L/metrics.txt"
if command -v promtool >/dev/null; then
	check obs_metrics_promtool sh -c "promtool check metrics <'$L/metrics.txt'"
else
	skip obs_metrics_promtool "promtool not installed (Debian: prometheus)"
fi
# The protocol label is BIRD's own name for the session's protocol.
birdc -s "$L/a/bird.ctl" show protocols >"$L/protocols.txt"
check obs_metrics_protocol_is_birds python3 - "$L/metrics.txt" "$L/protocols.txt" <<'EOP'
import re, sys
names = {l.split()[0] for l in open(sys.argv[2]) if "BGP" in l.split()[1:2]}
seen = set()
for l in open(sys.argv[1]):
    if l.startswith("moenet_session_") or l.startswith("moenet_wg_"):
        m = re.search(r'[{,]protocol="([^"]*)"', l)
        assert m, l
        seen.add(m.group(1))
assert seen == {"dn42_4242420002"} and seen <= names, (seen, names)
EOP
check obs_metrics_uptime grep -q '^moenet_session_uptime_seconds{session="s1",protocol="dn42_4242420002"} [0-9]' "$L/metrics.txt"
check obs_metrics_state grep -q '^moenet_session_bgp_state{session="s1",protocol="dn42_4242420002",state="Established"} 1$' "$L/metrics.txt"
check obs_metrics_routes_v6 grep -q '^moenet_session_routes{session="s1",protocol="dn42_4242420002",af="ipv6",direction="imported"} [1-9]' "$L/metrics.txt"
check obs_metrics_info grep -q '^moenet_session_info{session="s1",protocol="dn42_4242420002",name="peer b",asn="4242420002",interface="dn42_4242420002",state="active"} 1$' "$L/metrics.txt"
check obs_log_asn_number grep -q '"asn":4242420002[,}]' "$L/a/agent.log"

# The control plane fails for about three sync periods (5 s each):
# one line a session sync, with the reason, one when it is back;
# nothing else at warning or error level meanwhile.
wait_for 20 sh -c "grep -q '/report' '$L/cp.log'"
n0=$(nlog)
fault 500
wait_for 40 sh -c "[ \$(tail -n +$((n0 + 1)) '$L/a/agent.log' | grep -c 'control plane unreachable') -ge 4 ]"
fault none
check obs_cp_back_said wait_for 30 sh -c "tail -n +$((n0 + 1)) '$L/a/agent.log' | grep -q 'control plane reachable again'"
n1=$(nlog)
tail -n +"$((n0 + 1))" "$L/a/agent.log" | head -n "$((n1 - n0))" >"$L/outage.log"
down=$(grep -c 'control plane unreachable' "$L/outage.log")
back=$(grep -c 'control plane reachable again' "$L/outage.log")
first=$(grep -m1 'control plane unreachable' "$L/outage.log")
t0=$(echo "$first" | python3 -c 'import json,sys,datetime; print(datetime.datetime.fromisoformat(json.load(sys.stdin)["time"].rstrip("Z")).timestamp())')
t1=$(grep -m1 'reachable again' "$L/outage.log" | python3 -c 'import json,sys,datetime; print(datetime.datetime.fromisoformat(json.load(sys.stdin)["time"].rstrip("Z")).timestamp())')
periods=$(python3 -c "import math; print(math.ceil(($t1 - $t0) / 5))")
if [ "$back" = 1 ] && [ "$down" -ge 1 ] && [ "$down" -le $((periods + 1)) ]; then
	ok obs_cp_down_one_line_a_period
else
	fail obs_cp_down_one_line_a_period "$down lines down, $back back, over $periods periods"
fi
others=$(grep -v 'control plane unreachable\|reachable again' "$L/outage.log" | grep -c '"level":"\(warn\|error\)"')
check obs_cp_down_nothing_else [ "$others" = 0 ]
check obs_cp_down_reason sh -c "grep 'control plane unreachable' '$L/outage.log' | grep -q 'HTTP 500'"
check obs_cp_down_no_bare_line sh -c "! grep -q 'report: network\"\|report: http_5xx\"' '$L/outage.log'"

# A rejected token: said as such, not as an outage.
n2=$(nlog)
fault 401
check obs_token_rejected wait_for 30 sh -c "tail -n +$((n2 + 1)) '$L/a/agent.log' | grep -q 'token rejected (HTTP 401'"
check obs_token_rejected_error_level sh -c "tail -n +$((n2 + 1)) '$L/a/agent.log' | grep 'token rejected' | head -1 | grep -q '\"level\":\"error\"'"
check obs_token_not_unreachable sh -c "! tail -n +$((n2 + 1)) '$L/a/agent.log' | grep -q 'unreachable'"
fault none
check obs_token_accepted_again wait_for 30 sh -c "tail -n +$((n2 + 1)) '$L/a/agent.log' | grep -q 'accepts the token again'"

# BIRD stops, and the session changes meanwhile (its name, which is in
# its BIRD file): the file is checked with bird -p and left for BIRD;
# the node is degraded ("bird"), the session is no problem of the
# control plane's.
m0=$(wc -l <"$L/cp.log")
kill "$(cat "$L/a/bird.pid")"
write_cp "$(echo "$S1_UP" | sed 's/"status": 4/"status": 2/; s/"peer b"/"peer b again"/')"
hb_bird() {
	tail -n +"$((m0 + 1))" "$L/cp.log" | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    b = r.get("body")
    if r.get("path", "").endswith("/heartbeat") and isinstance(b, dict) and \
            "bird" in b.get("status", {}).get("degraded", []):
        sys.exit(0)
sys.exit(1)'
}
check obs_bird_heartbeat_degraded wait_for 30 hb_bird
check obs_bird_metrics_degraded wait_for 10 sh -c "ip netns exec $NA curl -s http://127.0.0.1:$HP/metrics | grep -q '^moenet_agent_degraded{condition=\"bird\"} 1$'"
check obs_bird_healthz_says sh -c "ip netns exec $NA curl -s http://127.0.0.1:$HP/healthz | grep -q 'BIRD not connected'"
check obs_bird_status_says sh -c "ip netns exec $NA curl -s http://127.0.0.1:$HP/status | grep -q 'BIRD not connected'"
check obs_bird_ctl_says sh -c "'$TOP/moenetctl' -s '$L/a/ctl.sock' show status | grep -qi 'BIRD not connected'"
check obs_bird_file_left wait_for 30 grep -q 'peer b again' "$L/a/peers/dn42_4242420002.conf"
# Two more syncs with BIRD away.
s0=$(grep -c '/sessions' "$L/cp.log")
wait_for 30 sh -c "[ \$(grep -c '/sessions' '$L/cp.log') -ge $((s0 + 2)) ]"
problem() {
	tail -n +"$((m0 + 1))" "$L/cp.log" | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    b = r.get("body")
    if r.get("path", "").endswith("/modify") and isinstance(b, dict) and \
            b.get("status") == 6:
        sys.exit(0)
sys.exit(1)'
}
if problem; then
	fail obs_bird_no_problem_reported "a modify to PROBLEM while BIRD was down"
else
	ok obs_bird_no_problem_reported
fi
check obs_bird_agent_alive kill -0 "$agent_pid"
ip netns exec "$NA" bird -c "$L/a/bird.conf" -s "$L/a/bird.ctl" -P "$L/a/bird.pid"
check obs_bird_back_not_degraded wait_for 60 sh -c "ip netns exec $NA curl -s http://127.0.0.1:$HP/metrics | grep -q '^moenet_agent_degraded{condition=\"bird\"} 0$'"
check obs_bird_back_established wait_for 60 established dn42_4242420002

[ "$failures" -gt 0 ] && tail -40 "$L/a/agent.log"
finish
