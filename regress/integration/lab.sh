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
# The integration lab, shared by regress/integration/run.sh and make demo;
# source it from a script one directory below regress/.  LAB_N routers
# (2 or 3, default 3) r1..rN, each its own network namespace with its own
# BIRD 2 and moenet-agent, joined in pairs by veth "internet" links, and
# one fake control plane in a namespace of its own that every router
# reaches over a veth at https://cp.lab:8443 (a lab /etc/hosts is bound
# over the real one in every router's mount namespace).  The control
# plane holds a queued session for every pair, in both routers' lists.
#
# Router i:  ASN 424242000i, router id 192.0.2.i, announces 172.20.i.0/24
# and fd42:i::/48 and owns 172.20.i.1 and fd42:i::1 on lo; its tunnels
# carry fe80::998:101:i:1 (from dn42Ipv6 fd00:4242:7777:101:i::1).  Its
# session with j: uuid ri-rj, interface and BIRD protocol dn42_424242000j,
# listen port 20000+10i+j, the veth to j is "rj" with fd00:ab:0:<lo><hi>::i.
#
# lab_up builds it all but the agents; lab_start_agent I starts one.
# lab_add_member I NET adds a router I of router NET's network (same
# ASN, no sessions; for the mesh): see there.  Everything the lab starts
# is stopped by lab_cleanup, which lab_up installs on EXIT, INT and
# TERM: every process left in the lab's namespaces (found by namespace,
# never by name), then the namespaces.

. "${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}/regress/lib.sh"

LAB_N=${LAB_N:-3}
LAB_LOGLEVEL=${LAB_LOGLEVEL:-debug}
# wireguard.backend of every agent; LAB_WG_TRIPWIRE=1 gives them a
# userspace command that only leaves a trace in $L/wireguard-go.called
# (for runs under a kernel with WireGuard, which must never start one).
LAB_WG_BACKEND=${LAB_WG_BACKEND:-userspace}
LAB_WG_TRIPWIRE=${LAB_WG_TRIPWIRE:-}
LAB_CP=$TOP/regress/integration/labcp.py
NS_CP=mnt-it-cp-$$
CP_NAME=cp.lab
CP_ADDR=fd00:c9::1
CP_PORT=8443
ASN0=4242420000
L=
lab_dumped=
LAB_MEMBERS=		# routers added by lab_add_member

# lab_missing: the tools the lab needs that are not installed.
lab_missing() {
	for _t in bird birdc wireguard-go wg ip python3 socat openssl curl \
	    ping; do
		command -v "$_t" >/dev/null 2>&1 || printf '%s ' "$_t"
	done
}

ns() { echo "mnt-it-r$1-$$"; }
# routers: the routers with sessions (each its own network), r1..rN;
# lab_routers: those and the members added since.
routers() { seq 1 "$LAB_N"; }
lab_routers() { routers; for _m in $LAB_MEMBERS; do echo "${_m%:*}"; done; }
# peers I: the routers router I has sessions with.
peers() { for _p in $(routers); do [ "$_p" = "$1" ] || echo "$_p"; done; }
asn() { echo $((ASN0 + $1)); }
# net I: the router whose network router I belongs to (itself, or the
# NET of lab_add_member).
net() {
	for _m in $LAB_MEMBERS; do
		[ "${_m%:*}" = "$1" ] && { echo "${_m#*:}"; return; }
	done
	echo "$1"
}
# Router I's loopbacks (wireguard.dn42Ipv4 and dn42Ipv6): 172.20.i.1 of
# its own network, 172.20.<net>.i for a member.
lo4() { if [ "$(net "$1")" = "$1" ]; then echo "172.20.$1.1"; else
    echo "172.20.$(net "$1").$1"; fi; }
lo6() { echo "fd00:4242:7777:101:$1::1"; }
# The prefixes router I announces: its network's for r1..rN, a part of
# the network's for a member.
pfx4() { if [ "$(net "$1")" = "$1" ]; then echo "172.20.$1.0/24"; else
    echo "172.20.$(net "$1").$(($1 * 16))/28"; fi; }
pfx6() { if [ "$(net "$1")" = "$1" ]; then echo "fd42:$1::/48"; else
    echo "fd42:$(net "$1"):$1::/64"; fi; }
ifname() { echo "dn42_$((ASN0 + $1))"; }
ll() { echo "fe80::998:101:$1:1"; }
sock() { echo "$L/r$1/ctl.sock"; }
birdsock() { echo "$L/r$1/bird.ctl"; }

# inr I CMD...: CMD in router I's namespaces, with its own /run/wireguard
# (wireguard-go's UAPI sockets would collide in the shared /run) and the
# lab's /etc/hosts (the fetcher copies it into its chroot at start).
inr() {
	_r=$1; shift
	ip netns exec "$(ns "$_r")" sh -c 'mount --bind "$0" /run/wireguard &&
	    mount --bind "$1" /etc/hosts && shift && exec "$@"' \
	    "$L/r$_r/wg" "$L/hosts" "$@"
}

bird_cli() { _r=$1; shift; birdc -s "$(birdsock "$_r")" "$@"; }
ctl() { _r=$1; shift; "$TOP/moenetctl" -s "$(sock "$_r")" "$@"; }
cpstate() { python3 "$LAB_CP" "$L/cp.json" "$@"; }
cplog() { python3 "$LAB_CP" "$L/cp.log" "$@"; }

# A process is gone once it has exited, even if not yet reaped.
gone() {
	[ ! -d "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" \
	    2>/dev/null
}
# stop_pid PID [SIGNAL]: signal, wait (bounded), then SIGKILL.
stop_pid() {
	[ -n "$1" ] || return 0
	kill -s "${2:-TERM}" "$1" 2>/dev/null
	wait_for 10 gone "$1" || kill -s KILL "$1" 2>/dev/null
	wait_for 5 gone "$1"
}

lab_cleanup() {
	[ -n "$L" ] || return 0
	for _r in $(lab_routers); do
		[ -f "$L/r$_r/agent.pid" ] && stop_pid "$(cat "$L/r$_r/agent.pid")"
	done
	for _f in "$L"/pids/*; do
		[ -f "$_f" ] && stop_pid "$(cat "$_f")"
	done
	for _n in $(lab_routers); do
		_ns=$(ns "$_n")
		[ -e "/run/netns/$_ns" ] || continue
		# wireguard-go exits when its tun device goes away.
		for _l in $(ip -n "$_ns" -o link show type tun 2>/dev/null |
		    awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'); do
			ip -n "$_ns" link del "$_l" 2>/dev/null
		done
		[ -f "$L/r$_n/bird.pid" ] && stop_pid "$(cat "$L/r$_n/bird.pid")"
	done
	# Whatever is still in a lab namespace was started by the lab.
	for _ns in "$NS_CP" $(for _n in $(lab_routers); do ns "$_n"; done); do
		[ -e "/run/netns/$_ns" ] || continue
		for _p in $(ip netns pids "$_ns" 2>/dev/null); do
			stop_pid "$_p"
		done
		ip netns del "$_ns" 2>/dev/null
	done
	wait 2>/dev/null
	if [ -n "$KEEP" ]; then
		echo "# lab kept in $L" >&2
	else
		rm -rf "$L"
	fi
	L=
	LAB_MEMBERS=
}

# lab_bg NAME CMD...: a helper process of the lab, stopped at cleanup.
lab_bg() {
	_name=$1; shift
	"$@" &
	echo $! >"$L/pids/$_name"
}

lab_bird_conf() {
	_i=$1
	cat <<EOC
router id 192.0.2.$_i;
# Milliseconds: a session that flaps within a second still shows.
timeformat protocol iso long ms;
include "$L/r$_i/maintenance.conf";
protocol device { scan time 2; }
# Babel's routes too: iBGP between loopbacks finds its way over the mesh.
protocol kernel { ipv4 { import none; export where source ~ [RTS_BGP, RTS_BABEL]; }; }
protocol kernel { ipv6 { import none; export where source ~ [RTS_BGP, RTS_BABEL]; }; }
protocol static { ipv6; route $(pfx6 "$_i") unreachable; }
protocol static { ipv4; route $(pfx4 "$_i") unreachable; }
filter dn42_import_filter { accept; }
filter dn42_export_filter {
	if source != RTS_STATIC then reject;
	if MAINTENANCE_MODE then bgp_community.add((65535, 0));
	accept;
}
template bgp dn42_peer {
	local as $(asn "$(net "$_i")");
	hold time 9; connect retry time 2; connect delay time 1;
	ipv4 { import filter dn42_import_filter; export filter dn42_export_filter; };
	ipv6 { import filter dn42_import_filter; export filter dn42_export_filter; };
}
include "$L/r$_i/peers/*.conf";
# The agent's mesh (Babel) and iBGP files: routers of one network only
# (lab_add_member).
include "$L/r$_i/ibgp/*.conf";
EOC
}

lab_agent_conf() {
	_i=$1
	_uc=wireguard-go
	[ -n "$LAB_WG_TRIPWIRE" ] && _uc=$L/wireguard-go
	cat <<EOC
{
	"node": { "name": "r$_i", "id": $_i },
	"controlPlane": { "url": "https://$CP_NAME:$CP_PORT",
	    "token": "$TOKEN", "caFile": "$L/tls/ca.pem",
	    "syncInterval": 5, "heartbeatInterval": 5, "metricInterval": 5,
	    "meshSyncInterval": 5, "ibgpSyncInterval": 5,
	    "requestTimeout": 3,
	    "retryInitialDelay": "1s", "maxRetries": 1, "removeAfterMissing": 2 },
	"bird": { "controlSocket": "$L/r$_i/bird.ctl",
	    "peerConfDir": "$L/r$_i/peers", "ibgpConfDir": "$L/r$_i/ibgp",
	    "policyDir": "$L/r$_i/policy",
	    "maintenanceFile": "$L/r$_i/maintenance.conf",
	    "templateDir": "$TOP/templates" },
	"wireguard": { "privateKeyPath": "$L/r$_i/key",
	    "dn42Ipv4": "$(lo4 "$_i")",
	    "dn42Ipv6": "$(lo6 "$_i")", "backend": "$LAB_WG_BACKEND",
	    "userspaceCommand": "$_uc",
	    "meshAllowedIps": "${LAB_MESH_ALLOWED:-network}" },
	"state": { "dir": "$L/r$_i/state" },
	"control": { "socket": "$L/r$_i/ctl.sock" },
	"log": { "level": "$LAB_LOGLEVEL" }
}
EOC
}

# The fake CP as a router sees it: routed, named, TLS, answering.
lab_cp_reachable() {
	[ "$(inr "$1" curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
	    --cacert "$L/tls/ca.pem" "https://$CP_NAME:$CP_PORT/lab-probe")" \
	    = 401 ]
}

lab_up() {
	# LAB_TMP: elsewhere than /tmp for an agent run by systemd with
	# PrivateTmp (regress/vm/systemd_guest.sh).
	L=$(mktemp -d "${LAB_TMP:-/tmp}/mnt-it-XXXXXX") || exit 1
	chmod 755 "$L"
	trap lab_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	TOKEN=lab-token-$$
	mkdir -p "$L/pids" /run/wireguard
	if [ -n "$LAB_WG_TRIPWIRE" ]; then
		printf '#!/bin/sh\necho "$*" >>"%s/wireguard-go.called"\nexit 1\n' \
		    "$L" >"$L/wireguard-go"
		chmod 755 "$L/wireguard-go"
	fi
	printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n%s\t%s\n' "$CP_ADDR" \
	    "$CP_NAME" >"$L/hosts"

	# The control plane's namespace: the service address on lo, one
	# veth to every router.
	ip netns add "$NS_CP" || return 1
	ip -n "$NS_CP" link set lo up
	ip -n "$NS_CP" addr add "$CP_ADDR/128" dev lo
	for i in $(routers); do
		n=$(ns "$i")
		mkdir -p "$L/r$i/wg" "$L/r$i/peers" "$L/r$i/ibgp" "$L/r$i/state"
		ip netns add "$n" || return 1
		ip -n "$n" link set lo up
		# ICMP echo sockets for the agent's RTT probes (off by default).
		ip netns exec "$n" sysctl -qw \
		    net.ipv4.ping_group_range="0 2147483647"
		ip -n "$n" addr add "172.20.$i.1/32" dev lo
		ip -n "$n" addr add "fd42:$i::1/128" dev lo
		ip link add "r$i" netns "$NS_CP" type veth peer name cp \
		    netns "$n" || return 1
		ip -n "$NS_CP" addr add "fd00:c9:0:$i::1/64" dev "r$i" nodad
		ip -n "$n" addr add "fd00:c9:0:$i::2/64" dev cp nodad
		ip -n "$NS_CP" link set "r$i" up
		ip -n "$n" link set cp up
		ip -n "$n" route add "$CP_ADDR/128" via "fd00:c9:0:$i::1"
		(umask 077; wg genkey >"$L/r$i/key")
		wg pubkey <"$L/r$i/key" >"$L/r$i/pub"
	done
	# The "internet": a veth between every two routers.
	for i in $(routers); do
		for j in $(routers); do
			[ "$i" -lt "$j" ] || continue
			ip link add "r$j" netns "$(ns "$i")" type veth peer \
			    name "r$i" netns "$(ns "$j")" || return 1
			ip -n "$(ns "$i")" addr add "fd00:ab:0:$i$j::$i/64" \
			    dev "r$j" nodad
			ip -n "$(ns "$j")" addr add "fd00:ab:0:$i$j::$j/64" \
			    dev "r$i" nodad
			ip -n "$(ns "$i")" link set "r$j" up
			ip -n "$(ns "$j")" link set "r$i" up
		done
	done

	# The fake control plane listens on its namespace's loopback only;
	# socat carries the TLS stream from the service address to it.
	sh "$TOP/regress/fakecp/mkcert.sh" "$L/tls" "$CP_NAME" >/dev/null ||
	    return 1
	cpstate init "$LAB_N" $(for i in $(routers); do cat "$L/r$i/pub"; done) ||
	    return 1
	lab_bg fakecp ip netns exec "$NS_CP" python3 \
	    "$TOP/regress/fakecp/fakecp.py" --state "$L/cp.json" \
	    --log "$L/cp.log" --token "$TOKEN" --port 0 \
	    --port-file "$L/cp.port" --cert "$L/tls/server.pem" \
	    --key "$L/tls/server.key" >"$L/cp.out" 2>&1
	wait_for 15 test -s "$L/cp.port" || {
		echo "fake control plane did not start: $(cat "$L/cp.out")"
		return 1
	}
	lab_bg relay ip netns exec "$NS_CP" socat \
	    "TCP6-LISTEN:$CP_PORT,bind=[$CP_ADDR],reuseaddr,fork" \
	    "TCP4:127.0.0.1:$(cat "$L/cp.port")" 2>"$L/relay.err"

	for i in $(routers); do
		echo 'define MAINTENANCE_MODE = false;' >"$L/r$i/maintenance.conf"
		lab_bird_conf "$i" >"$L/r$i/bird.conf"
		ip netns exec "$(ns "$i")" bird -c "$L/r$i/bird.conf" \
		    -s "$L/r$i/bird.ctl" -P "$L/r$i/bird.pid" || {
			echo "bird of r$i did not start"
			return 1
		}
		lab_agent_conf "$i" >"$L/r$i/agent.json"
		chmod 600 "$L/r$i/agent.json"
	done
	for i in $(routers); do
		wait_for 15 lab_cp_reachable "$i" || {
			echo "r$i cannot reach https://$CP_NAME:$CP_PORT:" \
			    "$(cat "$L/relay.err")"
			return 1
		}
	done
	return 0
}

# lab_add_member I NET: router I, a router of router NET's network (its
# ASN, a part of its prefixes, loopbacks 172.20.<NET>.I and
# fd00:4242:7777:101:I::1), built as lab_up builds the others: its
# namespaces, a veth to the control plane, one "internet" veth to router
# NET only (rNET on I's side, rI on NET's, fd00:ab:0:<lo><hi>::/64), its
# key, its BIRD, its agent's config (not started), and its node in the
# control plane, with no sessions and empty mesh and iBGP lists.
lab_add_member() {
	_mi=$1 _mo=$2
	LAB_MEMBERS="$LAB_MEMBERS $_mi:$_mo"
	_n=$(ns "$_mi")
	mkdir -p "$L/r$_mi/wg" "$L/r$_mi/peers" "$L/r$_mi/ibgp" "$L/r$_mi/state"
	ip netns add "$_n" || return 1
	ip -n "$_n" link set lo up
	ip netns exec "$_n" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
	ip -n "$_n" addr add "$(lo4 "$_mi")/32" dev lo
	ip link add "r$_mi" netns "$NS_CP" type veth peer name cp netns "$_n" ||
	    return 1
	ip -n "$NS_CP" addr add "fd00:c9:0:$_mi::1/64" dev "r$_mi" nodad
	ip -n "$_n" addr add "fd00:c9:0:$_mi::2/64" dev cp nodad
	ip -n "$NS_CP" link set "r$_mi" up
	ip -n "$_n" link set cp up
	ip -n "$_n" route add "$CP_ADDR/128" via "fd00:c9:0:$_mi::1"
	(umask 077; wg genkey >"$L/r$_mi/key")
	wg pubkey <"$L/r$_mi/key" >"$L/r$_mi/pub"
	_lo=$_mi _hi=$_mo
	[ "$_mo" -lt "$_mi" ] && _lo=$_mo _hi=$_mi
	ip link add "r$_mo" netns "$_n" type veth peer name "r$_mi" \
	    netns "$(ns "$_mo")" || return 1
	ip -n "$_n" addr add "fd00:ab:0:$_lo$_hi::$_mi/64" dev "r$_mo" nodad
	ip -n "$(ns "$_mo")" addr add "fd00:ab:0:$_lo$_hi::$_mo/64" dev "r$_mi" \
	    nodad
	ip -n "$_n" link set "r$_mo" up
	ip -n "$(ns "$_mo")" link set "r$_mi" up
	# A router of the network forwards, between the mesh and its sessions.
	ip netns exec "$(ns "$_mo")" sysctl -qw net.ipv4.ip_forward=1 \
	    net.ipv6.conf.all.forwarding=1

	cpstate member "r$_mi" "$_mi" "r$_mo" "$(lo4 "$_mi")" "$(lo6 "$_mi")" ||
	    return 1
	echo 'define MAINTENANCE_MODE = false;' >"$L/r$_mi/maintenance.conf"
	lab_bird_conf "$_mi" >"$L/r$_mi/bird.conf"
	ip netns exec "$_n" bird -c "$L/r$_mi/bird.conf" -s "$L/r$_mi/bird.ctl" \
	    -P "$L/r$_mi/bird.pid" || {
		echo "bird of r$_mi did not start"
		return 1
	}
	# The member carries transit over the mesh (sc_mesh.sh).
	LAB_MESH_ALLOWED=any lab_agent_conf "$_mi" >"$L/r$_mi/agent.json"
	chmod 600 "$L/r$_mi/agent.json"
	wait_for 15 lab_cp_reachable "$_mi" || {
		echo "r$_mi cannot reach https://$CP_NAME:$CP_PORT"
		return 1
	}
}

# lab_start_agent I: the agent of router I, logging to $L/rI/agent.log.
# Not through a subshell: $! must be the agent itself (ip netns exec and
# sh exec into it), whose process title becomes "moenet-agent: [priv]".
lab_start_agent() {
	ip netns exec "$(ns "$1")" sh -c 'mount --bind "$0" /run/wireguard &&
	    mount --bind "$1" /etc/hosts && shift && exec "$@"' \
	    "$L/r$1/wg" "$L/hosts" "$AGENT" -d -f "$L/r$1/agent.json" \
	    >>"$L/r$1/agent.log" 2>&1 &
	echo $! >"$L/r$1/agent.pid"
}

agent_pid() { cat "$L/r$1/agent.pid" 2>/dev/null; }

# lab_stop_agent I [SIGNAL]: stop router I's agent; its exit status is
# left in agent_status.
lab_stop_agent() {
	_p=$(agent_pid "$1")
	agent_status=
	[ -n "$_p" ] || return 0
	stop_pid "$_p" "${2:-TERM}"
	wait "$_p" 2>/dev/null
	agent_status=$?
	rm -f "$L/r$1/agent.pid"
}

# Facts about a router.
bgp_line() { bird_cli "$1" show protocols "$2" 2>/dev/null | awk -v p="$2" '$1 == p'; }
established() { bgp_line "$1" "$2" | grep -q 'Established'; }
# BIRD's "since" of a protocol (date and time, in milliseconds).
bgp_since() { bgp_line "$1" "$2" | awk '{ print $5 "_" $6 }'; }
# since_ms I PROTO: bgp_since in ms; same_since I PROTO MS: within the
# tens of ms that BIRD's display of one instant moves with its load (a
# restart moves it by seconds).
since_ms() { date -d "$(bgp_since "$1" "$2" | tr _ ' ')" +%s%3N; }
same_since() {
	_d=$(( $(since_ms "$1" "$2") - $3 ))
	[ "$_d" -ge -500 ] && [ "$_d" -le 500 ]
}
has_protocol() { bird_cli "$1" show protocols "$2" 2>/dev/null | grep -q ' BGP '; }
link_exists() { ip -n "$(ns "$1")" link show "$2" >/dev/null 2>&1; }
# only_ll I IF: the tunnel's one IPv6 address is router I's derived
# link-local (no kernel-made fe80:: that BIRD could pick instead).
only_ll() {
	[ "$(ip -n "$(ns "$1")" -6 -o addr show dev "$2" 2>/dev/null |
	    awk '{ print $4 }')" = "$(ll "$1")/64" ]
}
ifindex() { ip -n "$(ns "$1")" -o link show "$2" 2>/dev/null | cut -d: -f1; }
mtu() { ip -n "$(ns "$1")" -o link show "$2" 2>/dev/null |
    sed -n 's/.* mtu \([0-9]*\).*/\1/p'; }
mtu_is() { [ "$(mtu "$1" "$2")" = "$3" ]; }
# description_is I PROTO TEXT: BIRD's description of a protocol.
description_is() {
	bird_cli "$1" show protocols all "$2" 2>/dev/null |
	    grep -q "^ *Description: *$3\$"
}
not() { ! "$@"; }
# pids_gone PID..: every one of them has exited.
pids_gone() { for _p in "$@"; do gone "$_p" || return 1; done; }
# known_gone PID: a process that was found has exited (an empty PID, one
# never found, is a failure).
known_gone() { [ -n "$1" ] && gone "$1"; }
# kids_gone "PID ..": the same for a list, split here.
kids_gone() { [ -n "$1" ] && pids_gone $1; }
handshake() { inr "$1" wg show "$2" latest-handshakes 2>/dev/null |
    awk '{ print $2 }'; }
# The wireguard-go serving an interface, found among the router's
# processes (the same interface name exists on several routers); for a
# kernel WireGuard link, which has none, "kernel" (never in /proc, so
# gone() takes it for gone, once the link is).
wgpid() {
	if ip -n "$(ns "$1")" -d -o link show "$2" 2>/dev/null |
	    grep -q ' wireguard '; then
		echo kernel
		return 0
	fi
	for _p in $(ip netns pids "$(ns "$1")" 2>/dev/null); do
		_c=$(tr '\0' ' ' <"/proc/$_p/cmdline" 2>/dev/null)
		case $_c in
		"wireguard-go $2 "*|*"/wireguard-go $2 "*) echo "$_p"; return 0 ;;
		esac
	done
	return 1
}
# bird_routes I J: router I's BIRD has J's addresses from J's session.
bird_routes() {
	bird_cli "$1" show route for "172.20.$2.1" 2>/dev/null | grep -q "$(ifname "$2")" &&
	    bird_cli "$1" show route for "fd42:$2::1" 2>/dev/null | grep -q "$(ifname "$2")"
}
# kernel_routes I J: router I's kernel sends J's addresses into the tunnel.
kernel_routes() {
	ip -n "$(ns "$1")" route get "172.20.$2.1" 2>/dev/null |
	    grep -q "dev $(ifname "$2") " &&
	    ip -n "$(ns "$1")" -6 route get "fd42:$2::1" 2>/dev/null |
	    grep -q "dev $(ifname "$2") "
}
ping_from() {
	ip netns exec "$(ns "$1")" ping -c 1 -W 1 -I "$2" "$3" >/dev/null 2>&1
}
# sessions_json I: moenetctl -j show sessions of router I.
sessions_json() { ctl "$1" -j show sessions; }
# snapshot FILE: what must not change when nothing should flap: every
# tunnel's ifindex, wireguard-go pid and latest handshake, every BGP
# session's "since".
snapshot() {
	for _i in $(routers); do
		for _j in $(peers "$_i"); do
			_f=$(ifname "$_j")
			link_exists "$_i" "$_f" || continue
			# "-" for what cannot be read: a field never goes
			# missing, and unchanged() refuses to compare it.
			_x=$(ifindex "$_i" "$_f")
			_w=$(wgpid "$_i" "$_f")
			_s=$(bgp_since "$_i" "$_f")
			_h=$(handshake "$_i" "$_f")
			echo "r$_i $_f ${_x:--} ${_w:--} ${_s:--} ${_h:--}"
		done
	done >"$1"
}
# no_flap NAME SNAPSHOT [WHAT]: expect unchanged, and say what changed.
no_flap() {
	expect "$1" "${3:-no tunnel recreated, no wireguard-go restarted, no BGP session restarted, no handshake reset}" \
	    unchanged "$2" || sed 's/^/    changed: /' "$2.diff"
}
# unchanged OLD: the tunnels and sessions of snapshot OLD are as they
# were.  A handshake may be newer only by wireguard-go's own rekey,
# 120 s after the last one; a reset tunnel handshakes at once.
unchanged() {
	if [ ! -s "$1" ]; then
		echo "nothing in the snapshot to compare" >"$1.diff"
		return 1
	fi
	snapshot "$1.now"
	awk '
	# BIRD shows a monotonic time converted to wall-clock time at each
	# query, with the monotonic clock its loop read last but a fresh
	# wall clock: the same instant reads later by however long BIRD was
	# busy in that turn, tens of milliseconds on a loaded machine.  A
	# session that restarted after the snapshot shows seconds later.
	function ms(t,  a) {
	    split(t, a, /[_:]/)
	    return ((a[2] * 60 + a[3]) * 60 + a[4]) * 1000
	}
	function same_time(a, b,  d) {
	    if (a == b) return 1
	    if (substr(a, 1, 10) != substr(b, 1, 10)) return 0
	    d = ms(a) - ms(b)
	    return d >= -500 && d <= 500
	}
	NR == FNR { k = $1 " " $2; idx[k] = $3; pid[k] = $4; since[k] = $5;
	    hs[k] = $6; next }
	{ k = $1 " " $2; seen[k] = 1
	  if (!(k in idx)) next
	  if (idx[k] == "-" || pid[k] == "-" || since[k] == "-" || hs[k] == "-") {
	      print k ": not all known at the snapshot: " idx[k] " " pid[k] \
	          " " since[k] " " hs[k]; bad = 1 }
	  if ($3 != idx[k]) { print k ": ifindex " idx[k] " -> " $3; bad = 1 }
	  if ($4 != pid[k]) { print k ": wireguard-go " pid[k] " -> " $4; bad = 1 }
	  if (!same_time(since[k], $5)) {
	      print k ": BGP since " since[k] " -> " $5; bad = 1 }
	  if ($6 != hs[k] && $6 - hs[k] < 118) {
	      print k ": handshake " hs[k] " -> " $6; bad = 1 }
	}
	END { for (k in idx) if (!(k in seen)) { print k ": gone"; bad = 1 }
	      exit bad }' "$1" "$1.now" >"$1.diff"
}

# lab_dump: every router's state, indented (no line may read as a result).
lab_dump() {
	for _i in $(lab_routers); do
		echo "--- r$_i: birdc show protocols"
		bird_cli "$_i" show protocols 2>&1
		if [ -n "$(ls "$L/r$_i/ibgp" 2>/dev/null)" ]; then
			echo "--- r$_i: birdc show babel neighbors; ls ibgp"
			bird_cli "$_i" show babel neighbors 2>&1
			ls "$L/r$_i/ibgp" 2>&1
			echo "--- r$_i: birdc show route protocol mesh_loopback"
			bird_cli "$_i" show route protocol mesh_loopback 2>&1
		fi
		echo "--- r$_i: wg show"
		inr "$_i" wg show 2>&1
		echo "--- r$_i: links"
		ip -n "$(ns "$_i")" -br link 2>&1
		echo "--- r$_i: addresses"
		ip -n "$(ns "$_i")" addr 2>&1 | grep -E '^[0-9]|inet6? '
		echo "--- r$_i: moenetctl show sessions"
		ctl "$_i" show sessions 2>&1
		echo "--- r$_i: agent log (tail)"
		tail -n 25 "$L/r$_i/agent.log" 2>&1
	done | sed 's/^/    /'
}

# expect NAME WHAT CMD...: ok, or FAIL saying what was expected, followed
# by every router's state (once per scenario; later failures refer to it).
expect() {
	_n=$1; _w=$2; shift 2
	if "$@" >/dev/null 2>&1; then
		ok "$_n"
		return 0
	fi
	if [ -n "$lab_dumped" ]; then
		fail "$_n" "expected $_w (state above)"
	else
		fail "$_n" "expected $_w; state:"
		lab_dump
		lab_dumped=1
	fi
	return 1
}

scenario() {
	echo "# scenario $1"
	lab_dumped=
}

# session_is I UUID EXPR: EXPR (Python, s is the session) holds for the
# session in router I's moenetctl -j show sessions.
session_is() {
	sessions_json "$1" 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
ss = d.get("sessions", d) if isinstance(d, dict) else d
for s in ss:
    if s.get("uuid") == sys.argv[1]:
        sys.exit(0 if eval(sys.argv[2]) else 1)
sys.exit(1)' "$2" "$3"
}

# bgp_details I J: router I's session with J runs between the two
# link-local addresses, both ends announced IPv4 and IPv6 (MP-BGP) and
# extended next hop, and both channels are up.
bgp_details() {
	_o=$(bird_cli "$1" show protocols all "$(ifname "$2")" 2>/dev/null)
	echo "$_o" | grep -q "Neighbor address: *$(ll "$2")" &&
	echo "$_o" | grep -q "Source address: *$(ll "$1")\$" &&
	echo "$_o" | awk '
	    /Neighbor capabilities/ { n = 1 } /Session:/ { n = 0 }
	    n && /AF announced: ipv4 ipv6/ { af = 1 }
	    n && /Extended next hop/ { enh = 1 }
	    END { exit !(af && enh) }' &&
	[ "$(echo "$_o" | grep -c 'State: *UP')" -ge 2 ]
}

# log_has I LINE TEXT: router I's agent logged TEXT after line LINE.
log_has() { log_since "$1" "$2" | grep -q -- "$3"; }
# log_since I LINE: router I's agent log after line LINE.
log_lines() { wc -l <"$L/r$1/agent.log"; }
log_since() { tail -n +"$(($2 + 1))" "$L/r$1/agent.log"; }
# failed_syncs I LINE N: N failed session syncs logged after LINE.
failed_syncs() { [ "$(log_since "$1" "$2" | grep -c 'session sync: ')" -ge "$3" ]; }
# fetched I FROM N: router I asked for its sessions N times since cp.log
# line FROM (the second of them means a whole sync ran in between).
fetched() { [ "$(cplog count "r$1" sessions "$2")" -ge "$3" ]; }
# heartbeats I FROM N: router I sent N heartbeats since cp.log line FROM.
heartbeats() { [ "$(cplog count "r$1" heartbeat "$2")" -ge "$3" ]; }
# back_synced I FROM: two session fetches and a heartbeat of router I
# since cp.log line FROM.
back_synced() { fetched "$1" "$2" 2 && heartbeats "$1" "$2" 1; }
# established_in SNAPSHOT: every BGP session of the snapshot is
# Established now.
established_in() {
	while read -r _sr _sf _rest; do
		established "${_sr#r}" "$_sf" || return 1
	done <"$1"
}
