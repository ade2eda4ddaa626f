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
# The process model for real: the agent as root with its three
# sandboxed children, checked from /proc; shared fate; signals.

. "$(dirname "$0")/../lib.sh"
need_root process

tmp=$(mktemp -d /tmp/mnt-proc-XXXXXX)
agent_pid=
cleanup() {
	[ -n "$agent_pid" ] && kill -9 "$agent_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

uid=$(id -u _moenet 2>/dev/null) || { fail process "no user _moenet"; finish; }

write_conf() {
	host_conf proc-test proc-secret "$tmp" "$1" "$2" >"$tmp/agent.json"
	chmod 600 "$tmp/agent.json"
}

children_of() { pgrep -P "$1" | sort; }
nchildren() { [ "$(children_of "$agent_pid" | wc -l)" -eq 3 ]; }
field() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
gone() { ! kill -0 "$1" 2>/dev/null; }
logged() { grep -q "$1" "$tmp/agent.log"; }

start_agent() {
	: >"$tmp/agent.log"
	"$AGENT" -d -f "$tmp/agent.json" 2>>"$tmp/agent.log" &
	agent_pid=$!
	wait_for 10 logged "all children started"
}

# Exit status of the agent once it is gone (bounded).
agent_exit() {
	wait_for 10 gone "$agent_pid" || return 255
	wait "$agent_pid"
}

write_conf text
if ! start_agent; then
	fail process_start "children did not start: $(cat "$tmp/agent.log")"
	finish
fi
check process_three_children wait_for 5 nchildren

for pid in $(children_of "$agent_pid"); do
	name=$(cat "/proc/$pid/comm")
	case $name in
	fetcher|birdctl) wantcap=0000000000000000 ;;
	wgctl) wantcap=0000000000001000 ;;	# CAP_NET_ADMIN only
	*) fail process_child_name "unexpected child $name"; continue ;;
	esac
	set -- $(awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "/proc/$pid/status")
	check "process_${name}_uid" [ "$1 $2 $3 $4" = "$uid $uid $uid $uid" ]
	check "process_${name}_capeff" [ "$(field "$pid" CapEff)" = "$wantcap" ]
	check "process_${name}_capprm" [ "$(field "$pid" CapPrm)" = "$wantcap" ]
	check "process_${name}_capbnd" \
	    [ "$(field "$pid" CapBnd)" = 0000000000000000 ]
	check "process_${name}_nonewprivs" [ "$(field "$pid" NoNewPrivs)" = 1 ]
	check "process_${name}_seccomp_filter" [ "$(field "$pid" Seccomp)" = 2 ]
	root=$tmp/state/empty
	[ "$name" = fetcher ] && root=$tmp/state/fetcher
	check "process_${name}_chroot" [ "$(readlink "/proc/$pid/root")" = "$root" ]
	check "process_${name}_empty_env" [ ! -s "/proc/$pid/environ" ]
	check "process_${name}_title" \
	    grep -q "moenet-agent: $name" "/proc/$pid/cmdline"
done
check process_parent_title grep -q 'moenet-agent: \[priv\]' \
    "/proc/$agent_pid/cmdline"
check process_empty_root_is_empty [ -z "$(ls -A "$tmp/state/empty")" ]
check process_fetcher_root_has_only_etc [ "$(ls -A "$tmp/state/fetcher")" = etc ]
check process_fetcher_root_nsswitch grep -qx 'hosts: files dns' \
    "$tmp/state/fetcher/etc/nsswitch.conf"

# SIGHUP: a broken file is not taken, a good one is.
echo '{ broken' >"$tmp/agent.json"
kill -HUP "$agent_pid"
check process_reload_bad_kept wait_for 5 logged "config file has errors, not reloading"
check process_still_running kill -0 "$agent_pid"
write_conf text
kill -HUP "$agent_pid"
check process_reload_good wait_for 5 logged "configuration reloaded"

# Shared fate: a child killed takes the daemon down, naming it.
bird_pid=$(for p in $(children_of "$agent_pid"); do
	[ "$(cat /proc/$p/comm)" = birdctl ] && echo "$p"; done)
kids=$(children_of "$agent_pid")
kill -9 "$bird_pid"
agent_exit
rc=$?
check process_lost_child_exit_nonzero [ "$rc" -ne 0 ] && [ "$rc" -ne 255 ]
check process_lost_child_named logged "lost child birdctl: killed by signal 9"
all_gone() { for p in "$@"; do gone "$p" || return 1; done; }
check process_lost_child_others_stop wait_for 5 all_gone $kids

# A seccomp violation is reported as one.
start_agent
fetch_pid=$(for p in $(children_of "$agent_pid"); do
	[ "$(cat /proc/$p/comm)" = fetcher ] && echo "$p"; done)
kill -SYS "$fetch_pid"
agent_exit
check process_sigsys_named logged "lost child fetcher: killed by signal 31.*sandbox violation"

# SIGTERM: orderly, exit 0, children gone.
write_conf json debug
start_agent
kids=$(children_of "$agent_pid")
kill -TERM "$agent_pid"
agent_exit
rc=$?
check process_sigterm_exit_0 [ "$rc" -eq 0 ]
check process_sigterm_children_gone wait_for 5 all_gone $kids
if python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    d = json.loads(line)
    assert {"time", "level", "proc", "msg"} <= d.keys(), line
    n += 1
assert n > 3
' "$tmp/agent.log" 2>"$tmp/py.err"; then
	ok process_json_log_lines
else
	fail process_json_log_lines "$(cat "$tmp/py.err")"
fi
check process_json_log_from_children grep -q '"proc":"wgctl"' "$tmp/agent.log"

# A terminal's ^C reaches the whole process group: still an orderly
# stop, and no child reported lost.  setsid gives the agent a group of
# its own; its pid (the group's id) comes from moenetctl.
write_conf text
: >"$tmp/agent.log"
setsid "$AGENT" -d -f "$tmp/agent.json" 2>>"$tmp/agent.log" &
if wait_for 10 logged "all children started"; then
	gpid=$("$TOP/moenetctl" -s "$tmp/ctl.sock" show status |
	    awk '$1 == "PID:" { print $2 }')
	kids=$(children_of "$gpid")
	/bin/kill -s INT -- "-$gpid"
	check process_sigint_group_stops wait_for 10 gone "$gpid"
	check process_sigint_group_children_gone wait_for 5 all_gone $kids
	check process_sigint_group_orderly logged "received SIGINT"
	if logged "lost child"; then
		fail process_sigint_group_no_lost_child "$(grep 'lost child' \
		    "$tmp/agent.log")"
	else
		ok process_sigint_group_no_lost_child
	fi
else
	fail process_sigint_group "agent did not start"
fi
wait 2>/dev/null

# The parent killed outright: children notice and exit.
start_agent
kids=$(children_of "$agent_pid")
kill -9 "$agent_pid"
wait "$agent_pid" 2>/dev/null
agent_pid=
check process_orphans_exit wait_for 5 all_gone $kids

# A state file of an unknown schema or a broken one: moved aside with a
# warning, never fatal.  last_state.json, of the releases before
# state.json, is read only when there is no state.json.
for bad in '{ "version": 99, "sessions": [] }' '{ not json' \
    'state.json { not json'; do
	mkdir -p "$tmp/state"
	rm -f "$tmp/state"/last_state.json* "$tmp/state"/state.json*
	file=last_state.json
	case $bad in
	state.json*) file=state.json; bad=${bad#state.json } ;;
	esac
	printf '%s\n' "$bad" >"$tmp/state/$file"
	start_agent
	case $file$bad in
	*99*) what=state_newer_schema; want="state version 99 is not known here" ;;
	state.json*) what=store_corrupt; want="state.json" ;;
	*) what=state_corrupt; want="last_state.json" ;;
	esac
	check "process_${what}_warned" wait_for 10 logged "$want"
	check "process_${what}_set_aside" wait_for 10 sh -c \
	    "ls '$tmp/state' | grep -q '$file.bad-'"
	check "process_${what}_alive" kill -0 "$agent_pid"
	kill -TERM "$agent_pid"
	agent_exit
done
rm -f "$tmp/state"/last_state.json* "$tmp/state"/state.json*

# state.json of a newer agent: neither read nor overwritten, and said
# so (degraded, and the stop's exit status).
newer='{ "version": 99, "sessions": { "x": 1 } }'
rm -f "$tmp/state"/state.json*
printf '%s\n' "$newer" >"$tmp/state/state.json"
start_agent
check process_store_newer_warned wait_for 10 logged \
    "is of version 99, newer than this agent's"
check process_store_newer_alive kill -0 "$agent_pid"
kill -TERM "$agent_pid"
agent_exit
check process_store_newer_exit_nonzero [ $? -ne 0 ]
check process_store_newer_kept [ "$(cat "$tmp/state/state.json")" = "$newer" ]
rm -f "$tmp/state"/state.json*

# Never a token in the log.
if grep -q proc-secret "$tmp/agent.log"; then
	fail process_no_token_in_log "token logged"
else
	ok process_no_token_in_log
fi

finish
