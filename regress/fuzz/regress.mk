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

# libFuzzer harnesses (clang), one per parser facing outside data.
# "make fuzz-build" builds them; regress/fuzz/run.sh (make check) runs
# each briefly over its seeds; "make fuzz" runs each for ten minutes
# (regress/fuzz/long.sh; FUZZ_LONG=seconds, FUZZ_NAMES=which).
FUZZ_CC?=	clang
FUZZ_CFLAGS=	-g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -std=gnu11 -D_GNU_SOURCE \
		-I. -Icommon \
		$(shell $(PKG_CONFIG) --cflags yajl libbsd-overlay)
FUZZ_LIBS=	$(shell $(PKG_CONFIG) --libs yajl libbsd-overlay)

REGRESS_TESTS+=	regress/fuzz/run.sh
CLEANFILES+=	regress/fuzz/fuzz_cpjson

.PHONY: fuzz-build
fuzz: fuzz-build
	sh regress/fuzz/long.sh

fuzz-build: regress/fuzz/fuzz_cpjson

regress/fuzz/fuzz_cpjson: regress/fuzz/fuzz_cpjson.c $(CPJSON_SRCS) \
    common/log.c common/util.c $(wildcard fetcher/*.h) common/cp.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS)

# The configuration parser (parent/core/config.c).
CLEANFILES+=	regress/fuzz/fuzz_config

fuzz-build: regress/fuzz/fuzz_config

regress/fuzz/fuzz_config: regress/fuzz/fuzz_config.c parent/core/config.c \
    parent/core/confdiag.c parent/core/jdom.c common/log.c common/util.c \
    parent/core/config.h \
    parent/core/jdom.h common/moenet.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iparent -o $@ $(filter %.c,$^) \
	    $(FUZZ_LIBS)

# The bot's tool targets.
CLEANFILES+=	regress/fuzz/fuzz_target

fuzz-build: regress/fuzz/fuzz_target

regress/fuzz/fuzz_target: regress/fuzz/fuzz_target.c fetcher/target.c \
    fetcher/target.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS)

# The bot API's parsers: request bodies, BIRD route replies.
CLEANFILES+=	regress/fuzz/fuzz_botdata

fuzz-build: regress/fuzz/fuzz_botdata

regress/fuzz/fuzz_botdata: regress/fuzz/fuzz_botdata.c fetcher/reqbody.c \
    birdctl/birdroute.c birdctl/birdproto.c birdctl/birdcmd.c \
    fetcher/reqbody.h birdctl/birdroute.h birdctl/birdproto.h common/bird.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS)

# The DNS decoder of the bot's dig.
CLEANFILES+=	regress/fuzz/fuzz_dns

fuzz-build: regress/fuzz/fuzz_dns

regress/fuzz/fuzz_dns: regress/fuzz/fuzz_dns.c fetcher/dns.c fetcher/diagout.c \
    fetcher/dns.h fetcher/diagout.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS)

# BIRD's replies: the framer and the reply parsers, through the dump of
# the fixture tests (regress/bird/birddump.c).
CLEANFILES+=	regress/fuzz/fuzz_bird

fuzz-build: regress/fuzz/fuzz_bird

regress/fuzz/fuzz_bird: regress/fuzz/fuzz_bird.c regress/bird/birddump.c \
    birdctl/birdproto.c birdctl/birdparse.c birdctl/birdcmd.c common/log.c \
    regress/bird/birddump.h birdctl/birdparse.h birdctl/birdproto.h \
    common/bird.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS)

# What the kernel and wireguard-go answer: UAPI, generic netlink,
# rtnetlink (fuzz_wg.c stands in for libmnl's socket calls).
CLEANFILES+=	regress/fuzz/fuzz_wg

fuzz-build: regress/fuzz/fuzz_wg

regress/fuzz/fuzz_wg: regress/fuzz/fuzz_wg.c wgctl/wg_uapi.c wgctl/wg_genl.c \
    wgctl/rtnl.c wgctl/wg.c wgctl/key.c common/log.c wgctl/wg.h \
    wgctl/wg_uapi.h wgctl/wg_genl.h wgctl/rtnl.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_LIBS) \
	    $(shell $(PKG_CONFIG) --libs libmnl libmd)

# The files read back at start: the store (state.json) and the files it
# migrates (session, maintenance and mesh state), the cached node
# configuration, the previous agent's peer files (birdfiles.c,
# included).  maint.c and mesh.c are included for their
# static loaders; what they call past loading (apply, render, the control
# plane) is not linked: a call would end the run as a finding.
CLEANFILES+=	regress/fuzz/fuzz_state

fuzz-build: regress/fuzz/fuzz_state

regress/fuzz/fuzz_state: regress/fuzz/fuzz_state.c \
    regress/fuzz/fuzz_state_stubs.c parent/tasks/maint.c \
    parent/tasks/mesh.c parent/tasks/disabled.c parent/ports/birdfiles.c \
    parent/tasks/state.c parent/core/statefile.c \
    parent/core/store.c parent/core/session.c parent/core/sessiondoc.c \
    parent/core/jdom.c parent/core/jw.c parent/core/degraded.c \
    parent/core/config.c parent/core/confdiag.c \
    wgctl/key.c common/log.c common/util.c
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iparent \
	    -o $@ \
	    $(filter-out parent/tasks/maint.c parent/tasks/mesh.c \
	    parent/tasks/disabled.c parent/ports/birdfiles.c,$(filter %.c,$^)) \
	    $(FUZZ_LIBS) $(shell $(PKG_CONFIG) --libs libmd libevent)

# The local HTTP API's request parser (fetcher/httpd.c, included).
CLEANFILES+=	regress/fuzz/fuzz_httpd

fuzz-build: regress/fuzz/fuzz_httpd

regress/fuzz/fuzz_httpd: regress/fuzz/fuzz_httpd.c fetcher/httpd.c \
    fetcher/reqbody.c fetcher/target.c common/imsg.c common/imsgev.c \
    common/log.c common/util.c fetcher/httpd.h fetcher/reqbody.h \
    fetcher/target.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Ifetcher -o $@ \
	    $(filter-out fetcher/httpd.c,$(filter %.c,$^)) $(FUZZ_LIBS) \
	    $(shell $(PKG_CONFIG) --libs libevent)

# The control socket: the imsg reader and parent/outputs/control.c's requests
# (included; fuzz_ctl.c answers for the engine, BIRD and the bot API).
CLEANFILES+=	regress/fuzz/fuzz_ctl

fuzz-build: regress/fuzz/fuzz_ctl

regress/fuzz/fuzz_ctl: regress/fuzz/fuzz_ctl.c parent/outputs/control.c \
    parent/core/session_find.c \
    parent/core/session.c parent/core/pending.c parent/core/status.c \
    fetcher/target.c common/imsg.c common/log.c \
    common/util.c common/ctl.h common/imsg.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iparent -o $@ \
	    $(filter-out parent/outputs/control.c,$(filter %.c,$^)) $(FUZZ_LIBS) \
	    $(shell $(PKG_CONFIG) --libs libevent)

# The firewall's nf_tables reply parsers (wgctl/nftmsg.c); seeds laid out
# as the kernel dumps them: a chain with its hook and policy, iptables-nft's
# rule with an xt comment match, nft's rule with a comment in its user
# data, a generation.
CLEANFILES+=	regress/fuzz/fuzz_nft

fuzz-build: regress/fuzz/fuzz_nft

regress/fuzz/fuzz_nft: regress/fuzz/fuzz_nft.c wgctl/nftmsg.c \
    wgctl/nftmsg.h
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(shell $(PKG_CONFIG) --cflags libmnl) \
	    -o $@ $(filter %.c,$^) $(FUZZ_LIBS) \
	    $(shell $(PKG_CONFIG) --libs libmnl)
