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

# The unit tests again, built with AddressSanitizer and
# UndefinedBehaviorSanitizer (LeakSanitizer included) in a copy of the
# tree, obj.san/, so that no object is shared with the normal build:
# regress/sanitize/run.sh builds and runs them, and any finding fails.
# "make sanitize" builds the copy's agent and tests.
SAN_DIR?=	obj.san
SAN_CC?=	cc
SAN_FLAGS=	-fsanitize=address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer -DMOENET_SANITIZE
# The C programs among the tests: the unit tests.
SAN_TESTS=	$(filter $(REGRESS_PROGS),$(REGRESS_TESTS))

# run.sh: the unit tests; lifecycle.sh: one agent's life in the engine
# lab, under ASan and UBSan.
REGRESS_TESTS+=	regress/sanitize/run.sh regress/sanitize/lifecycle.sh

.PHONY: sanitize sanitize-tests
sanitize:
	@sh regress/sanitize/sync.sh "$(SAN_DIR)"
	@# In the environment: the Makefile adds its own flags to these.
	@env -u MAKEFLAGS -u MFLAGS CC="$(SAN_CC)" \
	    CFLAGS="-O1 -g $(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" \
	    $(MAKE) --no-print-directory -C "$(SAN_DIR)" all $(SAN_TESTS)

sanitize-tests:
	@echo $(SAN_TESTS)
