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
# The store against a real BIRD and wireguard-go (regress/engine/lab.sh),
# started on the state files of the release before it (fixtures/, as
# main's agent wrote them in this lab): each is read into state.json and
# removed; a sync that changes nothing writes nothing; a section this
# agent does not know is kept; a restart reads state.json back.

LAB_NAME=store
. "$(dirname "$0")/../engine/lab.sh"
S=$L/a/state
STATE=$S/state.json
OLD="last_state.json maintenance loopback mesh_state.json owned_interfaces"
CTL="$TOP/moenetctl -s $L/a/ctl.sock"

# state_is EXPR: the Python expression holds for state.json as "st".
state_is() {
	python3 - "$STATE" "$1" <<'EOP'
import json, sys
st = json.load(open(sys.argv[1]))
sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)
EOP
}
logged() { grep -qF "$1" "$L/a/agent.log"; }
old_gone() { for f in $OLD; do [ ! -e "$S/$f" ] || return 1; done; }
ino() { stat -c %i "$STATE"; }
syncs_since() {
	[ "$(tail -n +"$(($1 + 1))" "$L/cp.log" | grep -c '/sessions"')" -ge "$2" ]
}

for f in $OLD; do cp "$(dirname "$0")/fixtures/$f" "$S/$f"; done
start_agent
check store_established wait_for 60 established dn42_4242420002
for f in $OLD; do
	check "store_migrate_read_$f" wait_for 10 logged \
	    "$S/$f, kept from now on in state.json"
done
check store_migrate_written wait_for 20 state_is 'st["version"] == 1'
check store_migrate_old_removed wait_for 20 old_gone
check store_migrate_sessions state_is \
    'st["sessions"]["node"] == "r1" and
     st["sessions"]["sessions"][0]["uuid"] == "s1"'
check store_migrate_maintenance state_is \
    'st["maintenance"] == {"on": True, "since": 1796438067}'
# What the old file said is in force: BIRD's file follows it.
check store_migrate_maintenance_used wait_for 20 grep -q \
    'MAINTENANCE_MODE = true' "$L/a/maintenance.conf"
check store_migrate_loopback wait_for 10 state_is \
    'st["loopback"] == {"interface": "lo", "addresses":
     ["172.20.1.1/32", "fd00:4242:7777:101:4::1/128"]}'
check store_migrate_owned state_is \
    '"dn42_4242420002" in st["owned_interfaces"]'
check store_migrate_mesh state_is \
    'st["mesh"] == {"tunnels": [], "ibgp": []}'
check store_mode_0600 [ "$(stat -c %a "$STATE")" = 600 ]

# Syncs that change nothing write nothing (a write is a rename: a new
# inode).
wait_for 30 state_is \
    'st["sessions"]["sessions"][0]["state"] == "active"'
mark=$(wc -l <"$L/cp.log")
wait_for 30 syncs_since "$mark" 1
i=$(ino)
mark=$(wc -l <"$L/cp.log")
check store_noop_syncs_seen wait_for 30 syncs_since "$mark" 2
check store_noop_sync_no_write [ "$(ino)" = "$i" ]

# A section of a newer agent, kept through a change and a restart.
stop_agent
python3 - "$STATE" <<'EOP'
import json, sys
st = json.load(open(sys.argv[1]))
st["zfuture"] = {"a": [1, "x"], "b": None}
json.dump(st, open(sys.argv[1], "w"), indent=1)
EOP
: >"$L/a/agent.log"
start_agent
check store_restart_read wait_for 30 logged \
    "state: 1 session owned from before"
check store_restart_not_migrated sh -c "! grep -q 'kept from now on' '$L/a/agent.log'"
check store_restart_maintenance_kept state_is 'st["maintenance"]["on"] is True'
check store_maintenance_off $CTL maintenance off
check store_change_written wait_for 20 state_is \
    'st["maintenance"]["on"] is False'
check store_unknown_kept state_is \
    'st["zfuture"] == {"a": [1, "x"], "b": None}'

[ "$failures" -gt 0 ] && tail -30 "$L/a/agent.log"
finish
