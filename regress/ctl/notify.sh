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
# sd_notify as systemd would see it: a datagram socket in NOTIFY_SOCKET
# (a path, then an abstract name), READY=1, STATUS=, RELOADING=1 with
# MONOTONIC_USEC, WATCHDOG=1 only while every child answers its pings,
# and STOPPING=1.

. "$(dirname "$0")/../lib.sh"
need_root notify

tmp=$(mktemp -d /tmp/mnt-notify-XXXXXX)
agent_pid= listen_pid= stopped=
cleanup() {
	[ -n "$stopped" ] && kill -CONT "$stopped" 2>/dev/null
	[ -n "$agent_pid" ] && kill -9 "$agent_pid" 2>/dev/null
	[ -n "$listen_pid" ] && kill "$listen_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

host_conf notify-test n-secret "$tmp" >"$tmp/agent.json"
chmod 600 "$tmp/agent.json"

# listen ADDR: one line per datagram, "<monotonic usec> <msg>", with
# the message's newlines as "|".
listen() {
	: >"$tmp/notify.log"
	python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
a = sys.argv[1]
s.bind("\0" + a[1:] if a[0] == "@" else a)
out = open(sys.argv[2], "a")
while True:
	d = s.recv(4096).decode()
	out.write("%d %s\n" % (time.monotonic_ns() // 1000,
	    d.replace("\n", "|")))
	out.flush()
' "$1" "$tmp/notify.log" &
	listen_pid=$!
}
stop_listen() { kill "$listen_pid"; wait "$listen_pid" 2>/dev/null; listen_pid=; }
got() { grep -Eq -- "$1" "$tmp/notify.log"; }
count() { grep -Ec -- "$1" "$tmp/notify.log"; }
gone() { ! kill -0 "$1" 2>/dev/null; }
logged() { grep -q -- "$1" "$tmp/agent.log"; }
child_pid() {
	for p in $(pgrep -P "$agent_pid"); do
		[ "$(cat "/proc/$p/comm")" = "$1" ] && echo "$p"
	done
}

start_agent() {
	: >"$tmp/agent.log"
	env NOTIFY_SOCKET="$1" WATCHDOG_USEC="$2" ${3:+WATCHDOG_PID=$3} \
	    "$AGENT" -d -f "$tmp/agent.json" 2>>"$tmp/agent.log" &
	agent_pid=$!
	wait_for 10 logged "all children started"
}

stop_agent() {
	kill -TERM "$agent_pid"
	wait_for 10 gone "$agent_pid"
	wait "$agent_pid" 2>/dev/null
	agent_pid=
}

# Lines after the first matching $1.
after() { awk -v re="$1" 'f { print } $0 ~ re { f = 1 }' "$tmp/notify.log"; }

listen "$tmp/notify.sock"
wait_for 5 test -S "$tmp/notify.sock"
if ! start_agent "$tmp/notify.sock" 2000000; then
	fail notify_start "$(cat "$tmp/agent.log")"
	finish
fi
check notify_ready wait_for 5 got ' READY=1$'
check notify_status wait_for 5 got ' STATUS=3 children up, 0 sessions$'
check notify_watchdog wait_for 5 got ' WATCHDOG=1$'
wd0=$(count ' WATCHDOG=1$')
more() { [ "$(count ' WATCHDOG=1$')" -ge $((wd0 + 2)) ]; }
check notify_watchdog_repeats wait_for 5 more
check notify_env_not_inherited [ ! -s "/proc/$(child_pid fetcher)/environ" ]

# Reload, by signal and by moenetctl: RELOADING=1 with our clock, then
# READY=1 again.
monotonic_ok() {
	grep -E "$1" "$tmp/notify.log" | tail -1 | python3 -c '
import re, sys
line = sys.stdin.read()
t, msg = line.split(" ", 1)
m = re.search(r"MONOTONIC_USEC=(\d+)", msg)
assert m, line
assert abs(int(t) - int(m.group(1))) < 5000000, line
'
}
ready_after() { after "$1" | grep -q ' READY=1$'; }
kill -HUP "$agent_pid"
check notify_reloading_sighup wait_for 5 got ' RELOADING=1\|MONOTONIC_USEC=[0-9]+$'
check notify_reloading_clock monotonic_ok 'RELOADING=1'
check notify_ready_after_sighup wait_for 5 ready_after 'RELOADING=1'
nr=$(count 'RELOADING=1')
: >"$tmp/notify.log"
"$TOP/moenetctl" -s "$tmp/ctl.sock" reload >/dev/null
check notify_reloading_moenetctl wait_for 5 got ' RELOADING=1\|MONOTONIC_USEC='
check notify_ready_after_moenetctl wait_for 5 ready_after 'RELOADING=1'
check notify_one_reloading_each [ "$nr" -eq 1 -a "$(count RELOADING=1)" -eq 1 ]

# A child that stops answering: the watchdog is withheld, the status
# says why; once it answers again the watchdog comes back.
stopped=$(child_pid fetcher)
kill -STOP "$stopped"
check notify_watchdog_withheld_status wait_for 40 \
    got ' STATUS=child fetcher silent for [0-9]+ seconds, watchdog withheld$'
none_since() { ! after 'watchdog withheld' | grep -q ' WATCHDOG=1$'; }
withheld_twice() { [ "$(count 'watchdog withheld')" -ge 3 ]; }
wait_for 10 withheld_twice
check notify_watchdog_withheld none_since
kill -CONT "$stopped"
stopped=
check notify_watchdog_back wait_for 15 sh -c \
    "awk 'f { print } /watchdog withheld/ { f = 1 }' '$tmp/notify.log' |
    grep -q ' WATCHDOG=1$'"
check notify_status_back wait_for 15 sh -c \
    "awk 'f { print } /watchdog withheld/ { f = 1 }' '$tmp/notify.log' |
    grep -q ' STATUS=3 children up'"

stop_agent
check notify_stopping wait_for 5 got ' STOPPING=1'
stop_listen

# An abstract socket; a WATCHDOG_PID that is not ours means no watchdog.
name="@moenet-notify-test-$$"
listen "$name"
wait_for 5 sh -c "grep -q '@moenet-notify-test-$$' /proc/net/unix"
if start_agent "$name" 500000 1; then
	check notify_abstract_ready wait_for 5 got ' READY=1$'
	# Bounded: four watchdog periods without one.
	if wait_for 1 got ' WATCHDOG=1$'; then
		fail notify_watchdog_pid_not_ours "$(cat "$tmp/notify.log")"
	else
		ok notify_watchdog_pid_not_ours
	fi
	stop_agent
	check notify_abstract_stopping wait_for 5 got ' STOPPING=1'
else
	fail notify_abstract_start "$(cat "$tmp/agent.log")"
fi
stop_listen

# Without NOTIFY_SOCKET nothing is sent and nothing breaks.
if start_agent "" ""; then
	ok notify_without_socket
	stop_agent
else
	fail notify_without_socket "$(cat "$tmp/agent.log")"
fi
finish
