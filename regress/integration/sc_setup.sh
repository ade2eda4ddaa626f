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
# Scenario 1, sourced by run.sh: every session starts QUEUED in the
# control plane.  Each router must build its tunnels, reach BGP
# Established with its peers over the link-local addresses with MP-BGP
# and extended next hop, learn their prefixes, put them in the kernel,
# and carry pings between the routers' own addresses through the
# tunnels; the CP must hear modify 2 for every session, and heartbeats.

scenario "1 setup: queued sessions come up"
for i in $(routers); do
	for j in $(peers "$i"); do
		f=$(ifname "$j")
		expect "it_setup_reported_r$i-r$j" \
		    "r$i to send modify 2 for session r$i-r$j" \
		    wait_for 60 cplog modified "r$i" "r$i-r$j" 2
		expect "it_setup_tunnel_r$i-r$j" "tunnel $f up on r$i" \
		    wait_for 10 sh -c "ip -n $(ns "$i") link show $f | grep -q UP"
		expect "it_setup_ll_r$i-r$j" \
		    "$f on r$i to carry $(ll "$i")/64 and no other IPv6 address" \
		    only_ll "$i" "$f"
		expect "it_setup_bgp_r$i-r$j" \
		    "BIRD protocol $f Established on r$i" \
		    wait_for 60 established "$i" "$f"
		expect "it_setup_bgp_ll_mp_enh_r$i-r$j" \
		    "r$i's $f from $(ll "$i") to $(ll "$j"), ipv4 and ipv6 announced (MP-BGP) and extended next hop, both channels UP" \
		    bgp_details "$i" "$j"
	done
done
for i in $(routers); do
	for j in $(peers "$i"); do
		f=$(ifname "$j")
		expect "it_setup_routes_r$i-r$j" \
		    "BIRD on r$i: 172.20.$j.1 and fd42:$j::1 via $f" \
		    wait_for 30 bird_routes "$i" "$j"
		expect "it_setup_kernel_r$i-r$j" \
		    "r$i's kernel routes 172.20.$j.1 and fd42:$j::1 into $f" \
		    wait_for 20 kernel_routes "$i" "$j"
		expect "it_setup_ping4_r$i-r$j" \
		    "ping from 172.20.$i.1 on r$i to 172.20.$j.1 answered" \
		    wait_for 20 ping_from "$i" "172.20.$i.1" "172.20.$j.1"
		expect "it_setup_ping6_r$i-r$j" \
		    "ping from fd42:$i::1 on r$i to fd42:$j::1 answered" \
		    wait_for 20 ping_from "$i" "fd42:$i::1" "fd42:$j::1"
		expect "it_setup_ctl_r$i-r$j" \
		    "moenetctl on r$i: r$i-r$j active, BGP Established, routes in" \
		    wait_for 20 session_is "$i" "r$i-r$j" \
		    's["state"] == "active" and s["bgp"]["state"] == "Established" and s["bgp"]["routes_in"]["ipv4"] >= 1 and s["bgp"]["routes_in"]["ipv6"] >= 1'
	done
	expect "it_setup_heartbeat_r$i" "heartbeats from r$i at the CP" \
	    wait_for 15 heartbeats "$i" 1 1
done
