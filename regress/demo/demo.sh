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
# make demo: what a newcomer runs first.  Starts the agent in the
# foreground with a throwaway configuration, shows its log, its three
# sandboxed children as the kernel sees them, and stops it again.

set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
AGENT=$TOP/moenet-agent

if [ "$(id -u)" != 0 ]; then
	cat <<EOT
make demo needs root: the agent starts its children by changing their
user to _moenet, chrooting them and giving wgctl CAP_NET_ADMIN, and the
demo lab uses network namespaces.  Run it as root (sudo make demo).
EOT
	exit 1
fi

tmp=$(mktemp -d /tmp/moenet-demo-XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"$tmp/config.json" <<EOC
{
	"node": { "name": "demo-edge", "id": 1 },
	"controlPlane": { "url": "https://127.0.0.1:8443", "token": "demo-token" },
	"wireguard": { "dn42Ipv4": "172.20.0.1",
	    "dn42Ipv6": "fd00:4242:7777:101:4::1",
	    "privateKeyPath": "$tmp/wg.key" },
	"state": { "dir": "$tmp/state" },
	"control": { "socket": "$tmp/ctl.sock" },
	"log": { "format": "text", "level": "debug" }
}
EOC
chmod 600 "$tmp/config.json"

echo "==> moenet-agent -n checks the configuration"
"$AGENT" -n -f "$tmp/config.json"
echo
echo "==> starting moenet-agent -d (log follows)"
"$AGENT" -d -f "$tmp/config.json" 2>&1 | sed -u 's/^/    /' &
i=0
while [ $i -lt 100 ]; do
	pid=$(pgrep -f 'moenet-agent: \[priv\]' | head -n 1)
	[ -n "$pid" ] && [ "$(pgrep -P "$pid" | wc -l)" -eq 3 ] && break
	sleep 0.1
	i=$((i + 1))
done
sleep 0.5
echo
echo "==> the processes, as the kernel sees them"
printf '    %-8s %-8s %-10s %-18s %-10s %s\n' PROCESS USER CHROOT CAPABILITIES NONEWPRIVS SECCOMP
for p in "$pid" $(pgrep -P "$pid"); do
	name=$(cat /proc/$p/comm)
	[ "$p" = "$pid" ] && name=parent
	user=$(ps -o user= -p "$p")
	root=$(readlink /proc/$p/root)
	[ "$root" = / ] && root=/ || root=empty
	cap=$(awk '$1 == "CapEff:" { print $2 }' /proc/$p/status)
	case $cap in
	0000000000000000) cap=none ;;
	0000000000001000) cap=CAP_NET_ADMIN ;;
	*) cap=all ;;
	esac
	nnp=$(awk '$1 == "NoNewPrivs:" { print $2 }' /proc/$p/status)
	sc=$(awk '$1 == "Seccomp:" { print $2 }' /proc/$p/status)
	[ "$sc" = 2 ] && sc=filter || sc=off
	printf '    %-8s %-8s %-10s %-18s %-10s %s\n' "$name" "$user" "$root" "$cap" "$nnp" "$sc"
done
echo
echo "==> SIGTERM: orderly shutdown, exit 0"
kill "$pid"
wait 2>/dev/null
pid=
echo
echo "Next: man ./man/moenet-agent.8, man ./man/moenet-agent.conf.5,"
echo "and make check to run every test."
