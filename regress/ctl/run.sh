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
# The control socket against the real agent: every command, human and
# JSON, reload good and bad, log verbosity reaching the children, who
# may connect, the read-only socket, limits, hostile clients, and
# moenetctl without an agent.

. "$(dirname "$0")/../lib.sh"
need_root ctl

CTL=$TOP/moenetctl
tmp=$(mktemp -d /tmp/mnt-ctl-XXXXXX)
agent_pid= fake_pid=
cleanup() {
	[ -n "$agent_pid" ] && kill -9 "$agent_pid" 2>/dev/null
	[ -n "$fake_pid" ] && kill -9 "$fake_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
# Others must reach the sockets to be refused by them, not by the dir.
chmod 0755 "$tmp"

if [ ! -L "$CTL" ] || [ "$(readlink "$CTL")" != moenet-agent ]; then
	fail ctl_symlink "$CTL is not a link to moenet-agent (make)"
	finish
fi
ok ctl_symlink
gid=$(getent group _moenet | cut -d: -f3)
[ -n "$gid" ] || { fail ctl "no group _moenet (make user)"; finish; }

write_conf() {
	cat >"$tmp/agent.json" <<EOC
{
	"node": { "name": "$1", "id": 1 },
	"controlPlane": { "url": "https://127.0.0.1:8443", "token": "ctl-secret" },
	"wireguard": { "loopbackInterface": "none", "dn42Ipv4": "172.20.0.1", "dn42Ipv6": "fd00:4242:7777:101:4::1",
	    "privateKeyPath": "$tmp/wg.key" },
	"state": { "dir": "$tmp/state" },
	"bird": { "maintenanceFile": "$tmp/maintenance.conf",
	    "controlSocket": "$tmp/no-bird.ctl", "peerConfDir": "$tmp/peers",
	    "ibgpConfDir": "$tmp/ibgp", "policyDir": "$tmp/policy" },
	"control": { "socket": "$tmp/ctl.sock", "readOnlySocket": "$tmp/ro.sock" },
	"log": { "format": "text", "level": "info" }
}
EOC
	chmod 600 "$tmp/agent.json"
}

ctl() { "$CTL" -s "$tmp/ctl.sock" "$@"; }
nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
gone() { ! kill -0 "$1" 2>/dev/null; }
logged() { grep -q -- "$1" "$tmp/agent.log"; }
answers() { ctl show status; }
status_has() { ctl show status | grep -Eq -- "$1"; }

start_agent() {
	: >"$tmp/agent.log"
	"$AGENT" -d -f "$tmp/agent.json" 2>>"$tmp/agent.log" &
	agent_pid=$!
	wait_for 10 logged "all children started"
}

stop_agent() {
	kill -TERM "$agent_pid"
	wait_for 10 gone "$agent_pid"
	wait "$agent_pid"
	rc=$?
	agent_pid=
	return $rc
}

# expect NAME RC-WANTED(0|nonzero) STDERR-REGEX COMMAND...: one line on
# stderr matching the regex (or nothing when it is empty).
expect() {
	n=$1 want=$2 re=$3
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$want" = 0 ] && [ "$rc" -ne 0 ]; then
		fail "$n" "exit $rc: $(cat "$tmp/err")"
	elif [ "$want" != 0 ] && [ "$rc" -eq 0 ]; then
		fail "$n" "exit 0, wanted failure: $(cat "$tmp/out")"
	elif [ -z "$re" ] && [ -s "$tmp/err" ]; then
		fail "$n" "stderr: $(cat "$tmp/err")"
	elif [ -n "$re" ] && { [ "$(wc -l <"$tmp/err")" -ne 1 ] ||
	    ! grep -Eq -- "$re" "$tmp/err"; }; then
		fail "$n" "stderr not one line like /$re/: $(cat "$tmp/err")"
	else
		ok "$n"
	fi
}

# pyjson NAME SCRIPT: the last command's stdout as JSON in d.
pyjson() {
	if python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
$2
" "$tmp/out" "$agent_pid" "$tmp" 2>"$tmp/py.err"; then
		ok "$1"
	else
		fail "$1" "$(cat "$tmp/py.err") in $(cat "$tmp/out")"
	fi
}

write_conf ctl-test
if ! start_agent; then
	fail ctl_start "agent did not start: $(cat "$tmp/agent.log")"
	finish
fi

check ctl_socket_mode [ "$(stat -c '%a %U %G' "$tmp/ctl.sock")" = \
    "660 root _moenet" ]
check ctl_ro_socket_mode [ "$(stat -c '%a %U %G' "$tmp/ro.sock")" = \
    "666 root _moenet" ]

# A second agent must not take the socket from a live one.
"$AGENT" -d -f "$tmp/agent.json" >"$tmp/second.log" 2>&1
rc=$?
check ctl_second_agent_refused [ "$rc" -ne 0 ]
check ctl_second_agent_says_why grep -q "an agent is already running" \
    "$tmp/second.log"
check ctl_first_agent_still_answers answers

# show status, for people and as JSON.
expect ctl_show_status 0 "" ctl show status
check ctl_show_status_node grep -Eq '^Node: +ctl-test, full mode$' "$tmp/out"
check ctl_show_status_pid grep -Eq "^PID: +$agent_pid\$" "$tmp/out"
check ctl_show_status_children [ "$(grep -Ec \
    '^(fetcher|birdctl|wgctl) +[0-9]+ +yes +[0-9]{2}:' "$tmp/out")" -eq 3 ]
check ctl_show_status_logging grep -Eq '^Logging: +brief$' "$tmp/out"
check ctl_show_status_sessions grep -Eq '^Sessions: +0$' "$tmp/out"
cp "$tmp/out" "$tmp/out.status"
expect ctl_show_alone_is_status 0 "" ctl show
check ctl_show_alone_output grep -q '^Node:' "$tmp/out"
expect ctl_abbreviated 0 "" ctl sh st
check ctl_abbreviated_output grep -q '^Node:' "$tmp/out"

expect ctl_show_status_json 0 "" ctl -j show status
pyjson ctl_show_status_json_fields '
import subprocess
pid = int(sys.argv[2])
assert d["pid"] == pid and d["node"] == "ctl-test" and d["mode"] == "full"
assert d["version"] and d["log"] == "brief" and d["uptime"] >= 0
kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
    text=True).stdout.split()
c = d["children"]
assert [x["name"] for x in c] == ["fetcher", "birdctl", "wgctl"], c
assert sorted(str(x["pid"]) for x in c) == sorted(kids), (c, kids)
for x in c:
	assert x["ready"] is True and 0 <= x["last_pong_age"] <= 15, x
	comm = open("/proc/%d/comm" % x["pid"]).read().strip()
	assert comm == x["name"], (comm, x)
assert d["sessions"]["total"] == 0
assert set(d["sessions"]) >= {"new", "pending", "setup", "active", "error"}
assert d["maintenance"] is False and d["maintenance_since"] is None, d
assert d["bird"]["enabled"] is True and d["bird"]["connected"] is False, d
assert d["bird"]["last_error"] is None or "no-bird.ctl" in d["bird"]["last_error"], d
assert d["bird"]["version"] is None, d
assert d["wireguard"]["backend"] in ("kernel", "userspace"), d
assert d["state_store"] == {"ok": True}, d
assert d["control_plane"]["configured"] is True, d
assert d["sync"]["last_error"] is None or d["sync"]["last_error"], d
'
check ctl_show_status_bird wait_for 10 status_has \
    '^BIRD: +unreachable: .*no-bird\.ctl'
check ctl_show_status_cp grep -Eq \
    '^Control plane: +(reachable|unreachable), breaker [a-z-]+, ' \
    "$tmp/out.status"
check ctl_show_status_store grep -Eq '^State store: +ok$' "$tmp/out.status"

# show sessions and show session: the engine has none yet.
expect ctl_show_sessions 0 "" ctl show sessions
# This agent's BIRD socket does not exist: said once, at the top.
check ctl_show_sessions_bird_down grep -Eq \
    '^BIRD: unreachable \(.+\); BGP state and routes unknown$' \
    "$tmp/out"
check ctl_show_sessions_header grep -Eq \
    '^Session +ASN +Protocol +State +Up/Down$' "$tmp/out"
expect ctl_show_sessions_wide 0 "" ctl -w show sessions
check ctl_show_sessions_wide_header grep -Eq \
    '^Session +UUID +ASN +Protocol +Interface +Neighbor +CP status +Agent +Up/Down +Handshake +RTT +Last error$' \
    "$tmp/out"
expect ctl_show_sessions_json 0 "" ctl -j show sessions
pyjson ctl_show_sessions_json_empty '
assert d["sessions"] == [], d
b = d["bird"]
assert b["enabled"] is True and b["connected"] is False, b
assert b["fresh"] is False and b["error"], b
'
expect ctl_show_sessions_filter_json 0 "" ctl -j show sessions up AS4242420002
pyjson ctl_show_sessions_filter_empty 'assert d["sessions"] == [], d'
expect ctl_show_session_nosuch nonzero '^moenetctl: no session peer-x ' \
    ctl show session peer-x
check ctl_nosuch_no_stdout [ ! -s "$tmp/out" ]
# With -j the error is JSON on stdout, and nothing goes to stderr.
expect ctl_show_session_nosuch_json nonzero '' ctl -j show session peer-x
pyjson ctl_nosuch_json_error '
assert list(d) == ["error"] and d["error"].startswith("no session peer-x"), d
'
expect ctl_json_usage_error nonzero '' ctl -j show frobnicate
pyjson ctl_json_usage_error_json '
assert d["error"].startswith("unknown argument: frobnicate"), d
'

# sync: a session sync now, not at the next interval (60 s here).
nsync() { grep -c 'session sync:' "$tmp/agent.log"; }
wait_for 30 sh -c "[ \$(grep -c 'session sync:' '$tmp/agent.log') -ge 1 ]"
before=$(nsync)
more_syncs() { [ "$(nsync)" -gt "$before" ]; }
expect ctl_sync 0 "" ctl sync
check ctl_sync_says grep -q 'session sync started' "$tmp/out"
check ctl_sync_runs_now wait_for 15 more_syncs
expect ctl_sync_ro_denied nonzero 'read-only' "$CTL" -s "$tmp/ro.sock" sync

# The grammar.
expect ctl_unknown_command nonzero '^moenetctl: unknown argument: frobnicate' \
    ctl frobnicate
expect ctl_ambiguous nonzero '^moenetctl: ambiguous argument: sess' \
    ctl show sess
expect ctl_missing_arg nonzero '^moenetctl: missing argument' ctl log
expect ctl_superfluous nonzero '^moenetctl: superfluous argument: now' \
    ctl reload now
expect ctl_usage nonzero '^usage: moenetctl ' "$CTL"
# getopt names the flag, then usage.
"$CTL" -x show status >/dev/null 2>"$tmp/err"
check ctl_bad_flag_fails [ $? -ne 0 ]
check ctl_bad_flag_usage grep -q '^usage: moenetctl ' "$tmp/err"
# show bird: this agent's BIRD socket does not exist, it keeps trying.
attempted() { ctl -j show bird | grep -q '"attempts":[1-9]'; }
check ctl_show_bird_attempts wait_for 10 attempted
expect ctl_show_bird 0 "" ctl show bird
check ctl_show_bird_not_connected grep -Eq '^Connected: +no( \(connecting\))?$' \
    "$tmp/out"
check ctl_show_bird_no_version grep -Eq '^Version: +-$' "$tmp/out"
check ctl_show_bird_error grep -Eq '^Last error: +.*no-bird\.ctl.* \([0-9:dhw]+ ago\)$' \
    "$tmp/out"
check ctl_show_bird_connects grep -Eq '^Connects: +0 of [1-9][0-9]* attempts$' \
    "$tmp/out"
check ctl_show_bird_transactions grep -Eq '^Transactions: +0$' "$tmp/out"
check ctl_show_bird_maintenance grep -Eq '^Maintenance: +off$' "$tmp/out"
expect ctl_show_bird_abbreviated 0 "" ctl sh b
check ctl_show_bird_abbreviated_output grep -q '^Connected:' "$tmp/out"
expect ctl_show_bird_json 0 "" ctl -j show bird
pyjson ctl_show_bird_json_fields '
assert d["enabled"] is True and d["connected"] is False, d
assert d["connected_age"] is None and d["version"] is None, d
assert d["attempts"] >= 1 and d["connects"] == 0, d
assert "no-bird.ctl" in d["last_error"] and d["last_error_age"] >= 0, d
assert 1 <= d["backoff"] <= 30, d
t = d["transactions"]
assert {"ok", "unchanged"} <= set(t) and sum(t.values()) == 0, t
assert d["maintenance"] is False
'

# show wg: no session, so no tunnel; the header all the same.
expect ctl_show_wg 0 "" ctl show wg
check ctl_show_wg_backend grep -Eq '^Backend: +(kernel|userspace)$' "$tmp/out"
check ctl_show_wg_no_tunnels grep -Eq '^Tunnels: +0$' "$tmp/out"
check ctl_show_wg_header_last [ "$(sed -n '$p' "$tmp/out")" = \
    "Interface  Session  Link  Handshake  RX bytes  TX bytes" ]
expect ctl_show_wg_json 0 "" ctl -j show wg
pyjson ctl_show_wg_json_fields '
assert d["backend"] in ("kernel", "userspace"), d
assert d["tunnels"] == [], d
assert set(d["counters"]) == {"applies", "errors", "rtnl_msgs", "wg_sets",
    "userspace_started", "userspace_killed"}, d
'
# maintenance: on or off; without BIRD it fails and says why.
expect ctl_maintenance_missing nonzero 'missing argument \(valid: off, on\)' \
    ctl maintenance
check ctl_maintenance_file_created grep -qx 'define MAINTENANCE_MODE = false;' \
    "$tmp/maintenance.conf"
expect ctl_maintenance_no_bird nonzero \
    '^moenetctl: maintenance not switched: BIRD is not connected$' \
    ctl maintenance on
check ctl_maintenance_still_off status_has '^Maintenance: +off$'

# The socket: MOENET_CTLSOCK, and -s over it.
expect ctl_env_socket 0 "" env MOENET_CTLSOCK="$tmp/ctl.sock" "$CTL" show status
expect ctl_flag_over_env 0 "" env MOENET_CTLSOCK=/nonexistent/x.sock \
    "$CTL" -s "$tmp/ctl.sock" show status

# reload: taken, then a broken file refused with its reason.
write_conf ctl-test-2
expect ctl_reload 0 "" ctl reload
check ctl_reload_output grep -qx 'configuration reloaded' "$tmp/out"
check ctl_reload_taken status_has '^Node: +ctl-test-2,'
expect ctl_reload_json 0 "" ctl -j reload
pyjson ctl_reload_json_fields \
    'assert d == {"result": "ok", "message": "configuration reloaded"}, d'
echo '{ "node": { "name": 5 } }' >"$tmp/agent.json"
expect ctl_reload_broken nonzero '^moenetctl: .*agent\.json.*name' ctl reload
check ctl_reload_broken_logged logged "config file has errors, not reloading"
check ctl_reload_broken_kept status_has '^Node: +ctl-test-2,'
write_conf ctl-test

# log verbose|brief: the parent's verbosity, shown by show status.
expect ctl_log_verbose 0 "" ctl log verbose
check ctl_log_verbose_output grep -qx 'logging verbose' "$tmp/out"
check ctl_log_verbose_status status_has '^Logging: +verbose$'
expect ctl_log_brief 0 "" ctl -j log brief
pyjson ctl_log_brief_json 'assert d["message"] == "logging brief", d'
check ctl_log_brief_status status_has '^Logging: +brief$'

# Who may connect.  Not root, not in _moenet: the socket's mode says no;
# with the mode opened, the agent itself still says no.
expect ctl_nobody_refused nonzero \
    "^moenetctl: cannot connect to $tmp/ctl.sock: Permission denied\$" \
    nobody "$CTL" -s "$tmp/ctl.sock" show status
chmod 0666 "$tmp/ctl.sock"
expect ctl_nobody_refused_by_agent nonzero '^moenetctl: permission denied$' \
    nobody "$CTL" -s "$tmp/ctl.sock" reload
check ctl_nobody_refusal_logged logged "is neither root nor in group _moenet"
chmod 0660 "$tmp/ctl.sock"
expect ctl_member_supplementary 0 "" setpriv --reuid=nobody --regid=nogroup \
    --groups="$gid" "$CTL" -s "$tmp/ctl.sock" show status
expect ctl_member_primary 0 "" setpriv --reuid=nobody --regid="$gid" \
    --clear-groups "$CTL" -s "$tmp/ctl.sock" -j show sessions

# The read-only socket: anyone may look, nobody may act.
expect ctl_ro_show 0 "" nobody "$CTL" -s "$tmp/ro.sock" show status
check ctl_ro_show_output grep -q '^Node:' "$tmp/out"
expect ctl_ro_show_sessions 0 "" nobody "$CTL" -s "$tmp/ro.sock" -j show sessions
expect ctl_ro_show_bird 0 "" nobody "$CTL" -s "$tmp/ro.sock" show bird
check ctl_ro_show_bird_output grep -Eq '^Connected: +no' "$tmp/out"
expect ctl_ro_show_wg 0 "" nobody "$CTL" -s "$tmp/ro.sock" -j show wg
pyjson ctl_ro_show_wg_json 'assert d["tunnels"] == [], d'
expect ctl_ro_reload_refused nonzero \
    '^moenetctl: not allowed on the read-only socket$' \
    "$CTL" -s "$tmp/ro.sock" reload
expect ctl_ro_log_refused nonzero \
    '^moenetctl: not allowed on the read-only socket$' \
    nobody "$CTL" -s "$tmp/ro.sock" log verbose
check ctl_ro_log_unchanged status_has '^Logging: +brief$'
expect ctl_ro_maintenance_refused nonzero \
    '^moenetctl: not allowed on the read-only socket$' \
    nobody "$CTL" -s "$tmp/ro.sock" maintenance on

# Hostile and careless clients get an error, and the agent lives on.
raw() { python3 "$TOP/regress/ctl/rawctl.py" "$TOP" "$@"; }
rawcase() {
	n=$1 want=$2
	shift 2
	out=$(raw "$tmp/ctl.sock" "$@" 2>&1)
	if printf '%s\n' "$out" | grep -Eq -- "$want"; then
		ok "$n"
	else
		fail "$n" "wanted /$want/, got: $out"
	fi
}
res_badmsg=4 res_limit=5
# rawctl.py sends the agent's version + 98.
v=$(sed -n 's/^#define IMSG_VERSION[[:space:]]*\([0-9]*\).*/\1/p' \
    "$TOP/common/moenet.h")
rawcase ctl_raw_garbage \
    "^reply $res_badmsg malformed or oversize message version-ok$" garbage
rawcase ctl_raw_garbage_closed '^closed$' garbage
rawcase ctl_raw_version \
    "^reply $res_badmsg protocol version $((v + 98)), the agent speaks $v" \
    version
rawcase ctl_raw_version_closed '^closed$' version
rawcase ctl_raw_oversize "^reply $res_badmsg malformed or oversize message" \
    oversize
rawcase ctl_raw_oversize_closed '^closed$' oversize
rawcase ctl_raw_unknown "^reply $res_badmsg unknown request" unknown
rawcase ctl_raw_unknown_closed '^closed$' unknown
rawcase ctl_raw_short "^reply $res_badmsg IMSG_CTL_SHOW_STATUS: wrong length" short
rawcase ctl_raw_short_closed '^closed$' short
rawcase ctl_raw_fdpass_closed '^closed$' fdpass
rawcase ctl_raw_slow_reader_dropped '^closed$' slow "$tmp/agent.log"
rawcase ctl_raw_connection_limit "^reply $res_limit too many connections" \
    limit 8
check ctl_alive_after_abuse answers
check ctl_alive_after_abuse_pid kill -0 "$agent_pid"

# log verbose reaches the children: their debug lines at exit show up.
expect ctl_log_verbose_again 0 "" ctl log verbose
sock_before=$(ls "$tmp/ctl.sock" "$tmp/ro.sock" 2>/dev/null | wc -l)
stop_agent
rc=$?
check ctl_sigterm_exit_0 [ "$rc" -eq 0 ]
for p in fetcher birdctl wgctl; do
	check "ctl_log_verbose_reached_$p" logged "$p\[debug\]: exiting"
done
check ctl_sockets_removed_at_exit [ "$sock_before" -eq 2 -a \
    ! -e "$tmp/ctl.sock" -a ! -e "$tmp/ro.sock" ]

# ... and log brief keeps them quiet (the same lines must be absent).
start_agent || fail ctl_restart "$(cat "$tmp/agent.log")"
expect ctl_log_brief_again 0 "" ctl log brief
stop_agent
if grep -q '\[debug\]: exiting' "$tmp/agent.log"; then
	fail ctl_log_brief_reached_children "$(grep debug "$tmp/agent.log")"
else
	ok ctl_log_brief_reached_children
fi

# No agent: a clear message, non-zero, at once.
t0=$(date +%s)
expect ctl_no_agent nonzero \
    "^moenetctl: cannot connect to $tmp/ctl.sock: agent not running\\?\$" \
    ctl show status
check ctl_no_agent_quick [ $(( $(date +%s) - t0 )) -le 3 ]
expect ctl_no_agent_default nonzero \
    '^moenetctl: cannot connect to /nonexistent/moenet.sock: agent not running\?$' \
    env MOENET_CTLSOCK=/nonexistent/moenet.sock "$CTL" show status

# A stale socket (agent killed): the same message; a new agent removes it.
start_agent || fail ctl_restart2 "$(cat "$tmp/agent.log")"
kill -9 "$agent_pid"
wait "$agent_pid" 2>/dev/null
agent_pid=
check ctl_stale_socket_left [ -S "$tmp/ctl.sock" ]
expect ctl_stale_no_agent nonzero 'agent not running\?$' ctl show status
if start_agent; then
	ok ctl_stale_socket_replaced
	check ctl_stale_socket_logged logged "removing stale control socket"
	check ctl_stale_then_answers answers
	stop_agent
else
	fail ctl_stale_socket_replaced "$(cat "$tmp/agent.log")"
fi

# An agent that accepts and never answers: moenetctl gives up in time.
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(4)
c, _ = s.accept()
time.sleep(60)
' "$tmp/mute.sock" &
fake_pid=$!
wait_for 5 test -S "$tmp/mute.sock"
t0=$(date +%s)
expect ctl_mute_agent_timeout nonzero \
    '^moenetctl: no reply from the agent within 10 seconds$' \
    "$CTL" -s "$tmp/mute.sock" show status
t=$(( $(date +%s) - t0 ))
check ctl_mute_agent_bounded [ "$t" -ge 9 -a "$t" -le 13 ]
kill "$fake_pid" 2>/dev/null
wait "$fake_pid" 2>/dev/null
fake_pid=

# The manual's SYNOPSIS is usage().
usage=$("$CTL" 2>&1 | sed -n "s/^usage: //p")
synopsis=$(mandoc -Tutf8 "$TOP/man/moenetctl.8" 2>/dev/null | col -b |
    awk '/^SYNOPSIS/ { getline; sub(/^ +/, ""); print; exit }')
check ctl_man_synopsis_matches_usage [ -n "$usage" -a \
    "$usage" = "$synopsis" ]
finish
