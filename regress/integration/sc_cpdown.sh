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
# Scenario 4, sourced by run.sh: the control plane fails for several
# sync periods, three ways in turn (fakecp's faults): HTTP 500 on every
# endpoint, requests that hang past the agent's timeout, a malformed
# session list.  Nothing on any router is torn down or changed.  While it
# is down, a session's MTU changes; once it is back, the agents catch up
# (the change is applied, heartbeats and syncs go through again).

scenario "4 cpdown: the control plane fails, nothing is torn down"
snapshot "$L/snap.cpdown"
for mode in 500 hang malformed; do
	for i in $(routers); do
		eval "mark$i=\$(log_lines $i)"
	done
	if [ "$mode" = malformed ]; then
		cpstate fault sessions malformed
	else
		cpstate fault '*' "$mode"
	fi
	# What the agent must have met at least once (later calls may
	# fail fast on the open circuit breaker instead).
	case $mode in
	500)	want="http_5xx" ;;
	hang)	want="timeout" ;;
	*)	want="session sync: parse" ;;
	esac
	for i in $(routers); do
		eval "m=\$mark$i"
		expect "it_cpdown_${mode}_noticed_r$i" \
		    "r$i to log two failed session syncs (fault $mode)" \
		    wait_for 40 failed_syncs "$i" "$m" 2
		expect "it_cpdown_${mode}_met_r$i" \
		    "r$i to log \"$want\" (fault $mode)" \
		    wait_for 20 log_has "$i" "$m" "$want"
	done
	[ "$mode" = malformed ] && cpstate set r1 r1-r3 mtu=1380
	expect "it_cpdown_${mode}_still_established" \
	    "every BGP session Established (fault $mode)" \
	    established_in "$L/snap.cpdown"
	no_flap "it_cpdown_${mode}_nothing_torn_down" "$L/snap.cpdown"
done
expect it_cpdown_mtu_unchanged_while_down \
    "r1's $(ifname 3) still at MTU 1420 while the session list is malformed" \
    mtu_is 1 "$(ifname 3)" 1420
m=$(cplog lines)
cpstate clear
expect it_cpdown_back_caught_up \
    "r1's $(ifname 3) at MTU 1380, the change made while the CP was down" \
    wait_for 40 mtu_is 1 "$(ifname 3)" 1380
for i in $(routers); do
	expect "it_cpdown_back_synced_r$i" \
	    "r$i to fetch its sessions and send a heartbeat again" \
	    wait_for 30 back_synced "$i" $((m + 1))
done
expect it_cpdown_back_established "every BGP session Established" \
    established_in "$L/snap.cpdown"
no_flap it_cpdown_back_no_flap "$L/snap.cpdown"
