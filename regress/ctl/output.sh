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

for k in sessions sessions-wide sessions-birddown session status \
    status-down bird wg; do
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

# Every row's columns start where the header's do, counted in terminal
# columns (a CJK character takes two); without -w, 100 at most.
for k in sessions sessions-wide sessions-birddown; do
	if "$T" human "$k" | python3 -c '
import sys, unicodedata
def w(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else
        0 if unicodedata.combining(c) else 1 for c in s)
def at(line, col):
    # the text of line from terminal column col
    n = 0
    for i, c in enumerate(line):
        if n >= col:
            return line[i:]
        n += w(c)
    return ""
lines = [l for l in sys.stdin.read().splitlines() if l]
if lines[0].startswith("BIRD:"):
    lines = lines[1:]
head, rows = lines[0], lines[1:]
assert len(rows) == 5, rows
heads = head.split("  ")
heads = [h.strip() for h in heads if h.strip()]
cols = []
for h in heads[1:]:
    i = head.index(h)
    cols.append((h, w(head[:i])))
wide = sys.argv[1] == "sessions-wide"
for l in rows:
    assert wide or w(l) <= 100, (w(l), l)
    for h, c in cols:
        # the cell starts at c or, right-aligned, ends where its head does
        pre = at(l, c - 2)[:2]
        assert pre == "  " or at(l, c + len(h)).startswith("  ") or \
            at(l, c + len(h)) == "", (h, l)
if not wide:
    assert w(head) <= 100, head
' "$k" 2>"$out"; then
		ok "output_human_aligned_$k"
	else
		fail "output_human_aligned_$k" "$(cat "$out")"
	fi
done

# Filters: up, down, error, an ASN, a piece of a name (any case).
filtered() {
	n=$1 kind=$2
	shift 2
	got=$("$T" human "$kind" | sed 1d | awk '{print $1}' | tr '\n' ' ')
	if [ "$got" = "$* " ]; then
		ok "$n"
	else
		fail "$n" "got \"$got\", want \"$* \""
	fi
}
filtered output_filter_up sessions-up cust-a
filtered output_filter_down sessions-down 'we"ird\na?me?é???' 东京节点 大阪大阪大阪大阪大阪大阪大…
filtered output_filter_error sessions-error 'we"ird\na?me?é???'
filtered output_filter_asn sessions-asn 东京节点
filtered output_filter_name sessions-name cust-a

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
assert d["bird"] == {"enabled": True, "connected": True, "fresh": True,
    "error": None}, d["bird"]
s = d["sessions"]
assert len(s) == 5
a, w, x, t, o = s
assert a["name"] == "cust-a" and a["asn"] == 4242420001
assert a["interface"] == "dn42-cust-a" and a["cp_status"] == "enabled"
assert a["protocol"] == "dn42_cust_a"
assert a["neighbor"] == "fe80::b%dn42-cust-a"
assert a["state"] == "active" and a["state_age"] == 3723
assert a["bgp"]["state"] == "Established" and a["bgp"]["age"] == 90061
assert a["bgp"]["routes_in"] == {"ipv4": 120, "ipv6": 30}
assert a["bgp"]["routes_out"] == {"ipv4": 5, "ipv6": 6}
assert a["bgp_changes"] == 3 and a["bgp_changed_age"] == 90061
assert a["handshake_age"] == 42 and abs(a["rtt_ms"] - 12.345) < 1e-9
assert a["loss_pct"] == 2 and a["last_error"] is None
p = a["protocols"]
assert len(p) == 1 and p[0]["name"] == "dn42_cust_a", p
assert p[0]["hold_time"] == 9 and p[0]["hold_left_ms"] == 4640, p
assert p[0]["keepalive_time"] == 3 and p[0]["keepalive_left_ms"] == 202
assert p[0]["neighbor_as"] == 4242420001 and p[0]["last_error"] is None
assert p[0]["routes_in"] == {"ipv4": 120, "ipv6": 30}, p
tu = a["tunnel"]
assert tu == {"endpoint": "[fd00:ab::2]:20001", "listen_port": 20002,
    "mtu": 1420, "allowed_ips": ["0.0.0.0/0", "::/0"], "link_up": True,
    "rx_bytes": 1234, "tx_bytes": 5678}, tu
assert w["name"] == "we\"ird\\na\nme\x01\u00e9\ufffd\u202e\x85", \
    repr(w["name"])
assert w["last_error"] == "bird: syntax error near \"}\"\tline 3"
assert w["handshake_age"] is None and w["rtt_ms"] is None
assert w["loss_pct"] is None
assert w["bgp"] is None, w["bgp"]
assert w["cp_status"] is None and w["protocol"] is None
assert w["retries"] == 3 and w["state"] == "error"
assert w["tunnel"] == {"endpoint": None, "listen_port": None, "mtu": None,
    "allowed_ips": [], "link_up": False, "rx_bytes": None,
    "tx_bytes": None}, w["tunnel"]
assert w["protocols"] == [] and w["bgp_changed_age"] is None
assert x["name"] == "x" * 60 and x["state_age"] is None
assert x["asn"] is None and x["interface"] is None
assert t["name"] == "\u4e1c\u4eac\u8282\u70b9 tyo"
tp = t["protocols"][0]
assert tp["info"] == "Active        Socket: Connection refused", tp
assert tp["last_error"] == "Received: Administrative shutdown", tp
assert tp["hold_time"] is None and tp["routes_in"] is None, tp
'
check_json output_json_sessions_birddown sessions-birddown '
assert d["bird"] == {"enabled": True, "connected": False, "fresh": False,
    "error": "connect /run/bird/bird.ctl: Connection refused"}, d["bird"]
assert len(d["sessions"]) == 5
for s in d["sessions"]:
    assert s["bgp"] is None, s
'
check_json output_json_sessions_filtered sessions-down '
assert [s["uuid"][-1] for s in d["sessions"]] == ["2", "4", "5"], d
'
check_json output_json_session session 'assert len(d["sessions"]) == 5'
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
assert d["maintenance"] is False and d["maintenance_since"] is None
assert d["control_plane"] == {"configured": True, "reachable": True,
    "breaker": "closed", "last_success_age": 3}, d["control_plane"]
y = d["sync"]
assert y["started"] is True and y["running"] is False, y
assert y["last_sync_age"] == 3 and y["next_sync_in"] == 57, y
assert y["last_error"] is None and y["heartbeat_ok_age"] == 12, y
b = d["bird"]
assert b["connected"] is True and b["version"] == "2.0.12", b
assert b["last_error"] is None and b["last_error_age"] is None, b
assert d["wireguard"] == {"backend": "userspace"}
assert d["state_store"] == {"ok": True}
'
check_json output_json_status_down status-down '
import time
assert d["maintenance"] is True
assert abs(d["maintenance_since"] - (time.time() - 3600)) < 5, d
assert d["control_plane"]["reachable"] is False
assert d["control_plane"]["breaker"] == "open"
assert d["control_plane"]["last_success_age"] is None
assert "401" in d["sync"]["last_error"] and d["sync"]["from_state"] is True
assert d["bird"]["connected"] is False and d["bird"]["last_error_age"] == 5
assert d["state_store"] == {"ok": False}
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
assert d["maintenance"] is True and d["maintenance_since"] is None
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
