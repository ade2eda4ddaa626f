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
 * The bot's tools: who may start a run, what its target is, where a
 * name points, and where the result goes.  The tools proper are in
 * diag_icmp.c (ping, trace) and diag_tcp.c (tcping); dig is here, as it
 * is one DNS query.  A target string is parsed by target_parse() before
 * anything else happens; a run that does not parse costs no packet.
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "imsgev.h"
#include "diagmsg.h"
#include "diagjob.h"

#define DIAG_RESOLVER_DEFAULT	"172.20.0.53"
#define DIAG_QTYPE_LEN		8

static const char *const tool_names[DIAG_TOOL_MAX] = {
	"ping", "tcping", "trace", "dig"
};

static struct imsgev			*iev_parent;
static TAILQ_HEAD(, diag_job)		 jobs = TAILQ_HEAD_INITIALIZER(jobs);
static int				 njobs;
static struct sockaddr_storage		 resolver;
static socklen_t			 resolver_len;
static char				 resolver_text[TARGET_CANON_LEN];
static int				 resolver_bad;

static void	diag_set_resolver(const char *);
static void	diag_run_msg(struct imsg *);
static void	diag_to_parent(uint32_t, enum diag_status, const char *,
		    size_t);
static int	diag_prepare(struct diag_job *, const char *, char *, size_t);
static int	diag_dig_target(struct diag_job *, const char *, char *,
		    size_t);
static void	diag_begin(int, short, void *);
static void	diag_deadline(int, short, void *);
static void	diag_resolved(struct dnsq *, const struct dns_msg *,
		    const char *, size_t);
static void	diag_launch(struct diag_job *);
static void	diag_set_addr(struct diag_job *, int, const void *);
static void	diag_dig_done(struct dnsq *, const struct dns_msg *,
		    const char *, size_t);
static void	diag_dig_finish(struct diag_job *);

void
diag_init(struct imsgev *iev)
{
	iev_parent = iev;
	diag_set_resolver("");
}

int
diag_tool_of(const char *name)
{
	int	 i;

	for (i = 0; i < DIAG_TOOL_MAX; i++)
		if (strcmp(name, tool_names[i]) == 0)
			return i;
	return -1;
}

/* Checked here, where strings from outside are parsed; "" is the default. */
static void
diag_set_resolver(const char *s)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&resolver;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&resolver;
	struct target		 t;
	char			 err[128];

	if (*s == '\0')
		s = DIAG_RESOLVER_DEFAULT;
	memset(&t, 0, sizeof(t));
	err[0] = '\0';
	memset(&resolver, 0, sizeof(resolver));
	resolver_bad = 0;
	if (target_parse(s, TARGET_ADDR | TARGET_HOSTPORT, &t, err,
	    sizeof(err)) == -1 || t.af == 0) {
		log_warnx("diag.resolver: %s: not an address or address:port"
		    "; dig and name lookups of the tools are off",
		    t.af == 0 && err[0] == '\0' ? "a name" : err);
		resolver_bad = 1;
		return;
	}
	if (t.af == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_addr = t.a4;
		sin->sin_port = htons(t.port ? t.port : DNS_PORT);
		resolver_len = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = t.a6;
		sin6->sin6_port = htons(t.port ? t.port : DNS_PORT);
		resolver_len = sizeof(*sin6);
	}
	snprintf(resolver_text, sizeof(resolver_text), "%s#%u", t.host,
	    t.port ? t.port : DNS_PORT);
}

/* The parent's messages: the resolver, and runs for moenetctl. */
void
diag_dispatch(struct imsg *imsg)
{
	struct diag_conf_msg	 c;

	switch (imsg_get_type(imsg)) {
	case IMSG_DIAG_CONF:
		if (imsg_get_data(imsg, &c, sizeof(c)) == -1)
			fatalx("%s: IMSG_DIAG_CONF wrong length", __func__);
		c.resolver[sizeof(c.resolver) - 1] = '\0';
		diag_set_resolver(c.resolver);
		break;
	case IMSG_DIAG_RUN:
		diag_run_msg(imsg);
		break;
	default:
		fatalx("%s: unexpected imsg %s", __func__,
		    imsg_type_name(imsg_get_type(imsg)));
	}
}

static void
diag_run_msg(struct imsg *imsg)
{
	struct diag_run_msg	 r;
	char			 err[256];
	int			 rc;

	if (imsg_get_data(imsg, &r, sizeof(r)) == -1)
		fatalx("%s: IMSG_DIAG_RUN wrong length", __func__);
	if (r.tool >= DIAG_TOOL_MAX ||
	    memchr(r.target, '\0', sizeof(r.target)) == NULL)
		fatalx("%s: bad IMSG_DIAG_RUN", __func__);
	rc = diag_start(r.tool, r.target, imsg_get_id(imsg), diag_to_parent,
	    err, sizeof(err));
	if (rc != DIAG_OK)
		diag_to_parent(imsg_get_id(imsg), rc, err, strlen(err));
}

static void
diag_to_parent(uint32_t id, enum diag_status status, const char *text,
    size_t len)
{
	struct diag_result_msg	 r;
	char			 buf[sizeof(r) + DIAG_OUTPUT_MAX];

	if (len > DIAG_OUTPUT_MAX)
		len = DIAG_OUTPUT_MAX;
	memset(&r, 0, sizeof(r));
	r.status = status;
	r.len = len;
	memcpy(buf, &r, sizeof(r));
	memcpy(buf + sizeof(r), text, len);
	imsg_compose_event(iev_parent, IMSG_DIAG_RESULT, id, 0, -1, buf,
	    sizeof(r) + len);
}

/*
 * DIAG_OK when the run is under way (cb is called later, once), else
 * DIAG_BADTARGET or DIAG_BUSY with the reason in err: nothing ran.
 */
int
diag_start(enum diag_tool tool, const char *arg, uint32_t id, diag_cb cb,
    char *err, size_t errlen)
{
	struct diag_job	*j;
	struct timeval	 now = { 0, 0 };
	struct timeval	 dl = { DIAG_DEADLINE_MS / 1000,
			    (DIAG_DEADLINE_MS % 1000) * 1000 };

	if ((unsigned int)tool >= DIAG_TOOL_MAX) {
		strlcpy(err, "no such tool", errlen);
		return DIAG_BADTARGET;
	}
	if ((j = calloc(1, sizeof(*j))) == NULL) {
		strlcpy(err, "out of memory", errlen);
		return DIAG_BUSY;
	}
	j->tool = tool;
	j->id = id;
	j->cb = cb;
	j->fd = -1;
	if (diag_prepare(j, arg, err, errlen) == -1) {
		free(j);
		return DIAG_BADTARGET;
	}
	if (njobs >= DIAG_JOBS_MAX) {
		free(j);
		snprintf(err, errlen, "%d tool runs under way already; try "
		    "again in a few seconds", DIAG_JOBS_MAX);
		return DIAG_BUSY;
	}
	if (diag_out_init(&j->out, DIAG_OUTPUT_MAX) == -1) {
		free(j);
		strlcpy(err, "out of memory", errlen);
		return DIAG_BUSY;
	}
	log_info("%s %s", tool_names[tool], j->tool == DIAG_DIG ? j->qname :
	    j->t.canon);
	TAILQ_INSERT_TAIL(&jobs, j, entry);
	njobs++;
	clock_gettime(CLOCK_MONOTONIC, &j->started);
	evtimer_set(&j->ev_deadline, diag_deadline, j);
	evtimer_add(&j->ev_deadline, &dl);
	/* Always from the loop: a caller never sees its callback early. */
	evtimer_set(&j->ev_step, diag_begin, j);
	evtimer_add(&j->ev_step, &now);
	return DIAG_OK;
}

/* The target, by tool; nothing is sent before this says yes. */
static int
diag_prepare(struct diag_job *j, const char *arg, char *err, size_t errlen)
{
	char	 why[128];
	int	 allowed;

	switch (j->tool) {
	case DIAG_DIG:
		return diag_dig_target(j, arg, err, errlen);
	case DIAG_TCPING:
		/* A bare host or address means port 80, as tcping has it. */
		allowed = TARGET_ADDR | TARGET_HOST | TARGET_HOSTPORT;
		break;
	default:
		allowed = TARGET_ADDR | TARGET_HOST;
		break;
	}
	if (target_parse(arg, allowed, &j->t, why, sizeof(why)) == -1) {
		snprintf(err, errlen, "bad target: %s", why);
		return -1;
	}
	j->port = j->t.port != 0 ? j->t.port : 80;
	return 0;
}

/* "<name> [type]", or an address for its PTR record. */
static int
diag_dig_target(struct diag_job *j, const char *arg, char *err,
    size_t errlen)
{
	char		 name[DIAG_TARGET_LEN], why[128];
	char		*type = NULL;
	const char	*p;
	int		 isaddr;

	if (strlcpy(name, arg, sizeof(name)) >= sizeof(name)) {
		strlcpy(err, "bad target: target too long", errlen);
		return -1;
	}
	if ((type = strchr(name, ' ')) != NULL) {
		*type++ = '\0';
		for (p = type; *p != '\0'; p++)
			if (!isalpha((unsigned char)*p))
				break;
		if (*p != '\0' || p == type || p - type > DIAG_QTYPE_LEN) {
			strlcpy(err, "bad target: expected \"<name> [type]\"",
			    errlen);
			return -1;
		}
	}
	if (target_parse(name, TARGET_ADDR | TARGET_HOST | TARGET_UNDERSCORE,
	    &j->t, why, sizeof(why)) == -1) {
		snprintf(err, errlen, "bad target: %s", why);
		return -1;
	}
	isaddr = j->t.kind == TARGET_ADDR;
	if (type == NULL)
		j->qtype = isaddr ? DNS_T_PTR : DNS_T_A;
	else if (dns_type_parse(type, &j->qtype) == -1) {
		strlcpy(err, "bad target: type not one of A, AAAA, CNAME, MX, "
		    "NS, PTR, SOA, SRV, TXT", errlen);
		return -1;
	}
	if (isaddr && j->qtype != DNS_T_PTR) {
		strlcpy(err, "bad target: an address is looked up as PTR",
		    errlen);
		return -1;
	}
	if (isaddr)
		dns_ptr_name(j->t.af, j->t.af == AF_INET ? (void *)&j->t.a4 :
		    (void *)&j->t.a6, j->qname, sizeof(j->qname));
	else
		strlcpy(j->qname, j->t.canon, sizeof(j->qname));
	return 0;
}

static void
diag_begin(int fd, short event, void *arg)
{
	struct diag_job	*j = arg;
	const char	*what = j->tool == DIAG_TRACE ? "traceroute" :
			    tool_names[j->tool];
	char		 tn[16];

	if (j->tool == DIAG_DIG) {
		j->finish = diag_dig_finish;
		diag_out_printf(&j->out, "; <<>> moenet-agent dig <<>> %s %s\n",
		    j->qname, dns_type_name(j->qtype, tn, sizeof(tn)));
		if (resolver_bad) {
			diag_out_printf(&j->out, ";; no resolver: "
			    "diag.resolver is not an address\n");
			diag_done(j);
			return;
		}
		if (dnsq_start(&j->q4, (struct sockaddr *)&resolver,
		    resolver_len, j->qname, j->qtype, DIAG_DIG_MS,
		    diag_dig_done, j) == -1) {
			diag_out_printf(&j->out, ";; cannot query %s: %s\n",
			    resolver_text, strerror(errno));
			diag_done(j);
		}
		return;
	}
	if (j->t.af != 0) {
		diag_set_addr(j, j->t.af, j->t.af == AF_INET ?
		    (void *)&j->t.a4 : (void *)&j->t.a6);
		diag_launch(j);
		return;
	}
	/* A name: its A and AAAA records, asked at once. */
	if (resolver_bad) {
		diag_out_printf(&j->out, "%s: cannot resolve %s: "
		    "diag.resolver is not an address\n", what, j->t.host);
		diag_done(j);
		return;
	}
	if (dnsq_start(&j->q4, (struct sockaddr *)&resolver, resolver_len,
	    j->t.host, DNS_T_A, DIAG_RESOLVE_MS, diag_resolved, j) == 0)
		j->nq++;
	if (dnsq_start(&j->q6, (struct sockaddr *)&resolver, resolver_len,
	    j->t.host, DNS_T_AAAA, DIAG_RESOLVE_MS, diag_resolved, j) == 0)
		j->nq++;
	if (j->nq == 0) {
		diag_out_printf(&j->out, "%s: cannot resolve %s: %s\n", what,
		    j->t.host, strerror(errno));
		diag_done(j);
	}
}

/*
 * Both answers are awaited, then IPv4 is preferred when there is one:
 * the DN42 hosts a bot user names mostly have both, and the IPv4
 * answer is what people compare with.
 */
static void
diag_resolved(struct dnsq *q, const struct dns_msg *m, const char *err,
    size_t len)
{
	struct diag_job	*j = q->arg;
	const char	*what = j->tool == DIAG_TRACE ? "traceroute" :
			    tool_names[j->tool];
	size_t		 i;

	if (m == NULL && j->qerr[0] == '\0')
		strlcpy(j->qerr, err, sizeof(j->qerr));
	else if (m != NULL && (m->flags & 0xf) != 0 && j->qerr[0] == '\0')
		strlcpy(j->qerr, dns_rcode_name(m->flags & 0xf),
		    sizeof(j->qerr));
	for (i = 0; m != NULL && i < m->an.n; i++) {
		if (m->an.rr[i].af == AF_INET && !j->have4) {
			j->t.a4 = m->an.rr[i].a4;
			j->have4 = 1;
		} else if (m->an.rr[i].af == AF_INET6 && !j->have6) {
			j->t.a6 = m->an.rr[i].a6;
			j->have6 = 1;
		}
	}
	if (--j->nq > 0)
		return;
	if (!j->have4 && !j->have6) {
		diag_out_printf(&j->out, "%s: cannot resolve %s: %s\n", what,
		    j->t.host, j->qerr[0] != '\0' ? j->qerr :
		    "no address records");
		diag_done(j);
		return;
	}
	j->t.af = j->have4 ? AF_INET : AF_INET6;
	diag_set_addr(j, j->t.af, j->t.af == AF_INET ? (void *)&j->t.a4 :
	    (void *)&j->t.a6);
	diag_launch(j);
}

static void
diag_set_addr(struct diag_job *j, int af, const void *a)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&j->sa;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&j->sa;

	memset(&j->sa, 0, sizeof(j->sa));
	if (af == AF_INET) {
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, a, sizeof(sin->sin_addr));
		sin->sin_port = htons(j->port);
		j->salen = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, a, sizeof(sin6->sin6_addr));
		sin6->sin6_port = htons(j->port);
		j->salen = sizeof(*sin6);
	}
	inet_ntop(af, a, j->addr, sizeof(j->addr));
}

static void
diag_launch(struct diag_job *j)
{
	switch (j->tool) {
	case DIAG_PING:
		diag_ping_start(j);
		break;
	case DIAG_TRACE:
		diag_trace_start(j);
		break;
	case DIAG_TCPING:
		diag_tcping_start(j);
		break;
	default:
		fatalx("%s: tool %d", __func__, j->tool);
	}
}

static void
diag_dig_done(struct dnsq *q, const struct dns_msg *m, const char *err,
    size_t len)
{
	struct diag_job	*j = q->arg;

	if (m == NULL) {
		diag_out_printf(&j->out, ";; %s (%s)\n", err, resolver_text);
		diag_done(j);
		return;
	}
	dns_format(&j->out, m);
	if (m->flags & DNS_F_TC)
		diag_out_printf(&j->out, ";; the answer was truncated (tc): "
		    "too large for UDP\n");
	diag_out_printf(&j->out, "\n;; Query time: %lld msec\n;; SERVER: "
	    "%s (UDP)\n;; MSG SIZE  rcvd: %zu\n", (long long)(q->us / 1000),
	    resolver_text, len);
	diag_done(j);
}

static void
diag_dig_finish(struct diag_job *j)
{
	diag_out_printf(&j->out, ";; no answer within %d seconds\n",
	    DIAG_DEADLINE_MS / 1000);
	diag_done(j);
}

/* The hard end: the tool says what it has, or just that time is up. */
static void
diag_deadline(int fd, short event, void *arg)
{
	struct diag_job	*j = arg;

	dnsq_stop(&j->q4);
	dnsq_stop(&j->q6);
	if (j->finish != NULL) {
		j->finish(j);
		return;
	}
	diag_out_printf(&j->out, "%s: no result within %d seconds\n",
	    tool_names[j->tool], DIAG_DEADLINE_MS / 1000);
	diag_done(j);
}

/* Sends the text on and forgets the run; j is gone afterwards. */
void
diag_done(struct diag_job *j)
{
	dnsq_stop(&j->q4);
	dnsq_stop(&j->q6);
	diag_io_close(j);
	evtimer_del(&j->ev_step);
	evtimer_del(&j->ev_deadline);
	diag_out_finish(&j->out);
	TAILQ_REMOVE(&jobs, j, entry);
	njobs--;
	j->cb(j->id, DIAG_OK, j->out.buf, j->out.len);
	diag_out_free(&j->out);
	free(j);
}

void
diag_io(struct diag_job *j, int fd, short events,
    void (*fn)(int, short, void *))
{
	diag_io_close(j);
	j->fd = fd;
	event_set(&j->ev_io, fd, events, fn, j);
	event_add(&j->ev_io, NULL);
	j->io_set = 1;
}

void
diag_io_close(struct diag_job *j)
{
	if (j->io_set)
		event_del(&j->ev_io);
	j->io_set = 0;
	if (j->fd != -1)
		close(j->fd);
	j->fd = -1;
}

void
diag_timer(struct diag_job *j, int ms, void (*fn)(int, short, void *))
{
	struct timeval	 tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_del(&j->ev_step);
	evtimer_set(&j->ev_step, fn, j);
	evtimer_add(&j->ev_step, &tv);
}

int64_t
diag_elapsed_us(const struct timespec *since)
{
	struct timespec	 now;
	int64_t		 us;

	clock_gettime(CLOCK_MONOTONIC, &now);
	us = (int64_t)(now.tv_sec - since->tv_sec) * 1000000 +
	    (now.tv_nsec - since->tv_nsec) / 1000;
	return us < 0 ? 0 : us;
}

/* Milliseconds with three decimals, as ping prints them. */
void
diag_fmt_ms(char *buf, size_t len, int64_t us)
{
	snprintf(buf, len, "%lld.%03lld", (long long)(us / 1000),
	    (long long)(us % 1000));
}

/* "<what> min/avg/max = a/b/c ms" over the answered probes, if any. */
void
diag_out_minavgmax(struct diag_job *j, const char *what)
{
	int64_t	 min = -1, max = -1, sum = 0;
	char	 a[32], b[32], c[32];
	int	 i;

	if (j->nrecv == 0)
		return;
	for (i = 1; i <= j->nsent; i++) {
		if (j->p[i].us < 0)
			continue;
		sum += j->p[i].us;
		if (min < 0 || j->p[i].us < min)
			min = j->p[i].us;
		if (j->p[i].us > max)
			max = j->p[i].us;
	}
	diag_fmt_ms(a, sizeof(a), min);
	diag_fmt_ms(b, sizeof(b), sum / j->nrecv);
	diag_fmt_ms(c, sizeof(c), max);
	diag_out_printf(&j->out, "%s min/avg/max = %s/%s/%s ms\n", what, a, b,
	    c);
}
