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
# make install puts the commented example configurations (full mode,
# bootstrap mode, the control plane script's config.json) under
# share/moenet-agent/examples; each is one the agent accepts: moenet-agent
# -n on the installed file, its absolute paths moved under a scratch
# directory that holds the token and the key it names.

. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d /tmp/mnt-install-$$-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
dest=$tmp/inst
if ! out=$(make -C "$TOP" --no-print-directory install DESTDIR="$dest" \
    PREFIX=/usr 2>&1); then
	fail install_examples "make install: $out"
	finish
fi
ex=$dest/usr/share/moenet-agent/examples
root=$tmp/root
mkdir -p "$root/etc/moenet-agent" "$root/etc/wireguard"
(umask 077; echo token-$$ >"$root/etc/moenet-agent/token"
 head -c 32 /dev/urandom | base64 >"$root/etc/wireguard/private.key")
for f in full bootstrap cp-script; do
	if [ ! -f "$ex/$f.json" ]; then
		fail "install_example_$f" "$ex/$f.json not installed"
		continue
	fi
	sed "s#\"/#\"$root/#g" "$ex/$f.json" >"$tmp/$f.json"
	chmod 600 "$tmp/$f.json"
	if out=$("$AGENT" -n -f "$tmp/$f.json" 2>&1); then
		ok "install_example_$f"
	else
		fail "install_example_$f" "$(echo "$out" | grep -v notice | head -3)"
	fi
done
check install_example_full_commented grep -q '"_comment"' "$ex/full.json"
check install_example_bootstrap_commented grep -q '"_comment"' "$ex/bootstrap.json"
check install_example_full_mode sh -c "! '$AGENT' -n -f '$tmp/full.json' 2>&1 | grep -q 'bootstrap mode'"
check install_example_script_mode sh -c "'$AGENT' -n -f '$tmp/cp-script.json' 2>&1 | grep -q 'bootstrap mode'"
finish
