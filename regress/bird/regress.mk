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

# BIRD control-socket framer, command formatter and reply parsers.
# regress/bird/capture.sh (root) re-captures fixtures/*.live-*.raw from
# the installed BIRD.  "make bird-update-ok" rewrites the .ok files
# from the parsers' current output: review the diff by eye.

BIRD_OBJS=	birdctl/birdproto.o birdctl/birdcmd.o birdctl/birdparse.o \
		common/log.o
BIRD_DUMP=	regress/bird/birddump.o

REGRESS_PROGS+=	regress/bird/cmd_test \
		regress/bird/frame_test \
		regress/bird/parse_test \
		regress/bird/state_test
REGRESS_TESTS+=	regress/bird/cmd_test \
		regress/bird/frame_test \
		regress/bird/parse_test \
		regress/bird/state_test
CLEANFILES+=	regress/bird/*.o regress/bird/*.d

regress/bird/cmd_test: regress/bird/cmd_test.o $(BIRD_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

regress/bird/frame_test: regress/bird/frame_test.o $(BIRD_DUMP) $(BIRD_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

regress/bird/parse_test: regress/bird/parse_test.o $(BIRD_DUMP) $(BIRD_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
regress/bird/state_test: regress/bird/state_test.o $(BIRD_DUMP) $(BIRD_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

.PHONY: bird-update-ok
bird-update-ok: regress/bird/parse_test
	regress/bird/parse_test -u
