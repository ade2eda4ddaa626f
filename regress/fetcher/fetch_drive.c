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
 * Drives the real, sandboxed fetcher as the parent would: starts it
 * from the agent binary, sends its settings, token and CA, then runs
 * the calls named on the command line and prints what came back, one
 * line per record or result.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "imsg.h"
#include "proc.h"
#include "sandbox.h"
#include "cp.h"
#include "cpctl.h"

static struct imsgbuf	 ibuf;
static uint32_t		 next_id = 1;

static const char *const breaker_names[] = { "closed", "open", "half-open" };

static void
send_imsg(uint32_t type, uint32_t id, const void *data, size_t len)
{
	if (imsg_compose(&ibuf, type, id, 0, -1, data, len) == -1 ||
	    imsgbuf_flush(&ibuf) == -1)
		err(1, "send %s", imsg_type_name(type));
}

static void
print_session(const struct cp_session_msg *s)
{
	char	 a4[INET_ADDRSTRLEN], a6[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET, &s->ipv4, a4, sizeof(a4));
	inet_ntop(AF_INET6, &s->ipv6_ll, a6, sizeof(a6));
	printf("session %s asn=%u if=%s status=%u flags=%#x v4=%s ll=%s "
	    "endpoint=%s:%u error=%s\n", s->uuid, s->asn, s->ifname,
	    s->status, s->flags, a4, a6, s->endpoint_host, s->endpoint_port,
	    s->error[0] != '\0' ? s->error : "-");
}

/* Read until the RESULT for id; print everything on the way. */
static int
wait_result(uint32_t id, int timeout_s)
{
	struct pollfd		 pfd;
	struct imsg		 imsg;
	struct cp_result_msg	 r;
	struct cp_breaker_msg	 b;
	struct cp_session_msg	 s;
	struct cp_nodeconf_msg	 nc;
	struct cp_mesh_peer_msg	 mp;
	uint32_t		 cnt;
	time_t			 end = time(NULL) + timeout_s;
	ssize_t			 n;
	int			 done = 0;

	while (!done) {
		while ((n = imsg_get(&ibuf, &imsg)) > 0) {
			switch (imsg_get_type(&imsg)) {
			case IMSG_HELLO:
				printf("hello\n");
				break;
			case IMSG_CP_BREAKER:
				if (imsg_get_data(&imsg, &b, sizeof(b)) == -1)
					errx(1, "breaker size");
				printf("breaker %s\n", b.state < 3 ?
				    breaker_names[b.state] : "?");
				break;
			case IMSG_CP_SESSIONS_BEGIN:
			case IMSG_CP_SESSIONS_END:
			case IMSG_CP_MESH_BEGIN:
			case IMSG_CP_MESH_END:
			case IMSG_CP_POLICY_END:
				if (imsg_get_data(&imsg, &cnt, sizeof(cnt)) == -1)
					errx(1, "count size");
				printf("%s %u\n", imsg_type_name(
				    imsg_get_type(&imsg)), cnt);
				break;
			case IMSG_CP_SESSION:
				if (imsg_get_data(&imsg, &s, sizeof(s)) == -1)
					errx(1, "session size");
				print_session(&s);
				break;
			case IMSG_CP_NODECONF:
				if (imsg_get_data(&imsg, &nc, sizeof(nc)) == -1)
					errx(1, "nodeconf size");
				printf("nodeconf name=%s id=%u has=%#x\n",
				    nc.node_name, nc.node_id, nc.has);
				break;
			case IMSG_CP_MESH_PEER:
				if (imsg_get_data(&imsg, &mp, sizeof(mp)) == -1)
					errx(1, "mesh size");
				printf("meshpeer\n");
				break;
			case IMSG_CP_POLICY:
				printf("policy\n");
				break;
			case IMSG_CP_IBGP_PEER:
				printf("ibgppeer\n");
				break;
			case IMSG_CP_RESULT:
				if (imsg_get_data(&imsg, &r, sizeof(r)) == -1)
					errx(1, "result size");
				r.message[sizeof(r.message) - 1] = '\0';
				printf("result %s %s http=%d attempts=%u "
				    "count=%u breaker=%s msg=%s\n",
				    cp_endpoint_name(r.endpoint),
				    cp_result_name(r.result), r.http_status,
				    r.attempts, r.count, r.breaker < 3 ?
				    breaker_names[r.breaker] : "?", r.message);
				if (imsg_get_id(&imsg) == id)
					done = 1;
				break;
			default:
				errx(1, "unexpected %s",
				    imsg_type_name(imsg_get_type(&imsg)));
			}
			imsg_free(&imsg);
			fflush(stdout);
		}
		if (n == -1)
			err(1, "imsg_get");
		if (done || id == 0)
			return 0;
		if (time(NULL) > end) {
			printf("timeout waiting for result %u\n", id);
			return -1;
		}
		pfd.fd = ibuf.fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 1000) == -1 && errno != EINTR)
			err(1, "poll");
		if (pfd.revents & (POLLIN | POLLHUP)) {
			if ((n = imsgbuf_read(&ibuf)) == 0) {
				printf("fetcher closed its pipe\n");
				return -1;
			}
			if (n == -1)
				err(1, "read");
		}
	}
	return 0;
}

static char *
read_file(const char *path, size_t *len)
{
	char	*buf;
	FILE	*f;
	long	 sz;

	if ((f = fopen(path, "r")) == NULL)
		err(1, "%s", path);
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	rewind(f);
	if ((buf = calloc(1, sz + 1)) == NULL)
		err(1, NULL);
	if (fread(buf, 1, sz, f) != (size_t)sz)
		err(1, "%s", path);
	fclose(f);
	*len = sz;
	return buf;
}

static void
usage(void)
{
	fprintf(stderr, "usage: fetch_drive -a agent -C chroot -u url -n node "
	    "-t token [-c ca.pem] [-r retries] [-T timeout] [-B threshold] "
	    "[-D cooldown] [-L ports] command ...\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct child_opts	 o;
	struct sandbox_ids	 ids;
	struct cp_conf_msg	 conf;
	struct cp_token_msg	 tok;
	struct cp_modify_msg	 mod;
	struct cp_heartbeat_msg	 hb;
	struct cp_report_msg	 rep;
	struct cp_report_session_msg rs;
	struct cp_rtt_msg	 rtt;
	struct cp_mesh_status_msg ms;
	const char		*agent = NULL, *ca = NULL, *token = NULL;
	char			*pem, *arg, *p;
	size_t			 pemlen, off, chunk;
	uint32_t		 id, cnt, type;
	int			 ch, sp[2], exefd, rc = 0, wait_s;

	memset(&o, 0, sizeof(o));
	memset(&conf, 0, sizeof(conf));
	o.debug = 1;
	conf.connect_timeout = 3;
	conf.total_timeout = 5;
	conf.max_retries = 3;
	conf.retry_initial_ms = 1000;
	conf.retry_cap_ms = 4000;
	conf.breaker_threshold = 1;
	conf.breaker_cooldown = 2;
	conf.max_response = 1024 * 1024;
	conf.allow_plain_loopback = 1;
	while ((ch = getopt(argc, argv, "a:B:c:C:D:L:n:r:t:T:u:v")) != -1) {
		switch (ch) {
		case 'a': agent = optarg; break;
		case 'B': conf.breaker_threshold = atoi(optarg); break;
		case 'c': ca = optarg; break;
		case 'C': strlcpy(o.chroot, optarg, sizeof(o.chroot)); break;
		case 'D': conf.breaker_cooldown = atoi(optarg); break;
		case 'L': strlcpy(o.ports, optarg, sizeof(o.ports)); break;
		case 'n': strlcpy(conf.node, optarg, sizeof(conf.node)); break;
		case 'r': conf.max_retries = atoi(optarg); break;
		case 't': token = optarg; break;
		case 'T': conf.total_timeout = atoi(optarg); break;
		case 'u': strlcpy(conf.url, optarg, sizeof(conf.url)); break;
		case 'v': o.verbose++; break;
		default: usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (agent == NULL || o.chroot[0] == '\0' || conf.url[0] == '\0' ||
	    token == NULL)
		usage();

	log_init(1, LOG_DAEMON);
	if ((ch = open(agent, O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "%s", agent);
	/* Clear of PARENT_FD, which the child dup2()s over. */
	if ((exefd = fcntl(ch, F_DUPFD_CLOEXEC, PARENT_FD + 1)) == -1)
		err(1, "fcntl");
	close(ch);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == -1)
		err(1, "socketpair");
	if (sandbox_ids(&ids) == -1)
		errx(1, "no user for the sandbox");
	o.uid = ids.uid;
	o.gid = ids.gid;
	start_child(PROC_FETCHER, exefd, sp[1], &o);
	if (imsgbuf_init(&ibuf, sp[0]) == -1 ||
	    imsgbuf_set_maxsize(&ibuf, MOENET_MAXIMSG - 1) == -1)
		err(1, "imsgbuf");
	if (wait_result(0, 10) == -1)
		return 1;

	conf.has_ca = ca != NULL;
	send_imsg(IMSG_CP_CONF, 0, &conf, sizeof(conf));
	memset(&tok, 0, sizeof(tok));
	strlcpy(tok.token, token, sizeof(tok.token));
	send_imsg(IMSG_CP_TOKEN, 0, &tok, sizeof(tok));
	explicit_bzero(&tok, sizeof(tok));
	if (ca != NULL) {
		pem = read_file(ca, &pemlen);
		for (off = 0; off < pemlen; off += chunk) {
			chunk = pemlen - off > CP_CA_CHUNK ? CP_CA_CHUNK :
			    pemlen - off;
			send_imsg(IMSG_CP_CA, 0, pem + off, chunk);
		}
		send_imsg(IMSG_CP_CA_END, 0, NULL, 0);
		free(pem);
	}

	for (; argc > 0; argc--, argv++) {
		arg = *argv;
		id = next_id++;
		wait_s = conf.total_timeout * (conf.max_retries + 1) + 70;
		if (strcmp(arg, "sessions") == 0 || strcmp(arg, "config") == 0 ||
		    strcmp(arg, "mesh") == 0 || strcmp(arg, "policy") == 0) {
			type = arg[0] == 's' ? IMSG_CP_FETCH_SESSIONS :
			    arg[0] == 'c' ? IMSG_CP_FETCH_CONFIG :
			    arg[0] == 'm' ? IMSG_CP_FETCH_MESH :
			    IMSG_CP_FETCH_POLICY;
			send_imsg(type, id, NULL, 0);
		} else if (strncmp(arg, "modify:", 7) == 0) {
			memset(&mod, 0, sizeof(mod));
			p = arg + 7;
			strlcpy(mod.uuid, strsep(&p, ":"), sizeof(mod.uuid));
			mod.status = p != NULL ? atoi(strsep(&p, ":")) : 2;
			if (p != NULL)
				strlcpy(mod.last_error, p,
				    sizeof(mod.last_error));
			send_imsg(IMSG_CP_MODIFY, id, &mod, sizeof(mod));
		} else if (strcmp(arg, "heartbeat") == 0) {
			memset(&hb, 0, sizeof(hb));
			strlcpy(hb.node_id, conf.node, sizeof(hb.node_id));
			strlcpy(hb.agent_version, MOENET_VERSION,
			    sizeof(hb.agent_version));
			strlcpy(hb.kernel, "6.1.0", sizeof(hb.kernel));
			strlcpy(hb.loadavg, "0.10 0.20 0.30",
			    sizeof(hb.loadavg));
			hb.uptime = 1234;
			hb.timestamp = time(NULL);
			send_imsg(IMSG_CP_HEARTBEAT, id, &hb, sizeof(hb));
		} else if (strcmp(arg, "report") == 0) {
			memset(&rep, 0, sizeof(rep));
			strlcpy(rep.node_id, conf.node, sizeof(rep.node_id));
			rep.timestamp = time(NULL);
			rep.count = 1;
			send_imsg(IMSG_CP_REPORT_BEGIN, id, &rep, sizeof(rep));
			memset(&rs, 0, sizeof(rs));
			strlcpy(rs.uuid, "u-1", sizeof(rs.uuid));
			strlcpy(rs.name, "dn42_4242420001", sizeof(rs.name));
			strlcpy(rs.state, "up", sizeof(rs.state));
			strlcpy(rs.info, "Established", sizeof(rs.info));
			rs.routes_imported = 7;
			rs.routes_exported = 3;
			rs.rtt_us = -1;
			send_imsg(IMSG_CP_REPORT_SESSION, id, &rs, sizeof(rs));
			cnt = 1;
			send_imsg(IMSG_CP_REPORT_END, id, &cnt, sizeof(cnt));
		} else if (strcmp(arg, "rtt") == 0) {
			memset(&rtt, 0, sizeof(rtt));
			strlcpy(rtt.target, "fe80::1%dn42_1",
			    sizeof(rtt.target));
			rtt.rtt_us = 1500;
			send_imsg(IMSG_CP_RTT_RESULT, id, &rtt, sizeof(rtt));
			cnt = 1;
			send_imsg(IMSG_CP_RTT_END, id, &cnt, sizeof(cnt));
		} else if (strcmp(arg, "meshstatus") == 0) {
			memset(&ms, 0, sizeof(ms));
			ms.node_id = 7;
			send_imsg(IMSG_CP_MESH_STATUS, id, &ms, sizeof(ms));
			cnt = 1;
			send_imsg(IMSG_CP_MESH_STATUS_END, id, &cnt,
			    sizeof(cnt));
		} else
			errx(2, "unknown command %s", arg);
		if (wait_result(id, wait_s) == -1)
			rc = 1;
	}
	close(sp[0]);
	return rc;
}
