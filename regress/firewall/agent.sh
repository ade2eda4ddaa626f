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
# The whole agent on a router set up as the control plane's bootstrap
# script sets one up (iptables-nft, input policy DROP), in the engine
# lab (regress/engine/lab.sh: a fake control plane, real BIRD and
# wireguard-go): the session's port is opened as its tunnel comes up,
# listed by moenetctl and /status, the previous agent's rule for it
# adopted and its leftover removed,
# a restarted agent adopts its rules, a deleted session closes its port,
# and the operator's rules are the same bytes at the end.

LAB_NAME=firewall
for c in iptables-nft ip6tables-nft nft curl; do
	if ! command -v $c >/dev/null 2>&1; then
		. "$(dirname "$0")/../lib.sh"
		skip firewall_agent "$c is not installed (make deps)"
		exit 0
	fi
done
. "$(dirname "$0")/../engine/lab.sh"

ip netns exec "$NA" sh -e -c '
for t in iptables-nft ip6tables-nft; do
	icmp=icmp; [ $t = ip6tables-nft ] && icmp=ipv6-icmp
	$t -P INPUT DROP
	$t -A INPUT -i lo -j ACCEPT
	$t -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
	$t -A INPUT -p tcp --dport 179 -j ACCEPT
	$t -A INPUT -p udp --dport 51820:51829 -j ACCEPT
	$t -A INPUT -p $icmp -j ACCEPT
	$t -A INPUT -p udp --dport 4999 -m comment \
	    --comment moenet-dn42-4999 -j ACCEPT
done
# The previous agent had opened the session port too, in IPv4 only.
iptables-nft -A INPUT -p udp --dport 20002 -m comment \
    --comment moenet-dn42-20002 -j ACCEPT' || { fail firewall_agent_setup "iptables-nft"; finish; }

norm() {
	ip netns exec "$NA" nft list ruleset 2>/dev/null |
	    sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/' |
	    grep -vE 'udp dport (20002|4999)  counter accept$'
}
norm >"$L/fw.orig"
# rules PORT: ours for PORT in ip and ip6 filter INPUT, as iptables lists
rules() {
	ip netns exec "$NA" sh -c 'iptables-nft -S INPUT; ip6tables-nft -S INPUT' |
	    grep -c -- "-p udp -m udp --dport $1 -m comment --comment moenet-dn42-$1 -j ACCEPT"
}
has_rules() { [ "$(rules "$1")" = "$2" ]; }
ctl() { "$TOP/moenetctl" -s "$L/a/ctl.sock" "$@"; }
status_ports() {
	ip netns exec "$NA" curl -s http://127.0.0.1:24368/status |
	    python3 -c 'import json, sys
f = json.load(sys.stdin)["firewall"]
print(f["state"], ",".join(map(str, f["ports"])), len(f["chains"]))'
}

start_agent
check fw_agent_bgp wait_for 60 established dn42_4242420002
check fw_agent_port_open wait_for 20 has_rules 20002 2
check fw_agent_leftover_removed wait_for 30 has_rules 4999 0
ctl_open() { ctl show firewall | grep -q '^Open: *20002 '; }
ctl_rules() { ctl show firewall | grep -q '^Rules: *1 added, 2 removed$'; }
ctl_chains() {
	ctl show firewall |
	    grep -q '^Chains: *ip filter INPUT, ip6 filter INPUT$'
}
ctl_json() {
	ctl -j show firewall | python3 -c 'import json, sys
assert "20002" in json.load(sys.stdin)["result"]'
}
status_is() { [ "$(status_ports)" = "$1" ]; }
check fw_agent_ctl ctl_open
check fw_agent_previous_adopted ctl_rules
check fw_agent_ctl_chains ctl_chains
check fw_agent_ctl_json ctl_json
check fw_agent_status wait_for 10 status_is "active 20002 2"
ctl show firewall | sed 's/^/# /'
check fw_agent_logged grep -q 'firewall: keeping the tunnels. ports open in ip filter INPUT, ip6 filter INPUT' "$L/a/agent.log"

# Restart: the rules are adopted, none added, none removed.
stop_agent
n=$(wc -l <"$L/a/agent.log")
start_agent
check fw_agent_restart_synced wait_for 30 sh -c "tail -n +$n '$L/a/agent.log' |
    grep -q 'firewall: keeping'"
wait_for 30 sh -c "tail -n +$n '$L/a/agent.log' | grep -q 'mesh'"
check fw_agent_restart_adopted sh -c "! tail -n +$n '$L/a/agent.log' |
    grep -q 'rules\\{0,1\\} added'"
check fw_agent_restart_same has_rules 20002 2

# Delete: the port closes.
write_cp "$(echo "$S1_UP" | sed 's/"status": 4/"status": 5/')"
check fw_agent_delete_reported wait_for 60 modified s1 0
check fw_agent_delete_closed wait_for 20 has_rules 20002 0
check fw_agent_delete_status wait_for 10 status_is "active  2"
norm >"$L/fw.end"
if diff -u "$L/fw.orig" "$L/fw.end" >"$L/fw.diff"; then
	ok fw_agent_operator_rules_unchanged
else
	fail fw_agent_operator_rules_unchanged "$(cat "$L/fw.diff")"
fi
[ "$failures" -gt 0 ] && tail -40 "$L/a/agent.log"
finish
