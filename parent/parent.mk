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

AGENT_SRCS+=	parent/moenet-agent.c \
		parent/conffile.c \
		parent/config.c \
		parent/jdom.c \
		parent/cpclient.c \
		parent/bird.c \
		parent/apply.c \
		parent/wg.c \
		parent/firewall.c \
		parent/session.c \
		parent/statefile.c \
		parent/bootstrap.c \
		parent/engine.c \
		parent/owner.c \
		parent/guard.c \
		parent/degraded.c \
		parent/state.c \
		parent/sessiondoc.c \
		parent/tasks.c \
		parent/metrics.c

# The problems a configuration load finds, and what -n checks beyond
# the file.
AGENT_SRCS+=	parent/confdiag.c \
		parent/confcheck.c

# The rtt task: targets and results; the probes run in the fetcher.
AGENT_SRCS+=	parent/rtt.c

# Maintenance (RFC 8326), the routing policy of bootstrap mode and the
# loopback addresses.
AGENT_SRCS+=	parent/maint.c \
		parent/policy.c \
		parent/policy_render.c

# The control socket, moenetctl (this binary under another name, a
# symlink in the build tree as in an installed one), sd_notify.
AGENT_SRCS+=	parent/control.c \
		parent/ctl_output.c \
		parent/moenetctl.c \
		parent/sdnotify.c
CLEANFILES+=	moenetctl

all: moenetctl

moenetctl: moenet-agent
	ln -sf moenet-agent $@

# The network's own routers: mesh tunnels, Babel, iBGP files.
AGENT_SRCS+=	parent/mesh.c

# The local HTTP API: sockets, documents, actions (fetcher/httpd.c serves).
AGENT_SRCS+=	parent/httpapi.c \
		parent/jw.c \
		parent/botapi.c \
		parent/probe.c

# The bot's tools: resolver setting and moenetctl's runs (fetcher/diag*.c).
AGENT_SRCS+=	parent/tools.c
