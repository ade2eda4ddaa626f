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

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "parent/core/jw.h"
#include "parent/outputs/ctl_json.h"

/*
 * moenetctl writes one document on stdout: these name jw's calls on it,
 * with the "unknown is null" conventions of its output.
 */
static struct jw	 j = { .f = NULL };

static struct jw *
out(void)
{
	if (j.f == NULL)
		jw_init(&j, stdout);
	return &j;
}

void
json_reset(void)
{
	jw_init(&j, stdout);
}

void
json_open(const char *key, char c)
{
	jw_open(out(), key, c);
}

void
json_close(char c)
{
	jw_close(out(), c);
}

void
json_key(const char *key)
{
	jw_key(out(), key);
}

void
json_string(const char *key, const char *val)
{
	jw_str(out(), key, val);
}

/* "" is null: not known. */
void
json_string_null(const char *key, const char *val)
{
	if (*val == '\0')
		jw_null(out(), key);
	else
		jw_str(out(), key, val);
}

void
json_int(const char *key, int64_t v)
{
	jw_int(out(), key, v);
}

void
json_uint(const char *key, uint64_t v)
{
	jw_uint(out(), key, v);
}

/* Ages and other "unknown is -1" numbers: null when unknown. */
void
json_age(const char *key, int64_t v)
{
	if (v < 0)
		jw_null(out(), key);
	else
		jw_int(out(), key, v);
}

void
json_bool(const char *key, int v)
{
	jw_bool(out(), key, v);
}

void
json_quote(const char *s)
{
	jw_quote(stdout, s);
}

void
json_null(const char *key)
{
	jw_null(out(), key);
}

/* Numbers where 0 means not known (an ASN, a port, an MTU). */
void
json_nonzero(const char *key, uint64_t v)
{
	if (v == 0)
		jw_null(out(), key);
	else
		jw_uint(out(), key, v);
}
