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

# Builds the nf_tables reply parser fuzzer and runs it briefly over
# seeds laid out as the kernel dumps them: a chain with its hook and
# policy, iptables-nft's rule with an xt comment match, nft's rule with
# a comment in its user data, a generation.

. "$(dirname "$0")/../lib.sh"

: "${FUZZ_TIME:=20}"
cd "$TOP" || exit 1

. regress/fuzz/fuzzlib.sh
fuzz_setup fuzz-nft
fuzz_build fuzz-nft regress/fuzz/fuzz_nft
mkdir "$work/corpus"
python3 - "$work/corpus" <<'EOP'
import struct, sys
d = sys.argv[1]
def attr(t, v):
    n = 4 + len(v)
    return struct.pack("=HH", n, t) + v + b"\0" * ((4 - n % 4) % 4)
def nest(t, *a):
    return attr(t | 0x8000, b"".join(a))
def s(x):
    return x.encode() + b"\0"
def u32(x):
    return struct.pack("!I", x)
def msg(t, fam, *a):
    body = struct.pack("!BBH", fam, 0, 0) + b"".join(a)
    return struct.pack("=IHHII", 16 + len(body), (10 << 8) | t, 2, 1, 0) + body
def expr(name, *a):
    return nest(1, attr(1, s(name)), nest(2, *a))
comment = b"moenet-dn42-4242".ljust(256, b"\0")
common = [expr("meta", attr(1, u32(1)), attr(2, u32(16))),
          expr("cmp", attr(1, u32(1)), attr(2, u32(0)),
               nest(3, attr(1, b"\x11"))),
          expr("payload", attr(1, u32(1)), attr(2, u32(2)),
               attr(3, u32(2)), attr(4, u32(2)))]
seeds = {
 "chain": msg(3, 2, attr(1, s("filter")), attr(3, s("INPUT")),
              nest(4, attr(1, u32(1)), attr(2, u32(0))), attr(5, u32(0))),
 "xtrule": msg(6, 2, attr(1, s("filter")), attr(2, s("INPUT")),
               attr(3, struct.pack("!Q", 5)),
               nest(4, *common, expr("match", attr(1, s("comment")),
                    attr(2, u32(0)), attr(3, comment)))),
 "nftrule": msg(6, 1, attr(1, s("filter")), attr(2, s("input")),
                attr(3, struct.pack("!Q", 9)), nest(4, *common),
                attr(7, b"\0\x11moenet-dn42-4243\0")),
 "genid": msg(15, 0, attr(1, u32(42))),
}
seeds["dump"] = seeds["chain"] + seeds["xtrule"] + seeds["nftrule"]
for k, v in seeds.items():
    open(d + "/" + k, "wb").write(v)
EOP
fuzz_run fuzz-nft regress/fuzz/fuzz_nft "$FUZZ_TIME" 4096 "$work/corpus"
finish
