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
# The local HTTP API's connection limits with real sockets: one client
# holding idle connections, from one address or from thirty, does not
# keep another client from its answer.  The agent runs in a network
# namespace of its own, where every 127.0.0.0/8 address is a source.

. "$(dirname "$0")/../lib.sh"
need_root owner_httplimit

tmp=$(mktemp -d /tmp/mnt-ownh-XXXXXX)
NS=mnt-ownh-$$
agent_pid=
cleanup() {
	[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null
	wait 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ip netns add "$NS"
ip -n "$NS" link set lo up
host_conf owner-http h-secret "$tmp" | python3 -c '
import json, sys
c = json.load(sys.stdin)
c["server"] = {"listen": "127.0.0.1:24368"}
print(json.dumps(c))' >"$tmp/agent.json"
chmod 600 "$tmp/agent.json"
ip netns exec "$NS" "$AGENT" -d -f "$tmp/agent.json" 2>"$tmp/agent.log" &
agent_pid=$!

hog() { ip netns exec "$NS" python3 - "$@" <<'EOP'
import socket, sys, time

PORT = 24368

def conn(src):
    s = socket.socket()
    s.bind((src, 0))
    s.settimeout(10)
    s.connect(("127.0.0.1", PORT))
    return s

def get(src):
    try:
        s = conn(src)
        s.sendall(b"GET /status HTTP/1.1\r\nHost: x\r\n\r\n")
        d = s.recv(64)
        s.close()
        return d.split(b" ")[1].decode() if d.startswith(b"HTTP/") else "none"
    except OSError as e:
        return type(e).__name__

mode = sys.argv[1]
if mode == "up":
    sys.exit(0 if get("127.0.0.9") == "200" else 1)
held = []
if mode == "one":
    held = [conn("127.0.0.1") for _ in range(40)]
else:
    held = [conn("127.0.1.%d" % i) for i in range(1, 31) for _ in range(3)]
# The server accepts in the order of its queue: the hog's first.
victim = get("127.0.0.2")
refused = 0
for s in held:
    s.settimeout(0.2)
    try:
        if s.recv(64).startswith(b"HTTP/1.1 503"):
            refused += 1
    except OSError:
        pass
print("victim=%s refused=%d" % (victim, refused))
sys.exit(0 if victim == "200" else 1)
EOP
}
check owner_http_up wait_for 30 hog up
out=$(hog one); echo "# one source: $out"
check owner_http_one_source_victim_served [ "${out%% *}" = victim=200 ]
check owner_http_one_source_limited sh -c "echo '$out' | grep -q 'refused=32'"
out=$(hog many); echo "# thirty sources: $out"
check owner_http_many_sources_victim_served [ "${out%% *}" = victim=200 ]
check owner_http_alive kill -0 "$agent_pid"
finish
