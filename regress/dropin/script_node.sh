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
# The control plane's bootstrap script's router comes up unchanged
# (node.sh): no arguments, ./config.json 0644, no _moenet user, the
# agent as one file, the stub bird.conf.  It must fetch its
# configuration, render the whole bird.conf, bring the session to
# Established, report modify 2, heartbeat, answer the bot, stay in the
# foreground as the unit's main process, and survive its restart.

LAB_NAME=script_node
. "$(dirname "$0")/node.sh"

# -n, run as an operator would on that machine: no arguments.
out=$(innode sh -c 'cd /opt/moenet-agent && ./moenet-agent -n' 2>&1)
rc=$?
check node_check_ok [ "$rc" -eq 0 ]
case $out in
*/opt/moenet-agent/config.json*) ok node_check_names_file ;;
*) fail node_check_names_file "$out" ;;
esac

start_node
if ! wait_for 30 node_log "all children started"; then
	fail node_started "$(tail -20 "$L/agent.log")"
	finish
fi
check node_config_used node_log "configuration /opt/moenet-agent/config.json"

# Still the process the unit started, with its children under it.
kids() { ps -o pid= --ppid "$agent_pid" 2>/dev/null; }
check node_foreground kill -0 "$agent_pid"
check node_children_under_it sh -c "[ \$(ps -o pid= --ppid $agent_pid | wc -l) -ge 3 ]"

# The key may not stay readable by others.
check node_config_tightened [ "$(stat -c %a "$R/opt/moenet-agent/config.json")" = 600 ]
check node_config_tightened_said node_log "let group or others read the token it holds; tightened to 0600"

# No _moenet: the children run as an unnamed, unprivileged uid.
bad=
n=0
for p in $(kids); do
	uid=$(awk '/^Uid:/ { print $2 }' "/proc/$p/status")
	case $(cat "/proc/$p/comm") in
	fetcher|birdctl|wgctl) ;;
	*) continue ;;
	esac
	n=$((n + 1))
	if [ "$uid" -eq 0 ] || grep -q "^[^:]*:[^:]*:$uid:" "$R/passwd"; then
		bad="$bad $p:$uid"
	fi
done
check node_children_unprivileged [ "$n" -eq 3 -a -z "$bad" ]
check node_children_said node_log "no user _moenet: the children run as uid"

# The control plane's configuration, then the whole bird.conf.
check node_got_config wait_for 20 cp_seen "/$NODE/config"
main_rendered() { head -1 "$R/etc-bird/bird.conf" | grep -q '^# moenet-agent: bird.conf'; }
if wait_for 60 main_rendered; then
	ok node_bird_conf_rendered
else
	fail node_bird_conf_rendered "$(tail -30 "$L/agent.log")"
fi
check node_stub_kept cmp -s "$L/bird.conf.stub" "$R/varlib/moenet-agent/bird.conf.orig"
check node_router_id sh -c "main_rendered_ok() { :; }; head -1 '$R/etc-bird/bird.conf' | grep -q '^# moenet-agent: bird.conf' && grep -q '^router id $NODE_LB4;' '$R/etc-bird/bird.conf'"
check node_blacklist_untouched grep -q -- '-> bool' "$R/etc-bird/blacklist.conf"
check node_local_file test -f "$R/etc-bird/local.conf"
check node_template_defined nbirdc show protocols

# The session: Established, reported, the peer's routes in.
if wait_for 90 established "$PEER_IF"; then
	ok node_established
else
	fail node_established "$(nbirdc show protocols all "$PEER_IF" 2>&1 | tail -5)"
fi
check node_modify_2 wait_for 30 modified "$UUID" 2
check node_no_problem_reported sh -c "! modified $UUID 6"
check node_heartbeat wait_for 40 cp_seen "/heartbeat"
route_from_peer() { nbirdc show route for fd42:2::1 | grep -q "$PEER_IF"; }
check node_route_from_peer wait_for 30 route_from_peer
own_at_peer() { birdc -s "$L/p/bird.ctl" show route for 172.22.188.1 | grep -q moenet; }
check node_aggregate_at_peer wait_for 30 own_at_peer

# The bot, from outside, as packages/bot calls a node.
status_json() {
	ip netns exec "$NP" curl -s --max-time 3 \
	    -H "Authorization: Bearer $TOKEN" http://203.0.113.1:24368/status
}
bot_status() {
	status_json | python3 -c 'import json, sys
d = json.load(sys.stdin)
assert d["status"] == "ok", d.get("status")
assert isinstance(d["maintenance_mode"], bool)
assert isinstance(d["uptime"], int) and isinstance(d["version"], str)'
}
if wait_for 10 bot_status; then
	ok node_bot_status
else
	fail node_bot_status "$(status_json | head -c 300)"
fi

# since: when the session came up, in ms.  BIRD's display of the same
# instant moves by tens of ms with its load; a restart moves it by
# seconds.
since() {
	date -d "$(nbirdc show protocols \
	    "$PEER_IF" | awk -v p="$PEER_IF" '$1 == p {
		print ($5 ~ /^[0-9]+-/) ? $5 " " $6 : $5 }')" +%s%3N
}
same_since() { _d=$(( $(since) - $1 )); [ "$_d" -ge -500 ] && [ "$_d" -le 500 ]; }

# The bot's other calls, as packages/bot makes them, from outside.
# bot METHOD PATH [BODY [TOKEN]]: the status code, the body in $L/bot.out
bot() {
	ip netns exec "$NP" curl -s --max-time 15 -o "$L/bot.out" \
	    -w '%{http_code}' -X "$1" -H "Authorization: Bearer ${4-$TOKEN}" \
	    -H 'Content-Type: application/json' ${3:+--data-binary "$3"} \
	    "http://203.0.113.1:24368$2"
}
# code_is CODE METHOD PATH [BODY [TOKEN]]
code_is() { _want=$1; shift; [ "$(bot "$@")" = "$_want" ]; }
# field EXPR: a Python expression over the last body, d, is true
field() { python3 -c "import json, sys; d = json.load(open('$L/bot.out')); sys.exit(0 if ($1) else 1)"; }
check node_bot_maintenance_get code_is 200 GET /maintenance
check node_bot_maintenance_shape field 'd["maintenance_mode"] is False and d["entered_at"] is None'
t0=$(date +%s%N)
code=$(bot POST /maintenance/start)
t1=$(date +%s%N)
check node_bot_maintenance_start sh -c "[ '$code' -ge 200 ] && [ '$code' -lt 300 ] && [ $(( (t1 - t0) / 1000000 )) -lt 3000 ]"
check node_maintenance_in_bird wait_for 15 grep -q 'MAINTENANCE_MODE = true' "$R/etc-bird/maintenance.conf"
check node_bot_maintenance_on code_is 200 GET /status
check node_bot_maintenance_on_shape field 'd["maintenance_mode"] is True'
code=$(bot POST /maintenance/stop)
check node_bot_maintenance_stop sh -c "[ '$code' -ge 200 ] && [ '$code' -lt 300 ]"
check node_maintenance_off wait_for 15 grep -q 'MAINTENANCE_MODE = false' "$R/etc-bird/maintenance.conf"
check node_bot_peer code_is 200 GET /peer/$PEER_IF
check node_bot_peer_shape field 'd["peer_name"] == "'$PEER_IF'" and d["bgp_status"] and "rx" in d["transfer"]'
# The handshake is read with the statistics, once a metrics period.
peer_handshake() { code_is 200 GET /peer/$PEER_IF && field 'd["last_handshake"] != "never"'; }
check node_bot_peer_handshake wait_for 70 peer_handshake
check node_bot_route code_is 200 POST /route '{"target": "fd42:2::1"}'
check node_bot_route_text field '"fd42:2::/48" in d["result"]'
check node_bot_path code_is 200 POST /path '{"target": "fd42:2::/48"}'
check node_bot_path_text field '"'$PEER_AS'" in d["result"]'
check node_bot_community code_is 200 GET /community
check node_bot_community_shape field 'd["total_routes"] >= 1 and isinstance(d["latency_distribution"], dict)'
check node_bot_ping code_is 200 POST /ping '{"target": "203.0.113.2"}'
check node_bot_ping_text field '" 0% packet loss" in d["result"]'
check node_bot_tcping code_is 200 POST /tcping '{"target": "203.0.113.2:179"}'
check node_bot_tcping_text field '"203.0.113.2" in d["result"]'
check node_bot_no_token code_is 401 POST /route '{"target": "fd42:2::1"}' ''
for t in '; reboot' '$(id)' 'fd42:2::1\nshow status' '-c 1000' "'fd42:2::1'" \
    "$(printf '%0300d' 1)"; do
	body=$(python3 -c 'import json, sys; print(json.dumps({"target": sys.argv[1]}))' "$t")
	code=$(bot POST /route "$body")
	[ "$code" = 400 ] || fail node_bot_injection "$t: $code"
done
ok node_bot_injection_refused
# /restart: the session starts again; unknown names restart nothing.
s1=$(since)
check node_bot_restart_unknown code_is 404 POST /restart '{"peer_name": "dn42_4242429999"}'
check node_bot_restart code_is 200 POST /restart "{\"peer_name\": \"$PEER_IF\"}"
restarted() { ! same_since "$s1"; }
check node_bot_restarted wait_for 20 restarted
check node_bot_up_again wait_for 60 established "$PEER_IF"

# A restart as Restart=always does it: the session does not flap.
s0=$(since)
stop_node
check node_stop_status_0 [ "$node_rc" -eq 0 ]
check node_still_established_alone established "$PEER_IF"
start_node
check node_restarted wait_for 30 sh -c "grep -c 'all children started' '$L/agent.log' | grep -qx 2"
n0=$(grep -c 'reconfiguring BIRD' "$L/agent.log")
check node_synced_again wait_for 30 sh -c "[ \$(grep -c 'GET [^ ]*/sessions\\|/sessions' '$L/cp.log') -ge 2 ]"
check node_no_flap same_since "$s0"

[ "$failures" -gt 0 ] && tail -40 "$L/agent.log"
stop_node
finish
