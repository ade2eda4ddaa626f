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
 * libFuzzer harness for the tool target parser: whatever it accepts must
 * be terminated, of one kind, and made only of the characters a command
 * line or a log may see; and parsing its canonical text again must give
 * the same text.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fetcher/target.h"

#define ALL	(TARGET_ADDR | TARGET_PREFIX | TARGET_HOST | TARGET_HOSTPORT)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct target *t)
{
	const char	*p;

	if (strnlen(t->canon, sizeof(t->canon)) == sizeof(t->canon) ||
	    strnlen(t->host, sizeof(t->host)) == sizeof(t->host) ||
	    t->canon[0] == '\0' || t->canon[0] == '-')
		abort();
	for (p = t->canon; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && strchr(".:/[]-_", *p) == NULL)
			abort();
	if (t->kind != TARGET_ADDR && t->kind != TARGET_PREFIX &&
	    t->kind != TARGET_HOST && t->kind != TARGET_HOSTPORT)
		abort();
	if ((t->kind == TARGET_PREFIX) != (t->plen >= 0))
		abort();
	if ((t->kind == TARGET_HOSTPORT) != (t->port != 0))
		abort();
	if ((t->kind == TARGET_ADDR || t->kind == TARGET_PREFIX) &&
	    t->af != AF_INET && t->af != AF_INET6)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct target	 t, t2;
	char		 in[512], err[128];
	int		 allowed;

	if (size < 1 || size > sizeof(in))
		return 0;
	/* the first byte picks the kinds allowed, the rest is the input */
	allowed = (data[0] & ALL) | (data[0] & 0x10 ? TARGET_UNDERSCORE : 0);
	memcpy(in, data + 1, size - 1);
	in[size - 1] = '\0';
	if (target_parse(in, allowed, &t, err, sizeof(err)) == 0) {
		check(&t);
		if ((t.kind & allowed) == 0)
			abort();
		if (strchr(t.canon, '_') != NULL &&
		    !(allowed & TARGET_UNDERSCORE))
			abort();
		if (target_parse(t.canon, t.kind | (allowed &
		    TARGET_UNDERSCORE), &t2, err, sizeof(err)) != 0 ||
		    strcmp(t.canon, t2.canon) != 0)
			abort();
	} else if (strnlen(err, sizeof(err)) == sizeof(err) || err[0] == '\0')
		abort();
	return 0;
}
