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

# outputs: what people and programs read.  The control socket and
# moenetctl's output, the local HTTP API's documents (fetcher/httpd.c
# serves them), sd_notify, and the -n check's report.
AGENT_SRCS+=	parent/outputs/control.c \
		parent/outputs/ctl_output.c \
		parent/outputs/ctl_find.c \
		parent/outputs/ctl_show.c \
		parent/outputs/ctl_text.c \
		parent/outputs/ctl_json.c \
		parent/outputs/ctl_sessions.c \
		parent/outputs/ctl_err.c \
		parent/outputs/moenetctl.c \
		parent/outputs/sdnotify.c \
		parent/outputs/httpapi.c \
		parent/outputs/confcheck.c
