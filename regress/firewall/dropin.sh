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
# The control plane's bootstrap script's router (regress/dropin/node.sh,
# bootstrap mode, the agent as the one file) behind the script's
# iptables: input policy DROP and only its own ports open, no rule for
# established flows, so that neither end's handshake gets through until
# the agent opens the session's port.  The session comes up, the rule is
# iptables' own (iptables-save writes it as netfilter-persistent saves
# it), and a restart adopts it.

LAB_NAME=firewall_dropin
for c in iptables-nft ip6tables-nft iptables-nft-save; do
	if ! command -v $c >/dev/null 2>&1; then
		. "$(dirname "$0")/../lib.sh"
		skip firewall_dropin "$c is not installed (make deps)"
		exit 0
	fi
done
. "$(dirname "$0")/../dropin/node.sh"

innode sh -e -c '
for t in iptables-nft ip6tables-nft; do
	icmp=icmp; [ $t = ip6tables-nft ] && icmp=ipv6-icmp
	$t -P INPUT DROP
	$t -A INPUT -i lo -j ACCEPT
	$t -A INPUT -p tcp --dport 179 -j ACCEPT
	$t -A INPUT -p udp --dport 51820:51829 -j ACCEPT
	$t -A INPUT -p tcp --dport 24368 -j ACCEPT
	$t -A INPUT -p $icmp -j ACCEPT
	$t -A INPUT -p tcp --dport 5479 -j ACCEPT
done' || { fail firewall_dropin_setup "iptables-nft"; finish; }

rules() {
	innode sh -c 'iptables-nft-save; ip6tables-nft-save' | grep -c -- \
	    "-A INPUT -p udp -m udp --dport $NODE_PORT -m comment --comment moenet-dn42-$NODE_PORT -j ACCEPT"
}
has_rules() { [ "$(rules)" = "$1" ]; }

start_node
check firewall_dropin_port_open wait_for 60 has_rules 2
if wait_for 90 established "$PEER_IF"; then
	ok firewall_dropin_established
else
	fail firewall_dropin_established "$(tail -20 "$L/agent.log")"
fi
handshake() {
	innode wg show "$PEER_IF" latest-handshakes | awk '$2 > 0 { n++ }
	    END { exit n != 1 }'
}
check firewall_dropin_handshake handshake
check firewall_dropin_logged node_log "firewall: keeping the tunnels' ports open in ip filter INPUT, ip6 filter INPUT"

stop_node
start_node
check firewall_dropin_restarted wait_for 30 sh -c "grep -c 'all children started' '$L/agent.log' | grep -qx 2"
check firewall_dropin_resynced wait_for 30 sh -c "[ \$(grep -c 'firewall: keeping' '$L/agent.log') -ge 2 ]"
check firewall_dropin_adopted has_rules 2
check firewall_dropin_still_established established "$PEER_IF"

[ "$failures" -gt 0 ] && tail -40 "$L/agent.log"
stop_node
finish
