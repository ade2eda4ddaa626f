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

# The routing policy of bootstrap mode and maintenance: golden files
# and refusals (policy_test), "bird -p" over the rendered policy with a
# peer file (bird_test.sh), maintenance and the loopback addresses in
# the engine lab (maint.sh), and the policy end to end in bootstrap
# mode (bootstrap.sh); both as root.
REGRESS_PROGS+=	regress/policy/policy_test
REGRESS_TESTS+=	regress/policy/policy_test \
		regress/policy/bird_test.sh \
		regress/policy/maint.sh \
		regress/policy/bootstrap.sh

regress/policy/policy_test: regress/policy/policy_test.o regress/files.o \
    parent/ports/policy_render.o parent/ports/render.o common/util.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
