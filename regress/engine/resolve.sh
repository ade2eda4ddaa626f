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
# Endpoint names are looked up in the fetcher, not in the root parent:
# a name from /etc/hosts (the fetcher's chroot has a copy) ends up as
# the tunnel's endpoint address, and a name no resolver knows fails
# that session alone, with the resolver's words, while the agent keeps
# answering.

. "$(dirname "$0")/lab.sh"

S2_NAME='{"uuid": "s2", "asn": 4242420003, "status": 4, "type": "wireguard",
  "name": "peer by name", "interface": "dn42_4242420003",
  "credential": "'$BPUB'", "endpoint": "localhost:20003",
  "ipv6LinkLocal": "fe80::d", "port": 20004,
  "extensions": ["mp-bgp", "extended-nexthop"], "mtu": 1420}'
S3_BAD='{"uuid": "s3", "asn": 4242420004, "status": 4, "type": "wireguard",
  "name": "peer nowhere", "interface": "dn42_4242420004",
  "credential": "'$BPUB'", "endpoint": "no-such-peer.invalid:20005",
  "ipv6LinkLocal": "fe80::e", "port": 20006,
  "extensions": ["mp-bgp", "extended-nexthop"], "mtu": 1420}'
write_cp "$S1_UP, $S2_NAME, $S3_BAD"
start_agent

# localhost: 127.0.0.1 or ::1, whichever the resolver gives first.
by_name() {
	ina wg show dn42_4242420003 endpoints 2>/dev/null |
	    grep -Eq '(127\.0\.0\.1|\[::1\]):20003$'
}
check resolve_name_to_address wait_for 60 by_name
literal() {
	ina wg show dn42_4242420002 endpoints 2>/dev/null |
	    grep -q 'fd00:ab::2\]:20001$'
}
check resolve_literal_still wait_for 30 literal
check resolve_bad_reported wait_for 30 modified s3 6
check resolve_bad_reason python3 - "$L/cp.log" <<'EOP'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    b = r.get("body")
    if isinstance(b, str):
        try:
            b = json.loads(b)
        except ValueError:
            continue
    if isinstance(b, dict) and b.get("uuid") == "s3" and b.get("status") == 6:
        sys.exit(0 if "endpoint no-such-peer.invalid:" in
                 b.get("lastError", "") else 1)
sys.exit(1)
EOP
check resolve_agent_answers "$TOP/moenetctl" -s "$L/a/ctl.sock" show status
finish
