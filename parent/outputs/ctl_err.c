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

#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "parent/outputs/ctl_json.h"
#include "parent/outputs/ctl_err.h"

static int	 json_errors;

/*
 * From here on a failure is JSON.  stdout is fully buffered so that a
 * failure after part of a document can take that part back.
 */
void
ctl_json_errors(void)
{
	json_errors = 1;
	setvbuf(stdout, NULL, _IOFBF, 1024 * 1024);
}

void
ctl_fail(int eval, int code, const char *fmt, ...)
{
	char	 msg[1024];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (code != 0) {
		strlcat(msg, ": ", sizeof(msg));
		strlcat(msg, strerror(code), sizeof(msg));
	}
	if (!json_errors) {
		fflush(stdout);
		fprintf(stderr, "%s: %s\n", getprogname(), msg);
		exit(eval);
	}
	__fpurge(stdout);
	json_reset();
	json_open(NULL, '{');
	json_string("error", msg);
	json_close('}');
	putchar('\n');
	fflush(stdout);
	exit(eval);
}
