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

# Runs in a guest whose PID 1 is systemd (systemd.sh): the project's
# unit, etc/moenet-agent.service, as it is, runs router r1 of a
# two-router integration lab (regress/integration/lab.sh); r2's agent
# runs by hand.  A drop-in only puts the unit in r1's network namespace
# and names its config file, and shortens the watchdog so that it can be
# seen to bite.  Userspace tunnels: wireguard-go in a scope of its own.

LAB_N=2
LAB_TMP=/run
. "$(dirname "$0")/../integration/lab.sh"
UNIT=moenet-agent.service
SBIN=/usr/local/sbin/moenet-agent

active() { [ "$(systemctl is-active $UNIT)" = active ]; }
prop() { systemctl show -P "$2" "$1"; }
journal_has() { journalctl -q -o cat -u $UNIT | grep -q -- "$1"; }
# main_pid: the unit's main process, the agent's parent.
main_pid() { prop $UNIT MainPID; }
scopes() { systemctl list-units --no-legend --plain 'moenet-wg-*.scope' |
    awk '$3 == "active" { print $1 }'; }
up_all() { established 1 "$(ifname 2)" && established 2 "$(ifname 1)"; }

if ! lab_up; then
	fail vm_systemd_lab_up "the lab could not be built"
	finish
fi
# r1's wireguard-go sockets are where the unit makes them, in the
# guest's own /run/wireguard: the lab's helpers look there too.
rmdir "$L/r1/wg" && ln -s /run/wireguard "$L/r1/wg"
lab_start_agent 2

cp "$AGENT" $SBIN
cp "$TOP/etc/moenet-agent.service" /etc/systemd/system/$UNIT
mkdir -p /etc/systemd/system/$UNIT.d
cat >/etc/systemd/system/$UNIT.d/lab.conf <<EOC
[Service]
NetworkNamespacePath=/run/netns/$(ns 1)
BindReadOnlyPaths=$L/hosts:/etc/hosts
ExecStartPre=
ExecStartPre=$SBIN -n -f $L/r1/agent.json
ExecStart=
ExecStart=$SBIN -d -f $L/r1/agent.json
WatchdogSec=8
EOC
systemctl daemon-reload

# Type=notify: start returns once the agent said READY=1.
t=$(date +%s%N)
if ! systemctl start $UNIT; then
	fail vm_systemd_start "the unit did not start; its journal:"
	journalctl -q -o cat -u $UNIT | tail -n 30 | sed 's/^/    /'
	finish
fi
ok vm_systemd_start
echo "# vm_systemd: ready in $((($(date +%s%N) - t) / 1000000)) ms"
check vm_systemd_active active
# Ready means ready: the control socket answers at once.
check vm_systemd_notify_ready ctl 1 show status
expect vm_systemd_bgp "both sessions Established" wait_for 90 up_all
expect vm_systemd_wg_scope "r1's wireguard-go in a scope of its own" \
    test -n "$(scopes)"
w=$(wgpid 1 "$(ifname 2)")
expect vm_systemd_wg_not_in_unit "r1's wireguard-go outside the unit's cgroup" \
    sh -c "! grep -q $UNIT /proc/$w/cgroup"
expect vm_systemd_routes "r1 and r2 have each other's routes" \
    wait_for 30 bird_routes 1 2
snapshot "$L/snap"

# The watchdog is fed: the unit outlives several of its periods.
n0=$(prop $UNIT NRestarts)
p0=$(main_pid)
wait_for 20 false
check vm_systemd_watchdog_fed [ "$(main_pid)" = "$p0" ] && active
# SIGHUP: the configuration is read again, the unit stays up.
l=$(journalctl -q -o cat -u $UNIT | wc -l)
check vm_systemd_reload systemctl reload $UNIT
expect vm_systemd_reloaded "the agent to log its reload" \
    wait_for 20 sh -c "journalctl -q -o cat -u $UNIT | tail -n +$l |
    grep -q 'configuration reloaded'"
check vm_systemd_reload_same_pid [ "$(main_pid)" = "$p0" ]
no_flap vm_systemd_reload_no_flap "$L/snap"

# stop: tunnels, wireguard-go and BGP stay.
check vm_systemd_stop systemctl stop $UNIT
expect vm_systemd_stopped "the agent gone" known_gone "$p0"
wait_for 5 false
no_flap vm_systemd_stop_no_flap "$L/snap"
check vm_systemd_stop_bgp_up up_all

check vm_systemd_start_again systemctl start $UNIT
p1=$(main_pid)
expect vm_systemd_restart "systemctl restart" systemctl restart $UNIT
expect vm_systemd_restart_new_pid "a new agent" \
    test "$(main_pid)" != "$p1" -a "$(main_pid)" != 0
check vm_systemd_restart_ready ctl 1 show status
wait_for 15 false
no_flap vm_systemd_restart_no_flap "$L/snap"

# A hung child starves the watchdog: systemd restarts the agent.
p2=$(main_pid)
kid=$(ps -o pid= --ppid "$p2" | head -n 1)
kill -STOP $kid
expect vm_systemd_watchdog_bites "systemd to restart a starving agent" \
    wait_for 60 sh -c "[ \"\$(systemctl show -P NRestarts $UNIT)\" -gt $n0 ] &&
    [ \"\$(systemctl show -P MainPID $UNIT)\" != $p2 ]"
expect vm_systemd_watchdog_said "the watchdog in the journal" \
    sh -c "journalctl -q -o cat -u $UNIT | grep -qi watchdog"
kill -CONT $kid 2>/dev/null
expect vm_systemd_after_watchdog "the agent active again" wait_for 30 active
no_flap vm_systemd_watchdog_no_flap "$L/snap"

systemctl stop $UNIT

# The unit the control plane's bootstrap script installs (CONTRACT.md):
# Type=simple, the agent with no arguments reading ./config.json, in
# the foreground.  r1's lab config stands in for the script's: this is
# about the unit, the script's router is regress/dropin's.
SU=moenet-script.service
mkdir -p /opt/moenet-agent
cp "$AGENT" /opt/moenet-agent/moenet-agent
(umask 022; cp "$L/r1/agent.json" /opt/moenet-agent/config.json)
cat >/etc/systemd/system/$SU <<EOC
[Unit]
Description=MoeNet DN42 Agent
After=network.target bird.service
Requires=bird.service

[Service]
Type=simple
WorkingDirectory=/opt/moenet-agent
ExecStart=/opt/moenet-agent/moenet-agent
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
EOC
# Only what the lab needs: r1's network namespace and its host names.
mkdir -p /etc/systemd/system/$SU.d
cat >/etc/systemd/system/$SU.d/lab.conf <<EOC
[Service]
NetworkNamespacePath=/run/netns/$(ns 1)
BindReadOnlyPaths=$L/hosts:/etc/hosts
EOC
systemctl daemon-reload
sactive() { [ "$(systemctl is-active $SU)" = active ]; }
sexe() { readlink "/proc/$(prop $SU MainPID)/exe"; }
check vm_script_unit_start systemctl start $SU
expect vm_script_unit_ready "the agent up (its control socket)" \
    wait_for 30 ctl 1 show status
p3=$(prop $SU MainPID)
if ! expect vm_script_unit_foreground "the unit's main process the agent" \
    test "$(sexe)" = /opt/moenet-agent/moenet-agent; then
	{ echo "MainPID $p3 exe $(sexe)"; ps -eo pid,ppid,args | grep moenet
	    journalctl -q -o cat -u $SU | tail -n 30; } | sed 's/^/    /'
fi
expect vm_script_unit_children "its children under it" \
    sh -c "[ \$(ps -o pid= --ppid $p3 | wc -l) -ge 3 ]"
wait_for 10 false
same_main() { sactive && [ "$(prop $SU MainPID)" = "$p3" ]; }
check vm_script_unit_stays same_main
no_flap vm_script_unit_no_flap "$L/snap"
check vm_script_unit_restart systemctl restart $SU
expect vm_script_unit_restarted "a new agent up" \
    wait_for 30 sh -c "[ \"\$(systemctl show -P MainPID $SU)\" != $p3 ] &&
    $TOP/moenetctl -s $(sock 1) show status"
wait_for 10 false
no_flap vm_script_unit_restart_no_flap "$L/snap"
systemctl stop $SU

for s in $(scopes); do systemctl stop "$s"; done
[ -n "$KEEP" ] && journalctl -q -o short-monotonic -u $UNIT >"$L/journal"
finish
