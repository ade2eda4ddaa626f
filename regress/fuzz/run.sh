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

# Builds the control-plane parser fuzzer and runs it for a bounded time
# over the regress/json fixtures, and the bot tools' parsers (targets,
# DNS replies) for half that each.  Skips, saying why, where clang has no
# libFuzzer (Debian: the clang package, which brings libclang-rt-dev).

. "$(dirname "$0")/../lib.sh"

: "${FUZZ_TIME:=20}"
cd "$TOP" || exit 1

. regress/fuzz/fuzzlib.sh
fuzz_setup fuzz-cpjson
fuzz_build fuzz fuzz
mkdir "$work/corpus"
cp regress/json/fixtures/*.json "$work/corpus/"
fuzz_run fuzz-cpjson regress/fuzz/fuzz_cpjson "$FUZZ_TIME" 16384 \
    "$work/corpus" \
    -dict=regress/fuzz/cpjson.dict

# The tool target parser: seeds of each kind, the first byte choosing
# the kinds allowed.
mkdir "$work/tcorpus"
for s in 172.20.0.53 fd00::1 172.20.0.0/14 fd00::/8 example.dn42 \
    example.dn42:443 '[fd00::1]:179' 1.2.3.4:80 a..b -c; do
	printf '\017%s' "$s" >"$work/tcorpus/$(printf '%s' "$s" | md5sum |
	    cut -c1-8)"
done
fuzz_run fuzz-target regress/fuzz/fuzz_target $(((FUZZ_TIME + 1) / 2)) 300 \
    "$work/tcorpus"

# The bot API's parsers: seeds are the BIRD replies of regress/bot
# (first byte 1: streamed community count, 2: route lookup) and a body.
mkdir "$work/bcorpus"
for f in regress/bot/fixtures/*.raw; do
	for m in 1 2; do
		{ printf "\\00$m"; tail -n +2 "$f"; } \
		    >"$work/bcorpus/$m-$(basename "$f")"
	done
done
printf '\000{"target":"172.20.0.1","asn":4242420002}' >"$work/bcorpus/body"
fuzz_run fuzz-botdata regress/fuzz/fuzz_botdata "$FUZZ_TIME" 16384 \
    "$work/bcorpus"

# The DNS decoder: seeds are replies as servers send them (compression,
# NXDOMAIN with an SOA, TXT, EDNS).
mkdir "$work/dcorpus"
python3 - "$work/dcorpus" <<'EOP'
import struct, sys
d = sys.argv[1]
def name(n):
    return b"".join(bytes([len(l)]) + l.encode() for l in n.split(".")) + b"\0"
q = name("far.test") + struct.pack("!HH", 1, 1)
opt = b"\0" + struct.pack("!HHIH", 41, 1232, 0, 0)
seeds = {
 "a": struct.pack("!6H", 1, 0x8580, 1, 1, 0, 1) + q +
      struct.pack("!HHHIH", 0xC00C, 1, 1, 300, 4) + bytes([10, 0, 0, 1]) + opt,
 "nx": struct.pack("!6H", 2, 0x8183, 1, 0, 1, 0) + q + name("test") +
      struct.pack("!HHIH", 6, 1, 60, 20 + 2 + 2) + b"\xc0\x15\xc0\x15" +
      struct.pack("!5I", 1, 2, 3, 4, 5),
 "txt": struct.pack("!6H", 3, 0x8180, 1, 1, 0, 0) + q +
      struct.pack("!HHHIH", 0xC00C, 16, 1, 60, 12) + b"\x05hello\x05world",
 "mx": struct.pack("!6H", 4, 0x8180, 1, 1, 0, 0) + q +
      struct.pack("!HHHIH", 0xC00C, 15, 1, 60, 4) + b"\x00\x0a\xc0\x0c",
}
for k, v in seeds.items():
    open("%s/%s" % (d, k), "wb").write(v)
EOP
fuzz_run fuzz-dns regress/fuzz/fuzz_dns $(((FUZZ_TIME + 1) / 2)) 1500 \
    "$work/dcorpus"
finish
