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
 * libFuzzer harness for the control socket: the imsg reader
 * (common/imsg.c, imsgbuf_read and imsg_get with the control socket's
 * size limit) and the request checks and answers of parent/outputs/control.c,
 * included for its connection code.  Each input is a moenetctl client
 * on a real socketpair, its bytes arriving in chunks; every answer it
 * reads back must be a whole imsg of the protocol's version.
 *
 * The engine, BIRD, the bot API and the tools are not here: this file
 * answers for them as a node without sessions would (a BIRD refresh or
 * a bot operation answers at once, a probe finds no session).
 *
 * Input: a byte of options (bit 0: the read-only socket), a byte for
 * the chunk size (0: all at once), then the client's bytes.
 */

#include "parent/outputs/control.c"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

struct moenet_conf	*conf;
struct child		 children[PROC_MAX];

static struct engine_status	 est = { .started = 1 };
static struct bird_state	 bst;
static struct wg_counters	 wgc;
static uint64_t			 acounters[APPLY_NSTATUS];
static int			 maint_on;

static void
quiet(int pri, const char *line)
{
}

const struct engine_status *
engine_status(void)
{
	return &est;
}

void
engine_sync_now(void)
{
}

const struct bird_state *
bird_state(void)
{
	return &bst;
}

const struct wg_counters *
wg_get_counters(void)
{
	return &wgc;
}

const char *
wg_backend_name(void)
{
	return "wireguard-go";
}

const uint64_t *
apply_counters(void)
{
	return acounters;
}

const char *
apply_status_name(enum apply_status s)
{
	return "ok";
}

int
maint_get(void)
{
	return maint_on;
}

time_t
maint_since(void)
{
	return 1796426869;
}

int
maint_set(int on, const char *source, void (*done)(const char *, void *),
    void *arg)
{
	maint_on = on;
	done(NULL, arg);
	return 0;
}

int
metrics_refresh_bird(void (*done)(const struct bird_answer *, void *),
    void *arg)
{
	done(NULL, arg);
	return 0;
}

void
ctl_status_ext_fill(struct ctl_status_ext_msg *m, time_t now)
{
	memset(m, 0, sizeof(*m));
}

void
ctl_node_fill(struct ctl_node_msg *m, const struct bird_answer *a)
{
	memset(m, 0, sizeof(*m));
}

struct ctl_protos *
ctl_protos_new(const struct bird_answer *a)
{
	return NULL;
}

void
ctl_protos_free(struct ctl_protos *p)
{
}

size_t
ctl_session_protos(const struct ctl_protos *p, const struct session *s,
    struct ctl_proto_msg *out, size_t max, time_t now)
{
	return 0;
}

void
ctl_session_ext_fill(struct ctl_session_ext_msg *m, const struct session *s,
    const struct ctl_proto_msg *pm, size_t np, time_t now)
{
	memset(m, 0, sizeof(*m));
}

void
botapi_restart(const char *name, const char *who, botapi_cb cb, void *arg)
{
	cb(404, "{\"error\":\"no such session\"}", arg);
}

void
botapi_lookup(int path, const char *target, botapi_cb cb, void *arg)
{
	cb(200, "{\"routes\":[]}", arg);
}

int
probe_now(uint32_t asn, probe_cb cb, void *arg)
{
	errno = ENOENT;
	return -1;
}

int
tools_run(enum diag_tool tool, const char *target, tools_cb cb, void *arg)
{
	cb(0, "PING 172.20.0.1\n", 16, arg);
	return 0;
}

int
degraded_reasons(char r[][DEGRADED_LEN], int max)
{
	if (max < 1)
		return 0;
	strlcpy(r[0], "state: no space left on device", DEGRADED_LEN);
	return 1;
}

int
guard_confirm(char *msg, size_t len)
{
	snprintf(msg, len, "no removal is held");
	return -1;
}

char *
firewall_text(void)
{
	return strdup("firewall: iptables-nft\nports: 51820 4242\n");
}

int
parent_reload(char *err, size_t len)
{
	strlcpy(err, "not here", len);
	return -1;
}

int
parent_imsg_compose(enum moenet_proc p, uint32_t type, uint32_t peerid,
    int fd, const void *data, size_t len)
{
	return 0;
}

void
ctl_session_fill(struct ctl_session_msg *m, const struct session *s,
    time_t now)
{
	memset(m, 0, sizeof(*m));
	strlcpy(m->uuid, s->desired.uuid, sizeof(m->uuid));
}

/* Sessions for ctl_find() (parent/outputs/ctl_find.c) to look through. */
static struct session	 fsess[3];

static void
fuzz_sessions(void)
{
	static const char *const uuids[] = { "s1", "5ec0ndab-0002",
	    "5ec0ndab-0003" };
	static const char *const names[] = { "peer b", "东京", "4242420003" };
	int	 i;

	for (i = 0; i < 3; i++) {
		strlcpy(fsess[i].desired.uuid, uuids[i],
		    sizeof(fsess[i].desired.uuid));
		strlcpy(fsess[i].desired.name, names[i],
		    sizeof(fsess[i].desired.name));
		snprintf(fsess[i].protocol, sizeof(fsess[i].protocol),
		    "dn42_424242000%d", i < 2 ? 2 : 3);
		strlcpy(fsess[i].desired.ifname, fsess[i].protocol,
		    sizeof(fsess[i].desired.ifname));
		fsess[i].desired.asn = i < 2 ? 4242420002U : 4242420003U;
		RB_INSERT(session_tree, &sessions, &fsess[i]);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_init(0, LOG_USER);
	log_setsink(quiet);
	event_init();
	/* Defaults only: nothing of it is configured. */
	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		abort();
	fuzz_sessions();
	return 0;
}

static int
alive(const struct ctl_conn *c)
{
	const struct ctl_conn	*x;

	TAILQ_FOREACH(x, &ctl_conns, entry)
		if (x == c)
			return 1;
	return 0;
}

/* What the client reads back: whole imsgs of the protocol's version. */
static void
drain(struct imsgbuf *ib)
{
	struct imsg	 imsg;
	ssize_t		 n, r;
	size_t		 before;

	/* imsgbuf_read() says 1 for "nothing now": stop when nothing came. */
	do {
		before = ib->rlen;
		r = imsgbuf_read(ib);
		if (r == 1 && ib->rlen == before)
			break;
		while ((n = imsg_get(ib, &imsg)) > 0) {
			if (imsg_get_id(&imsg) != IMSG_VERSION ||
			    imsg_get_len(&imsg) + IMSG_HEADER_SIZE >
			    CTL_MAXIMSG)
				abort();
			imsg_free(&imsg);
		}
		if (n == -1)
			abort();
	} while (r == 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctl_conn	*c;
	struct imsgbuf	 cib;
	size_t		 off, n, step;
	int		 sp[2], i;

	if (size < 2)
		return 0;
	step = data[1];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sp) == -1)
		abort();
	if ((c = calloc(1, sizeof(*c))) == NULL)
		abort();
	c->uid = 0;
	c->pid = 4242;
	c->restricted = data[0] & 0x1;
	if (imsgbuf_init(&c->iev.ibuf, sp[0]) == -1 ||
	    imsgbuf_set_maxsize(&c->iev.ibuf, CTL_MAXIMSG) == -1 ||
	    imsgbuf_init(&cib, sp[1]) == -1 ||
	    imsgbuf_set_maxsize(&cib, CTL_MAXIMSG) == -1)
		abort();
	c->iev.handler = control_dispatch;
	c->iev.data = c;
	c->iev.name = "control";
	evtimer_set(&c->ev_idle, control_idle, c);
	TAILQ_INSERT_TAIL(&ctl_conns, c, entry);
	ctl_nconns++;
	control_event_add(c);
	data += 2;
	size -= 2;

	for (off = 0; off < size && alive(c); off += n) {
		n = step == 0 ? size - off : step;
		if (n > size - off)
			n = size - off;
		if (write(sp[1], data + off, n) != (ssize_t)n)
			break;
		control_dispatch(sp[0], EV_READ, &c->iev);
		if (alive(c))
			control_dispatch(sp[0], EV_WRITE, &c->iev);
		drain(&cib);
	}
	/* Whatever is left to send, then the client hangs up. */
	for (i = 0; i < 64 && alive(c) &&
	    imsgbuf_queuelen(&c->iev.ibuf) > 0; i++) {
		control_dispatch(sp[0], EV_WRITE, &c->iev);
		drain(&cib);
	}
	shutdown(sp[1], SHUT_WR);
	if (alive(c))
		control_dispatch(sp[0], EV_READ, &c->iev);
	if (alive(c))
		control_close(c);
	drain(&cib);
	imsgbuf_clear(&cib);
	close(sp[1]);
	return 0;
}
