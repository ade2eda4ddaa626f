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
 * The OpenBSD log API, writing either text or one JSON object per line:
 * {"time":"...","level":"info","proc":"parent","msg":"...", fields...}
 * Levels: "fatal", "error", "warn", "notice", "info", "debug".
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOG_LINE_MAX	2048

static int		 log_debug_mode;
static int		 log_verbose;
static enum log_format	 log_format = LOG_FORMAT_TEXT;
static const char	*log_procname = "moenet-agent";
static log_sink_t	 log_sink;
static int		 log_maxpri = LOG_DEBUG;
static int		 log_journal;	/* stderr is systemd's journal */

static void	log_format_line(char *, size_t, int, const struct log_field *,
		    size_t, const char *);
static const char *log_level_name(int);
static int	log_field_number(const struct log_field *);

void
log_init(int n_debug, int facility)
{
	log_debug_mode = n_debug;
	if (!log_debug_mode)
		openlog("moenet-agent", LOG_PID | LOG_NDELAY, facility);
	else if (log_journal_stderr())
		log_journal = 1;
	tzset();
}

/*
 * Whether stderr is the journal's stream (systemd sets JOURNAL_STREAM
 * to its device and inode): there a line starting "<N>" gets priority N,
 * and without it every line would be at the unit's default, info.
 */
int
log_journal_stderr(void)
{
	struct stat		 st;
	const char		*e = getenv("JOURNAL_STREAM");
	unsigned long long	 dev, ino;

	if (e == NULL || sscanf(e, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(STDERR_FILENO, &st) == -1)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

/* The children, whose environment is empty, are told by the parent. */
void
log_setjournal(int on)
{
	log_journal = on;
}

void
log_procinit(const char *procname)
{
	if (procname != NULL)
		log_procname = procname;
}

void
log_setverbose(int v)
{
	log_verbose = v;
}

int
log_getverbose(void)
{
	return log_verbose;
}

/*
 * The least severe priority written (log.level): LOG_ERR keeps errors
 * and worse, LOG_WARNING adds warnings, LOG_INFO notices and
 * information; debug lines also need log_setverbose().
 */
void
log_setlevel(int pri)
{
	log_maxpri = pri;
}

void
log_setformat(enum log_format f)
{
	log_format = f;
}

void
log_setsink(log_sink_t sink)
{
	log_sink = sink;
}

static const char *
log_level_name(int pri)
{
	switch (pri) {
	case LOG_EMERG:
	case LOG_ALERT:
	case LOG_CRIT:
		return "fatal";
	case LOG_ERR:
		return "error";
	case LOG_WARNING:
		return "warn";
	case LOG_NOTICE:
		return "notice";
	case LOG_INFO:
		return "info";
	default:
		return "debug";
	}
}

size_t
json_escape(char *dst, size_t dstsz, const char *src)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*s = (const unsigned char *)src;
	size_t			 n = 0;
	char			 esc[7];
	const char		*e;
	size_t			 elen;

	if (dstsz == 0)
		return 0;
	for (; *s != '\0'; s++) {
		e = esc;
		elen = 2;
		esc[0] = '\\';
		switch (*s) {
		case '"':
			esc[1] = '"';
			break;
		case '\\':
			esc[1] = '\\';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				esc[1] = 'u';
				esc[2] = '0';
				esc[3] = '0';
				esc[4] = hex[*s >> 4];
				esc[5] = hex[*s & 0xf];
				elen = 6;
			} else {
				esc[0] = (char)*s;
				elen = 1;
			}
			break;
		}
		if (n + elen >= dstsz)
			break;
		memcpy(dst + n, e, elen);
		n += elen;
	}
	dst[n] = '\0';
	return n;
}

/*
 * Fields that are numbers for a log pipeline (jq, Loki, Elasticsearch
 * compare and sum them): written bare in JSON when the value is the
 * decimal a number would be, else as the string it is.
 */
static int
log_field_number(const struct log_field *f)
{
	static const char *const numeric[] = { "asn", "port", "count" };
	const char		*v = f->val;
	size_t			 i, n;

	for (i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++)
		if (strcmp(f->key, numeric[i]) == 0)
			break;
	if (i == sizeof(numeric) / sizeof(numeric[0]))
		return 0;
	n = strspn(v, "0123456789");
	return n > 0 && n <= 19 && v[n] == '\0' && (v[0] != '0' || n == 1);
}

static void
log_format_line(char *buf, size_t bufsz, int pri, const struct log_field *f,
    size_t nf, const char *msg)
{
	char		 ts[64], esc[LOG_LINE_MAX];
	struct timeval	 tv;
	struct tm	 tm;
	size_t		 i, len;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	len = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(ts + len, sizeof(ts) - len, ".%03ldZ",
	    (long)(tv.tv_usec / 1000));

	if (log_format == LOG_FORMAT_JSON) {
		json_escape(esc, sizeof(esc), msg);
		len = snprintf(buf, bufsz,
		    "{\"time\":\"%s\",\"level\":\"%s\",\"proc\":\"%s\","
		    "\"msg\":\"%s\"", ts, log_level_name(pri), log_procname,
		    esc);
		for (i = 0; i < nf && len < bufsz; i++) {
			if (log_field_number(&f[i])) {
				len += snprintf(buf + len, bufsz - len,
				    ",\"%s\":%s", f[i].key, f[i].val);
				continue;
			}
			json_escape(esc, sizeof(esc), f[i].val);
			len += snprintf(buf + len, bufsz - len,
			    ",\"%s\":\"%s\"", f[i].key, esc);
		}
		if (len < bufsz)
			snprintf(buf + len, bufsz - len, "}");
		else
			/* Never emit a torn JSON object. */
			snprintf(buf, bufsz, "{\"time\":\"%s\",\"level\":"
			    "\"%s\",\"proc\":\"%s\",\"msg\":\"line too long\"}",
			    ts, log_level_name(pri), log_procname);
		return;
	}

	len = snprintf(buf, bufsz, "%s %s[%s]: %s", ts, log_procname,
	    log_level_name(pri), msg);
	for (i = 0; i < nf && len < bufsz; i++)
		len += snprintf(buf + len, bufsz - len, " %s=%s", f[i].key,
		    f[i].val);
}

/* Write a finished line to the sink, stderr or syslog. */
void
log_emit(int pri, const char *line)
{
	int	 saved_errno = errno;

	/* Lines from the children pass here too: one filter for all. */
	if (LOG_PRI(pri) > log_maxpri && LOG_PRI(pri) != LOG_DEBUG)
		return;
	if (log_sink != NULL)
		log_sink(pri, line);
	else if (log_debug_mode && log_journal)
		dprintf(STDERR_FILENO, "<%d>%s\n", LOG_PRI(pri), line);
	else if (log_debug_mode)
		dprintf(STDERR_FILENO, "%s\n", line);
	else
		syslog(pri, "%s", line);
	errno = saved_errno;
}

static void
vlog_fields(int pri, const struct log_field *f, size_t nf, const char *fmt,
    va_list ap)
{
	char	 msg[LOG_LINE_MAX], line[LOG_LINE_MAX * 2];

	if (pri == LOG_DEBUG && log_verbose < 1)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_format_line(line, sizeof(line), pri, f, nf, msg);
	log_emit(pri, line);
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	vlog_fields(pri, NULL, 0, fmt, ap);
}

void
logit(int pri, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

void
log_fields(int pri, const struct log_field *f, size_t nf, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vlog_fields(pri, f, nf, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *emsg, ...)
{
	char	 buf[LOG_LINE_MAX];
	int	 saved_errno = errno;
	va_list	 ap;

	va_start(ap, emsg);
	vsnprintf(buf, sizeof(buf), emsg, ap);
	va_end(ap);
	logit(LOG_ERR, "%s: %s", buf, strerror(saved_errno));
	errno = saved_errno;
}

void
log_warnx(const char *emsg, ...)
{
	va_list	 ap;

	va_start(ap, emsg);
	vlog(LOG_ERR, emsg, ap);
	va_end(ap);
}

/*
 * log_warnx() stays at error level, as in OpenBSD: its callers report
 * failures.  These two are for what works but deserves a look
 * (warning), and for what is normal but worth saying once (notice).
 */
void
log_warning(const char *emsg, ...)
{
	va_list	 ap;

	va_start(ap, emsg);
	vlog(LOG_WARNING, emsg, ap);
	va_end(ap);
}

void
log_notice(const char *emsg, ...)
{
	va_list	 ap;

	va_start(ap, emsg);
	vlog(LOG_NOTICE, emsg, ap);
	va_end(ap);
}

void
log_info(const char *emsg, ...)
{
	va_list	 ap;

	va_start(ap, emsg);
	vlog(LOG_INFO, emsg, ap);
	va_end(ap);
}

void
log_debug(const char *emsg, ...)
{
	va_list	 ap;

	if (log_verbose) {
		va_start(ap, emsg);
		vlog(LOG_DEBUG, emsg, ap);
		va_end(ap);
	}
}

static __dead void
vfatalc(int code, const char *emsg, va_list ap)
{
	char	 buf[LOG_LINE_MAX];

	if (emsg != NULL)
		vsnprintf(buf, sizeof(buf), emsg, ap);
	else
		buf[0] = '\0';
	if (code)
		logit(LOG_CRIT, "fatal in %s: %s%s%s", log_procname, buf,
		    buf[0] != '\0' ? ": " : "", strerror(code));
	else
		logit(LOG_CRIT, "fatal in %s: %s", log_procname, buf);
	exit(1);
}

void
fatal(const char *emsg, ...)
{
	va_list	 ap;
	int	 code = errno;

	va_start(ap, emsg);
	vfatalc(code, emsg, ap);
	va_end(ap);
}

void
fatalx(const char *emsg, ...)
{
	va_list	 ap;

	va_start(ap, emsg);
	vfatalc(0, emsg, ap);
	va_end(ap);
}
