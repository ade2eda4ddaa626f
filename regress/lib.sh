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

# Shell helpers for tests run by regress/run.sh.  Source it.

TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
AGENT=${AGENT:-$TOP/moenet-agent}
failures=0

ok()   { echo "ok $1"; }
fail() { n=$1; shift; echo "FAIL $n: $*"; failures=$((failures + 1)); }
skip() { n=$1; shift; echo "skip $n: $*"; }
check() { n=$1; shift; if "$@" >/dev/null 2>&1; then ok "$n"; else fail "$n" "$*"; fi; }
finish() { [ "$failures" -eq 0 ]; exit $?; }

# wait_for SECONDS COMMAND...: poll COMMAND every 0.1 s until it succeeds
# or SECONDS pass.  Bounded, never a fixed sleep.
wait_for() {
	_limit=$(( $1 * 10 )); shift
	_i=0
	while [ "$_i" -lt "$_limit" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}

need_root() {
	if [ "$(id -u)" != 0 ]; then
		skip "$1" "needs root"
		exit 0
	fi
}

# host_conf NAME TOKEN DIR [FORMAT [LEVEL]]: a full-mode config for an
# agent run in the host's namespace: its control plane and BIRD are not
# there, and nothing of the host is touched (no loopback addresses,
# every path under DIR).  DIR/wg.key is made when missing, so that -n
# finds the key it checks.
host_conf() {
	mkdir -p "$3"
	[ -f "$3/wg.key" ] || (umask 077; head -c 32 /dev/urandom | base64 \
	    >"$3/wg.key")
	cat <<EOC
{
	"node": { "name": "$1", "id": 1 },
	"controlPlane": { "url": "https://127.0.0.1:8443", "token": "$2" },
	"wireguard": { "loopbackInterface": "none", "dn42Ipv4": "172.20.0.1",
	    "dn42Ipv6": "fd00:4242:7777:101:4::1",
	    "privateKeyPath": "$3/wg.key" },
	"bird": { "maintenanceFile": "$3/maintenance.conf",
	    "controlSocket": "$3/no-bird.ctl", "peerConfDir": "$3/peers",
	    "ibgpConfDir": "$3/ibgp", "policyDir": "$3/policy" },
	"state": { "dir": "$3/state" },
	"control": { "socket": "$3/ctl.sock" },
	"log": { "format": "${4:-text}", "level": "${5:-info}" }
}
EOC
}

# cp_modified LOG UUID STATUS: the fake control plane's LOG has a
# modify of that session to that status.
cp_modified() {
	python3 - "$1" "$2" "$3" <<'EOP'
import json, sys
path, uuid, st = sys.argv[1], sys.argv[2], int(sys.argv[3])
for l in open(path):
    r = json.loads(l)
    if r.get("path", "").endswith("/modify"):
        b = r.get("body")
        if isinstance(b, str):
            try:
                b = json.loads(b)
            except ValueError:
                continue
        if isinstance(b, dict) and b.get("uuid") == uuid and b.get("status") == st:
            sys.exit(0)
sys.exit(1)
EOP
}

# ... | bird_attrs: the text of "show route ... all" with the attributes
# in one spelling, BIRD 2's (BGP.community:, BGP.as_path:), whichever
# BIRD printed it: BIRD 3 names them as its filters do (bgp_community:,
# bgp_path:).  Tests grep route text through it.
bird_attrs() {
	sed -E 's/(^|[[:space:]])bgp_path:/\1BGP.as_path:/
	    s/(^|[[:space:]])bgp_([a-z0-9_]+):/\1BGP.\2:/'
}
