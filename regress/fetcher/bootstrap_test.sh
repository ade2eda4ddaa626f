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
# Bootstrap mode for real: the local file names only the control plane,
# the router and the token; the node configuration comes from the fake
# control plane, is cached, and carries a restart while the control
# plane is down.  Without a cache the agent waits and keeps asking.

. "$(dirname "$0")/../lib.sh"
need_root bootstrap
FAKECP=$TOP/regress/fakecp/fakecp.py
TOKEN=boot-token-$$
T=$(mktemp -d /tmp/mnt-boot-XXXXXX)
chmod 755 "$T"
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

sh "$TOP/regress/fakecp/mkcert.sh" "$T/tls" >/dev/null
(umask 077; wg genkey >"$T/wg.key" 2>/dev/null || head -c 32 /dev/urandom | base64 >"$T/wg.key")
cat >"$T/cp.json" <<EOC
{"nodes": {"boot1": {
  "config": {
    "node": {"name": "boot1", "id": 7, "region": "lab"},
    "bird": {"controlSocket": "$T/no-bird.ctl", "peerConfDir": "$T/peers"},
    "wireguard": {"privateKeyPath": "$T/wg.key", "dn42Ipv4": "172.20.7.1",
        "dn42Ipv6": "fd00:4242:7777:101:7::1", "persistentKeepaliveInterval": 15},
    "metric": {"pingCount": 3},
    "autoUpdate": true},
  "sessions": []}}}
EOC
python3 "$FAKECP" --state "$T/cp.json" --log "$T/cp.log" --token "$TOKEN" \
    --port 0 --port-file "$T/port" --cert "$T/tls/server.pem" \
    --key "$T/tls/server.key" >"$T/cp.out" 2>&1 &
pids="$pids $!"
wait_for 10 test -s "$T/port" || { fail bootstrap_fakecp "$(cat "$T/cp.out")"; finish; }
PORT=$(cat "$T/port")

cat >"$T/agent.json" <<EOC
{
	"bootstrap": { "controlPlaneUrl": "https://127.0.0.1:$PORT",
	    "nodeName": "boot1", "token": "$TOKEN" },
	"controlPlane": { "caFile": "$T/tls/ca.pem", "retryInitialDelay": "1s",
	    "maxRetries": 0, "syncInterval": 5 },
	"bird": { "templateDir": "$TOP/templates",
	    "maintenanceFile": "$T/maintenance.conf", "ibgpConfDir": "$T/ibgp",
	    "policyDir": "$T/policy", "configFile": "$T/bird.conf",
	    "blacklistFile": "$T/blacklist.conf",
	    "localConfigFile": "$T/local.conf" },
	"wireguard": { "loopbackInterface": "none" },
	"state": { "dir": "$T/state" },
	"control": { "socket": "$T/ctl.sock" },
	"log": { "level": "debug" }
}
EOC
chmod 600 "$T/agent.json"

agent=
start() {
	: >"$T/agent.log"
	"$AGENT" -d -f "$T/agent.json" 2>"$T/agent.log" &
	agent=$!
	pids="$pids $agent"
}
stop() {
	kill "$agent" 2>/dev/null
	wait_for 10 sh -c "! kill -0 $agent 2>/dev/null"
	wait "$agent" 2>/dev/null
}
logged() { grep -q "$1" "$T/agent.log"; }
fault() {
	python3 - "$T/cp.json" "$1" <<'EOP'
import json, os, sys
st = json.load(open(sys.argv[1]))
if sys.argv[2] == "none":
    st.pop("faults", None)
else:
    st["faults"] = {"config": {"mode": sys.argv[2]}}
json.dump(st, open(sys.argv[1] + ".tmp", "w"))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
EOP
}

# The control plane answers: its node config is taken and cached.
start
check bootstrap_from_cp wait_for 20 logged "node configuration from the control plane"
check bootstrap_engine_started wait_for 10 logged "engine started"
check bootstrap_autoupdate_notice logged "autoUpdate is ignored"
check bootstrap_cache_written test -s "$T/state/nodeconf.json"
check bootstrap_cache_mode sh -c "[ \"\$(stat -c %a '$T/state/nodeconf.json')\" = 600 ]"
check bootstrap_cache_has_values grep -q '"dn42Ipv4":"172.20.7.1[/"]' "$T/state/nodeconf.json"
check bootstrap_cache_keepalive grep -q '"persistentKeepaliveInterval":15' "$T/state/nodeconf.json"
check bootstrap_sessions_fetched wait_for 10 grep -q 'boot1/sessions' "$T/cp.log"
stop

# The control plane fails: the cached config carries the start.
fault 500
start
check bootstrap_cp_down_uses_cache wait_for 20 logged "node configuration from the cache"
check bootstrap_cp_down_engine_started wait_for 10 logged "engine started"
check bootstrap_cp_down_keeps_asking wait_for 20 sh -c "[ \$(grep -c 'cannot fetch the node configuration' '$T/agent.log') -ge 2 ]"
fault none
check bootstrap_cp_back_taken wait_for 30 logged "node configuration refreshed from the control plane"
stop

# No cache and no control plane: wait, keep asking, start when it answers.
rm -f "$T/state/nodeconf.json"
fault 500
start
check bootstrap_no_cache_waits wait_for 20 logged "no cached node configuration: waiting for the control plane"
if logged "engine started"; then
	fail bootstrap_no_cache_engine_waits "engine started without a node config"
else
	ok bootstrap_no_cache_engine_waits
fi
fault none
check bootstrap_no_cache_starts_later wait_for 30 logged "engine started"
stop

# A corrupt cache is moved aside, not fatal.
echo '{ not json' >"$T/state/nodeconf.json"
fault 500
start
check bootstrap_corrupt_cache_set_aside wait_for 20 sh -c "ls '$T/state' | grep -q 'nodeconf.json.bad-'"
check bootstrap_corrupt_cache_agent_alive kill -0 "$agent"
stop

if grep -q "$TOKEN" "$T/agent.log"; then
	fail bootstrap_token_not_logged "token in the log"
else
	ok bootstrap_token_not_logged
fi
finish
