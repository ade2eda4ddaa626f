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
#
# The routing policy of bootstrap mode, end to end (the engine lab,
# regress/engine/lab.sh): router A's agent starts with only its name,
# token and local paths; the node configuration, the session and the
# bird-config document come from the fake control plane.  A's bird.conf
# is what bootstrap mode asks of an operator: a router id, its own
# prefixes and two includes.  The peer file waits for the policy, the
# session comes up with the policy's template and filters (their
# communities are seen at both ends), an unchanged configHash costs no
# reconfiguration, a new one is applied once, and a document that does
# not validate changes nothing.

LAB_NAME=bootpolicy
. "$(dirname "$0")/../engine/lab.sh"

POL=$L/a/policy
mkdir -p "$POL" "$L/a/ibgp"
# The stub the control plane's bootstrap script writes; the agent
# renders the whole file once it has the policy.
cat >"$L/a/bird.conf" <<EOC
log syslog all;
router id 192.0.2.1;
protocol device { scan time 10; }
protocol direct { ipv4; ipv6; interface "dummy0"; }
protocol static { ipv4; }
protocol kernel { ipv4 { export none; }; }
protocol kernel { ipv6 { export none; }; }
include "$L/a/peers/*.conf";
include "$L/a/ibgp/*.conf";
EOC
cp "$L/a/bird.conf" "$L/a/bird.conf.stub"
# The script's block list, in BIRD 2.14's syntax that BIRD 2.0 refuses.
echo 'function is_blacklisted() -> bool { return false; }' >"$L/a/blacklist.conf"
cp "$L/a/blacklist.conf" "$L/a/blacklist.conf.stub"
if out=$(birdc -s "$L/a/bird.ctl" configure 2>&1) &&
    birdc -s "$L/a/bird.ctl" show protocols | grep -q static1; then
	ok bootpol_bird_minimal_conf
else
	fail bootpol_bird_minimal_conf "$out"
fi

# cp_doc HASH PATHLEN: the control plane's state with that policy.
cp_doc() {
	python3 - "$L" "$BPUB" "$1" "$2" "$TOKEN" <<'EOP'
import json, sys
lab, bpub, chash, pathlen, token = sys.argv[1:6]
session = {"uuid": "s1", "asn": 4242420002, "status": 4,
           "type": "wireguard", "name": "peer b",
           "interface": "dn42_4242420002", "credential": bpub,
           "endpoint": "[fd00:ab::2]:20001", "ipv6LinkLocal": "fe80::b",
           "port": 20002, "extensions": ["mp-bgp", "extended-nexthop"],
           "mtu": 1420}
policy = {"configHash": chash,
          "node": {"id": 1, "name": "r1",
                   "regionCommunity": "DN42_REGION_AS_E",
                   "bandwidthCommunity": "DN42_BW_1G_PLUS"},
          "policy": {"dn42As": "4242420001",
                     "dn42Ipv4Prefix": "172.20.1.0/24",
                     "dn42Ipv6Prefix": "fd42:1::/48",
                     "asPathMaxLen": pathlen,
                     "ebgpImportLimit": 1000},
          "ibgpPeers": []}
if pathlen == "bad":
    policy["policy"]["asPathMaxLen"] = "twenty"
node = {"config": {
            "node": {"name": "r1", "id": 1},
            "bird": {"controlSocket": lab + "/a/bird.ctl",
                     "peerConfDir": lab + "/a/peers"},
            "wireguard": {"privateKeyPath": lab + "/a/key",
                          "dn42Ipv4": "172.20.1.1",
                          "dn42Ipv6": "fd00:4242:7777:101:4::1",
                          "backend": "userspace"}},
        "sessions": [session], "birdConfig": policy}
json.dump({"nodes": {"r1": node}}, open(lab + "/cp.json.tmp", "w"))
EOP
	mv "$L/cp.json.tmp" "$L/cp.json"
}
cp_doc h1 24

cat >"$L/a/boot.json" <<EOC
{
	"bootstrap": { "controlPlaneUrl": "https://127.0.0.1:$PORT",
	    "nodeName": "r1", "token": "$TOKEN" },
	"controlPlane": { "caFile": "$L/tls/ca.pem", "syncInterval": 5,
	    "heartbeatInterval": 5, "policyInterval": 5,
	    "retryInitialDelay": "1s", "maxRetries": 1 },
	"bird": { "templateDir": "$TOP/templates", "policyDir": "$POL",
	    "ibgpConfDir": "$L/a/ibgp", "maintenanceFile": "$L/a/maintenance.conf",
	    "configFile": "$L/a/bird.conf", "blacklistFile": "$L/a/blacklist.conf",
	    "localConfigFile": "$L/a/local.conf" },
	"state": { "dir": "$L/a/state" },
	"control": { "socket": "$L/a/ctl.sock" },
	"log": { "level": "debug" }
}
EOC
chmod 600 "$L/a/boot.json"
start_agent "$L/a/boot.json"

logged() { grep -qF "$1" "$L/a/agent.log"; }
reconfs() { grep -c 'reconfiguring BIRD' "$L/a/agent.log"; }
# comm_at ROUTER PROTO COMMUNITY: a route from PROTO carries it.
comm_at() {
	birdc -s "$L/$1/bird.ctl" show route all protocol "$2" | bird_attrs |
	    grep -q "BGP.community:.*$3"
}

if ! wait_for 60 logged "routing policy h1 applied (AS4242420001"; then
	fail bootpol_applied "no policy applied"
	tail -40 "$L/a/agent.log"
	finish
fi
ok bootpol_applied
for f in 00-defs.conf 05-blacklist.conf 10-filters.conf; do
	check "bootpol_file_$f" test -s "$POL/$f"
done
# bird.conf is the agent's now; the stub is kept, the operator's and
# the block list's files are created once.
check bootpol_main_rendered grep -q "^# moenet-agent: bird.conf h1" "$L/a/bird.conf"
check bootpol_main_includes grep -q "include \"$POL/\*.conf\";" "$L/a/bird.conf"
check bootpol_main_router_id grep -q "router id 172.20.1.1;" "$L/a/bird.conf"
check bootpol_stub_kept cmp -s "$L/a/bird.conf.stub" "$L/a/state/bird.conf.orig"
check bootpol_local_created test -f "$L/a/local.conf"
check bootpol_blacklist_kept cmp -s "$L/a/blacklist.conf" "$L/a/blacklist.conf.stub"
check bootpol_own_as grep -q 'define OWNAS = 4242420001;' "$POL/00-defs.conf"
check bootpol_own_net grep -q 'fd42:1::/48' "$POL/00-defs.conf"
check bootpol_path_len grep -q 'bgp_path.len > 24' "$POL/10-filters.conf"
check bootpol_import_limit grep -q 'import limit 1000 action' "$POL/10-filters.conf"
check bootpol_session_active wait_for 60 modified s1 2
check bootpol_established wait_for 60 established dn42_4242420002
check bootpol_no_error_reported sh -c "! modified s1 6"
# The policy's filters at work: A tags what it learns with its region,
# and its own prefixes with its bandwidth.
check bootpol_region_on_import wait_for 30 comm_at a dn42_4242420002 '(64511,50)'
check bootpol_bw_at_peer wait_for 30 comm_at b a '(64511,24)'
check bootpol_route_learned wait_for 30 route_from_b

# Unchanged configHash: no reconfiguration in several policy runs.
nr=$(reconfs)
runs() { grep -c 'GET /api/v1/agent/r1/bird-config\|bird-config' "$L/cp.log"; }
p0=$(runs)
check bootpol_polled_again wait_for 20 sh -c "[ \$(grep -c 'bird-config' '$L/cp.log') -ge $((p0 + 2)) ]"
check bootpol_unchanged_no_reconf [ "$(reconfs)" -eq "$nr" ]

# A new configHash with a change: rendered and applied once.
cp_doc h2 12
check bootpol_new_applied wait_for 30 logged "routing policy h2 applied"
check bootpol_new_file wait_for 5 grep -q 'bgp_path.len > 12' "$POL/10-filters.conf"
check bootpol_new_one_reconf [ "$(reconfs)" -eq $((nr + 1)) ]
check bootpol_new_still_established established dn42_4242420002

# A document that does not validate: the last policy stays.
nr=$(reconfs)
cp_doc h3 bad
check bootpol_bad_noticed wait_for 30 sh -c \
    "grep -q 'bird-config.*asPathMaxLen\|asPathMaxLen.*not' '$L/a/agent.log'"
check bootpol_bad_files_kept grep -q 'bgp_path.len > 12' "$POL/10-filters.conf"
check bootpol_bad_no_reconf [ "$(reconfs)" -eq "$nr" ]
check bootpol_bad_still_established established dn42_4242420002

# The block list at work, as the control plane edits it: B's prefix is
# refused at the next policy run, and accepted again once it is gone.
cp_doc h2 12
printf '%s\n' 'function is_blacklisted() -> bool {' \
    '	if net ~ [ fd42:2::/48+ ] then return true;' '	return false;' '}' \
    >"$L/a/blacklist.conf"
no_route_from_b() { ! route_from_b; }
check bootpol_blacklist_blocks wait_for 30 no_route_from_b
check bootpol_blacklist_file_untouched grep -q 'fd42:2::/48+' "$L/a/blacklist.conf"
cp "$L/a/blacklist.conf.stub" "$L/a/blacklist.conf"
check bootpol_blacklist_unblocks wait_for 30 route_from_b
check bootpol_blacklist_still_established established dn42_4242420002

[ "$failures" -gt 0 ] && tail -40 "$L/a/agent.log"
finish
