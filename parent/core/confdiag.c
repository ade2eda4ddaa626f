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
 * The problems a configuration load finds, kept in order so that -n
 * prints every one of them and a start logs each at its own level.
 */

#include <sys/types.h>
#include <sys/queue.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "parent/core/config.h"

static const char *const level_names[CONF_NLEVELS] = {
	[CONF_NOTICE] = "notice",
	[CONF_WARNING] = "warning",
	[CONF_ERROR] = "error",
};

void
conf_report_init(struct conf_report *r, int check_only)
{
	memset(r, 0, sizeof(*r));
	TAILQ_INIT(&r->diags);
	r->check_only = check_only;
}

void
conf_report_add(struct conf_report *r, enum conf_level level,
    const char *key, const char *fmt, ...)
{
	struct conf_diag	*d;
	va_list			 ap;
	char			*p;

	if ((unsigned int)level >= CONF_NLEVELS)
		level = CONF_ERROR;
	/* Counted even when memory runs out: an error still refuses. */
	r->count[level]++;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return;
	d->level = level;
	if (key != NULL)
		strlcpy(d->key, key, sizeof(d->key));
	va_start(ap, fmt);
	vsnprintf(d->text, sizeof(d->text), fmt, ap);
	va_end(ap);
	/* Key names and values come from the file: one line each. */
	for (p = d->text; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	TAILQ_INSERT_TAIL(&r->diags, d, entry);
}

/* Whether the key (or, with NULL, anything) drew a diagnostic of level. */
int
conf_report_has(const struct conf_report *r, enum conf_level level,
    const char *key)
{
	const struct conf_diag	*d;

	TAILQ_FOREACH(d, &r->diags, entry)
		if (d->level == level && (key == NULL ||
		    strcmp(d->key, key) == 0))
			return 1;
	return 0;
}

const char *
conf_report_first(const struct conf_report *r, enum conf_level level)
{
	const struct conf_diag	*d;

	TAILQ_FOREACH(d, &r->diags, entry)
		if (d->level == level)
			return d->text;
	return NULL;
}

const char *
conf_level_name(enum conf_level level)
{
	if ((unsigned int)level >= CONF_NLEVELS)
		return "error";
	return level_names[level];
}

void
conf_report_print(FILE *f, const struct conf_report *r)
{
	const struct conf_diag	*d;

	TAILQ_FOREACH(d, &r->diags, entry)
		fprintf(f, "%s: %s\n", conf_level_name(d->level), d->text);
}

void
conf_report_log(const struct conf_report *r)
{
	const struct conf_diag	*d;

	TAILQ_FOREACH(d, &r->diags, entry) {
		switch (d->level) {
		case CONF_NOTICE:
			log_notice("%s", d->text);
			break;
		case CONF_WARNING:
			log_warning("%s", d->text);
			break;
		case CONF_ERROR:
			log_warnx("%s", d->text);
			break;
		}
	}
}

void
conf_report_clear(struct conf_report *r)
{
	struct conf_diag	*d;

	while ((d = TAILQ_FIRST(&r->diags)) != NULL) {
		TAILQ_REMOVE(&r->diags, d, entry);
		free(d);
	}
	memset(r->count, 0, sizeof(r->count));
}
