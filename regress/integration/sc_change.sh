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
# Scenario 2, sourced by run.sh: the control plane changes one session
# (its MTU and its name, which is the BIRD description).  Exactly that
# changes: the tunnel's MTU, the protocol's description; no tunnel is
# recreated, no BGP session restarts, no handshake is redone, the
# changed session included.  (Sessions carry no import limit: the
# renderer takes limits from the routing policy only.)

scenario "2 change: one session changes, nothing flaps"
snapshot "$L/snap.change"
f=$(ifname 2)
cpstate set r1 r1-r2 mtu=1400 "name=r2 renamed"
expect it_change_mtu "r1's $f at MTU 1400 (was 1420)" \
    wait_for 30 mtu_is 1 "$f" 1400
expect it_change_description "BIRD on r1 describes $f as \"r2 renamed\"" \
    wait_for 30 description_is 1 "$f" "r2 renamed"
# Two more whole syncs: a flap that follows the change would show.
m=$(cplog lines)
expect it_change_synced_after "r1 to fetch its sessions twice more" \
    wait_for 30 fetched 1 $((m + 1)) 2
for i in $(routers); do
	for j in $(peers "$i"); do
		[ "$i$j" = 12 ] && continue
		expect "it_change_mtu_others_r$i-r$j" \
		    "r$i's $(ifname "$j") still at MTU 1420" \
		    mtu_is "$i" "$(ifname "$j")" 1420
	done
done
expect it_change_still_established "every BGP session Established" \
    established_in "$L/snap.change"
no_flap it_change_no_flap "$L/snap.change"
expect it_change_no_error "no modify 6 for r1-r2" \
    not cplog modified r1 r1-r2 6
