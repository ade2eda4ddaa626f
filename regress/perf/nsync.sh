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
# The cost of a sync for real, with N sessions (PERF_N, 20 by default)
# on router A of the engine lab: the cold apply, then a sync that finds
# nothing to do writes no file, sends no netlink or UAPI change and
# reconfigures no BIRD, and a triggered sync starts at once.  With
# PERF_N=300 and more it is the ad-hoc measurement: the figures go to
# stdout as "# " lines.

LAB_NAME=perf
. "$(dirname "$0")/../engine/lab.sh"
N=${PERF_N:-20}
# 2: the sessions are already active, and a cold apply sends no report
STATUS=${PERF_STATUS:-4}
CTL="$TOP/moenetctl -s $L/a/ctl.sock"

# Every wireguard-go of this lab's namespace goes with it.
# The agent raises the inotify limit past 64 tunnels (wg.c): put this
# machine's value back.
inotify0=$(cat /proc/sys/fs/inotify/max_user_instances)
perf_cleanup() {
	for p in $(ip netns pids "$NA" 2>/dev/null); do
		[ "$(cat /proc/$p/comm 2>/dev/null)" = wireguard-go ] &&
		    kill "$p" 2>/dev/null
	done
	cleanup
	# not while other labs hold more instances than that allows
	used=$(find /proc/[0-9]*/fd -lname 'anon_inode:inotify' 2>/dev/null | wc -l)
	[ "$used" -lt $((inotify0 / 2)) ] &&
	    echo "$inotify0" >/proc/sys/fs/inotify/max_user_instances
}
trap perf_cleanup EXIT INT TERM

# sessions [MTU]: the N sessions, the last one's MTU MTU (1420)
sessions() {
	i=1
	while [ "$i" -le "$N" ]; do
		mtu=1420
		[ "$i" = "$N" ] && mtu=${1:-1420}
		[ "$i" -gt 1 ] && echo ,
		echo '{"uuid": "p'$i'", "asn": '$((4242421000 + i))', "status": '$STATUS',
		  "type": "wireguard", "name": "perf '$i'", "interface": "dn42_p'$i'",
		  "credential": "'$BPUB'", "endpoint": "", "ipv6LinkLocal": "fe80::b",
		  "port": '$((30000 + i))', "extensions": ["mp-bgp"], "mtu": '$mtu'}'
		i=$((i + 1))
	done
}
write_cp "$(sessions)"
# Periodic runs would mix with the ones measured here.
sed -i 's/"syncInterval": 5, "heartbeatInterval": 5/"syncInterval": 3600, "heartbeatInterval": 3600/' \
    "$L/a/agent.json"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
nactive() { grep -c '"body": {"status": 2, "uuid"' "$L/cp.log"; }
ndone() { grep -c 'session sync done' "$L/a/agent.log"; }
nfetch() { grep -c '/sessions' "$L/cp.log"; }
# CPU ticks of the agent and its children (not wireguard-go: the floor's)
agent_ticks() {
	t=0
	for p in $agent_pid $(pgrep -P "$agent_pid") \
	    $(for c in $(pgrep -P "$agent_pid"); do pgrep -P "$c"; done); do
		case "$(cat /proc/$p/comm 2>/dev/null)" in
		wireguard-go|sh) continue ;;
		esac
		t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null || echo 0)))
	done
	echo $t
}
wgcount() { $CTL -j show wg | python3 -c 'import json,sys
c=json.load(sys.stdin)["counters"]; print(c["'$1'"])'; }

t0=$(now_ms)
start_agent
wait_for $((30 + N / 4)) sh -c "grep -q 'session sync done' '$L/a/agent.log'"
t1=$(now_ms)
up=$(ip -n "$NA" link show up | grep -c ': dn42_p[0-9]*:')
if [ "$up" = "$N" ]; then
	ok perf_cold_apply
else
	fail perf_cold_apply "$up of $N tunnels up"
fi
echo "# N=$N cold apply: $((t1 - t0)) ms to the end of the first sync, agent CPU $(agent_ticks) ticks"
# The reports to the control plane: not part of the apply.
[ "$STATUS" = 2 ] || wait_for $((30 + N / 4)) sh -c "[ \$(grep -c '\"body\": {\"status\": 2, \"uuid\"' '$L/cp.log') -ge $N ]" ||
    fail perf_reported "$(nactive) of $N reported active"

# A sync with nothing to do.
ndone0=$(ndone)
nfetch0=$(nfetch)
rtnl0=$(wgcount rtnl_msgs)
sets0=$(wgcount wg_sets)
cfg0=$(grep -c 'reconfiguring BIRD' "$L/a/agent.log")
touch "$L/marker"
ticks0=$(agent_ticks)
# PERF_RECORD=file: a profile of the agent's processes over this sync
if [ -n "$PERF_RECORD" ]; then
	pids=$(echo $agent_pid $(pgrep -P "$agent_pid") | tr ' ' ,)
	perf record -q -F 1999 -p "$pids" -o "$PERF_RECORD" 2>/dev/null &
	perf_pid=$!
	sleep 0.5	# perf attaching: only for this ad-hoc measurement
fi
t0=$(now_ms)
$CTL sync >/dev/null
if wait_for 5 sh -c "[ \$(grep -c '/sessions' '$L/cp.log') -gt $nfetch0 ]"; then
	ok perf_sync_starts_at_once
else
	fail perf_sync_starts_at_once "no fetch within 5 s"
fi
t1=$(now_ms)
wait_for 60 sh -c "[ \$(grep -c 'session sync done' '$L/a/agent.log') -gt $ndone0 ]" ||
    fail perf_noop_sync "did not end within 60 s"
t2=$(now_ms)
[ -n "$PERF_RECORD" ] && kill -INT "$perf_pid" && wait "$perf_pid"
ticks=$(( $(agent_ticks) - ticks0 ))
files=$(find "$L/a/state" "$L/a/peers" -type f -newer "$L/marker" | wc -l)
rtnl=$(( $(wgcount rtnl_msgs) - rtnl0 ))
sets=$(( $(wgcount wg_sets) - sets0 ))
cfg=$(( $(grep -c 'reconfiguring BIRD' "$L/a/agent.log") - cfg0 ))
echo "# N=$N no-op sync: fetch after $((t1 - t0)) ms, done after $((t2 - t0)) ms, agent CPU $ticks ticks, $files files, $rtnl rtnetlink, $sets sets, $cfg BIRD reconfigurations"
find "$L/a/state" "$L/a/peers" -type f -newer "$L/marker" | sed 's/^/# written: /'
check perf_noop_no_netlink [ "$rtnl" = 0 ]
check perf_noop_no_set [ "$sets" = 0 ]
check perf_noop_no_bird_configure [ "$cfg" = 0 ]
check perf_noop_no_peer_file [ "$(find "$L/a/peers" -type f -newer "$L/marker" | wc -l)" = 0 ]

# One change among N: the MTU of the last session's tunnel.  Applied
# soon after the sync that sees it, with one rtnetlink request and no
# other tunnel, file or BIRD reconfiguration touched.
write_cp "$(sessions 1400)"
rtnl0=$(wgcount rtnl_msgs)
sets0=$(wgcount wg_sets)
cfg0=$(grep -c 'reconfiguring BIRD' "$L/a/agent.log")
nfetch0=$(nfetch)
touch "$L/marker"
t0=$(now_ms)
$CTL sync >/dev/null
wait_for 5 sh -c "[ \$(grep -c '/sessions' '$L/cp.log') -gt $nfetch0 ]"
t1=$(now_ms)
if wait_for 30 sh -c "ip -n $NA link show dn42_p$N | grep -q 'mtu 1400'"; then
	ok perf_change_applied
else
	fail perf_change_applied "MTU of dn42_p$N still $(ip -n $NA link show dn42_p$N | grep -o 'mtu [0-9]*')"
fi
t2=$(now_ms)
rtnl=$(( $(wgcount rtnl_msgs) - rtnl0 ))
sets=$(( $(wgcount wg_sets) - sets0 ))
cfg=$(( $(grep -c 'reconfiguring BIRD' "$L/a/agent.log") - cfg0 ))
echo "# N=$N one change: applied $((t2 - t1)) ms after the fetch, $rtnl rtnetlink, $sets sets, $cfg BIRD reconfigurations"
check perf_change_one_request [ "$rtnl" = 1 ]
check perf_change_no_set [ "$sets" = 0 ]
check perf_change_no_other_tunnel [ "$(ip -n "$NA" link | grep -c 'mtu 1400')" = 1 ]
finish
