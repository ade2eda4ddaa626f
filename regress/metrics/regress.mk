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

# The metrics task and the Prometheus text: metrics_test drives
# parent/tasks/metrics.c with stand-ins for BIRD, wgctl and the control plane
# and checks the text with promtool; report.sh posts a real report from
# the engine lab; observe.sh checks what an operator sees (issue 18):
# /metrics with promtool, the log over a control-plane outage, BIRD down;
# journal.sh the syslog priority on each line when stderr is the journal.
REGRESS_PROGS+=	regress/metrics/metrics_test
REGRESS_TESTS+=	regress/metrics/metrics_test \
		regress/metrics/report.sh \
		regress/metrics/observe.sh \
		regress/metrics/journal.sh
CLEANFILES+=	regress/metrics/*.o regress/metrics/*.d

regress/metrics/metrics_test: regress/metrics/metrics_test.o \
    parent/tasks/metrics.o parent/core/session.o parent/core/degraded.o \
    parent/ports/cphealth.o \
    common/log.o common/util.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
