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

# Control-plane JSON: reply parsers against fixtures, request bodies
# against golden text.
REGRESS_PROGS+=	regress/json/cpjson_test regress/json/cpbody_test
REGRESS_TESTS+=	regress/json/cpjson_test regress/json/cpbody_test
CLEANFILES+=	regress/json/*.o

regress/json/cpjson_test: regress/json/cpjson_test.o $(CPJSON_OBJS) \
    common/log.o common/util.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

regress/json/cpbody_test: regress/json/cpbody_test.o $(CPJSON_OBJS) \
    common/log.o common/util.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
