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

# "bird -p" over the bird.conf the agent renders in bootstrap mode and
# the policy it includes, for every fixture, with a peer file that
# names its template and filters, maintenance on and off, the block
# list included or copied.  Then sets BIRD must refuse, so that a pass
# means something.

. "$(dirname "$0")/../lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
prog=$here/policy_test

if ! command -v bird >/dev/null 2>&1; then
	skip policy_bird_parse "bird is not installed"
	exit 0
fi
[ -x "$prog" ] || { fail policy_bird_parse "$prog not built"; finish; }

tmp=$(mktemp -d /tmp/policy-bird.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

if ! "$prog" -w "$tmp"; then
	fail policy_bird_render "policy_test -w failed"
	finish
fi

# parse NAME DIR: expect BIRD to accept DIR/bird.conf.
parse() {
	if out=$(bird -p -c "$2/bird.conf" 2>&1); then
		ok "$1"
	else
		fail "$1" "bird -p: $out"
	fi
}

# refuse NAME DIR PATTERN: BIRD refuses, saying PATTERN.
refuse() {
	if out=$(bird -p -c "$2/bird.conf" 2>&1); then
		fail "$1" "bird -p accepted it"
	else
		case $out in
		*$3*) ok "$1" ;;
		*) fail "$1" "unexpected message: $out" ;;
		esac
	fi
}

for c in full minimal v6only; do
	d=$tmp/$c
	check "policy_bird_main_$c" grep -q "^include \"$d/policy/\*.conf\";" "$d/bird.conf"
	check "policy_bird_peer_file_$c" test -s "$d/peers/dn42_4242420002.conf"
	grep -l -e Copyright -e '^##' -e '{{' "$d"/policy/*.conf
	check "policy_bird_clean_$c" [ $? -eq 1 ]
	echo 'define MAINTENANCE_MODE = false;' >"$d/maintenance.conf"
	parse "policy_bird_parse_$c" "$d"
	echo 'define MAINTENANCE_MODE = true;' >"$d/maintenance.conf"
	parse "policy_bird_parse_${c}_maintenance" "$d"
done
check policy_bird_rpki_only_when_given test ! -f "$tmp/minimal/policy/20-rpki.conf"
check policy_bird_rpki_full grep -q 'protocol rpki rpki_local' "$tmp/full/policy/20-rpki.conf"
check policy_bird_blacklist_copied grep -q '^function is_blacklisted() {' "$tmp/minimal/policy/05-blacklist.conf"
check policy_bird_blacklist_included grep -q "^include \"$tmp/full/blacklist.conf\";" "$tmp/full/policy/05-blacklist.conf"

# Without the block list the filters do not parse.
mv "$tmp/full/blacklist.conf" "$tmp/full/blacklist.off"
refuse policy_bird_needs_blacklist "$tmp/full" "blacklist.conf"
mv "$tmp/full/blacklist.off" "$tmp/full/blacklist.conf"

# The operator's additions are read.
echo 'protocol static local_extra { ipv6; route fd42:1:2::/48 reject; }' >"$tmp/full/local.conf"
parse policy_bird_local_included "$tmp/full"
echo 'protocol static local_extra { ipv6; route bad reject; }' >"$tmp/full/local.conf"
refuse policy_bird_local_broken_refused "$tmp/full" "local.conf"
: >"$tmp/full/local.conf"

# Without the maintenance switch the policy does not parse.
rm "$tmp/full/maintenance.conf"
refuse policy_bird_needs_maintenance_file "$tmp/full" "maintenance.conf"
echo 'define MAINTENANCE_MODE = false;' >"$tmp/full/maintenance.conf"

# The peer file without the policy: its template is missing.
mv "$tmp/full/policy" "$tmp/full/policy.off"
mkdir "$tmp/full/policy"
refuse policy_bird_peer_needs_template "$tmp/full" "peers/dn42_4242420002.conf"
rm -rf "$tmp/full/policy"
mv "$tmp/full/policy.off" "$tmp/full/policy"

# A filter mistyped: refused, and the message names the file.
sed 's/bgp_path.len >/bgp_path.lenn >/' "$tmp/full/policy/10-filters.conf" \
    >"$tmp/full/x" && mv "$tmp/full/x" "$tmp/full/policy/10-filters.conf"
refuse policy_bird_rejects_broken "$tmp/full" "10-filters.conf"

finish
