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
# A router as the control plane's bootstrap script leaves it
# (moenet-core packages/api/src/handlers/bootstrap.ts), and a peer.
# Source it; it sets up, and removes everything on exit.
#
# Router N ("jp-edge", node id 4, region 101) lives in a network
# namespace and a private mount namespace that holds its own /etc/bird,
# /etc/wireguard, /opt, /run, /var/lib, /etc/passwd and /etc/group
# (without _moenet), /etc/hosts and CA bundle: nothing of the host is
# touched.  There: the script's stub bird.conf, maintenance.conf and
# blacklist.conf (BIRD 3 syntax), /etc/wireguard/private.key from
# "wg genkey", the agent as the one file /opt/moenet-agent/moenet-agent
# and config.json beside it, 0644, as the script writes it.  BIRD runs
# as the script's unit runs it, with the control socket the control
# plane's config document names.  The control plane is the fake one,
# at https://api.moenet.test:PORT, serving the documents the real one
# serves (handlers/agent.ts): config, sessions, bird-config, mesh.
#
# Router P is the peer, by hand: wireguard-go and BIRD, AS4242420002.
#
# Helpers: innode CMD (in N's namespaces), nbirdc ARGS (its BIRD),
# start_node (the agent as the script's unit starts it), node_log,
# established PROTO, modified UUID STATUS, cp_seen ENDPOINT.

. "$(dirname "$0")/../lib.sh"
need_root "${LAB_NAME:-node}"
# NODE_BIRD, NODE_BIRDC: the router's BIRD (the script installs a
# BIRD 3; script_node3.sh passes one), Debian's by default.
NODE_BIRD=${NODE_BIRD:-bird}
NODE_BIRDC=${NODE_BIRDC:-birdc}
for t in "$NODE_BIRD" "$NODE_BIRDC" bird birdc wireguard-go wg ip nsenter \
    unshare openssl curl; do
	command -v $t >/dev/null || { skip "${LAB_NAME:-node}" "$t not installed"; exit 0; }
done

NODE=jp-edge
NODE_ID=4
NODE_LB4=172.22.188.4
NODE_LB6=fd00:4242:7777:101:4::1
NODE_LL=fe80::998:101:4:1
OWN_AS=4242420998
PEER_AS=4242420002
PEER_IF=dn42_$PEER_AS
PEER_PORT=20001
NODE_PORT=30002
TOKEN=agent-api-key-$$-Zq7
UUID=0b8c4f9e-3d1a-4e55-9f0c-6a1d2b3c4d5e

L=$(mktemp -d /tmp/mnt-node-XXXXXX)
chmod 755 "$L"
NN=mnt-node-n-$$
NP=mnt-node-p-$$
holder=
agent_pid=
node_cleanup() {
	[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null
	for f in "$L"/p/bird.pid "$L"/cp.pid; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	if [ -n "$holder" ]; then
		p=$(innode cat /run/bird/bird.pid 2>/dev/null) && kill "$p" 2>/dev/null
		innode ip link del "$PEER_IF" 2>/dev/null
		kill "$holder" 2>/dev/null
	fi
	ip -n "$NP" link del wgp 2>/dev/null
	ip netns del "$NN" 2>/dev/null
	ip netns del "$NP" 2>/dev/null
	wait 2>/dev/null
	[ -n "$KEEP" ] || rm -rf "$L"
}
trap node_cleanup EXIT INT TERM

innode() { nsenter -t "$holder" -m -n -- "$@"; }
inpeer() {
	ip netns exec "$NP" sh -c \
	    'mount --bind "$0" /run/wireguard && exec "$@"' "$L/p/wg" "$@"
}

# The network: N and P on a veth pair, each with the other's address.
ip netns add "$NN"
ip netns add "$NP"
ip link add veth-n netns "$NN" type veth peer name veth-p netns "$NP"
for ns in "$NN" "$NP"; do
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
done
ip -n "$NN" addr add 203.0.113.1/24 dev veth-n
ip -n "$NN" addr add 2001:db8:1::1/64 dev veth-n nodad
ip -n "$NP" addr add 203.0.113.2/24 dev veth-p
ip -n "$NP" addr add 2001:db8:1::2/64 dev veth-p nodad
ip -n "$NN" link set veth-n up
ip -n "$NP" link set veth-p up

# N's private world.
R=$L/n
mkdir -p "$R/etc-bird" "$R/etc-wireguard" "$R/opt" "$R/varlib" \
    "$R/certs" "$L/p/wg"
grep -v '^_moenet:' /etc/passwd >"$R/passwd"
grep -v '^_moenet:' /etc/group >"$R/group"
printf '127.0.0.1\tlocalhost\n127.0.0.1\tapi.moenet.test\n::1\tlocalhost\n' \
    >"$R/hosts"
sh "$TOP/regress/fakecp/mkcert.sh" "$L/tls" api.moenet.test >/dev/null
{ cat /etc/ssl/certs/ca-certificates.crt 2>/dev/null; cat "$L/tls/ca.pem"; } \
    >"$R/certs/ca-certificates.crt"
[ -d /etc/ssl/certs ] || { skip "${LAB_NAME:-node}" "no /etc/ssl/certs"; exit 0; }
[ -d /etc/wireguard ] || { skip "${LAB_NAME:-node}" "no /etc/wireguard"; exit 0; }

ip netns exec "$NN" unshare --mount --propagation private \
    sleep 100000 >/dev/null 2>&1 &
holder=$!
# "ip netns exec" has a mount namespace of its own before it runs
# unshare: only once sleep runs is the holder's namespace the private
# one.  Mounts made in the one before would be lost, and the router's
# files would land on this machine's /etc/bird, /opt and /etc/wireguard.
wait_for 5 sh -c "[ \"\$(cat /proc/$holder/comm 2>/dev/null)\" = sleep ]" ||
    { fail node_namespace "no private mount namespace"; finish; }
innode sh -e -c '
	R=$0
	mount --bind "$R/etc-bird" /etc/bird
	mount --bind "$R/etc-wireguard" /etc/wireguard
	mount --bind "$R/opt" /opt
	mount --bind "$R/varlib" /var/lib
	mount --bind "$R/passwd" /etc/passwd
	mount --bind "$R/group" /etc/group
	mount --bind "$R/hosts" /etc/hosts
	mount --bind "$R/certs" /etc/ssl/certs
	mount -t tmpfs -o mode=0755 tmpfs /run
	mkdir -p /run/wireguard /run/bird
' "$R" || { fail node_mounts "cannot set up the private mounts"; finish; }
# Nothing is written through these paths unless they are the node's.
for d in etc-bird:/etc/bird etc-wireguard:/etc/wireguard opt:/opt \
    varlib:/var/lib certs:/etc/ssl/certs; do
	if [ "$(innode stat -c %d:%i "${d#*:}")" != \
	    "$(stat -c %d:%i "$R/${d%%:*}")" ] ||
	    [ "$(stat -c %d:%i "${d#*:}")" = "$(stat -c %d:%i "$R/${d%%:*}")" ]
	then
		fail node_mounts "${d#*:} is not the node's own"
		finish
	fi
done

# What the bootstrap script does, steps 6 and 7, in N.
innode sh -e -c '
	nodeId=$0
	chmod 700 /etc/wireguard
	(umask 077; wg genkey >/etc/wireguard/private.key)
	chmod 600 /etc/wireguard/private.key
	wg pubkey </etc/wireguard/private.key >/etc/wireguard/public.key
	mkdir -p /etc/bird/peers /etc/bird/ibgp.d /var/run/bird/run
	cat >/etc/bird/bird.conf <<BIRD_CONF_EOF
# MoeNet DN42 Bootstrap Configuration
# Full config will be synced by agent

log syslog all;
router id 172.22.188.${nodeId};

protocol device {
    scan time 10;
}

protocol direct direct1 {
    ipv4;
    ipv6;
    interface "dn42*", "dummy0", "lo";
}

# Static routes for our prefixes
protocol static static_v4 {
    ipv4;
    route 172.22.188.0/26 unreachable;
}

protocol static static_v6 {
    ipv6;
    route fd00:4242:7777::/48 unreachable;
}

# Kernel protocol
protocol kernel kernel1 {
    ipv4 {
        export filter {
            if dest = RTD_UNREACHABLE then reject;
            if net ~ [ 172.16.0.0/12+, 10.0.0.0/8+ ] then {
                krt_prefsrc = 172.22.188.${nodeId};
                accept;
            }
            reject;
        };
        import filter {
            if net ~ [ 172.16.0.0/12+, 10.0.0.0/8+ ] then accept;
            reject;
        };
    };
}

protocol kernel kernel2 {
    ipv6 {
        export filter {
            if dest = RTD_UNREACHABLE then reject;
            if net ~ [ fd00::/8+ ] then {
                krt_prefsrc = fd00:4242:7777::${nodeId};
                accept;
            }
            reject;
        };
        import filter {
            if net ~ [ fd00::/8+ ] then accept;
            reject;
        };
    };
}

# Peer configurations (empty for bootstrap)
include "/etc/bird/peers/*.conf";
include "/etc/bird/ibgp.d/*.conf";
BIRD_CONF_EOF
	touch /etc/bird/peers/.keep /etc/bird/ibgp.d/.keep
	cat >/etc/bird/maintenance.conf <<MAINT_EOF
define MAINTENANCE_MODE = false;
MAINT_EOF
	cat >/etc/bird/blacklist.conf <<BLACKLIST_EOF
# Blacklist stub - replaced by moenet-agent when ASNs are blocked
function is_blacklisted() -> bool {
    return false;
}
BLACKLIST_EOF
	chown -R root:root /etc/bird
	mkdir -p /opt/moenet-agent
' "$NODE_ID" || { fail node_script "the bootstrap steps failed"; finish; }
cp "$R/etc-bird/bird.conf" "$L/bird.conf.stub"
innode cp "$AGENT" /opt/moenet-agent/moenet-agent
innode chmod +x /opt/moenet-agent/moenet-agent
# The script's heredoc, with the shell's umask: 0644.
(umask 022; cat >"$R/opt/moenet-agent/config.json" <<AGENT_EOF
{
  "bootstrap": {
    "apiUrl": "https://api.moenet.test:CPPORT",
    "nodeName": "$NODE",
    "token": "$TOKEN"
  },
  "server": {
    "listen": ":24368"
  }
}
AGENT_EOF
)
NPUB=$(wg pubkey <"$R/etc-wireguard/private.key")

# The unit: bird -c /etc/bird/bird.conf, the socket where the control
# plane's config document says it is.
innode "$NODE_BIRD" -c /etc/bird/bird.conf -s /var/run/bird/run/bird.ctl \
    -P /run/bird/bird.pid ||
    { fail node_bird "BIRD does not start on the script's stub"; finish; }

# Router P, by hand.
(umask 077; wg genkey >"$L/p/key")
PPUB=$(wg pubkey <"$L/p/key")
inpeer wireguard-go wgp 2>/dev/null
ip -n "$NP" link set wgp addrgenmode none
ip -n "$NP" addr add fe80::2/64 dev wgp
ip -n "$NP" link set wgp mtu 1420 up
inpeer wg set wgp private-key "$L/p/key" listen-port "$PEER_PORT" \
    peer "$NPUB" allowed-ips ::/0,0.0.0.0/0 endpoint "203.0.113.1:$NODE_PORT"
cat >"$L/p/bird.conf" <<EOC
router id 192.0.2.2;
protocol device { scan time 2; }
protocol static { ipv6; route fd42:2::/48 unreachable; }
protocol static { ipv4; route 172.20.2.0/24 unreachable; }
protocol bgp moenet {
	local as $PEER_AS;
	neighbor $NODE_LL%wgp as $OWN_AS;
	source address fe80::2;
	hold time 9; connect retry time 2; connect delay time 1;
	ipv6 { import all; export where source = RTS_STATIC; };
	ipv4 { extended next hop on; import all; export where source = RTS_STATIC; };
}
EOC
ip netns exec "$NP" bird -c "$L/p/bird.conf" -s "$L/p/bird.ctl" -P "$L/p/bird.pid"

# The control plane: the documents of handlers/agent.ts for this node.
write_cp() {
	python3 - "$L/cp.json" "$1" <<EOP
import json, sys
path, status = sys.argv[1], int(sys.argv[2])
cred = json.dumps({"public_key": "$PPUB", "listen_port": $NODE_PORT})
session = {"uuid": "$UUID", "asn": $PEER_AS, "name": "AS$PEER_AS",
           "description": "AS$PEER_AS - peer@example.test",
           "status": status, "ipv4": "172.20.2.1", "ipv6": None,
           "ipv6LinkLocal": "fe80::2", "type": "wireguard",
           "extensions": ["mp-bgp", "extended-nexthop"],
           "interface": "$PEER_IF", "endpoint": "203.0.113.2:$PEER_PORT",
           "credential": cred, "data": None, "mtu": 1420, "port": $NODE_PORT,
           "policy": "full", "lastError": None}
config = {
    "node": {"name": "$NODE", "id": $NODE_ID, "region": "AS",
             "location": "Tokyo", "provider": "Example"},
    "bird": {"controlSocket": "/var/run/bird/run/bird.ctl", "poolSize": 5,
             "poolSizeMax": 64, "peerConfDir": "/etc/bird/peers",
             "ebgpConfTemplateFile": "/opt/moenet-agent/templates/ebgp.conf.tmpl",
             "ibgpConfDir": "/etc/bird/ibgp.d"},
    "wireguard": {"privateKeyPath": "/etc/wireguard/private.key",
                  "publicKeyPath": "/etc/wireguard/public.key",
                  "configDir": "/etc/wireguard",
                  "persistentKeepaliveInterval": 25,
                  "dn42Ipv4": "$NODE_LB4", "dn42Ipv6": "$NODE_LB6",
                  "dn42Ipv6LinkLocal": "$NODE_LL"},
    "metric": {"pingTimeout": 5, "pingCount": 4, "pingWorkers": 32},
    "autoUpdate": {"enabled": True, "checkInterval": 60, "channel": "stable",
                   "githubRepo": "heichaowo/moenet-agent"}}
bird_config = {
    "configHash": "6c1f2b9a0d3e",
    "node": {"id": $NODE_ID, "name": "$NODE", "type": "client",
             "bandwidth": "1G", "regionCode": 101,
             "loopbackIpv4": "$NODE_LB4", "loopbackIpv6": "$NODE_LB6",
             "continentLc": "LC_ORIGIN_AS", "subregionLc": "LC_REGION_AS_E",
             "regionCommunity": "DN42_REGION_AS_E",
             "bandwidthCommunity": "DN42_BW_1G_PLUS"},
    # The default policy row of db/models/birdPolicies.ts, but for the
    # RPKI servers: host names this lab cannot resolve.
    "policy": {"dn42As": "$OWN_AS", "dn42Ipv4Prefix": "172.22.188.0/26",
               "dn42Ipv6Prefix": "fd00:4242:7777::/48", "rpkiServers": [],
               "ebgpImportLimit": 10000, "ebgpExportLimit": 5000,
               "ibgpImportLimit": 20000, "ibgpExportLimit": 30000,
               "asPathMaxLen": 5,
               "communities": {
                   "latency": {"tier%d" % i: [64511, i + 1] for i in range(9)},
                   "bandwidth": {"100m_plus": [64511, 21],
                                 "10g_plus": [64511, 22],
                                 "1g_plus": [64511, 23],
                                 "100k_plus": [64511, 24],
                                 "10m_plus": [64511, 25]},
                   "crypto": {"none": [64511, 31], "unsafe": [64511, 32],
                              "encrypted": [64511, 33],
                              "latency": [64511, 34]},
                   "region": {"eu": [64511, 41], "na_e": [64511, 42],
                              "na_c": [64511, 43], "na_w": [64511, 44],
                              "ca": [64511, 45], "sa": [64511, 46],
                              "af": [64511, 47], "as_s": [64511, 48],
                              "as_se": [64511, 49], "as_e": [64511, 50],
                              "oc": [64511, 51], "me": [64511, 52],
                              "as_n": [64511, 53]}},
               "largeCommunities": {
                   "origin": {"as": [$OWN_AS, 1, 100], "na": [$OWN_AS, 1, 200],
                              "eu": [$OWN_AS, 1, 300], "oc": [$OWN_AS, 1, 400]},
                   "subregion": {k: [$OWN_AS, 2, v] for k, v in (
                       ("as_e", 101), ("as_se", 102), ("as_s", 103),
                       ("as_n", 104), ("na_e", 201), ("na_c", 202),
                       ("na_w", 203), ("eu_w", 301), ("eu_c", 302),
                       ("oc", 401))},
                   "bandwidth": {k: [$OWN_AS, 5, v] for k, v in (
                       ("10g", 10000), ("5g", 5000), ("2g", 2000),
                       ("1g", 1000), ("500m", 500), ("200m", 200),
                       ("100m", 100), ("50m", 50), ("10m", 10))}}},
    "ibgpPeers": []}
mesh = {"self": {"nodeId": $NODE_ID, "nodeName": "$NODE",
                 "nodeType": "client", "regionCode": 101,
                 "loopbackIpv4": "$NODE_LB4", "loopbackIpv6": "$NODE_LB6",
                 "isRr": False},
        "peers": []}
st = {"nodes": {"$NODE": {"config": config, "sessions": [session],
                          "birdConfig": bird_config, "mesh": mesh}}}
json.dump(st, open(path + ".tmp", "w"))
EOP
	mv "$L/cp.json.tmp" "$L/cp.json"
}
write_cp 4
# Not through innode: a function in the background is a subshell, and
# $! would be that shell, not the fake control plane cleanup must stop.
nsenter -t "$holder" -m -n -- \
    python3 "$TOP/regress/fakecp/fakecp.py" --state "$L/cp.json" \
    --log "$L/cp.log" --token "$TOKEN" --port 0 --port-file "$L/cp.port" \
    --cert "$L/tls/server.pem" --key "$L/tls/server.key" >"$L/cp.out" 2>&1 &
echo $! >"$L/cp.pid"
wait_for 10 test -s "$L/cp.port" || { fail node_fakecp "$(cat "$L/cp.out")"; finish; }
CPPORT=$(cat "$L/cp.port")
sed -i "s/CPPORT/$CPPORT/" "$R/opt/moenet-agent/config.json"

# start_node: as the script's unit (Type=simple, WorkingDirectory,
# ExecStart with no arguments); systemd's environment for a service
# whose output goes to the journal.  Not through a subshell: $! must be
# the agent.
start_node() {
	nsenter -t "$holder" -m -n -- sh -c \
	    'cd /opt/moenet-agent && exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	    INVOCATION_ID=0123456789abcdef0123456789abcdef JOURNAL_STREAM=8:12345 \
	    /opt/moenet-agent/moenet-agent' >>"$L/agent.log" 2>&1 &
	agent_pid=$!
}
stop_node() {
	kill "$agent_pid" 2>/dev/null
	wait_for 15 sh -c "! kill -0 $agent_pid 2>/dev/null"
	wait "$agent_pid" 2>/dev/null
	node_rc=$?
	agent_pid=
}
node_log() { grep -qF -- "$1" "$L/agent.log"; }
# nbirdc ARGS: the router's birdc
nbirdc() { innode "$NODE_BIRDC" -s /var/run/bird/run/bird.ctl "$@"; }
established() { nbirdc show protocols "$1" | grep -q Established; }
# cp_seen ENDPOINT: the control plane got a request for it
cp_seen() { grep -q "\"path\": \"[^\"]*$1\"" "$L/cp.log"; }
# modified UUID STATUS: the control plane got that modify
modified() { cp_modified "$L/cp.log" "$@"; }
