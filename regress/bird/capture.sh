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

# Capture raw replies of the installed BIRD 2 into fixtures/*.live-*.raw
# (banner + one reply each).  Needs root; runs BIRD in a private network
# namespace and removes it again.  Review new fixtures, then run
# "regress/bird/parse_test -u" and review the .ok files by eye.

set -eu
dir=$(cd "$(dirname "$0")" && pwd)
fx=$dir/fixtures
ns=mnt-bd-cap$$
tmp=$(mktemp -d)
sock=$tmp/bird.ctl

cleanup() {
	set +e
	if [ -f "$tmp/bird.pid" ]; then
		pid=$(cat "$tmp/bird.pid")
		kill "$pid" 2>/dev/null
		j=0
		while kill -0 "$pid" 2>/dev/null && [ "$j" -lt 50 ]; do
			sleep 0.1; j=$((j + 1))
		done
	fi
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" addr add 10.99.0.1/32 dev lo

cat >"$tmp/bird.conf" <<CONF
router id 192.0.2.1;
protocol device {}
protocol static st4 {
	ipv4 { import limit 2 action block; };
	route 198.51.100.0/24 unreachable;
	route 198.51.101.0/24 unreachable;
	route 198.51.102.0/24 unreachable;
}
protocol static st6 {
	ipv6 {
		import keep filtered on;
		import filter { if net = fd00:a9::/48 then reject; accept; };
	};
	route fd00:a1::/48 unreachable;
	route fd00:a9::/48 unreachable;
}
protocol bgp dn42_4242420009 {
	description "nobody home";
	local 10.99.0.1 as 4242420998;
	neighbor 10.99.0.9 as 4242420009;
	ipv4 { import all; export none; receive limit 1000 action warn;
	    export limit 500 action disable; };
}
protocol bgp peer_off {
	disabled;
	local 10.99.0.1 as 4242420998;
	neighbor 10.99.0.10 as 4242420010;
	ipv4 { import none; export none; };
}
protocol bgp peer_passive {
	local 10.99.0.1 as 4242420998;
	neighbor 10.99.0.11 as 4242420011;
	passive on;
	ipv4 { import all; export none; import limit 100 action restart; };
}
CONF
printf 'router id 192.0.2.1;\nprotocol device {}\nprotocol static {\n' \
    >"$tmp/bad.conf"

ip netns exec "$ns" bird -c "$tmp/bird.conf" -s "$sock" -P "$tmp/bird.pid"
i=0
until [ -S "$sock" ] && birdc -s "$sock" show protocols 2>/dev/null |
    grep -q dn42_4242420009; do
	i=$((i + 1)); [ "$i" -lt 100 ] || { echo "bird did not start"; exit 1; }
	sleep 0.1
done

# raw NAME SETUP-COMMAND... -- COMMAND: banner + reply of COMMAND.
raw() {
	python3 - "$sock" "$@" <<'PY'
import re, socket, sys
sock, name, cmds = sys.argv[1], sys.argv[2], sys.argv[3:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sock)
f = s.makefile('rb')
def reply():
    out = b''
    while True:
        line = f.readline()
        if not line:
            sys.exit('eof')
        out += line
        if re.match(rb'^\d{4} ', line):
            return out
data = reply()
i = cmds.index('--')
for c in cmds[:i]:
    s.sendall(c.encode() + b'\n'); reply()
s.sendall(cmds[i + 1].encode() + b'\n')
data += reply()
open(name, 'wb').write(data)
PY
}

raw "$fx/status.live-1.raw" -- "show status"
raw "$fx/protocols.live-1.raw" -- "show protocols"
raw "$fx/protocols.live-2.raw" -- "show protocols all"
raw "$fx/protocols.live-3.raw" -- "show protocols all dn42_4242420009"
raw "$fx/protocols.live-4.raw" "timeformat protocol iso long" -- \
    "show protocols" || true
raw "$fx/configure_check.live-1.raw" -- "configure check \"$tmp/bad.conf\""
raw "$fx/configure_check.live-2.raw" -- "configure check"
raw "$fx/configure_timeout.live-1.raw" -- "configure timeout 60"
raw "$fx/configure_confirm.live-1.raw" -- "configure confirm"
raw "$fx/configure.live-denied.raw" "restrict" -- "configure"
raw "$fx/disable.live-1.raw" -- "disable dn42_4242420009"
raw "$fx/enable.live-1.raw" -- "enable dn42_4242420009"
raw "$fx/restart.live-1.raw" -- "restart peer_passive"
raw "$fx/disable.live-nomatch.raw" -- "disable nosuch"
raw "$fx/configure_undo.live-1.raw" -- "configure undo"
# Paths of the temporary directory would change on every capture.
sed -i "s|$tmp|/tmp/capture|g" "$fx"/*.live-*.raw
echo "captured into $fx"
