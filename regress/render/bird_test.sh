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

# "bird -p" over everything the renderer writes for the golden cases:
# all files together, each file alone, with maintenance on and off.
# Then two sets BIRD must refuse, so a pass above means something.

. "$(dirname "$0")/../lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
render=$here/render_test

if ! command -v bird >/dev/null 2>&1; then
	skip bird_parse "bird is not installed"
	exit 0
fi
[ -x "$render" ] || { fail bird_parse "$render not built"; finish; }

tmp=$(mktemp -d /tmp/render-bird.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# mkset DIR MAINT: a bird.conf tree with empty peers/ and ibgp/.
mkset() {
	mkdir -p "$1/peers" "$1/ibgp"
	cp "$here/bird.conf" "$1/bird.conf"
	echo "define MAINTENANCE_MODE = $2;" >"$1/maintenance.conf"
}

# parse NAME DIR: expect BIRD to accept DIR/bird.conf.
parse() {
	if out=$(bird -p -c "$2/bird.conf" 2>&1); then
		ok "$1"
	else
		fail "$1" "bird -p: $out"
	fi
}

mkset "$tmp/all" false
if ! "$render" -w "$tmp/all"; then
	fail bird_render "render_test -w failed"
	finish
fi
n=$(ls "$tmp/all/peers" "$tmp/all/ibgp" | grep -c '\.conf$')
check bird_render_count [ "$n" -eq 12 ]
grep -l -e Copyright -e '^##' -e '{{' "$tmp"/all/*/*.conf
check bird_render_clean [ $? -eq 1 ]

parse bird_parse_all "$tmp/all"
mkset "$tmp/maint" true
cp "$tmp"/all/peers/* "$tmp/maint/peers/"
cp "$tmp"/all/ibgp/* "$tmp/maint/ibgp/"
parse bird_parse_all_maintenance "$tmp/maint"

for f in "$tmp"/all/peers/*.conf "$tmp"/all/ibgp/*.conf; do
	sub=$(basename "$(dirname "$f")")
	name=$(basename "$f" .conf)
	rm -rf "$tmp/one"
	mkset "$tmp/one" false
	cp "$f" "$tmp/one/$sub/"
	parse "bird_parse_$name" "$tmp/one"
done

# A misspelt keyword in one file: refused, and the message names it.
mkset "$tmp/broken" false
cp "$tmp"/all/peers/* "$tmp/broken/peers/"
sed 's/^	neighbor /	neighbour /' "$tmp/all/peers/dn42_4242420003.conf" \
    >"$tmp/broken/peers/dn42_4242420003.conf"
if out=$(bird -p -c "$tmp/broken/bird.conf" 2>&1); then
	fail bird_rejects_broken "bird -p accepted a broken file"
else
	case $out in
	*dn42_4242420003.conf:*) ok bird_rejects_broken ;;
	*) fail bird_rejects_broken "unexpected message: $out" ;;
	esac
fi

# The same session twice under two file names: a duplicate protocol.
mkset "$tmp/dup" false
cp "$tmp/all/peers/dn42_4242420001.conf" "$tmp/dup/peers/"
cp "$tmp/all/peers/dn42_4242420001.conf" "$tmp/dup/peers/zz_copy.conf"
if out=$(bird -p -c "$tmp/dup/bird.conf" 2>&1); then
	fail bird_rejects_duplicate "bird -p accepted a duplicate protocol"
else
	case $out in
	*"already defined"*) ok bird_rejects_duplicate ;;
	*) fail bird_rejects_duplicate "unexpected message: $out" ;;
	esac
fi

finish
