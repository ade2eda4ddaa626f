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

#include <stdio.h>
#include <string.h>

#include "parent/outputs/ctl_json.h"
#include "parent/outputs/ctl_text.h"

static int	 jdepth, jcomma[8];

void
json_reset(void)
{
	jdepth = 0;
	jcomma[0] = 0;
}

void
json_open(const char *key, char c)
{
	if (key != NULL)
		json_key(key);
	else if (jdepth > 0 && jcomma[jdepth]++)
		putchar(',');
	putchar(c);
	if (jdepth + 1 < (int)(sizeof(jcomma) / sizeof(jcomma[0])))
		jdepth++;
	jcomma[jdepth] = 0;
}

void
json_close(char c)
{
	putchar(c);
	if (jdepth > 0)
		jdepth--;
}

void
json_key(const char *key)
{
	if (jcomma[jdepth]++)
		putchar(',');
	if (key == NULL)
		return;
	json_quote(key);
	putchar(':');
}

void
json_string(const char *key, const char *val)
{
	json_key(key);
	json_quote(val);
}

/* "" is null: not known. */
void
json_string_null(const char *key, const char *val)
{
	json_key(key);
	if (*val == '\0')
		printf("null");
	else
		json_quote(val);
}

void
json_int(const char *key, int64_t v)
{
	json_key(key);
	printf("%lld", (long long)v);
}

void
json_uint(const char *key, uint64_t v)
{
	json_key(key);
	printf("%llu", (unsigned long long)v);
}

/* Ages and other "unknown is -1" numbers: null when unknown. */
void
json_age(const char *key, int64_t v)
{
	json_key(key);
	if (v < 0)
		printf("null");
	else
		printf("%lld", (long long)v);
}

void
json_bool(const char *key, int v)
{
	json_key(key);
	printf(v ? "true" : "false");
}

void
json_quote(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n;

	putchar('"');
	while (*p != '\0') {
		if (*p == '"' || *p == '\\') {
			printf("\\%c", *p++);
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			printf("\\u%04x", *p++);
			continue;
		}
		if (*p < 0x80) {
			putchar(*p++);
			continue;
		}
		if ((n = utf8_len(p)) > 0) {
			fwrite(p, 1, n, stdout);
			p += n;
		} else {
			printf("\\ufffd");
			p++;
		}
	}
	putchar('"');
}


void
json_null(const char *key)
{
	json_key(key);
	printf("null");
}

/* Numbers where 0 means not known (an ASN, a port, an MTU). */
void
json_nonzero(const char *key, uint64_t v)
{
	if (v == 0)
		json_null(key);
	else
		json_uint(key, v);
}
