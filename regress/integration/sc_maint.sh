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
# Scenario 7, sourced by run.sh: maintenance (RFC 8326) on r1, twice:
# switched on with "moenetctl maintenance on" and off through the local
# HTTP API with the control plane's token (the CP's own path, CONTRACT.md),
# then on through the API and off with moenetctl.  While on, every peer
# of r1 sees GRACEFUL_SHUTDOWN (65535, 0) on the routes it learns from
# r1 (asked of the peer's own BIRD), and only on those; r1's moenetctl,
# its HTTP API and its heartbeat to the CP say so.  Off, the community is
# gone at every peer.  No BGP session restarts, no tunnel is touched.

scenario "7 maint: maintenance on r1, GRACEFUL_SHUTDOWN at its peers"
snapshot "$L/snap.maint"
# The peers r1 has a session with now (an earlier scenario may have
# deleted some sessions, none of r1's so far).
mpeers=
for j in $(peers 1); do
	established "$j" "$(ifname 1)" && mpeers="$mpeers $j"
done
expect it_maint_has_peers "r1 to have an Established session (got:${mpeers:- none})" \
    test -n "$mpeers"

# gshut_at J I: router J's BIRD has both of router I's prefixes from its
# session with I, and both carry (65535,0).  no_gshut_at: both there,
# neither carries it.
route_at() {
	bird_cli "$1" show route "$3" all protocol "$(ifname "$2")" \
	    2>/dev/null | bird_attrs
}
gshut_at() {
	for _p in "$(pfx4 "$2")" "$(pfx6 "$2")"; do
		route_at "$1" "$2" "$_p" |
		    grep -q 'BGP.community:.*(65535,0)' || return 1
	done
}
no_gshut_at() {
	for _p in "$(pfx4 "$2")" "$(pfx6 "$2")"; do
		_o=$(route_at "$1" "$2" "$_p")
		echo "$_o" | grep -q 'BGP.as_path:' || return 1
		echo "$_o" | grep -q '(65535,0)' && return 1
	done
	return 0
}
# maint_json I BOOL: moenetctl -j show status of router I says BOOL.
maint_json() {
	ctl "$1" -j show status 2>/dev/null | python3 -c '
import json, sys
sys.exit(0 if json.load(sys.stdin)["maintenance"] is (sys.argv[1] == "true")
         else 1)' "$2"
}
# maint_api I BOOL: GET /maintenance of router I's HTTP API says BOOL.
maint_api() {
	inr "$1" curl -s --max-time 5 http://localhost:24368/maintenance \
	    2>/dev/null | python3 -c '
import json, sys
sys.exit(0 if json.load(sys.stdin)["maintenance"] is (sys.argv[1] == "true")
         else 1)' "$2"
}
maint_file_is() {
	[ "$(cat "$L/r$1/maintenance.conf")" = "define MAINTENANCE_MODE = $2;" ]
}
# hb_maint I FROM BOOL: router I's last heartbeat since cp.log line FROM
# says BOOL.
hb_maint() { [ "$(cplog maintenance "r$1" "$2")" = "$3" ]; }
# maint_switch I on|off ctl|api: switch, print what went wrong.
maint_switch() {
	case $3 in
	ctl)	ctl "$1" maintenance "$2" 2>&1 ;;
	api)	[ "$2" = on ] && _a=start || _a=stop
		_c=$(inr "$1" curl -s --max-time 10 -o /dev/null \
		    -w '%{http_code}' -X POST \
		    -H "Authorization: Bearer $TOKEN" \
		    "http://localhost:24368/maintenance/$_a" 2>&1)
		[ "$_c" = 200 ] || { echo "HTTP $_c"; return 1; } ;;
	esac
}

for j in $mpeers; do
	expect "it_maint_off_before_r$j" \
	    "r$j to have r1's routes without (65535,0) before maintenance" \
	    wait_for 10 no_gshut_at "$j" 1
done

for round in "ctl api" "api ctl"; do
	on=${round% *} off=${round#* }
	m=$(cplog lines)
	if out=$(maint_switch 1 on "$on"); then
		ok "it_maint_on_${on}_accepted"
	else
		fail "it_maint_on_${on}_accepted" "maintenance on through $on: $out"
	fi
	expect "it_maint_on_${on}_file" \
	    "r1's maintenance file to say MAINTENANCE_MODE = true" \
	    maint_file_is 1 true
	for j in $mpeers; do
		expect "it_maint_on_${on}_seen_at_r$j" \
		    "r$j's BIRD: $(pfx4 1) and $(pfx6 1) from r1 with BGP.community (65535,0)" \
		    wait_for 20 gshut_at "$j" 1
		expect "it_maint_on_${on}_only_r1_r$j" \
		    "r1's BIRD: r$j's routes without (65535,0) (r$j is not in maintenance)" \
		    no_gshut_at 1 "$j"
	done
	expect "it_maint_on_${on}_status" \
	    "moenetctl -j show status on r1: \"maintenance\": true" \
	    maint_json 1 true
	expect "it_maint_on_${on}_api" \
	    "GET /maintenance on r1: \"maintenance\": true (rendered every 2 s)" \
	    wait_for 5 maint_api 1 true
	expect "it_maint_on_${on}_heartbeat" \
	    "r1's next heartbeat to the CP with status.maintenance true" \
	    wait_for 20 hb_maint 1 $((m + 1)) true
	expect "it_maint_on_${on}_established" "every BGP session Established" \
	    established_in "$L/snap.maint"
	no_flap "it_maint_on_${on}_no_reset" "$L/snap.maint"

	m=$(cplog lines)
	if out=$(maint_switch 1 off "$off"); then
		ok "it_maint_off_${off}_accepted"
	else
		fail "it_maint_off_${off}_accepted" "maintenance off through $off: $out"
	fi
	expect "it_maint_off_${off}_file" \
	    "r1's maintenance file to say MAINTENANCE_MODE = false" \
	    maint_file_is 1 false
	for j in $mpeers; do
		expect "it_maint_off_${off}_gone_at_r$j" \
		    "r$j's BIRD: $(pfx4 1) and $(pfx6 1) from r1, (65535,0) gone" \
		    wait_for 20 no_gshut_at "$j" 1
	done
	expect "it_maint_off_${off}_status" \
	    "moenetctl -j show status on r1: \"maintenance\": false" \
	    maint_json 1 false
	expect "it_maint_off_${off}_api" \
	    "GET /maintenance on r1: \"maintenance\": false (rendered every 2 s)" \
	    wait_for 5 maint_api 1 false
	expect "it_maint_off_${off}_heartbeat" \
	    "r1's next heartbeat to the CP with status.maintenance false" \
	    wait_for 20 hb_maint 1 $((m + 1)) false
	expect "it_maint_off_${off}_established" "every BGP session Established" \
	    established_in "$L/snap.maint"
	no_flap "it_maint_off_${off}_no_reset" "$L/snap.maint"
done
