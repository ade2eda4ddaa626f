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
# BIRD not running: peer files are checked with "bird -p" and left for
# BIRD; one it would refuse is reported with BIRD's words and never
# reaches the directory; when BIRD comes back the session goes up and
# the control plane is told.

. "$(dirname "$0")/lab.sh"

# A's BIRD is down before the agent starts.
bpid=$(cat "$L/a/bird.pid")
kill "$bpid"
wait_for 10 sh -c "! kill -0 $bpid 2>/dev/null"
python3 - "$L/a/agent.json" "$L/a/bird.conf" <<'EOP'
import json, sys
c = json.load(open(sys.argv[1]))
c["bird"]["configFile"] = sys.argv[2]
json.dump(c, open(sys.argv[1], "w"))
EOP
# s3 uses our own AS over link-local: the renderer cannot know it is
# ours in full mode, BIRD refuses it (multihop over link-local).
write_cp "$S1_UP, {\"uuid\": \"s3\", \"asn\": 4242420001, \"status\": 4,
  \"type\": \"wireguard\", \"name\": \"self\", \"interface\": \"dn42_self\",
  \"credential\": \"$BPUB\", \"endpoint\": \"[fd00:ab::2]:20003\",
  \"ipv6LinkLocal\": \"fe80::c\", \"port\": 20003,
  \"extensions\": [\"mp-bgp\", \"extended-nexthop\"]}"
start_agent
check birddown_checked_and_left wait_for 60 grep -q 'checked with bird -p and left for BIRD' "$L/a/agent.log"
check birddown_good_file_written test -f "$L/a/peers/dn42_4242420002.conf"
check birddown_bad_reported wait_for 30 modified s3 6
check birddown_bad_reason_is_birds python3 - "$L/cp.log" <<'EOP'
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    b = r.get("body")
    if isinstance(b, dict) and b.get("uuid") == "s3" and b.get("status") == 6:
        sys.exit(0 if "bird -p" in b.get("lastError", "") else 1)
sys.exit(1)
EOP
check birddown_bad_file_absent sh -c "! ls '$L/a/peers' | grep -q self"
if modified s1 2; then
	fail birddown_not_active_while_down "modify 2 sent while BIRD was down"
else
	ok birddown_not_active_while_down
fi

# BIRD starts: it reads the checked file itself; the agent confirms.
ip netns exec "$NA" bird -c "$L/a/bird.conf" -s "$L/a/bird.ctl" -P "$L/a/bird.pid"
check birddown_bird_back_established wait_for 60 established dn42_4242420002
check birddown_active_reported wait_for 60 modified s1 2
check birddown_still_no_bad_protocol sh -c "! birdc -s $L/a/bird.ctl show protocols | grep -qi self"
[ "$failures" -gt 0 ] && tail -30 "$L/a/agent.log"
finish
