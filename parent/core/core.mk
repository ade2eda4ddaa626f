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

# core: the parent's own machinery; it knows no domain.  The children
# and the sends to them, the scheduler, the routing of messages by
# type, pending requests, the status snapshot, watched processes, the
# reload fan-out; the configuration and its problems, the JSON reader
# and writer, the state files and the session table.
AGENT_SRCS+=	parent/core/parent.c \
		parent/core/route.c \
		parent/core/pending.c \
		parent/core/status.c \
		parent/core/reap.c \
		parent/core/reload.c \
		parent/core/degraded.c \
		parent/core/store.c \
		parent/core/sched.c \
		parent/core/config.c \
		parent/core/conffile.c \
		parent/core/confdiag.c \
		parent/core/jdom.c \
		parent/core/jw.c \
		parent/core/statefile.c \
		parent/core/session.c \
		parent/core/sessiondoc.c \
		parent/core/session_find.c
