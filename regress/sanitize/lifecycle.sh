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

# One whole agent lifecycle under AddressSanitizer and UBSan, in the
# engine lab (regress/engine/lab.sh: real BIRD, wireguard-go, the fake
# control plane): start, a session up, a change in the list, the
# control plane failing, SIGHUP, a deletion, stop.  The agent is the
# obj.san build ("make sanitize"), children and all, sandboxed as
# always (sandbox.c says what that build relaxes: LeakSanitizer in the
# sandboxed children only).  Any report in the agent's output, or an
# exit other than 0, is a finding.

. "$(dirname "$0")/../lib.sh"
cd "$TOP" || exit 1
: "${SAN_DIR:=obj.san}"
need_root sanitize-lifecycle
unset MAKEFLAGS MFLAGS MAKELEVEL
if ! ${MAKE:-make} -s sanitize SAN_DIR="$SAN_DIR" >/dev/null 2>&1; then
	fail sanitize-lifecycle-build "make sanitize failed"
	finish
fi
AGENT=$TOP/$SAN_DIR/moenet-agent
if ! nm "$AGENT" | grep -q ' __asan_init'; then
	fail sanitize-lifecycle-build "$AGENT is not built with ASan"
	finish
fi
# The parent checks for leaks at exit; the children (empty environment)
# run with the sanitizers' defaults, which halt at the first error.
ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:exitcode=86
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export AGENT ASAN_OPTIONS UBSAN_OPTIONS

. "$TOP/regress/engine/lab.sh"

findings() {
	grep -E '^==[0-9]+==ERROR|SUMMARY: [A-Za-z]*Sanitizer|runtime error:' \
	    "$L/a/agent.log"
}

start_agent
check san_up wait_for 90 established dn42_4242420002
check san_reported_active wait_for 60 modified s1 2

# A change: an invalid session among the valid one.
write_cp "$S1_UP, {\"uuid\": \"s2\", \"asn\": 4242420003, \"status\": 4,
  \"type\": \"wireguard\", \"interface\": \"bad name!\", \"credential\": \"$BPUB\"}"
check san_change_reported wait_for 30 modified s2 6

# The control plane fails.
python3 - "$L/cp.json" <<'EOP'
import json, sys
st = json.load(open(sys.argv[1])); st["faults"] = {"sessions": {"mode": "500"}}
json.dump(st, open(sys.argv[1], "w"))
EOP
check san_cp_fault_noticed wait_for 30 grep -q 'session sync: http_5xx' \
    "$L/a/agent.log"
python3 - "$L/cp.json" <<'EOP'
import json, sys
st = json.load(open(sys.argv[1])); st.pop("faults", None)
json.dump(st, open(sys.argv[1], "w"))
EOP

# SIGHUP: the configuration read again.
kill -HUP "$agent_pid"
check san_sighup_reloaded wait_for 30 grep -q 'configuration reloaded' \
    "$L/a/agent.log"

# A deletion, then stop.
write_cp "$(echo "$S1_UP" | sed 's/"status": 4/"status": 5/')"
check san_delete_reported wait_for 60 modified s1 0
pid=$agent_pid
kill "$pid"
wait_for 30 sh -c "! kill -0 $pid 2>/dev/null"
wait "$pid"
rc=$?
agent_pid=
check san_exit_0 [ "$rc" -eq 0 ]
if findings >/dev/null; then
	fail san_no_findings "$(findings | head -5 | tr '\n' ' ')"
	grep -E -A25 '^==[0-9]+==ERROR|runtime error:' "$L/a/agent.log" |
	    head -80
else
	ok san_no_findings
fi
finish
