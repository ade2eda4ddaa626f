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
# perf: what a sync costs with N sessions, against the engine lab.

REGRESS_PROGS+=	regress/perf/sched_test
REGRESS_TESTS+=	regress/perf/sched_test regress/perf/nsync.sh
CLEANFILES+=	regress/perf/*.o regress/perf/*.d

regress/perf/sched_test: regress/perf/sched_test.o parent/core/sched.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
