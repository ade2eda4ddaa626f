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
 * libFuzzer harness for the configuration parser: every input goes
 * through config_load_buf_report() (JSON tree, key table, checks,
 * suggestions for unknown keys), is printed normalized when it loads,
 * and is laid over a loaded configuration as the control plane's node
 * configuration would be.
 */

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parent/core/config.h"
#include "log.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

static void	quiet(int, const char *);

static struct moenet_conf	*base;
static FILE			*devnull;

static const char base_conf[] =
    "{\"bootstrap\": {\"apiUrl\": \"https://cp.example/\", "
    "\"nodeName\": \"jp-edge\", \"token\": \"t0ken\"}}";

static void
quiet(int pri, const char *line)
{
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	 err[512];

	log_init(0, LOG_USER);
	log_setsink(quiet);
	if ((devnull = fopen("/dev/null", "w")) == NULL)
		abort();
	if ((base = config_load_buf("base", base_conf, sizeof(base_conf) - 1,
	    err, sizeof(err))) == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct moenet_conf	*c, over;
	struct conf_report	 r;
	struct conf_diag	*d;
	const char		*buf = (const char *)data;
	char			 err[512];
	int			 n = 0;

	conf_report_init(&r, 1);
	c = config_load_buf_report("fuzz", buf, size, &r);
	/* Refused means at least one error, and every text terminated. */
	if (c == NULL && r.count[CONF_ERROR] == 0)
		abort();
	TAILQ_FOREACH(d, &r.diags, entry) {
		if (strnlen(d->text, sizeof(d->text)) == sizeof(d->text) ||
		    strnlen(d->key, sizeof(d->key)) == sizeof(d->key) ||
		    (unsigned int)d->level >= CONF_NLEVELS)
			abort();
		n++;
	}
	if (n != r.count[CONF_NOTICE] + r.count[CONF_WARNING] +
	    r.count[CONF_ERROR])
		abort();
	conf_report_clear(&r);
	if (c != NULL) {
		config_print(devnull, c);
		config_free(c);
	}

	over = *base;
	if (config_overlay_buf(&over, "fuzz", buf, size, err,
	    sizeof(err)) == -1) {
		if (strnlen(err, sizeof(err)) == sizeof(err) ||
		    memcmp(&over, base, sizeof(over)) != 0)
			abort();
	} else if (strcmp(over.cp_url, base->cp_url) != 0 ||
	    strcmp(over.cp_token, base->cp_token) != 0)
		abort();
	explicit_bzero(&over, sizeof(over));
	return 0;
}
