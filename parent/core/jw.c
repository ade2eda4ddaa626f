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
 * A JSON writer on a stdio stream: keys, values and the commas, for
 * every document the parent renders (the HTTP API's, the bot's).
 */

#include <sys/types.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "moenet.h"
#include "parent/core/jw.h"

void
jw_init(struct jw *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

/* The comma before a member and its key, if it has one. */
void
jw_key(struct jw *j, const char *key)
{
	if (j->n[j->depth]++ > 0)
		fputc(',', j->f);
	if (key != NULL) {
		jw_quote(j->f, key);
		fputc(':', j->f);
	}
}

void
jw_open(struct jw *j, const char *key, char c)
{
	if (j->depth > 0 || j->n[0] > 0)
		jw_key(j, key);
	if (j->depth + 1 >= JW_DEPTH)
		fatalx("%s: too deep", __func__);
	fputc(c, j->f);
	j->n[++j->depth] = 0;
}

void
jw_close(struct jw *j, char c)
{
	if (j->depth == 0)
		fatalx("%s: nothing open", __func__);
	j->depth--;
	fputc(c, j->f);
}

void
jw_str(struct jw *j, const char *key, const char *v)
{
	jw_key(j, key);
	if (v == NULL)
		fputs("null", j->f);
	else
		jw_quote(j->f, v);
}

void
jw_int(struct jw *j, const char *key, long long v)
{
	jw_key(j, key);
	fprintf(j->f, "%lld", v);
}

void
jw_uint(struct jw *j, const char *key, unsigned long long v)
{
	jw_key(j, key);
	fprintf(j->f, "%llu", v);
}

void
jw_bool(struct jw *j, const char *key, int v)
{
	jw_key(j, key);
	fputs(v ? "true" : "false", j->f);
}

/* Unix seconds; 0 (never) is null. */
void
jw_time(struct jw *j, const char *key, time_t t)
{
	if (t == 0)
		jw_null(j, key);
	else
		jw_int(j, key, (long long)t);
}

void
jw_null(struct jw *j, const char *key)
{
	jw_key(j, key);
	fputs("null", j->f);
}

/*
 * A JSON string.  Text from BIRD or the control plane is not trusted
 * to be UTF-8: valid sequences pass, other bytes become U+FFFD.
 */
void
jw_quote(FILE *f, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned int		 cp;
	int			 n, i;

	fputc('"', f);
	while (*p != '\0') {
		if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
			continue;
		}
		if (*p < 0x80) {
			fputc(*p++, f);
			continue;
		}
		if ((*p & 0xe0) == 0xc0) {
			n = 1;
			cp = *p & 0x1f;
		} else if ((*p & 0xf0) == 0xe0) {
			n = 2;
			cp = *p & 0x0f;
		} else if ((*p & 0xf8) == 0xf0) {
			n = 3;
			cp = *p & 0x07;
		} else {
			fputs("\\ufffd", f);
			p++;
			continue;
		}
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				break;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		/* Truncated, overlong, surrogate or beyond U+10FFFF. */
		if (i <= n || (n == 1 && cp < 0x80) ||
		    (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
			fputs("\\ufffd", f);
			p++;
			continue;
		}
		fwrite(p, 1, n + 1, f);
		p += n + 1;
	}
	fputc('"', f);
}

/* A number with prec decimals; not finite is null. */
void
jw_double(struct jw *j, const char *key, double v, int prec)
{
	jw_key(j, key);
	if (v != v || v > 1e300 || v < -1e300)
		fputs("null", j->f);
	else
		fprintf(j->f, "%.*f", prec, v);
}
