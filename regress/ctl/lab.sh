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
# the session is deleted, the tunnel leaves the listing.

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
# pyjson NAME SCRIPT: $L/out as JSON in d; argv[2], argv[3] passed on.
pyjson() {
	n=$1 script=$2
	shift 2
	if python3 -c "
import json, sys, time
d = json.load(open(sys.argv[1]))
$script
" "$L/out" "$@" 2>"$L/py.err"; then
		ok "$n"
	else
		fail "$n" "$(cat "$L/py.err") in $(cat "$L/out")"
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

# Delete: the tunnel goes, and so does its record.
write_cp "$(echo "$S1_UP" | sed 's/"status": 4/"status": 5/')"
check ctl_lab_delete_reported wait_for 60 modified s1 0
no_tunnels() { ctl show wg | grep -Eq '^Tunnels: +0$'; }
check ctl_lab_wg_tunnel_gone wait_for 10 no_tunnels
expect ctl_lab_show_wg_after ctl -j show wg
pyjson ctl_lab_wg_json_after 'assert d["tunnels"] == [], d'
expect ctl_lab_show_bird_after ctl -j show bird
pyjson ctl_lab_bird_json_after '
assert d["connected"] is True and d["transactions"]["ok"] >= 2, d
'

[ "$failures" -gt 0 ] && tail -40 "$L/a/agent.log"
finish
