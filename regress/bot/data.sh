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
#
# The bot's node API against real agents: three routers of the
# integration lab (regress/integration/lab.sh: real BIRD 2,
# wireguard-go, the fake control plane), r2 exporting its routes with
# DN42 communities.  Every call as the control plane's bot makes it,
# with its agent key as the bearer, checked for the fields and types
# the bot reads; bad arguments and injection attempts get 400 and reach
# nothing; no token gets 401; /restart resets its one session only.

LAB_N=3
. "$(dirname "$0")/../integration/lab.sh"
# Names of this test's own.
NS_CP=bot-data-cp-$$
ns() { echo "bot-data-r$1-$$"; }

need_root bot-data
missing=$(lab_missing)
if [ -n "$missing" ]; then
	skip bot-data "not installed: $missing(make deps)"
	exit 0
fi
if ! getent passwd _moenet >/dev/null; then
	skip bot-data "no _moenet user (make user)"
	exit 0
fi
. "$(dirname "$0")/data_lib.sh"

if ! lab_up; then
	fail data_lab_up "the lab could not be built"
	finish
fi
# r2 tags what it exports: latency tier 2, 100 Mbit/s, encrypted, as-e.
sed -i 's/^\tif MAINTENANCE_MODE then/\tbgp_community.add((64511, 3)); bgp_community.add((64511, 24));\n\tbgp_community.add((64511, 33)); bgp_community.add((64511, 52));\n&/' \
    "$L/r2/bird.conf"
bird_cli 2 configure >/dev/null
for i in $(routers); do
	lab_start_agent "$i"
done

R2=$(ifname 2) R3=$(ifname 3)
both_up() { established 1 "$R2" && established 1 "$R3"; }
expect data_established "r1's sessions with r2 and r3 Established" \
    wait_for 120 both_up
expect data_routes "r1 has r2's routes" wait_for 30 bird_routes 1 2

# /status: what makes the bot show the node online.
expect data_status_ok "/status with status \"ok\"" wait_for 30 call_is 1 \
    GET /status "" - 200 'd["status"] == "ok" and d["peer_count"] == 2'
bot_check data_status_fields 1 GET /status "" "" 200 \
    'd["status"] == "ok" and d["maintenance_mode"] is False and
     type(d["uptime"]) is int and isinstance(d["version"], str) and
     d["peer_count"] == 2 and d["reasons"] == [] and "sessions" in d'
bot_check data_health 1 GET /health "" - 200 'd == {"status": "ok"}'
bot_check data_maint_get 1 GET /maintenance "" - 200 \
    'd["maintenance_mode"] is False and d["entered_at"] is None'

# Maintenance: any 2xx within the bot's 3 s, idempotent.
t=$(date +%s%N)
st=$(api 1 POST /maintenance/start)
el=$((($(date +%s%N) - t) / 1000000))
check data_maint_start test "$st" -ge 200 -a "$st" -lt 300 -a "$el" -lt 3000
bot_check data_maint_state 1 GET /maintenance "" - 200 \
    'd["maintenance_mode"] is True and isinstance(d["entered_at"], str) and
     d["entered_at"].endswith("Z")'
bot_check data_maint_again 1 POST /maintenance/start "" "" 200
bot_check data_maint_status 1 GET /status "" - 200 \
    'd["maintenance_mode"] is True'
t=$(date +%s%N)
st=$(api 1 POST /maintenance/stop)
el=$((($(date +%s%N) - t) / 1000000))
check data_maint_stop test "$st" -ge 200 -a "$st" -lt 300 -a "$el" -lt 3000
expect data_maint_off "maintenance off again" wait_for 10 call_is 1 \
    GET /maintenance "" - 200 'd["maintenance_mode"] is False'
# BIRD stopped in its tracks: the switch is still answered in time (202),
# and done once BIRD goes on.
bp=$(cat "$L/r1/bird.pid")
kill -STOP "$bp"
t=$(date +%s%N)
st=$(api 1 POST /maintenance/start)
el=$((($(date +%s%N) - t) / 1000000))
kill -CONT "$bp"
check data_maint_slow_bird test "$st" = 202 -a "$el" -lt 3000
expect data_maint_slow_done "maintenance on once BIRD went on" wait_for 20 \
    call_is 1 GET /maintenance "" - 200 'd["maintenance_mode"] is True'
expect data_maint_slow_off "maintenance off again" wait_for 20 call_is 1 \
    POST /maintenance/stop "" "" 200

# /peer/<name>: the peer card, by protocol, interface or uuid.
PEERX='isinstance(d["peer_name"], str) and d["bgp_status"] == "Established"
     and isinstance(d["wg_status"], str) and
     isinstance(d["last_handshake"], str) and
     isinstance(d["transfer"]["rx"], str) and
     isinstance(d["transfer"]["tx"], str) and isinstance(d["uptime"], str)
     and type(d["routes_imported"]) is int and d["routes_imported"] >= 2
     and type(d["routes_exported"]) is int'
expect data_peer "/peer/$R2 in the bot's shape" wait_for 20 call_is 1 GET \
    "/peer/$R2" "" "" 200 "$PEERX and d['peer_name'] == '$R2'"
bot_check data_peer_uuid 1 GET /peer/r1-r2 "" "" 200 \
    "d['peer_name'] == '$R2' and d['wg_status'] == 'up' and
     d['last_handshake'].endswith(' ago')"
bot_check data_peer_unknown 1 GET /peer/dn42_4242420099 "" "" 404 \
    '"error" in d'
bot_check data_peer_notoken 1 GET "/peer/$R2" "" - 401 '"error" in d'
bot_check data_peer_bad 1 GET "/peer/dn42;reboot" "" "" 400 '"error" in d'

# /route and /path: BIRD's view of what r2 announces (/route is BIRD's
# own text: BIRD 3 spells the path bgp_path).
bot_check data_route4 1 POST /route '{"target":"172.20.2.1"}' "" 200 \
    "'172.20.2.0/24' in d['result'] and '$R2' in d['result'] and
     ('BGP.as_path: 4242420002' in d['result'] or
     'bgp_path: 4242420002' in d['result'])"
bot_check data_route6 1 POST /route '{"target":"fd42:2::/48"}' "" 200 \
    "'fd42:2::/48' in d['result'] and '$R2' in d['result']"
bot_check data_path 1 POST /path '{"target":"172.20.2.0/24"}' "" 200 \
    "d['result'] == '172.20.2.0/24 via $R2: 4242420002\\n'"
bot_check data_path_local 1 POST /path '{"target":"172.20.1.1"}' "" 200 \
    "'172.20.1.0/24' in d['result'] and 'no AS path' in d['result']"
bot_check data_route_none 1 POST /route '{"target":"10.99.0.1"}' "" 200 \
    "'Network not found' in d['result']"
bot_check data_route_name 1 POST /route '{"target":"example.dn42"}' "" 400 \
    '"error" in d'

# /community: the DN42 communities of r1's best routes.
COMMX='type(d["total_routes"]) is int and d["total_routes"] >= 4 and
     d["latency_distribution"]["2"] >= 2 and
     d["bandwidth_distribution"]["100m"] >= 2 and
     d["crypto_distribution"]["encrypted"] >= 2 and
     d["region_distribution"]["as-e"] >= 2 and
     set(d["latency_distribution"]) == set(str(i) for i in range(9))'
bot_check data_community 1 GET /community "" "" 200 "$COMMX"
bot_check data_community_notoken 1 GET /community "" - 401

# /probe/now and /probe/stats: r2's end of the tunnel from r1.
bot_check data_probe_now 1 POST /probe/now '{"asn":4242420002}' "" 200 \
    'd["success"] is True and d["asn"] == 4242420002 and
     isinstance(d["rtt_ms"], float) and d["latency_tier"] in range(9) and
     isinstance(d["target"], str) and type(d["timestamp"]) is int'
bot_check data_probe_stats 1 POST /probe/stats '{"asn":"4242420002"}' "" 200 \
    'd["asn"] == 4242420002 and d["probe_count"] >= 1 and
     d["stats"]["samples"] >= 1 and len(d["history"]) >= 1 and
     d["history"][-1]["success"] is True and d["last_rtt"] > 0 and
     d["last_tier"] in range(9)'
bot_check data_probe_unknown 1 POST /probe/now '{"asn":4242420099}' "" 404
bot_check data_probe_stats_unknown 1 POST /probe/stats '{"asn":64512}' "" 404
bot_check data_probe_zero 1 POST /probe/now '{"asn":0}' "" 400
bot_check data_probe_big 1 POST /probe/now '{"asn":4294967296}' "" 400
bot_check data_probe_text 1 POST /probe/now '{"asn":"42;reboot"}' "" 400
bot_check data_probe_notoken 1 POST /probe/now '{"asn":4242420002}' - 401

# /restart: that one session, nothing else.
s2=$(since_ms 1 "$R2") s3=$(since_ms 1 "$R3")
for bad in '{"peer_name":"dn42_4242420099"}' '{"peer_name":"kern1"}'; do
	bot_check "data_restart_unknown_$(echo "$bad" | tr -cd 'a-z0-9')" 1 \
	    POST /restart "$bad" "" 404 '"error" in d'
done
i=0
for bad in '{"peer_name":"dn42_4242420002;reboot"}' \
    '{"peer_name":"$(reboot)"}' '{"peer_name":"dn42_1\nrestart all"}' \
    "{\"peer_name\":\"dn42'\"}" '{"peer_name":"\"all\""}' \
    "{\"peer_name\":\"$(printf 'a%.0s' $(seq 300))\"}" \
    '{"peer_name":"-all"}' '{"peer_name":5}' '{}' 'not json' ''; do
	i=$((i + 1))
	bot_check "data_restart_bad_$i" 1 POST /restart "$bad" "" 400 \
	    '"error" in d'
done
bot_check data_restart_notoken 1 POST /restart "{\"peer_name\":\"$R2\"}" - 401
bot_check data_restart_badtoken 1 POST /restart "{\"peer_name\":\"$R2\"}" \
    wrong 401
both_same() { same_since 1 "$R2" "$s2" && same_since 1 "$R3" "$s3"; }
check data_restart_nothing_restarted both_same
bot_check data_restart 1 POST /restart "{\"peer_name\":\"$R2\"}" "" 200 \
    "d['result'] == '$R2 restarted'"
expect data_restart_this "r1's session with r2 restarted" \
    wait_for 10 not same_since 1 "$R2" "$s2"
check data_restart_other_untouched same_since 1 "$R3" "$s3"
expect data_restart_back "r1's session with r2 Established again" \
    wait_for 30 established 1 "$R2"
s2=$(since_ms 1 "$R2")
bot_check data_restart_uuid 1 POST /restart '{"name":"r1-r3"}' "" 200 \
    "d['result'] == '$R3 restarted'"
check data_restart_uuid_other same_since 1 "$R2" "$s2"

# Targets as an attacker would write them: 400, nothing reaches BIRD
# (the fetcher forwards nothing: it logs each request it forwards).
fwd0=$(grep -c 'forwarded (' "$L/r1/agent.log")
i=0
for bad in ';' '$(reboot)' '172.20.2.1;show status' '172.20.2.1\nshow status' \
    "172.20.2.1'" '172.20.2.1\"' "$(printf '1%.0s' $(seq 300))" \
    '-172.20.2.1' '172.20.2.1 all' '172.20.2.1/33' ''; do
	i=$((i + 1))
	bot_check "data_route_bad_$i" 1 POST /route "{\"target\":\"$bad\"}" "" \
	    400 '"error" in d'
done
bot_check data_route_notoken 1 POST /route '{"target":"172.20.2.1"}' - 401
check data_route_bad_not_forwarded test \
    "$(grep -c 'forwarded (' "$L/r1/agent.log")" = "$fwd0"
bot_check data_route_get 1 GET /route "" "" 405

# The same through moenetctl.
ctl_has() { _w=$1; shift; ctl "$@" 2>&1 | grep -qF -- "$_w"; }
check data_ctl_route ctl_has "172.20.2.0/24        unicast [$R2 " 1 route \
    172.20.2.1
check data_ctl_path ctl_has "fd42:2::/48 via $R2: 4242420002" 1 path \
    fd42:2:0::1
ctl_json_path() {
	ctl 1 -j path 172.20.2.0/24 | python3 -c 'import json, sys
sys.exit(json.load(sys.stdin) != {"result": sys.argv[1]})' \
	    "172.20.2.0/24 via $R2: 4242420002
"
}
check data_ctl_path_json ctl_json_path
check data_ctl_probe ctl_has "AS4242420002 fe80::998:101:2:1%$R2: " 1 probe \
    4242420002
check data_ctl_probe_unknown ctl_has "no session with this ASN" 1 probe 64512
check data_ctl_route_bad not ctl 1 route '172.20.2.1;show status'
check data_ctl_route_name not ctl 1 route example.dn42
s2=$(since_ms 1 "$R2") s3=$(since_ms 1 "$R3")
check data_ctl_restart_unknown not ctl 1 restart dn42_4242420099
check data_ctl_restart ctl_has "$R3 restarted" 1 restart "$R3"
expect data_ctl_restart_this "moenetctl restart: r1's session with r3 reset" \
    wait_for 10 not same_since 1 "$R3" "$s3"
check data_ctl_restart_other same_since 1 "$R2" "$s2"
finish
