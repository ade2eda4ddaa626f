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
# make demo: what a newcomer runs first.  A small version of the
# integration lab (regress/integration/lab.sh): three routers, each in
# its own network namespace with its own BIRD and moenet-agent, and a fake
# control plane that asks for a WireGuard tunnel and a BGP session between
# every two of them.  Shows the agents' logs as they build it, then each
# router's view (moenetctl show sessions), a ping between two routers'
# own addresses through the tunnels, and removes everything on exit
# (Ctrl-C included).  "demo.sh check-root" only checks for root (the
# Makefile runs it before installing anything).

TOP=$(cd "$(dirname "$0")/../.." && pwd)

if [ "$(id -u)" != 0 ]; then
	cat <<EOT
make demo needs root.  It installs the Debian packages it uses (apt-get),
creates the _moenet system user the agent's sandboxed children run as,
and builds a lab of network namespaces, veth links, wireguard-go tunnels
and BIRD daemons; the agent itself starts as root and drops its children
to _moenet in a chroot.  Run it as root: sudo make demo
EOT
	exit 1
fi
[ "${1:-}" = check-root ] && exit 0

LAB_N=3
LAB_LOGLEVEL=info
. "$TOP/regress/integration/lab.sh"

missing=$(lab_missing)
if [ -n "$missing" ]; then
	echo "missing: $missing; make deps installs them"
	exit 1
fi
if ! getent passwd _moenet >/dev/null || [ ! -x "$AGENT" ]; then
	echo "no _moenet user or no built agent: run make demo (it does both)"
	exit 1
fi

say() { printf '\n==> %s\n' "$*"; }

say "building the lab: routers r1 r2 r3 (network namespaces), a veth" \
    "between every two, a BIRD in each, a fake control plane at" \
    "https://$CP_NAME:$CP_PORT holding three queued sessions"
if ! lab_up; then
	echo "the lab could not be built"
	exit 1
fi
for i in $(routers); do
	printf '    r%s: AS%s, announces 172.20.%s.0/24 and fd42:%s::/48\n' \
	    "$i" "$(asn "$i")" "$i" "$i"
done

say "starting moenet-agent on each router (their logs, as they happen)"
# One follower for every log: the lines of each router, prefixed by it.
for i in $(routers); do
	: >"$L/r$i/agent.log"
done
lab_bg follow python3 -u -c '
import os, sys, time
files = [(a.split("=", 1)[0], open(a.split("=", 1)[1])) for a in sys.argv[1:]]
while True:
    quiet = True
    for name, f in files:
        line = f.readline()
        while line:
            quiet = False
            # 2026-01-01T12:00:00.000Z parent[info]: text -> 12:00:00 parent: text
            t, _, rest = line.rstrip("\n").partition(" ")
            proc, _, msg = rest.partition(": ")
            print("    %s  %s %-8s %s" % (name, t[11:19], proc.split("[")[0],
                                         msg), flush=True)
            line = f.readline()
    if quiet:
        time.sleep(0.2)
' $(for i in $(routers); do echo "r$i=$L/r$i/agent.log"; done)
for i in $(routers); do
	lab_start_agent "$i"
done

# Done when every router's agent shows every session active, BGP
# Established and routes learned in both address families.
all_up() {
	for _i in $(routers); do
		for _j in $(peers "$_i"); do
			session_is "$_i" "r$_i-r$_j" 's["state"] == "active" and s["bgp"]["state"] == "Established" and s["bgp"]["routes_in"]["ipv4"] >= 1 and s["bgp"]["routes_in"]["ipv6"] >= 1' ||
			    return 1
		done
	done
}
up=0
wait_for 45 all_up && up=1
stop_pid "$(cat "$L/pids/follow")"
rm -f "$L/pids/follow"

if [ "$up" = 0 ]; then
	say "the sessions did not all come up within 45 seconds; the state:"
	lab_dump
	exit 1
fi

for i in $(routers); do
	say "r$i: moenetctl show sessions"
	ctl "$i" show sessions | sed 's/^/    /'
done

say "r1: BIRD's routes to r2 and r3 (learnt over BGP, in the kernel too)"
for j in $(peers 1); do
	bird_cli 1 show route for "172.20.$j.1" | sed -n '2,$p' | sed 's/^/    /'
	ip -n "$(ns 1)" route get "172.20.$j.1" from 172.20.1.1 |
	    sed -n '1s/^/    kernel: /p'
done

say "ping from r1 (172.20.1.1, fd42:1::1) to r3 through the tunnel"
ip netns exec "$(ns 1)" ping -c 2 -W 1 -I 172.20.1.1 172.20.3.1 2>&1 |
    sed -n 's/^/    /; /bytes from/p; /packets transmitted/p'
ip netns exec "$(ns 1)" ping -c 2 -W 1 -I fd42:1::1 fd42:3::1 2>&1 |
    sed -n 's/^/    /; /bytes from/p; /packets transmitted/p'

say "where to look next"
cat <<EOT
    man ./man/moenet-agent.8         the daemon, its processes and signals
    man ./man/moenet-agent.conf.5    every configuration key
    man ./man/moenetctl.8            the control tool used above
    regress/integration/lab.sh       how this lab is built (configs of
                                     BIRD and the agent, the fake CP)
    make check                       every test, this lab's scenarios too

The lab is removed now: agents, BIRD, wireguard-go, namespaces.
EOT
