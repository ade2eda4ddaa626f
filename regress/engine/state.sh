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
#
# The sessions' section of state.json against a real BIRD and
# wireguard-go (lab.sh): what is in it, a tunnel gone as after a reboot
# brought back from it while the control plane is down, a version 1
# last_state.json of an older agent read and taken into state.json, and
# a generated file edited by hand noticed and put back.

. "$(dirname "$0")/lab.sh"
STATE=$L/a/state/state.json
PEERFILE=$L/a/peers/dn42_4242420002.conf

# state_is EXPR: the Python expression holds for the file as "s".
state_is() {
	python3 - "$STATE" "$1" "$BPUB" "$L" <<'EOP'
import hashlib, json, sys
st = json.load(open(sys.argv[1]))
s = st["sessions"]
bpub, lab = sys.argv[3], sys.argv[4]
def sha(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()
sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)
EOP
}
cp_fault() {
	python3 - "$L/cp.json" "$1" <<'EOP'
import json, sys
st = json.load(open(sys.argv[1]))
st["faults"] = {"sessions": {"mode": sys.argv[2]}} if sys.argv[2] else {}
json.dump(st, open(sys.argv[1] + ".tmp", "w"))
EOP
	mv "$L/cp.json.tmp" "$L/cp.json"
}
link_up() { ip -n "$NA" link show dn42_4242420002 2>/dev/null | grep -q UP; }
peer_set() { ina wg show dn42_4242420002 peers | grep -qF "$BPUB"; }
logged() { grep -qF "$1" "$L/a/agent.log"; }

start_agent
# Setup, not a test: silent when it works.
if ! wait_for 60 established dn42_4242420002; then
	fail state_setup "no BGP session in 60 s: $(tail -5 "$L/a/agent.log")"
	finish
fi
# What moenetctl shows is BIRD's word of now, not the last metrics run's
# (every 60 s here, the first before BGP came up).
ctl_bgp() { "$TOP/moenetctl" -s "$L/a/ctl.sock" show sessions | grep -q Established; }
check state_ctl_bgp_fresh wait_for 5 ctl_bgp
# B sends one IPv4 and one IPv6 prefix, and A sends B its two.
ctl_routes() {
	"$TOP/moenetctl" -s "$L/a/ctl.sock" -j show sessions | python3 -c '
import json, sys
s = json.load(sys.stdin)
b = s["sessions"][0]["bgp"]
sys.exit(0 if b["routes_in"] == {"ipv4": 1, "ipv6": 1} and
         b["routes_out"] == {"ipv4": 1, "ipv6": 1} else 1)'
}
check state_ctl_routes_fresh wait_for 10 ctl_routes
check state_v2_written wait_for 10 state_is 'st["version"] == 1'
check state_v2_desired state_is \
    's["sessions"][0]["desired"]["publicKey"] == bpub and
     s["sessions"][0]["desired"]["asn"] == 4242420002 and
     s["sessions"][0]["desired"]["interface"] == "dn42_4242420002"'
check state_v2_file_hash state_is \
    's["sessions"][0]["fileSha256"] == sha(lab + "/a/peers/dn42_4242420002.conf")'
check state_v2_files_listed state_is \
    'any(f["path"] == lab + "/a/maintenance.conf" and
         f["sha256"] == sha(f["path"]) for f in s["files"])'
check state_v2_maintenance state_is 'st["maintenance"]["on"] is False'
check state_mode_0600 sh -c "[ \"\$(stat -c %a '$STATE')\" = 600 ]"

# The control plane down and the tunnel gone, as after a reboot: the
# agent brings it back as the state file has it, and removes nothing.
stop_agent
cp_fault 500
pid=$(wgpid)
[ -n "$pid" ] && kill "$pid"
ip -n "$NA" link del dn42_4242420002 2>/dev/null
no_link() { ! ip -n "$NA" link show dn42_4242420002 >/dev/null 2>&1; }
check state_reboot_tunnel_gone wait_for 10 no_link
start_agent
check state_cp_down_kept wait_for 30 logged \
    "keeping 1 session as the state file has them"
check state_cp_down_tunnel_back wait_for 30 link_up
check state_cp_down_peer_back wait_for 10 peer_set
check state_cp_down_bgp_back wait_for 60 established dn42_4242420002
check state_cp_down_file_kept test -f "$PEERFILE"

# The control plane back: what exists is adopted, nothing recreated.
pid=$(wgpid)
hs=$(handshake)
mark=$(wc -l <"$L/cp.log")
# sessions_ok_since N: a sessions list was served after line N.
sessions_ok_since() {
	tail -n +"$(($1 + 1))" "$L/cp.log" | grep '/sessions"' |
	    grep -q '"status": 200'
}
cp_fault ""
check state_cp_back_synced wait_for 30 sessions_ok_since "$mark"
check state_cp_back_same_process [ "$(wgpid)" = "$pid" ]
check state_cp_back_no_handshake_reset [ "$(handshake)" = "$hs" ]

# A version 1 last_state.json, as an older agent wrote it: read,
# adopted, taken into state.json, removed.
stop_agent
OLD=$L/a/state/last_state.json
python3 - "$STATE" "$OLD" <<'EOP'
import json, os, sys
s = json.load(open(sys.argv[1]))["sessions"]
s["version"] = 1
for k in ("files", "maintenance"):
    s.pop(k, None)
for x in s["sessions"]:
    x.pop("desired", None)
    x.pop("fileSha256", None)
json.dump(s, open(sys.argv[2], "w"), indent=1)
os.unlink(sys.argv[1])
EOP
start_agent
check state_v1_read wait_for 20 logged \
    "last_state.json, kept from now on in state.json"
check state_v1_adopted wait_for 20 logged "state: 1 session owned from before"
check state_v1_rewritten wait_for 30 state_is \
    'st["version"] == 1 and s["sessions"][0]["desired"]["publicKey"] == bpub'
check state_v1_old_removed wait_for 10 sh -c "! test -e '$OLD'"
check state_v1_no_recreate [ "$(wgpid)" = "$pid" ]
check state_v1_not_set_aside sh -c "! ls '$L/a/state' | grep -q bad-"

# A generated file edited by hand: noticed at start, put back.
stop_agent
echo "# edited by hand" >>"$PEERFILE"
start_agent
check state_hand_edit_noticed wait_for 20 logged \
    "dn42_4242420002.conf was changed outside the agent"
check state_hand_edit_put_back wait_for 30 sh -c \
    "! grep -q 'edited by hand' '$PEERFILE'"
check state_hand_edit_still_established established dn42_4242420002

[ "$failures" -gt 0 ] && tail -40 "$L/a/agent.log"
finish
