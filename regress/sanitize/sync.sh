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

# sync.sh DIR: DIR becomes a copy of the tree's sources (what git
# tracks or would, as it is in the work tree), objects left alone, so
# that the sanitizer build there only rebuilds what changed.

top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1
case $dir in
/*)	;;
*)	dir=$top/$dir ;;
esac
mkdir -p "$dir" || exit 1
cd "$top" || exit 1
# Copied only when newer, so that make sees unchanged files as old;
# files deleted but not yet committed are no error.
git ls-files -co --exclude-standard -z | xargs -0 cp --parents -u -p \
    -t "$dir" 2>/dev/null
exit 0
