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

REGRESS_PROGS+=	regress/state/statefile_test
REGRESS_TESTS+=	regress/state/statefile_test

regress/state/statefile_test: regress/state/statefile_test.o \
    parent/core/statefile.o common/log.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

REGRESS_PROGS+=	regress/state/sessiondoc_test
REGRESS_TESTS+=	regress/state/sessiondoc_test

regress/state/sessiondoc_test: regress/state/sessiondoc_test.o \
    parent/core/sessiondoc.o parent/core/jdom.o wgctl/key.o common/log.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

REGRESS_PROGS+=	regress/state/store_test
REGRESS_TESTS+=	regress/state/store_test

regress/state/store_test: regress/state/store_test.o parent/core/store.o \
    parent/core/statefile.o parent/core/jdom.o parent/core/jw.o \
    parent/core/degraded.o common/util.o common/log.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

REGRESS_TESTS+=	regress/state/store.sh
