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
# moenetctl restart|disable|enable on an iBGP protocol to one of the
# network's own routers, in the mesh lab (regress/mesh/lab2.sh): two
# agents, two BIRDs.  disable takes ibgp_2 down, the iBGP file says so
# and BIRD reading it again keeps it down; enable brings it back; restart by the router's
# name renews BIRD's since-time.

LAB_NAME=ctl_actibgp
. "$(dirname "$0")/../mesh/lab2.sh"

CTL=$TOP/moenetctl
ctl() { "$CTL" -s "$L/a/ctl.sock" "$@"; }
established() { birda show protocols ibgp_2 | grep -q Established; }
state() { birda show protocols ibgp_2 | awk '$1 == "ibgp_2" { print $4 }'; }
since() { birda show protocols ibgp_2 | awk '$1 == "ibgp_2" { print $5 }'; }
is_down() { [ "$(state)" = down ]; }
F=$L/a/ibgp/ibgp_2.conf

start_agent a
start_agent b
check actibgp_established wait_for 90 established

if ctl disable ibgp_2 >"$L/out" 2>&1 && grep -qx 'ibgp_2 disabled' "$L/out"; then
	ok actibgp_disable
else
	fail actibgp_disable "$(cat "$L/out")"
fi
check actibgp_down wait_for 10 is_down
check actibgp_file wait_for 20 grep -q '^	disabled;$' "$F"
check actibgp_kept python3 -c 'import json,sys; sys.exit("ibgp_2" not in json.load(open(sys.argv[1])).get("disabled", []))' "$L/a/state/state.json"
# BIRD reading its files again (as at its restart): still down.
birda configure >/dev/null
check actibgp_still_down is_down

if ctl enable ibgp_2 >"$L/out" 2>&1 && grep -qx 'ibgp_2 enabled' "$L/out"; then
	ok actibgp_enable
else
	fail actibgp_enable "$(cat "$L/out")"
fi
nofile() { ! grep -q 'disabled;' "$F"; }
check actibgp_file_enabled wait_for 20 nofile
check actibgp_established_again wait_for 60 established

s0=$(since)
if ctl restart r2 >"$L/out" 2>&1 && grep -qx 'ibgp_2 restarted' "$L/out"; then
	ok actibgp_restart
else
	fail actibgp_restart "$(cat "$L/out")"
fi
newsince() { s=$(since); [ -n "$s" ] && [ "$s" != "$s0" ]; }
check actibgp_restart_since wait_for 20 newsince

[ "$failures" -gt 0 ] && tail -30 "$L/a/agent.log"
finish
