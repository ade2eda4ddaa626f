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
# The real fetcher, sandboxed as in production (seccomp kill mode), against
# the fake control plane over HTTPS with a throwaway CA: every endpoint, and
# every way the control plane can fail.

. "$(dirname "$0")/../lib.sh"
need_root fetcher
DRIVE=$TOP/regress/fetcher/fetch_drive
FAKECP=$TOP/regress/fakecp/fakecp.py
TOKEN=fetcher-secret-$$

work=$(mktemp -d /tmp/mnt-fetch-XXXXXX)
chmod 755 "$work"
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

sh "$TOP/regress/fakecp/mkcert.sh" "$work/tls" cp.moenet.test ||
    { fail fetcher_cert "mkcert"; finish; }
mkdir -m 755 "$work/empty" "$work/froot" "$work/froot/etc"
# A root like the parent makes for the fetcher, with a name to resolve.
printf '127.0.0.1 cp.moenet.test\n' >"$work/froot/etc/hosts"
printf 'hosts: files dns\n' >"$work/froot/etc/nsswitch.conf"
KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
cat >"$work/state.json" <<EOT
{"nodes": {"r1": {
  "config": {"node": {"name": "r1", "id": 1}},
  "sessions": [
    {"uuid": "s1", "asn": 4242420001, "status": 4, "interface": "dn42_1",
     "type": "wireguard", "credential": "$KEY", "ipv6LinkLocal": "fe80::1",
     "endpoint": "[2001:db8::1]:20001", "extensions": ["mp-bgp", "extended-nexthop"]},
    {"uuid": "s2", "asn": 4242420002, "status": 2, "interface": "dn42 bad",
     "type": "wireguard", "credential": "$KEY", "ipv4": "172.20.0.2"}],
  "mesh": {"peers": [{"nodeId": 2, "nodeName": "r2", "publicKey": "$KEY",
     "loopbackIpv4": "172.20.1.2", "loopbackIpv6": "fd00:1::2", "endpoint": "", "mtu": 1420}]},
  "birdConfig": {"configHash": "h1", "node": {"id": 1, "name": "r1"},
                 "policy": {"dn42As": "4242420998"}, "ibgpPeers": []}}}}
EOT
python3 "$FAKECP" --state "$work/state.json" --log "$work/cp.log" \
    --token "$TOKEN" --port 0 --port-file "$work/port" \
    --cert "$work/tls/server.pem" --key "$work/tls/server.key" \
    >"$work/cp.out" 2>&1 &
pids="$pids $!"
if ! wait_for 10 test -s "$work/port"; then
	fail fetcher_fakecp_start "$(cat "$work/cp.out")"
	finish
fi
PORT=$(cat "$work/port")
printf '%s\n' "$TOKEN" >"$work/token"

# drive [-opts] commands...: output in $work/out, fetcher log in $work/err
drive() {
	"$DRIVE" -a "$AGENT" -C "$work/empty" -L "$PORT" -n r1 \
	    -t "$TOKEN" -c "$work/tls/ca.pem" "$@" >"$work/out" 2>"$work/err"
}
has() { grep -q -- "$1" "$work/out"; }
set_fault() {
	python3 - "$work/state.json" "$1" "$2" "$3" <<'EOP'
import json, sys, os
path, ep, mode, count = sys.argv[1:5]
st = json.load(open(path))
f = st.setdefault("faults", {})
if mode == "none":
    f.pop(ep, None)
else:
    f[ep] = {"mode": mode}
    if count:
        f[ep]["count"] = int(count)
    if mode == "429":
        f[ep]["retryAfter"] = 1
tmp = path + ".tmp"
json.dump(st, open(tmp, "w"))
os.rename(tmp, path)
EOP
}
cplog_count() {
	python3 -c '
import json, sys
n = 0
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("path", "").endswith(sys.argv[2]):
        n += 1
print(n)' "$work/cp.log" "$1"
}

URL=https://127.0.0.1:$PORT

# Every endpoint, round trip.
drive -u "$URL" sessions config mesh policy modify:s1:2 heartbeat report rtt meshstatus
check fetcher_sessions has 'result sessions ok http=200 attempts=1 count=2'
check fetcher_session_valid has 'session s1 asn=4242420001 if=dn42_1 status=4 .* ll=fe80::1 endpoint=2001:db8::1:20001 error=-'
check fetcher_session_invalid_kept has 'session s2 .*error=interface: '
check fetcher_config has 'nodeconf name=r1 id=1'
check fetcher_config_result has 'result config ok'
check fetcher_mesh has 'result mesh ok http=200 attempts=1 count=1'
check fetcher_policy has 'result bird-config ok'
check fetcher_modify has 'result modify ok'
check fetcher_heartbeat has 'result heartbeat ok'
check fetcher_report has 'result report ok'
check fetcher_rtt has 'result rtt ok'
check fetcher_meshstatus has 'result mesh/status ok'
check fetcher_modify_applied python3 -c '
import json, sys
st = json.load(open(sys.argv[1]))
s = [x for x in st["nodes"]["r1"]["sessions"] if x["uuid"] == "s1"][0]
sys.exit(0 if s["status"] == 2 else 1)' "$work/state.json"
check fetcher_sent_user_agent grep -q '"moenet-agent/' "$work/cp.log"
if has 'fetcher closed its pipe'; then
	fail fetcher_alive_in_sandbox "$(tail -5 "$work/err")"
else
	ok fetcher_alive_in_sandbox
fi

# Failures: 500 retried then given up, breaker opens, fails fast.
set_fault sessions 500 ""
drive -u "$URL" -r 2 -D 30 sessions sessions
check fetcher_500_retried has 'result sessions http_5xx http=500 attempts=3'
check fetcher_500_breaker_opens has 'breaker open'
check fetcher_breaker_fails_fast has 'result sessions breaker_open http=0 attempts=0'
check fetcher_500_three_requests [ "$(cplog_count r1/sessions)" -ge 4 ]

# The breaker half-opens after the cool-down, one trial closes it.
set_fault sessions 500 2
drive -u "$URL" -r 1 -D 1 sessions
check fetcher_breaker_open_again has 'breaker open'
set_fault sessions none
wait_for 10 true
n=0
while [ $n -lt 30 ]; do
	drive -u "$URL" -r 0 -D 1 sessions sessions
	has 'result sessions ok' && break
	n=$((n + 1))
done
check fetcher_breaker_closes_after_trial has 'result sessions ok'

# 429 with Retry-After is honoured, then succeeds.
set_fault sessions 429 1
drive -v -u "$URL" sessions
check fetcher_429_retried has 'result sessions ok http=200 attempts=2'
check fetcher_429_retry_after_logged grep -q 'retry 1/3 in 1s' "$work/err"

# Other 4xx: no retry.
set_fault sessions 401 ""
drive -u "$URL" sessions
check fetcher_401_no_retry has 'result sessions http_4xx http=401 attempts=1'
set_fault sessions none

# Garbage never reaches the parent as records.
for mode in malformed truncate wrongtypes oversize cperror; do
	set_fault sessions $mode ""
	drive -u "$URL" -r 0 -D 0 sessions
	if has '^session ' ; then
		fail "fetcher_${mode}_no_records" "records sent: $(cat "$work/out")"
	else
		ok "fetcher_${mode}_no_records"
	fi
	check "fetcher_${mode}_error" grep -Eq 'result sessions (parse|network) ' "$work/out"
done
set_fault sessions none

# An empty list is a valid, empty answer.
set_fault sessions empty ""
drive -u "$URL" sessions
check fetcher_empty_list has 'result sessions ok http=200 attempts=1 count=0'
set_fault sessions none

# A stalled server is cut at the total timeout.
set_fault sessions hang ""
start=$(date +%s)
drive -u "$URL" -r 0 -D 0 -T 2 sessions
elapsed=$(( $(date +%s) - start ))
check fetcher_hang_timeout has 'result sessions timeout'
check fetcher_hang_bounded [ "$elapsed" -lt 10 ]
set_fault sessions none

# Wrong CA: TLS error, not a crash.
sh "$TOP/regress/fakecp/mkcert.sh" "$work/other" >/dev/null
"$DRIVE" -a "$AGENT" -C "$work/empty" -L "$PORT" -n r1 -t "$TOKEN" \
    -c "$work/other/ca.pem" -u "$URL" -r 0 sessions >"$work/out" 2>"$work/err"
check fetcher_wrong_ca_tls has 'result sessions tls'

# Connection refused: network error, retried.
drive -u "https://127.0.0.1:1" -L 1 -r 1 sessions
check fetcher_refused has 'result sessions network http=0 attempts=2'

# Name resolution inside the sandbox (chroot, Landlock, seccomp): a name
# only the chroot's hosts file knows.  (curl answers "localhost" itself.)
"$DRIVE" -a "$AGENT" -C "$work/froot" -L "$PORT" -n r1 -t "$TOKEN" \
    -c "$work/tls/ca.pem" -u "https://cp.moenet.test:$PORT" sessions \
    >"$work/out" 2>"$work/err"
if has 'result sessions ok'; then
	ok fetcher_resolves_names_in_sandbox
else
	fail fetcher_resolves_names_in_sandbox "$(tail -3 "$work/out") $(tail -3 "$work/err")"
fi

# http:// only to loopback.
"$DRIVE" -a "$AGENT" -C "$work/empty" -n r1 -t "$TOKEN" \
    -u "http://192.0.2.1:80" sessions >"$work/out" 2>"$work/err"
check fetcher_plain_http_refused grep -q 'refused control plane settings' "$work/err"

"$DRIVE" -a "$AGENT" -C "$work/empty" -L "$PORT" -n r1 -t "$TOKEN" \
    -c "$work/tls/ca.pem" -u "https://cp.moenet.test:$PORT" -r 0 sessions \
    >"$work/out" 2>"$work/err"
check fetcher_name_unknown_without_hosts has 'result sessions network'

# The token is never logged, by the fetcher or in the CP's request log.
if grep -rq "$TOKEN" "$work/err" "$work/cp.out"; then
	fail fetcher_token_not_logged "token found in a log"
else
	ok fetcher_token_not_logged
fi
finish
