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

# Sourced by regress/integration/run.sh (LAB_CHECKS) after its scenarios,
# under a kernel with WireGuard and dummy (regress/vm/kernel.sh): every
# tunnel left is a kernel WireGuard link, every router's loopback
# addresses are on dummy0, and no wireguard-go ran, ever.

scenario "kernel"
# kernel_wg I IF: router I's IF is a kernel WireGuard link.
kernel_wg() {
	ip -n "$(ns "$1")" -d -o link show "$2" 2>/dev/null |
	    grep -q ' wireguard '
}
# on_dummy I: router I's loopbacks are on dummy0.
on_dummy() {
	_a=$(ip -n "$(ns "$1")" -o addr show dev dummy0 2>/dev/null)
	echo "$_a" | grep -q " $(lo4 "$1")/32 " &&
	    echo "$_a" | grep -q " $(lo6 "$1")/128 "
}
for i in $(routers); do
	for j in $(peers "$i"); do
		link_exists "$i" "$(ifname "$j")" || continue
		expect "vm_kernel_link_r$i-r$j" \
		    "$(ifname "$j") on r$i a kernel WireGuard link" \
		    kernel_wg "$i" "$(ifname "$j")"
	done
	expect "vm_dummy0_r$i" "r$i's loopbacks on dummy0" on_dummy "$i"
done
expect vm_no_wireguard_go_started "no wireguard-go started by any agent" \
    test ! -e "$L/wireguard-go.called"
expect vm_no_wireguard_go_running "no wireguard-go process in the guest" \
    not pgrep -x wireguard-go
