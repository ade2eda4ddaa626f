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

# birdctl and the parent's apply pipeline against a real BIRD 2 in a
# network namespace (root only): run.sh sets up, apply_test runs the
# sandboxed birdctl child from the agent binary and parent/ports/bird.c and
# parent/ports/apply.c in its own event loop.
REGRESS_PROGS+=	regress/birdctl/apply_test
REGRESS_TESTS+=	regress/birdctl/run.sh
CLEANFILES+=	regress/birdctl/*.o regress/birdctl/*.d

BIRDCTL_TEST_OBJS= parent/ports/bird.o parent/ports/apply.o parent/core/route.o \
		parent/ports/birdfiles.o parent/core/statefile.o parent/core/store.o \
		parent/core/pending.o parent/core/reap.o parent/ports/birdcheck.o \
		parent/core/degraded.o parent/core/jdom.o parent/core/jw.o \
		birdctl/birdcmd.o \
		birdctl/birdparse.o birdctl/birdproto.o common/log.o \
		common/imsg.o common/imsgev.o common/memtrim.o common/util.o common/proc.o \
		common/sandbox.o

regress/birdctl/apply_test: regress/birdctl/apply_test.o regress/child.o \
    $(BIRDCTL_TEST_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
