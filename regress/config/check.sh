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
# What -n checks beyond the file, on real files in a temporary
# directory: the templates, the private key (mode, owner, 32 bytes, a
# link, absent), the public key, BIRD's socket, the state directory,
# the CA bundle, the sandbox user (in a private mount namespace whose
# /etc/passwd lacks it), and bootstrap mode's cached node
# configuration.  Root can read any file: these are mode bits, not
# access(2).

. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

wg genkey >/dev/null 2>&1 || { skip config_check "wg not installed"; exit 0; }
(umask 077; wg genkey >key; wg pubkey <key >pub; wg genkey | wg pubkey >other)
mkdir peers state
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
    "$tmp/bird.ctl"

# conf [KEY=VALUE...]: a full-mode file with everything in place, then
# the changes, as "section.key=value" (value "" removes the key).
conf() {
	python3 - "$tmp" "$TOP/templates" "$@" >c.json <<'EOP'
import json, sys
tmp, tdir = sys.argv[1:3]
c = {
    "node": {"name": "jp-edge", "id": 4},
    "controlPlane": {"url": "https://cp.example", "token": "t0ken"},
    "bird": {"templateDir": tdir, "controlSocket": tmp + "/bird.ctl",
        "peerConfDir": tmp + "/peers"},
    "wireguard": {"privateKeyPath": tmp + "/key",
        "publicKeyPath": tmp + "/pub", "dn42Ipv4": "172.20.10.1",
        "dn42Ipv6": "fd00:4242:7777:101:4::1"},
    "state": {"dir": tmp + "/state"},
    "control": {"socket": tmp + "/ctl.sock"},
}
for a in sys.argv[3:]:
    k, v = a.split("=", 1)
    s, n = k.split(".", 1)
    if v == "":
        c[s].pop(n, None)
    else:
        c.setdefault(s, {})[n] = v
json.dump(c, sys.stdout, indent=1)
EOP
	chmod 600 c.json
}
# run: -n on c.json; rc and err
run() { "$AGENT" -n -f c.json >/dev/null 2>err; rc=$?; }
has() { grep -q -- "$1" err; }

conf; run
check check_ready_exit_0 [ "$rc" -eq 0 ]
check check_ready_clean grep -qx 'configuration OK' err

# The private key: mode, length, a link, absent, owner.
chmod 644 key; run
check check_key_mode_exit_1 [ "$rc" -eq 1 ]
check check_key_mode has "^error: c.json: wireguard.privateKeyPath: $tmp/key: \
mode 0644 lets group or others access the private key, and the agent refuses \
it: chmod 600 it$"
chmod 600 key
head -c 31 /dev/urandom | base64 >short; chmod 600 short
conf wireguard.privateKeyPath="$tmp/short" wireguard.publicKeyPath=; run
check check_key_31_bytes_exit_1 [ "$rc" -eq 1 ]
check check_key_31_bytes has "^error: c.json: wireguard.privateKeyPath: \
$tmp/short: not a base64 WireGuard key of 32 bytes$"
conf wireguard.privateKeyPath="$tmp/absent"; run
check check_key_absent has "^error: c.json: wireguard.privateKeyPath: \
$tmp/absent: No such file or directory$"
ln -s key link
conf wireguard.privateKeyPath="$tmp/link"; run
check check_key_link has "^error: c.json: wireguard.privateKeyPath: $tmp/link: \
a symbolic link, which the agent does not follow$"
conf wireguard.privateKeyPath="$tmp"; run
check check_key_directory has "^error: c.json: wireguard.privateKeyPath: $tmp: \
not a regular file$"
if [ "$(id -u)" = 0 ]; then
	conf
	chown 65534 key; run
	check check_key_owner_exit_0 [ "$rc" -eq 0 ]
	check check_key_owner has "^warning: c.json: wireguard.privateKeyPath: \
$tmp/key: owned by uid 65534, not root: that user can replace the router's key$"
	chown 0 key
else
	skip check_key_owner "needs root"
fi

# The public key is for reference: a mismatch is a warning.
conf wireguard.publicKeyPath="$tmp/other"; run
check check_pubkey_mismatch_exit_0 [ "$rc" -eq 0 ]
check check_pubkey_mismatch has "^warning: c.json: wireguard.publicKeyPath: \
$tmp/other: not the public key of privateKeyPath"

# BIRD's socket: absent is a warning (BIRD may start later), a file an
# error.
conf bird.controlSocket="$tmp/no-bird.ctl"; run
check check_bird_absent_exit_0 [ "$rc" -eq 0 ]
check check_bird_absent has "^warning: c.json: bird.controlSocket: \
$tmp/no-bird.ctl does not exist (yet): BIRD may start later$"
check check_bird_absent_summary grep -qx 'configuration OK, 1 warning' err
conf bird.controlSocket="$tmp/key"; run
check check_bird_not_socket_exit_1 [ "$rc" -eq 1 ]
check check_bird_not_socket has "^error: c.json: bird.controlSocket: $tmp/key \
is not a socket$"

# The state directory: created at start if its parent exists.
conf state.dir="$tmp/new"; run
check check_state_creatable [ "$rc" -eq 0 ]
conf state.dir="$tmp/no/such"; run
check check_state_no_parent has "^error: c.json: state.dir: $tmp/no/such cannot \
be created: $tmp/no: No such file or directory$"
conf state.dir="$tmp/key"; run
check check_state_not_dir has "^error: c.json: state.dir: $tmp/key exists and \
is not a directory$"
conf bird.peerConfDir="$tmp/nopeers"; run
check check_peerdir_absent has "^warning: c.json: bird.peerConfDir: \
$tmp/nopeers does not exist"

# Templates.
conf bird.templateDir="$tmp/peers"; run
check check_templates_exit_1 [ "$rc" -eq 1 ]
check check_templates has "^error: c.json: bird.templateDir: templates do not \
load, no session could be rendered: "

# The CA bundle.
conf controlPlane.caFile="$tmp/ca.pem"; run
check check_ca_absent has "^error: c.json: controlPlane.caFile: $tmp/ca.pem: \
No such file or directory$"
echo junk >ca.pem
run
check check_ca_not_pem has "^warning: c.json: controlPlane.caFile: $tmp/ca.pem: \
no PEM certificate at its start$"

# A file error and machine errors together, all of them.
conf wireguard.privateKeyPath="$tmp/absent" bird.templateDir="$tmp/peers" \
    controlPlane.syncInterval=never; run
check check_all_at_once [ "$(grep -c '^error:' err)" -eq 3 ]

# No _moenet: a notice, in a mount namespace of this test's own.
conf
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
	grep -v '^_moenet:' /etc/passwd >passwd
	unshare -m sh -c 'mount --bind "$1" /etc/passwd && exec "$2" -n -f c.json' \
	    sh "$tmp/passwd" "$AGENT" >/dev/null 2>err
	rc=$?
	check check_no_user_exit_0 [ "$rc" -eq 0 ]
	check check_no_user_notice has "^notice: c.json: user _moenet not found: \
children will run as an unused uid/gid$"
else
	skip check_no_user "needs root and unshare"
fi

# Bootstrap mode: checked with the node configuration cached by the
# last start, else only what the file itself decides.
cat >c.json <<EOC
{"bootstrap": {"apiUrl": "https://cp.example/", "nodeName": "jp-edge",
    "token": "t0ken"},
 "bird": {"templateDir": "$TOP/templates"},
 "state": {"dir": "$tmp/state"}, "control": {"socket": "$tmp/ctl.sock"}}
EOC
chmod 600 c.json
run
check check_bootstrap_nocache_exit_0 [ "$rc" -eq 0 ]
check check_bootstrap_nocache has "^notice: c.json: bootstrap mode: the BIRD \
socket, the key files and the BIRD directories come from the control plane at \
start (no cached copy in $tmp/state yet), and are checked then$"
cat >state/nodeconf.json <<EOC
{"node":{"id":4},"bird":{"controlSocket":"$tmp/cached-bird.ctl",
"peerConfDir":"$tmp/peers"},"wireguard":{"privateKeyPath":"$tmp/short"}}
EOC
run
check check_bootstrap_cache_exit_1 [ "$rc" -eq 1 ]
check check_bootstrap_cache_notice has "^notice: c.json: bootstrap mode: \
checked with the node configuration cached in $tmp/state/nodeconf.json"
check check_bootstrap_cache_key has "^error: c.json: wireguard.privateKeyPath: \
$tmp/short: not a base64 WireGuard key of 32 bytes$"
check check_bootstrap_cache_bird has "^warning: c.json: bird.controlSocket: \
$tmp/cached-bird.ctl does not exist"

finish
