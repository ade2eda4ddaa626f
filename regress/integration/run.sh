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
# The end-to-end lab: three routers, each with its own BIRD and
# moenet-agent, and one fake control plane (lab.sh).  The scenarios run in
# order on the one lab, each starting from where the last one left it:
#	setup		queued sessions become tunnels, BGP, routes, pings
#	change		a changed session changes alone, nothing flaps
#	delete		a deleted session is gone everywhere, CP told
#	cpdown		the CP fails for several syncs: nothing torn down
#	restart		SIGTERM and kill -9 of an agent: nothing reset
#	birdrefuses	BIRD refuses one session: reported, others untouched
#	maint		maintenance on r1: GRACEFUL_SHUTDOWN at its peers, no
#			reset; off: gone
#	mesh		r4 joins r1's network: mesh tunnel, Babel, iBGP,
#			routes both ways; taken out of the CP: all gone
# Arguments name a subset (setup always runs first); KEEP=1 keeps the
# lab's directory (configs, logs, the CP's request log) for reading.

LAB_N=3		# the scenarios name r1, r2 and r3
. "$(dirname "$0")/lab.sh"
need_root integration
missing=$(lab_missing)
if [ -n "$missing" ]; then
	skip integration "not installed: $missing(make deps)"
	exit 0
fi
if ! getent passwd _moenet >/dev/null; then
	skip integration "no _moenet user (make user)"
	exit 0
fi

t0=$(date +%s)
if ! lab_up; then
	fail integration_lab_up "the lab could not be built"
	finish
fi
for i in $(routers); do
	lab_start_agent "$i"
done

set -- setup ${*:-change delete cpdown restart birdrefuses maint mesh}
for sc in "$@"; do
	[ "$sc" = setup ] && [ -n "$setup_done" ] && continue
	t=$(date +%s)
	. "$(dirname "$0")/sc_$sc.sh"
	setup_done=1
	echo "# scenario $sc: $(($(date +%s) - t))s"
done

# LAB_CHECKS: a file of more checks on the lab as the scenarios left
# it (regress/vm/kernel.sh).
[ -n "$LAB_CHECKS" ] && . "$LAB_CHECKS"

scenario "end"
for i in $(lab_routers); do
	expect "it_token_not_logged_r$i" "no control-plane token in r$i's log" \
	    sh -c "! grep -q '$TOKEN' '$L/r$i/agent.log'"
done

# Everything the lab started stops: the processes of its namespaces
# (agents, their children, BIRD, wireguard-go, the fake CP and relay),
# then the namespaces themselves.
procs=
nss="$NS_CP $(for i in $(lab_routers); do ns "$i"; done)"
for n in $nss; do
	procs="$procs $(ip netns pids "$n" 2>/dev/null)"
done
# What each was, to name one that stays.
names=$(for p in $procs; do
	echo "$p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-60)"
done)
all_gone() {
	for p in $procs; do gone "$p" || return 1; done
	for n in $nss; do
		[ ! -e "/run/netns/$n" ] || return 1
	done
}
lab_cleanup
if ! expect it_cleanup_complete "no process and no namespace of the lab left" \
    all_gone; then
	for p in $procs; do
		gone "$p" || echo "# still there: $(echo "$names" |
		    grep "^$p "); now: $(tr '\0' ' ' <"/proc/$p/cmdline" \
		    2>/dev/null | cut -c1-60) $(grep '^State:' \
		    "/proc/$p/status" 2>/dev/null)"
	done
	for n in $nss; do
		[ ! -e "/run/netns/$n" ] || echo "# still there: netns $n"
	done
fi
echo "# integration: $(($(date +%s) - t0))s"
finish
