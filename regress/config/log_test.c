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
 * The log levels: log_notice(), log_warning() and log_warnx() reach the
 * sink at LOG_NOTICE, LOG_WARNING and LOG_ERR, named "notice", "warn"
 * and "error" in JSON lines and in text; and a configuration's report
 * is logged at its own levels.
 */

#include <sys/types.h>

#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "log.h"
#include "parent/core/config.h"
#include "regress.h"

static int	last_pri;
static char	last_line[4096];

static void
sink(int pri, const char *line)
{
	last_pri = pri;
	strlcpy(last_line, line, sizeof(last_line));
}

int
main(void)
{
	struct conf_report	 r;
	struct conf_diag	*d;

	log_init(1, LOG_DAEMON);
	log_procinit("parent");
	log_setsink(sink);

	log_setformat(LOG_FORMAT_JSON);
	log_notice("n %d", 1);
	REGRESS_CHECK("log_notice_pri", last_pri == LOG_NOTICE);
	REGRESS_CHECK("log_notice_json",
	    strstr(last_line, "\"level\":\"notice\"") != NULL &&
	    strstr(last_line, "\"msg\":\"n 1\"") != NULL);
	log_warning("w");
	REGRESS_CHECK("log_warning_pri", last_pri == LOG_WARNING);
	REGRESS_CHECK("log_warning_json",
	    strstr(last_line, "\"level\":\"warn\"") != NULL);
	log_warnx("e");
	REGRESS_CHECK("log_warnx_pri", last_pri == LOG_ERR);
	REGRESS_CHECK("log_warnx_json",
	    strstr(last_line, "\"level\":\"error\"") != NULL);
	log_info("i");
	REGRESS_CHECK("log_info_json",
	    strstr(last_line, "\"level\":\"info\"") != NULL);

	log_setformat(LOG_FORMAT_TEXT);
	log_notice("n");
	REGRESS_CHECK("log_notice_text",
	    strstr(last_line, " parent[notice]: n") != NULL);
	log_warning("w");
	REGRESS_CHECK("log_warning_text",
	    strstr(last_line, " parent[warn]: w") != NULL);

	/* A report: in order, each at its level, counted. */
	conf_report_init(&r, 0);
	conf_report_add(&r, CONF_NOTICE, "a.b", "f:1: a.b: %s", "n");
	conf_report_add(&r, CONF_ERROR, "c.d", "f:2: c.d: e");
	conf_report_add(&r, CONF_WARNING, "", "f: w");
	REGRESS_CHECK("report_counts", r.count[CONF_NOTICE] == 1 &&
	    r.count[CONF_WARNING] == 1 && r.count[CONF_ERROR] == 1);
	REGRESS_CHECK("report_has", conf_report_has(&r, CONF_ERROR, "c.d") &&
	    !conf_report_has(&r, CONF_ERROR, "a.b") &&
	    conf_report_has(&r, CONF_NOTICE, NULL));
	REGRESS_CHECK("report_first", strcmp(conf_report_first(&r,
	    CONF_ERROR), "f:2: c.d: e") == 0);
	d = TAILQ_FIRST(&r.diags);
	REGRESS_CHECK("report_order", d != NULL && d->level == CONF_NOTICE &&
	    strcmp(d->text, "f:1: a.b: n") == 0);
	conf_report_log(&r);
	REGRESS_CHECK("report_log_last_level", last_pri == LOG_WARNING &&
	    strstr(last_line, "[warn]: f: w") != NULL);
	conf_report_clear(&r);
	REGRESS_CHECK("report_clear", TAILQ_EMPTY(&r.diags) &&
	    r.count[CONF_ERROR] == 0);
	REGRESS_EXIT();
}
