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
# moenetctl's actions in the engine's lab (regress/engine/lab.sh): real
# BIRD, wireguard-go and the fake control plane.  show plan lists a
# session the control plane added and changes nothing; sync -w creates
# it and says so, then a changed field; disable takes the BGP session
# down in BIRD and it stays down across a sync, a restart of the agent
# and a restart of BIRD; enable brings it back; restart renews BIRD's
# since-time; reload names a changed key and one for the next start.

LAB_NAME=ctl_act
. "$(dirname "$0")/../engine/lab.sh"

CTL=$TOP/moenetctl
ctl() { "$CTL" -s "$L/a/ctl.sock" "$@"; }
P=dn42_4242420002

# Syncs on demand only: what show plan sees must wait for sync -w.
python3 - "$L/a/agent.json" <<'EOP'
import json, sys
c = json.load(open(sys.argv[1]))
c["controlPlane"]["syncInterval"] = 3600
json.dump(c, open(sys.argv[1], "w"), indent=1)
EOP
# The second session's tunnel, gone with the lab's namespace.
trap 'ip -n "$NA" link del dn42_4242420003 2>/dev/null; cleanup' EXIT INT TERM

# expect NAME COMMAND...: exit 0, nothing on stderr, stdout in $L/out.
expect() {
	n=$1
	shift
	if "$@" >"$L/out" 2>"$L/err" && [ ! -s "$L/err" ]; then
		ok "$n"
	else
		fail "$n" "$(cat "$L/err" "$L/out")"
	fi
}
# outhas NAME ERE: a line of $L/out matches.
outhas() {
	if grep -Eq "$2" "$L/out"; then ok "$1"; else fail "$1" "$(cat "$L/out")"; fi
}
# BIRD's view of the protocol: its state and since columns.
proto_state() { birdc -s "$L/a/bird.ctl" show protocols "$P" | awk -v p="$P" '$1 == p { print $4 }'; }
proto_since() { birdc -s "$L/a/bird.ctl" show protocols "$P" | awk -v p="$P" '$1 == p { print $5 }'; }
is_down() { [ "$(proto_state)" = down ]; }
# What the router has: the peer files and the interfaces.
router() { cat "$L/a/peers"/*.conf 2>/dev/null | md5sum; ip -n "$NA" -br link | awk '{print $1}' | sort; }

start_agent
check act_established wait_for 60 established "$P"
synced() { ctl -j show session s1 | grep -q '"state":"active"\|"state": "active"'; }
check act_applied wait_for 30 synced

# show plan: a session added in the control plane, nothing done yet.
(umask 077; wg genkey >"$L/c.key")
CPUB=$(wg pubkey <"$L/c.key")
S2='{"uuid": "s2", "asn": 4242420003, "status": 4, "type": "wireguard",
  "name": "peer c", "interface": "dn42_4242420003", "credential": "'$CPUB'",
  "ipv6LinkLocal": "fe80::c", "ipv4": "172.20.3.1", "port": 20003,
  "mtu": 1420}'
write_cp "$S1_UP, $S2"
router >"$L/before"
expect act_plan ctl show plan
outhas act_plan_summary '^Plan: 1 created, 0 changed, 0 removed, 0 held, 0 failed; 1 unchanged of 2 listed$'
outhas act_plan_created '^created +s2  peer c  AS4242420003  dn42_4242420003$'
expect act_plan_json ctl -j show plan
pyjson act_plan_json_fields '
assert d["error"] is None and d["duration_ms"] is None, d
assert d["listed"] == 2 and d["unchanged"] == 1, d
c, = d["changes"]
assert c == {"kind": "created", "uuid": "s2", "name": "peer c",
    "asn": 4242420003, "interface": "dn42_4242420003", "fields": None,
    "reason": None}, c
'
router >"$L/after"
check act_plan_changes_nothing cmp -s "$L/before" "$L/after"

# sync -w: the outcome of the sync it started.
expect act_sync_wait ctl -j sync -w
pyjson act_sync_created '
assert d["error"] is None and d["duration_ms"] >= 0, d
assert [(c["kind"], c["uuid"]) for c in d["changes"]] == [("created", "s2")], d
'
check act_sync_tunnel ip -n "$NA" link show dn42_4242420003
# A changed field, as plan and sync -w name it.
write_cp "$S1_UP, $(echo "$S2" | sed 's/"mtu": 1420/"mtu": 1400/')"
expect act_plan_changed ctl -j show plan
pyjson act_plan_changed_fields '
c, = d["changes"]
assert c["kind"] == "changed" and c["uuid"] == "s2" and c["fields"] == ["mtu"], c
'
expect act_sync_changed ctl sync -w
outhas act_sync_changed_line '^changed +s2  peer c  AS4242420003  dn42_4242420003  fields: mtu$'
outhas act_sync_changed_summary '^Sync: 0 created, 1 changed, 0 removed, 0 held, 0 failed; 1 unchanged of 2 listed \([0-9]+\.[0-9] s\)$'

# On a terminal, the progress on one line, then the outcome.
script -qec "$CTL -s $L/a/ctl.sock sync -w" /dev/null >"$L/out" 2>&1
outhas act_sync_tty_progress 'sync: sessions [0-9]+ done of 2'
outhas act_sync_tty_outcome 'Sync: 0 created, 0 changed, 0 removed, 0 held, 0 failed; 2 unchanged of 2 listed'

# disable, by the peer's ASN: BIRD shows it down, the file says so.
expect act_disable ctl disable AS4242420002
check act_disable_said grep -qx "$P disabled" "$L/out"
check act_disable_bird_down wait_for 10 is_down
check act_disable_file wait_for 20 grep -q '^	disabled;$' "$L/a/peers/$P.conf"
check act_disable_kept python3 -c 'import json,sys; sys.exit("s1" not in json.load(open(sys.argv[1])).get("disabled", []))' "$L/a/state/state.json"
expect act_disable_shown ctl -j show session s1
pyjson act_disable_shown_json 'assert d["sessions"][0]["disabled"] is True, d'
expect act_disable_table ctl show sessions
outhas act_disable_table_state '^peer b .* [A-Za-z]+,disabled '
expect act_disable_detail ctl show session s1
outhas act_disable_detail_line '^  Disabled: +yes'
# A sync keeps it down.
expect act_disable_sync ctl sync -w
check act_disable_after_sync is_down
# So does a restart of the agent.
stop_agent
start_agent
up_again() { ctl show status >/dev/null 2>&1; }
check act_agent_restarted wait_for 30 up_again
expect act_disable_restart_sync ctl sync -w
check act_disable_after_restart is_down
check act_disable_file_kept grep -q '^	disabled;$' "$L/a/peers/$P.conf"
# And a restart of BIRD.
birdc -s "$L/a/bird.ctl" down >/dev/null 2>&1
gone() { ! kill -0 "$(cat "$L/a/bird.pid")" 2>/dev/null; }
wait_for 10 gone
ip netns exec "$NA" bird -c "$L/a/bird.conf" -s "$L/a/bird.ctl" -P "$L/a/bird.pid"
bird_up() { birdc -s "$L/a/bird.ctl" show status >/dev/null 2>&1; }
check act_bird_restarted wait_for 10 bird_up
check act_disable_after_bird_restart is_down

# enable: up again, the file and the state without it.
bird_back() { ctl -j show bird | grep -q '"connected":true\|"connected": true'; }
check act_agent_reconnected wait_for 40 bird_back
expect act_enable ctl enable s1
check act_enable_said grep -qx "$P enabled" "$L/out"
check act_enable_established wait_for 60 established "$P"
nofile() { ! grep -q 'disabled;' "$L/a/peers/$P.conf"; }
check act_enable_file wait_for 20 nofile
check act_enable_state_empty python3 -c 'import json,sys; sys.exit("s1" in json.load(open(sys.argv[1])).get("disabled", []))' "$L/a/state/state.json"

# restart, by protocol name: a new since-time.
s0=$(proto_since)
expect act_restart ctl restart "$P"
check act_restart_said grep -qx "$P restarted" "$L/out"
newsince() { s=$(proto_since); [ -n "$s" ] && [ "$s" != "$s0" ]; }
check act_restart_since wait_for 20 newsince

# A session of two protocols (no MP-BGP): both, by its name.
state_of() { birdc -s "$L/a/bird.ctl" show protocols "$1" | awk -v p="$1" '$1 == p { print $4 }'; }
# v4v6 down|up: both protocols down, or neither.
v4v6() {
	for p in dn42_4242420003_v4 dn42_4242420003_v6; do
		s=$(state_of $p)
		[ -n "$s" ] || return 1
		if [ "$1" = down ]; then [ "$s" = down ] || return 1
		else [ "$s" != down ] || return 1; fi
	done
}
expect act_disable_two ctl disable "peer c"
check act_disable_two_said grep -qx "dn42_4242420003_v4 and dn42_4242420003_v6 disabled" "$L/out"
check act_disable_two_down wait_for 10 v4v6 down
expect act_enable_two ctl enable 4242420003
check act_enable_two_up wait_for 10 v4v6 up

# Errors: a session the agent does not have, as JSON with -j.
if ctl -j disable AS64512 >"$L/out" 2>"$L/err"; then
	fail act_nosuch_json "exit 0"
else
	pyjson act_nosuch_json '
assert d["code"] == "nosuch" and "AS64512" in d["error"], d'
fi

if "$CTL" -j -s "$L/none.sock" sync -w >"$L/out" 2>"$L/err"; then
	fail act_no_agent_json "exit 0"
else
	pyjson act_no_agent_json 'assert "agent not running" in d["error"], d'
fi

# reload: a key in force now, one at the next start.
python3 - "$L/a/agent.json" "$L/a/ctl2.sock" <<'EOP'
import json, sys
c = json.load(open(sys.argv[1]))
c["controlPlane"]["heartbeatInterval"] = 7
c["control"]["socket"] = sys.argv[2]
json.dump(c, open(sys.argv[1], "w"), indent=1)
EOP
expect act_reload ctl reload
outhas act_reload_changed '^changed +controlPlane\.heartbeatInterval$'
outhas act_reload_restart '^restart +control\.socket$'
check act_reload_socket_kept test -S "$L/a/ctl.sock"
expect act_reload_json ctl -j reload
# Nothing new, but control.socket still waits for the restart.
pyjson act_reload_json_keys '
assert d["changed"] == [] and d["restart"] == ["control.socket"], d'

[ "$failures" -gt 0 ] && tail -40 "$L/a/agent.log"
finish
