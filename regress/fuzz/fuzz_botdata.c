/*
 * Copyright (c) 2026 The moenet-agent authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * libFuzzer harness for the bot API's parsers.  The first byte picks
 * one: a request body (reqbody_member), or a BIRD reply to "show route
 * all primary" streamed through the community counter, or to "show
 * route for X all" scanned for routes and rendered as text.  Whatever
 * comes out must be terminated, bounded and printable.
 */

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bird.h"
#include "birdctl/birdcmd.h"
#include "birdctl/birdproto.h"
#include "birdctl/birdroute.h"
#include "fetcher/reqbody.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct bird_route_scan	 sc;
static char			 text[BIRD_ROUTE_TEXT_MAX];

static void
sink(int code, const char *t, void *arg)
{
	bird_route_scan_line(arg, code, t);
}

static void
printable(const char *s, size_t len)
{
	size_t	 n = strnlen(s, len), i;

	if (n == len)
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			abort();
}

static void
body(const uint8_t *data, size_t size)
{
	static const char *const keys[] = { "target", "asn", NULL };
	char	 out[300], err[128];
	int	 r;

	r = reqbody_member((const char *)data, size, keys, REQBODY_STRING |
	    REQBODY_NUMBER, out, sizeof(out), err, sizeof(err));
	if (strnlen(out, sizeof(out)) == sizeof(out) ||
	    (r == 1 && out[0] == '\0') || (r == -1 && out[0] != '\0'))
		abort();
}

static void
reply(const uint8_t *data, size_t size, int stream)
{
	static const char	 banner[] = "0001 BIRD 2.0.12 ready.\n";
	struct bird_reader	 r;
	struct bird_cmd_msg	 m;
	const struct bird_reply	*rp;
	char			 line[BIRD_CMD_LINE_MAX];
	size_t			 i, k, n;

	if (bird_reader_init(&r, 0, 1 << 20, 10000) == -1)
		return;
	bird_reader_feed(&r, banner, sizeof(banner) - 1);
	memset(&m, 0, sizeof(m));
	m.type = stream ? BIRD_CMD_SHOW_ROUTE_COMMUNITIES :
	    BIRD_CMD_SHOW_ROUTE_FOR;
	if (!stream)
		strlcpy(m.target, "10.0.0.1", sizeof(m.target));
	if (bird_reader_start(&r, &m, line, sizeof(line)) == -1)
		abort();
	bird_route_scan_init(&sc, !stream);
	if (stream)
		bird_reader_set_sink(&r, sink, &sc);
	if (bird_reader_feed(&r, (const char *)data, size) == BIRD_FEED_DONE &&
	    (rp = bird_reader_reply(&r)) != NULL) {
		for (i = 0; !stream && i < rp->nlines; i++)
			if (!(rp->lines[i].flags & BIRD_LINE_FINAL))
				bird_route_scan_line(&sc, rp->lines[i].code,
				    bird_reply_text(rp, i));
		bird_route_scan_end(&sc);
		n = bird_route_text(rp, text, sizeof(text));
		if (n >= sizeof(text) || strlen(text) != n)
			abort();
		for (i = 0; i < n; i++)
			if (((unsigned char)text[i] < 0x20 && text[i] != '\t' &&
			    text[i] != '\n') || (unsigned char)text[i] >= 0x7f)
				abort();
	}
	if (sc.nroutes > BIRD_ROUTES_MAX || sc.comm.tagged > sc.comm.total)
		abort();
	for (i = 0; i < sc.nroutes; i++) {
		printable(sc.routes[i].net, sizeof(sc.routes[i].net));
		printable(sc.routes[i].proto, sizeof(sc.routes[i].proto));
		printable(sc.routes[i].table, sizeof(sc.routes[i].table));
		if (sc.routes[i].npath > BIRD_ASPATH_MAX ||
		    (sc.routes[i].flags & ~BIRD_ROUTE_FLAGS))
			abort();
	}
	for (k = 0; k < BIRD_COMM_LATENCY; k++)
		if (sc.comm.latency[k] > sc.comm.total)
			abort();
	bird_reader_clear(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		body(data + 1, size - 1);
		break;
	case 1:
		reply(data + 1, size - 1, 1);
		break;
	default:
		reply(data + 1, size - 1, 0);
		break;
	}
	return 0;
}
