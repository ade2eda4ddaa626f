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
 * Parsers for the replies birdctl asks for: "show status", "show
 * protocols [all]" and the verdicts of configure, enable, disable and
 * restart.  Layouts follow nest/cmds.c, nest/proto.c and
 * proto/bgp/bgp.c of BIRD 2.0 to 2.19 and 3.x.  Columns are found by
 * their header names and lines by their keys, never by fixed widths:
 * long names push BIRD's columns right, and BIRD 3 adds lines and
 * columns.  Keys we do not know are skipped so a newer BIRD still
 * parses; keys we know with values we cannot read are errors.
 */

#include <sys/types.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "bird.h"
#include "birdparse.h"
#include "birdproto.h"

#define COLS_MAX	12
#define TOKENS_MAX	16

enum pcol {
	PCOL_NAME,
	PCOL_PROTO,
	PCOL_TABLE,
	PCOL_STATE,
	PCOL_SINCE,
	PCOL_INFO,
	PCOL_OTHER
};

struct pctx {
	struct bird_proto_msg	*p;
	struct bird_channel_msg	*ch;
	struct bird_channel_msg	 spare;	/* absorbs surplus channels */
	int			 lastlimit;
	int			 statcol[COLS_MAX];
	int			 nstatcols;
	char			*err;
	size_t			 errlen;
	size_t			 lineno;
};

static void	 seterr(char *, size_t, const char *, ...)
		    __attribute__((__format__ (printf, 3, 4)));
static int	 copy_text(char *, size_t, const char *, size_t);
static int	 copy_str(char *, size_t, const char *);
static const char *skip_ws(const char *);
static size_t	 trimmed_len(const char *, size_t);
static int	 parse_u32(const char *, size_t, uint32_t *);
static int	 parse_u64(const char *, size_t, uint64_t *);
static int	 digits(const char *, int, int *);
static int	 lookup(const char *const *, unsigned int, const char *);
static int	 reply_fail(const struct bird_reply *, char *, size_t);
static int	 header_cols(const char *, enum pcol *, int *);
static int	 parse_row(const char *, const enum pcol *, int, time_t,
		    struct bird_proto_msg *);
static void	 derive_bgp(struct bird_proto_msg *);
static int	 parse_detail(struct pctx *, const char *);
static int	 detail_proto(struct pctx *, const char *, const char *);
static int	 detail_channel(struct pctx *, int, const char *,
		    const char *);
static int	 parse_routes(struct bird_channel_msg *, const char *);
static int	 parse_timer(const char *, uint32_t *, uint32_t *);
static int	 parse_limit(struct bird_channel_msg *, int, const char *);
static int	 parse_stat_header(struct pctx *, const char *);
static int	 parse_stat_row(struct pctx *, int, const char *);
static int	 split_key(const char *, char *, size_t, const char **);
static void	 parse_errpos(struct bird_result_msg *, const char *);
static int	 result_outcome(unsigned int, int);

static const char *const daemon_state_names[] = {
	"unknown", "up", "shutdown", "graceful-restart", "reconfiguring"
};
static const char *const proto_state_names[] = {
	"unknown", "down", "start", "up", "stop", "flush"
};
static const char *const bgp_state_names[] = {
	"", "Idle", "Connect", "Active", "OpenSent", "OpenConfirm",
	"Established", "Close", "Passive", "Down", "Flush"
};
_Static_assert(sizeof(bgp_state_names) / sizeof(bgp_state_names[0]) ==
    BIRD_BGP_MAX + 1, "a name for every enum bird_bgp_state");
_Static_assert(sizeof(proto_state_names) / sizeof(proto_state_names[0]) ==
    BIRD_PS_MAX + 1, "a name for every enum bird_proto_state");
static const char *const limit_action_names[] = {
	"none", "warn", "block", "restart", "disable", "unknown"
};
static const char *const outcome_names[] = {
	"ok", "in-progress", "nothing-to-do", "config-error", "denied",
	"no-match", "parse-error", "refused", "error", "unexpected"
};
static const char *const stat_row_keys[] = {
	"Import updates", "Import withdraws", "Export updates",
	"Export withdraws"
};
static const char *const limit_keys[] = {
	"Receive limit", "Import limit", "Export limit"
};

const char *
bird_daemon_state_name(unsigned int s)
{
	return s <= BIRD_DAEMON_MAX ? daemon_state_names[s] : "invalid";
}

const char *
bird_proto_state_name(unsigned int s)
{
	return s <= BIRD_PS_MAX ? proto_state_names[s] : "invalid";
}

const char *
bird_bgp_state_name(unsigned int s)
{
	return s <= BIRD_BGP_MAX ? bgp_state_names[s] : "invalid";
}

const char *
bird_limit_action_name(unsigned int a)
{
	return a <= BIRD_LIMIT_MAX ? limit_action_names[a] : "invalid";
}

const char *
bird_outcome_name(unsigned int o)
{
	return o <= BIRD_OUT_MAX ? outcome_names[o] : "invalid";
}

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/*
 * Copy at most n bytes of BIRD text into a record field: control and
 * non-ASCII bytes become '?', trailing blanks go.  Returns 1 if the
 * text was cut to fit.
 */
static int
copy_text(char *dst, size_t dstlen, const char *src, size_t n)
{
	size_t	i, len;
	int	cut = 0;

	len = trimmed_len(src, strnlen(src, n));
	if (len >= dstlen) {
		len = dstlen - 1;
		cut = 1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = src[i];

		dst[i] = (c >= 0x20 && c < 0x7f) ? c : '?';
	}
	dst[len] = '\0';
	return cut;
}

static int
copy_str(char *dst, size_t dstlen, const char *src)
{
	return copy_text(dst, dstlen, src, strlen(src));
}

static const char *
skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static size_t
trimmed_len(const char *s, size_t len)
{
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len;
}

static int
parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t	v = 0;
	size_t		i;

	if (len == 0 || len > 20)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (UINT64_MAX - (s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
parse_u32(const char *s, size_t len, uint32_t *out)
{
	uint64_t	v;

	if (parse_u64(s, len, &v) == -1 || v > UINT32_MAX)
		return -1;
	*out = v;
	return 0;
}

/* Exactly n decimal digits at s. */
static int
digits(const char *s, int n, int *out)
{
	int	i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
lookup(const char *const *names, unsigned int n, const char *s)
{
	unsigned int	i;

	for (i = 0; i < n; i++)
		if (strcasecmp(names[i], s) == 0)
			return i;
	return -1;
}

/*
 * BIRD's time formats (lib/timer.c, "timeformat"):
 *	1700000000			"%s" (epoch seconds)
 *	2026-11-24			iso short, older than 20 hours
 *	2026-11-24 12:00:00[.fff[fff]]	iso long [ms|us]
 *	12:00:00[.fff[fff]]		iso short, today
 * A time without a date is the latest such time not after ref (an hour
 * of slack for clocks that differ).  *dayonly is set when only the day
 * is known.
 */
int
bird_parse_time(const char *s, time_t ref, int64_t *out, int *dayonly)
{
	struct tm	 tm;
	const char	*p;
	time_t		 t;
	size_t		 n;
	int		 y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
	int		 hasdate = 0;
	int		 hastime = 0, frac;

	*out = 0;
	if (dayonly != NULL)
		*dayonly = 0;
	s = skip_ws(s);
	n = trimmed_len(s, strlen(s));
	if (n == 0)
		return -1;

	if (strspn(s, "0123456789") == n) {
		uint64_t	v;

		if (n < 9 || parse_u64(s, n, &v) == -1 || v > INT64_MAX)
			return -1;
		*out = v;
		return 0;
	}

	memset(&tm, 0, sizeof(tm));
	p = s;
	if (n >= 10 && p[4] == '-' && p[7] == '-') {
		if (digits(p, 4, &y) == -1 || digits(p + 5, 2, &mo) == -1 ||
		    digits(p + 8, 2, &d) == -1)
			return -1;
		if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31)
			return -1;
		hasdate = 1;
		p += 10;
		if (p < s + n) {
			if (*p != ' ' && *p != 'T')
				return -1;
			p++;
		}
	}
	if (p < s + n) {
		if (s + n - p < 8 || p[2] != ':' || p[5] != ':' ||
		    digits(p, 2, &h) == -1 || digits(p + 3, 2, &mi) == -1 ||
		    digits(p + 6, 2, &sec) == -1)
			return -1;
		if (h > 23 || mi > 59 || sec > 60)
			return -1;
		hastime = 1;
		p += 8;
		if (p < s + n) {
			if (*p != '.' || s + n - p < 2 || s + n - p > 10 ||
			    digits(p + 1, s + n - p - 1, &frac) == -1)
				return -1;
			p = s + n;
		}
	}
	if (!hasdate && !hastime)
		return -1;

	if (hasdate) {
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
	} else {
		if (localtime_r(&ref, &tm) == NULL)
			return -1;
	}
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1)
		return -1;
	if (!hasdate && t > ref + 3600) {
		tm.tm_mday--;
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_sec = sec;
		tm.tm_isdst = -1;
		if ((t = mktime(&tm)) == (time_t)-1)
			return -1;
	}
	if (dayonly != NULL && !hastime)
		*dayonly = 1;
	*out = t;
	return 0;
}

/* An error reply, or one that is not the expected kind. */
static int
reply_fail(const struct bird_reply *rp, char *err, size_t errlen)
{
	char	text[BIRD_TEXT_LEN];

	copy_str(text, sizeof(text), bird_reply_final_text(rp));
	seterr(err, errlen, "bird replied %04d: %s", rp->code, text);
	return -1;
}

int
bird_parse_status(const struct bird_reply *rp, time_t ref,
    struct bird_status_msg *st, char *err, size_t errlen)
{
	const char	*t;
	size_t		 i;
	int		 gr = 0;

	memset(st, 0, sizeof(*st));
	if (rp->code != 13)
		return reply_fail(rp, err, errlen);

	for (i = 0; i < rp->nlines; i++) {
		t = bird_reply_text(rp, i);
		switch (rp->lines[i].code) {
		case 1000:
			if (strncmp(t, "BIRD ", 5) == 0)
				t += 5;
			copy_str(st->version, sizeof(st->version), t);
			break;
		case 1011:
			if (strncmp(t, "Router ID is ", 13) == 0)
				copy_str(st->router_id, sizeof(st->router_id),
				    t + 13);
			else if (strncmp(t, "Hostname is ", 12) == 0)
				copy_str(st->hostname, sizeof(st->hostname),
				    t + 12);
			else if (strncmp(t, "Current server time is ", 23) == 0)
				copy_str(st->server_time,
				    sizeof(st->server_time), t + 23);
			else if (strncmp(t, "Last reboot on ", 15) == 0)
				copy_str(st->last_reboot,
				    sizeof(st->last_reboot), t + 15);
			else if (strncmp(t, "Last reconfiguration on ", 24) == 0)
				copy_str(st->last_reconfig,
				    sizeof(st->last_reconfig), t + 24);
			break;
		case 24:
			/* graceful_restart_show_status() */
			gr = 1;
			break;
		case 13:
			copy_str(st->state_text, sizeof(st->state_text), t);
			break;
		default:
			break;
		}
	}
	if (st->version[0] == '\0') {
		seterr(err, errlen, "show status: no version line");
		return -1;
	}

	if (strcmp(st->state_text, "Daemon is up and running") == 0)
		st->state = gr ? BIRD_DAEMON_GRACEFUL_RESTART : BIRD_DAEMON_UP;
	else if (strcmp(st->state_text, "Reconfiguration in progress") == 0)
		st->state = BIRD_DAEMON_RECONFIGURING;
	else if (strcmp(st->state_text, "Shutdown in progress") == 0)
		st->state = BIRD_DAEMON_SHUTDOWN;
	else
		st->state = gr ? BIRD_DAEMON_GRACEFUL_RESTART :
		    BIRD_DAEMON_UNKNOWN;

	/* The server's own clock resolves its other short times. */
	if (bird_parse_time(st->server_time, ref, &st->server_time_unix,
	    NULL) == 0)
		ref = st->server_time_unix;
	bird_parse_time(st->last_reboot, ref, &st->last_reboot_unix, NULL);
	bird_parse_time(st->last_reconfig, ref, &st->last_reconfig_unix, NULL);
	return 0;
}

/* "Name Proto Table State Since Info": which column is where. */
static int
header_cols(const char *t, enum pcol *cols, int *ncols)
{
	static const char *const names[] = {
		"Name", "Proto", "Table", "State", "Since", "Info"
	};
	char		 word[32];
	size_t		 n;
	int		 i, seen = 0;

	*ncols = 0;
	for (t = skip_ws(t); *t != '\0'; t = skip_ws(t + n)) {
		n = strcspn(t, " \t");
		if (*ncols >= COLS_MAX)
			return -1;
		copy_text(word, sizeof(word), t, n);
		i = lookup(names, 6, word);
		cols[(*ncols)++] = i == -1 ? PCOL_OTHER : (enum pcol)i;
		if (i != -1) {
			if (seen & (1 << i))
				return -1;
			seen |= 1 << i;
		}
	}
	/* Info is free text: only as the last column can it be found. */
	for (i = 0; i < *ncols - 1; i++)
		if (cols[i] == PCOL_INFO)
			return -1;
	if ((seen & 0x1f) != 0x1f)
		return -1;
	return 0;
}

static int
parse_row(const char *t, const enum pcol *cols, int ncols, time_t ref,
    struct bird_proto_msg *p)
{
	static const char *const pstates[] = {
		"down", "start", "up", "stop", "flush"
	};
	const char	*tok;
	size_t		 n, n2;
	int		 c, cut = 0, day, i;

	t = skip_ws(t);
	for (c = 0; c < ncols; c++) {
		if (cols[c] == PCOL_INFO) {
			cut |= copy_str(p->info, sizeof(p->info), t);
			t += strlen(t);
			break;
		}
		if (*t == '\0')
			return -1;
		tok = t;
		n = strcspn(t, " \t");
		t = skip_ws(t + n);
		switch (cols[c]) {
		case PCOL_NAME:
			cut |= copy_text(p->name, sizeof(p->name), tok, n);
			break;
		case PCOL_PROTO:
			cut |= copy_text(p->proto, sizeof(p->proto), tok, n);
			break;
		case PCOL_TABLE:
			cut |= copy_text(p->table, sizeof(p->table), tok, n);
			break;
		case PCOL_STATE:
			cut |= copy_text(p->state, sizeof(p->state), tok, n);
			break;
		case PCOL_SINCE:
			/* iso long puts a blank between date and time. */
			n2 = strcspn(t, " \t");
			if (n == 10 && tok[4] == '-' && n2 >= 8 &&
			    t[0] >= '0' && t[0] <= '9' && t[2] == ':') {
				n = t + n2 - tok;
				t = skip_ws(t + n2);
			}
			cut |= copy_text(p->since, sizeof(p->since), tok, n);
			break;
		default:
			break;
		}
	}
	if (*t != '\0')
		return -1;
	if (p->name[0] == '\0')
		return -1;
	if ((i = lookup(pstates, 5, p->state)) != -1)
		p->proto_state = BIRD_PS_DOWN + i;
	if (bird_parse_time(p->since, ref, &p->since_unix, &day) == 0 && day)
		p->flags |= BIRD_PROTO_SINCE_DAY;
	if (cut)
		p->flags |= BIRD_PROTO_TRUNCATED;
	return 0;
}

/*
 * BGP's Info column is "%-14s%s%s": state, then the last error.  Used
 * until (and unless) "all" details say better.
 */
static void
derive_bgp(struct bird_proto_msg *p)
{
	const char	*rest;
	size_t		 n;
	int		 i;

	if (strcmp(p->proto, "BGP") != 0)
		return;
	p->flags |= BIRD_PROTO_BGP;
	n = strcspn(p->info, " ");
	copy_text(p->bgp_state, sizeof(p->bgp_state), p->info, n);
	rest = skip_ws(p->info + n);
	copy_str(p->last_error, sizeof(p->last_error), rest);
	i = lookup(bgp_state_names + 1, BIRD_BGP_MAX, p->bgp_state);
	p->bgp_state_code = i == -1 ? BIRD_BGP_NONE : (uint32_t)i + 1;
}

/* "Key:   value" to key and value; -1 if the line has no key. */
static int
split_key(const char *t, char *key, size_t keylen, const char **val)
{
	const char	*colon;
	size_t		 n, i;

	if ((colon = strchr(t, ':')) == NULL)
		return -1;
	n = trimmed_len(t, colon - t);
	if (n == 0 || n >= keylen)
		return -1;
	for (i = 0; i < n; i++) {
		if (!((t[i] >= 'a' && t[i] <= 'z') ||
		    (t[i] >= 'A' && t[i] <= 'Z') ||
		    (t[i] >= '0' && t[i] <= '9') || t[i] == ' ' ||
		    t[i] == '-'))
			return -1;
		key[i] = t[i];
	}
	key[n] = '\0';
	*val = skip_ws(colon + 1);
	return 0;
}

static int
parse_detail(struct pctx *x, const char *t)
{
	struct bird_proto_msg	*p = x->p;
	const char		*body, *val;
	char			 key[40];
	size_t			 n;
	int			 indent;

	p->flags |= BIRD_PROTO_DETAILS;
	body = skip_ws(t);
	indent = body - t;
	if (*body == '\0') {
		/* The blank line closing the protocol's block. */
		x->ch = NULL;
		return 0;
	}

	if (indent <= 2 && strncmp(body, "Channel ", 8) == 0) {
		if (p->nchannels < BIRD_CHANNELS_MAX)
			x->ch = &p->channels[p->nchannels++];
		else {
			p->flags |= BIRD_PROTO_MORE_CHANS;
			x->ch = &x->spare;
		}
		memset(x->ch, 0, sizeof(*x->ch));
		memset(x->ch->stats, 0xff, sizeof(x->ch->stats));
		x->lastlimit = -1;
		x->nstatcols = 0;
		body = skip_ws(body + 8);
		n = strcspn(body, " ");
		if (copy_text(x->ch->name, sizeof(x->ch->name), body, n))
			p->flags |= BIRD_PROTO_TRUNCATED;
		return 0;
	}
	if (indent <= 2)
		x->ch = NULL;

	if (split_key(body, key, sizeof(key), &val) == -1)
		return 0;
	if (x->ch != NULL)
		return detail_channel(x, indent, key, val);
	if (indent <= 4)
		return detail_proto(x, key, val);
	return 0;
}

static int
detail_proto(struct pctx *x, const char *key, const char *val)
{
	struct bird_proto_msg	*p = x->p;
	int			 cut = 0, i;

	if (strcmp(key, "BGP state") == 0) {
		p->flags |= BIRD_PROTO_BGP;
		cut = copy_str(p->bgp_state, sizeof(p->bgp_state), val);
		i = lookup(bgp_state_names + 1, BIRD_BGP_MAX, p->bgp_state);
		p->bgp_state_code = i == -1 ? BIRD_BGP_NONE : (uint32_t)i + 1;
		/* The error, if any, gets its own line here. */
		p->last_error[0] = '\0';
	} else if (strcmp(key, "Neighbor address") == 0)
		cut = copy_str(p->neighbor_addr, sizeof(p->neighbor_addr),
		    val);
	else if (strcmp(key, "Source address") == 0)
		cut = copy_str(p->source_addr, sizeof(p->source_addr), val);
	else if (strcmp(key, "Neighbor ID") == 0)
		cut = copy_str(p->neighbor_id, sizeof(p->neighbor_id), val);
	else if (strcmp(key, "Last error") == 0)
		cut = copy_str(p->last_error, sizeof(p->last_error), val);
	else if (strcmp(key, "Description") == 0)
		cut = copy_str(p->description, sizeof(p->description), val);
	else if (strcmp(key, "Neighbor AS") == 0) {
		if (parse_u32(val, strlen(val), &p->neighbor_as) == -1)
			goto bad;
	} else if (strcmp(key, "Local AS") == 0) {
		if (parse_u32(val, strlen(val), &p->local_as) == -1)
			goto bad;
	} else if (strcmp(key, "Hold timer") == 0) {
		/* Shown to people only: one not understood is left out. */
		if (parse_timer(val, &p->hold_left_ms, &p->hold_time) == -1)
			p->hold_time = p->hold_left_ms = 0;
	} else if (strcmp(key, "Keepalive timer") == 0) {
		if (parse_timer(val, &p->keepalive_left_ms,
		    &p->keepalive_time) == -1)
			p->keepalive_time = p->keepalive_left_ms = 0;
	}
	if (cut)
		p->flags |= BIRD_PROTO_TRUNCATED;
	return 0;
 bad:
	seterr(x->err, x->errlen, "line %zu: %s: bad value", x->lineno, key);
	return -1;
}

static int
detail_channel(struct pctx *x, int indent, const char *key, const char *val)
{
	struct bird_channel_msg	*ch = x->ch;
	int			 cut = 0, i;

	if (indent >= 6) {
		if (strcmp(key, "Action") == 0 && x->lastlimit != -1) {
			i = lookup(limit_action_names + 1, 4, val);
			ch->limits[x->lastlimit].action = i == -1 ?
			    BIRD_LIMIT_UNKNOWN : (uint32_t)i + 1;
			return 0;
		}
		if ((i = lookup(stat_row_keys, BIRD_STAT_ROWS, key)) != -1)
			return parse_stat_row(x, i, val);
		return 0;
	}

	if (strcmp(key, "State") == 0)
		cut = copy_str(ch->state, sizeof(ch->state), val);
	else if (strcmp(key, "Import state") == 0)
		cut = copy_str(ch->import_state, sizeof(ch->import_state), val);
	else if (strcmp(key, "Export state") == 0)
		cut = copy_str(ch->export_state, sizeof(ch->export_state), val);
	else if (strcmp(key, "Table") == 0)
		cut = copy_str(ch->table, sizeof(ch->table), val);
	else if (strcmp(key, "Input filter") == 0)
		cut = copy_str(ch->input_filter, sizeof(ch->input_filter), val);
	else if (strcmp(key, "Output filter") == 0)
		cut = copy_str(ch->output_filter, sizeof(ch->output_filter),
		    val);
	else if (strcmp(key, "Preference") == 0) {
		if (parse_u32(val, strlen(val), &ch->preference) == -1)
			goto bad;
	} else if (strcmp(key, "Routes") == 0) {
		if (parse_routes(ch, val) == -1)
			goto bad;
	} else if ((i = lookup(limit_keys, BIRD_LIM_COUNT, key)) != -1) {
		if (parse_limit(ch, i, val) == -1)
			goto bad;
		x->lastlimit = i;
	} else if (strcmp(key, "Route change stats") == 0) {
		if (parse_stat_header(x, val) == -1)
			goto bad;
	}
	if (cut)
		x->p->flags |= BIRD_PROTO_TRUNCATED;
	return 0;
 bad:
	seterr(x->err, x->errlen, "line %zu: channel %s: %s: bad value",
	    x->lineno, ch->name, key);
	return -1;
}

/*
 * "4.640/9": seconds left, with up to three decimals, of the time
 * negotiated.  BIRD 2 and 3 print it so; a timer not running has no
 * line at all.
 */
static int
parse_timer(const char *val, uint32_t *left_ms, uint32_t *total)
{
	const char	*slash, *dot;
	uint32_t	 sec, frac = 0;
	size_t		 n, i;

	if ((slash = strchr(val, '/')) == NULL)
		return -1;
	if ((dot = memchr(val, '.', slash - val)) == NULL)
		dot = slash;
	if (parse_u32(val, dot - val, &sec) == -1 || sec > UINT32_MAX / 1000)
		return -1;
	if (dot != slash) {
		n = slash - dot - 1;
		if (n == 0 || n > 3 || parse_u32(dot + 1, n, &frac) == -1)
			return -1;
		for (i = n; i < 3; i++)
			frac *= 10;
	}
	if (parse_u32(slash + 1, trimmed_len(slash + 1, strlen(slash + 1)),
	    total) == -1)
		return -1;
	*left_ms = sec * 1000 + frac;
	return 0;
}

/* "812 imported, 3 filtered, 1500 exported, 600 preferred" */
static int
parse_routes(struct bird_channel_msg *ch, const char *val)
{
	const char	*word;
	uint32_t	 v;
	size_t		 n, w;

	ch->flags |= BIRD_CHAN_ROUTES;
	for (;;) {
		val = skip_ws(val);
		n = strspn(val, "0123456789");
		if (parse_u32(val, n, &v) == -1 || val[n] != ' ')
			return -1;
		word = skip_ws(val + n);
		w = strcspn(word, ", ");
		if (w == 8 && strncmp(word, "imported", 8) == 0)
			ch->imported = v;
		else if (w == 8 && strncmp(word, "filtered", 8) == 0) {
			ch->filtered = v;
			ch->flags |= BIRD_CHAN_FILTERED;
		} else if (w == 8 && strncmp(word, "exported", 8) == 0)
			ch->exported = v;
		else if (w == 9 && strncmp(word, "preferred", 9) == 0)
			ch->preferred = v;
		val = skip_ws(word + w);
		if (*val == '\0')
			return 0;
		if (*val != ',')
			return -1;
		val++;
	}
}

/* "9000" or "9000 [HIT]" (channel_show_limit()) */
static int
parse_limit(struct bird_channel_msg *ch, int kind, const char *val)
{
	struct bird_limit_msg	*l = &ch->limits[kind];
	const char		*rest;
	size_t			 n;

	n = strspn(val, "0123456789");
	if (parse_u32(val, n, &l->max) == -1)
		return -1;
	rest = skip_ws(val + n);
	if (strcmp(rest, "[HIT]") == 0)
		l->hit = 1;
	else if (*rest != '\0')
		return -1;
	/* An action line follows; until then it is a limit of some kind. */
	l->action = BIRD_LIMIT_UNKNOWN;
	return 0;
}

/*
 * "received rejected filtered ignored [RX limit limit] accepted":
 * column names to indices, so BIRD 2's five and BIRD 3's seven columns
 * both land in the right place.
 */
static int
parse_stat_header(struct pctx *x, const char *val)
{
	static const char *const names[] = {
		"received", "rejected", "filtered", "ignored", "RX limit",
		"limit", "accepted"
	};
	char	word[16];
	size_t	n;

	x->nstatcols = 0;
	x->ch->flags |= BIRD_CHAN_STATS;
	for (val = skip_ws(val); *val != '\0'; val = skip_ws(val + n)) {
		if (x->nstatcols >= COLS_MAX)
			return -1;
		n = strcspn(val, " ");
		if (n == 2 && strncmp(val, "RX", 2) == 0 &&
		    strncmp(skip_ws(val + 2), "limit", 5) == 0) {
			strlcpy(word, "RX limit", sizeof(word));
			n = skip_ws(val + 2) + 5 - val;
		} else
			copy_text(word, sizeof(word), val, n);
		x->statcol[x->nstatcols++] = lookup(names, BIRD_STAT_COLS,
		    word);
	}
	return x->nstatcols > 0 ? 0 : -1;
}

static int
parse_stat_row(struct pctx *x, int row, const char *val)
{
	uint64_t	v;
	size_t		n;
	int		c;

	if (x->nstatcols == 0) {
		seterr(x->err, x->errlen, "line %zu: stats row before header",
		    x->lineno);
		return -1;
	}
	for (c = 0, val = skip_ws(val); *val != '\0'; val = skip_ws(val + n)) {
		n = strcspn(val, " ");
		if (c >= x->nstatcols)
			goto bad;
		if (n == 3 && strncmp(val, "---", 3) == 0)
			v = BIRD_STAT_NONE;
		else if (parse_u64(val, n, &v) == -1)
			goto bad;
		if (x->statcol[c] != -1)
			x->ch->stats[row][x->statcol[c]] = v;
		c++;
	}
	if (c != x->nstatcols)
		goto bad;
	return 0;
 bad:
	seterr(x->err, x->errlen, "line %zu: channel %s: %s: bad row",
	    x->lineno, x->ch->name, stat_row_keys[row]);
	return -1;
}

/*
 * "show protocols" and "show protocols all": 2002 header, 1002 rows,
 * 1006 detail lines belonging to the row before them, 0000 to end.
 * On success *protos is an array of *nprotos records (free it).
 */
int
bird_parse_protocols(const struct bird_reply *rp, time_t ref,
    struct bird_proto_msg **protos, size_t *nprotos, char *err,
    size_t errlen)
{
	struct bird_proto_msg	*arr = NULL, *narr;
	struct pctx		 x;
	enum pcol		 cols[COLS_MAX];
	const char		*t;
	size_t			 i, n = 0, size = 0;
	int			 ncols = 0;

	*protos = NULL;
	*nprotos = 0;
	if (rp->code != 0)
		return reply_fail(rp, err, errlen);

	memset(&x, 0, sizeof(x));
	x.err = err;
	x.errlen = errlen;
	for (i = 0; i < rp->nlines; i++) {
		t = bird_reply_text(rp, i);
		x.lineno = i + 1;
		switch (rp->lines[i].code) {
		case 2002:
			if (ncols != 0) {
				seterr(err, errlen, "line %zu: second header",
				    i + 1);
				goto fail;
			}
			if (header_cols(t, cols, &ncols) == -1) {
				seterr(err, errlen, "line %zu: unknown "
				    "protocol table header", i + 1);
				goto fail;
			}
			break;
		case 1002:
			if (ncols == 0) {
				seterr(err, errlen, "line %zu: protocol row "
				    "before header", i + 1);
				goto fail;
			}
			if (n >= BIRD_PROTOS_MAX) {
				seterr(err, errlen, "more than %d protocols",
				    BIRD_PROTOS_MAX);
				goto fail;
			}
			if (n == size) {
				size = size ? size * 2 : 16;
				narr = reallocarray(arr, size, sizeof(*arr));
				if (narr == NULL) {
					seterr(err, errlen, "%s",
					    strerror(errno));
					goto fail;
				}
				arr = narr;
			}
			x.p = &arr[n];
			x.ch = NULL;
			memset(x.p, 0, sizeof(*x.p));
			if (parse_row(t, cols, ncols, ref, x.p) == -1) {
				seterr(err, errlen, "line %zu: malformed "
				    "protocol row", i + 1);
				goto fail;
			}
			derive_bgp(x.p);
			n++;
			break;
		case 1006:
			if (x.p == NULL) {
				seterr(err, errlen, "line %zu: details before "
				    "any protocol", i + 1);
				goto fail;
			}
			if (parse_detail(&x, t) == -1)
				goto fail;
			break;
		case 0:
			if (rp->lines[i].flags & BIRD_LINE_FINAL)
				break;
			/* FALLTHROUGH */
		default:
			seterr(err, errlen, "line %zu: unexpected code %04d",
			    i + 1, rp->lines[i].code);
			goto fail;
		}
	}
	if (ncols == 0) {
		seterr(err, errlen, "no protocol table header");
		goto fail;
	}
	*protos = arr;
	*nprotos = n;
	return 0;
 fail:
	free(arr);
	return -1;
}

/* "/etc/bird/x.conf:7:5 syntax error, ..." (cf_error(), "%s:%d:%d %s") */
static void
parse_errpos(struct bird_result_msg *res, const char *t)
{
	const char	*p, *q;
	uint32_t	 line, col;
	size_t		 n;

	for (p = strchr(t, ':'); p != NULL; p = strchr(p + 1, ':')) {
		q = p + 1;
		n = strspn(q, "0123456789");
		if (parse_u32(q, n, &line) == -1 || q[n] != ':')
			continue;
		q += n + 1;
		n = strspn(q, "0123456789");
		if (parse_u32(q, n, &col) == -1 ||
		    (q[n] != ' ' && q[n] != '\0'))
			continue;
		copy_text(res->err_file, sizeof(res->err_file), t, p - t);
		res->err_line = line;
		res->err_col = col;
		return;
	}
	/* "file: No such file or directory" and the like */
	if ((p = strstr(t, ": ")) != NULL)
		copy_text(res->err_file, sizeof(res->err_file), t, p - t);
}

/* The meaning of a deciding code for a command (doc/reply_codes). */
static int
result_outcome(unsigned int cmd, int code)
{
	switch (bird_code_class(code)) {
	case BIRD_CLASS_RUNTIME:
		switch (code) {
		case 8002:
			return BIRD_OUT_CONFIG_ERROR;
		case 8003:
			return BIRD_OUT_NO_MATCH;
		case 8007:
			return BIRD_OUT_DENIED;
		default:
			return BIRD_OUT_ERROR;
		}
	case BIRD_CLASS_PARSE:
		return BIRD_OUT_PARSE_ERROR;
	case BIRD_CLASS_OK:
		break;
	default:
		return BIRD_OUT_UNEXPECTED;
	}

	switch (cmd) {
	case BIRD_CMD_SHOW_STATUS:
		if (code == 13)
			return BIRD_OUT_OK;
		break;
	case BIRD_CMD_SHOW_PROTOCOLS:
	case BIRD_CMD_SHOW_PROTOCOLS_ALL:
		if (code == 0)
			return BIRD_OUT_OK;
		break;
	case BIRD_CMD_CONFIGURE_CHECK:
		if (code == 20)
			return BIRD_OUT_OK;
		break;
	case BIRD_CMD_CONFIGURE:
	case BIRD_CMD_CONFIGURE_TIMEOUT:
	case BIRD_CMD_CONFIGURE_UNDO:
		switch (code) {
		case 3:
			return BIRD_OUT_OK;
		case 4:
		case 5:
		case 17:
			return BIRD_OUT_IN_PROGRESS;
		case 6:
			return BIRD_OUT_REFUSED;
		case 19:
			if (cmd == BIRD_CMD_CONFIGURE_UNDO)
				return BIRD_OUT_NOTHING;
			break;
		}
		break;
	case BIRD_CMD_CONFIGURE_CONFIRM:
		if (code == 18)
			return BIRD_OUT_OK;
		if (code == 19)
			return BIRD_OUT_NOTHING;
		break;
	case BIRD_CMD_ENABLE:
		if (code == 11)
			return BIRD_OUT_OK;
		if (code == 10)
			return BIRD_OUT_NOTHING;
		break;
	case BIRD_CMD_DISABLE:
		if (code == 9)
			return BIRD_OUT_OK;
		if (code == 8)
			return BIRD_OUT_NOTHING;
		break;
	case BIRD_CMD_RESTART:
		if (code == 12)
			return BIRD_OUT_OK;
		break;
	case BIRD_CMD_SHOW_ROUTE_FOR:
	case BIRD_CMD_SHOW_ROUTE_COMMUNITIES:
		if (code == 0)
			return BIRD_OUT_OK;
		break;
	}
	return BIRD_OUT_UNEXPECTED;
}

/*
 * The verdict on a command's reply.  The final code decides, except
 * for enable/disable/restart, which report per protocol ("0009-name:
 * disabled") and end with 0000.  Returns 0 if the outcome is OK,
 * IN_PROGRESS or NOTHING, -1 otherwise; res says which and why.
 */
int
bird_parse_result(const struct bird_reply *rp, struct bird_result_msg *res)
{
	const char	*t, *deciding;
	uint32_t	 v;
	size_t		 i, n;
	int		 code;

	memset(res, 0, sizeof(*res));
	res->cmd = rp->cmd;
	code = rp->code;
	deciding = bird_reply_final_text(rp);

	for (i = 0; i < rp->nlines; i++) {
		t = bird_reply_text(rp, i);
		/* "Undo scheduled in 30 s" */
		if (rp->lines[i].code == 22 &&
		    strncmp(t, "Undo scheduled in ", 18) == 0) {
			t += 18;
			n = strspn(t, "0123456789");
			if (parse_u32(t, n, &v) == 0 &&
			    strcmp(t + n, " s") == 0)
				res->undo_timeout = v;
		}
		if (code == 0 && (rp->cmd == BIRD_CMD_ENABLE ||
		    rp->cmd == BIRD_CMD_DISABLE ||
		    rp->cmd == BIRD_CMD_RESTART) &&
		    rp->lines[i].code >= 8 && rp->lines[i].code <= 12) {
			code = rp->lines[i].code;
			deciding = t;
		}
	}
	res->code = code < 0 ? 0 : code;
	res->outcome = rp->code < 0 ? BIRD_OUT_UNEXPECTED :
	    result_outcome(rp->cmd, code);
	copy_str(res->text, sizeof(res->text), deciding);
	if (res->outcome == BIRD_OUT_CONFIG_ERROR)
		parse_errpos(res, res->text);

	switch (res->outcome) {
	case BIRD_OUT_OK:
	case BIRD_OUT_IN_PROGRESS:
	case BIRD_OUT_NOTHING:
		return 0;
	default:
		return -1;
	}
}
