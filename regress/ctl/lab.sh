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
# show bird and show wg against the engine's lab (regress/engine/lab.sh):
# a real BIRD and a real wireguard-go tunnel to router B.  Once BGP is
# Established, show bird must say connected to the BIRD installed, with
# the session's reconfiguration applied; once the tunnel has shaken
# hands, show wg must list it with that handshake and its traffic.  When
# the session is deleted, the tunnel leaves the listing.  show sessions
# and show session with a second, CJK-named session: the table aligned
# by display width, the filters, the lookups (protocol, name, uuid
# prefix; an ASN of two fails and names both), the details (BIRD's
# timers, the tunnel) and the JSON; show status; then BIRD stopped, a
# condition of the node said once.

LAB_NAME=ctl_lab
. "$(dirname "$0")/../engine/lab.sh"

CTL=$TOP/moenetctl
ctl() { "$CTL" -s "$L/a/ctl.sock" "$@"; }

# The metrics task fills in what show wg reports: every 5 s here.
python3 - "$L/a/agent.json" <<'EOP'
import json, sys
c = json.load(open(sys.argv[1]))
c["controlPlane"]["metricInterval"] = 5
json.dump(c, open(sys.argv[1], "w"), indent=1)
EOP

# expect NAME COMMAND...: exit 0, nothing on stderr, stdout in $L/out.
expect() {
	n=$1
	shift
	if "$@" >"$L/out" 2>"$L/err" && [ ! -s "$L/err" ]; then
		ok "$n"
	else
		fail "$n" "$(cat "$L/err")"
	fi
}

birdver=$(bird --version 2>&1 | sed -n 's/^BIRD version //p')
[ -n "$birdver" ] || { fail ctl_lab_bird_version "bird --version"; finish; }

start_agent
check ctl_lab_bgp_established wait_for 60 established dn42_4242420002

# show bird: connected to this BIRD, the session's files applied.
expect ctl_lab_show_bird ctl show bird
check ctl_lab_bird_connected grep -Eq \
    '^Connected: +yes, for [0-9]{2}:[0-9]{2}:[0-9]{2}$' "$L/out"
check ctl_lab_bird_version grep -Eq "^Version: +$birdver\$" "$L/out"
check ctl_lab_bird_applied grep -Eq \
    '^Transactions: +[1-9][0-9]* \((.*, )?[1-9][0-9]* ok[,)]' "$L/out"
check ctl_lab_bird_connects grep -Eq '^Connects: +[1-9][0-9]* of [1-9]' \
    "$L/out"
check ctl_lab_bird_maintenance grep -Eq '^Maintenance: +off$' "$L/out"
expect ctl_lab_show_bird_json ctl -j show bird
pyjson ctl_lab_bird_json '
v = sys.argv[2]
assert d["enabled"] is True and d["connected"] is True, d
assert d["connecting"] is False and d["version"] == v, (d, v)
assert 0 <= d["connected_age"] <= 120, d
assert d["transactions"]["ok"] >= 1, d
assert d["connects"] >= 1 and d["attempts"] >= d["connects"], d
assert d["commands_sent"] >= 4, d
assert d["maintenance"] is False, d
' "$birdver"

# show wg: after the first handshake, and after the metrics task saw it.
shook() { [ "$(handshake)" -gt 0 ] 2>/dev/null; }
check ctl_lab_wg_handshake wait_for 30 shook
seen() {
	ctl -j show wg | python3 -c '
import json, sys
t = json.load(sys.stdin)["tunnels"]
sys.exit(0 if t and t[0]["handshake_age"] is not None else 1)'
}
check ctl_lab_wg_seen_by_metrics wait_for 20 seen
expect ctl_lab_show_wg ctl show wg
check ctl_lab_wg_backend grep -Eq '^Backend: +userspace$' "$L/out"
check ctl_lab_wg_started grep -Eq '^Userspace: +[1-9][0-9]* started,' "$L/out"
check ctl_lab_wg_count grep -Eq '^Tunnels: +1$' "$L/out"
check ctl_lab_wg_row grep -Eq \
    '^dn42_4242420002  s1  +up  +[0-9]{2}:[0-9]{2}:[0-9]{2}  +[1-9][0-9]*  +[1-9][0-9]*$' \
    "$L/out"
expect ctl_lab_show_wg_json ctl -j show wg
pyjson ctl_lab_wg_json '
hs = int(sys.argv[2])
assert d["backend"] == "userspace", d
c = d["counters"]
assert c["applies"] >= 1 and c["userspace_started"] >= 1, c
assert len(d["tunnels"]) == 1, d
t = d["tunnels"][0]
assert t["interface"] == "dn42_4242420002" and t["session"] == "s1", t
assert t["name"] == "peer b", t
assert t["present"] is True and t["link_up"] is True, t
assert t["rx_bytes"] > 0 and t["tx_bytes"] > 0, t
# A handshake that happened: never newer than the one wg reports.
age = t["handshake_age"]
assert age >= int(time.time()) - hs - 2 and age <= 120, (age, hs)
' "$(handshake)"
# show session saw the same handshake.
expect ctl_lab_show_session ctl -j show session s1
pyjson ctl_lab_session_handshake '
assert d["sessions"][0]["handshake_age"] is not None, d
'

# A second session of the same ASN, waiting for approval, with a CJK
# name: lookups by ASN are then ambiguous, and the table must not shift.
S2='{"uuid": "5ec0ndab-0000-4000-8000-000000000002", "asn": 4242420002,
  "status": 3, "type": "wireguard", "name": "东京节点 tyo",
  "interface": "dn42_42420002b", "credential": "'$BPUB'", "port": 20003}'
write_cp "$S1_UP, $S2"
two() { [ "$(ctl -j show sessions | python3 -c '
import json, sys; print(len(json.load(sys.stdin)["sessions"]))')" = 2 ]; }
check ctl_lab_second_session wait_for 30 two

expect ctl_lab_show_sessions ctl show sessions
check ctl_lab_sessions_header grep -Eq \
    '^Session +ASN +Protocol +State +Up/Down +IPv4 in/out +IPv6 in/out$' \
    "$L/out"
check ctl_lab_sessions_row grep -Eq \
    '^peer b +4242420002 +dn42_4242420002 +Established +[0-9:dhw]+ +[0-9]+/[0-9]+ +[0-9]+/[0-9]+$' \
    "$L/out"
check ctl_lab_sessions_cjk_row grep -Eq \
    '^东京节点 tyo +4242420002 +- +pending +' "$L/out"
# The ASN ends, and the protocol starts, in the header's terminal column.
aligned() {
	python3 -c '
import sys, unicodedata
def w(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in s)
lines = open(sys.argv[1]).read().splitlines()
head, rows = lines[0], lines[1:]
asn_end = w(head[:head.index("ASN") + 3])
proto = w(head[:head.index("Protocol")])
assert len(rows) == 2, rows
for l in rows:
    assert w(l) <= 100, l
    k = l.index("4242420002") + 10
    assert w(l[:k]) == asn_end, (l, asn_end)
    while l[k] == " ":
        k += 1
    assert w(l[:k]) == proto, (l, proto)
' "$L/out"
}
check ctl_lab_sessions_aligned aligned
expect ctl_lab_show_sessions_wide ctl -w show sessions
check ctl_lab_sessions_wide_neighbor grep -Eq \
    '^peer b +s1 +4242420002 +dn42_4242420002 +dn42_4242420002 +fe80::b%dn42_4242420002 ' \
    "$L/out"

# Filters.
names() { "$CTL" -s "$L/a/ctl.sock" -j show sessions "$@" | python3 -c '
import json, sys
print(",".join(s["name"] for s in json.load(sys.stdin)["sessions"]))'; }
check ctl_lab_filter_up [ "$(names up)" = "peer b" ]
check ctl_lab_filter_down [ "$(names down)" = "" ]
check ctl_lab_filter_error [ "$(names error)" = "" ]
# In uuid order.
check ctl_lab_filter_asn [ "$(names AS4242420002)" = "东京节点 tyo,peer b" ]
check ctl_lab_filter_asn_bare [ "$(names 4242420002 up)" = "peer b" ]
check ctl_lab_filter_name [ "$(names PEER)" = "peer b" ]
check ctl_lab_filter_name_cjk [ "$(names 东京)" = "东京节点 tyo" ]

# Lookups: protocol, interface, uuid prefix; an ASN of two sessions
# names both and fails.
for what in dn42_4242420002 peer\ b 5ec0 5ec0ndab; do
	"$CTL" -s "$L/a/ctl.sock" -j show session "$what" >"$L/out" 2>"$L/err"
	pyjson "ctl_lab_lookup_$(echo "$what" | tr -c 'a-z0-9\n' _)" '
want = "s1" if sys.argv[2] in ("dn42_4242420002", "peer b") else \
    "5ec0ndab-0000-4000-8000-000000000002"
assert [s["uuid"] for s in d["sessions"]] == [want], d
' "$what"
done
if ctl show session AS4242420002 >"$L/out" 2>"$L/err"; then
	fail ctl_lab_lookup_ambiguous "exit 0: $(cat "$L/out")"
elif grep -q 'AS4242420002 matches 2 sessions by ASN: 5ec0ndab-0000-4000-8000-000000000002 (AS4242420002, 东京节点 tyo), s1 (AS4242420002, dn42_4242420002)$' "$L/err" &&
    [ ! -s "$L/out" ]; then
	ok ctl_lab_lookup_ambiguous
else
	fail ctl_lab_lookup_ambiguous "$(cat "$L/err")"
fi
if ctl -j show session 4242420002 >"$L/out" 2>"$L/err"; then
	fail ctl_lab_lookup_ambiguous_json "exit 0"
else
	pyjson ctl_lab_lookup_ambiguous_json '
assert list(d) == ["error"] and "matches 2 sessions" in d["error"], d
'
fi

# One session in full: BIRD's protocol with its timers, the tunnel.
expect ctl_lab_show_session_full ctl show session peer\ b
for re in '^  BGP: +Established for ' \
    '^  Neighbor: +fe80::b%dn42_4242420002$' \
    '^  Protocol dn42_4242420002: up, Established for ' \
    '^    Neighbor: +fe80::b%dn42_4242420002, AS4242420002$' \
    '^    Timers: +hold 9 s \([0-9.]+ s left\), keepalive 3 s \([0-9.]+ s left\)$' \
    '^    Routes: +IPv4 1 in, 1 out; IPv6 1 in, 1 out$' \
    '^    Endpoint: +\[fd00:ab::2\]:20001$' '^    Listen port: +20002$' \
    '^    MTU: +1420$' '^    Allowed IPs: +0\.0\.0\.0/0, ::/0$' \
    '^    Transfer: +[1-9][0-9]* bytes in, [1-9][0-9]* bytes out$'; do
	check "ctl_lab_session_$(echo "$re" | tr -dc 'A-Za-z' | cut -c1-24)" \
	    grep -Eq "$re" "$L/out"
done
expect ctl_lab_show_session_full_json ctl -j show session s1
check ctl_lab_session_json_valid python3 -m json.tool "$L/out"
pyjson ctl_lab_session_json_full '
assert d["bird"]["connected"] is True and d["bird"]["fresh"] is True, d
s = d["sessions"][0]
p = s["protocols"][0]
assert p["name"] == "dn42_4242420002" and p["bgp_state"] == "Established"
assert p["hold_time"] == 9 and p["keepalive_time"] == 3, p
assert 0 <= p["hold_left_ms"] <= 9000, p
assert p["neighbor_as"] == 4242420002 and p["last_error"] is None, p
assert p["routes_in"] == {"ipv4": 1, "ipv6": 1}, p
t = s["tunnel"]
assert t["endpoint"] == "[fd00:ab::2]:20001" and t["mtu"] == 1420, t
assert t["allowed_ips"] == ["0.0.0.0/0", "::/0"] and t["listen_port"] == 20002
assert s["neighbor"] == "fe80::b%dn42_4242420002", s
assert s["last_error"] is None and s["bgp"]["state"] == "Established", s
'
expect ctl_lab_show_status ctl show status
check ctl_lab_status_cp grep -Eq \
    '^Control plane: +reachable, breaker closed, last answer [0-9:]+ ago$' \
    "$L/out"
check ctl_lab_status_bird grep -Eq "^BIRD: +connected, $birdver, for " "$L/out"
check ctl_lab_status_sync grep -Eq \
    '^Session sync: +(running now|last [0-9:]+ ago), last list [0-9:]+ ago' \
    "$L/out"
check ctl_lab_status_wg grep -Eq '^WireGuard: +userspace$' "$L/out"
expect ctl_lab_show_status_json ctl -j show status
pyjson ctl_lab_status_json '
assert d["control_plane"]["reachable"] is True, d
assert d["bird"]["connected"] is True and d["bird"]["version"], d
assert d["sync"]["started"] is True and d["sync"]["generation"] >= 1, d
assert d["maintenance_since"] is None and d["state_store"]["ok"] is True, d
'

# Delete: the tunnel goes, and so does its record.
write_cp "$(echo "$S1_UP" | sed 's/"status": 4/"status": 5/'), $S2"
check ctl_lab_delete_reported wait_for 60 modified s1 0
no_tunnels() { ctl show wg | grep -Eq '^Tunnels: +0$'; }
check ctl_lab_wg_tunnel_gone wait_for 10 no_tunnels
expect ctl_lab_show_wg_after ctl -j show wg
pyjson ctl_lab_wg_json_after 'assert d["tunnels"] == [], d'
expect ctl_lab_show_bird_after ctl -j show bird
pyjson ctl_lab_bird_json_after '
assert d["connected"] is True and d["transactions"]["ok"] >= 2, d
'

# BIRD stopped: a condition of the node, said once, not per session.
kill "$(cat "$L/a/bird.pid")"
bird_gone() { ctl show status | grep -Eq '^BIRD: +unreachable: '; }
check ctl_lab_bird_down_status wait_for 15 bird_gone
expect ctl_lab_bird_down_sessions ctl show sessions
check ctl_lab_bird_down_said_once [ "$(grep -c 'BIRD' "$L/out")" -eq 1 ]
check ctl_lab_bird_down_line grep -Eq \
    '^BIRD: unreachable \(.+\); BGP state and routes unknown$' "$L/out"
check ctl_lab_bird_down_no_bgp_columns grep -Eq \
    '^Session +ASN +Protocol +State +Up/Down$' "$L/out"
expect ctl_lab_bird_down_json ctl -j show sessions
pyjson ctl_lab_bird_down_json_null '
assert d["bird"]["connected"] is False and d["bird"]["error"], d
assert d["sessions"] and all(s["bgp"] is None for s in d["sessions"]), d
'

[ "$failures" -gt 0 ] && tail -40 "$L/a/agent.log"
finish
