#!/bin/sh
#
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
# Config golden files: X.json -> `moenet-agent -nv` -> X.ok (normalized
# output), err-X.json -> `moenet-agent -n` fails -> X.ok (the error).
# Run with "update" to rewrite the .ok files (then review them).

. "$(dirname "$0")/../lib.sh"
here=$TOP/regress/config
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Inputs hold tokens, so they must not be group-readable: work on copies.
cp "$here"/*.json "$tmp/"
for f in "$TOP"/etc/*.json; do
	cp "$f" "$tmp/example-${f##*/}"
done
chmod 600 "$tmp"/*.json
cd "$tmp" || exit 1
printf 'example-token\n' >example.token
chmod 600 example.token
sed -i "s|/etc/moenet-agent/token|$tmp/example.token|" example-*.json

for f in *.json; do
	name=${f%.json}
	ok=$here/$name.ok
	case $name in
	err-*)
		"$AGENT" -n -f "$f" >out 2>err
		rc=$?
		tail -n 1 err >got
		if [ "$1" = update ]; then cp got "$ok"; continue; fi
		if [ "$rc" -ne 1 ]; then
			fail "config_$name" "exit $rc, expected 1"
		elif diff -u "$ok" got >diff; then
			ok "config_$name"
		else
			fail "config_$name" "$(cat diff)"
		fi
		;;
	*)
		"$AGENT" -nv -f "$f" 2>err | sed "s|$tmp|TMP|" >got
		if [ "$1" = update ]; then cp got "$ok"; continue; fi
		if ! grep -q '^configuration OK$' err; then
			fail "config_$name" "$(cat err)"
			continue
		fi
		if diff -u "$ok" got >diff; then
			ok "config_$name"
		else
			fail "config_$name" "$(cat diff)"
		fi
		# The normalized output is itself a valid config, and a
		# fixed point.
		sed "s|TMP|$tmp|" got >again.json
		chmod 600 again.json
		if "$AGENT" -nv -f again.json 2>/dev/null |
		    sed "s|$tmp|TMP|" >got2 && cmp -s got got2; then
			ok "config_${name}_roundtrip"
		else
			fail "config_${name}_roundtrip" "-nv output does not \
parse to itself"
		fi
		;;
	esac
done
[ "$1" = update ] && exit 0

# Warnings for unknown keys name them and do not fail.
"$AGENT" -n -f unknown-key.json 2>err >/dev/null
check config_unknown_key_warns grep -q 'unknown key bootstrap.colour ignored' err
check config_unknown_section_warns grep -q 'unknown section "firewall" ignored' err
check config_ok_message grep -q '^configuration OK$' err

# A token in a file others can read is refused.
cp full.json open.json
chmod 644 open.json
"$AGENT" -n -f open.json >/dev/null 2>err
check config_token_file_mode_refused grep -q \
    'open.json: holds a token but is readable by group or others (mode 0644); chmod 600 it' err

# tokenFile: read, mode checked.
printf 'file-token\n' >token
chmod 600 token
sed "s|\"token\": \"t0ken-abc\"|\"tokenFile\": \"$tmp/token\"|" full.json >tf.json
chmod 644 tf.json
check config_token_file_ok "$AGENT" -n -f tf.json
chmod 640 token
"$AGENT" -n -f tf.json >/dev/null 2>err
check config_token_file_group_readable_refused grep -q \
    "token: mode 0640 lets group or others read a secret" err

# -c is an alias of -f; flags.
check config_dash_c_alias "$AGENT" -n -c full.json
"$AGENT" -V >out 2>&1
check agent_version grep -q '^moenet-agent [0-9]' out
"$AGENT" -x >/dev/null 2>err
rc=$?
check agent_usage_exit_1 [ "$rc" -eq 1 ]
check agent_usage_text grep -q '^usage: moenet-agent \[-dnvV\] \[-f file\]$' err
"$AGENT" -n -f /nonexistent/x.json >/dev/null 2>err
check config_missing_file grep -q '/nonexistent/x.json: No such file or directory' err

# The -nv output never shows a token.
"$AGENT" -nv -f full.json >out 2>/dev/null
if grep -q t0ken-abc out; then
	fail config_nv_hides_token "token printed"
else
	ok config_nv_hides_token
fi

finish
