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

# The renderer: golden files and refusals (render_test), real "bird -p"
# over what it renders (bird_test.sh), a real bird in a namespace
# (bird_live.sh, root only), the agent from the build tree with the
# built-in templates and with a bad templateDir (builtin.sh, root only).
REGRESS_PROGS+=	regress/render/render_test
REGRESS_TESTS+=	regress/render/render_test \
		regress/render/bird_test.sh \
		regress/render/bird_live.sh \
		regress/render/builtin.sh

regress/render/render_test: regress/render/render_test.o regress/files.o \
    parent/ports/render.o parent/ports/render_check.o parent/ports/policy_render.o \
    common/util.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
