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
# Scenario 8, sourced by run.sh: the network's own routers (CONTRACT.md,
# "Mesh and iBGP").  r1..r3 are each a network of their own; r4 joins
# r1's (lab_add_member: r1's ASN, loopbacks 172.20.1.4 and
# fd00:4242:7777:101:4::1, no sessions, one veth to r1) with its own
# BIRD and agent.  The CP then lists r1 and r4 in each other's mesh
# document (r1 dials, r4 waits) and iBGP peers.  Both build the mesh
# tunnel, Babel carries the loopbacks over it, iBGP runs between them:
# r4 learns what r1 learnt over eBGP, r1 learns r4's prefixes; r1's
# maintenance reaches r4 over iBGP; both report "configured" to the CP.
# None of r1's eBGP sessions is disturbed.  Then the CP takes each out
# of the other's documents: tunnel, wireguard-go, iBGP file, protocol
# and routes go away, on both.

scenario "8 mesh: r4 joins r1's network, mesh tunnel, Babel and iBGP"
snapshot "$L/snap.mesh"
M=4			# the new router, of r1's network
t1=dn42-wg-igp-$M	# r1's mesh tunnel to it, and its to r1
t4=dn42-wg-igp-1
# r1's eBGP peers now: r4 must learn their prefixes over iBGP.
epeers=
for j in $(peers 1); do
	established 1 "$(ifname "$j")" && epeers="$epeers $j"
done

# wg_field I IF FIELD: "wg show IF FIELD" in router I, the peer's value.
wg_field() { inr "$1" wg show "$2" "$3" 2>/dev/null | cut -f2-; }
wg_port_is() { [ "$(inr "$1" wg show "$2" listen-port 2>/dev/null)" = "$3" ]; }
hs_done() { _h=$(handshake "$1" "$2"); [ -n "$_h" ] && [ "$_h" -gt 0 ]; }
babel_neighbour() {
	bird_cli "$1" show babel neighbors 2>/dev/null | grep -q "^$2 "
}
# route_via I PREFIX PROTO [TEXT]: router I's BIRD has PREFIX from PROTO
# (with TEXT in its attributes).
route_via() {
	_o=$(bird_cli "$1" show route "$2" all protocol "$3" 2>/dev/null |
	    bird_attrs)
	echo "$_o" | grep -q "^$2 .*\[$3 " &&
	    { [ -z "$4" ] || echo "$_o" | grep -q -- "$4"; }
}
proto_up() { bgp_line "$1" "$2" | grep -q ' up '; }
# Babel carries host routes (/32, /128) only, never a prefix of BGP's.
babel_hosts_only() {
	bird_cli "$1" show route protocol mesh_babel 2>/dev/null | awk '
	    $1 ~ /\// { n++; if ($1 !~ /\/(32|128)$/) bad = 1 }
	    END { exit bad || !n }'
}
allowed_is() { [ "$(wg_field "$1" "$2" allowed-ips)" = "$3" ]; }
# kernel_via I ADDR IF: router I's kernel sends ADDR into IF.
kernel_via() {
	case $2 in *:*) _f=-6 ;; *) _f=-4 ;; esac
	ip -n "$(ns "$1")" "$_f" route get "$2" 2>/dev/null | grep -q "dev $3 "
}
# ibgp_ends I J: router I's iBGP session with J runs between their IPv6
# loopbacks, in the network's AS at both ends.
ibgp_ends() {
	_o=$(bird_cli "$1" show protocols all "ibgp_$2" 2>/dev/null)
	echo "$_o" | grep -q "Neighbor address: *$(lo6 "$2")\$" &&
	    echo "$_o" | grep -q "Source address: *$(lo6 "$1")\$" &&
	    echo "$_o" | grep -q "Neighbor AS: *$(asn "$(net "$1")")\$" &&
	    echo "$_o" | grep -q "Local AS: *$(asn "$(net "$1")")\$"
}
# mesh_owned I IDS: router I's state.json (its mesh section) says it owns tunnels and
# iBGP files for IDS (a JSON list).
mesh_owned() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["mesh"]
want = json.loads(sys.argv[2])
sys.exit(0 if d.get("tunnels") == want and d.get("ibgp") == want else 1)' \
	    "$L/r$1/state/state.json" "$2"
}

# The lab's loopbacks (fd00:4242:7777:101:i::1) lie outside fd42:1::/48:
# the network's IPv6 aggregate must hold its routers' loopbacks (as
# MoeNet's fd00:4242:7777::/48 does), or Babel would not carry them and
# iBGP could not reach them.  In full mode nothing else uses it.
cpstate policy r1 dn42Ipv6Prefix=fd00:4242:7777::/48
if ! lab_add_member "$M" 1; then
	fail it_mesh_member_built "r$M could not be built"
	return 0	# to run.sh: nothing below can hold without r4
fi
lab_start_agent "$M"
m=$(cplog lines)
cpstate meshpeer r1 "r$M" "$(cat "$L/r$M/pub")" \
    "[fd00:ab:0:1$M::$M]:$((51820 + 1))"
cpstate meshpeer "r$M" r1 "$(cat "$L/r1/pub")" ""

# The tunnel, as CONTRACT.md describes it, at both ends; r$M with
# wireguard.meshAllowedIps "any", for transit.
for spec in "1 $t1 $M" "$M $t4 1"; do
	i=${spec%% *} f=${spec#* } p=${spec##* }
	f=${f% *}
	agg="fe80::/10 ff00::/8 172.20.1.0/24 fd00:4242:7777::/48"
	[ "$i" = "$M" ] && agg="0.0.0.0/0 ::/0"
	expect "it_mesh_tunnel_r$i" "mesh tunnel $f on r$i" \
	    wait_for 30 link_exists "$i" "$f"
	expect "it_mesh_port_r$i" "r$i's $f listening on $((51820 + p))" \
	    wait_for 10 wg_port_is "$i" "$f" $((51820 + p))
	expect "it_mesh_allowed_r$i" "r$i's $f to allow $agg" \
	    wait_for 20 allowed_is "$i" "$f" "$agg"
	expect "it_mesh_mtu_r$i" "r$i's $f at MTU 1420" mtu_is "$i" "$f" 1420
	expect "it_mesh_keepalive_r$i" "r$i's $f with keepalive 25" \
	    test "$(wg_field "$i" "$f" persistent-keepalive)" = 25
	expect "it_mesh_ll_r$i" "$f on r$i to carry $(ll "$i")/64 only" \
	    wait_for 10 only_ll "$i" "$f"
	expect "it_mesh_handshake_r$i" "a WireGuard handshake on r$i's $f" \
	    wait_for 30 hs_done "$i" "$f"
done
expect it_mesh_endpoint_r1 "r1 to dial r$M at [fd00:ab:0:1$M::$M]:51821" \
    test "$(wg_field 1 "$t1" endpoints)" = "[fd00:ab:0:1$M::$M]:51821"

# Babel: neighbours over the tunnel, each router's loopbacks at the other.
for spec in "1 $M" "$M 1"; do
	i=${spec% *} j=${spec#* }
	expect "it_mesh_babel_up_r$i" "Babel (mesh_babel) up in r$i's BIRD" \
	    wait_for 20 proto_up "$i" mesh_babel
	expect "it_mesh_babel_neighbour_r$i" \
	    "r$i's Babel to list $(ll "$j") as a neighbour" \
	    wait_for 30 babel_neighbour "$i" "$(ll "$j")"
	expect "it_mesh_babel_lo6_r$i" \
	    "r$i's BIRD: $(lo6 "$j")/128 from mesh_babel" \
	    wait_for 40 route_via "$i" "$(lo6 "$j")/128" mesh_babel
	expect "it_mesh_babel_lo4_r$i" \
	    "r$i's BIRD: $(lo4 "$j")/32 from mesh_babel" \
	    wait_for 20 route_via "$i" "$(lo4 "$j")/32" mesh_babel
	expect "it_mesh_babel_hosts_only_r$i" \
	    "r$i's Babel routes all /32 or /128 (loopbacks only)" \
	    babel_hosts_only "$i"
done

# iBGP between the loopbacks.
for spec in "1 $M" "$M 1"; do
	i=${spec% *} j=${spec#* }
	expect "it_mesh_ibgp_file_r$i" "ibgp_$j.conf in r$i's iBGP directory" \
	    wait_for 20 test -f "$L/r$i/ibgp/ibgp_$j.conf"
	expect "it_mesh_ibgp_established_r$i" \
	    "BIRD protocol ibgp_$j Established on r$i" \
	    wait_for 60 established "$i" "ibgp_$j"
done
expect it_mesh_ibgp_ends \
    "r1's ibgp_$M from $(lo6 1) to $(lo6 "$M"), AS $(asn 1) at both ends" \
    ibgp_ends 1 "$M"
# What r1 learnt over eBGP reaches r4 over iBGP, into its kernel.
for j in $epeers; do
	expect "it_mesh_ibgp_learns_ebgp4_r$j" \
	    "r$M's BIRD: $(pfx4 "$j") from ibgp_1, AS path $(asn "$j")" \
	    wait_for 30 route_via "$M" "$(pfx4 "$j")" ibgp_1 \
	    "BGP.as_path: $(asn "$j")\$"
	expect "it_mesh_ibgp_learns_ebgp6_r$j" \
	    "r$M's BIRD: $(pfx6 "$j") from ibgp_1, AS path $(asn "$j")" \
	    wait_for 10 route_via "$M" "$(pfx6 "$j")" ibgp_1 \
	    "BGP.as_path: $(asn "$j")\$"
	expect "it_mesh_ibgp_kernel4_r$j" \
	    "r$M's kernel to send 172.20.$j.1 into $t4" \
	    wait_for 20 kernel_via "$M" "172.20.$j.1" "$t4"
	expect "it_mesh_ibgp_kernel6_r$j" \
	    "r$M's kernel to send fd42:$j::1 into $t4" \
	    wait_for 20 kernel_via "$M" "fd42:$j::1" "$t4"
done
# And r1 learns r4's own prefixes.
expect it_mesh_ibgp_learns_member4 "r1's BIRD: $(pfx4 "$M") from ibgp_$M" \
    wait_for 30 route_via 1 "$(pfx4 "$M")" "ibgp_$M"
expect it_mesh_ibgp_learns_member6 "r1's BIRD: $(pfx6 "$M") from ibgp_$M" \
    wait_for 10 route_via 1 "$(pfx6 "$M")" "ibgp_$M"

# The data plane over the mesh: loopback to loopback.
expect it_mesh_ping4 "ping from $(lo4 "$M") on r$M to $(lo4 1) answered" \
    wait_for 20 ping_from "$M" "$(lo4 "$M")" "$(lo4 1)"
expect it_mesh_ping6 "ping from $(lo6 "$M") on r$M to $(lo6 1) answered" \
    wait_for 20 ping_from "$M" "$(lo6 "$M")" "$(lo6 1)"
# Across mesh and eBGP: r4 to a prefix r1 learnt from r2.  WireGuard
# sends into a mesh tunnel only what its allowed IPs cover: r$M's
# allows any; r1's the network's aggregates, which hold r$M's address.
for j in $epeers; do
	[ "$j" = 2 ] || continue
	expect "it_mesh_ping_transit_r$j" \
	    "ping from $(lo4 "$M") on r$M to 172.20.$j.1 (via r1) answered" \
	    wait_for 20 ping_from "$M" "$(lo4 "$M")" "172.20.$j.1"
done

# Maintenance on r1 reaches r4 over iBGP too (CONTRACT.md: "over eBGP
# and iBGP").
gshut_ibgp() {
	for _j in $epeers; do
		route_via "$M" "$(pfx4 "$_j")" ibgp_1 "BGP.community:.*(65535,0)" ||
		    return 1
	done
}
no_gshut_ibgp() {
	for _j in $epeers; do
		route_via "$M" "$(pfx4 "$_j")" ibgp_1 || return 1
		route_via "$M" "$(pfx4 "$_j")" ibgp_1 "(65535,0)" && return 1
	done
	return 0
}
if [ -n "$epeers" ]; then
	expect it_mesh_maint_on "moenetctl maintenance on to succeed on r1" \
	    ctl 1 maintenance on
	expect it_mesh_maint_over_ibgp \
	    "r$M's routes from ibgp_1 with BGP.community (65535,0) while r1 is in maintenance" \
	    wait_for 20 gshut_ibgp
	expect it_mesh_maint_off "moenetctl maintenance off to succeed on r1" \
	    ctl 1 maintenance off
	expect it_mesh_maint_off_over_ibgp \
	    "r$M's routes from ibgp_1 without (65535,0) once r1 is out of maintenance" \
	    wait_for 20 no_gshut_ibgp
fi

# Reported and remembered.
expect it_mesh_status_r1 "r1 to post mesh/status with \"$M\": \"configured\"" \
    wait_for 20 cplog meshstatus r1 "$M" configured "$((m + 1))"
expect "it_mesh_status_r$M" "r$M to post mesh/status with \"1\": \"configured\"" \
    wait_for 20 cplog meshstatus "r$M" 1 configured "$((m + 1))"
expect it_mesh_state_r1 "r1's state.json to own tunnel and iBGP file $M" \
    mesh_owned 1 "[$M]"
expect "it_mesh_state_r$M" "r$M's state.json to own tunnel and iBGP file 1" \
    mesh_owned "$M" "[1]"
expect it_mesh_ebgp_established "every eBGP session Established" \
    established_in "$L/snap.mesh"
no_flap it_mesh_ebgp_no_flap "$L/snap.mesh" \
    "no eBGP tunnel recreated, no wireguard-go restarted, no eBGP session restarted"

# Out of each other's documents: everything goes, on both.
wg_1=$(wgpid 1 "$t1")
eval "wg_$M=\$(wgpid $M $t4)"
cpstate unmeshpeer r1 "r$M"
cpstate unmeshpeer "r$M" r1
for spec in "1 $t1 $M" "$M $t4 1"; do
	i=${spec%% *} f=${spec#* } j=${spec##* }
	f=${f% *}
	eval "w=\$wg_$i"
	expect "it_mesh_removed_link_r$i" "no interface $f on r$i" \
	    wait_for 40 not link_exists "$i" "$f"
	expect "it_mesh_removed_wg_r$i" \
	    "r$i's wireguard-go for $f (pid ${w:-unknown}) gone" \
	    wait_for 10 known_gone "$w"
	expect "it_mesh_removed_file_r$i" "no ibgp_$j.conf in r$i's iBGP directory" \
	    wait_for 20 test ! -e "$L/r$i/ibgp/ibgp_$j.conf"
	expect "it_mesh_removed_protocol_r$i" "no protocol ibgp_$j in r$i's BIRD" \
	    wait_for 10 not has_protocol "$i" "ibgp_$j"
	expect "it_mesh_removed_state_r$i" "r$i's state.json to own nothing" \
	    wait_for 10 mesh_owned "$i" "[]"
done
for j in $epeers; do
	expect "it_mesh_removed_routes_r$j" \
	    "r$M's BIRD without $(pfx4 "$j") (it came over iBGP only)" \
	    wait_for 10 not route_via "$M" "$(pfx4 "$j")" ibgp_1
done
expect it_mesh_removed_ebgp_established "every eBGP session Established" \
    established_in "$L/snap.mesh"
no_flap it_mesh_removed_ebgp_no_flap "$L/snap.mesh" \
    "no eBGP tunnel recreated, no wireguard-go restarted, no eBGP session restarted"
