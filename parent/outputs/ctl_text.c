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
 * Terminal text: UTF-8 checked, dangerous characters replaced, widths
 * from wcwidth(3) under a UTF-8 locale whatever the caller's (the
 * names are UTF-8 on the wire, whatever the terminal's locale says).
 */

#include <sys/types.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "parent/outputs/ctl_text.h"

#define ELLIPSIS	"\xe2\x80\xa6"	/* U+2026, one column */

static uint32_t	utf8_decode(const unsigned char *, size_t);
static int	cp_width(uint32_t);
static int	cp_unsafe(uint32_t);

/* bgpctl's fmt_timeframe: hh:mm:ss, then days, then weeks. */
const char *
fmt_age(int64_t t, char *buf, size_t len)
{
	unsigned int	 sec, min, hrs, day, week;

	if (t < 0) {
		strlcpy(buf, "-", len);
		return buf;
	}
	week = t / (7 * 86400);
	t %= 7 * 86400;
	day = t / 86400;
	t %= 86400;
	hrs = t / 3600;
	t %= 3600;
	min = t / 60;
	sec = t % 60;
	if (week > 0)
		snprintf(buf, len, "%02uw%01ud%02uh", week, day, hrs);
	else if (day > 0)
		snprintf(buf, len, "%01ud%02uh%02um", day, hrs, min);
	else
		snprintf(buf, len, "%02u:%02u:%02u", hrs, min, sec);
	return buf;
}

const char *
fmt_rtt(int64_t us, char *buf, size_t len)
{
	if (us < 0)
		strlcpy(buf, "-", len);
	else
		snprintf(buf, len, "%lld.%01lldms", (long long)(us / 1000),
		    (long long)(us % 1000 / 100));
	return buf;
}

/* The length of the whole, shortest-form UTF-8 sequence at p, or 0. */
size_t
utf8_len(const unsigned char *p)
{
	size_t	 i, n;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf)
		n = 1;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 2;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 3;
	else
		return 0;
	for (i = 1; i <= n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return n + 1;
}

/* The code point of a sequence utf8_len() found n bytes long. */
static uint32_t
utf8_decode(const unsigned char *p, size_t n)
{
	uint32_t	 c;
	size_t		 i;

	if (n == 1)
		return *p;
	c = *p & (0xff >> (n + 1));
	for (i = 1; i < n; i++)
		c = (c << 6) | (p[i] & 0x3f);
	return c;
}

/*
 * Columns of code point c; -1 for what a terminal must not get.  The
 * control plane's names pass its check with any UTF-8 but C0 controls.
 */
static int
cp_width(uint32_t c)
{
	static int	 utf8 = -1;

	if (utf8 == -1)
		utf8 = setlocale(LC_CTYPE, "C.UTF-8") != NULL ||
		    setlocale(LC_CTYPE, "en_US.UTF-8") != NULL;
	if (c < 0x20 || c == 0x7f || cp_unsafe(c))
		return -1;
	if (c < 0x7f)
		return 1;
	if (utf8)
		return wcwidth((wchar_t)c);
	/* No UTF-8 locale: East Asian wide ranges, else one column. */
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) ||
	    (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

/* C1 controls, and the bidirectional controls that reorder a line. */
static int
cp_unsafe(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x200e || c == 0x200f ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
	    c == 0x061c;
}

/*
 * What came from BIRD or the control plane goes to a terminal tamed:
 * control characters, bidirectional controls, what has no width and
 * broken UTF-8 become '?'.  "" is shown as "-".
 */
const char *
printable(const char *s, char *buf, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;

	while (*p != '\0') {
		n = utf8_len(p);
		if (n == 0 || cp_width(utf8_decode(p, n)) < 0) {
			n = n == 0 ? 1 : n;
			if (i + 1 >= len)
				break;
			buf[i++] = '?';
		} else {
			if (i + n >= len)
				break;
			memcpy(buf + i, p, n);
			i += n;
		}
		p += n;
	}
	buf[i] = '\0';
	return buf[0] == '\0' ? "-" : buf;
}

/* Columns a printable() string takes. */
size_t
width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 w = 0, n;
	int			 cw;

	while (*p != '\0') {
		if ((n = utf8_len(p)) == 0)
			n = 1;
		else if ((cw = cp_width(utf8_decode(p, n))) > 0)
			w += cw;
		p += n;
	}
	return w;
}

void
pad(const char *s, size_t w, int right)
{
	size_t	 n = width(s);

	if (right)
		for (; n < w; n++)
			putchar(' ');
	fputs(s, stdout);
	if (!right)
		for (; n < w; n++)
			putchar(' ');
}

/*
 * s cut to at most w columns, "…" where it was cut, into buf; never
 * through a character, so a wide one that would straddle is left out.
 */
const char *
fit(const char *s, size_t w, char *buf, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n, used = 0;
	int			 cw;

	if (width(s) <= w) {
		strlcpy(buf, s, len);
		return buf;
	}
	while (*p != '\0' && w > 0) {
		if ((n = utf8_len(p)) == 0)
			n = 1;
		cw = cp_width(utf8_decode(p, n));
		if (cw < 0)
			cw = 0;
		if (used + cw > w - 1 || i + n + sizeof(ELLIPSIS) > len)
			break;
		memcpy(buf + i, p, n);
		i += n;
		used += cw;
		p += n;
	}
	buf[i] = '\0';
	if (w > 0)
		strlcat(buf, ELLIPSIS, len);
	return buf;
}
