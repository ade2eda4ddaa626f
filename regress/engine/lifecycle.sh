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
# The session lifecycle for real: a fake control plane, router A with
# its own BIRD and moenet-agent, router B configured by hand as the DN42
# peer, each in its own network namespace, joined by a veth.  Asserts on
# BIRD, wireguard-go, the files and the control plane's request log.

. "$(dirname "$0")/lab.sh"

start_agent
check engine_setup_reported_active wait_for 60 modified s1 2
check engine_tunnel_up wait_for 10 sh -c "ip -n $NA link show dn42_4242420002 | grep -q UP"
check engine_peer_file test -f "$L/a/peers/dn42_4242420002.conf"
check engine_bgp_established wait_for 60 established dn42_4242420002
check engine_route_learned wait_for 30 route_from_b
check engine_ll_only_ours sh -c "[ \"\$(ip -n $NA -6 addr show dev dn42_4242420002 | grep -c inet6)\" = 1 ]"
check engine_heartbeat_sent grep -q '/api/v1/agent/heartbeat' "$L/cp.log"

# Restart: nothing recreated, no handshake reset, no reconfiguration.
wait_for 20 sh -c "[ \"\$(ina wg show dn42_4242420002 latest-handshakes | awk '{print \$2}')\" != 0 ]"
hs=$(handshake)
pid=$(wgpid)
cfg_before=$(grep -c 'configure' "$L/a/agent.log")
stop_agent
check engine_stop_keeps_tunnel ip -n "$NA" link show dn42_4242420002
check engine_stop_keeps_bgp established dn42_4242420002
start_agent
wait_for 30 grep -q 'state: 1 session' "$L/a/agent.log"
n=$(grep -c 'session sync' "$L/a/agent.log")
check engine_restart_synced wait_for 30 sh -c "[ \$(grep -c 'engine started' '$L/a/agent.log') -ge 2 ]"
sleep_sync() { wait_for 30 sh -c "[ \$(ls '$L/a/state' | grep -c state.json) -ge 1 ]"; }
sleep_sync
check engine_restart_same_wg_process [ "$(wgpid)" = "$pid" ]
check engine_restart_no_handshake_reset [ "$(handshake)" = "$hs" ]
check engine_restart_still_established established dn42_4242420002

# An invalid session among valid ones: reported, the others untouched.
write_cp "$S1_UP, {\"uuid\": \"s2\", \"asn\": 4242420003, \"status\": 4,
  \"type\": \"wireguard\", \"interface\": \"bad name!\", \"credential\": \"$BPUB\"}"
check engine_invalid_reported wait_for 30 modified s2 6
check engine_invalid_others_untouched established dn42_4242420002

# The control plane fails: nothing is torn down.
python3 - "$L/cp.json" <<'EOP'
import json, sys
st = json.load(open(sys.argv[1])); st["faults"] = {"sessions": {"mode": "500"}}
json.dump(st, open(sys.argv[1], "w"))
EOP
check engine_cp_down_noticed wait_for 30 grep -q 'session sync: http_5xx' "$L/a/agent.log"
check engine_cp_down_keeps_tunnel ip -n "$NA" link show dn42_4242420002
check engine_cp_down_keeps_bgp established dn42_4242420002

# Delete: removed locally, then modify 0.
write_cp "$(echo "$S1_UP" | sed 's/"status": 4/"status": 5/')"
check engine_delete_reported wait_for 60 modified s1 0
check engine_delete_link_gone wait_for 10 sh -c "! ip -n $NA link show dn42_4242420002 2>/dev/null"
check engine_delete_file_gone test ! -f "$L/a/peers/dn42_4242420002.conf"
check engine_delete_protocol_gone sh -c "! birdc -s $L/a/bird.ctl show protocols dn42_4242420002 | grep -q BGP"
no_wg() { [ -z "$(wgpid)" ]; }
check engine_delete_wg_process_gone wait_for 20 no_wg

if grep -q "$TOKEN" "$L/a/agent.log"; then
	fail engine_token_not_logged "token in the agent's log"
else
	ok engine_token_not_logged
fi
[ "$failures" -gt 0 ] && tail -40 "$L/a/agent.log"
finish
