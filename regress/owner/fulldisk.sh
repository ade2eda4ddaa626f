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
# A full state file system (a small tmpfs over the state directory,
# filled up), engine lab: the agent starts all the same (it does not
# rewrite the fetcher's resolver copy to start), keeps the router as it
# is, and says it is degraded: /healthz 503 with the reason, /status,
# moenetctl show status, /metrics and the heartbeat.  A stop whose final
# state write fails exits non-zero; with room again, all is well.

LAB_NAME=owner_fulldisk
. "$(dirname "$0")/../engine/lab.sh"
S=$L/a/state
trap 'umount "$S" 2>/dev/null; cleanup' EXIT INT TERM

HP=$(ip netns exec "$NA" python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 - "$L/a/agent.json" "$L/a/full.json" "$HP" <<'EOP'
import json, sys
c = json.load(open(sys.argv[1]))
c["server"] = {"listen": "127.0.0.1:" + sys.argv[3]}
c["wireguard"]["loopbackInterface"] = "none"
json.dump(c, open(sys.argv[2], "w"))
EOP
chmod 600 "$L/a/full.json"
CTL="$TOP/moenetctl -s $L/a/ctl.sock"
get() { ip netns exec "$NA" curl -s --max-time 5 "$@" "http://127.0.0.1:$HP$1"; }
healthz() { ip netns exec "$NA" curl -s --max-time 5 -w ' %{http_code}' \
    "http://127.0.0.1:$HP/healthz"; }
health_full() { h=$(healthz); [ "${h##* }" = 503 ] && echo "$h" | grep -q 'state not saved'; }
health_clear() { ! healthz | grep -q 'state not saved'; }
status_full() { get /status | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if d["status"] == "degraded" and
         any("state not saved" in r for r in d["reasons"]) else 1)'; }
ctl_full() { $CTL show status | grep -q '^Degraded: .*state not saved'; }
metric() { get /metrics | grep -q "^moenet_agent_degraded{condition=\"state_write\"} $1\$"; }
hb_degraded() { grep '/heartbeat' "$L/cp.log" | grep -q '"degraded": \["state_write"\]'; }
logged() { grep -qF "$1" "$L/a/agent.log"; }
not_logged() { ! grep -q "sandbox root" "$L/a/agent.log"; }
alive() { kill -0 "$agent_pid" 2>/dev/null; }
# stop_rc: SIGTERM; rc is the agent's exit status (not in a subshell:
# only this shell can wait for it).
stop_rc() {
	kill "$agent_pid"
	wait "$agent_pid"
	rc=$?
	agent_pid=
}

start_agent "$L/a/full.json"
check fulldisk_setup wait_for 60 modified s1 2
check fulldisk_established wait_for 60 established dn42_4242420002
stop_agent
pid=$(wgpid)

# The state directory on a tmpfs of 512 KiB, full.
cp -a "$S" "$L/state.save"
mount -t tmpfs -o size=512k,mode=0700 tmpfs "$S"
cp -a "$L/state.save/." "$S/"
dd if=/dev/zero of="$S/filler" bs=4k 2>/dev/null
full() { ! sh -c "echo x >'$S/probe'" 2>/dev/null; }
check fulldisk_is_full full
rm -f "$S/probe"

mark=$(wc -l <"$L/cp.log")
start_agent "$L/a/full.json"
started2() { [ "$(grep -c 'engine started' "$L/a/agent.log")" -ge 2 ]; }
check fulldisk_starts wait_for 30 started2
check fulldisk_no_sandbox_error not_logged
check fulldisk_healthz_503 wait_for 30 health_full
check fulldisk_status_degraded status_full
check fulldisk_ctl_degraded ctl_full
check fulldisk_metric metric 1
check fulldisk_heartbeat wait_for 30 hb_degraded
check fulldisk_alive alive
check fulldisk_tunnel_kept [ "$(wgpid)" = "$pid" ]
check fulldisk_bgp_kept established dn42_4242420002
stop_rc
check fulldisk_exit_nonzero [ "$rc" != 0 ]

# Room again: the next write clears it, and a stop exits 0.
start_agent "$L/a/full.json"
check fulldisk_restarts_full wait_for 30 health_full
rm -f "$S/filler"
check fulldisk_room_clears wait_for 30 health_clear
check fulldisk_metric_clear metric 0
stop_rc
check fulldisk_exit_zero_with_room [ "$rc" = 0 ]
umount "$S"
finish
