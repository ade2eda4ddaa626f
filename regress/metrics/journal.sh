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
# Under systemd the agent's stderr is the journal (JOURNAL_STREAM names
# it): every line, the children's too, starts with its syslog priority
# ("<3>" error, "<4>" warning, "<6>" info, "<7>" debug), which journald
# reads as the line's priority.  Elsewhere lines have no prefix.  And
# log.level warn keeps warnings and errors only.  The agent runs in a
# namespace of its own with nothing to reach.

. "$(dirname "$0")/../lib.sh"
need_root journal

T=$(mktemp -d /tmp/mnt-journal-$$-XXXXXX)
NS=mnt-jr-$$
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
ip netns add "$NS"
host_conf journal tok-$$ "$T" text debug >"$T/conf.json"
chmod 600 "$T/conf.json"

# run FILE [JOURNAL [LINE]]: the agent until its engine starts (or LINE
# shows), stderr to FILE
run() {
	: >"$1"
	js=
	[ -n "$2" ] && js=$(stat -c '%d:%i' "$1")
	JOURNAL_STREAM=$js ip netns exec "$NS" "$AGENT" -d -f "$T/conf.json" \
	    2>>"$1" &
	pid=$!
	wait_for 30 grep -q "${3:-engine started}" "$1"
	# the children's first lines are in by then; let BIRD's retry come
	wait_for 10 grep -q 'BIRD: connect' "$1"
	kill "$pid"
	wait_for 10 sh -c "! kill -0 $pid 2>/dev/null"
	wait "$pid" 2>/dev/null
	pid=
}
run "$T/journal.log" yes
check journal_every_line_prefixed sh -c "! grep -v '^<[0-7]>' '$T/journal.log' | grep -q ."
check journal_info_6 grep -q '^<6>.*parent\[info\]: engine started' "$T/journal.log"
check journal_warning_4 grep -q '^<4>.*parent\[warn\]: BIRD: connect' "$T/journal.log"
check journal_child_debug_7 grep -q '^<7>.*\(fetcher\|birdctl\|wgctl\)\[debug\]' "$T/journal.log"
run "$T/plain.log"
check journal_plain_no_prefix sh -c "grep -q 'engine started' '$T/plain.log' && ! grep -q '^<[0-7]>' '$T/plain.log'"
# log.level warn: warnings and errors only, the children's as well.
host_conf journal tok-$$ "$T" text warn >"$T/conf.json"
run "$T/warn.log" "" 'BIRD: connect'
check loglevel_warn_keeps_warnings grep -q 'parent\[warn\]: BIRD: connect' "$T/warn.log"
check loglevel_warn_drops_info sh -c "! grep -q '\[\(info\|notice\|debug\)\]' '$T/warn.log'"
finish
