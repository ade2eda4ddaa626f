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
# The network's own routers for real: two routers that are both ours,
# each with BIRD and a moenet-agent, one fake control plane listing them
# as mesh and iBGP peers of each other.  Asserts on wireguard-go, BIRD
# (Babel, iBGP), the files, the state and the control plane's log, then
# takes peer 2 away from A's documents while A's agent is stopped: the
# restarted agent still removes what it made.

. "$(dirname "$0")/lab2.sh"

handshake() { "$@" | awk '$2 != 0 { f = 1 } END { exit !f }'; }
has_route() { "$1" show route for "$2" | grep -q "$3"; }
established() { "$1" show protocols "$2" | grep -q Established; }
# wg_has a|b IFACE FIELD TEXT: "wg show" in that router says so.
wg_has() { in$1 wg show "$2" "$3" | grep -q "$4"; }

start_agent a
start_agent b
# The link is made before wireguard-go is configured: wait for the config.
check mesh_tunnel_a wait_for 30 ip -n "$NA" link show dn42-wg-igp-2
check mesh_tunnel_b wait_for 30 ip -n "$NB" link show dn42-wg-igp-1
check mesh_listen_port_a wait_for 20 wg_has a dn42-wg-igp-2 listen-port '^51822$'
check mesh_listen_port_b wait_for 20 wg_has b dn42-wg-igp-1 listen-port '^51821$'
check mesh_allowed_ips wait_for 20 wg_has a dn42-wg-igp-2 allowed-ips 'fe80::/10.*ff00::/8.*172.20.1.0/24.*fd00:4242:7777::/48'
check mesh_keepalive wait_for 20 wg_has a dn42-wg-igp-2 persistent-keepalive '	25$'
check mesh_endpoint wait_for 20 wg_has a dn42-wg-igp-2 endpoints 'fd00:ab::2\]:51821'
check mesh_ll sh -c "ip -n $NA -6 addr show dev dn42-wg-igp-2 | grep -q fe80::998:101:1:1/64"
check mesh_handshake_a wait_for 30 handshake ina wg show dn42-wg-igp-2 latest-handshakes
check mesh_handshake_b wait_for 30 handshake inb wg show dn42-wg-igp-1 latest-handshakes
check mesh_babel_file test -f "$L/a/ibgp/mesh_babel.conf"
check mesh_babel_neighbour wait_for 30 sh -c "birdc -s $L/a/bird.ctl show babel neighbors | grep -q 'fe80::998:101:2:1'"
check mesh_babel_route6_a wait_for 40 has_route birda fd00:4242:7777:101:2::1 mesh_babel
check mesh_babel_route6_b wait_for 40 has_route birdb fd00:4242:7777:101:1::1 mesh_babel
check mesh_babel_route4_b wait_for 20 has_route birdb 172.20.1.1 mesh_babel
check mesh_babel_only_loopbacks sh -c "! birdc -s $L/b/bird.ctl show route protocol mesh_babel | grep -q fd42:"
check mesh_ibgp_files sh -c "test -f $L/a/ibgp/ibgp_2.conf && test -f $L/b/ibgp/ibgp_1.conf"
check mesh_ibgp_rr_client sh -c "grep -q 'rr client' $L/a/ibgp/ibgp_2.conf && ! grep -q 'rr client' $L/b/ibgp/ibgp_1.conf"
check mesh_ibgp_source sh -c "grep -q 'source address fd00:4242:7777:101:1::1;' $L/a/ibgp/ibgp_2.conf"
check mesh_ibgp_established_a wait_for 60 established birda ibgp_2
check mesh_ibgp_established_b wait_for 10 established birdb ibgp_1
check mesh_ibgp_route wait_for 30 has_route birdb fd42:1::1 ibgp_1
check mesh_status_a wait_for 20 mesh_status r1-rr 2 configured
check mesh_status_b wait_for 20 mesh_status r2 1 configured
check mesh_rtt_loopback_a wait_for 30 rtt_reported r1-rr fd00:4242:7777:101:2::1
check mesh_rtt_loopback_b wait_for 30 rtt_reported r2 fd00:4242:7777:101:1::1
check mesh_state_owned grep -q '"tunnels": \[2\]' "$L/a/state/state.json"

# A restart adopts: same wireguard-go, no new handshake, iBGP stays up.
wgpid() { ip netns pids "$1" | while read -r p; do
	case "$(tr '\0' ' ' </proc/$p/cmdline 2>/dev/null)" in
	"wireguard-go $2 "*) echo "$p";; esac; done; }
pid=$(wgpid "$NB" dn42-wg-igp-1)
hs=$(inb wg show dn42-wg-igp-1 latest-handshakes)
stop_agent b
start_agent b
check mesh_restart_state_read wait_for 20 grep -q 'mesh state: 1 tunnel and 1 iBGP file owned' "$L/b/agent.log"
check mesh_restart_synced wait_for 20 sh -c "[ \$(grep -c 'tunnel dn42-wg-igp-1 configured' '$L/b/agent.log') -ge 2 ]"
same_pid() { [ -n "$pid" ] && [ "$(wgpid "$NB" dn42-wg-igp-1)" = "$pid" ]; }
check mesh_restart_same_wg_process same_pid
check mesh_restart_no_handshake_reset [ "$(inb wg show dn42-wg-igp-1 latest-handshakes)" = "$hs" ]
check mesh_restart_still_established established birdb ibgp_1

# Peer 2 leaves A's documents while A's agent is down: the restarted
# agent knows from its state what it made, and takes it away.
stop_agent a
check mesh_stop_keeps_tunnel ip -n "$NA" link show dn42-wg-igp-2
write_cp "" "" "$MESH_B" "$IBGP_B"
start_agent a
check mesh_removed_link wait_for 40 sh -c "! ip -n $NA link show dn42-wg-igp-2 2>/dev/null"
check mesh_removed_wg_process wait_for 10 sh -c "[ -z \"\$(ip netns pids $NA | xargs -r ps -o args= -p | grep '^wireguard-go dn42-wg-igp-2')\" ]"
check mesh_removed_ibgp_file wait_for 20 test ! -e "$L/a/ibgp/ibgp_2.conf"
check mesh_removed_ibgp_protocol wait_for 10 sh -c "! birdc -s $L/a/bird.ctl show protocols ibgp_2 | grep -q BGP"
check mesh_removed_state wait_for 10 grep -q '"tunnels": \[\]' "$L/a/state/state.json"
check mesh_babel_kept test -f "$L/a/ibgp/mesh_babel.conf"

# And while the agent runs: B's peer 1 goes, after removeAfterMissing.
write_cp "" "" "" ""
check mesh_live_removed_link wait_for 40 sh -c "! ip -n $NB link show dn42-wg-igp-1 2>/dev/null"
check mesh_live_removed_ibgp_file wait_for 20 test ! -e "$L/b/ibgp/ibgp_1.conf"
check mesh_live_removed_ibgp_protocol wait_for 10 sh -c "! birdc -s $L/b/bird.ctl show protocols ibgp_1 | grep -q BGP"

if grep -q "$TOKEN" "$L/a/agent.log" "$L/b/agent.log"; then
	fail mesh_token_not_logged "token in an agent's log"
else
	ok mesh_token_not_logged
fi
if [ "$failures" -gt 0 ]; then
	tail -40 "$L/a/agent.log"
	tail -20 "$L/b/agent.log"
fi
finish
