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
# bird3.sh: BIRD 3, built once per machine from the vendored source
# (../shared/vendor/bird-3.1.8.tar.gz beside the project) into a cache
# outside the tree.  Prints the installation's prefix (sbin/bird,
# sbin/birdc) and exits 0; exits 2 with the reason on the last line
# where it cannot be had.  Takes about 80 s the first time on 2 cores.

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
VERSION=3.1.8
TARBALL=${MOENET_BIRD3_TARBALL:-$TOP/../shared/vendor/bird-$VERSION.tar.gz}
CACHE=${MOENET_BIRD3_CACHE:-/var/cache/moenet-agent-test}
PREFIX=$CACHE/bird-$VERSION

if [ ! -f "$TARBALL" ]; then
	echo "no $TARBALL: BIRD 3 is not vendored on this machine"
	exit 2
fi
for t in autoreconf bison flex m4 make cc flock; do
	command -v $t >/dev/null 2>&1 ||
	    { echo "$t is not installed (make deps)"; exit 2; }
done
mkdir -p "$CACHE" || { echo "cannot create $CACHE"; exit 2; }
sum=$(sha256sum "$TARBALL" | cut -d' ' -f1)
(
	flock 9
	if [ -x "$PREFIX/sbin/bird" ] &&
	    [ "$(cat "$PREFIX/.source" 2>/dev/null)" = "$sum" ]; then
		exit 0
	fi
	rm -rf "$PREFIX" "$CACHE/bird-build"
	mkdir -p "$CACHE/bird-build"
	log=$CACHE/bird-build.log
	if ! (cd "$CACHE/bird-build" && tar xzf "$TARBALL" &&
	    cd "bird-$VERSION" && autoreconf -i &&
	    ./configure --prefix="$PREFIX" --sysconfdir="$PREFIX/etc" \
	    --runstatedir="$PREFIX/run" &&
	    make -j2 && make install) >"$log" 2>&1; then
		echo "BIRD $VERSION does not build: $(tail -n 3 "$log" |
		    tr '\n' ' ')"
		exit 2
	fi
	echo "$sum" >"$PREFIX/.source"
	rm -rf "$CACHE/bird-build"
) 9>"$CACHE/bird3.lock" >"$CACHE/bird3.why" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
	tail -n 1 "$CACHE/bird3.why"
	exit 2
fi
echo "$PREFIX"
