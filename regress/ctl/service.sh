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
# The service files: the systemd unit passes systemd-analyze verify and
# stays in the "OK" exposure band, its sandbox lets the agent do what it
# does, the tmpfiles entry applies, the rc script drives a real agent,
# and make install puts all of it in place.

. "$(dirname "$0")/../lib.sh"

ETC=$TOP/etc
tmp=$(mktemp -d /tmp/mnt-svc-XXXXXX)
agent_pid=
cleanup() {
	[ -n "$agent_pid" ] && kill -9 "$agent_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

unit=$tmp/moenet-agent.service
sed "s,/usr/local/sbin/moenet-agent,$AGENT,g" "$ETC/moenet-agent.service" \
    >"$unit"

# The directives the agent depends on, whatever else changes.
has() { grep -Eq "^$1" "$ETC/moenet-agent.service"; }
check svc_type_notify has 'Type=notify$'
check svc_notify_main has 'NotifyAccess=main$'
check svc_foreground has 'ExecStart=/usr/local/sbin/moenet-agent -d$'
check svc_reload_hup has 'ExecReload=/bin/kill -HUP \$MAINPID$'
check svc_watchdog has 'WatchdogSec=[0-9]+'
check svc_killmode_mixed has 'KillMode=mixed$'
caps=$(sed -n '/^CapabilityBoundingSet=/,/[^\\]$/p' \
    "$ETC/moenet-agent.service" | tr -d '\\\n')
for c in SETUID SETGID SYS_CHROOT SETPCAP NET_ADMIN KILL CHOWN DAC_OVERRIDE; do
	check "svc_cap_$c" sh -c "echo '$caps' | grep -qw CAP_$c"
done
check svc_cap_no_sys_admin sh -c "! echo '$caps' | grep -q SYS_ADMIN"

# The syscall filter must admit every call the agent and its children
# make while they set up, or systemd would kill them at start.
if ! command -v systemd-analyze >/dev/null; then
	skip svc_systemd_analyze "systemd-analyze not installed"
else
	if out=$(systemd-analyze verify --man=no "$unit" 2>&1); then
		ok svc_verify
	else
		fail svc_verify "$out"
	fi
	sed "s,^ExecStart=$AGENT,ExecStart=$tmp/nonexistent," "$unit" \
	    >"$tmp/bad.service"
	check svc_verify_catches_errors sh -c \
	    "! systemd-analyze verify --man=no '$tmp/bad.service'"
	if out=$(systemd-analyze security --offline=yes --threshold=40 \
	    "$unit" 2>&1); then
		ok svc_security_exposure
	else
		fail svc_security_exposure "$(echo "$out" | tail -1)"
	fi

	if [ "$(id -u)" = 0 ] && command -v strace >/dev/null; then
		expand() {
			systemd-analyze syscall-filter "$1" | sed 1d |
			    grep -v '^ *#' | tr -d ' ' | grep -v '^$' |
			    while read -r s; do
				case $s in
				@*) expand "$s" ;;
				*) echo "$s" ;;
				esac
			done
		}
		filter=$(sed -n '/^SystemCallFilter=/,/[^\\]$/p' "$unit" |
		    sed 's/^SystemCallFilter=//' | tr -d '\\\n')
		for f in $filter; do
			case $f in
			@*) expand "$f" ;;
			*) echo "$f" ;;
			esac
		done | sort -u >"$tmp/allowed"
		sed -e "s,@STATE@,$tmp/state,g" -e "s,@TMP@,$tmp,g" \
		    >"$tmp/agent.json" <<'EOC'
{
	"node": { "name": "svc-test", "id": 1 },
	"controlPlane": { "url": "https://127.0.0.1:8443", "token": "s-secret" },
	"wireguard": { "loopbackInterface": "none", "dn42Ipv4": "172.20.0.1", "dn42Ipv6": "fd00:4242:7777:101:4::1",
	    "privateKeyPath": "@TMP@/wg.key" },
	"bird": { "maintenanceFile": "@TMP@/maintenance.conf",
	    "controlSocket": "@TMP@/no-bird.ctl", "peerConfDir": "@TMP@/peers",
	    "ibgpConfDir": "@TMP@/ibgp", "policyDir": "@TMP@/policy" },
	"state": { "dir": "@STATE@" },
	"control": { "socket": "@TMP@/ctl.sock" },
	"log": { "format": "text", "level": "info" }
}
EOC
		chmod 600 "$tmp/agent.json"
		strace -f -qq -o "$tmp/trace" "$AGENT" -d -f "$tmp/agent.json" \
		    2>"$tmp/agent.log" &
		agent_pid=$!
		if wait_for 20 grep -q "all children started" "$tmp/agent.log"
		then
			"$TOP/moenetctl" -s "$tmp/ctl.sock" show status >/dev/null
			# The agent, not strace: strace would detach and leave
			# it running.
			kill -TERM "$(pgrep -P "$agent_pid")"
			wait "$agent_pid"
			agent_pid=
			awk '{ s = $2; sub(/\(.*/, "", s); print s }' \
			    "$tmp/trace" | grep -E '^[a-z_0-9]+$' | sort -u \
			    >"$tmp/used"
			missing=$(comm -23 "$tmp/used" "$tmp/allowed" | tr '\n' ' ')
			if [ -z "$missing" ]; then
				ok svc_syscall_filter_admits_agent
			else
				fail svc_syscall_filter_admits_agent \
				    "not in SystemCallFilter: $missing"
			fi
		else
			fail svc_syscall_filter_admits_agent \
			    "agent under strace did not start"
		fi
		[ -n "$KEEPLOG" ] && cp "$tmp/agent.log" /tmp/svc-agent.log
		rm -rf "$tmp/state"
	else
		skip svc_syscall_filter_admits_agent "needs root and strace"
	fi

	if command -v systemd-tmpfiles >/dev/null && [ "$(id -u)" = 0 ]; then
		mkdir -p "$tmp/root"
		if systemd-tmpfiles --create --root="$tmp/root" \
		    "$ETC/moenet-agent.tmpfiles" 2>"$tmp/tf.err"; then
			check svc_tmpfiles_state [ "$(stat -c %a \
			    "$tmp/root/var/lib/moenet-agent")" = 700 ]
			check svc_tmpfiles_run [ -d "$tmp/root/run/moenet-agent" ]
		else
			fail svc_tmpfiles "$(cat "$tmp/tf.err")"
		fi
	else
		skip svc_tmpfiles "needs root and systemd-tmpfiles"
	fi
fi

# The rc script, against a real agent that detaches itself.
check svc_rc_syntax sh -n "$ETC/moenet-agent.init"
if [ "$(id -u)" != 0 ]; then
	skip svc_rc "needs root"
else
	mkdir -p "$tmp/rc"
	host_conf rc-test rc-secret "$tmp/rc" >"$tmp/conf.json"
	chmod 600 "$tmp/conf.json"
	cat >"$tmp/defaults" <<EOD
DAEMON=$AGENT
MOENETCTL=$TOP/moenetctl
CONF=$tmp/conf.json
MOENET_CTLSOCK=$tmp/rc/ctl.sock
EOD
	rc() { MOENET_DEFAULTS=$tmp/defaults sh "$ETC/moenet-agent.init" "$@"; }
	rcpid() {
		"$TOP/moenetctl" -s "$tmp/rc/ctl.sock" show status 2>/dev/null |
		    awk '$1 == "PID:" { print $2 }'
	}

	check svc_rc_configtest rc configtest
	rc status >/dev/null 2>&1
	check svc_rc_status_stopped [ $? -eq 3 ]
	check svc_rc_start rc start
	agent_pid=$(rcpid)
	check svc_rc_started [ -n "$agent_pid" ]
	check svc_rc_status_running rc status
	check svc_rc_start_again rc start
	check svc_rc_one_agent [ "$(rcpid)" = "$agent_pid" ]
	check svc_rc_reload rc reload
	cp "$tmp/conf.json" "$tmp/conf.good"
	echo '{ broken' >"$tmp/conf.json"
	chmod 600 "$tmp/conf.json"
	out=$(rc reload 2>&1)
	check svc_rc_reload_broken_fails [ $? -ne 0 ]
	check svc_rc_reload_broken_says sh -c "echo '$out' | grep -q 'moenetctl:'"
	rc configtest >/dev/null 2>&1
	check svc_rc_configtest_broken [ $? -ne 0 ]
	mv "$tmp/conf.good" "$tmp/conf.json"
	kids=$(pgrep -P "$agent_pid")
	check svc_rc_stop rc stop
	# Reparented away from us, so it may linger as a zombie.
	gone() {
		! kill -0 "$1" 2>/dev/null ||
		    [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]
	}
	check svc_rc_stopped gone "$agent_pid"
	all_gone() { for p in $kids; do gone "$p" || return 1; done; }
	check svc_rc_children_gone wait_for 5 all_gone
	agent_pid=
	check svc_rc_stop_again rc stop
	rc bogus >/dev/null 2>&1
	check svc_rc_usage [ $? -eq 2 ]
fi

# make install puts the man page, the link and the service files in place.
dest=$tmp/inst
if out=$(make -C "$TOP" --no-print-directory install DESTDIR="$dest" \
    PREFIX=/usr 2>&1); then
	ok svc_install
	check svc_install_ctl_link [ "$(readlink "$dest/usr/sbin/moenetctl")" = \
	    moenet-agent ]
	check svc_install_man [ -f "$dest/usr/share/man/man8/moenetctl.8" ]
	ex=$dest/usr/share/moenet-agent/examples
	check svc_install_unit_paths grep -q '^ExecStart=/usr/sbin/moenet-agent -d$' \
	    "$ex/moenet-agent.service"
	check svc_install_init_paths grep -q '^DAEMON=/usr/sbin/moenet-agent$' \
	    "$ex/moenet-agent.init"
	check svc_install_init_exec [ -x "$ex/moenet-agent.init" ]
	check svc_install_tmpfiles [ -f "$ex/moenet-agent.tmpfiles" ]
else
	fail svc_install "$out"
fi
finish
