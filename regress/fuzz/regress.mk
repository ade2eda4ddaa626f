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

# libFuzzer harness for the control-plane parsers.  "make fuzz" builds
# it with clang; regress/fuzz/run.sh builds it and runs it briefly over
# the regress/json fixtures, or says why it cannot.
FUZZ_CC?=	clang
FUZZ_CFLAGS=	-g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -std=gnu11 -I. -Icommon \
		$(shell $(PKG_CONFIG) --cflags yajl libbsd-overlay)
FUZZ_LIBS=	$(shell $(PKG_CONFIG) --libs yajl libbsd-overlay)

REGRESS_TESTS+=	regress/fuzz/run.sh
CLEANFILES+=	regress/fuzz/fuzz_cpjson

fuzz: regress/fuzz/fuzz_cpjson

regress/fuzz/fuzz_cpjson: regress/fuzz/fuzz_cpjson.c $(CPJSON_SRCS) \
    common/log.c $(wildcard fetcher/*.h) common/cp.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS)

# The configuration parser (parent/core/config.c), run by config.sh over the
# regress/config fixtures.
REGRESS_TESTS+=	regress/fuzz/config.sh
CLEANFILES+=	regress/fuzz/fuzz_config

fuzz: regress/fuzz/fuzz_config

regress/fuzz/fuzz_config: regress/fuzz/fuzz_config.c parent/core/config.c \
    parent/core/confdiag.c parent/core/jdom.c common/log.c parent/core/config.h \
    parent/core/jdom.h common/moenet.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iparent -o $@ $(filter %.c,$^) \
	    $(FUZZ_LIBS)

# The bot's tool targets.
CLEANFILES+=	regress/fuzz/fuzz_target

fuzz: regress/fuzz/fuzz_target

regress/fuzz/fuzz_target: regress/fuzz/fuzz_target.c fetcher/target.c \
    fetcher/target.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS)

# The bot API's parsers: request bodies, BIRD route replies.
CLEANFILES+=	regress/fuzz/fuzz_botdata

fuzz: regress/fuzz/fuzz_botdata

regress/fuzz/fuzz_botdata: regress/fuzz/fuzz_botdata.c fetcher/reqbody.c \
    birdctl/birdroute.c birdctl/birdproto.c birdctl/birdcmd.c \
    fetcher/reqbody.h birdctl/birdroute.h birdctl/birdproto.h common/bird.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS)

# The DNS decoder of the bot's dig.
CLEANFILES+=	regress/fuzz/fuzz_dns

fuzz: regress/fuzz/fuzz_dns

regress/fuzz/fuzz_dns: regress/fuzz/fuzz_dns.c fetcher/dns.c fetcher/diagout.c \
    fetcher/dns.h fetcher/diagout.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS)

# The nf_tables reply parsers of the firewall (wgctl/nftmsg.c), run by
# nft.sh over dumps the kernel gave.
REGRESS_TESTS+=	regress/fuzz/nft.sh
CLEANFILES+=	regress/fuzz/fuzz_nft

fuzz: regress/fuzz/fuzz_nft

regress/fuzz/fuzz_nft: regress/fuzz/fuzz_nft.c wgctl/nftmsg.c \
    wgctl/nftmsg.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(shell $(PKG_CONFIG) --cflags libmnl) \
	    -o $@ $(filter %.c,$^) $(FUZZ_LIBS) \
	    $(shell $(PKG_CONFIG) --libs libmnl)
