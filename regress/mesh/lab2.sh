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
# A lab of two routers that are both ours; source it.  Routers A (r1-rr,
# node 1, a route reflector by its name) and B (r2, node 2), each in its
# own network namespace with its own mount namespace for /run/wireguard
# and /etc/hosts, each with BIRD and a moenet-agent (own config, state
# directory, control socket; not started: start_agent a|b), joined by
# a veth.  One fake control plane runs in A on 127.0.0.1; socat in A
# forwards [fd00:ab::1]:PORT to it, and both routers' /etc/hosts name
# that address "mnt-me-cp", the name in the test certificate.  The
# control plane lists the routers as mesh peers and iBGP peers of each
# other (A dials B's endpoint, B is passive).  Loopbacks sit on lo, as
# an operator without a dummy driver would put them.  Everything is
# removed on exit.  Helpers: write_cp, start_agent, stop_agent, ina/inb,
# birda/birdb, mesh_status NODE PEER TEXT.

. "$(dirname "$0")/../lib.sh"
need_root "${LAB_NAME:-mesh}"
FAKECP=$TOP/regress/fakecp/fakecp.py
for t in bird birdc wireguard-go wg ip socat openssl python3; do
	command -v $t >/dev/null || { skip "${LAB_NAME:-mesh}" "$t not installed"; exit 0; }
done

L=$(mktemp -d /tmp/mnt-me-XXXXXX)
chmod 755 "$L"
NA=mnt-me-a-$$
NB=mnt-me-b-$$
TOKEN=mesh-token-$$
CPNAME=mnt-me-cp
pid_a= pid_b=
all_agents=
cleanup() {
	for p in $all_agents; do kill "$p" 2>/dev/null; done
	for f in "$L"/*/bird.pid "$L"/cp.pid "$L"/socat.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	for l in dn42-wg-igp-2; do ip -n "$NA" link del "$l" 2>/dev/null; done
	for l in dn42-wg-igp-1; do ip -n "$NB" link del "$l" 2>/dev/null; done
	ip netns del "$NA" 2>/dev/null
	ip netns del "$NB" 2>/dev/null
	wait 2>/dev/null
	[ -n "$KEEP" ] || rm -rf "$L"
}
trap cleanup EXIT INT TERM

# A command in a router's namespace, with its own /run/wireguard and
# /etc/hosts (a mount namespace of its own, made by ip netns exec).
inns() {
	ns=$1; dir=$2; shift 2
	ip netns exec "$ns" sh -c 'mount --bind "$0/wg" /run/wireguard &&
	    mount --bind "$0/hosts" /etc/hosts && exec "$@"' "$dir" "$@"
}
ina() { inns "$NA" "$L/a" "$@"; }
inb() { inns "$NB" "$L/b" "$@"; }
birda() { birdc -s "$L/a/bird.ctl" "$@"; }
birdb() { birdc -s "$L/b/bird.ctl" "$@"; }

ip netns add "$NA"
ip netns add "$NB"
ip link add veth-a netns "$NA" type veth peer name veth-b netns "$NB"
for r in a b; do
	ns=$NA; n=1; [ $r = b ] && { ns=$NB; n=2; }
	mkdir -p "$L/$r/wg" "$L/$r/peers" "$L/$r/ibgp" "$L/$r/state" \
	    "$L/$r/policy" /run/wireguard
	printf '127.0.0.1 localhost\n::1 localhost\nfd00:ab::1 %s\n' \
	    "$CPNAME" >"$L/$r/hosts"
	(umask 077; wg genkey >"$L/$r/key")
	ip -n "$ns" link set lo up
	ip -n "$ns" addr add 172.20.1.$n/32 dev lo
	ip -n "$ns" addr add fd00:4242:7777:101:$n::1/128 dev lo
	ip -n "$ns" addr add fd00:ab::$n/64 dev veth-$r nodad
	ip -n "$ns" link set veth-$r up
	# The agent's group may open ICMP echo sockets: RTT probes.
	ip netns exec "$ns" sysctl -q -w net.ipv4.ping_group_range="0 2147483647"
	echo 'define MAINTENANCE_MODE = false;' >"$L/$r/maintenance.conf"
	# The operator's part: the kernel gets Babel's routes (iBGP needs
	# them to reach the other loopback); a prefix to carry over iBGP.
	cat >"$L/$r/bird.conf" <<EOC
router id 172.20.1.$n;
include "$L/$r/maintenance.conf";
protocol device { scan time 2; }
protocol kernel { ipv6 { export where source = RTS_BABEL; }; }
protocol kernel { ipv4 { export where source = RTS_BABEL; }; }
protocol static { ipv6; route fd42:$n::/48 unreachable; }
include "$L/$r/ibgp/*.conf";
EOC
	ip netns exec "$ns" bird -c "$L/$r/bird.conf" -s "$L/$r/bird.ctl" \
	    -P "$L/$r/bird.pid"
done
APUB=$(wg pubkey <"$L/a/key")
BPUB=$(wg pubkey <"$L/b/key")

# The control plane: one state file, a document per router.
sh "$TOP/regress/fakecp/mkcert.sh" "$L/tls" "$CPNAME" >/dev/null
MESH_A='{"nodeId": 2, "nodeName": "r2", "loopbackIpv4": "172.20.1.2",
  "loopbackIpv6": "fd00:4242:7777:101:2::1", "publicKey": "'$BPUB'",
  "endpoint": "[fd00:ab::2]:51821", "mtu": 1420, "isRr": false}'
MESH_B='{"nodeId": 1, "nodeName": "r1-rr", "loopbackIpv4": "172.20.1.1",
  "loopbackIpv6": "fd00:4242:7777:101:1::1", "publicKey": "'$APUB'",
  "endpoint": "", "isRr": true}'
IBGP_A='{"nodeId": 2, "nodeName": "r2", "loopbackIpv4": "172.20.1.2",
  "loopbackIpv6": "fd00:4242:7777:101:2::1", "isRr": false}'
IBGP_B='{"nodeId": 1, "nodeName": "r1-rr", "loopbackIpv4": "172.20.1.1",
  "loopbackIpv6": "fd00:4242:7777:101:1::1", "isRr": true}'
policy() {
	echo '{"configHash": "h'$1'", "node": {"id": '$1', "name": "'$2'",
  "loopbackIpv4": "172.20.1.'$1'", "loopbackIpv6": "fd00:4242:7777:101:'$1'::1"},
  "policy": {"dn42As": "4242420001", "dn42Ipv4Prefix": "172.20.1.0/24",
  "dn42Ipv6Prefix": "fd00:4242:7777::/48"}, "ibgpPeers": ['$3']}'
}
# write_cp MESH_OF_A IBGP_OF_A MESH_OF_B IBGP_OF_B
write_cp() {
	cat >"$L/cp.json.tmp" <<EOC
{"nodes": {
 "r1-rr": {"config": {"node": {"name": "r1-rr", "id": 1}}, "sessions": [],
  "mesh": {"self": {"nodeId": 1, "nodeName": "r1-rr", "isRr": true},
   "peers": [$1]},
  "birdConfig": $(policy 1 r1-rr "$2")},
 "r2": {"config": {"node": {"name": "r2", "id": 2}}, "sessions": [],
  "mesh": {"self": {"nodeId": 2, "nodeName": "r2"}, "peers": [$3]},
  "birdConfig": $(policy 2 r2 "$4")}}}
EOC
	mv "$L/cp.json.tmp" "$L/cp.json"
}
write_cp "$MESH_A" "$IBGP_A" "$MESH_B" "$IBGP_B"
ip netns exec "$NA" python3 "$FAKECP" --state "$L/cp.json" --log "$L/cp.log" \
    --token "$TOKEN" --port 0 --port-file "$L/cp.port" \
    --cert "$L/tls/server.pem" --key "$L/tls/server.key" >"$L/cp.out" 2>&1 &
echo $! >"$L/cp.pid"
wait_for 10 test -s "$L/cp.port" || { fail mesh_fakecp "$(cat "$L/cp.out")"; finish; }
PORT=$(cat "$L/cp.port")
ip netns exec "$NA" socat "TCP6-LISTEN:$PORT,bind=[fd00:ab::1],reuseaddr,fork" \
    "TCP4:127.0.0.1:$PORT" 2>"$L/socat.err" &
echo $! >"$L/socat.pid"

for r in a b; do
	n=1 name=r1-rr; [ $r = b ] && { n=2 name=r2; }
	cat >"$L/$r/agent.json" <<EOC
{
	"node": { "name": "$name", "id": $n },
	"controlPlane": { "url": "https://$CPNAME:$PORT", "token": "$TOKEN",
	    "caFile": "$L/tls/ca.pem", "syncInterval": 30, "heartbeatInterval": 30,
	    "meshSyncInterval": 5, "ibgpSyncInterval": 5, "rttInterval": 5,
	    "retryInitialDelay": "1s", "maxRetries": 1, "removeAfterMissing": 2 },
	"bird": { "controlSocket": "$L/$r/bird.ctl", "peerConfDir": "$L/$r/peers",
	    "ibgpConfDir": "$L/$r/ibgp", "policyDir": "$L/$r/policy",
	    "maintenanceFile": "$L/$r/maintenance.conf", "templateDir": "$TOP/templates",
	    "configFile": "$L/$r/bird.conf", "blacklistFile": "$L/$r/blacklist.conf",
	    "localConfigFile": "$L/$r/local.conf" },
	"wireguard": { "privateKeyPath": "$L/$r/key", "dn42Ipv4": "172.20.1.$n",
	    "dn42Ipv6": "fd00:4242:7777:101:$n::1", "backend": "userspace" },
	"state": { "dir": "$L/$r/state" },
	"control": { "socket": "$L/$r/ctl.sock" },
	"log": { "level": "debug" }
}
EOC
	chmod 600 "$L/$r/agent.json"
done

# start_agent a|b; not through a subshell: $! must be the agent itself.
start_agent() {
	ns=$NA; [ "$1" = b ] && ns=$NB
	ip netns exec "$ns" sh -c 'mount --bind "$0/wg" /run/wireguard &&
	    mount --bind "$0/hosts" /etc/hosts && exec "$@"' "$L/$1" \
	    "$AGENT" -d -f "$L/$1/agent.json" >>"$L/$1/agent.log" 2>&1 &
	eval "pid_$1=$!"
	all_agents="$all_agents $!"
}
stop_agent() {
	eval "p=\$pid_$1"
	kill "$p" 2>/dev/null
	wait_for 10 sh -c "! kill -0 $p 2>/dev/null"
	wait "$p" 2>/dev/null
	eval "pid_$1="
}
# mesh_status NODE PEER TEXT: the control plane got that status.
# rtt_reported NODE TARGET: NODE posted an answered probe of TARGET.
rtt_reported() {
	python3 - "$L/cp.log" "$1" "$2" <<'EOP'
import json, sys
path, node, target = sys.argv[1:4]
for l in open(path):
    r = json.loads(l)
    if r.get("path", "").endswith("/%s/rtt" % node):
        b = r.get("body")
        for m in (b or {}).get("measurements", []) if isinstance(b, dict) else []:
            if m.get("target") == target and m.get("rtt_ms", -1) >= 0 and \
                    m.get("loss", 100) < 100:
                sys.exit(0)
sys.exit(1)
EOP
}
mesh_status() {
	python3 - "$L/cp.log" "$1" "$2" "$3" <<'EOP'
import json, sys
path, node, peer, text = sys.argv[1:5]
for l in open(path):
    r = json.loads(l)
    if r.get("path", "").endswith("/%s/mesh/status" % node):
        b = r.get("body")
        if isinstance(b, dict) and isinstance(b.get("peers"), dict) and \
                b["peers"].get(peer) == text and b.get("node_id") == node:
            sys.exit(0)
sys.exit(1)
EOP
}
