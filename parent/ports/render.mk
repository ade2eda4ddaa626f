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

# The BIRD config renderer (parent).  The templates in templates/ are
# built into the binary: templates/embed.sh makes the table render.c
# includes, again whenever a template changes.
AGENT_SRCS+=	parent/ports/render.c \
		parent/ports/render_check.c

EMBED_TEMPLATES=	$(sort $(wildcard templates/*.in))
CLEANFILES+=	parent/ports/templates_embed.inc

parent/ports/render.o: parent/ports/templates_embed.inc

parent/ports/templates_embed.inc: templates/embed.sh $(EMBED_TEMPLATES)
	@echo "GEN $@"
	@sh templates/embed.sh $(EMBED_TEMPLATES) >$@.tmp && mv $@.tmp $@
