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

# wgctl and the parent's tunnel management (parent/ports/wg.c) against real
# wireguard-go in two network namespaces (root only): run.sh sets up,
# wg_test runs the sandboxed wgctl child from the agent binary and
# parent/ports/wg.c in its own event loop, in two phases (the second is a
# restarted agent).
REGRESS_PROGS+=	regress/wgctl/wg_test
REGRESS_TESTS+=	regress/wgctl/run.sh
CLEANFILES+=	regress/wgctl/*.o regress/wgctl/*.d

WGCTL_TEST_OBJS= parent/ports/wg.o parent/ports/render.o parent/core/statefile.o \
		parent/core/reap.o \
		parent/core/route.o parent/core/pending.o parent/core/reload.o \
		parent/core/store.o parent/core/degraded.o parent/core/jw.o \
		parent/core/config.o parent/core/confdiag.o parent/core/jdom.o \
		wgctl/key.o wgctl/wg.o wgctl/wg_uapi.o common/log.o \
		common/imsg.o common/imsgev.o common/memtrim.o common/util.o common/proc.o \
		common/sandbox.o

regress/wgctl/wg_test: regress/wgctl/wg_test.o regress/child.o \
    $(WGCTL_TEST_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
