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
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "imsg.h"
#include "ctl.h"
#include "parent/core/jw.h"
#include "parent/outputs/moenetctl.h"
#include "parent/outputs/ctl_actout.h"
#include "parent/outputs/ctl_err.h"

static struct ctl_change_msg	*changes;
static size_t			 nchanges;
static struct ctl_key_msg	*keys;
static size_t			 nkeys;
static int			 progress_shown;

static void	 got_change(struct imsg *);
static void	 got_key(struct imsg *);
static void	 got_progress(struct imsg *, int);
static void	 show_changes(const struct ctl_sync_msg *, enum ctl_action);
static void	 json_changes(const struct ctl_sync_msg *);
static void	 show_reload(const struct ctl_result_msg *);
static void	 json_reload(const struct ctl_result_msg *);
static const char *printable(const char *, char *, size_t);
static void	 fields_json(struct jw *, const char *);
static const char *res_name(uint32_t);

static const char *const res_names[] = {
	[CTL_RES_OK] = "ok",
	[CTL_RES_FAILED] = "failed",
	[CTL_RES_NOSUCH] = "nosuch",
	[CTL_RES_DENIED] = "denied",
	[CTL_RES_BADMSG] = "badmsg",
	[CTL_RES_LIMIT] = "limit"
};

static const char *
res_name(uint32_t code)
{
	return code <= CTL_RES_MAX ? res_names[code] : "failed";
}

int
actout_handles(enum ctl_action a)
{
	return a == CTL_RESTART || a == CTL_DISABLE || a == CTL_ENABLE ||
	    a == CTL_SYNC_WAIT || a == CTL_SHOW_PLAN || a == CTL_RELOAD;
}

/*
 * Why moenetctl gives up: a progress line shown is cleared first, then
 * it fails as every command does (ctl_err.h), in JSON with -j.
 */
__dead void
actout_fail(const char *fmt, ...)
{
	char		 text[CTL_TEXT_LEN];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (progress_shown && isatty(STDOUT_FILENO))
		printf("\r\033[K");
	ctl_fail(1, 0, "%s", text);
}

/* 1 when the reply is whole; anything unexpected ends moenetctl. */
int
actout_reply(struct imsg *imsg, enum ctl_action action, int json)
{
	struct ctl_result_msg	 r;
	struct ctl_sync_msg	 e;
	struct jw		 j;
	uint32_t		 type = imsg_get_type(imsg);

	switch (type) {
	case IMSG_CTL_RESULT:
		if (imsg_get_data(imsg, &r, sizeof(r)) == -1)
			actout_fail("%s: wrong length",
			    imsg_type_name(type));
		r.text[sizeof(r.text) - 1] = '\0';
		if (r.code != CTL_RES_OK) {
			if (!json)
				actout_fail("%s", r.text);
			jw_init(&j, stdout);
			jw_open(&j, NULL, '{');
			jw_str(&j, "error", r.text);
			jw_str(&j, "code", res_name(r.code));
			jw_close(&j, '}');
			printf("\n");
			fflush(stdout);
			exit(1);
		}
		if (action == CTL_RELOAD) {
			if (json)
				json_reload(&r);
			else
				show_reload(&r);
		} else if (json) {
			jw_init(&j, stdout);
			jw_open(&j, NULL, '{');
			jw_str(&j, "result", "ok");
			jw_str(&j, "message", r.text);
			jw_close(&j, '}');
			printf("\n");
		} else
			printf("%s\n", printable(r.text, r.text,
			    sizeof(r.text)));
		return 1;
	case IMSG_CTL_RELOAD_KEY:
		if (action != CTL_RELOAD)
			break;
		got_key(imsg);
		return 0;
	case IMSG_CTL_SYNC_PROGRESS:
		if (action != CTL_SYNC_WAIT)
			break;
		got_progress(imsg, json);
		return 0;
	case IMSG_CTL_CHANGE:
		if (action != CTL_SYNC_WAIT && action != CTL_SHOW_PLAN)
			break;
		got_change(imsg);
		return 0;
	case IMSG_CTL_SYNC_DONE:
		if (action != CTL_SYNC_WAIT && action != CTL_SHOW_PLAN)
			break;
		if (imsg_get_data(imsg, &e, sizeof(e)) == -1)
			actout_fail("%s: wrong length",
			    imsg_type_name(type));
		e.error[sizeof(e.error) - 1] = '\0';
		if (progress_shown && isatty(STDOUT_FILENO))
			printf("\r\033[K");
		if (json)
			json_changes(&e);
		else
			show_changes(&e, action);
		if (e.error[0] != '\0')
			exit(1);
		return 1;
	}
	actout_fail("unexpected reply %s from the agent",
	    imsg_type_name(type));
}

static void
got_progress(struct imsg *imsg, int json)
{
	struct ctl_progress_msg	 m;

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1)
		actout_fail("IMSG_CTL_SYNC_PROGRESS: wrong length");
	/* On a terminal only, on one line; never in JSON. */
	if (json || !isatty(STDOUT_FILENO))
		return;
	printf("\rsync: sessions %u done of %u\033[K", m.done, m.total);
	fflush(stdout);
	progress_shown = 1;
}

static void
got_change(struct imsg *imsg)
{
	struct ctl_change_msg	 m, *v;

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1)
		errx(1, "IMSG_CTL_CHANGE: wrong length");
	m.kind[sizeof(m.kind) - 1] = '\0';
	m.uuid[sizeof(m.uuid) - 1] = '\0';
	m.name[sizeof(m.name) - 1] = '\0';
	m.ifname[sizeof(m.ifname) - 1] = '\0';
	m.fields[sizeof(m.fields) - 1] = '\0';
	m.reason[sizeof(m.reason) - 1] = '\0';
	if ((v = reallocarray(changes, nchanges + 1, sizeof(*v))) == NULL)
		err(1, NULL);
	changes = v;
	changes[nchanges++] = m;
}

static void
got_key(struct imsg *imsg)
{
	struct ctl_key_msg	 m, *v;

	if (imsg_get_data(imsg, &m, sizeof(m)) == -1)
		errx(1, "IMSG_CTL_RELOAD_KEY: wrong length");
	m.key[sizeof(m.key) - 1] = '\0';
	if ((v = reallocarray(keys, nkeys + 1, sizeof(*v))) == NULL)
		err(1, NULL);
	keys = v;
	keys[nkeys++] = m;
}

/* Text from the agent, shown with anything unprintable as "?". */
static const char *
printable(const char *s, char *buf, size_t len)
{
	size_t	 i;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' :
		    s[i];
	buf[i] = '\0';
	return buf;
}

static size_t
count_kind(const char *kind)
{
	size_t	 i, n = 0;

	for (i = 0; i < nchanges; i++)
		if (strcmp(changes[i].kind, kind) == 0)
			n++;
	return n;
}

/*
 * sync -w:  "Sync: 1 created, 0 changed, ... in 1.2 s", then a line
 * per session; show plan: "Plan: ..." the same way.
 */
static void
show_changes(const struct ctl_sync_msg *e, enum ctl_action action)
{
	const struct ctl_change_msg	*c;
	char				 b1[CTL_NAME_LEN], b2[CTL_TEXT_LEN];
	char				 b3[CTL_IFNAME_LEN];
	size_t				 i;

	if (e->error[0] != '\0') {
		fprintf(stderr, "moenetctl: %s\n", printable(e->error, b2,
		    sizeof(b2)));
		if (nchanges == 0)
			return;
	}
	printf("%s: %zu created, %zu changed, %zu removed, %zu held, %zu "
	    "failed; %u unchanged of %u listed", action == CTL_SYNC_WAIT ?
	    "Sync" : "Plan", count_kind("created"), count_kind("changed"),
	    count_kind("removed"), count_kind("held"), count_kind("failed"),
	    e->nunchanged, e->nlisted);
	if (e->duration_ms >= 0)
		printf(" (%lld.%01lld s)", (long long)e->duration_ms / 1000,
		    (long long)(e->duration_ms % 1000) / 100);
	printf("\n");
	for (i = 0; i < nchanges; i++) {
		c = &changes[i];
		printf("%-8s %s  %s  AS%u  %s", c->kind,
		    printable(c->uuid, b2, sizeof(b2)),
		    printable(c->name, b1, sizeof(b1)), c->asn,
		    c->ifname[0] != '\0' ? printable(c->ifname, b3,
		    sizeof(b3)) : "-");
		if (c->fields[0] != '\0')
			printf("  fields: %s", printable(c->fields, b2,
			    sizeof(b2)));
		if (c->reason[0] != '\0')
			printf("  (%s)", printable(c->reason, b2,
			    sizeof(b2)));
		printf("\n");
	}
}

/* "a, b" as ["a", "b"]. */
static void
fields_json(struct jw *j, const char *list)
{
	char	 buf[CTL_FIELDS_LEN], *s, *w;

	if (list[0] == '\0') {
		jw_null(j, "fields");
		return;
	}
	strlcpy(buf, list, sizeof(buf));
	jw_open(j, "fields", '[');
	for (s = buf; (w = strsep(&s, ",")) != NULL;) {
		w += strspn(w, " ");
		if (*w != '\0')
			jw_str(j, NULL, w);
	}
	jw_close(j, ']');
}

static void
json_changes(const struct ctl_sync_msg *e)
{
	const struct ctl_change_msg	*c;
	struct jw			 j;
	size_t				 i;

	jw_init(&j, stdout);
	jw_open(&j, NULL, '{');
	jw_str(&j, "error", e->error[0] != '\0' ? e->error : NULL);
	if (e->duration_ms >= 0)
		jw_int(&j, "duration_ms", e->duration_ms);
	else
		jw_null(&j, "duration_ms");
	jw_uint(&j, "listed", e->nlisted);
	jw_uint(&j, "unchanged", e->nunchanged);
	jw_open(&j, "changes", '[');
	for (i = 0; i < nchanges; i++) {
		c = &changes[i];
		jw_open(&j, NULL, '{');
		jw_str(&j, "kind", c->kind);
		jw_str(&j, "uuid", c->uuid);
		jw_str(&j, "name", c->name);
		jw_uint(&j, "asn", c->asn);
		jw_str(&j, "interface", c->ifname[0] != '\0' ? c->ifname :
		    NULL);
		fields_json(&j, c->fields);
		jw_str(&j, "reason", c->reason[0] != '\0' ? c->reason :
		    NULL);
		jw_close(&j, '}');
	}
	jw_close(&j, ']');
	jw_close(&j, '}');
	printf("\n");
}

/* reload: the agent's words, then the keys, those for later apart. */
static void
show_reload(const struct ctl_result_msg *r)
{
	char	 buf[CTL_TEXT_LEN];
	size_t	 i;
	int	 later;

	printf("%s\n", printable(r->text, buf, sizeof(buf)));
	if (nkeys == 0) {
		printf("No key changed.\n");
		return;
	}
	for (later = 0; later <= 1; later++)
		for (i = 0; i < nkeys; i++)
			if (keys[i].restart == later)
				printf("%-8s %s\n", later ? "restart" :
				    "changed", printable(keys[i].key, buf,
				    sizeof(buf)));
}

static void
json_reload(const struct ctl_result_msg *r)
{
	struct jw	 j;
	size_t		 i;
	int		 later;

	jw_init(&j, stdout);
	jw_open(&j, NULL, '{');
	jw_str(&j, "result", "ok");
	jw_str(&j, "message", r->text);
	for (later = 0; later <= 1; later++) {
		jw_open(&j, later ? "restart" : "changed", '[');
		for (i = 0; i < nkeys; i++)
			if (keys[i].restart == later)
				jw_str(&j, NULL, keys[i].key);
		jw_close(&j, ']');
	}
	jw_close(&j, '}');
	printf("\n");
}
