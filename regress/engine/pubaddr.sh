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
# The heartbeat's public addresses for real: the agent in a network
# namespace whose uplink (a veth into a second namespace) has a public
# address among private, secondary and unique local decoys, and default
# routes; the fake control plane records the heartbeats.  Discovered
# first (from the link, then from a preferred source), then a
# configured node.publicIpv4 wins over discovery.

. "$(dirname "$0")/../lib.sh"
need_root pubaddr
for t in ip python3 base64; do
	command -v $t >/dev/null || { skip pubaddr "$t not installed"; exit 0; }
done
FAKECP=$TOP/regress/fakecp/fakecp.py

L=$(mktemp -d /tmp/mnt-pa-XXXXXX)
chmod 755 "$L"
NS=mnt-pa-$$
NP=mnt-pb-$$
TOKEN=pubaddr-token-$$
agent_pid=
cp_pid=
cleanup() {
	[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null
	[ -n "$cp_pid" ] && kill "$cp_pid" 2>/dev/null
	wait 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	ip netns del "$NP" 2>/dev/null
	[ -n "$KEEP" ] || rm -rf "$L"
}
trap cleanup EXIT INT TERM

# The router's uplink: a veth into the provider's namespace.
ip netns add "$NS"
ip netns add "$NP"
ip link add up0 netns "$NS" type veth peer name isp0 netns "$NP"
ip -n "$NS" link set lo up
ip -n "$NS" link set up0 up
ip -n "$NP" link set isp0 up
# Decoys first: a private primary, a public secondary, unique local.
ip -n "$NS" addr add 10.99.0.2/24 dev up0
ip -n "$NS" addr add 192.0.2.10/24 dev up0
ip -n "$NS" addr add 192.0.2.77/24 dev up0
ip -n "$NS" addr add fd00:99::2/64 dev up0 nodad
ip -n "$NS" addr add 2001:db8::10/64 dev up0 nodad
ip -n "$NS" addr add 172.20.1.1/32 dev lo
ip -n "$NP" addr add 192.0.2.1/24 dev isp0
ip -n "$NP" addr add 2001:db8::1/64 dev isp0 nodad
ip -n "$NS" route add default via 192.0.2.1
ip -n "$NS" -6 route add default via 2001:db8::1
# Another table's default route is not the router's.
ip -n "$NS" route add default via 10.99.0.1 table 100

mkdir -p "$L/state" "$L/peers" "$L/ibgp" "$L/policy"
echo '{"nodes": {"r1": {"config": {"node": {"name": "r1", "id": 1}},
    "sessions": []}}}' >"$L/cp.json"
ip netns exec "$NS" python3 "$FAKECP" --http --state "$L/cp.json" \
    --log "$L/cp.log" --token "$TOKEN" --port 0 --port-file "$L/cp.port" \
    >"$L/cp.out" 2>&1 &
cp_pid=$!
wait_for 10 test -s "$L/cp.port" ||
    { fail pubaddr_fakecp "$(cat "$L/cp.out")"; finish; }
PORT=$(cat "$L/cp.port")
(umask 077; head -c 32 /dev/urandom | base64 >"$L/key")

# config [PUBLICIPV4]: the agent's configuration
config() {
	pub=
	[ -n "$1" ] && pub=", \"publicIpv4\": \"$1\""
	cat >"$L/agent.json" <<EOC
{
	"node": { "name": "r1", "id": 1 $pub },
	"controlPlane": { "url": "http://127.0.0.1:$PORT", "token": "$TOKEN",
	    "heartbeatInterval": 5, "syncInterval": 300 },
	"bird": { "controlSocket": "$L/bird.ctl", "peerConfDir": "$L/peers",
	    "ibgpConfDir": "$L/ibgp", "policyDir": "$L/policy",
	    "maintenanceFile": "$L/maintenance.conf",
	    "templateDir": "$TOP/templates" },
	"wireguard": { "privateKeyPath": "$L/key", "dn42Ipv4": "172.20.1.1",
	    "dn42Ipv6": "fd00:4242:7777:101:4::1",
	    "loopbackInterface": "none" },
	"state": { "dir": "$L/state" },
	"control": { "socket": "$L/ctl.sock" },
	"log": { "level": "debug" }
}
EOC
	chmod 600 "$L/agent.json"
}
start_agent() {
	ip netns exec "$NS" "$AGENT" -d -f "$L/agent.json" \
	    >>"$L/agent.log" 2>&1 &
	agent_pid=$!
}
stop_agent() {
	kill "$agent_pid" 2>/dev/null
	wait_for 10 sh -c "! kill -0 $agent_pid 2>/dev/null"
	wait "$agent_pid" 2>/dev/null
	agent_pid=
}
# heartbeat SINCE V4 V6: a heartbeat after line SINCE of the control
# plane's log carried exactly these addresses ("-": none).
heartbeat() {
	python3 - "$L/cp.log" "$@" <<'EOP'
import json, sys
path, since, v4, v6 = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
want4 = None if v4 == "-" else v4
want6 = None if v6 == "-" else v6
for n, l in enumerate(open(path)):
    if n < since:
        continue
    r = json.loads(l)
    if r.get("path", "") != "/api/v1/agent/heartbeat":
        continue
    b = r.get("body")
    st = b.get("status") if isinstance(b, dict) else None
    if isinstance(st, dict) and st.get("publicIpv4") == want4 and \
            st.get("publicIpv6") == want6:
        sys.exit(0)
sys.exit(1)
EOP
}
lines() { [ -f "$L/cp.log" ] && wc -l <"$L/cp.log" || echo 0; }

# Discovered: the primary public address of the default route's link.
config
start_agent
check pubaddr_discovered wait_for 30 heartbeat 0 192.0.2.10 2001:db8::10
check pubaddr_logged grep -q \
    'heartbeat: public addresses 192.0.2.10, 2001:db8::10' "$L/agent.log"
"$TOP/moenetctl" -s "$L/ctl.sock" show status >"$L/status" 2>&1
check pubaddr_status_v4 grep -Eq '^Public IPv4: +192\.0\.2\.10$' "$L/status"
check pubaddr_status_v6 grep -Eq '^Public IPv6: +2001:db8::10$' "$L/status"

# The route's preferred source wins over the link's addresses.
ip -n "$NS" route replace default via 192.0.2.1 src 192.0.2.77
n=$(lines)
check pubaddr_prefsrc wait_for 30 heartbeat "$n" 192.0.2.77 2001:db8::10

# No IPv4 default route: the heartbeat goes without publicIpv4.
ip -n "$NS" route del default via 192.0.2.1
n=$(lines)
check pubaddr_no_route_no_field wait_for 30 heartbeat "$n" - 2001:db8::10
ip -n "$NS" route add default via 192.0.2.1
stop_agent

# Configured: node.publicIpv4 wins; IPv6 is still discovered.
config 198.51.100.9
n=$(lines)
start_agent
check pubaddr_config_wins wait_for 30 heartbeat "$n" 198.51.100.9 \
    2001:db8::10
check pubaddr_agent_alive kill -0 "$agent_pid"
stop_agent

if grep -q "$TOKEN" "$L/agent.log"; then
	fail pubaddr_token_not_logged "token in the agent's log"
else
	ok pubaddr_token_not_logged
fi
[ "$failures" -gt 0 ] && tail -30 "$L/agent.log"
finish
