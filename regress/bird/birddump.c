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

#include <sys/types.h>
#include <sys/stat.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bird.h"
#include "birdctl/birdcmd.h"
#include "birdctl/birdparse.h"
#include "birdctl/birdproto.h"
#include "birddump.h"

static void	dump_async(const char *, void *);
static void	dump_status(const struct bird_reply *, FILE *);
static void	dump_protocols(const struct bird_reply *, FILE *);
static void	dump_proto(const struct bird_proto_msg *, FILE *);
static void	dump_channel(const struct bird_channel_msg *, FILE *);
static void	dump_result(const struct bird_reply *, FILE *);
static void	dump_lines(const struct bird_reply *, FILE *);
static void	put_u64(uint64_t, FILE *);

static const struct {
	const char	*kind;
	int		 cmd;
} kinds[] = {
	{ "status", BIRD_CMD_SHOW_STATUS },
	{ "protocols", BIRD_CMD_SHOW_PROTOCOLS_ALL },
	{ "configure_check", BIRD_CMD_CONFIGURE_CHECK },
	{ "configure_timeout", BIRD_CMD_CONFIGURE_TIMEOUT },
	{ "configure_confirm", BIRD_CMD_CONFIGURE_CONFIRM },
	{ "configure_undo", BIRD_CMD_CONFIGURE_UNDO },
	{ "configure", BIRD_CMD_CONFIGURE },
	{ "enable", BIRD_CMD_ENABLE },
	{ "disable", BIRD_CMD_DISABLE },
	{ "restart", BIRD_CMD_RESTART },
	{ "other", BIRD_CMD_SHOW_STATUS }
};

static const char *const class_names[] = {
	"ok", "table", "runtime-error", "parse-error", "other"
};

int
dump_kind_cmd(const char *kind)
{
	size_t	i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return kinds[i].cmd;
	return -1;
}

static void
dump_async(const char *text, void *arg)
{
	fprintf(arg, "async \"%s\"%s\n", text,
	    bird_async_is_undo(text) ? " (undo)" : "");
}

static void
put_u64(uint64_t v, FILE *out)
{
	if (v == BIRD_STAT_NONE)
		fprintf(out, " -");
	else
		fprintf(out, " %llu", (unsigned long long)v);
}

static void
dump_lines(const struct bird_reply *rp, FILE *out)
{
	size_t	i;

	for (i = 0; i < rp->nlines; i++)
		fprintf(out, "  %04u%c|%s|\n", rp->lines[i].code,
		    (rp->lines[i].flags & BIRD_LINE_FINAL) ? ' ' :
		    (rp->lines[i].flags & BIRD_LINE_CONT) ? '+' : '-',
		    bird_reply_text(rp, i));
}

static void
dump_status(const struct bird_reply *rp, FILE *out)
{
	struct bird_status_msg	st;
	char			err[256];

	if (bird_parse_status(rp, DUMP_REF_TIME, &st, err, sizeof(err)) ==
	    -1) {
		fprintf(out, "status error: %s\n", err);
		return;
	}
	fprintf(out, "status version \"%s\" router_id \"%s\" host \"%s\"\n",
	    st.version, st.router_id, st.hostname);
	fprintf(out, "  server_time \"%s\" %lld\n", st.server_time,
	    (long long)st.server_time_unix);
	fprintf(out, "  last_reboot \"%s\" %lld\n", st.last_reboot,
	    (long long)st.last_reboot_unix);
	fprintf(out, "  last_reconfig \"%s\" %lld\n", st.last_reconfig,
	    (long long)st.last_reconfig_unix);
	fprintf(out, "  state %s \"%s\"\n", bird_daemon_state_name(st.state),
	    st.state_text);
}

static void
dump_channel(const struct bird_channel_msg *ch, FILE *out)
{
	static const char *const lim[] = { "receive", "import", "export" };
	static const char *const rows[] = {
		"import_updates", "import_withdraws", "export_updates",
		"export_withdraws"
	};
	int	i, j;

	fprintf(out, "  channel %s state \"%s\" import_state \"%s\" "
	    "export_state \"%s\" table \"%s\" pref %u\n", ch->name,
	    ch->state, ch->import_state, ch->export_state, ch->table,
	    ch->preference);
	fprintf(out, "    filters in \"%s\" out \"%s\"\n", ch->input_filter,
	    ch->output_filter);
	if (ch->flags & BIRD_CHAN_ROUTES) {
		fprintf(out, "    routes imported %u", ch->imported);
		if (ch->flags & BIRD_CHAN_FILTERED)
			fprintf(out, " filtered %u", ch->filtered);
		fprintf(out, " exported %u preferred %u\n", ch->exported,
		    ch->preferred);
	}
	for (i = 0; i < BIRD_LIM_COUNT; i++) {
		if (ch->limits[i].action == BIRD_LIMIT_NONE)
			continue;
		fprintf(out, "    limit %s %u action %s%s\n", lim[i],
		    ch->limits[i].max,
		    bird_limit_action_name(ch->limits[i].action),
		    ch->limits[i].hit ? " HIT" : "");
	}
	if (ch->flags & BIRD_CHAN_STATS) {
		for (i = 0; i < BIRD_STAT_ROWS; i++) {
			fprintf(out, "    %s", rows[i]);
			for (j = 0; j < BIRD_STAT_COLS; j++)
				put_u64(ch->stats[i][j], out);
			fprintf(out, "\n");
		}
	}
}

static void
dump_proto(const struct bird_proto_msg *p, FILE *out)
{
	uint32_t	i;

	fprintf(out, "proto %s %s table \"%s\" state \"%s\" (%s) since \"%s\""
	    " %lld%s\n", p->name, p->proto, p->table, p->state,
	    bird_proto_state_name(p->proto_state), p->since,
	    (long long)p->since_unix,
	    (p->flags & BIRD_PROTO_SINCE_DAY) ? " (day)" : "");
	fprintf(out, "  info \"%s\"%s%s%s\n", p->info,
	    (p->flags & BIRD_PROTO_DETAILS) ? " details" : "",
	    (p->flags & BIRD_PROTO_MORE_CHANS) ? " more-channels" : "",
	    (p->flags & BIRD_PROTO_TRUNCATED) ? " truncated" : "");
	if (p->description[0] != '\0')
		fprintf(out, "  description \"%s\"\n", p->description);
	if (p->flags & BIRD_PROTO_BGP)
		fprintf(out, "  bgp \"%s\" (%s) neighbor \"%s\" as %u "
		    "local_as %u id \"%s\" source \"%s\" last_error \"%s\"\n",
		    p->bgp_state, bird_bgp_state_name(p->bgp_state_code),
		    p->neighbor_addr, p->neighbor_as, p->local_as,
		    p->neighbor_id, p->source_addr, p->last_error);
	if (p->hold_time != 0 || p->keepalive_time != 0)
		fprintf(out, "  timers hold %u.%03u/%u keepalive %u.%03u/%u\n",
		    p->hold_left_ms / 1000, p->hold_left_ms % 1000,
		    p->hold_time, p->keepalive_left_ms / 1000,
		    p->keepalive_left_ms % 1000, p->keepalive_time);
	for (i = 0; i < p->nchannels && i < BIRD_CHANNELS_MAX; i++)
		dump_channel(&p->channels[i], out);
}

static void
dump_protocols(const struct bird_reply *rp, FILE *out)
{
	struct bird_proto_msg	*p;
	size_t			 i, n;
	char			 err[256];

	if (bird_parse_protocols(rp, DUMP_REF_TIME, &p, &n, err,
	    sizeof(err)) == -1) {
		fprintf(out, "protocols error: %s\n", err);
		return;
	}
	fprintf(out, "protocols %zu\n", n);
	for (i = 0; i < n; i++)
		dump_proto(&p[i], out);
	free(p);
}

static void
dump_result(const struct bird_reply *rp, FILE *out)
{
	struct bird_result_msg	res;
	int			rv;

	rv = bird_parse_result(rp, &res);
	fprintf(out, "result %s %s code %04u%s\n", bird_cmd_name(res.cmd),
	    bird_outcome_name(res.outcome), res.code,
	    rv == 0 ? " success" : " failure");
	fprintf(out, "  text \"%s\"\n", res.text);
	if (res.undo_timeout)
		fprintf(out, "  undo_timeout %u\n", res.undo_timeout);
	if (res.err_file[0] != '\0' || res.err_line != 0)
		fprintf(out, "  error_at \"%s\" line %u col %u\n",
		    res.err_file, res.err_line, res.err_col);
}

/*
 * Feed data to a fresh reader: cut at each offset in cuts (ascending),
 * then the end, then EOF.  Print what comes out.
 */
int
dump_stream(const char *kind, const char *data, size_t len,
    const size_t *cuts, size_t ncuts, FILE *out)
{
	struct bird_reader	 r;
	struct bird_cmd_msg	 cmd;
	const struct bird_reply	*rp;
	char			 line[BIRD_CMD_LINE_MAX];
	size_t			 i, from = 0, to;
	int			 c, rv = BIRD_FEED_MORE;

	if ((c = dump_kind_cmd(kind)) == -1)
		errx(1, "unknown fixture kind %s", kind);
	if (bird_reader_init(&r, 0, 0, 0) == -1)
		err(1, "bird_reader_init");
	bird_reader_set_async(&r, dump_async, out);
	memset(&cmd, 0, sizeof(cmd));
	cmd.type = c;
	cmd.timeout = 30;
	if (c == BIRD_CMD_ENABLE || c == BIRD_CMD_DISABLE ||
	    c == BIRD_CMD_RESTART)
		strlcpy(cmd.name, "peer_wg0", sizeof(cmd.name));
	if (bird_reader_start(&r, &cmd, line, sizeof(line)) == -1)
		errx(1, "bird_reader_start: %s", r.error);

	for (i = 0; i <= ncuts && rv != BIRD_FEED_ERROR; i++) {
		to = i < ncuts ? cuts[i] : len;
		rv = bird_reader_feed(&r, data + from, to - from);
		from = to;
	}
	if (rv != BIRD_FEED_ERROR && bird_reader_reply(&r) == NULL)
		bird_reader_eof(&r);
	fprintf(out, "banner \"%s\"\n", bird_reader_version(&r));
	if (bird_reader_error(&r) != NULL) {
		fprintf(out, "protocol error: %s\n", bird_reader_error(&r));
		bird_reader_clear(&r);
		return -1;
	}
	rp = bird_reader_reply(&r);
	fprintf(out, "reply %04d %s, %zu lines\n", rp->code,
	    class_names[bird_code_class(rp->code)], rp->nlines);
	if (strcmp(kind, "other") == 0)
		dump_lines(rp, out);
	else if (strcmp(kind, "status") == 0)
		dump_status(rp, out);
	else if (strcmp(kind, "protocols") == 0)
		dump_protocols(rp, out);
	else
		dump_result(rp, out);
	bird_reader_clear(&r);
	return 0;
}

char *
dump_to_string(const char *kind, const char *data, size_t len,
    const size_t *cuts, size_t ncuts)
{
	FILE	*f;
	char	*s = NULL;
	size_t	 n = 0;

	if ((f = open_memstream(&s, &n)) == NULL)
		err(1, "open_memstream");
	dump_stream(kind, data, len, cuts, ncuts, f);
	if (fclose(f) != 0)
		err(1, "fclose");
	return s;
}

char *
read_file(const char *path, size_t *lenp)
{
	struct stat	 sb;
	char		*buf;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	if (fstat(fd, &sb) == -1 || sb.st_size > 64 * 1024 * 1024) {
		close(fd);
		return NULL;
	}
	if ((buf = malloc(sb.st_size + 1)) == NULL)
		err(1, NULL);
	if ((n = read(fd, buf, sb.st_size)) != sb.st_size) {
		close(fd);
		free(buf);
		return NULL;
	}
	close(fd);
	buf[n] = '\0';
	*lenp = n;
	return buf;
}
