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

# debroot.sh CACHE [recommends]: make sure CACHE/debroot is a Debian 12
# root as the control plane's bootstrap script leaves a new router:
# debootstrap --variant=minbase bookworm, then "apt-get install
# wireguard-tools iptables-persistent curl" and bird2, without their
# recommends; with "recommends", CACHE/debroot-rec with them, as the
# script's plain apt-get does.  It takes a minute or more, so each is
# built once, under a lock, and reused; it lives outside the tree so
# that "make clean" and other worktrees keep it.  The package lists go
# beside it (packages.minbase, packages.installed[-rec]).
#
# The mirror is the one this machine's apt uses.  Exit 0: the root is
# ready; exit 2 with one line on stdout: it cannot be had here (no
# debootstrap, no mirror), which the caller reports as a skip; any other
# status is a failure.

set -u

CACHE=$1
ROOT=$CACHE/debroot
REC=--no-install-recommends
SUFFIX=
if [ "${2:-}" = recommends ]; then
	ROOT=$CACHE/debroot-rec
	REC=--install-recommends
	SUFFIX=-rec
fi
SUITE=bookworm
PKGS="wireguard-tools iptables-persistent curl bird2"

cannot() { echo "$*"; exit 2; }

# The first URI of this machine's apt sources that serves SUITE; for
# SUITE-security, the security archive.
apt_uri() {
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		awk -v s="$1" '$1 == "deb" {
			i = 2
			if ($i ~ /^\[/) {
				while (i < NF && $i !~ /\]$/)
					i++
				i++
			}
			if ($(i + 1) == s) { print $i; exit }
		}' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk -v s="$1" 'BEGIN { RS = ""; FS = "\n" } {
			uri = ""; hit = 0; on = 1
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^URIs:/) {
					split($i, u, /[ \t]+/)
					uri = u[2]
				}
				if ($i ~ /^Suites:/) {
					n = split($i, w, /[ \t]+/)
					for (j = 2; j <= n; j++)
						if (w[j] == s)
							hit = 1
				}
				if ($i ~ /^Enabled:[ \t]*no/)
					on = 0
			}
			if (hit && on && uri != "") { print uri; exit }
		}' "$f"
	done
}

[ "$(id -u)" = 0 ] || cannot "needs root"
command -v debootstrap >/dev/null 2>&1 ||
    cannot "debootstrap is not installed (make deps installs it)"
command -v flock >/dev/null 2>&1 || cannot "flock is not installed"
command -v unshare >/dev/null 2>&1 || cannot "unshare is not installed"
mkdir -p "$CACHE" || exit 1

exec 9>"$CACHE/lock$SUFFIX"
# Another run may be building it: wait for that one, bounded.
flock -w 1800 9 || cannot "$CACHE/lock$SUFFIX held for 30 minutes"
[ -f "$ROOT/.moenet-ready" ] && exit 0

MIRROR=$(apt_uri $SUITE | head -n 1)
[ -n "$MIRROR" ] || cannot "no Debian $SUITE archive in /etc/apt/sources"
SECURITY=$(apt_uri $SUITE-security | head -n 1)

rm -rf "$ROOT" "$ROOT.tmp"
echo "# debootstrap --variant=minbase $SUITE from $MIRROR" >&2
if ! debootstrap --variant=minbase $SUITE "$ROOT.tmp" "$MIRROR" \
    >"$CACHE/debootstrap$SUFFIX.log" 2>&1; then
	rm -rf "$ROOT.tmp"
	cannot "debootstrap from $MIRROR failed (see" \
	    "$CACHE/debootstrap$SUFFIX.log:" \
	    "$(tail -n 1 "$CACHE/debootstrap$SUFFIX.log"))"
fi
chroot "$ROOT.tmp" dpkg-query -W -f '${Package} ${Version}\n' \
    >"$CACHE/packages.minbase" || exit 1

{
	echo "deb $MIRROR $SUITE main"
	echo "deb $MIRROR $SUITE-updates main"
	[ -n "$SECURITY" ] && echo "deb $SECURITY $SUITE-security main"
} >"$ROOT.tmp/etc/apt/sources.list"
cp /etc/resolv.conf "$ROOT.tmp/etc/resolv.conf"
# No service starts inside the root (bird2's postinst would try).
printf '#!/bin/sh\nexit 101\n' >"$ROOT.tmp/usr/sbin/policy-rc.d"
chmod 0755 "$ROOT.tmp/usr/sbin/policy-rc.d"

# What the bootstrap script runs.  Without the recommends is the
# stricter case: they only add packages (among them ca-certificates and
# a kernel image for wireguard-modules, which a real router has anyway).
echo "# apt-get install $REC $PKGS" >&2
if ! unshare --mount --fork sh -c '
	set -e
	r=$1
	shift
	mount -t proc proc "$r/proc"
	mount --rbind /dev "$r/dev"
	export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
	chroot "$r" apt-get update -qq
	chroot "$r" apt-get install -y -qq "$@"
	chroot "$r" apt-get clean
' sh "$ROOT.tmp" $REC $PKGS >"$CACHE/apt$SUFFIX.log" 2>&1; then
	cannot "apt-get install in the root failed (see" \
	    "$CACHE/apt$SUFFIX.log: $(tail -n 1 "$CACHE/apt$SUFFIX.log"))"
fi
chroot "$ROOT.tmp" dpkg-query -W -f '${Package} ${Version}\n' \
    >"$CACHE/packages.installed$SUFFIX" || exit 1

touch "$ROOT.tmp/.moenet-ready"
mv "$ROOT.tmp" "$ROOT"
exit 0
