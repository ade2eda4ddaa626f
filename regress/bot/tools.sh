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
# The bot's tools (POST /ping /tcping /trace /dig, moenetctl ping and
# trace) against a real agent of the engine lab: real BIRD on router B
# (its port 179 for tcping), B as the router of a namespace chain
# A - B - C for trace, a DNS server in C (regress/bot/dnsd.py) as
# diag.resolver.  Targets that are not addresses, prefixes or names get
# 400 and send nothing: no ICMP echo leaves A, no query reaches C.

LAB_NAME=bot-tools
. "$(dirname "$0")/../engine/lab.sh"
command -v curl >/dev/null || { skip bot_tools "curl not installed"; exit 0; }

NC=mnt-bt-c-$$
CTL=$TOP/moenetctl
dnsd_pid=
tools_cleanup() {
	[ -n "$dnsd_pid" ] && kill "$dnsd_pid" 2>/dev/null
	ip netns del "$NC" 2>/dev/null
	cleanup
}
trap tools_cleanup EXIT INT TERM

# A - B - C: B routes, C answers DNS and pings.
ip netns add "$NC"
ip link add veth-bc netns "$NB" type veth peer name veth-cb netns "$NC"
ip -n "$NC" link set lo up
ip -n "$NA" addr add 10.201.1.1/24 dev veth-a
ip -n "$NB" addr add 10.201.1.2/24 dev veth-b
ip -n "$NB" addr add 10.201.2.1/24 dev veth-bc
ip -n "$NB" addr add fd00:bc::1/64 dev veth-bc nodad
ip -n "$NC" addr add 10.201.2.2/24 dev veth-cb
ip -n "$NC" addr add fd00:bc::2/64 dev veth-cb nodad
ip -n "$NB" link set veth-bc up
ip -n "$NC" link set veth-cb up
ip -n "$NA" route add 10.201.2.0/24 via 10.201.1.2
ip -n "$NA" route add fd00:bc::/64 via fd00:ab::2
ip -n "$NC" route add default via 10.201.2.1
ip -n "$NC" -6 route add default via fd00:bc::1
ip netns exec "$NB" sysctl -qw net.ipv4.ip_forward=1
ip netns exec "$NB" sysctl -qw net.ipv6.conf.all.forwarding=1

: >"$L/dns.log"
ip netns exec "$NC" python3 "$TOP/regress/bot/dnsd.py" 10.201.2.2 53 \
    "$L/dns.log" far.test=A:10.201.2.2 far.test=AAAA:fd00:bc::2 \
    "far.test=TXT:hello world" alias.test=CNAME:far.test \
    v6only.test=AAAA:fd00:bc::2 2.2.201.10.in-addr.arpa=PTR:far.test \
    >"$L/dnsd.out" 2>&1 &
dnsd_pid=$!
wait_for 10 grep -q ready "$L/dns.log" ||
    { fail bot_tools_dnsd "$(cat "$L/dnsd.out")"; finish; }

python3 - "$L/a/agent.json" <<'EOP'
import json, sys
c = json.load(open(sys.argv[1]))
c["server"] = {"listen": "127.0.0.1:24368"}
c["diag"] = {"resolver": "10.201.2.2"}
json.dump(c, open(sys.argv[1], "w"))
EOP
start_agent

# api PATH BODY [TOKEN]: prints the status; the body lands in $L/resp.
api() {
	if [ -n "${3-}" ]; then
		ip netns exec "$NA" curl -s -m 25 -o "$L/resp" -w '%{http_code}' \
		    -H "Authorization: Bearer $3" --data-binary "$2" \
		    "http://127.0.0.1:24368$1"
	else
		ip netns exec "$NA" curl -s -m 25 -o "$L/resp" -w '%{http_code}' \
		    --data-binary "$2" "http://127.0.0.1:24368$1"
	fi
}
body() { python3 -c 'import json,sys; print(json.dumps({"target": sys.argv[1]}))' "$1"; }
result() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["result"])' "$L/resp"; }
# tool NAME PATH TARGET WANT...: 200 and every WANT in the result
tool() {
	n=$1 p=$2 t=$3; shift 3
	code=$(api "$p" "$(body "$t")" "$TOKEN")
	if [ "$code" != 200 ]; then
		fail "$n" "HTTP $code: $(cat "$L/resp")"
		return
	fi
	r=$(result)
	for w in "$@"; do
		case $r in
		*"$w"*) ;;
		*) fail "$n" "no \"$w\" in: $r"; return ;;
		esac
	done
	ok "$n"
	# TOOLS_SHOW=1: the text, for a person to look at
	[ -z "${TOOLS_SHOW-}" ] || printf '%s\n' "$r" | sed 's/^/# /'
}
echos() { ip netns exec "$NA" awk '/^Icmp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "OutEchos") c = i; h = 1 } else print $c }' /proc/net/snmp; }

wait_for 20 sh -c "[ \"\$(ip netns exec $NA curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:24368/healthz)\" != 000 ]" ||
    { fail bot_tools_start "$(tail -20 "$L/a/agent.log")"; finish; }

# Credentials first: nothing runs without one.
code=$(api /ping "$(body 10.201.1.2)")
[ "$code" = 401 ] && ok bot_tools_no_token || fail bot_tools_no_token "HTTP $code"
code=$(api /ping "$(body 10.201.1.2)" wrong-token)
[ "$code" = 401 ] && ok bot_tools_bad_token || fail bot_tools_bad_token "HTTP $code"

# Echo sockets still forbidden in A: the answer says how to allow them.
tool bot_tools_ping_forbidden /ping 10.201.1.2 ping_group_range "sysctl -w"
ip netns exec "$NA" sysctl -qw net.ipv4.ping_group_range="0 2147483647"

tool bot_tools_ping4 /ping 10.201.1.2 "PING 10.201.1.2 (10.201.1.2)" \
    "64 bytes from 10.201.1.2: icmp_seq=1" "4 packets transmitted, 4 received" \
    "rtt min/avg/max"
tool bot_tools_ping6 /ping fd00:bc::2 "64 bytes from fd00:bc::2: icmp_seq=4" \
    "4 received, 0% packet loss"
tool bot_tools_ping_name /ping far.test "PING far.test (10.201.2.2)" \
    "4 received"
tool bot_tools_ping_name6 /ping v6only.test "PING v6only.test (fd00:bc::2)" \
    "4 received"
tool bot_tools_ping_nxdomain /ping nope.test "cannot resolve nope.test: NXDOMAIN"
tool bot_tools_ping_lost /ping 10.201.2.99 "4 packets transmitted, 0 received" \
    "100% packet loss"

tool bot_tools_tcping_bird /tcping "[fd00:ab::2]:179" \
    "connected to fd00:ab::2 port 179: seq=1" "4 attempts, 4 connected, 0% failed"
tool bot_tools_tcping_refused /tcping 10.201.2.2:1 "connection refused" \
    "4 attempts, 0 connected, 100% failed"
tool bot_tools_tcping_port80 /tcping 10.201.1.2 "(10.201.1.2:80)" \
    "connection refused"

tool bot_tools_trace4 /trace 10.201.2.2 "traceroute to 10.201.2.2" \
    " 1  10.201.1.2  " " 2  10.201.2.2  "
tool bot_tools_trace6 /trace fd00:bc::2 " 1  fd00:ab::2  " " 2  fd00:bc::2  "
tool bot_tools_trace_name /trace far.test "traceroute to far.test (10.201.2.2)" \
    " 2  10.201.2.2  "

tool bot_tools_dig_a /dig far.test "status: NOERROR" "ANSWER: 1" \
    "far.test.	300	IN	A	10.201.2.2" "SERVER: 10.201.2.2#53"
tool bot_tools_dig_txt /dig "far.test TXT" 'IN	TXT	"hello world"'
tool bot_tools_dig_aaaa /dig "far.test aaaa" "IN	AAAA	fd00:bc::2"
tool bot_tools_dig_cname /dig "alias.test" "alias.test.	300	IN	CNAME	far.test."
tool bot_tools_dig_ptr /dig 10.201.2.2 "2.2.201.10.in-addr.arpa.		IN	PTR" \
    "2.2.201.10.in-addr.arpa.	300	IN	PTR	far.test."
tool bot_tools_dig_nxdomain /dig nope.test "status: NXDOMAIN" \
    "AUTHORITY SECTION:" "test.	60	IN	SOA	ns.test. hostmaster.test. 1 3600"
tool bot_tools_dig_srv /dig "_bgp._tcp.far.test SRV" "status: NXDOMAIN" \
    ";_bgp._tcp.far.test.		IN	SRV"
code=$(api /dig "$(body 'far.test BOGUS')" "$TOKEN")
[ "$code" = 400 ] && ok bot_tools_dig_badtype || fail bot_tools_dig_badtype "HTTP $code"

# Injection attempts: 400, and nothing leaves A, nothing reaches C.
long=$(printf '%0300d' 0 | tr 0 a)
e0=$(echos)
q0=$(grep -c '^query' "$L/dns.log")
r0=$(grep -c 'fetcher\[info\]: \(ping\|tcping\|trace\|dig\) ' "$L/a/agent.log")
i=0
for t in '10.201.1.2;reboot' '$(id)' '`id`' "$(printf '10.201.1.2\nx')" \
    '-c1000' '-1.2.3.4' "'10.201.1.2'" '"10.201.1.2"' "$long" \
    '127.0.0.1 -c 1000' '10.201.1.2|id' '10.201.1.2&' 'far.test$x' \
    '' ' 10.201.1.2' 'fe80::1%veth-a' '10.0.0.0/8'; do
	i=$((i + 1))
	for p in /ping /trace /tcping /dig; do
		[ "$p" = /tcping ] && [ "$t" = 10.0.0.0/8 ] && continue
		code=$(api "$p" "$(body "$t")" "$TOKEN")
		if [ "$code" != 400 ]; then
			fail "bot_tools_inject_$i$(echo $p | tr / _)" "HTTP $code: $(cat "$L/resp")"
			continue 2
		fi
	done
	ok "bot_tools_inject_$i"
done
for t in 'far.test; id' 'far.test A B' '$(id) A' 'far.test A ' "far.test$(printf '\t')A"; do
	i=$((i + 1))
	code=$(api /dig "$(body "$t")" "$TOKEN")
	[ "$code" = 400 ] && ok "bot_tools_inject_dig_$i" ||
	    fail "bot_tools_inject_dig_$i" "HTTP $code: $(cat "$L/resp")"
done
[ "$(echos)" = "$e0" ] && ok bot_tools_inject_no_echo ||
    fail bot_tools_inject_no_echo "OutEchos $e0 -> $(echos)"
[ "$(grep -c '^query' "$L/dns.log")" = "$q0" ] && ok bot_tools_inject_no_query ||
    fail bot_tools_inject_no_query "$(tail -3 "$L/dns.log")"
[ "$(grep -c 'fetcher\[info\]: \(ping\|tcping\|trace\|dig\) ' "$L/a/agent.log")" = "$r0" ] &&
    ok bot_tools_inject_no_run || fail bot_tools_inject_no_run "a run was logged"

# The request itself: its shape, its size, its method.
code=$(api /ping 'target=10.201.1.2' "$TOKEN")
[ "$code" = 400 ] && ok bot_tools_not_json || fail bot_tools_not_json "HTTP $code"
code=$(api /ping '{"target": "10.201.1.2\u0000;id"}' "$TOKEN")
[ "$code" = 400 ] && ok bot_tools_nul || fail bot_tools_nul "HTTP $code"
code=$(api /ping '{"host": "10.201.1.2"}' "$TOKEN")
[ "$code" = 400 ] && ok bot_tools_no_target || fail bot_tools_no_target "HTTP $code"
code=$(api /ping "{\"target\": \"10.201.1.2\", \"pad\": \"$(printf '%02000d' 0)\"}" "$TOKEN")
[ "$code" = 413 ] && ok bot_tools_body_limit || fail bot_tools_body_limit "HTTP $code"
code=$(ip netns exec "$NA" curl -s -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer $TOKEN" http://127.0.0.1:24368/ping)
[ "$code" = 405 ] && ok bot_tools_get || fail bot_tools_get "HTTP $code"

# Four runs at once at most: the fifth is told to come back.
pids=
n0=$(grep -c 'fetcher\[info\]: ping 10.201.2.99' "$L/a/agent.log")
for k in 1 2 3 4; do
	ip netns exec "$NA" curl -s -m 25 -o /dev/null \
	    -H "Authorization: Bearer $TOKEN" --data-binary "$(body 10.201.2.99)" \
	    http://127.0.0.1:24368/ping &
	pids="$pids $!"
done
wait_for 10 sh -c "[ \$(grep -c 'fetcher\[info\]: ping 10.201.2.99' '$L/a/agent.log') -ge $((n0 + 4)) ]"
code=$(api /ping "$(body 10.201.1.2)" "$TOKEN")
[ "$code" = 429 ] && ok bot_tools_busy || fail bot_tools_busy "HTTP $code"
for p in $pids; do wait "$p"; done

# A client that gives up: its run ends on its own, the agent goes on.
n0=$(grep -c 'POST /ping from 127.0.0.1: 200' "$L/a/agent.log")
ip netns exec "$NA" curl -s -m 1 -o /dev/null -H "Authorization: Bearer $TOKEN" \
    --data-binary "$(body 10.201.2.99)" http://127.0.0.1:24368/ping
if wait_for 15 sh -c "[ \$(grep -c 'POST /ping from 127.0.0.1: 200' '$L/a/agent.log') -gt $n0 ]"; then
	tool bot_tools_client_gone /ping 10.201.1.2 "4 received"
else
	fail bot_tools_client_gone "the abandoned run did not end"
fi

# moenetctl: the same tools, the same text.
out=$("$CTL" -s "$L/a/ctl.sock" ping 10.201.1.2 2>&1)
case $out in *"4 packets transmitted, 4 received"*) ok bot_tools_ctl_ping ;;
*) fail bot_tools_ctl_ping "$out" ;; esac
out=$("$CTL" -s "$L/a/ctl.sock" trace fd00:bc::2 2>&1)
case $out in *" 2  fd00:bc::2  "*) ok bot_tools_ctl_trace ;;
*) fail bot_tools_ctl_trace "$out" ;; esac
out=$("$CTL" -s "$L/a/ctl.sock" -j ping far.test 2>&1)
if printf '%s' "$out" | python3 -c 'import json,sys; r = json.load(sys.stdin)["result"]; sys.exit("4 received" not in r)'; then
	ok bot_tools_ctl_json
else
	fail bot_tools_ctl_json "$out"
fi
if out=$("$CTL" -s "$L/a/ctl.sock" ping '10.201.1.2;id' 2>&1); then
	fail bot_tools_ctl_inject "accepted: $out"
else
	case $out in *"bad target"*) ok bot_tools_ctl_inject ;;
	*) fail bot_tools_ctl_inject "$out" ;; esac
fi
finish
