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
# Manual pages: mandoc lint clean, and SYNOPSIS matches usage().

. "$(dirname "$0")/../lib.sh"

for m in "$TOP"/man/*.[58]; do
	n=$(basename "$m")
	if out=$(mandoc -Tlint -Wwarning "$m" 2>&1); then
		ok "man_lint_$n"
	else
		fail "man_lint_$n" "$out"
	fi
done

usage=$("$AGENT" -x 2>&1 | sed -n "s/^usage: //p")
synopsis=$(mandoc -Tutf8 "$TOP/man/moenet-agent.8" | col -b |
    awk '/^SYNOPSIS/ { getline; sub(/^ +/, ""); print; exit }')
check man_synopsis_matches_usage [ "$usage" = "$synopsis" ]
finish
