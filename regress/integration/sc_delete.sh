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
# Scenario 3, sourced by run.sh: the control plane queues the session
# between r2 and r3 for deletion, in both routers' lists.  Each side
# removes the tunnel (and so its wireguard-go), the BIRD protocol and
# the peer file, forgets the routes it learnt there and tells the CP
# (modify 0); the other sessions are untouched.

scenario "3 delete: a session is removed, the others stay"
snapshot "$L/snap.delete.all"
grep -v -e "^r2 $(ifname 3) " -e "^r3 $(ifname 2) " "$L/snap.delete.all" \
    >"$L/snap.delete"
wg2=$(wgpid 2 "$(ifname 3)")
wg3=$(wgpid 3 "$(ifname 2)")
cpstate set r2 r2-r3 status=5 + r3 r3-r2 status=5
for i in 2 3; do
	j=$((5 - i)) f=$(ifname $((5 - i)))
	eval "w=\$wg$i"
	expect "it_delete_reported_r$i-r$j" "r$i to send modify 0 for r$i-r$j" \
	    wait_for 40 cplog modified "r$i" "r$i-r$j" 0
	expect "it_delete_link_gone_r$i-r$j" "no interface $f on r$i" \
	    wait_for 10 not link_exists "$i" "$f"
	expect "it_delete_wg_gone_r$i-r$j" \
	    "r$i's wireguard-go for $f (pid ${w:-unknown}) gone" \
	    wait_for 10 known_gone "$w"
	expect "it_delete_protocol_gone_r$i-r$j" "no protocol $f in r$i's BIRD" \
	    not has_protocol "$i" "$f"
	expect "it_delete_file_gone_r$i-r$j" "no $f.conf in r$i's peer dir" \
	    test ! -e "$L/r$i/peers/$f.conf"
	expect "it_delete_routes_gone_r$i-r$j" \
	    "r$i's BIRD without routes to r$j (they came over $f only)" \
	    wait_for 10 not bird_routes "$i" "$j"
done
expect it_delete_others_established "every other BGP session Established" \
    established_in "$L/snap.delete"
no_flap it_delete_others_no_flap "$L/snap.delete"
