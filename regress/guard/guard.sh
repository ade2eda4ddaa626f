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
# The mass-removal guard in the engine lab (real BIRD, wireguard-go,
# the fake control plane; removeAfterMissing 2).  Six sessions set up;
# then a valid list keeps one, marks one for deletion (status 5) and
# leaves four out: the deletion happens, the four are held (logged,
# /healthz, moenetctl show status, /metrics) until the list has said so
# 4 times (2 x 2), then removed.  Set up again and left out again, they
# go as soon as the operator runs "moenetctl confirm removal".

LAB_NAME=guard
. "$(dirname "$0")/../engine/lab.sh"

HP=$(ip netns exec "$NA" python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$L/a/agent.json" "$L/a/guard.json" "$HP" <<'EOP'
import json, sys
c = json.load(open(sys.argv[1]))
c["server"] = {"listen": "127.0.0.1:" + sys.argv[3]}
c["wireguard"]["loopbackInterface"] = "none"
json.dump(c, open(sys.argv[2], "w"))
EOP
chmod 600 "$L/a/guard.json"
CTL="$TOP/moenetctl -s $L/a/ctl.sock"

# sess N [STATUS]: session gN on dn42_424242001N, passive.
sess() {
	echo '{"uuid": "g'$1'", "asn": 424242001'$1', "status": '${2:-4}',
	  "type": "wireguard", "name": "g'$1'", "interface": "dn42_424242001'$1'",
	  "credential": "'$BPUB'", "ipv6LinkLocal": "fe80::b",
	  "port": 2101'$1', "mtu": 1420}'
}
all() { echo "$S1_UP, $(sess 1), $(sess 2), $(sess 3), $(sess 4), $(sess 5)"; }
# active_since N UUID...: each had a modify 2 after line N of cp.log
# (one python run: wait_for counts tries, not seconds).
active_since() {
	python3 - "$L/cp.log" "$@" <<'EOP'
import json, sys
path, n, want = sys.argv[1], int(sys.argv[2]), set(sys.argv[3:])
for i, l in enumerate(open(path)):
    if i < n:
        continue
    r = json.loads(l)
    b = r.get("body")
    if r.get("path", "").endswith("/modify") and isinstance(b, dict) \
       and b.get("status") == 2:
        want.discard(b.get("uuid"))
sys.exit(0 if not want else 1)
EOP
}
lists_since() {
	[ "$(tail -n +"$(($1 + 1))" "$L/cp.log" | grep -c '/sessions"')" -ge "$2" ]
}
links() {
	nl=0
	for li in 2 3 4 5; do
		ip -n "$NA" link show dn42_424242001$li >/dev/null 2>&1 &&
		    nl=$((nl + 1))
	done
	[ "$nl" = "$1" ]
}
healthz() {
	ip netns exec "$NA" curl -s --max-time 5 -w ' %{http_code}' \
	    "http://127.0.0.1:$HP/healthz"
}
health_held() { h=$(healthz); [ "${h##* }" = 503 ] && echo "$h" | grep -q held; }
not() { ! "$@"; }
health_clear() { ! healthz | grep -q held; }
ctl_held() { $CTL show status | grep -q '^Degraded: .*held'; }
metric_held() {
	ip netns exec "$NA" curl -s --max-time 5 "http://127.0.0.1:$HP/metrics" |
	    grep -q "^moenet_agent_degraded{condition=\"removal_held\"} $1\$"
}
all_active() { active_since "$1" s1 g1 g2 g3 g4 g5; }
# Set up again: s1 never stopped being active, so no new modify for it.
again_active() { active_since "$1" g1 g2 g3 g4 g5; }
logged() { grep -qF "$1" "$L/a/agent.log"; }

write_cp "$(all)"
start_agent "$L/a/guard.json"
check guard_six_set_up wait_for 120 all_active 0

# s1 and g1 stay, g2..g5 are left out: 4 of 6 (more than half, 4 or
# more).  g1 marked for deletion (status 5) goes as always.
write_cp "$S1_UP, $(sess 1 5)"
mark=$(wc -l <"$L/cp.log")
check guard_delete_still_applied wait_for 60 modified g1 0
check guard_delete_link_gone wait_for 10 sh -c "! ip -n $NA link show dn42_4242420011"
check guard_hold_logged wait_for 30 logged "4 of the 6 sessions set up here are missing at once"
check guard_healthz_503_held wait_for 10 health_held
check guard_ctl_status_held ctl_held
check guard_metric_held metric_held 1
wait_for 60 lists_since "$mark" 3
held_3() { links 4 && not lists_since "$mark" 4; }
check guard_held_after_3_lists held_3
check guard_removed_after_4_lists wait_for 60 links 0
check guard_hold_over_health wait_for 20 health_clear
check guard_metric_clear metric_held 0
check guard_own_kept established dn42_4242420002
check guard_confirm_without_hold sh -c "! $CTL confirm removal"

# Back, and left out again: the operator confirms.
mark=$(wc -l <"$L/cp.log")
write_cp "$(all)"
check guard_again_set_up wait_for 120 again_active "$mark"
write_cp "$S1_UP"
mark=$(wc -l <"$L/cp.log")
check guard_again_held wait_for 30 health_held
check guard_again_links_kept links 4
check guard_confirm_accepted sh -c "$CTL confirm removal | grep -q confirmed"
check guard_confirmed_removed wait_for 30 links 0
check guard_confirmed_before_4_lists not lists_since "$mark" 4
check guard_confirmed_health_clear wait_for 20 health_clear
check guard_confirmed_own_kept established dn42_4242420002
stop_agent
finish
