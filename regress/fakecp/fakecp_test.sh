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

# The fake control plane, driven with curl: every endpoint, every fault,
# modify applied to its state, TLS that verifies only with its CA, plain
# HTTP on ::1, and the token never in its log.

. "$(dirname "$0")/../lib.sh"

FAKECP=$TOP/regress/fakecp/fakecp.py
TOKEN=tok-$$-secret-value
work=$(mktemp -d)
pids=""
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$work"
}
trap cleanup EXIT

for c in python3 curl openssl; do
	if ! command -v "$c" >/dev/null 2>&1; then
		skip fakecp "$c not installed"
		exit 0
	fi
done

sh "$TOP/regress/fakecp/mkcert.sh" "$work/tls" || {
	fail fakecp-cert "mkcert.sh failed"
	finish
}

KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
cat >"$work/state.json" <<EOT
{"nodes": {"jp-edge": {
  "config": {"node": {"name": "jp-edge", "id": 1}},
  "sessions": [
    {"uuid": "s1", "asn": 4242420001, "status": 4, "interface": "dn42_1",
     "credential": "$KEY", "ipv6": "fe80::1"},
    {"uuid": "s2", "asn": 4242420002, "status": 5, "interface": "dn42_2"}],
  "mesh": {"peers": [{"nodeId": 2, "publicKey": "$KEY"}]},
  "birdConfig": {"configHash": "h1", "node": {"id": 1},
                 "policy": {"dn42As": "4242420998"}, "ibgpPeers": []}}}}
EOT

# start NAME ARGS...: run fakecp, wait for its port file
start() {
	name=$1; shift
	python3 "$FAKECP" --state "$work/state.json" --log "$work/$name.log" \
	    --token "$TOKEN" --port 0 --port-file "$work/$name.port" "$@" \
	    >"$work/$name.out" 2>&1 &
	pids="$pids $!"
	wait_for 10 test -s "$work/$name.port"
}

if ! start tls --cert "$work/tls/server.pem" --key "$work/tls/server.key"
then
	fail fakecp-start "no port file: $(cat "$work/tls.out")"
	finish
fi
PORT=$(cat "$work/tls.port")
BASE=https://127.0.0.1:$PORT/api/v1/agent
CURL="curl -s --cacert $work/tls/ca.pem --max-time 10"
AUTH="Authorization: Bearer $TOKEN"

# req METHOD PATH [BODY]: prints "<http status> <body>" into $work/r
req() {
	if [ -n "$3" ]; then
		$CURL -o "$work/body" -w '%{http_code}' -H "$AUTH" \
		    -H 'Content-Type: application/json' -X "$1" \
		    --data "$3" "$BASE/$2" >"$work/code"
	else
		$CURL -o "$work/body" -w '%{http_code}' -H "$AUTH" \
		    -X "$1" "$BASE/$2" >"$work/code"
	fi
	echo $? >"$work/rc"
}
code() { cat "$work/code"; }
rc() { cat "$work/rc"; }
# jcheck EXPR: python expression over j (the reply body) is true
jcheck() {
	python3 -c "import json,sys; j=json.load(open(sys.argv[1])); \
sys.exit(0 if ($1) else 1)" "$work/body" 2>/dev/null
}
ctl() {
	$CURL -o /dev/null -H "$AUTH" -X POST --data "$2" \
	    "https://127.0.0.1:$PORT/_fakecp/$1"
}
# edit_state CODE: python statements on s, written back atomically
edit_state() {
	python3 -c "import json,os,sys; s=json.load(open(sys.argv[1])); $1; \
json.dump(s, open(sys.argv[1] + '.t', 'w')); \
os.rename(sys.argv[1] + '.t', sys.argv[1])" "$work/state.json"
}
state() {
	python3 -c "import json,sys; s=json.load(open(sys.argv[1])); \
sys.exit(0 if ($1) else 1)" "$work/state.json"
}

# authentication
$CURL -o /dev/null -w '%{http_code}' "$BASE/jp-edge/sessions" >"$work/code"
check auth-missing [ "$(code)" = 401 ]
$CURL -o /dev/null -w '%{http_code}' -H "Authorization: Bearer nope" \
    "$BASE/jp-edge/sessions" >"$work/code"
check auth-wrong [ "$(code)" = 401 ]

# TLS verifies with the test CA only
curl -s --max-time 10 -o /dev/null -H "$AUTH" "$BASE/jp-edge/sessions"
check tls-untrusted [ $? -eq 60 ]

# every GET endpoint
req GET jp-edge/sessions
check get-sessions eval '[ "$(code)" = 200 ] && jcheck \
    "j[\"code\"] == 0 and len(j[\"data\"][\"bgpSessions\"]) == 2"'
req GET jp-edge/config
check get-config eval '[ "$(code)" = 200 ] && jcheck \
    "j[\"data\"][\"node\"][\"name\"] == \"jp-edge\""'
req GET jp-edge/mesh
check get-mesh eval '[ "$(code)" = 200 ] && jcheck \
    "j[\"data\"][\"peers\"][0][\"nodeId\"] == 2"'
req GET jp-edge/bird-config
check get-bird-config eval '[ "$(code)" = 200 ] && jcheck \
    "j[\"data\"][\"policy\"][\"dn42As\"] == \"4242420998\""'
req GET nowhere/sessions
check unknown-node [ "$(code)" = 404 ]
req GET jp-edge/nothing
check unknown-endpoint [ "$(code)" = 404 ]

# every POST endpoint, logged with its body
req POST heartbeat '{"node_id":"jp-edge","agent_version":"t","status":{}}'
check post-heartbeat [ "$(code)" = 200 ]
req POST jp-edge/report '{"node_id":"jp-edge","timestamp":1,"sessions":[]}'
check post-report [ "$(code)" = 200 ]
req POST jp-edge/mesh/status \
    '{"node_id":"jp-edge","timestamp":1,"peers":{"2":"configured"}}'
check post-mesh-status [ "$(code)" = 200 ]
req POST jp-edge/rtt '{"measurements":[],"timestamp":1}'
check post-rtt [ "$(code)" = 200 ]
req POST jp-edge/rtt 'not json'
check post-badjson [ "$(code)" = 400 ]
check log-body python3 -c "import json,sys; \
r=[json.loads(l) for l in open(sys.argv[1])]; \
sys.exit(0 if any(x['path'].endswith('/rtt') and \
x['body'] == {'measurements': [], 'timestamp': 1} for x in r) else 1)" \
    "$work/tls.log"

# modify changes the state; status 0 deletes the row
req POST jp-edge/modify '{"uuid":"s1","status":6,"lastError":"wg: boom"}'
check modify-error eval '[ "$(code)" = 200 ] && state \
    "s[\"nodes\"][\"jp-edge\"][\"sessions\"][0][\"status\"] == 6 and \
s[\"nodes\"][\"jp-edge\"][\"sessions\"][0][\"lastError\"] == \"wg: boom\""'
req POST jp-edge/modify '{"uuid":"s1","status":2}'
check modify-active eval '[ "$(code)" = 200 ] && state \
    "s[\"nodes\"][\"jp-edge\"][\"sessions\"][0][\"status\"] == 2 and \
\"lastError\" not in s[\"nodes\"][\"jp-edge\"][\"sessions\"][0]"'
req POST jp-edge/modify '{"uuid":"s2","status":0}'
check modify-delete eval '[ "$(code)" = 200 ] && state \
    "[x[\"uuid\"] for x in s[\"nodes\"][\"jp-edge\"][\"sessions\"]] \
== [\"s1\"]"'
req POST jp-edge/modify '{"uuid":"s9","status":2}'
check modify-unknown [ "$(code)" = 404 ]
req POST jp-edge/modify '{"uuid":"s1","status":"2"}'
check modify-badtype [ "$(code)" = 422 ]

# faults through the control endpoint
ctl fault '{"endpoint":"sessions","mode":"500"}'
req GET jp-edge/sessions
check fault-500 [ "$(code)" = 500 ]
ctl fault '{"endpoint":"sessions","mode":"429","retryAfter":7}'
$CURL -D "$work/hdr" -o /dev/null -w '%{http_code}' -H "$AUTH" \
    "$BASE/jp-edge/sessions" >"$work/code"
check fault-429 eval '[ "$(code)" = 429 ] && \
    grep -qi "^retry-after: 7" "$work/hdr"'
ctl fault '{"endpoint":"sessions","mode":"401"}'
req GET jp-edge/sessions
check fault-401 [ "$(code)" = 401 ]
ctl fault '{"endpoint":"sessions","mode":"truncate"}'
req GET jp-edge/sessions
check fault-truncate [ "$(rc)" -eq 18 ]
ctl fault '{"endpoint":"sessions","mode":"malformed"}'
req GET jp-edge/sessions
check fault-malformed eval '[ "$(code)" = 200 ] && ! jcheck True'
ctl fault '{"endpoint":"sessions","mode":"wrongtypes"}'
req GET jp-edge/sessions
check fault-wrongtypes eval '[ "$(code)" = 200 ] && jcheck \
    "isinstance(j[\"data\"][\"bgpSessions\"], dict)"'
ctl fault '{"endpoint":"sessions","mode":"oversize"}'
req GET jp-edge/sessions
check fault-oversize eval '[ "$(code)" = 200 ] && \
    [ "$(wc -c <"$work/body")" -gt 8388608 ]'
ctl fault '{"endpoint":"sessions","mode":"empty"}'
req GET jp-edge/sessions
check fault-empty eval '[ "$(code)" = 200 ] && jcheck \
    "j[\"data\"][\"bgpSessions\"] == []"'
ctl fault '{"endpoint":"sessions","mode":"cperror","code":40401}'
req GET jp-edge/sessions
check fault-cperror eval '[ "$(code)" = 200 ] && jcheck \
    "j[\"code\"] == 40401"'
ctl fault '{"endpoint":"sessions","mode":"close"}'
req GET jp-edge/sessions
check fault-close [ "$(rc)" -eq 52 ]
ctl fault '{"endpoint":"heartbeat","mode":"hang"}'
$CURL --max-time 2 -o /dev/null -H "$AUTH" -X POST --data '{}' \
    "$BASE/heartbeat"
check fault-hang [ $? -eq 28 ]
req GET jp-edge/mesh
check fault-other-endpoints [ "$(code)" = 200 ]
ctl fault '{"endpoint":"*","mode":"500","count":1}'
req GET jp-edge/mesh
first=$(code)
req GET jp-edge/mesh
check fault-count eval '[ "$first" = 500 ] && [ "$(code)" = 200 ]'
ctl clear '{}'

# a fault written into the state file, read on the next request
edit_state "s['faults'] = {'bird-config': {'mode': '500'}}"
req GET jp-edge/bird-config
check fault-statefile [ "$(code)" = 500 ]
ctl clear '{}'

# refused connections, then accepted again
ctl listen '{"listen": false}'
refused() {
	$CURL -o /dev/null "$BASE/jp-edge/sessions"
	[ $? -eq 7 ]
}
check listen-refuse wait_for 10 refused
edit_state "s['listen'] = True"
accepted() {
	req GET jp-edge/sessions
	[ "$(code)" = 200 ]
}
check listen-again wait_for 10 accepted

# plain HTTP on ::1
if start plain --http --bind ::1; then
	P2=$(cat "$work/plain.port")
	curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H "$AUTH" \
	    "http://[::1]:$P2/api/v1/agent/jp-edge/sessions" >"$work/code"
	check http-plain [ "$(code)" = 200 ]
else
	skip http-plain "no ::1 here: $(tail -1 "$work/plain.out")"
fi

# the token never reaches the log, the header is recorded redacted
check log-no-token eval '! grep -qF "$TOKEN" "$work/tls.log" && \
    grep -q "Bearer <redacted>" "$work/tls.log"'
check log-lines [ "$(wc -l <"$work/tls.log")" -ge 30 ]
finish
