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

# The fetcher's control-plane layer: reply parsers, request bodies.
CPJSON_SRCS=	fetcher/cpjson.c \
		fetcher/cpwalk.c \
		fetcher/cpvalid.c \
		fetcher/cpsess.c \
		fetcher/cpmesh.c \
		fetcher/cpnode.c \
		fetcher/cppolicy.c \
		fetcher/cpbody.c
CPJSON_OBJS=	$(CPJSON_SRCS:.c=.o)

AGENT_SRCS+=	$(CPJSON_SRCS)

# The bot's network tools: target parsing (pure) and the tools.
TOOL_SRCS=	fetcher/target.c \
		fetcher/dns.c \
		fetcher/diagout.c \
		fetcher/diag.c \
		fetcher/diag_dns.c \
		fetcher/diag_icmp.c \
		fetcher/diag_tcp.c
TOOL_OBJS=	$(TOOL_SRCS:.c=.o)

AGENT_SRCS+=	$(TOOL_SRCS)

# The bot's node API: request bodies (pure, fuzzed).
AGENT_SRCS+=	fetcher/reqbody.c
