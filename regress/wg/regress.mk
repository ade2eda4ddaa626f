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
# wgctl: encoders, parsers, keys, the diff, and real wireguard-go.

WG_OBJS=	wgctl/wg.o wgctl/key.o common/log.o
WG_TEST_OBJS=	regress/wg/wgtest.o $(WG_OBJS)

REGRESS_PROGS+=	regress/wg/key_test \
		regress/wg/genl_test \
		regress/wg/uapi_test \
		regress/wg/diff_test \
		regress/wg/rtnl_test \
		regress/wg/pubaddr_test \
		regress/wg/wgapply \
		regress/wg/genl_real

REGRESS_TESTS+=	regress/wg/key_test \
		regress/wg/genl_test \
		regress/wg/uapi_test \
		regress/wg/diff_test \
		regress/wg/pubaddr_test \
		regress/wg/rtnl.sh \
		regress/wg/real.sh \
		regress/wg/genl_real.sh

CLEANFILES+=	regress/wg/*.out

regress/wg/key_test: regress/wg/key_test.o $(WG_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

regress/wg/genl_test: regress/wg/genl_test.o wgctl/wg_genl.o $(WG_TEST_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

regress/wg/uapi_test: regress/wg/uapi_test.o wgctl/wg_uapi.o $(WG_TEST_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

regress/wg/diff_test: regress/wg/diff_test.o wgctl/wg_diff.o wgctl/rtnl.o \
    wgctl/wg_uapi.o $(WG_TEST_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

regress/wg/rtnl_test: regress/wg/rtnl_test.o wgctl/rtnl.o wgctl/wg_diff.o \
    $(WG_TEST_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

regress/wg/pubaddr_test: regress/wg/pubaddr_test.o wgctl/pubaddr.o \
    wgctl/rtnl.o common/log.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

regress/wg/wgapply: regress/wg/wgapply.o wgctl/rtnl.o wgctl/wg_diff.o \
    wgctl/wg_uapi.o $(WG_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

regress/wg/genl_real: regress/wg/genl_real.o wgctl/wg_genl.o $(WG_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
