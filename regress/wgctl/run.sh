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
# /run/wireguard (a bind mount in the mount namespace "ip netns exec"
# makes).  The far end (B) is wireguard-go configured with wg(8); the
# near end (A) is wg_test: the real parent/ports/wg.c and the real sandboxed
# wgctl, which start wireguard-go themselves.  wg_test runs twice: the
# second run is a restarted agent that must adopt, then remove.

. "$(dirname "$0")/../lib.sh"

need_root wgctl
for c in wireguard-go wg ip ping; do
	if ! command -v $c >/dev/null 2>&1; then
		skip wgctl "$c is not installed"
		exit 0
	fi
done
test=$TOP/regress/wgctl/wg_test
[ -x "$test" ] || { fail wgctl "$test not built"; finish; }
[ -x "$AGENT" ] || { fail wgctl "$AGENT not built"; finish; }
id _moenet >/dev/null 2>&1 || { skip wgctl "no user _moenet"; exit 0; }

A=mnt-wc-a-$$ B=mnt-wc-b-$$
L=$(mktemp -d /tmp/mnt-wc.XXXXXX) || exit 1
chmod 755 "$L"
cleanup() {
	# wireguard-go left running in our namespaces, then the namespaces.
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

mkdir -p /run/wireguard "$L/$A" "$L/$B"
mkdir -m 700 "$L/state"
if ! ip netns add $A 2>/dev/null || ! ip netns add $B; then
	skip wgctl "cannot create network namespaces"
	exit 0
fi
ip link add vethA netns $A type veth peer name vethB netns $B
ip -n $A link set lo up; ip -n $B link set lo up
ip -n $A addr add fd00:ab::1/64 dev vethA nodad
ip -n $B addr add fd00:ab::2/64 dev vethB nodad
ip -n $B addr add fd00:ab::3/64 dev vethB nodad
ip -n $A link set vethA up; ip -n $B link set vethB up
# New links start with rp_filter 1: the agent must turn it off.
ip netns exec $A sysctl -qw net.ipv4.conf.default.rp_filter=1
(umask 077; for s in A B C; do wg genkey > "$L/key$s"
	wg pubkey < "$L/key$s" > "$L/pub$s"; done; wg genpsk > "$L/psk")
printf '#!/bin/sh\necho "cannot create $1"\nexit 1\n' > "$L/failwg"
chmod 755 "$L/failwg"
printf '#!/bin/sh\nexec ip netns exec %s sh -c '\''mount --bind "$0" '`
    `'/run/wireguard && exec "$@"'\'' %s "$@"\n' $B "$L/$B" > "$L/peer"
chmod 755 "$L/peer"

# The far end: passive (no endpoint), so that only A initiates.
inns $B wireguard-go wc0 >"$L/b.log" 2>&1 ||
    { fail wgctl_setup "wireguard-go in $B"; finish; }
inns $B wg set wc0 private-key "$L/keyB" listen-port 51820 \
    peer "$(cat "$L/pubA")" allowed-ips ::/0,0.0.0.0/0
ip -n $B link set wc0 addrgenmode none
ip -n $B link set wc0 up
ip -n $B addr add fe80::b/64 dev wc0 nodad

kernel=""
if ip -n $A link add wcprobe type wireguard 2>/dev/null; then
	ip -n $A link del wcprobe
	kernel=1
fi

run() {
	inns $A env WC_DIR="$L" AGENT="$AGENT" WC_PEER="$L/peer" \
	    ${kernel:+WC_KERNEL=1} "$test" "$1" 2>"$L/test$1.log"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "--- wg_test $1 log"
		tail -n 40 "$L/test$1.log"
	fi
	return $rc
}

run 1 || exit 1
# Someone else's address on our tunnel: a restarted agent keeps it.
ip -n $A addr add fd00:77::1/128 dev wc0 nodad
run 2
