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
 * Framer tests: every fixture split at every byte boundary gives what
 * the whole gives; synthetic streams for each framing rule and limit;
 * a forked fake BIRD that writes one byte at a time over a socketpair.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "regress/regress.h"
#include "bird.h"
#include "birdctl/birdcmd.h"
#include "birdctl/birdparse.h"
#include "birdctl/birdproto.h"
#include "birddump.h"

#define BANNER	"0001 BIRD 2.0.12 ready.\n"

static int	raw_filter(const struct dirent *);
static void	test_splits(const char *);
static void	async_count(const char *, void *);
static int	start(struct bird_reader *, int, const char *);
static int	feed_str(struct bird_reader *, const char *);
static void	test_rules(void);
static void	test_limits(void);
static void	test_results(void);
static void	test_eof(void);
static void	write_slowly(int, const char *, size_t);
static int	read_line(int, char *, size_t);
static void	test_socketpair(const char *);

static int
raw_filter(const struct dirent *d)
{
	size_t	n = strlen(d->d_name);

	return n > 4 && strcmp(d->d_name + n - 4, ".raw") == 0;
}

static void
test_splits(const char *dir)
{
	struct dirent	**ents;
	char		  path[1400], kind[64], name[300], *data, *whole, *s;
	size_t		 *cuts, len, k;
	int		  i, n, bad;

	if ((n = scandir(dir, &ents, raw_filter, alphasort)) == -1)
		err(1, "%s", dir);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		snprintf(name, sizeof(name), "split %s", ents[i]->d_name);
		strlcpy(kind, ents[i]->d_name, sizeof(kind));
		kind[strcspn(kind, ".")] = '\0';
		if ((data = read_file(path, &len)) == NULL)
			err(1, "%s", path);
		whole = dump_to_string(kind, data, len, NULL, 0);
		bad = 0;
		for (k = 1; k < len && !bad; k++) {
			s = dump_to_string(kind, data, len, &k, 1);
			if (strcmp(s, whole) != 0) {
				REGRESS_FAIL(name, "differs when cut at %zu",
				    k);
				bad = 1;
			}
			free(s);
		}
		/* And one byte per feed. */
		if (!bad && len > 1) {
			if ((cuts = calloc(len - 1, sizeof(*cuts))) == NULL)
				err(1, NULL);
			for (k = 1; k < len; k++)
				cuts[k - 1] = k;
			s = dump_to_string(kind, data, len, cuts, len - 1);
			if (strcmp(s, whole) != 0) {
				REGRESS_FAIL(name, "differs fed bytewise");
				bad = 1;
			}
			free(s);
			free(cuts);
		}
		if (!bad && strstr(whole, "protocol error") != NULL) {
			REGRESS_FAIL(name, "%s", whole);
			bad = 1;
		}
		if (!bad)
			REGRESS_OK(name);
		free(whole);
		free(data);
		free(ents[i]);
	}
	free(ents);
	if (n == 0)
		REGRESS_FAIL("split", "no fixtures in %s", dir);
}

static void
async_count(const char *text, void *arg)
{
	int	*n = arg;

	(*n)++;
}

static int
start(struct bird_reader *r, int type, const char *name)
{
	struct bird_cmd_msg	cmd;
	char			line[BIRD_CMD_LINE_MAX];

	memset(&cmd, 0, sizeof(cmd));
	cmd.type = type;
	cmd.timeout = 30;
	if (name != NULL)
		strlcpy(cmd.name, name, sizeof(cmd.name));
	return bird_reader_start(r, &cmd, line, sizeof(line));
}

static int
feed_str(struct bird_reader *r, const char *s)
{
	return bird_reader_feed(r, s, strlen(s));
}

static void
test_rules(void)
{
	struct bird_reader	 r;
	const struct bird_reply	*rp;
	int			 na = 0, rv;

	/* Banner first, version recorded; ready only after it. */
	bird_reader_init(&r, 0, 0, 0);
	REGRESS_CHECK("not ready before banner", !bird_reader_ready(&r));
	REGRESS_CHECK("banner", feed_str(&r, BANNER) == BIRD_FEED_MORE &&
	    bird_reader_ready(&r) &&
	    strcmp(bird_reader_version(&r), "2.0.12") == 0);
	REGRESS_CHECK("reply line with nothing asked",
	    feed_str(&r, "0000 \n") == BIRD_FEED_ERROR);
	bird_reader_clear(&r);

	bird_reader_init(&r, 0, 0, 0);
	REGRESS_CHECK("banner must be 0001",
	    feed_str(&r, "0002-Reading\n") == BIRD_FEED_ERROR);
	bird_reader_clear(&r);
	bird_reader_init(&r, 0, 0, 0);
	REGRESS_CHECK("banner must name BIRD",
	    feed_str(&r, "0001 Hello there\n") == BIRD_FEED_ERROR);
	bird_reader_clear(&r);

	/*
	 * " st6        Static" has a space as fifth byte: it is a
	 * continuation and must not end the reply.
	 */
	bird_reader_init(&r, 0, 0, 0);
	start(&r, BIRD_CMD_SHOW_PROTOCOLS, NULL);
	rv = feed_str(&r, BANNER
	    "2002-Name       Proto      Table      State  Since         Info\n"
	    "1002-device1    Device     ---        up     21:49:19.848  \n"
	    " st6        Static     master6    up     21:49:19.848  \n");
	REGRESS_CHECK("fifth-byte space is not the end",
	    rv == BIRD_FEED_MORE && bird_reader_reply(&r) == NULL);
	rv = feed_str(&r, "0000 \n");
	rp = bird_reader_reply(&r);
	REGRESS_CHECK("continuation keeps code", rv == BIRD_FEED_DONE &&
	    rp != NULL && rp->nlines == 4 && rp->lines[2].code == 1002 &&
	    (rp->lines[2].flags & BIRD_LINE_CONT) &&
	    strcmp(bird_reply_text(rp, 2), "st6        Static     master6"
	    "    up     21:49:19.848  ") == 0 && rp->code == 0);
	REGRESS_CHECK("busy while a reply is held",
	    bird_reader_ready(&r) == 1);
	bird_reader_release(&r);

	/* 0002- begins a configure reply; it is not its verdict. */
	start(&r, BIRD_CMD_CONFIGURE, NULL);
	rv = feed_str(&r, "0002-Reading configuration from /etc/bird.conf\n");
	REGRESS_CHECK("0002- does not end a reply",
	    rv == BIRD_FEED_MORE && bird_reader_reply(&r) == NULL);
	REGRESS_CHECK("one command at a time",
	    start(&r, BIRD_CMD_SHOW_STATUS, NULL) == -1 && errno == EBUSY);
	rv = feed_str(&r, "8002 /etc/bird.conf:3:1 syntax error\n");
	REGRESS_CHECK("8002 ends it", rv == BIRD_FEED_DONE &&
	    bird_reader_reply(&r)->code == 8002 &&
	    bird_code_class(8002) == BIRD_CLASS_RUNTIME);
	bird_reader_clear(&r);

	/* Asynchronous lines anywhere, never ending or joining a reply. */
	bird_reader_init(&r, 0, 0, 0);
	bird_reader_set_async(&r, async_count, &na);
	rv = feed_str(&r, "+early\n" BANNER "+idle\n");
	start(&r, BIRD_CMD_SHOW_PROTOCOLS, NULL);
	rv = feed_str(&r, "2002-Name Proto Table State Since Info\n"
	    "1002-a BGP --- up 12:00:00.000 Established\n"
	    "+Config timeout expired, starting undo\n"
	    " b BGP --- start 12:00:00.000 Active\n"
	    "+<3 messages lost>\n"
	    "0000 \n+after\n");
	rp = bird_reader_reply(&r);
	REGRESS_CHECK("async lines interleaved", rv == BIRD_FEED_DONE &&
	    na == 5 && rp->nlines == 4 && rp->lines[2].code == 1002 &&
	    strcmp(bird_reply_text(rp, 2), "b BGP --- start 12:00:00.000 "
	    "Active") == 0);
	REGRESS_CHECK("async undo notice",
	    bird_async_is_undo("Config timeout expired, starting undo") &&
	    !bird_async_is_undo("Reconfigured"));
	bird_reader_clear(&r);

	/* A command may be queued before the banner arrives. */
	bird_reader_init(&r, 0, 0, 0);
	REGRESS_CHECK("command before banner",
	    start(&r, BIRD_CMD_SHOW_STATUS, NULL) == 12 &&
	    start(&r, BIRD_CMD_SHOW_STATUS, NULL) == -1);
	rv = feed_str(&r, BANNER "1000-BIRD 2.0.12\n0013 Daemon is up and "
	    "running\n");
	REGRESS_CHECK("queued command answered", rv == BIRD_FEED_DONE &&
	    bird_reader_reply(&r)->code == 13 &&
	    bird_reader_reply(&r)->nlines == 2);
	/* A refused command leaves the reader as it was. */
	REGRESS_CHECK("refused command", start(&r, BIRD_CMD_DISABLE, "all")
	    == -1 && errno == EINVAL && bird_reader_ready(&r) &&
	    bird_reader_error(&r) == NULL);
	bird_reader_clear(&r);

	/* Malformed input is a protocol error, and stays one. */
	{
		static const char *const bad[] = {
			"abcd\n", "00a1 x\n", "0000\n", "\n", "0000x\n",
			" orphan continuation\n", "1002 \0x\n", "#comment\n"
		};
		static const size_t badlen[] = {
			5, 7, 5, 1, 6, 21, 8, 9
		};
		char	 name[64];
		size_t	 i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			bird_reader_init(&r, 0, 0, 0);
			start(&r, BIRD_CMD_SHOW_STATUS, NULL);
			feed_str(&r, BANNER);
			rv = bird_reader_feed(&r, bad[i], badlen[i]);
			snprintf(name, sizeof(name), "malformed %zu", i);
			REGRESS_CHECK(name, rv == BIRD_FEED_ERROR &&
			    bird_reader_error(&r) != NULL &&
			    feed_str(&r, "0000 \n") == BIRD_FEED_ERROR &&
			    start(&r, BIRD_CMD_SHOW_STATUS, NULL) == -1);
			bird_reader_clear(&r);
		}
	}
}

static void
test_limits(void)
{
	struct bird_reader	 r;
	char			 line[600], *big;
	size_t			 i;
	int			 rv;

	/* BIRD's longest line: 510 bytes of text and newline. */
	bird_reader_init(&r, 512, 0, 0);
	start(&r, BIRD_CMD_SHOW_STATUS, NULL);
	feed_str(&r, BANNER);
	memcpy(line, "1011-", 5);
	memset(line + 5, 'x', 505);
	line[510] = '\n';
	line[511] = '\0';
	rv = feed_str(&r, line);
	rv = feed_str(&r, "0013 Daemon is up and running\n");
	REGRESS_CHECK("512-byte line", rv == BIRD_FEED_DONE &&
	    bird_reader_reply(&r)->lines[0].len == 505);
	bird_reader_release(&r);
	start(&r, BIRD_CMD_SHOW_STATUS, NULL);
	memset(line + 5, 'x', 520);
	line[525] = '\n';
	line[526] = '\0';
	REGRESS_CHECK("line over cap", feed_str(&r, line) == BIRD_FEED_ERROR
	    && strstr(bird_reader_error(&r), "line longer") != NULL);
	bird_reader_clear(&r);

	/* Without a newline the line cap still holds. */
	bird_reader_init(&r, 64, 0, 0);
	start(&r, BIRD_CMD_SHOW_STATUS, NULL);
	feed_str(&r, BANNER);
	for (i = 0, rv = 0; i < 100 && rv != BIRD_FEED_ERROR; i++)
		rv = bird_reader_feed(&r, "x", 1);
	REGRESS_CHECK("endless line", rv == BIRD_FEED_ERROR && i == 65);
	bird_reader_clear(&r);

	bird_reader_init(&r, 0, 0, 10);
	start(&r, BIRD_CMD_SHOW_PROTOCOLS, NULL);
	feed_str(&r, BANNER);
	for (i = 0, rv = 0; i < 20 && rv != BIRD_FEED_ERROR; i++)
		rv = feed_str(&r, "1002-x\n");
	REGRESS_CHECK("lines over cap", rv == BIRD_FEED_ERROR && i == 11);
	bird_reader_clear(&r);

	bird_reader_init(&r, 0, 1000, 0);
	start(&r, BIRD_CMD_SHOW_PROTOCOLS, NULL);
	feed_str(&r, BANNER);
	if ((big = malloc(200 * 12 + 1)) == NULL)
		err(1, NULL);
	for (i = 0; i < 200; i++)
		memcpy(big + i * 12, "1002-abcdef\n", 12);
	big[2400] = '\0';
	rv = feed_str(&r, big);
	REGRESS_CHECK("bytes over cap", rv == BIRD_FEED_ERROR &&
	    strstr(bird_reader_error(&r), "bytes") != NULL);
	bird_reader_clear(&r);

	/* Exactly at the cap is fine, and the buffer is reused. */
	bird_reader_init(&r, 0, 8, 3);
	start(&r, BIRD_CMD_SHOW_PROTOCOLS, NULL);
	rv = feed_str(&r, BANNER "1002-abc\n0000 abc\n");
	REGRESS_CHECK("at cap", rv == BIRD_FEED_DONE);
	bird_reader_release(&r);
	start(&r, BIRD_CMD_SHOW_PROTOCOLS, NULL);
	rv = feed_str(&r, "1002-abc\n 1\n0000 \n");
	REGRESS_CHECK("second reply at cap", rv == BIRD_FEED_DONE &&
	    bird_reader_reply(&r)->nlines == 3);
	free(big);
	bird_reader_clear(&r);
}

static void
test_results(void)
{
	static const struct {
		const char	*name;
		int		 cmd;
		const char	*reply;
		int		 outcome, code, rv;
	} cases[] = {
		{ "result 0004 in progress", BIRD_CMD_CONFIGURE,
		    "0002-Reading configuration from /etc/bird.conf\n"
		    "0004 Reconfiguration in progress\n",
		    BIRD_OUT_IN_PROGRESS, 4, 0 },
		{ "result 0005 queued", BIRD_CMD_CONFIGURE_TIMEOUT,
		    "0002-Reading configuration from /etc/bird.conf\n"
		    "0022-Undo scheduled in 30 s\n"
		    "0005 Reconfiguration already in progress, queueing\n",
		    BIRD_OUT_IN_PROGRESS, 5, 0 },
		{ "result 8007 after restrict", BIRD_CMD_CONFIGURE,
		    "8007 Access denied\n", BIRD_OUT_DENIED, 8007, -1 },
		{ "result 9001", BIRD_CMD_ENABLE,
		    "9001 syntax error, unexpected CF_SYM_UNDEFINED\n",
		    BIRD_OUT_PARSE_ERROR, 9001, -1 },
		{ "result 8003", BIRD_CMD_RESTART,
		    "8003 No protocols match\n", BIRD_OUT_NO_MATCH, 8003, -1 },
		{ "result 0006 shutting down", BIRD_CMD_CONFIGURE,
		    "0006 Reconfiguration ignored, shutting down\n",
		    BIRD_OUT_REFUSED, 6, -1 },
		{ "result wrong verdict", BIRD_CMD_CONFIGURE_CHECK,
		    "0002-Reading configuration from /etc/bird.conf\n"
		    "0003 Reconfigured\n", BIRD_OUT_UNEXPECTED, 3, -1 },
		{ "result bare 0000 for enable", BIRD_CMD_ENABLE,
		    "0000 \n", BIRD_OUT_UNEXPECTED, 0, -1 },
		{ "result 0019 for configure", BIRD_CMD_CONFIGURE,
		    "0019 Nothing to do\n", BIRD_OUT_UNEXPECTED, 19, -1 }
	};
	struct bird_reader	r;
	struct bird_result_msg	res;
	size_t			i;
	int			rv;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bird_reader_init(&r, 0, 0, 0);
		start(&r, cases[i].cmd, cases[i].cmd == BIRD_CMD_ENABLE ||
		    cases[i].cmd == BIRD_CMD_RESTART ? "peer_wg0" : NULL);
		feed_str(&r, BANNER);
		rv = feed_str(&r, cases[i].reply);
		if (rv != BIRD_FEED_DONE) {
			REGRESS_FAIL(cases[i].name, "feed %d", rv);
			bird_reader_clear(&r);
			continue;
		}
		rv = bird_parse_result(bird_reader_reply(&r), &res);
		if (rv != cases[i].rv || (int)res.outcome != cases[i].outcome
		    || (int)res.code != cases[i].code)
			REGRESS_FAIL(cases[i].name, "rv %d outcome %s code %u",
			    rv, bird_outcome_name(res.outcome), res.code);
		else
			REGRESS_OK(cases[i].name);
		bird_reader_clear(&r);
	}
}

static void
test_eof(void)
{
	struct bird_reader	r;

	bird_reader_init(&r, 0, 0, 0);
	feed_str(&r, "0001 BIRD 2.0");
	REGRESS_CHECK("eof in banner", bird_reader_eof(&r) == -1);
	bird_reader_clear(&r);

	bird_reader_init(&r, 0, 0, 0);
	start(&r, BIRD_CMD_SHOW_PROTOCOLS, NULL);
	feed_str(&r, BANNER "2002-Name Proto Table State Since Info\n"
	    "1002-a BGP --- up 12:00:00.000 Established\n");
	REGRESS_CHECK("eof mid-reply", bird_reader_eof(&r) == -1 &&
	    strstr(bird_reader_error(&r), "middle of a reply") != NULL &&
	    bird_reader_reply(&r) == NULL);
	bird_reader_clear(&r);

	bird_reader_init(&r, 0, 0, 0);
	start(&r, BIRD_CMD_SHOW_PROTOCOLS, NULL);
	feed_str(&r, BANNER "0000");
	REGRESS_CHECK("eof mid-line", bird_reader_eof(&r) == -1);
	bird_reader_clear(&r);

	bird_reader_init(&r, 0, 0, 0);
	feed_str(&r, BANNER);
	REGRESS_CHECK("eof when idle", bird_reader_eof(&r) == 0);
	bird_reader_clear(&r);
}

static void
write_slowly(int fd, const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (write(fd, s + i, 1) != 1)
			_exit(2);
}

/* The fake BIRD reads a command line, byte by byte like BIRD's CLI. */
static int
read_line(int fd, char *buf, size_t len)
{
	size_t	i;

	for (i = 0; i + 1 < len; i++) {
		if (read(fd, buf + i, 1) != 1)
			return -1;
		if (buf[i] == '\n') {
			buf[i + 1] = '\0';
			return 0;
		}
	}
	return -1;
}

static void
test_socketpair(const char *fixture)
{
	static const char cfg[] =
	    "0002-Reading configuration from /etc/bird/bird.conf\n"
	    "0022-Undo scheduled in 30 s\n"
	    "+Config timeout expired, starting undo\n"
	    "0003 Reconfigured\n";
	struct bird_reader	 r;
	struct bird_result_msg	 res;
	struct bird_proto_msg	*p = NULL;
	struct bird_cmd_msg	 cmd;
	char			 buf[4096], line[BIRD_CMD_LINE_MAX], *data;
	char			 errbuf[256];
	size_t			 len, np = 0, reads = 0;
	ssize_t			 n;
	pid_t			 pid;
	int			 sp[2], status, rv = 0, ok = 1, na = 0, step;

	if ((data = read_file(fixture, &len)) == NULL)
		err(1, "%s", fixture);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) == -1)
		err(1, "socketpair");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		close(sp[0]);
		/* The fixture starts with the banner. */
		write_slowly(sp[1], data, strlen(BANNER));
		if (read_line(sp[1], buf, sizeof(buf)) == -1 ||
		    strcmp(buf, "show protocols all\n") != 0)
			_exit(3);
		write_slowly(sp[1], data + strlen(BANNER),
		    len - strlen(BANNER));
		if (read_line(sp[1], buf, sizeof(buf)) == -1 ||
		    strcmp(buf, "configure timeout 30\n") != 0)
			_exit(4);
		write_slowly(sp[1], cfg, sizeof(cfg) - 1);
		if (read_line(sp[1], buf, sizeof(buf)) == -1 ||
		    strcmp(buf, "show status\n") != 0)
			_exit(5);
		/* Hang up in the middle of the reply. */
		write_slowly(sp[1], "1000-BIRD 2.0.12\n1011-Router", 28);
		_exit(0);
	}
	close(sp[1]);

	bird_reader_init(&r, 0, 0, 0);
	bird_reader_set_async(&r, async_count, &na);
	memset(&cmd, 0, sizeof(cmd));
	for (step = 0; step < 3 && ok; step++) {
		cmd.type = step == 0 ? BIRD_CMD_SHOW_PROTOCOLS_ALL :
		    step == 1 ? BIRD_CMD_CONFIGURE_TIMEOUT :
		    BIRD_CMD_SHOW_STATUS;
		cmd.timeout = step == 1 ? 30 : 0;
		if ((n = bird_reader_start(&r, &cmd, line, sizeof(line))) ==
		    -1 || write(sp[0], line, n) != n) {
			ok = 0;
			break;
		}
		do {
			/* Odd read sizes, so lines straddle reads. */
			if ((n = read(sp[0], buf, 1 + reads % 97)) <= 0)
				break;
			reads++;
			rv = bird_reader_feed(&r, buf, n);
		} while (rv == BIRD_FEED_MORE);
		if (step == 0 && rv == BIRD_FEED_DONE)
			ok = bird_parse_protocols(bird_reader_reply(&r),
			    DUMP_REF_TIME, &p, &np, errbuf, sizeof(errbuf))
			    == 0 && np == 6 &&
			    strcmp(p[5].name, "peer_wg0") == 0 &&
			    p[5].bgp_state_code == BIRD_BGP_ESTABLISHED &&
			    p[5].nchannels == 2;
		else if (step == 1 && rv == BIRD_FEED_DONE)
			ok = bird_parse_result(bird_reader_reply(&r), &res) ==
			    0 && res.undo_timeout == 30 && na == 1;
		else if (step == 2)
			ok = n == 0 && bird_reader_eof(&r) == -1;
		else
			ok = 0;
	}
	free(p);
	close(sp[0]);
	if (waitpid(pid, &status, 0) == -1)
		err(1, "waitpid");
	if (!ok || step != 3)
		REGRESS_FAIL("socketpair fake bird", "failed at step %d (%s)",
		    step, bird_reader_error(&r) ? bird_reader_error(&r) : "");
	else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		REGRESS_FAIL("socketpair fake bird", "fake bird status %d",
		    status);
	else
		REGRESS_OK("socketpair fake bird");
	bird_reader_clear(&r);
	free(data);
}

int
main(int argc, char *argv[])
{
	char	dir[1024], fixture[1200], *self;

	setenv("TZ", "UTC", 1);
	tzset();
	signal(SIGPIPE, SIG_IGN);
	if ((self = strdup(argv[0])) == NULL)
		err(1, NULL);
	snprintf(dir, sizeof(dir), "%s/fixtures", dirname(self));
	snprintf(fixture, sizeof(fixture), "%s/protocols.t01-3.raw", dir);

	test_rules();
	test_limits();
	test_results();
	test_eof();
	test_socketpair(fixture);
	test_splits(dir);
	free(self);
	REGRESS_EXIT();
}
