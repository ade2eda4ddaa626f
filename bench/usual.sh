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
# The usual way, the first baseline: what an operator does by hand for
# each session read from stdin (interface, listen port, peer key, peer
# link-local address, ASN; tab separated): wireguard-go, wg set, ip addr,
# ip link, the BIRD file, and at the end one birdc configure.  Run in
# the lab's namespace by bench.py.  BENCH_WG=kernel: ip link add ...
# type wireguard instead of wireguard-go.
#
#	usual.sh KEYFILE PEERDIR BIRDSOCKET <sessions.tsv

key=$1 peers=$2 ctl=$3
ll=fe80::998:101:4:1
while read -r ifn port pub peer asn; do
	if [ "$BENCH_WG" = kernel ]; then
		ip link add dev "$ifn" type wireguard || exit 1
	else
		wireguard-go "$ifn" || exit 1
	fi
	wg set "$ifn" private-key "$key" listen-port "$port" \
	    peer "$pub" allowed-ips 0.0.0.0/0,::/0 || exit 1
	ip link set dev "$ifn" addrgenmode none || exit 1
	ip addr add "$ll/64" dev "$ifn" || exit 1
	ip link set dev "$ifn" mtu 1420 up || exit 1
	printf 'protocol bgp dn42_%s from dn42_peer {\n\tneighbor %s%%%s as %s;\n\tsource address %s;\n\tpassive on;\n}\n' \
	    "$asn" "$peer" "$ifn" "$asn" "$ll" >"$peers/dn42_$asn.conf.tmp" &&
	    mv "$peers/dn42_$asn.conf.tmp" "$peers/dn42_$asn.conf" || exit 1
done
birdc -s "$ctl" configure | grep -q 'Reconfigured'
