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

# The firewall (wgctl/nft.c, parent/ports/firewall.c) against the kernel's
# nf_tables set up by iptables-nft and by nft, with real wireguard-go
# tunnels in two network namespaces (root only).
REGRESS_PROGS+=	regress/firewall/fw_test
REGRESS_TESTS+=	regress/firewall/run.sh \
		regress/firewall/agent.sh \
		regress/firewall/dropin.sh
CLEANFILES+=	regress/firewall/*.o regress/firewall/*.d

FW_TEST_OBJS=	parent/ports/firewall.o parent/core/jw.o parent/ports/wg.o parent/ports/render.o \
		parent/core/reap.o \
		parent/core/statefile.o parent/core/route.o parent/core/pending.o \
		parent/core/store.o parent/core/degraded.o \
		parent/core/reload.o parent/core/config.o parent/core/confdiag.o \
		parent/core/jdom.o wgctl/key.o wgctl/wg.o wgctl/wg_uapi.o \
		common/log.o common/imsg.o common/imsgev.o common/util.o \
		common/memtrim.o common/proc.o common/sandbox.o

regress/firewall/fw_test: regress/firewall/fw_test.o regress/child.o \
    $(FW_TEST_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
