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
# Maintenance (RFC 8326) and the loopback addresses, for real, in the
# engine lab: "moenetctl maintenance on" rewrites the file, reconfigures
# BIRD once, and router B sees GRACEFUL_SHUTDOWN on A's routes; off
# takes it away; BIRD refusing is an error for moenetctl; a restart
# keeps the state.  The loopback addresses appear after start and
# follow a reload, and an operator's address is left alone.

LAB_NAME=policy
. "$(dirname "$0")/../engine/lab.sh"

CTL="$TOP/moenetctl -s $L/a/ctl.sock"
MAINT=$L/a/maintenance.conf
routes_b() { birdc -s "$L/b/bird.ctl" show route all protocol a | bird_attrs; }
gshut() { routes_b | grep -q 'BGP.community: (65535,0)'; }
no_gshut() { routes_b | grep -q 'BGP.as_path' && ! gshut; }
reconfs() { grep -c 'reconfiguring BIRD' "$L/a/agent.log"; }
lo_dev() { if ip -n "$NA" link show dummy0 >/dev/null 2>&1; then echo dummy0; else echo lo; fi; }
has_addr() { ip -n "$NA" addr show dev "$(lo_dev)" | grep -q "inet6\? $1 "; }

# An address of the operator's on lo: never the agent's to remove.
ip -n "$NA" addr add 172.20.1.50/32 dev lo
start_agent
check maint_established wait_for 60 established dn42_4242420002
check maint_routes_at_b wait_for 30 no_gshut

# Loopback: both host addresses, on dummy0 or (no driver) on lo.
check loopback_v4 wait_for 10 has_addr 172.20.1.1/32
check loopback_v6 wait_for 10 has_addr fd00:4242:7777:101:4::1/128
if [ "$(lo_dev)" = lo ]; then
	check loopback_lo_notice grep -q 'no dummy interface' "$L/a/agent.log"
fi
check maint_status_off sh -c "$CTL show status | grep -Eq '^Maintenance: +off$'"

# On: the file, one reconfiguration, the community at B.
nr=$(reconfs)
if out=$($CTL maintenance on 2>&1); then ok maint_on_ok; else fail maint_on_ok "$out"; fi
check maint_on_file [ "$(cat "$MAINT")" = 'define MAINTENANCE_MODE = true;' ]
check maint_on_file_mode [ "$(stat -c %a "$MAINT")" = 644 ]
check maint_on_reconfigured_once [ "$(reconfs)" -eq $((nr + 1)) ]
check maint_on_seen_by_b wait_for 30 gshut
check maint_on_status sh -c "$CTL show status | grep -Eq '^Maintenance: +on'"
check maint_on_json sh -c "$CTL -j show status | grep -q '\"maintenance\": *true'"
check maint_on_heartbeat wait_for 20 grep -q '"maintenance": true' "$L/cp.log"
check maint_on_logged grep -q 'maintenance on requested by moenetctl' "$L/a/agent.log"
check maint_on_state grep -q '"maintenance": { "on": true' "$L/a/state/state.json"

# Off: gone at B.
nr=$(reconfs)
if out=$($CTL maintenance off 2>&1); then ok maint_off_ok; else fail maint_off_ok "$out"; fi
check maint_off_file [ "$(cat "$MAINT")" = 'define MAINTENANCE_MODE = false;' ]
check maint_off_reconfigured_once [ "$(reconfs)" -eq $((nr + 1)) ]
check maint_off_gone_at_b wait_for 30 no_gshut

# BIRD refuses (a broken line elsewhere in its config): moenetctl says
# so and exits non-zero; the file is put back.
cp "$L/a/bird.conf" "$L/a/bird.conf.good"
echo 'this is not bird syntax;' >>"$L/a/bird.conf"
if out=$($CTL maintenance on 2>&1); then
	fail maint_refused_fails "exit 0: $out"
else
	case $out in
	*"BIRD refused"*) ok maint_refused_fails ;;
	*) fail maint_refused_fails "$out" ;;
	esac
fi
check maint_refused_file_back [ "$(cat "$MAINT")" = 'define MAINTENANCE_MODE = false;' ]
check maint_refused_status_off sh -c "$CTL show status | grep -Eq '^Maintenance: +off$'"
mv "$L/a/bird.conf.good" "$L/a/bird.conf"

# A restart keeps the state.
if out=$($CTL maintenance on 2>&1); then ok maint_on_again; else fail maint_on_again "$out"; fi
added=$(grep -c 'added on' "$L/a/agent.log")
stop_agent
start_agent
if [ "$(lo_dev)" = lo ]; then
	check loopback_restart_done wait_for 20 sh -c "[ \$(grep -c 'no dummy interface' '$L/a/agent.log') -ge 2 ]"
fi
check maint_restart_answers wait_for 30 sh -c "$CTL show status >/dev/null"
check maint_restart_kept sh -c "$CTL show status | grep -Eq '^Maintenance: +on'"
check maint_restart_file [ "$(cat "$MAINT")" = 'define MAINTENANCE_MODE = true;' ]
check maint_restart_still_at_b gshut
check loopback_restart_no_flap [ "$(grep -c 'added on' "$L/a/agent.log")" -eq "$added" ]
check loopback_restart_kept has_addr 172.20.1.1/32

# Loopback after a reload: the new address added, ours removed, the
# operator's kept.
sed 's/"dn42Ipv4": "172.20.1.1"/"dn42Ipv4": "172.20.1.9"/' "$L/a/agent.json" \
    >"$L/a/agent.json.new" && mv "$L/a/agent.json.new" "$L/a/agent.json"
chmod 600 "$L/a/agent.json"
check loopback_reload $CTL reload
check loopback_new_added wait_for 10 has_addr 172.20.1.9/32
check loopback_stale_removed wait_for 10 sh -c "! ip -n $NA addr show dev $(lo_dev) | grep -q 'inet 172.20.1.1/32 '"
check loopback_operator_kept has_addr 172.20.1.50/32
check loopback_state grep -q '"loopback": .*"172.20.1.9/32"' "$L/a/state/state.json"

[ "$failures" -gt 0 ] && tail -40 "$L/a/agent.log"
finish
