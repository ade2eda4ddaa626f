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
# moenetctl's output layer over crafted sessions (output_test): the
# text against golden files, the JSON parsed back field by field.
# "UPDATE=1 output.sh" rewrites the golden files.

. "$(dirname "$0")/../lib.sh"
T=$TOP/regress/ctl/output_test
dir=$TOP/regress/ctl
out=$(mktemp)
trap 'rm -f "$out"' EXIT

for k in sessions session status bird wg; do
	"$T" human "$k" >"$out"
	if [ -n "$UPDATE" ]; then
		cp "$out" "$dir/human-$k.ok"
	fi
	if diff -u "$dir/human-$k.ok" "$out" >"$out.diff"; then
		ok "output_human_$k"
	else
		fail "output_human_$k" "$(cat "$out.diff")"
	fi
	rm -f "$out.diff"
done

# Every row's columns start where the header's do.
if "$T" human sessions | python3 -c '
import sys
lines = sys.stdin.read().splitlines()
head = lines[0]
cols = [head.index(h) for h in ("ASN", "Interface", "CP status", "State",
    "BGP", "Since", "Routes in/out", "Handshake", "RTT", "Last error")]
for l in lines[1:]:
    for c in cols:
        assert l[c - 2:c] == "  ", (l, c)
' 2>"$out"; then
	ok output_human_aligned
else
	fail output_human_aligned "$(cat "$out")"
fi

# The same for show wg's tunnels.
if "$T" human wg | python3 -c '
import sys
lines = sys.stdin.read().splitlines()
i = lines.index("")
head, rows = lines[i + 1], lines[i + 2:]
assert len(rows) == 3, rows
cols = [head.index(h) for h in ("Session", "Link", "Handshake", "RX bytes",
    "TX bytes")]
for l in rows:
    for c in cols:
        assert l[c - 2:c] == "  ", (l, c)
' 2>"$out"; then
	ok output_human_wg_aligned
else
	fail output_human_wg_aligned "$(cat "$out")"
fi
"$T" human wg-empty >"$out"
if grep -Eq '^Tunnels: +0$' "$out" &&
    [ "$(sed -n '$p' "$out")" = \
    "Interface  Session  Link  Handshake  RX bytes  TX bytes" ]; then
	ok output_human_wg_empty
else
	fail output_human_wg_empty "$(cat "$out")"
fi

check_json() {
	n=$1 kind=$2 script=$3
	if "$T" json "$kind" | python3 -c "
import json, sys
d = json.loads(sys.stdin.buffer.read().decode('utf-8'))
$script
" 2>"$out"; then
		ok "$n"
	else
		fail "$n" "$(cat "$out")"
	fi
}

check_json output_json_sessions sessions '
s = d["sessions"]
assert len(s) == 3
a, w, x = s
assert a["name"] == "cust-a" and a["asn"] == 4242420001
assert a["interface"] == "dn42-cust-a" and a["cp_status"] == "enabled"
assert a["state"] == "active" and a["state_age"] == 3723
assert a["bgp"]["state"] == "Established" and a["bgp"]["age"] == 90061
assert a["bgp"]["routes_in"] == {"ipv4": 120, "ipv6": 30}
assert a["bgp"]["routes_out"] == {"ipv4": 5, "ipv6": 6}
assert a["handshake_age"] == 42 and abs(a["rtt_ms"] - 12.345) < 1e-9
assert a["loss_pct"] == 2 and a["last_error"] == ""
assert w["name"] == "we\"ird\\na\nme\x01\u00e9\ufffd", repr(w["name"])
assert w["last_error"] == "bird: syntax error near \"}\"\tline 3"
assert w["handshake_age"] is None and w["rtt_ms"] is None
assert w["bgp"]["age"] is None and w["cp_status"] == ""
assert w["retries"] == 3 and w["state"] == "error"
assert x["name"] == "x" * 60 and x["state_age"] is None
'
check_json output_json_session session 'assert len(d["sessions"]) == 3'
check_json output_json_status status '
assert d["version"] == "0.1.0" and d["node"] == "node-\"1\""
assert d["mode"] == "full" and d["pid"] == 99 and d["uptime"] == 694800
assert d["log"] == "brief"
assert d["public_ipv4"] == "192.0.2.10" and d["public_ipv6"] is None
c = d["children"]
assert [p["name"] for p in c] == ["fetcher", "birdctl", "wgctl"]
assert c[0]["ready"] is True and c[2]["ready"] is False
assert c[0]["last_pong_age"] == 3 and c[2]["last_pong_age"] is None
assert d["sessions"]["total"] == 3 and d["sessions"]["active"] == 2
assert d["sessions"]["error"] == 1 and d["sessions"]["new"] == 0
'
check_json output_json_bird bird '
assert d["enabled"] is True and d["connected"] is True
assert d["connecting"] is False and d["version"] == "2.0.12"
assert d["connected_age"] == 3723 and d["last_error_age"] == 90061
assert d["last_error"] == "connect: No such file\x1b[2J\ufffd", repr(d)
assert d["backoff"] == 1 and d["attempts"] == 5 and d["connects"] == 2
assert d["commands_sent"] == 123 and d["auto_undos"] == 1
assert d["transactions"] == {"ok": 7, "unchanged": 2,
    "bird not connected": 0, "file error": 0, "configure check failed": 1}
assert d["maintenance"] is True and d["maintenance_since"] == 0
'
check_json output_json_wg wg '
assert d["backend"] == "userspace"
assert d["counters"] == {"applies": 4, "errors": 1, "rtnl_msgs": 20,
    "wg_sets": 3, "userspace_started": 2, "userspace_killed": 1}
a, b, c = d["tunnels"]
assert a == {"interface": "dn42_4242420002", "session": "s1",
    "name": "peer b", "present": True, "link_up": True,
    "handshake_age": 42, "rx_bytes": 1234567, "tx_bytes": 89}, a
assert b["session"] == "u\"2\n\u00e9\ufffd", repr(b)
assert b["handshake_age"] is None and b["link_up"] is False
assert c["present"] is False and c["rx_bytes"] == 2 ** 64 - 1
'
check_json output_json_wg_empty wg-empty '
assert d["tunnels"] == [] and d["backend"] == "userspace"
'
check_json output_json_result result '
assert d == {"result": "ok", "message": "configuration reloaded"}
'
finish
