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
# Scenario 5, sourced by run.sh: an agent is stopped with SIGTERM (r1),
# another killed with SIGKILL (r2).  Their children go with them; the
# tunnels and BGP sessions stay up while they are away; restarted, each
# agent adopts what exists: no BGP session reset, no handshake redone,
# no interface or wireguard-go recreated.

scenario "5 restart: agents restart without disturbing anything"
snapshot "$L/snap.restart"
for spec in "1 TERM" "2 KILL"; do
	i=${spec% *} sig=${spec#* }
	p=$(agent_pid "$i")
	kids=$(pgrep -P "$p" | tr '\n' ' ')
	lab_stop_agent "$i" "$sig"
	expect "it_restart_${sig}_children_exit_r$i" \
	    "r$i's agent's children (pids ${kids:-none found}) gone with it" \
	    wait_for 10 kids_gone "$kids"
	if [ "$sig" = TERM ]; then
		expect "it_restart_TERM_exit_0_r$i" \
		    "r$i's agent to exit 0 on SIGTERM (got $agent_status)" \
		    test "$agent_status" = 0
	fi
	expect "it_restart_${sig}_away_established_r$i" \
	    "every BGP session Established while r$i's agent is away" \
	    established_in "$L/snap.restart"
	m=$(cplog lines)
	lab_start_agent "$i"
	expect "it_restart_${sig}_resynced_r$i" \
	    "r$i's new agent to fetch its sessions twice (a whole sync)" \
	    wait_for 30 fetched "$i" $((m + 1)) 2
	for j in $(peers "$i"); do
		[ -f "$L/r$i/peers/$(ifname "$j").conf" ] || continue
		expect "it_restart_${sig}_ctl_r$i-r$j" \
		    "moenetctl on r$i: r$i-r$j active and Established" \
		    wait_for 20 session_is "$i" "r$i-r$j" \
		    's["state"] == "active" and s["bgp"]["state"] == "Established"'
	done
	no_flap "it_restart_${sig}_no_reset_r$i" "$L/snap.restart"
done
