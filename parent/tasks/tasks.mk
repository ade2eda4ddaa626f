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

# tasks: what the agent does, on the scheduler or on demand.  Session
# sync and heartbeat (engine), the saved state, maintenance (RFC 8326),
# the routing policy and loopbacks, the network's own routers (mesh,
# Babel, iBGP), metrics, RTT and the bot's probes and lookups,
# bootstrap mode.
AGENT_SRCS+=	parent/tasks/engine.c \
		parent/tasks/owner.c \
		parent/tasks/peerfile.c \
		parent/tasks/guard.c \
		parent/tasks/disabled.c \
		parent/tasks/tasks.c \
		parent/tasks/state.c \
		parent/tasks/maint.c \
		parent/tasks/policy.c \
		parent/tasks/mesh.c \
		parent/tasks/reconcile.c \
		parent/tasks/metrics.c \
		parent/tasks/rtt.c \
		parent/tasks/probe.c \
		parent/tasks/botapi.c \
		parent/tasks/bootstrap.c \
		parent/tasks/plan.c \
		parent/tasks/syncwait.c \
		parent/tasks/session_act.c
