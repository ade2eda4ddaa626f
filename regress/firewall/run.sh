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
# Two network namespaces joined by a veth, each with its own
# /run/wireguard.  A is the router: an input policy that drops, set up
# as the control plane's bootstrap script does (iptables-nft), then as
# plain nftables, then none at all.  B is a peer, wireguard-go set up
# with wg(8), that initiates: over IPv4 to the iptables-nft router, over
# IPv6 to the nftables one.  fw_test runs one agent life per step.

. "$(dirname "$0")/../lib.sh"

need_root firewall
for c in wireguard-go wg ip nft iptables-nft ip6tables-nft; do
	if ! command -v $c >/dev/null 2>&1; then
		skip firewall "$c is not installed (make deps)"
		exit 0
	fi
done
test=$TOP/regress/firewall/fw_test
[ -x "$test" ] || { fail firewall "$test not built"; finish; }
[ -x "$AGENT" ] || { fail firewall "$AGENT not built"; finish; }
id _moenet >/dev/null 2>&1 || { skip firewall "no user _moenet"; exit 0; }

A=fw-a-$$ B=fw-b-$$
PORT=$((42000 + $$ % 1000))
L=$(mktemp -d /tmp/fw.XXXXXX) || exit 1
chmod 755 "$L"
cleanup() {
	for ns in $A $B; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -9 "$p" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$L"
}
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM

inns() { ns=$1; shift
	ip netns exec "$ns" sh -c 'mount --bind "$0" /run/wireguard &&
	    exec "$@"' "$L/$ns" "$@"; }

mkdir -p /run/wireguard "$L/$A" "$L/$B" "$L/empty"
mkdir -m 700 "$L/state"
if ! ip netns add $A 2>/dev/null || ! ip netns add $B; then
	skip firewall "cannot create network namespaces"
	exit 0
fi
ip link add vethA netns $A type veth peer name vethB netns $B
ip -n $A link set lo up; ip -n $B link set lo up
ip -n $A addr add fd00:f1::1/64 dev vethA nodad
ip -n $B addr add fd00:f1::2/64 dev vethB nodad
ip -n $A addr add 10.251.$(($$ % 250)).1/24 dev vethA
ip -n $B addr add 10.251.$(($$ % 250)).2/24 dev vethB
ip -n $A link set vethA up; ip -n $B link set vethB up
(umask 077; for s in A B; do wg genkey > "$L/key$s"
	wg pubkey < "$L/key$s" > "$L/pub$s"; done)
printf '#!/bin/sh\nexec ip netns exec %s "$@"\n' $B > "$L/peer"
chmod 755 "$L/peer"

# The peer, fresh: it has never had a handshake.  Each phase has its
# own source port (the router's conntrack remembers the last one's flow)
# and its own family: peer_up PORT ENDPOINT.
peer_up() {
	ip -n $B link del fw0 2>/dev/null
	inns $B wireguard-go fw0 >"$L/b.log" 2>&1 || return 1
	inns $B wg set fw0 private-key "$L/keyB" listen-port $1 \
	    peer "$(cat "$L/pubA")" endpoint "$2:$PORT" \
	    allowed-ips ::/0 persistent-keepalive 1 &&
	ip -n $B link set fw0 up
}

run() {
	inns $A env ${FW_CONF_MODE:+FW_CONF_MODE=$FW_CONF_MODE} FW_DIR="$L" AGENT="$AGENT" FW_PEER="$L/peer" \
	    FW_PORT="$PORT" FW_MODE="$1" "$test" "$2" 2>"$L/$1-$2.log"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "--- fw_test $1 $2 log"
		tail -n 30 "$L/$1-$2.log"
	fi
	return $rc
}

norm() {
	ip netns exec $A nft list ruleset 2>/dev/null |
	    sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/'
}

# The bootstrap script's router, with a rule of the previous agent's
# (4999, ours by contract) and one whose comment only starts like ours.
ip netns exec $A sh -e -c '
for t in iptables-nft ip6tables-nft; do
	icmp=icmp; [ $t = ip6tables-nft ] && icmp=ipv6-icmp
	$t -P INPUT DROP
	$t -A INPUT -i lo -j ACCEPT
	$t -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
	$t -A INPUT -p tcp --dport 179 -j ACCEPT
	$t -A INPUT -p udp --dport 51820:51829 -j ACCEPT
	$t -A INPUT -p tcp --dport 24368 -j ACCEPT
	$t -A INPUT -p $icmp -j ACCEPT
	$t -A INPUT -p tcp --dport 5479 -j ACCEPT
	$t -A INPUT -p udp --dport 4999 -m comment \
	    --comment moenet-dn42-4999 -j ACCEPT
	$t -A INPUT -p udp --dport 5000 -m comment \
	    --comment "moenet-dn42-5000 keep" -j ACCEPT
done
nft add table inet other
nft add chain inet other input "{ type filter hook input priority 10; policy accept; }"
nft add rule inet other input udp dport 6000 counter accept comment \"moenet-dn42-6000\"
' || { fail firewall_setup "iptables-nft"; finish; }
norm | grep -v 4999 > "$L/ipt.orig"

peer_up 51820 10.251.$(($$ % 250)).1 || { fail firewall_setup "wireguard-go in $B"; finish; }
run iptables closed && run iptables open && run iptables restart &&
    run iptables remove
# firewall.mode nftables on this router: none of its chains.
FW_CONF_MODE=nftables run iptables unused
norm > "$L/ipt.end"
if diff -u "$L/ipt.orig" "$L/ipt.end" >"$L/ipt.diff"; then
	ok fw_iptables_ruleset_restored
else
	fail fw_iptables_ruleset_restored "$(cat "$L/ipt.diff")"
fi

# Plain nftables.
ip netns exec $A nft -f - <<EOT || { fail firewall_setup "nft"; finish; }
flush ruleset
table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		iif lo accept
		ct state established,related accept
		meta l4proto { icmp, ipv6-icmp } accept
		tcp dport 179 accept
		udp dport 4999 counter accept comment "moenet-dn42-4999"
		udp dport 5000 counter accept comment "moenet-dn42-5000 keep"
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
	}
}
table inet other {
	chain input {
		type filter hook input priority 10; policy accept;
		udp dport 6000 counter accept comment "moenet-dn42-6000"
	}
}
EOT
norm | grep -v 4999 > "$L/nft.orig"
peer_up 51821 "[fd00:f1::1]" || { fail firewall_setup "wireguard-go in $B"; finish; }
run nftables closed && run nftables open && run nftables restart &&
    run nftables remove
FW_CONF_MODE=iptables-nft run nftables unused
norm > "$L/nft.end"
if diff -u "$L/nft.orig" "$L/nft.end" >"$L/nft.diff"; then
	ok fw_nftables_ruleset_restored
else
	fail fw_nftables_ruleset_restored "$(cat "$L/nft.diff")"
fi

# Neither: an empty ruleset stays empty.
ip netns exec $A nft flush ruleset
run none unused
if [ "$(grep -c 'nothing to open' "$L/none-unused.log")" = 1 ]; then
	ok fw_unused_said_once
else
	fail fw_unused_said_once "$(cat "$L/none-unused.log")"
fi
finish
