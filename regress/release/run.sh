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
# The release artifact (make release) on a Debian 12 machine that has
# only what the control plane's bootstrap script installs: a
# debootstrap minbase root plus wireguard-tools, iptables-persistent,
# curl and bird2 (regress/release/debroot.sh builds it once, outside
# the tree).  The agent is copied to /opt/moenet-agent/moenet-agent, as
# the script downloads it, with the script's config.json beside it, and
# run in the root (chroot, in private mount, network and PID
# namespaces, on an overlay so that the cached root stays as built):
# -V, ldd, -n, and a start against an unreachable control plane that
# must start its children, stay up, say so, and stop on SIGTERM with
# status 0.  Without recommends first (the stricter case), then with
# them when that root can be had too.
#
# MOENET_RELEASE_CACHE overrides the cache (default
# /var/cache/moenet-agent-test).

. "$(dirname "$0")/../lib.sh"

CACHE=${MOENET_RELEASE_CACHE:-/var/cache/moenet-agent-test}
ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)
REL=${MOENET_RELEASE_BIN:-$TOP/moenet-agent-linux-$ARCH}
NODE=jp-edge
TOKEN=release-test-token-$$

# Inside the namespaces: $2 is the root to use, $3 the scratch dir,
# $4 the name suffix of the cases.
if [ "${1:-}" = inside ]; then
	LOWER=$2 W=$3 SFX=$4
	R=$W/root
	mkdir -p "$W/upper" "$W/work" "$R"
	if ! mount -t overlay overlay -o \
	    "lowerdir=$LOWER,upperdir=$W/upper,workdir=$W/work" "$R"; then
		# No overlayfs: a copy does as well, only slower.
		cp -a "$LOWER/." "$R/" || exit 1
	fi
	mount -t proc proc "$R/proc" &&
	    mount --rbind /dev "$R/dev" &&
	    mount -t tmpfs -o mode=0755 tmpfs "$R/run" &&
	    mount -t tmpfs -o mode=1777 tmpfs "$R/tmp" || exit 1
	ip link set lo up

	# What the bootstrap script leaves: the binary, its config (the
	# shell's umask: 0644) and the keys; bird2's own bird.conf stands
	# in for the script's stub, and BIRD is not running.
	install -d -m 0755 "$R/opt/moenet-agent" "$R/run/bird"
	install -m 0755 "$REL" "$R/opt/moenet-agent/moenet-agent"
	cat >"$R/opt/moenet-agent/config.json" <<EOF
{"bootstrap":{"apiUrl":"https://192.0.2.1:8443","nodeName":"$NODE","token":"$TOKEN"},"server":{"listen":":24368"}}
EOF
	chmod 0644 "$R/opt/moenet-agent/config.json"
	install -d -m 0700 "$R/etc/wireguard"
	chroot "$R" sh -c 'umask 077; wg genkey >/etc/wireguard/private.key &&
	    wg pubkey </etc/wireguard/private.key >/etc/wireguard/public.key'

	in_root() { chroot "$R" "$@"; }

	want=$("$TOP/moenet-agent" -V 2>&1)
	got=$(in_root /opt/moenet-agent/moenet-agent -V 2>&1)
	if [ "$got" = "$want" ]; then
		ok "release_version$SFX"
	else
		fail "release_version$SFX" "-V: \"$got\", want \"$want\""
	fi

	out=$(in_root ldd /opt/moenet-agent/moenet-agent 2>&1)
	if [ $? -eq 0 ] && ! echo "$out" | grep -q "not found"; then
		ok "release_ldd$SFX"
	else
		fail "release_ldd$SFX" "$(echo "$out" | grep "not found" |
		    tr '\n' ' ')"
	fi

	out=$(in_root sh -c "cd /opt/moenet-agent && ./moenet-agent -n" 2>&1)
	if [ $? -eq 0 ] && echo "$out" | grep -q "configuration OK"; then
		ok "release_check$SFX"
	else
		fail "release_check$SFX" "$out"
	fi

	# A start as the script's unit does it (Type=simple, from its
	# directory, no arguments), in a service's environment: its stderr
	# is the journal.  The root has no _moenet user.
	log=$W/agent.log
	chroot "$R" sh -c "cd /opt/moenet-agent && exec env \
	    INVOCATION_ID=0123456789abcdef JOURNAL_STREAM=8:1 \
	    ./moenet-agent" >"$log" 2>&1 &
	pid=$!
	# This shell is init here: an exited agent stays a zombie until
	# waited for, which kill -0 cannot tell from a live one.
	exited() {
		[ ! -r "$R/proc/$pid/stat" ] ||
		    [ "$(sed 's/.*) \(.\).*/\1/' "$R/proc/$pid/stat")" = Z ]
	}
	children() {
		for p in fetcher birdctl wgctl; do
			grep -qx "$p" "$R"/proc/[0-9]*/comm 2>/dev/null ||
			    return 1
		done
	}
	# Each wait ends early when the agent is gone.
	said() { grep -q "cannot fetch the node configuration" "$log"; }
	up() { children || exited; }
	down() { said || exited; }
	if wait_for 20 up && children; then
		ok "release_children$SFX"
	else
		fail "release_children$SFX" "not all of fetcher, birdctl," \
		    "wgctl running: $(tail -n 5 "$log" | tr '\n' ' ')"
	fi
	if wait_for 30 down && said && ! exited; then
		ok "release_cp_unreachable$SFX"
	else
		fail "release_cp_unreachable$SFX" "no word of the control" \
		    "plane, or exited: $(tail -n 5 "$log" | tr '\n' ' ')"
	fi
	if [ "$(stat -c %a "$R/opt/moenet-agent/config.json")" = 600 ]; then
		ok "release_config_tightened$SFX"
	else
		fail "release_config_tightened$SFX" "config.json is not 0600"
	fi
	if grep -q "no user _moenet: the children run as uid" "$log"; then
		ok "release_no_user$SFX"
	else
		fail "release_no_user$SFX" "$(tail -n 5 "$log" | tr '\n' ' ')"
	fi
	if grep -q "$TOKEN" "$log"; then
		fail "release_no_secret$SFX" "the token is in the log"
	else
		ok "release_no_secret$SFX"
	fi

	kill -TERM "$pid" 2>/dev/null
	if wait_for 15 exited; then
		wait "$pid"
		rc=$?
		if [ "$rc" -eq 0 ]; then
			ok "release_sigterm$SFX"
		else
			fail "release_sigterm$SFX" "exit status $rc:" \
			    "$(tail -n 5 "$log" | tr '\n' ' ')"
		fi
	else
		kill -KILL "$pid" 2>/dev/null
		fail "release_sigterm$SFX" "still running 15 s after SIGTERM"
	fi
	if [ -n "${MOENET_RELEASE_VERBOSE:-}" ]; then
		sed 's/^/# /' "$log"
	fi
	finish
fi

need_root release

if [ ! -x "$REL" ] || [ ! -f "$REL.sha256" ]; then
	fail release_artifact "$REL or its .sha256 missing (make release)"
	finish
fi
if (cd "$(dirname "$REL")" && sha256sum --quiet -c "$REL.sha256") \
    >/dev/null 2>&1; then
	ok release_sha256
else
	fail release_sha256 "$REL.sha256 does not match $REL"
fi
for t in unshare chroot ip; do
	if ! command -v $t >/dev/null 2>&1; then
		skip release_root "$t is not installed"
		finish
	fi
done

W=$(mktemp -d /tmp/release.$$.XXXXXX) || exit 1
# The mounts lived in the namespaces, gone by now; never remove a tree
# with something still mounted in it.
trap 'grep -q " $W/" /proc/mounts || rm -rf "$W"' EXIT

# Each root: built (or found) under the lock, then used under a shared
# one so that no rebuild starts under a running test.
for variant in minimal recommends; do
	sfx=
	root=$CACHE/debroot
	lock=$CACHE/lock
	if [ $variant = recommends ]; then
		sfx=_recommends
		root=$CACHE/debroot-rec
		lock=$CACHE/lock-rec
	fi
	why=$(sh "$TOP/regress/release/debroot.sh" "$CACHE" $variant;
	    echo "rc=$?")
	case $why in
	*rc=0)
		;;
	*rc=2)
		skip "release_root$sfx" "$(echo "$why" | sed '$d' | tail -n 1)"
		continue
		;;
	*)
		fail "release_root$sfx" "$(echo "$why" | tail -n 3 |
		    tr '\n' ' ')"
		continue
		;;
	esac
	mkdir -p "$W/$variant"
	flock -s -w 600 "$lock" unshare --mount --net --pid --fork \
	    --propagation private sh "$0" inside "$root" "$W/$variant" "$sfx" ||
	    failures=$((failures + 1))
done
finish
