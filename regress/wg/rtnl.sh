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

# rtnetlink against the real kernel, in a network namespace of its own,
# after the encoder and parser cases that need no privilege.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/regress/lib.sh"
HERE=$TOP/regress/wg

"$HERE/rtnl_test" || failures=$((failures + 1))
need_root rtnl_real
NS=mnt-wg-rt-$$
trap 'ip netns del "$NS" 2>/dev/null' EXIT
ip netns add "$NS" || { fail rtnl_real "cannot create $NS"; finish; }
ip netns exec "$NS" "$HERE/rtnl_test" -r || failures=$((failures + 1))
finish
