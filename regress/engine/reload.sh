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
# A reload is explicit: the new file is checked whole, then taken, and
# what the engine copied at start (the peer template) is taken again:
# the peer file is rendered anew and BIRD keeps the session.  A key read
# only at start is named in moenetctl reload's answer; a broken file is
# refused and nothing changes.

. "$(dirname "$0")/lab.sh"

CTL="$TOP/moenetctl -s $L/a/ctl.sock"
PEERFILE=$L/a/peers/dn42_4242420002.conf
start_agent
check reload_first_file wait_for 60 grep -q 'from dn42_peer {' "$PEERFILE"
check reload_established wait_for 60 established dn42_4242420002

# A second template in BIRD (before the peers' include), then the agent
# told to use it.
sed -i 's|^include "\(.*\)/peers/\*.conf";|template bgp dn42_peer2 from dn42_peer { }\n&|' \
    "$L/a/bird.conf"
birdc -s "$L/a/bird.ctl" configure >/dev/null
python3 - "$L/a/agent.json" "$L/a/state2" <<'EOP'
import json, sys
c = json.load(open(sys.argv[1]))
c["bird"]["peerTemplate"] = "dn42_peer2"
c["state"]["dir"] = sys.argv[2]
json.dump(c, open(sys.argv[1], "w"))
EOP
out=$($CTL reload 2>&1)
check reload_taken_restart_named sh -c \
    "echo '$out' | grep -qx 'configuration reloaded; at restart: state.dir'"
check reload_template_rendered wait_for 30 grep -q 'from dn42_peer2 {' \
    "$PEERFILE"
check reload_still_established wait_for 60 established dn42_4242420002
check reload_state_dir_kept sh -c "[ ! -e '$L/a/state2' ] &&
    ! grep -q 'state2' '$L/a/agent.log'"
check reload_logged grep -q 'BIRD peer files: .* rendered again' \
    "$L/a/agent.log"

# A broken file: refused with its reason, the running one stays.
cp "$L/a/agent.json" "$L/a/agent.good"
echo '{ "node": ' >"$L/a/agent.json"
if $CTL reload >"$L/reload.out" 2>&1; then
	fail reload_broken_refused "taken: $(cat "$L/reload.out")"
else
	ok reload_broken_refused
fi
cp "$L/a/agent.good" "$L/a/agent.json"
check reload_alive_after $CTL show status
finish
