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
# The local HTTP API for real: the agent of the engine lab (real BIRD,
# wireguard-go, the fake control plane) with server.listen on loopback
# and a server.token, asked with curl and with raw sockets.  Then again
# on every address without a token: mutating endpoints refused.

LAB_NAME=httpapi
. "$(dirname "$0")/../engine/lab.sh"

CLIENT=$TOP/regress/httpapi/client.py
LTOKEN=local-token-$$-Xq9
HP=$(ip netns exec "$NA" python3 -c 'import socket
s = socket.socket(socket.AF_INET6); s.bind(("::", 0)); print(s.getsockname()[1])')

# conf LISTEN [TOKEN]: the lab's config with the API keys.  A long
# sync period, so a new GET of the sessions can only come from POST /sync.
conf() {
	python3 - "$L/a/agent.json" "$1" "$2" <<'EOP'
import json, sys
path, listen, token = sys.argv[1], sys.argv[2], sys.argv[3]
c = json.load(open(path))
c["server"] = {"listen": listen}
if token:
    c["server"]["token"] = token
c["controlPlane"]["syncInterval"] = 300
json.dump(c, open(path, "w"), indent=1)
EOP
}
inA() { ip netns exec "$NA" "$@"; }
# get PATH [curl args]: the body; code PATH [curl args]: the status
get() { p=$1; shift; inA curl -sg --max-time 10 "$@" "http://127.0.0.1:$HP$p"; }
code() { p=$1; shift; inA curl -sg --max-time 10 -o /dev/null -w '%{http_code}' "$@" "http://127.0.0.1:$HP$p"; }
post() { p=$1; shift; code "$p" -X POST "$@"; }
# raw FORMAT [ARGS]: printf's bytes as a request (no command
# substitution: it would eat the final newlines)
raw() { inA python3 "$CLIENT" 127.0.0.1 "$HP" raw "$(printf "$@" | od -An -v -tx1 | tr -d ' \n')"; }
nsessions_get() {
	python3 - "$L/cp.log" <<'EOP'
import json, sys
print(sum(1 for l in open(sys.argv[1])
          if (r := json.loads(l)).get("method") == "GET"
          and r.get("path", "").split("?")[0].endswith("/sessions")))
EOP
}
alive() { kill -0 "$agent_pid" 2>/dev/null; }

# Conditions on the documents, as functions for check and wait_for.
status_ok() {
	get /status | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["version"] and d["node"] == "r1" and d["mode"] == "full"
assert isinstance(d["uptime"], int) and "total" in d["sessions"]
cp = d["control_plane"]
assert cp["breaker"] in ("closed", "open", "half-open")
assert "ok" in cp["endpoints"]["sessions"]["results"]
assert set(d["sync"]) >= {"last_sync", "last_sync_ok", "last_error"}
assert set(d["bird"]) >= {"connected", "version"}
assert d["wireguard"]["backend"]
assert set(d["children"]) == {"fetcher", "birdctl", "wgctl"}'
}
sessions_s1() {
	get /sessions | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = [x for x in d if x["uuid"] == "s1"][0]
assert s["asn"] == 4242420002 and s["interface"] == "dn42_4242420002"
assert s["cp_status"] and s["state"] and "routes_in" in s and "rtt_ms" in s'
}
status_synced() {
	get /status | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["sync"]["last_sync_ok"] and d["control_plane"]["reachable"]
assert d["bird"]["connected"] and d["bird"]["version"]
assert d["sessions"]["total"] >= 1'
}
sync_idle() {
	get /status | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["sync"]["last_sync"] and not d["sync"]["running"]'
}
json_error() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["status"] == int(sys.argv[1]) and d["error"]' "$1"
}
maint_doc() {
	get /maintenance | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["maintenance"] is (sys.argv[1] == "True")
assert (d["since"] is None) or isinstance(d["since"], int)' "$1"
}
fetched_more() { [ "$(nsessions_get)" -gt "$n0" ]; }
healthz_ok() { [ "$(get /healthz)" = ok ]; }
status_200() { [ "$(code /status "$@")" = 200 ]; }

conf "localhost:$HP" "$LTOKEN"
start_agent
check httpapi_listening wait_for 15 status_200
check httpapi_status_json status_ok
# The first sync brings s1; BIRD is connected; the CP was reached.
check httpapi_sessions_s1 wait_for 30 sessions_s1
check httpapi_status_synced wait_for 30 status_synced
check httpapi_healthz_ok wait_for 10 healthz_ok
check httpapi_head [ "$(code /status -I)" = 200 ]

# GET /metrics: Prometheus text that promtool accepts.
get /metrics >"$L/metrics.txt"
check httpapi_metrics_nonempty grep -q '^# TYPE ' "$L/metrics.txt"
if command -v promtool >/dev/null; then
	check httpapi_metrics_promtool sh -c "promtool check metrics <'$L/metrics.txt'"
else
	skip httpapi_metrics_promtool "promtool not installed"
fi
ctype=$(get /metrics -o /dev/null -w '%{content_type}')
check httpapi_metrics_type [ "$ctype" = 'text/plain; version=0.0.4; charset=utf-8' ]

# GET /maintenance
check httpapi_maintenance_get [ "$(code /maintenance)" = 200 ]
check httpapi_maintenance_off maint_doc False

# Mutating endpoints: the token, and nothing else.
check httpapi_sync_no_token [ "$(post /sync)" = 401 ]
check httpapi_sync_wrong_token [ "$(post /sync -H "Authorization: Bearer x$LTOKEN")" = 401 ]
check httpapi_sync_prefix_token [ "$(post /sync -H "Authorization: Bearer ${LTOKEN%?}")" = 401 ]
check httpapi_sync_basic_auth [ "$(post /sync -u "a:$LTOKEN")" = 401 ]
check httpapi_sync_get_405 [ "$(code /sync)" = 405 ]
get /sync -X POST >"$L/err.json"
check httpapi_sync_error_json json_error 401 <"$L/err.json"
check httpapi_maint_wrong_token [ "$(post /maintenance/start -H 'Authorization: Bearer nope')" = 401 ]
check httpapi_maint_no_token [ "$(post /maintenance/stop)" = 401 ]
# The control plane's key is good for maintenance (CONTRACT.md), not /sync.
check httpapi_sync_cp_token_refused [ "$(post /sync -H "Authorization: Bearer $TOKEN")" = 401 ]
check httpapi_maint_still_off maint_doc False

# Maintenance for real: the answer comes once BIRD has the switch.
check httpapi_maint_start_cp_token [ "$(post /maintenance/start -H "Authorization: Bearer $TOKEN")" = 200 ]
check httpapi_maint_on maint_doc True
check httpapi_maint_file grep -q 'MAINTENANCE_MODE = true' "$L/a/maintenance.conf"
check httpapi_maint_status sh -c "ip netns exec $NA curl -s http://127.0.0.1:$HP/status | grep -q '\"maintenance\":{\"enabled\":true'"
check httpapi_maint_stop_local_token [ "$(post /maintenance/stop -H "Authorization: Bearer $LTOKEN")" = 200 ]
check httpapi_maint_off_again maint_doc False
check httpapi_maint_file_off grep -q 'MAINTENANCE_MODE = false' "$L/a/maintenance.conf"

# POST /sync: a new GET of the sessions at the control plane, which
# otherwise would not come for 300 s.
wait_for 20 sync_idle
n0=$(nsessions_get)
check httpapi_sync_accepted [ "$(post /sync -H "Authorization: Bearer $LTOKEN")" = 202 ]
check httpapi_sync_new_fetch wait_for 15 fetched_more

# IPv6 loopback.
check httpapi_ipv6 sh -c "[ \"\$(ip netns exec $NA curl -sg -o /dev/null -w '%{http_code}' 'http://[::1]:$HP/status')\" = 200 ]"

# Bad requests: answers in JSON, never a crash.
set -- $(raw 'GARBAGE\r\n\r\n')
check httpapi_garbage_400 [ "$1 $2" = "400 json" ]
set -- $(raw 'BREW /status HTTP/1.1\r\n\r\n')
check httpapi_method_405 [ "$1 $2" = "405 json" ]
set -- $(raw 'GET /nope HTTP/1.1\r\nHost: x\r\n\r\n')
check httpapi_path_404 [ "$1 $2" = "404 json" ]
set -- $(raw 'GET /status HTTP/9.9\r\n\r\n')
check httpapi_version_505 [ "$1" = 505 ]
set -- $(raw 'GET /status HTTP/1.1\r\nno colon here\r\n\r\n')
check httpapi_header_400 [ "$1 $2" = "400 json" ]
set -- $(raw 'GET /status HTTP/1.1\r\nX: %09000d\r\n\r\n' 0)
check httpapi_head_431 [ "$1 $2" = "431 json" ]
set -- $(raw 'POST /sync HTTP/1.1\r\nAuthorization: Bearer %s\r\nContent-Length: 5000\r\n\r\n%05000d' "$LTOKEN" 0)
check httpapi_body_413 [ "$1 $2" = "413 json" ]
set -- $(raw 'POST /sync HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab')
check httpapi_cl_conflict_400 [ "$1" = 400 ]
set -- $(raw 'POST /sync HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n')
check httpapi_chunked_411 [ "$1" = 411 ]
check httpapi_body_4k_ok [ "$(post /sync -H "Authorization: Bearer $LTOKEN" --data-binary "$(printf '%04000d' 0)")" = 202 ]
check httpapi_alive_after_bad alive

# A slowloris client is cut at the read timeout (5 s).
set -- $(inA python3 "$CLIENT" 127.0.0.1 "$HP" slow)
check httpapi_slowloris_408 [ "$1" = 408 ]
check httpapi_slowloris_cut python3 -c "import sys; sys.exit(0 if 4 <= float('$2') <= 8 else 1)"

# 50 at once: answered or refused, the agent survives and answers after.
par=$(inA python3 "$CLIENT" 127.0.0.1 "$HP" parallel 50)
echo "# parallel: $par"
check httpapi_parallel_answered python3 -c "
import sys
c = dict(kv.split('=') for kv in '$par'.split())
# Over the limit: 503, or closed unanswered (a reset may eat the 503).
assert int(c.get('200', 0)) >= 1 and sum(int(v) for k, v in c.items() if k in ('200', '503', 'none')) == 50, c"
# Idle connections from one source fill its share (8): the next is
# refused at once, the idle ones end at the read timeout, and then the
# agent answers again.
set -- $(inA python3 "$CLIENT" 127.0.0.1 "$HP" hold 20)
echo "# hold: $*"
check httpapi_limit_refuses [ "$1" = 503 ]
check httpapi_limit_idle_cut sh -c "echo '$2' | grep -q '408=8'"
check httpapi_alive_after_load alive
check httpapi_answers_after_load wait_for 5 status_200

# Documents are rendered when asked: with the parent stopped, a GET is
# refused after the fetcher's bounded wait (5 s), never answered stale;
# answered again as soon as the parent runs.
kill -STOP "$agent_pid"
set -- $(inA curl -s -o /dev/null -w '%{http_code} %{time_total}' \
    --max-time 15 "http://127.0.0.1:$HP/status")
kill -CONT "$agent_pid"
check httpapi_parent_stopped_503 [ "$1" = 503 ]
check httpapi_parent_stopped_bounded python3 -c "import sys; sys.exit(0 if 4 <= float('$2') <= 8 else 1)"
check httpapi_parent_back wait_for 10 status_200

# No token in the logs, whatever was sent.
if grep -q -e "$LTOKEN" -e "$TOKEN" -e "${LTOKEN%?}" "$L/a/agent.log"; then
	fail httpapi_token_not_logged "a token in the agent's log"
else
	ok httpapi_token_not_logged
fi

# Every address, no server.token: mutating endpoints refused, shown to
# the operator at start; reads still served, on the veth address too.
stop_agent
conf ":$HP" ""
start_agent
veth_200() {
	[ "$(inA curl -sg -o /dev/null -w '%{http_code}' \
	    "http://[fd00:ab::1]:$HP/status")" = 200 ]
}
check httpapi_open_listening wait_for 15 veth_200
check httpapi_open_warned grep -q 'server.token is empty' "$L/a/agent.log"
check httpapi_open_sync_refused [ "$(post /sync -H "Authorization: Bearer $TOKEN")" = 403 ]
check httpapi_open_sync_refused_notoken [ "$(post /sync)" = 403 ]
check httpapi_open_maint_no_token [ "$(post /maintenance/start)" = 401 ]
check httpapi_open_maint_wrong [ "$(post /maintenance/start -H "Authorization: Bearer $LTOKEN")" = 401 ]
# The control plane's key still switches maintenance (CONTRACT.md).
check httpapi_open_maint_cp_key [ "$(post /maintenance/start -H "Authorization: Bearer $TOKEN")" = 200 ]
check httpapi_open_maint_cp_key_stop [ "$(post /maintenance/stop -H "Authorization: Bearer $TOKEN")" = 200 ]
check httpapi_open_alive alive
if grep -q -e "$LTOKEN" -e "$TOKEN" "$L/a/agent.log"; then
	fail httpapi_open_token_not_logged "a token in the agent's log"
else
	ok httpapi_open_token_not_logged
fi

[ "$failures" -gt 0 ] && tail -40 "$L/a/agent.log"
finish
