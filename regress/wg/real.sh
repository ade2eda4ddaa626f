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

# Two network namespaces joined by a veth, wireguard-go in each (with a
# private /run/wireguard through a mount namespace, see LAB.md), both
# ends configured by wgapply, which uses wgctl's rtnl, UAPI and diff
# code.  Checks with the real wg(8) and ping, then that re-applying
# sends nothing, that one changed field sends only that field, and that
# deleting the link ends the tunnel and its wireguard-go.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/regress/lib.sh"
need_root real
for c in wireguard-go wg ping; do
	command -v $c >/dev/null || { skip real "$c not installed"; exit 0; }
done
APPLY=$TOP/regress/wg/wgapply
A=mnt-wg-a-$$ B=mnt-wg-b-$$
L=$(mktemp -d /tmp/mnt-wg.XXXXXX)
PIDS=""

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for ns in $A $B; do ip netns del "$ns" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	rm -rf "$L"
}
trap cleanup EXIT

# Own mount namespace per call, with the namespace's own /run/wireguard.
inns() { ns=$1; shift
	ip netns exec "$ns" sh -c 'mount --bind "$0" /run/wireguard &&
	    exec "$@"' "$L/$ns" "$@"; }
gone() { [ ! -e /proc/$1 ] || grep -q '^[0-9]* ([^)]*) Z' /proc/$1/stat; }
hex() { printf %s "$1" | base64 -d | od -An -tx1 -v | tr -d ' \n'; }
endpoint_is() { inns $A wg show wg0 endpoints | cut -f2 | grep -qxF "$1"; }

mkdir -p /run/wireguard "$L/$A" "$L/$B"
ip netns add $A && ip netns add $B || { fail real_setup "netns"; finish; }
ip link add vethA netns $A type veth peer name vethB netns $B
ip -n $A link set lo up; ip -n $B link set lo up
ip -n $A addr add fd00:ab::1/64 dev vethA nodad
ip -n $B addr add fd00:ab::2/64 dev vethB nodad
ip -n $B addr add fd00:ab::3/64 dev vethB nodad
ip -n $A link set vethA up; ip -n $B link set vethB up
(umask 077; for s in A B; do wg genkey > "$L/key$s"
	wg pubkey < "$L/key$s" > "$L/pub$s"; done; wg genpsk > "$L/psk")
PUBA=$(cat "$L/pubA") PUBB=$(cat "$L/pubB")

for ns in $A $B; do
	WG_PROCESS_FOREGROUND=1 inns $ns wireguard-go wg0 \
	    >"$L/$ns.log" 2>&1 &
	PIDS="$PIDS $!"
	eval "PID_$(echo $ns | cut -d- -f3 | tr ab AB)=$!"
done
for ns in $A $B; do
	wait_for 10 test -S "$L/$ns/wg0.sock" ||
	    { fail real_start "no UAPI socket in $ns"; finish; }
done

applyA() { inns $A "$APPLY" -i wg0 -k "$L/keyA" -l 51820 -m "$1" \
	-a fe80::a/64 -P "$PUBB" -A ::/0,0.0.0.0/0 -e "$2" -K 25 $3; }
applyB() { inns $B "$APPLY" -i wg0 -k "$L/keyB" -l 51820 -m 1400 \
	-a fe80::b/64 -P "$PUBA" -A ::/0,0.0.0.0/0 $1; }

# Only A initiates (LAB.md, handshake race): B has no endpoint and goes first.
applyB > "$L/outB" 2>&1
applyA 1400 "[fd00:ab::2]:51820" > "$L/outA" 2>&1
check real_first_apply_link grep -qx "link addrgenmode none" "$L/outA"
check real_first_apply_mtu_up sh -c "grep -qx 'link mtu 1400' '$L/outA' &&
    grep -qx 'link up' '$L/outA'"
check real_first_apply_addr grep -qx "addr add fe80::a/64" "$L/outA"
check real_first_apply_no_replace sh -c "! grep -q replace_peers '$L/outA'"

dump=$(inns $A wg show wg0 dump)
dev=$(echo "$dump" | sed -n 1p) peer=$(echo "$dump" | sed -n 2p)
check real_wg_show_device test "$(echo "$dev" | cut -f2,3)" = \
    "$(printf '%s\t51820' "$PUBA")"
check real_wg_show_peer test "$(echo "$peer" | cut -f1,3)" = \
    "$(printf '%s\t[fd00:ab::2]:51820' "$PUBB")"
check real_wg_show_allowed sh -c "echo '$peer' | cut -f4 | tr , '\n' |
    sort | tr '\n' ' ' | grep -qx '0.0.0.0/0 ::/0 '"
check real_wg_show_keepalive test "$(echo "$peer" | cut -f8)" = 25
check real_link_addr sh -c "ip -n $A -6 addr show dev wg0 |
    grep -q 'inet6 fe80::a/64'"
check real_link_mtu sh -c "ip -n $A link show wg0 | grep -q 'mtu 1400'"
# addrgenmode none: no kernel-made fe80:: beside ours
check real_link_one_v6 test "$(ip -n $A -6 addr show dev wg0 |
    grep -c inet6)" = 1

check real_ping wait_for 20 ip netns exec $A ping -6 -c1 -W1 fe80::b%wg0
hs1=$(inns $A "$APPLY" -g -i wg0)
check real_handshake_seen sh -c "echo '$hs1' | grep -qv '^handshake 0 '"

# Re-applying the same sends nothing at all.
check real_reapply_A_empty test "$(applyA 1400 '[fd00:ab::2]:51820')" = \
    "changes 0"
check real_reapply_B_empty test "$(applyB)" = "changes 0"
hs2=$(inns $A "$APPLY" -g -i wg0)
check real_handshake_kept test "$(echo "$hs1" | cut -d' ' -f2)" = \
    "$(echo "$hs2" | cut -d' ' -f2)"

# One field changed: only that field is sent.
want=$(printf 'wg:\nset=1\npublic_key=%s\nprotocol_version=1\n%s\n\n%s' \
    "$(hex "$PUBB")" "endpoint=[fd00:ab::3]:51820" "changes 1")
got=$(applyA 1400 "[fd00:ab::3]:51820")
check real_endpoint_only test "$got" = "$want"
check real_endpoint_applied endpoint_is '[fd00:ab::3]:51820'
check real_ping_new_endpoint wait_for 20 ip netns exec $A ping -6 -c1 -W1 \
    fe80::b%wg0

check real_mtu_only test "$(applyA 1380 '[fd00:ab::3]:51820')" = \
    "$(printf 'link mtu 1380\nchanges 1')"
check real_mtu_applied sh -c "ip -n $A link show wg0 | grep -q 'mtu 1380'"

applyB "-S $L/psk" > "$L/outBpsk" 2>&1
want=$(printf 'wg:\nset=1\npublic_key=%s\nprotocol_version=1\n%s\n\n%s' \
    "$(hex "$PUBB")" "preshared_key=<redacted>" "changes 1")
got=$(applyA 1380 "[fd00:ab::3]:51820" "-S $L/psk")
check real_psk_only test "$got" = "$want"
check real_psk_applied test "$(inns $A wg show wg0 preshared-keys |
    cut -f2)" = "$(cat "$L/psk")"
check real_psk_reapply_empty test \
    "$(applyA 1380 '[fd00:ab::3]:51820' "-S $L/psk")" = "changes 0"

# ip link set down drops the IPv6 address; the next apply restores it.
ip -n $A link set wg0 down
got=$(applyA 1380 "[fd00:ab::3]:51820" "-S $L/psk")
check real_down_repaired test "$got" = \
    "$(printf 'link up\naddr add fe80::a/64\nchanges 2')"
check real_ping_after_repair wait_for 20 ip netns exec $A ping -6 -c1 -W1 \
    fe80::b%wg0

# Deleting the link ends wireguard-go.
check real_delete inns $A "$APPLY" -x -i wg0
check real_link_gone sh -c "! ip -n $A link show wg0 >/dev/null 2>&1"
check real_wireguard_go_gone wait_for 10 gone "$PID_A"
finish
