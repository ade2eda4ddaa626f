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

"""The integration lab's side of the fake control plane.

Edits fakecp.py's state file and reads its request log, so that the lab's
shell scripts need not parse JSON.  State edits are load, change, write a
temporary file, rename: fakecp reads the file on every request and never
sees half of one.  fakecp writes the file too (a modify changes a
session's status), so the lab edits only after the modifies it waits for
are in the log (fakecp logs a request after saving its effect).

  labcp.py STATE init N PUB1 .. PUBN   the full mesh of sessions, queued
  labcp.py STATE set NODE UUID K=V.. [+ NODE UUID K=V..]..
                                       change fields of sessions in one
                                       write (V is JSON, or else a string)
  labcp.py STATE add NODE JSON         add a session
  labcp.py STATE fault ENDPOINT MODE   a lasting fault (fakecp's modes)
  labcp.py STATE clear                 no faults
  labcp.py STATE policy NODE K=V..     change fields of NODE's routing
                                       policy (bird-config), new hash
  labcp.py STATE member NODE ID OF V4 V6
                                       add router NODE (node id ID) to
                                       the network of router OF: no
                                       sessions, OF's policy, loopbacks
                                       V4 and V6
  labcp.py STATE meshpeer NODE PEER PUB ENDPOINT
                                       PEER (public key PUB, ENDPOINT or
                                       "" for passive) in NODE's mesh
                                       document and iBGP peers
  labcp.py STATE unmeshpeer NODE PEER  PEER out of both again
  labcp.py LOG modified NODE UUID ST [TEXT]
                                       exit 0 if NODE sent modify ST for
                                       UUID (with TEXT in lastError)
  labcp.py LOG lasterror NODE UUID ST  print that modify's lastError
  labcp.py LOG count NODE ENDPOINT [FROM]
                                       requests of NODE to ENDPOINT from
                                       line FROM (1-based) on
  labcp.py LOG lines                   lines in the log
  labcp.py LOG maintenance NODE [FROM] print "true" or "false": the
                                       maintenance of NODE's last
                                       heartbeat from line FROM on
  labcp.py LOG meshstatus NODE PEERID TEXT [FROM]
                                       exit 0 if NODE posted mesh/status
                                       saying TEXT for PEERID
"""

import json
import os
import sys

ASN0 = 4242420000


def addr(i):
    """Router i's addresses (see lab.sh)."""
    return {
        "ll": "fe80::998:101:%d:1" % i,
        "v4": "172.20.%d.1" % i,
        "v6": "fd42:%d::1" % i,
    }


def veth_addr(i, j):
    """Router i's end of the "internet" link between i and j."""
    a, b = min(i, j), max(i, j)
    return "fd00:ab:0:%d%d::%d" % (a, b, i)


def port(i, j):
    """Router i's WireGuard listen port for its tunnel to j."""
    return 20000 + 10 * i + j


def session(i, j, pubs):
    """Router i's view of its session with router j."""
    return {
        "uuid": "r%d-r%d" % (i, j),
        "asn": ASN0 + j,
        "status": 4,
        "type": "wireguard",
        "name": "r%d" % j,
        "interface": "dn42_%d" % (ASN0 + j),
        "credential": pubs[j - 1],
        "endpoint": "[%s]:%d" % (veth_addr(j, i), port(j, i)),
        "ipv6LinkLocal": addr(j)["ll"],
        "port": port(i, j),
        "extensions": ["mp-bgp", "extended-nexthop"],
        "mtu": 1420,
    }


def load(path):
    with open(path) as f:
        return json.load(f)


def save(path, st):
    tmp = path + ".lab"
    with open(tmp, "w") as f:
        json.dump(st, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, path)


def value(v):
    try:
        return json.loads(v)
    except ValueError:
        return v


def find(st, node, uuid):
    for s in st["nodes"][node]["sessions"]:
        if s.get("uuid") == uuid:
            return s
    sys.exit("labcp: no session %s on %s" % (uuid, node))


def records(path):
    try:
        f = open(path)
    except OSError:
        return
    with f:
        for line in f:
            try:
                yield json.loads(line)
            except ValueError:
                continue


def body(r):
    b = r.get("body")
    if isinstance(b, str):
        try:
            b = json.loads(b)
        except ValueError:
            return None
    return b if isinstance(b, dict) else None


def modifies(path, node, uuid, status):
    suffix = "/api/v1/agent/%s/modify" % node
    for r in records(path):
        b = body(r)
        if r.get("path", "").endswith(suffix) and b is not None and \
                b.get("uuid") == uuid and b.get("status") == status and \
                r.get("status") == 200:
            yield b


def node_id(st, name):
    return st["nodes"][name]["birdConfig"]["node"]["id"]


def mesh_peer(st, name, pub, endpoint):
    """Router name as a mesh peer: its loopbacks from its bird-config."""
    n = st["nodes"][name]["birdConfig"]["node"]
    return {"nodeId": n["id"], "nodeName": name,
            "loopbackIpv4": n["loopbackIpv4"],
            "loopbackIpv6": n["loopbackIpv6"], "publicKey": pub,
            "endpoint": endpoint, "mtu": 1420, "isRr": False}


def ibgp_peer(st, name):
    n = st["nodes"][name]["birdConfig"]["node"]
    return {"nodeId": n["id"], "nodeName": name,
            "loopbackIpv4": n["loopbackIpv4"],
            "loopbackIpv6": n["loopbackIpv6"], "isRr": False}


def rehash(bc):
    """A new configHash, as the CP gives when the policy changes."""
    base, sep, k = bc.get("configHash", "lab").partition("-v")
    bc["configHash"] = "%s-v%d" % (base, int(k) + 1 if sep else 1)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    path, cmd, args = argv[1], argv[2], argv[3:]
    if cmd == "init":
        n = int(args[0])
        pubs = args[1:]
        nodes = {}
        for i in range(1, n + 1):
            nodes["r%d" % i] = {
                "config": {"node": {"name": "r%d" % i, "id": i}},
                "sessions": [session(i, j, pubs)
                             for j in range(1, n + 1) if j != i],
                # No mesh and no iBGP in this lab (each router is its
                # own AS), but a valid, empty answer to both.
                "mesh": {"self": {"nodeId": i, "nodeName": "r%d" % i},
                         "peers": []},
                "birdConfig": {
                    "configHash": "lab-r%d" % i,
                    "node": {"id": i, "name": "r%d" % i,
                             "loopbackIpv4": addr(i)["v4"],
                             "loopbackIpv6": "fd00:4242:7777:101:%d::1" % i},
                    "policy": {"dn42As": str(ASN0 + i),
                               "dn42Ipv4Prefix": "172.20.%d.0/24" % i,
                               "dn42Ipv6Prefix": "fd42:%d::/48" % i},
                    "ibgpPeers": []}}
        save(path, {"nodes": nodes})
    elif cmd == "set":
        # Several sessions in one write: NODE UUID K=V.. + NODE UUID K=V..
        st = load(path)
        group = []
        for a in args + ["+"]:
            if a != "+":
                group.append(a)
                continue
            s = find(st, group[0], group[1])
            for kv in group[2:]:
                k, v = kv.split("=", 1)
                s[k] = value(v)
            group = []
        save(path, st)
    elif cmd == "add":
        st = load(path)
        st["nodes"][args[0]]["sessions"].append(json.loads(args[1]))
        save(path, st)
    elif cmd == "fault":
        st = load(path)
        st["faults"] = {args[0]: {"mode": args[1]}}
        save(path, st)
    elif cmd == "clear":
        st = load(path)
        st["faults"] = {}
        save(path, st)
    elif cmd == "policy":
        st = load(path)
        bc = st["nodes"][args[0]]["birdConfig"]
        for kv in args[1:]:
            k, v = kv.split("=", 1)
            bc["policy"][k] = value(v)
        rehash(bc)
        save(path, st)
    elif cmd == "member":
        name, nid, of, v4, v6 = args[0], int(args[1]), args[2], args[3], \
            args[4]
        st = load(path)
        net = st["nodes"][of]["birdConfig"]
        st["nodes"][name] = {
            "config": {"node": {"name": name, "id": nid}},
            "sessions": [],
            "mesh": {"self": {"nodeId": nid, "nodeName": name},
                     "peers": []},
            "birdConfig": {
                "configHash": "lab-%s" % name,
                "node": {"id": nid, "name": name, "loopbackIpv4": v4,
                         "loopbackIpv6": v6},
                "policy": json.loads(json.dumps(net["policy"])),
                "ibgpPeers": []}}
        save(path, st)
    elif cmd == "meshpeer":
        name, peer, pub, endpoint = args[0], args[1], args[2], args[3]
        st = load(path)
        n = st["nodes"][name]
        n["mesh"]["peers"] = [p for p in n["mesh"]["peers"]
                              if p["nodeName"] != peer] + \
            [mesh_peer(st, peer, pub, endpoint)]
        bc = n["birdConfig"]
        bc["ibgpPeers"] = [p for p in bc["ibgpPeers"]
                           if p["nodeName"] != peer] + [ibgp_peer(st, peer)]
        rehash(bc)
        save(path, st)
    elif cmd == "unmeshpeer":
        name, peer = args[0], args[1]
        st = load(path)
        n = st["nodes"][name]
        n["mesh"]["peers"] = [p for p in n["mesh"]["peers"]
                              if p["nodeName"] != peer]
        bc = n["birdConfig"]
        bc["ibgpPeers"] = [p for p in bc["ibgpPeers"]
                           if p["nodeName"] != peer]
        rehash(bc)
        save(path, st)
    elif cmd == "maintenance":
        start = int(args[1]) if len(args) > 1 else 1
        last = None
        for k, r in enumerate(records(path), 1):
            b = body(r)
            if k >= start and b is not None and \
                    r.get("path", "").endswith("/api/v1/agent/heartbeat") \
                    and b.get("node_id") == args[0]:
                last = (b.get("status") or {}).get("maintenance")
        if not isinstance(last, bool):
            return 1
        print("true" if last else "false")
    elif cmd == "meshstatus":
        start = int(args[3]) if len(args) > 3 else 1
        suffix = "/api/v1/agent/%s/mesh/status" % args[0]
        for k, r in enumerate(records(path), 1):
            b = body(r)
            if k >= start and b is not None and \
                    r.get("path", "").endswith(suffix) and \
                    b.get("node_id") == args[0] and \
                    isinstance(b.get("peers"), dict) and \
                    b["peers"].get(args[1]) == args[2]:
                return 0
        return 1
    elif cmd == "modified":
        text = args[3] if len(args) > 3 else None
        for b in modifies(path, args[0], args[1], int(args[2])):
            if text is None or text in (b.get("lastError") or ""):
                return 0
        return 1
    elif cmd == "lasterror":
        last = None
        for b in modifies(path, args[0], args[1], int(args[2])):
            last = b.get("lastError")
        if last is None:
            return 1
        print(last)
    elif cmd == "count":
        start = int(args[2]) if len(args) > 2 else 1
        if args[1] == "heartbeat":
            # The heartbeat names its router in the body, not the path.
            match = lambda r: r.get("path", "").endswith(
                "/api/v1/agent/heartbeat") and \
                (body(r) or {}).get("node_id") == args[0]
        else:
            suffix = "/api/v1/agent/%s/%s" % (args[0], args[1])
            match = lambda r: r.get("path", "").split("?")[0].endswith(
                suffix)
        n = 0
        for k, r in enumerate(records(path), 1):
            if k >= start and match(r):
                n += 1
        print(n)
    elif cmd == "lines":
        print(sum(1 for _ in records(path)))
    else:
        sys.exit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
