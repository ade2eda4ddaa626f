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
# RTT probes for real: the engine lab with ICMP echo sockets allowed in
# router A's namespace; the agent probes B's link-local address over
# the session's tunnel and reports to the control plane.  Then B's
# tunnel goes down (all lost), then the sysctl forbids echo sockets
# again (one log line saying how to allow them, rtt unknown, the agent
# still running).

LAB_NAME=rtt
. "$(dirname "$0")/../engine/lab.sh"

TARGET=fe80::b%dn42_4242420002
MOENET_GID=$(id -g _moenet 2>/dev/null) || { skip rtt "no user _moenet"; exit 0; }

python3 - "$L/a/agent.json" <<'EOP'
import json, sys
c = json.load(open(sys.argv[1]))
c["controlPlane"]["rttInterval"] = 5
c["metric"] = {"pingCount": 3, "pingTimeout": 1}
json.dump(c, open(sys.argv[1], "w"), indent=1)
EOP

# rtt_posted FROM WANT: a POST .../rtt in the log after line FROM
# measured $TARGET as WANT: up (rtt_ms > 0, loss 0) or lost (rtt_ms -1,
# loss 100).
rtt_posted() {
	python3 - "$L/cp.log" "$1" "$2" "$TARGET" <<'EOP'
import json, sys
path, start, want, target = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
for i, l in enumerate(open(path)):
    if i < start:
        continue
    r = json.loads(l)
    if r.get("method") != "POST" or not r.get("path", "").endswith("/r1/rtt"):
        continue
    b = r.get("body")
    if not isinstance(b, dict) or not isinstance(b.get("timestamp"), int):
        continue
    for m in b.get("measurements", []):
        if m.get("target") != target:
            continue
        if want == "up" and m.get("rtt_ms", 0) > 0 and m.get("loss") == 0:
            sys.exit(0)
        if want == "lost" and m.get("rtt_ms") == -1 and m.get("loss") == 100:
            sys.exit(0)
sys.exit(1)
EOP
}
loglines() { wc -l <"$L/cp.log" 2>/dev/null || echo 0; }
rtt_posts() { grep -c '"/api/v1/agent/r1/rtt"' "$L/cp.log" 2>/dev/null || echo 0; }
denied_lines() { grep -c "ping_group_range=[\\\\\"]*$MOENET_GID $MOENET_GID" "$L/a/agent.log"; }
fetcher_alive() { pgrep -P "$agent_pid" -f 'moenet-agent: fetcher' >/dev/null; }

ip netns exec "$NA" sysctl -q -w net.ipv4.ping_group_range="0 2147483647"
start_agent
check rtt_bgp_established wait_for 60 established dn42_4242420002
check rtt_measured wait_for 30 rtt_posted 0 up
check rtt_session_shown sh -c "ip netns exec $NA $TOP/moenetctl -s $L/a/ctl.sock show session s1 | grep -q 'RTT: .*ms, 0% loss'"

# B's end of the tunnel goes away: every probe is lost.
from=$(loglines)
ip -n "$NB" link set wgb down
check rtt_all_lost wait_for 30 rtt_posted "$from" lost
check rtt_lost_shown sh -c "ip netns exec $NA $TOP/moenetctl -s $L/a/ctl.sock show session s1 | grep -q 'RTT: *-'"
ip -n "$NB" addr add fe80::b/64 dev wgb
ip -n "$NB" link set wgb up

# Echo sockets forbidden again: said once, unknown, still running.
stop_agent
ip netns exec "$NA" sysctl -q -w net.ipv4.ping_group_range="1 0"
from=$(loglines)
posts=$(rtt_posts)
start_agent
check rtt_denied_unknown wait_for 30 rtt_posted "$from" lost
check rtt_denied_two_rounds wait_for 30 sh -c "[ \$(grep -c '\"/api/v1/agent/r1/rtt\"' '$L/cp.log') -ge $((posts + 2)) ]"
check rtt_denied_logged_once [ "$(denied_lines)" = 1 ]
check rtt_denied_agent_alive kill -0 "$agent_pid"
check rtt_denied_fetcher_alive fetcher_alive
check rtt_no_child_lost sh -c "! grep -q 'killed by signal' '$L/a/agent.log'"
[ "$failures" -gt 0 ] && tail -40 "$L/a/agent.log"
finish
