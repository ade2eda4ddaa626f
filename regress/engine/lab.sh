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
# The lab the engine tests share; source it.  A fake control plane,
# router A with its own BIRD and moenet-agent (not started: start_agent),
# router B configured by hand as the DN42 peer (wireguard-go wgb, BIRD
# protocol "a"), each in its own network namespace, joined by a veth.
# Session s1 (status 4) is in the control plane's state.  Everything is
# removed on exit.  Helpers: start_agent, stop_agent, write_cp,
# modified UUID STATUS, established PROTO, route_from_b, handshake,
# wgpid, ina/inb (run in a router's namespace with its /run/wireguard).

. "$(dirname "$0")/../lib.sh"
need_root "${LAB_NAME:-engine}"
FAKECP=$TOP/regress/fakecp/fakecp.py
for t in bird birdc wireguard-go wg ip; do
	command -v $t >/dev/null || { skip engine "$t not installed"; exit 0; }
done

L=$(mktemp -d /tmp/mnt-eng-XXXXXX)
chmod 755 "$L"
NA=mnt-en-a-$$
NB=mnt-en-b-$$
TOKEN=engine-token-$$
agent_pid=
all_agents=
cleanup() {
	for p in $all_agents; do kill "$p" 2>/dev/null; done
	for f in "$L"/*/bird.pid "$L"/cp.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	ip -n "$NA" link del dn42_4242420002 2>/dev/null
	ip -n "$NB" link del wgb 2>/dev/null
	ip netns del "$NA" 2>/dev/null
	ip netns del "$NB" 2>/dev/null
	wait 2>/dev/null
	[ -n "$KEEP" ] || rm -rf "$L"
}
trap cleanup EXIT INT TERM

# A command in a router's namespace, with its own /run/wireguard.
inns() {
	ns=$1; dir=$2; shift 2
	ip netns exec "$ns" sh -c \
	    'mount --bind "$0" /run/wireguard && exec "$@"' "$dir" "$@"
}
ina() { inns "$NA" "$L/a/wg" "$@"; }
inb() { inns "$NB" "$L/b/wg" "$@"; }

mkdir -p "$L/a/wg" "$L/a/peers" "$L/a/state" "$L/b/wg" /run/wireguard
ip netns add "$NA"
ip netns add "$NB"
ip link add veth-a netns "$NA" type veth peer name veth-b netns "$NB"
ip -n "$NA" link set lo up
ip -n "$NB" link set lo up
ip -n "$NA" addr add fd00:ab::1/64 dev veth-a nodad
ip -n "$NB" addr add fd00:ab::2/64 dev veth-b nodad
ip -n "$NA" link set veth-a up
ip -n "$NB" link set veth-b up
(umask 077; wg genkey >"$L/a/key"; wg genkey >"$L/b/key")
APUB=$(wg pubkey <"$L/a/key")
BPUB=$(wg pubkey <"$L/b/key")
# A's tunnels carry fe80::998:101:4:1, derived from its dn42Ipv6.
ALL=fe80::998:101:4:1

# Router B, by hand: the peer that A's agent must reach.
inb wireguard-go wgb 2>/dev/null
ip -n "$NB" link set wgb addrgenmode none
ip -n "$NB" addr add fe80::b/64 dev wgb
ip -n "$NB" link set wgb mtu 1420 up
inb wg set wgb private-key "$L/b/key" listen-port 20001 \
    peer "$APUB" allowed-ips ::/0,0.0.0.0/0
cat >"$L/b/bird.conf" <<EOC
router id 192.0.2.2;
protocol device { scan time 2; }
protocol static { ipv6; route fd42:2::/48 unreachable; }
protocol static { ipv4; route 172.20.2.0/24 unreachable; }
protocol bgp a {
	local as 4242420002;
	neighbor $ALL%wgb as 4242420001;
	source address fe80::b;
	hold time 9; connect retry time 2; connect delay time 1;
	ipv6 { import all; export where source = RTS_STATIC; };
	ipv4 { extended next hop on; import all; export where source = RTS_STATIC; };
}
EOC
ip netns exec "$NB" bird -c "$L/b/bird.conf" -s "$L/b/bird.ctl" -P "$L/b/bird.pid"

# Router A: BIRD with the operator's template and filters.
echo 'define MAINTENANCE_MODE = false;' >"$L/a/maintenance.conf"
cat >"$L/a/bird.conf" <<EOC
router id 192.0.2.1;
include "$L/a/maintenance.conf";
protocol device { scan time 2; }
protocol static { ipv6; route fd42:1::/48 unreachable; }
protocol static { ipv4; route 172.20.1.0/24 unreachable; }
filter dn42_import_filter { accept; }
filter dn42_export_filter {
	if source != RTS_STATIC then reject;
	if MAINTENANCE_MODE then bgp_community.add((65535, 0));
	accept;
}
template bgp dn42_peer {
	local as 4242420001;
	hold time 9; connect retry time 2; connect delay time 1;
	ipv4 { import filter dn42_import_filter; export filter dn42_export_filter; };
	ipv6 { import filter dn42_import_filter; export filter dn42_export_filter; };
}
include "$L/a/peers/*.conf";
EOC
ip netns exec "$NA" bird -c "$L/a/bird.conf" -s "$L/a/bird.ctl" -P "$L/a/bird.pid"

# The control plane, inside A's namespace (the agent reaches its loopback).
sh "$TOP/regress/fakecp/mkcert.sh" "$L/tls" >/dev/null
write_cp() {
	cat >"$L/cp.json.tmp" <<EOC
{"nodes": {"r1": {
  "config": {"node": {"name": "r1", "id": 1}},
  "sessions": [$1]}}}
EOC
	mv "$L/cp.json.tmp" "$L/cp.json"
}
S1_UP='{"uuid": "s1", "asn": 4242420002, "status": 4, "type": "wireguard",
  "name": "peer b", "interface": "dn42_4242420002", "credential": "'$BPUB'",
  "endpoint": "[fd00:ab::2]:20001", "ipv6LinkLocal": "fe80::b", "port": 20002,
  "extensions": ["mp-bgp", "extended-nexthop"], "mtu": 1420}'
write_cp "$S1_UP"
ip netns exec "$NA" python3 "$FAKECP" --state "$L/cp.json" --log "$L/cp.log" \
    --token "$TOKEN" --port 0 --port-file "$L/cp.port" \
    --cert "$L/tls/server.pem" --key "$L/tls/server.key" >"$L/cp.out" 2>&1 &
echo $! >"$L/cp.pid"
wait_for 10 test -s "$L/cp.port" || { fail engine_fakecp "$(cat "$L/cp.out")"; finish; }
PORT=$(cat "$L/cp.port")

cat >"$L/a/agent.json" <<EOC
{
	"node": { "name": "r1", "id": 1 },
	"controlPlane": { "url": "https://127.0.0.1:$PORT", "token": "$TOKEN",
	    "caFile": "$L/tls/ca.pem", "syncInterval": 5, "heartbeatInterval": 5,
	    "retryInitialDelay": "1s", "maxRetries": 1, "removeAfterMissing": 2 },
	"bird": { "controlSocket": "$L/a/bird.ctl", "peerConfDir": "$L/a/peers",
	    "ibgpConfDir": "$L/a/ibgp", "policyDir": "$L/a/policy",
	    "maintenanceFile": "$L/a/maintenance.conf", "templateDir": "$TOP/templates" },
	"wireguard": { "privateKeyPath": "$L/a/key", "dn42Ipv4": "172.20.1.1",
	    "dn42Ipv6": "fd00:4242:7777:101:4::1", "backend": "userspace" },
	"state": { "dir": "$L/a/state" },
	"control": { "socket": "$L/a/ctl.sock" },
	"log": { "level": "debug" }
}
EOC
chmod 600 "$L/a/agent.json"

# start_agent [CONFIG]; not through a subshell: $! must be the agent.
start_agent() {
	ip netns exec "$NA" sh -c \
	    'mount --bind "$0" /run/wireguard && exec "$@"' "$L/a/wg" \
	    "$AGENT" -d -f "${1:-$L/a/agent.json}" >>"$L/a/agent.log" 2>&1 &
	agent_pid=$!
	all_agents="$all_agents $agent_pid"
}
stop_agent() {
	kill "$agent_pid" 2>/dev/null
	wait_for 10 sh -c "! kill -0 $agent_pid 2>/dev/null"
	wait "$agent_pid" 2>/dev/null
	agent_pid=
}
# refused UUID TEXT: the control plane got a modify 6 for UUID whose
# lastError holds TEXT.
refused() {
	python3 - "$L/cp.log" "$1" "$2" <<'EOP'
import json, sys
path, uuid, text = sys.argv[1:]
for l in open(path):
    r = json.loads(l)
    if not r.get("path", "").endswith("/modify"):
        continue
    b = r.get("body")
    if isinstance(b, str):
        try:
            b = json.loads(b)
        except ValueError:
            continue
    if isinstance(b, dict) and b.get("uuid") == uuid and \
       b.get("status") == 6 and text in (b.get("lastError") or ""):
        sys.exit(0)
sys.exit(1)
EOP
}
# pyjson NAME SCRIPT [ARG...]: SCRIPT (Python, d is $L/out read as
# JSON) holds.
pyjson() {
	n=$1 script=$2
	shift 2
	if python3 -c "
import json, sys, time
d = json.load(open(sys.argv[1]))
$script
" "$L/out" "$@" 2>"$L/py.err"; then
		ok "$n"
	else
		fail "$n" "$(cat "$L/py.err") in $(cat "$L/out")"
	fi
}
# modified UUID STATUS: the control plane got that modify
modified() { cp_modified "$L/cp.log" "$@"; }
established() { birdc -s "$L/a/bird.ctl" show protocols "$1" | grep -q Established; }
route_from_b() { birdc -s "$L/a/bird.ctl" show route for fd42:2::1 | grep -q dn42_4242420002; }
handshake() { ina wg show dn42_4242420002 latest-handshakes | awk '{print $2}'; }
# Only this lab's namespace: other labs may run the same names.
wgpid() {
	for p in $(ip netns pids "$NA"); do
		case "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" in
		"wireguard-go ${1:-dn42_4242420002} "*) echo "$p"; return ;;
		esac
	done
}
