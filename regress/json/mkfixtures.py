#!/usr/bin/env python3
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

# Writes the JSON fixtures of cpjson_test into fixtures/.  The fixtures
# are kept in the tree; run this only to change them, then regenerate
# the .ok files with "cpjson_test -u" and read the difference.

import base64
import json
import os

os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "fixtures"))

k1 = base64.b64encode(bytes(range(32))).decode()
k2 = base64.b64encode(bytes(range(100, 132))).decode()
k3 = base64.b64encode(bytes([0xff] * 32)).decode()
psk = base64.b64encode(bytes(range(200, 232))).decode()


def env(data, code=0, msg="success"):
    return json.dumps({"code": code, "message": msg, "data": data},
                      indent=1)


def w(name, text):
    with open(name, "w") as f:
        f.write(text if text == "" or text.endswith("\n") else text + "\n")


good = {"uuid": "0f6c1c9e-9f0b-4a6e-8d1e-2b7c1f9d0a11", "asn": 4242420001,
        "name": "Example \"peer\"", "description": "\u00fcber peer",
        "status": 4, "type": "wireguard", "interface": "dn42_4242420001",
        "endpoint": "wg.example.net:20001", "credential": k1,
        "ipv4": "172.20.0.1/32", "ipv6": "fd00::1",
        "ipv6LinkLocal": "fe80::1234", "mtu": 1420, "port": 20001,
        "extensions": ["mp-bgp", "extended-nexthop"], "policy": "peer",
        "lastError": None, "data": {"anything": [1, {"x": None}]}}
tolerant = {"uuid": "s2", "asn": "4242420002", "status": "2", "mtu": "1400",
            "port": "30002", "interface": "dn42_2",
            "extensions": ["mp_bgp", "extended_nexthop"],
            "ipv6LinkLocal": "fe80::2/64", "endpoint": "[2001:db8::2]:51820",
            "name": None, "description": None,
            "credential": json.dumps({"pubkey": k2, "psk": psk,
                                      "listen_port": 30002,
                                      "endpoint": "[2001:db8::2]:51820",
                                      "mtu": "1400"})}
passive = {"uuid": "s3", "asn": 4242420003, "status": 2, "interface": "dn42_3",
           "endpoint": "", "ipv6": "fe80::3", "type": "wireguard",
           "credential": json.dumps({"public_key": k3,
                                     "preshared_key": psk})}
pending = {"uuid": "s4", "asn": 64512, "status": 3}
w("sessions-good.json", env({"bgpSessions": [good, tolerant, passive,
                                             pending]}))
w("sessions-empty.json", env({"bgpSessions": []}))

# One invalid field per session; each is kept, flagged, with its reason.
base = {"asn": 4242420010, "status": 4, "credential": k1, "ipv6": "fd00::10"}
bad = []


def b(uuid, **kw):
    d = dict(base)
    d["uuid"] = uuid
    d["interface"] = "if%d" % len(bad)
    for k, v in kw.items():
        if v is Ellipsis:
            d.pop(k, None)
        else:
            d[k] = v
    bad.append(d)


b("asn-zero", asn=0)
b("asn-trans", asn=23456)
b("asn-big", asn=4294967296)
b("asn-float", asn=4242420001.5)
b("asn-neg", asn=-1)
b("asn-bool", asn=True)
b("asn-text", asn="AS4242420001")
b("asn-missing", asn=Ellipsis)
b("status-9", status=9)
b("status-missing", status=Ellipsis)
b("status-obj", status={"code": 4})
b("type-vxlan", type="vxlan")
b("if-long", interface="dn42_42424200011")
b("if-slash", interface="wg/../x")
b("if-missing", interface=Ellipsis)
b("ipv4-v6", ipv4="fd00::1")
b("ipv4-len", ipv4="172.20.0.1/33")
b("ipv6-bad", ipv6="fd00:::1")
b("ll-global", ipv6LinkLocal="fd00::1")
b("noaddr", ipv6=Ellipsis)
b("key-short", credential="AAAA")
b("key-missing", credential=Ellipsis)
b("cred-json-bad", credential='{"public_key": ')
b("cred-json-key", credential=json.dumps({"public_key": "xyz"}))
b("cred-json-twice", credential=json.dumps({"public_key": k1, "pubkey": k1}))
b("cred-json-dup",
  credential='{"public_key": "%s", "public_key": "%s"}' % (k1, k1))
b("cred-json-deep", credential='{"x":' + '[' * 20 + ']' * 20 + '}')
b("cred-port", port=1000,
  credential=json.dumps({"public_key": k1, "listen_port": 1001}))
b("cred-endpoint", endpoint="a.example:1",
  credential=json.dumps({"public_key": k1, "endpoint": "b.example:1"}))
b("port-0x", port="0x10")
b("port-big", port=70000)
b("mtu-small", mtu=576)
b("mtu-big", mtu=9001)
b("ep-v6-bare", endpoint="2001:db8::1:51820")
b("ep-noport", endpoint="peer.example")
b("ep-badhost", endpoint="peer;rm -rf:22")
b("ep-longlabel", endpoint="a" * 64 + ".example:1")
b("ext-unknown", extensions=["mp-bgp", "add-path"])
b("ext-string", extensions="mp-bgp")
b("policy-bad", policy="transit")
b("name-ctrl", name="evil\nname")
b("descr-long", description="d" * 300)
b("if-dup", interface="dn42_shared")
b("if-dup2", interface="dn42_shared")
# An interface only a disabled session names is free for another.
b("if-off", status=1, interface="dn42_reuse")
b("if-reuse", interface="dn42_reuse")
b("gre-ok", type="gre", credential=Ellipsis)
b("pending-partial", status=3, interface=Ellipsis, ipv6=Ellipsis,
  credential=Ellipsis)
bad.append({"uuid": "bad uuid!", "asn": 4242420011, "status": 4})
bad.append({"asn": 4242420012, "status": 4})
bad.append({"uuid": "u" * 64, "asn": 4242420013, "status": 4})
w("sessions-fields.json", env({"bgpSessions": bad}))

# Documents refused as a whole.
w("sessions-notjson.json", "<html>502 Bad Gateway</html>")
w("sessions-truncated.json", env({"bgpSessions": [good]})[:200])
w("sessions-empty-body.json", "")
w("sessions-noenvelope.json", json.dumps({"bgpSessions": [good]}))
w("sessions-nodata.json", json.dumps({"code": 0, "message": "ok"}))
w("sessions-datanull.json",
  json.dumps({"code": 0, "message": "ok", "data": None}))
w("sessions-nolist.json", env({"sessions": []}))
w("sessions-listobj.json", env({"bgpSessions": {"0": good}}))
w("sessions-elemstr.json", env({"bgpSessions": [good, "s2"]}))
w("sessions-elemnull.json", env({"bgpSessions": [None]}))
w("sessions-toplevel-array.json", json.dumps([{"code": 0}]))
w("sessions-dupkey.json", '{"code":0,"data":{"bgpSessions":[{"uuid":"a",'
  '"uuid":"b","asn":4242420001,"status":3}]}}')
w("sessions-dupkey-top.json", '{"code":0,"code":0,"data":{"bgpSessions":[]}}')
w("sessions-dupuuid.json", env({"bgpSessions": [pending, pending]}))
w("sessions-deep.json", '{"code":0,"data":{"bgpSessions":[],"x":' +
  '{"a":' * 14 + '1' + '}' * 14 + '}}')
w("sessions-trailing.json", env({"bgpSessions": []}) + "\n{}")
w("sessions-comment.json", '/* hi */ {"code":0,"data":{"bgpSessions":[]}}')
with open("sessions-badutf8.json", "wb") as f:
    f.write(b'{"code":0,"data":{"bgpSessions":[{"uuid":"a",'
            b'"asn":4242420001,"status":3,"name":"\xff"}]}}\n')
w("sessions-nul.json", '{"code":0,"data":{"bgpSessions":[{"uuid":"a",'
  '"asn":4242420001,"status":3,"name":"a\\u0000b"}]}}')
w("sessions-nulkey.json", '{"code":0,"data":{"bgpSessions":[{"uuid":"a",'
  '"asn":4242420001,"status":3,"x\\u0000":1}]}}')
w("sessions-cperror.json", env(None, code=40101,
                               msg="router not found\n\x1b[31m"))
w("sessions-cperror-datafirst.json",
  '{"data":{"junk":true},"code":500,"message":"internal"}')
w("sessions-code-string.json", '{"code":"0","data":{"bgpSessions":[]}}')
w("sessions-code-bad.json", '{"code":"zero","data":{"bgpSessions":[]}}')
w("sessions-code-missing.json", '{"data":{"bgpSessions":[]}}')
w("sessions-wrongtypes.json", env({"bgpSessions": [
    {"uuid": 12, "asn": [1], "status": None, "interface": {}},
    {"uuid": "wt", "asn": {"x": 1}, "status": "4", "interface": ["a"],
     "mtu": True, "credential": 5}]}))

# GET config
nc = {"node": {"name": "jp-edge", "id": 7, "region": "ap-northeast",
               "location": "Tokyo"},
      "bird": {"controlSocket": "/var/run/bird/bird.ctl",
               "peerConfDir": "/etc/bird/peers",
               "ibgpConfDir": "/etc/bird/ibgp", "poolSize": 5},
      "wireguard": {"privateKeyPath": "/etc/wireguard/private.key",
                    "publicKeyPath": "/etc/wireguard/public.key",
                    "persistentKeepaliveInterval": 25,
                    "dn42Ipv4": "172.22.188.1",
                    "dn42Ipv6": "fd00:4242:7777:101:4::1/128",
                    "dn42Ipv6LinkLocal": ""},
      "metric": {"pingTimeout": 5, "pingCount": 4, "pingWorkers": 32},
      "autoUpdate": {"enabled": True, "channel": "stable"}}
w("nodeconf-good.json", env(nc))


def ncv(name, section, key, val):
    d = json.loads(json.dumps(nc))
    d[section][key] = val
    w("nodeconf-%s.json" % name, env(d))


ncv("badpath", "bird", "peerConfDir", "/etc/bird/../cron.d")
ncv("relpath", "wireguard", "privateKeyPath", "private.key")
ncv("badll", "wireguard", "dn42Ipv6LinkLocal", "fd00::1")
ncv("badname", "node", "name", "jp edge")
ncv("badtype", "metric", "pingCount", "many")
w("nodeconf-nonode.json", env({"bird": {}}))
w("nodeconf-minimal.json", env({"node": {"name": "x1"}}))

# GET mesh
mesh = {"self": {"nodeId": 1, "nodeName": "jp-edge",
                 "loopbackIpv4": "172.22.188.1",
                 "loopbackIpv6": "fd00:4242:7777::1", "publicKey": k1,
                 "isRr": True},
        "peers": [
            {"nodeId": 2, "nodeName": "hk-core-rr",
             "loopbackIpv4": "172.22.188.2",
             "loopbackIpv6": "fd00:4242:7777::2", "publicKey": k2,
             "endpoint": "hk.example.net:51821", "mtu": 1420, "isRr": True},
            {"nodeId": 3, "nodeName": "us-edge",
             "loopbackIpv6": "fd00:4242:7777::3", "publicKey": k3,
             "endpoint": "", "mtu": 0, "isRr": False},
            {"nodeId": 4, "nodeName": "de-edge",
             "loopbackIpv6": "fd00:4242:7777::4", "publicKey": "short",
             "endpoint": "[2001:db8::4]:51824", "isRr": 1},
            {"nodeId": 1000, "nodeName": "too-big", "publicKey": k1},
            {"nodeId": 5, "nodeName": "no-key"},
            {"nodeId": 6, "nodeName": "bad-rr", "publicKey": k1,
             "isRr": "maybe"}]}
w("mesh-good.json", env(mesh))
w("mesh-noself.json", env({"peers": []}))
w("mesh-dupid.json", env({"peers": [{"nodeId": 2, "publicKey": k1},
                                    {"nodeId": "2", "publicKey": k2}]}))
w("mesh-peers-obj.json", env({"peers": {}}))

# GET bird-config
pol = {"configHash": "9f86d081884c7d65",
       "node": {"id": 1, "name": "jp-edge", "type": "edge",
                "bandwidth": "1G", "regionCode": 50,
                "loopbackIpv4": "172.22.188.1",
                "loopbackIpv6": "fd00:4242:7777::1",
                "continentLc": "LC_ORIGIN_AS",
                "subregionLc": "LC_REGION_AS_E",
                "regionCommunity": "DN42_REGION_AS_E",
                "bandwidthCommunity": "DN42_BW_1G_PLUS"},
       "policy": {"dn42As": "4242420998",
                  "dn42Ipv4Prefix": "172.22.188.0/26",
                  "dn42Ipv6Prefix": "fd00:4242:7777::/48",
                  "rpkiServers": [{"name": "burble",
                                   "host": "rpki.burble.dn42",
                                   "port": 8082},
                                  {"host": "fd00::53", "port": "323"}],
                  "ebgpImportLimit": 10000, "ebgpExportLimit": 100,
                  "ibgpImportLimit": 20000, "ibgpExportLimit": 20000,
                  "asPathMaxLen": 10,
                  "communities": {"DN42_LOCAL": [64511, 1],
                                  "MY_TAG": "64511:34",
                                  "PAREN": "(65535, 0)"},
                  "largeCommunities": {
                      "LC_ORIGIN_AS": [4242420998, 1, 50],
                      "LC_REGION_AS_E": "4242420998:2:50"}},
       "ibgpPeers": [
           {"nodeId": 2, "nodeName": "hk-core-rr",
            "loopbackIpv4": "172.22.188.2",
            "loopbackIpv6": "fd00:4242:7777::2", "isRr": True},
           {"nodeId": 3, "nodeName": "us-edge",
            "loopbackIpv6": "fd00:4242:7777::3"},
           {"nodeId": 4, "nodeName": "de edge",
            "loopbackIpv6": "fd00:4242:7777::4"},
           {"nodeName": "no-id", "loopbackIpv6": "fd00:4242:7777::5"}]}
w("policy-good.json", env(pol))


def pv(name, path, val):
    p = json.loads(json.dumps(pol))
    d = p
    for k in path[:-1]:
        d = d[k]
    if val is Ellipsis:
        d.pop(path[-1])
    else:
        d[path[-1]] = val
    w("policy-%s.json" % name, env(p))


pv("as-number", ["policy", "dn42As"], 4242420998)
pv("as-bad", ["policy", "dn42As"], "AS4242420998")
pv("as-missing", ["policy", "dn42As"], Ellipsis)
pv("region-unknown", ["node", "regionCommunity"], "DN42_REGION_MARS")
pv("region-inject", ["node", "regionCommunity"],
   "DN42_REGION_EU; export all")
pv("lc-bad", ["node", "continentLc"], "ORIGIN")
pv("pfx-hostbits", ["policy", "dn42Ipv4Prefix"], "172.22.188.1/26")
pv("pfx-nolen", ["policy", "dn42Ipv6Prefix"], "fd00:4242:7777::")
pv("rpki-many", ["policy", "rpkiServers"],
   [{"host": "r%d.dn42" % i, "port": 8082} for i in range(9)])
pv("rpki-noport", ["policy", "rpkiServers"], [{"host": "r.dn42"}])
pv("comm-three", ["policy", "communities", "X"], [1, 2, 3])
pv("comm-one", ["policy", "communities", "X"], [1])
pv("comm-big", ["policy", "communities", "X"], "70000:1")
pv("comm-name", ["policy", "communities"], {"bad-name": [1, 2]})
pv("comm-many", ["policy", "communities"],
   {"C%d" % i: [64511, i] for i in range(65)})
# As the control plane's default policy row has them
# (db/models/birdPolicies.ts): grouped, one level down.
pv("comm-groups", ["policy", "communities"],
   {"latency": {"tier0": [64511, 1], "tier8": [64511, 9]},
    "crypto": {"encrypted": [64511, 33]},
    "region": {"as_e": [64511, 50], "eu": "64511:41"}})
pol_lc = json.loads(json.dumps(pol))
pol_lc["policy"]["largeCommunities"] = {
    "origin": {"as": [4242420998, 1, 100], "eu": [4242420998, 1, 300]},
    "subregion": {"as_e": [4242420998, 2, 101]},
    "bandwidth": {"10g": [4242420998, 5, 10000], "1g": "4242420998:5:1000"}}
w("policy-lc-groups.json", env(pol_lc))
pv("comm-group-deep", ["policy", "communities"],
   {"latency": {"tier0": {"x": [64511, 1]}}})
pv("comm-group-spaces", ["policy", "communities"],
   {"latency": {"tier 0": [64511, 1]}})
pv("comm-group-long", ["policy", "communities"],
   {"latency": {"t" * 60: [64511, 1]}})
pv("large-two", ["policy", "largeCommunities", "LC_X"], "1:2")
pv("limit-neg", ["policy", "ebgpImportLimit"], -5)
pv("hash-bad", ["configHash"], "abc def")
pv("ibgp-dup", ["ibgpPeers"], [{"nodeId": 2, "loopbackIpv6": "fd00::2"},
                               {"nodeId": 2, "loopbackIpv6": "fd00::3"}])

# Envelope-only replies (modify, heartbeat, report, ...).
w("reply-ok.json", json.dumps({"code": 0, "message": "success",
                               "data": None}))
w("reply-ok-nodata.json", json.dumps({"code": 0, "message": "success"}))
w("reply-error.json", json.dumps({"code": 422,
                                  "message": "invalid status transition",
                                  "data": None}))
w("reply-notobject.json", json.dumps("ok"))
w("reply-empty.json", "")
