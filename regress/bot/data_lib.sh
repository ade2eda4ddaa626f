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
#
# Helpers of the bot API tests (data*.sh), sourced after lab.sh.

BOT_PORT=24368

# api I METHOD PATH [BODY [TOKEN]]: the request as the bot sends it to
# router I's agent; the body of the answer in $L/body, its status out.
# TOKEN "-" sends none; the default is the control plane's agent key.
api() {
	_tok=${5:-$TOKEN}
	set -- "$1" "$2" "$3" "${4:-}" "$_tok"
	if [ "$5" = - ]; then
		ip netns exec "$(ns "$1")" curl -s -m 20 -o "$L/body" \
		    -w '%{http_code}' -X "$2" -H 'Content-Type: application/json' \
		    ${4:+--data-binary "$4"} "http://127.0.0.1:$BOT_PORT$3"
	else
		ip netns exec "$(ns "$1")" curl -s -m 20 -o "$L/body" \
		    -w '%{http_code}' -X "$2" -H 'Content-Type: application/json' \
		    -H "Authorization: Bearer $5" ${4:+--data-binary "$4"} \
		    "http://127.0.0.1:$BOT_PORT$3"
	fi
}

# jq_is EXPR: EXPR (Python, d is the JSON answer) holds for $L/body.
jq_is() {
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)' "$L/body" "$1"
}

# call_is I METHOD PATH BODY TOKEN STATUS [EXPR]: the answer has that
# status (and EXPR holds for it).
call_is() {
	_st=$(api "$1" "$2" "$3" "$4" "$5")
	[ "$_st" = "$6" ] || { echo "status $_st: $(cat "$L/body")"; return 1; }
	[ -z "$7" ] || jq_is "$7" || { echo "body: $(cat "$L/body")"; return 1; }
}

# bot_check NAME I METHOD PATH BODY TOKEN STATUS [EXPR]: one case.
bot_check() {
	_n=$1; shift
	if _out=$(call_is "$@" 2>&1); then
		ok "$_n"
	else
		fail "$_n" "$3 $4 -> expected $6 ${7:-}: $(echo "$_out" | head -c 400)"
	fi
}
