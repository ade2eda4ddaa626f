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
 * Protocol states on the records, not only in the .ok text: BIRD 3's
 * transient "flush" (after a disable, while routes drain) must come out
 * as a known protocol state and a known BGP state, from the real reply
 * of BIRD 3.1.8 (fixtures/protocols.b3real-flushing.raw), both from
 * "show protocols all" and from the short table built of the same real
 * row.  The states either side of it are checked too.
 */

#include <sys/types.h>

#include <err.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regress/regress.h"
#include "bird.h"
#include "birdctl/birdcmd.h"
#include "birdctl/birdparse.h"
#include "birdctl/birdproto.h"
#include "birddump.h"

struct parsed {
	struct bird_proto_msg	*p;
	size_t			 n;
	int			 rv;
	char			 err[256];
};

static int	parse(const char *, size_t, struct parsed *);
static char	*short_form(const char *);
static void	check_state(const char *, const char *, const char *,
		    unsigned int, unsigned int, int);
static char	 dir[1024];

/* A raw stream (banner and one "show protocols" reply) to records. */
static int
parse(const char *data, size_t len, struct parsed *out)
{
	struct bird_reader	 r;
	struct bird_cmd_msg	 cmd;
	char			 line[BIRD_CMD_LINE_MAX];

	memset(out, 0, sizeof(*out));
	out->rv = -1;
	if (bird_reader_init(&r, 0, 0, 0) == -1)
		err(1, "bird_reader_init");
	memset(&cmd, 0, sizeof(cmd));
	cmd.type = BIRD_CMD_SHOW_PROTOCOLS_ALL;
	if (bird_reader_start(&r, &cmd, line, sizeof(line)) == -1 ||
	    bird_reader_feed(&r, data, len) != BIRD_FEED_DONE ||
	    bird_reader_reply(&r) == NULL) {
		snprintf(out->err, sizeof(out->err), "framer: %s",
		    bird_reader_error(&r) ? bird_reader_error(&r) :
		    "no reply");
		bird_reader_clear(&r);
		return -1;
	}
	out->rv = bird_parse_protocols(bird_reader_reply(&r), DUMP_REF_TIME,
	    &out->p, &out->n, out->err, sizeof(out->err));
	bird_reader_clear(&r);
	return out->rv;
}

/*
 * What "show protocols" (no "all") says of the same protocol at the
 * same moment: the banner, the heading and the protocol's row of the
 * real reply, then the end of the table.
 */
static char *
short_form(const char *all)
{
	const char	*row;
	char		*s;
	size_t		 n;

	if ((row = strstr(all, "\n1002-")) == NULL)
		return NULL;
	row++;
	n = strcspn(row, "\n") + 1;
	if (asprintf(&s, "%.*s%.*s0000 \n", (int)(row - all), all, (int)n,
	    row) == -1)
		err(1, NULL);
	return s;
}

static void
check_state(const char *name, const char *fixture, const char *proto,
    unsigned int ps, unsigned int bs, int shortform)
{
	struct parsed	 x;
	char		 path[1200], *data, *s = NULL;
	size_t		 len, i;

	snprintf(path, sizeof(path), "%s/%s", dir, fixture);
	if ((data = read_file(path, &len)) == NULL) {
		REGRESS_FAIL(name, "cannot read %s", path);
		return;
	}
	if (shortform) {
		if ((s = short_form(data)) == NULL) {
			REGRESS_FAIL(name, "no protocol row in %s", fixture);
			free(data);
			return;
		}
		len = strlen(s);
	}
	if (parse(s != NULL ? s : data, len, &x) == -1)
		REGRESS_FAIL(name, "not parsed: %s", x.err);
	else {
		for (i = 0; i < x.n; i++)
			if (strcmp(x.p[i].name, proto) == 0)
				break;
		if (i == x.n)
			REGRESS_FAIL(name, "no protocol %s", proto);
		else if (x.p[i].proto_state != ps)
			REGRESS_FAIL(name, "protocol state %s (%s), not %s",
			    bird_proto_state_name(x.p[i].proto_state),
			    x.p[i].state, bird_proto_state_name(ps));
		else if (x.p[i].bgp_state_code != bs)
			REGRESS_FAIL(name, "BGP state %s (\"%s\"), not %s",
			    bird_bgp_state_name(x.p[i].bgp_state_code),
			    x.p[i].bgp_state, bird_bgp_state_name(bs));
		else if (x.p[i].flags & BIRD_PROTO_TRUNCATED)
			REGRESS_FAIL(name, "marked truncated");
		else if (!(x.p[i].flags & BIRD_PROTO_BGP))
			REGRESS_FAIL(name, "not seen as BGP");
		else
			REGRESS_OK(name);
	}
	free(x.p);
	free(s);
	free(data);
}

int
main(int argc, char *argv[])
{
	char	*self;

	(void)argc;
	setenv("TZ", "UTC", 1);
	tzset();
	if ((self = strdup(argv[0])) == NULL)
		err(1, NULL);
	snprintf(dir, sizeof(dir), "%s/fixtures", dirname(self));

	REGRESS_CHECK("state_flush_names",
	    strcmp(bird_proto_state_name(BIRD_PS_FLUSH), "flush") == 0 &&
	    strcmp(bird_bgp_state_name(BIRD_BGP_FLUSH), "Flush") == 0);
	check_state("state_bird3_flush_all", "protocols.b3real-flushing.raw",
	    "peer_wg0", BIRD_PS_FLUSH, BIRD_BGP_FLUSH, 0);
	check_state("state_bird3_flush_short",
	    "protocols.b3real-flushing.raw", "peer_wg0", BIRD_PS_FLUSH,
	    BIRD_BGP_FLUSH, 1);
	check_state("state_bird3_established",
	    "protocols.b3real-raw-peer.raw", "peer_wg0", BIRD_PS_UP,
	    BIRD_BGP_ESTABLISHED, 0);
	check_state("state_bird3_connect", "protocols.b3real-raw-active.raw",
	    "peer_dead", BIRD_PS_START, BIRD_BGP_CONNECT, 0);
	check_state("state_bird3_down_after_flush",
	    "protocols.b3real-afterdisable.raw", "peer_dead", BIRD_PS_DOWN,
	    BIRD_BGP_DOWN, 0);
	free(self);
	REGRESS_EXIT();
}
