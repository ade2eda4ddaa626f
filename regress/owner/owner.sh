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
# The agent touches only the interfaces it owns (engine lab: real BIRD,
# wireguard-go and the fake control plane).  An operator's WireGuard
# interface wgop (own key, port, peer), lo, a veth and a mesh name are
# named by sessions: each refused with modify 6 and a reason, and left
# byte for byte as it was, through syncs, a withdrawal and a delete.
# The agent's own tunnel is recorded and survives a restart; a handed
# over interface (wireguard.adopt) is used; a drop-in's WireGuard
# interface named as the control plane names tunnels is adopted on the
# first start only.

LAB_NAME=owner
. "$(dirname "$0")/../engine/lab.sh"
STATE=$L/a/state/state.json
# owned IF: state.json says the agent owns it.
owned() {
	python3 -c 'import json, sys
sys.exit(0 if sys.argv[2] in json.load(open(sys.argv[1])).get(
    "owned_interfaces", []) else 1)' "$STATE" "$1"
}

# mkwg IF PORT: an operator's own wireguard-go interface in A.
mkwg() {
	(umask 077; wg genkey >"$L/$1.key"; wg genkey >"$L/$1.peer")
	ina wireguard-go "$1" 2>/dev/null
	ina wg set "$1" private-key "$L/$1.key" listen-port "$2" \
	    peer "$(wg pubkey <"$L/$1.peer")" allowed-ips 10.99.0.1/32 \
	    endpoint 192.0.2.77:51999
	ip -n "$NA" addr add 10.98.0.1/24 dev "$1"
	ip -n "$NA" link set "$1" up
}
# snap IF: what must not change about it.
snap() {
	{ ip -n "$NA" -d addr show dev "$1" | sed 's/ *valid_lft.*//'
	  ina wg showconf "$1" 2>/dev/null; } |
	    grep -v 'RX:\|TX:\|bytes\|packets'
}
same() { [ "$(snap "$1")" = "$(cat "$L/$1.snap")" ]; }
# sess UUID ASN IF PORT [STATUS]
sess() {
	echo '{"uuid": "'$1'", "asn": '$2', "status": '${5:-4}',
	  "type": "wireguard", "name": "'$1'", "interface": "'$3'",
	  "credential": "'$BPUB'", "endpoint": "[fd00:ab::2]:20001",
	  "ipv6LinkLocal": "fe80::b", "port": '$4', "mtu": 1420}'
}
syncs_since() {
	[ "$(tail -n +"$(($1 + 1))" "$L/cp.log" | grep -c '/sessions"')" -ge "$2" ]
}
no_wgpid() { [ -z "$(wgpid "$1")" ]; }

# Our own config: no loopback addresses on lo, which must not change.
conf_with() {
	python3 - "$L/a/agent.json" "$1" "$2" <<'EOP'
import json, sys
c = json.load(open(sys.argv[1]))
c["wireguard"]["loopbackInterface"] = "none"
if sys.argv[3]:
    c["wireguard"]["adopt"] = sys.argv[3].split()
json.dump(c, open(sys.argv[2], "w"))
EOP
	chmod 600 "$1"
}
conf_with "$L/a/owner.json" ""
wgshow() { ina wg show "$@"; }

mkwg wgop 31000
ip -n "$NA" link add xlink0 type veth peer name xlink1
ip -n "$NA" addr add 10.97.0.1/24 dev xlink0
ip -n "$NA" link set xlink0 up
for i in wgop lo xlink0; do snap $i >"$L/$i.snap"; done
oppid=$(wgpid wgop)

write_cp "$S1_UP, $(sess op 4242420003 wgop 20003),
  $(sess lo 4242420004 lo 20004), $(sess veth 4242420005 xlink0 20005),
  $(sess mesh 4242420006 dn42-wg-igp-7 20006)"
start_agent "$L/a/owner.json"
check owner_own_tunnel_active wait_for 60 modified s1 2
check owner_wgop_refused wait_for 30 refused op "wgop exists and was not created by this agent"
check owner_lo_refused wait_for 10 refused lo "interface lo"
check owner_veth_refused wait_for 10 refused veth "xlink0 exists and was not created"
check owner_mesh_name_refused wait_for 10 refused mesh "mesh"
check owner_mesh_name_not_made sh -c "! ip -n $NA link show dn42-wg-igp-7"
check owner_recorded owned dn42_4242420002
none_recorded() { ! owned wgop && ! owned lo && ! owned xlink0; }
check owner_refused_not_recorded none_recorded
mark=$(wc -l <"$L/cp.log")
wait_for 60 syncs_since "$mark" 2
for i in wgop lo xlink0; do
	check owner_${i}_unchanged_after_syncs same $i
done
check owner_wgop_same_process [ "$(wgpid wgop)" = "$oppid" ]
check owner_lo_no_wireguard_go no_wgpid lo
check owner_veth_no_wireguard_go no_wgpid xlink0
check owner_no_peer_file_for_refused sh -c "! ls '$L/a/peers' | grep -q 4242420003"

# Withdrawn (missing) and deleted (status 5): still untouched.
write_cp "$S1_UP, $(sess op 4242420003 wgop 20003 5)"
check owner_delete_reported wait_for 60 modified op 0
mark=$(wc -l <"$L/cp.log")
wait_for 60 syncs_since "$mark" 3
for i in wgop lo xlink0; do
	check owner_${i}_unchanged_after_withdrawal same $i
done
check owner_own_still_established established dn42_4242420002

# A restart keeps knowing its own tunnel; a delete removes it.
stop_agent
start_agent "$L/a/owner.json"
write_cp "$(sess s1 4242420002 dn42_4242420002 20002 5)"
check owner_restart_delete_reported wait_for 60 modified s1 0
no_link() { ! ip -n "$NA" link show "$1" >/dev/null 2>&1; }
check owner_own_removed wait_for 30 no_link dn42_4242420002
not_owned() { ! owned "$1"; }
check owner_record_released wait_for 10 not_owned dn42_4242420002
check owner_wgop_unchanged_after_restart same wgop
stop_agent

# Handed over by the operator: wireguard.adopt.
mkwg wgop2 31002
conf_with "$L/a/adopt.json" wgop2
write_cp "$(sess ho 4242420007 wgop2 20007)"
start_agent "$L/a/adopt.json"
check owner_handed_over_active wait_for 60 modified ho 2
check owner_handed_over_recorded owned wgop2
listen_port() { [ "$(wgshow "$1" listen-port)" = "$2" ]; }
check owner_handed_over_used wait_for 10 listen_port wgop2 20007
stop_agent

# A drop-in: no record; the previous agent's dn42_* WireGuard interface
# is adopted on this first start, an operator's wgop still is not.
rm -f "$STATE" "$L"/a/state/wg-*
mkwg dn42_4242420008 31008
write_cp "$(sess dropin 4242420008 dn42_4242420008 20008),
  $(sess op2 4242420003 wgop 20003)"
: >"$L/cp.log"
start_agent "$L/a/owner.json"
check owner_dropin_adopted wait_for 60 modified dropin 2
check owner_dropin_wgop_refused wait_for 30 refused op2 "wgop exists"
check owner_dropin_wgop_unchanged same wgop
stop_agent
ip -n "$NA" link del dn42_4242420008 2>/dev/null
ip -n "$NA" link del wgop2 2>/dev/null
ip -n "$NA" link del wgop 2>/dev/null
finish
