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

# A real bird, in a network namespace of its own, started on the files
# the renderer writes: every protocol their headers name must show up
# in "show protocols", and a re-render must reconfigure to the same set.
# A second bird in a second namespace plays AS4242420003 across a veth:
# the rendered MP-BGP session over link-local (passive on our side) must
# come up and carry IPv4 with an IPv6 next hop (extended next hop).

. "$(dirname "$0")/../lib.sh"

need_root bird_live
for c in bird birdc ip; do
	if ! command -v $c >/dev/null 2>&1; then
		skip bird_live "$c is not installed"
		exit 0
	fi
done

here=$(cd "$(dirname "$0")" && pwd)
render=$here/render_test
ns=mnt-rd-$$
nsb=mnt-rd-$$-b
tmp=$(mktemp -d /tmp/render-live.XXXXXX) || exit 1
sock=$tmp/bird.ctl
pidf=$tmp/bird.pid

# bird stays in the foreground as our child, so we can reap it.
start() {
	ip netns exec "$1" bird -f -c "$2" -s "$3" &
	echo $! >"$4"
	wait_for 5 birdc -s "$3" show status
}
stop() {
	if [ -s "$1" ]; then
		kill "$(cat "$1")" 2>/dev/null
		wait "$(cat "$1")" 2>/dev/null
	fi
}
cleanup() {
	stop "$pidf"
	stop "$tmp/b/bird.pid"
	ip netns del "$ns" 2>/dev/null
	ip netns del "$nsb" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

if ! ip netns add "$ns" 2>/dev/null || ! ip netns add "$nsb" 2>/dev/null
then
	skip bird_live "cannot create network namespaces $ns, $nsb"
	exit 0
fi
ip -n "$ns" link set lo up
ip -n "$nsb" link set lo up
# Our end carries the name the session gives, and our link-local address
# as render_own_ll() computes it; no kernel-made fe80:: beside them.
ip link add dn42_4242420003 netns "$ns" type veth \
    peer name to-a netns "$nsb"
ip -n "$ns" link set dn42_4242420003 addrgenmode none
ip -n "$nsb" link set to-a addrgenmode none
ip -n "$ns" addr add fe80::998:101:4:1/64 dev dn42_4242420003 nodad
ip -n "$nsb" addr add fe80::3/64 dev to-a nodad
ip -n "$ns" link set dn42_4242420003 up
ip -n "$nsb" link set to-a up

mkdir -p "$tmp/peers" "$tmp/ibgp"
cp "$here/bird.conf" "$tmp/bird.conf"
echo 'define MAINTENANCE_MODE = false;' >"$tmp/maintenance.conf"
if ! "$render" -w "$tmp"; then
	fail bird_live_render "render_test -w failed"
	finish
fi

# The protocol names, read back from the files' first lines.
want=$(head -qn1 "$tmp"/peers/*.conf "$tmp"/ibgp/*.conf |
    sed -n 's/^# moenet-agent: [a-z]* [^ ]* protocols //p' | tr ' ' '\n' |
    sort)
check bird_live_headers [ "$(echo "$want" | wc -l)" -eq 14 ]

if ! start "$ns" "$tmp/bird.conf" "$sock" "$pidf"; then
	fail bird_live_start "bird did not start"
	finish
fi

got=$(birdc -s "$sock" show protocols | awk '$2 == "BGP" { print $1 }' |
    sort)
if [ "$got" = "$want" ]; then
	ok bird_live_protocols
else
	fail bird_live_protocols "want [$want] got [$got]"
fi

# The link-local neighbour is scoped to its interface.
out=$(birdc -s "$sock" show protocols all dn42_4242420003)
case $out in
*"Neighbor address: fe80::3%dn42_4242420003"*) ok bird_live_scope ;;
*) fail bird_live_scope "$out" ;;
esac

# The peer, written by hand: it connects, we wait (passive on).
mkdir -p "$tmp/b"
cat >"$tmp/b/bird.conf" <<EOB
router id 192.0.2.3;
protocol device {
}
protocol static {
	ipv4;
	route 172.20.99.0/24 unreachable;
}
protocol static {
	ipv6;
	route fd42:99::/48 unreachable;
}
protocol bgp to_a {
	local as 4242420003;
	neighbor fe80::998:101:4:1%'to-a' as 4242420998;
	source address fe80::3;
	connect delay time 1;
	connect retry time 2;
	ipv4 {
		extended next hop on;
		import all;
		export where source = RTS_STATIC;
	};
	ipv6 {
		import all;
		export where source = RTS_STATIC;
	};
}
EOB
if start "$nsb" "$tmp/b/bird.conf" "$tmp/b/bird.ctl" "$tmp/b/bird.pid"; then
	check bird_live_established wait_for 20 sh -c \
	    'birdc -s "$0" show protocols dn42_4242420003 |
	    grep -q Established' "$sock"
	has_routes() {
		r=$(birdc -s "$sock" show route protocol dn42_4242420003)
		case $r in
		*172.20.99.0/24*"via fe80::3 on dn42_4242420003"*) ;;
		*) return 1 ;;
		esac
		case $r in
		*fd42:99::/48*) return 0 ;;
		esac
		return 1
	}
	if wait_for 10 has_routes; then
		ok bird_live_enh_routes
	else
		fail bird_live_enh_routes "$(birdc -s "$sock" show route \
		    protocol dn42_4242420003)"
	fi
else
	fail bird_live_peer_start "the peer's bird did not start"
fi

# A second render and "configure" keep the same set of protocols.
"$render" -w "$tmp"
out=$(birdc -s "$sock" configure)
case $out in
*"Reconfigured"*) ok bird_live_reconfigure ;;
*) fail bird_live_reconfigure "$out" ;;
esac
got=$(birdc -s "$sock" show protocols | awk '$2 == "BGP" { print $1 }' |
    sort)
check bird_live_protocols_after [ "$got" = "$want" ]

finish
