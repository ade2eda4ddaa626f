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
 * The real wgctl (the agent binary run as "-P wgctl", sandboxed as in
 * production) driven by the real parent/ports/wg.c in this process's event
 * loop, against real wireguard-go, in the network namespace run.sh
 * made (with its own /run/wireguard).  The far end is wireguard-go in
 * a second namespace, configured by run.sh with wg(8).
 *
 * "wg_test 1" brings tunnels up and changes them; "wg_test 2" is the
 * agent restarted: it adopts what phase 1 left and removes it.
 * Environment: WC_DIR (scratch directory), AGENT, WC_PEER (command
 * that runs its arguments in the far end's namespace).
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <event.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "wgmsg.h"
#include "resolvemsg.h"
#include "parent/core/route.h"
#include "parent/core/parent.h"
#include "parent/ports/wg.h"
#include "wgctl/key.h"
#include "child.h"
#include "regress.h"

struct moenet_conf	*conf;


struct stats {
	int			 done;
	size_t			 n;
	struct wg_tunnel_stats	 st[4];
};

static pid_t		 wgctl_pid = -1;
static int		 hello;
static const char	*dir, *agent, *peer;
static char		 emptydir[256], keyfile[256];
static char		 statedir[256];

#define LL		"fe80::998:101:4:1"

/*
 * The fetcher's endpoint lookups (fetcher/resolve.c) with the same
 * getaddrinfo(3): this harness runs wgctl alone.  The answer comes
 * from the event loop, through the router, as the fetcher's would.
 */
static struct resolve_result_msg	 standin_res;
static uint32_t				 standin_id;
static struct event			 standin_ev;

static void
standin_answer(int fd, short event, void *arg)
{
	struct imsg	 imsg;

	memset(&imsg, 0, sizeof(imsg));
	imsg.hdr.type = IMSG_RESOLVE_RESULT;
	imsg.hdr.len = IMSG_HEADER_SIZE + sizeof(standin_res);
	imsg.hdr.peerid = standin_id;
	imsg.data = &standin_res;
	imsg.fd = -1;
	route_dispatch(PROC_FETCHER, &imsg);
}

static int
standin_fetcher(enum moenet_proc p, uint32_t type, uint32_t id, int fd,
    const void *data, size_t len)
{
	struct resolve_msg	 m;
	struct addrinfo		 hints, *res, *ai;
	struct timeval		 tv = { 0, 0 };
	char			 serv[8];
	int			 rc;

	if (p != PROC_FETCHER || type != IMSG_RESOLVE || len != sizeof(m))
		return -1;
	memcpy(&m, data, sizeof(m));
	memset(&standin_res, 0, sizeof(standin_res));
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(serv, sizeof(serv), "%u", m.port);
	if ((rc = getaddrinfo(m.host, serv, &hints, &res)) != 0) {
		standin_res.err = EHOSTUNREACH;
		strlcpy(standin_res.text, gai_strerror(rc),
		    sizeof(standin_res.text));
	} else {
		for (ai = res; ai != NULL; ai = ai->ai_next)
			if (ai->ai_family == AF_INET ||
			    ai->ai_family == AF_INET6)
				break;
		if (ai == NULL)
			standin_res.err = EHOSTUNREACH;
		else if ((standin_res.af = ai->ai_family) == AF_INET6)
			memcpy(standin_res.addr, &((struct sockaddr_in6 *)
			    (void *)ai->ai_addr)->sin6_addr, 16);
		else
			memcpy(standin_res.addr, &((struct sockaddr_in *)
			    (void *)ai->ai_addr)->sin_addr, 4);
		freeaddrinfo(res);
	}
	standin_id = id;
	evtimer_set(&standin_ev, standin_answer, NULL);
	evtimer_add(&standin_ev, &tv);
	return 0;
}

static void
on_hello(void)
{
	hello = 1;
	wg_init();
}

static void
start_wgctl(void)
{
	struct child_harness	 ch = {
		.proc = PROC_WGCTL,
		.on_hello = on_hello,
		.dispatch = parent_dispatch_wgctl,
		.other = standin_fetcher
	};
	static int		 routed;

	if (!routed) {
		wg_routes();
		routed = 1;
	}

	ch.agent = agent;
	ch.emptydir = emptydir;
	ch.verbose = getenv("WC_VERBOSE") != NULL ? 2 : 0;
	wgctl_pid = child_start(&ch);
}

static int
backend_known(void *arg)
{
	return strcmp(wg_backend_name(), "unknown") != 0;
}

static void
stats_cb(const struct wg_tunnel_stats *st, size_t n, void *arg)
{
	struct stats	*s = arg;

	s->n = n;
	if (n > 4)
		n = 4;
	memcpy(s->st, st, n * sizeof(*st));
	s->done = 1;
}

/* Applies and waits: 0 ok, an errno, or -1 when no answer came. */
static int
apply(const struct wg_tunnel *t, struct child_done *d)
{
	memset(d, 0, sizeof(*d));
	if (wg_tunnel_apply(t, child_done_cb, d) == -1)
		return -1;
	if (!child_run_until(child_is_set, &d->done, 40))
		return -1;
	return d->err;
}

static int
tremove(const char *ifname, struct child_done *d)
{
	memset(d, 0, sizeof(*d));
	if (wg_tunnel_remove(ifname, child_done_cb, d) == -1)
		return -1;
	if (!child_run_until(child_is_set, &d->done, 40))
		return -1;
	return d->err;
}

static int
shq(const char *fmt, ...)
{
	char	 cmd[2048];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return child_sh(NULL, 0, "%s >/dev/null 2>&1", cmd);
}

/* Bounded: the command succeeds within secs. */
static int
eventually(int secs, const char *cmd)
{
	int	 i;

	for (i = 0; i < secs * 5; i++) {
		if (shq("%s", cmd) == 0)
			return 1;
		usleep(200 * 1000);
	}
	return 0;
}

static void
read_b64(const char *name, uint8_t *k)
{
	char	 path[PATH_MAX], line[128];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "r")) == NULL ||
	    fgets(line, sizeof(line), fp) == NULL)
		fatal("%s", path);
	fclose(fp);
	line[strcspn(line, "\n")] = '\0';
	if (key_from_base64(k, line) == -1)
		fatalx("%s: not a key", path);
}

static void
pfx(struct wgt_prefix *p, const char *s, int plen)
{
	memset(p, 0, sizeof(*p));
	p->af = strchr(s, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(p->af, s, &p->addr) != 1)
		fatalx("bad test address %s", s);
	p->plen = plen;
}

/* The main tunnel; extra: phase 1's address it will drop later. */
static void
tunnel0(struct wg_tunnel *t, int extra)
{
	memset(t, 0, sizeof(*t));
	strlcpy(t->ifname, "wc0", sizeof(t->ifname));
	read_b64("pubB", t->peer_pubkey);
	strlcpy(t->endpoint_host, "fd00:ab::2", sizeof(t->endpoint_host));
	t->endpoint_port = 51820;
	t->listen_port = 51820;
	t->mtu = 1400;
	t->keepalive = 25;
	pfx(&t->addrs[t->naddrs++], "172.20.0.1", 32);
	if (extra)
		pfx(&t->addrs[t->naddrs++], "fd00:99::1", 128);
	inet_pton(AF_INET, "172.20.0.2", &t->peer_v4);
	t->has_peer_v4 = 1;
	pfx(&t->allowed[t->nallowed++], "::", 0);
	pfx(&t->allowed[t->nallowed++], "0.0.0.0", 0);
}

static void
tunnel1(struct wg_tunnel *t)
{
	memset(t, 0, sizeof(*t));
	strlcpy(t->ifname, "wc1", sizeof(t->ifname));
	read_b64("pubC", t->peer_pubkey);
	strlcpy(t->endpoint_host, "localhost", sizeof(t->endpoint_host));
	t->endpoint_port = 51999;
	t->listen_port = 51821;
	t->mtu = 1420;
	pfx(&t->allowed[t->nallowed++], "fd00:c::", 64);
}

static int
pidfile(const char *ifname)
{
	char	 path[320], line[32];
	FILE	*fp;
	int	 pid = 0;

	snprintf(path, sizeof(path), "%s/wg-%s.pid", statedir, ifname);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	if (fgets(line, sizeof(line), fp) != NULL)
		pid = atoi(line);
	fclose(fp);
	return pid;
}

static int
nfds(pid_t pid)
{
	char	 out[32];

	child_sh(out, sizeof(out), "ls /proc/%d/fd | wc -l", (int)pid);
	return atoi(out);
}

static int
threads(pid_t pid)
{
	char	 out[32];

	child_sh(out, sizeof(out), "ls /proc/%d/task 2>/dev/null | wc -l",
	    (int)pid);
	return atoi(out);
}

static int
alive(int pid)
{
	char	 path[64], buf[256], *s;
	FILE	*fp;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (pid <= 0 || (fp = fopen(path, "r")) == NULL)
		return 0;
	s = fgets(buf, sizeof(buf), fp);
	fclose(fp);
	return s != NULL && (s = strrchr(buf, ')')) != NULL && s[2] != 'Z';
}

static void
handshake(const char *ifname, char *out, size_t len)
{
	child_sh(out, len, "wg show %s latest-handshakes | cut -f2", ifname);
}

static int
ping_b(void)
{
	return eventually(20, "ping -6 -c1 -W1 fe80::b%wc0");
}

static void
snapshot(struct wg_counters *c)
{
	*c = *wg_get_counters();
}

static void
cleanup(void)
{
	child_stop();
}

static void
phase1(void)
{
	struct wg_tunnel	 t0, t1, bad;
	struct wg_counters	 c0;
	struct child_done		 d;
	struct stats		 s;
	uint8_t			 pub[32], pk[32];
	char			 out[512], want[512], hs1[64], hs2[64];
	char			 b64[WG_KEY_B64_LEN], path[256];
	FILE			*fp;
	int			 rc, pid, i, fds0;

	fds0 = nfds(wgctl_pid);
	read_b64("pubA", pk);
	REGRESS_CHECK("wc_public_key", wg_public_key(pub) == 0 &&
	    key_eq(pub, pk));

	/* First apply: everything is made. */
	tunnel0(&t0, 1);
	snapshot(&c0);
	rc = apply(&t0, &d);
	if (rc != 0)
		REGRESS_FAIL("wc_up", "%d: %s", rc, d.msg);
	else
		REGRESS_OK("wc_up");
	REGRESS_CHECK("wc_up_changes", wg_get_counters()->last_changes ==
	    (WGMSG_CH_ADDRGENMODE | WGMSG_CH_MTU | WGMSG_CH_UP |
	    WGMSG_CH_ADDR_ADD | WGMSG_CH_PRIVKEY | WGMSG_CH_PORT |
	    WGMSG_CH_PEER_ADD) && wg_get_counters()->userspace_started ==
	    c0.userspace_started + 1);
	key_to_base64(b64, pk);
	child_sh(out, sizeof(out), "wg show wc0 dump | head -1 | cut -f2,3");
	snprintf(want, sizeof(want), "%s\t51820", b64);
	REGRESS_CHECK("wc_wg_device", strcmp(out, want) == 0);
	read_b64("pubB", pk);
	key_to_base64(b64, pk);
	child_sh(out, sizeof(out),
	    "wg show wc0 dump | sed -n 2p | cut -f1,3,8");
	snprintf(want, sizeof(want), "%s\t[fd00:ab::2]:51820\t25", b64);
	REGRESS_CHECK("wc_wg_peer", strcmp(out, want) == 0);
	child_sh(out, sizeof(out), "wg show wc0 allowed-ips | cut -f2 | tr ' ' "
	    "'\\n' | sort | tr '\\n' ' '");
	REGRESS_CHECK("wc_wg_allowed", strcmp(out, "0.0.0.0/0 ::/0 ") == 0);
	child_sh(out, sizeof(out), "ip -6 -o addr show dev wc0 | "
	    "awk '{print $4}' | sort | tr '\\n' ' '");
	REGRESS_CHECK("wc_addr_v6_only_ours",
	    strcmp(out, "fd00:99::1/128 " LL "/64 ") == 0);
	child_sh(out, sizeof(out), "ip -4 -o addr show dev wc0 | "
	    "awk '{print $4, $5, $6}'");
	REGRESS_CHECK("wc_addr_v4_peer",
	    strcmp(out, "172.20.0.1 peer 172.20.0.2/32") == 0);
	REGRESS_CHECK("wc_mtu", shq("ip link show wc0 | grep -q 'mtu 1400 '")
	    == 0);
	REGRESS_CHECK("wc_up_flag", shq("ip link show wc0 | grep -q '<.*,UP'")
	    == 0);
	child_sh(out, sizeof(out), "cat /proc/sys/net/ipv4/conf/wc0/rp_filter");
	REGRESS_CHECK("wc_rp_filter", strcmp(out, "0") == 0);
	pid = pidfile("wc0");
	REGRESS_CHECK("wc_pidfile", pid > 0 && alive(pid) &&
	    shq("tr '\\0' ' ' < /proc/%d/cmdline | grep -qx 'wireguard-go "
	    "wc0 '", pid) == 0);
	REGRESS_CHECK("wc_ping", ping_b());

	/* Again: nothing at all is sent, the handshake stays. */
	handshake("wc0", hs1, sizeof(hs1));
	snapshot(&c0);
	rc = apply(&t0, &d);
	REGRESS_CHECK("wc_reapply_nothing", rc == 0 &&
	    wg_get_counters()->last_changes == 0 &&
	    wg_get_counters()->wg_sets == c0.wg_sets &&
	    wg_get_counters()->rtnl_msgs == c0.rtnl_msgs &&
	    wg_get_counters()->userspace_started == c0.userspace_started);
	/* wgctl kept the connection of the first apply: no new one. */
	REGRESS_CHECK("wc_reapply_held_connection",
	    wg_get_counters()->uapi_connects == c0.uapi_connects);
	handshake("wc0", hs2, sizeof(hs2));
	REGRESS_CHECK("wc_reapply_handshake_kept", strcmp(hs1, "0") != 0 &&
	    strcmp(hs1, hs2) == 0 && pidfile("wc0") == pid && alive(pid));

	/*
	 * rp_filter is read with the link: off, /proc is not opened; turned
	 * on behind the agent's back, it is turned off again.
	 */
	REGRESS_CHECK("wc_rp_filter_not_opened",
	    wg_get_counters()->rp_filter_opens == c0.rp_filter_opens);
	if (shq("sysctl -qw net.ipv4.conf.wc0.rp_filter=2") != 0)
		REGRESS_FAIL("wc_rp_filter_drift", "cannot set rp_filter");
	snapshot(&c0);
	rc = apply(&t0, &d);
	child_sh(out, sizeof(out), "cat /proc/sys/net/ipv4/conf/wc0/rp_filter");
	REGRESS_CHECK("wc_rp_filter_drift", rc == 0 && strcmp(out, "0") == 0 &&
	    wg_get_counters()->rp_filter_opens == c0.rp_filter_opens + 1);

	/* One field at a time: only that one. */
	strlcpy(t0.endpoint_host, "[fd00:ab::3]", sizeof(t0.endpoint_host));
	snapshot(&c0);
	rc = apply(&t0, &d);
	REGRESS_CHECK("wc_endpoint_only", rc == 0 &&
	    wg_get_counters()->last_changes == WGMSG_CH_ENDPOINT &&
	    wg_get_counters()->wg_sets == c0.wg_sets + 1 &&
	    wg_get_counters()->rtnl_msgs == c0.rtnl_msgs);
	child_sh(out, sizeof(out), "wg show wc0 endpoints | cut -f2");
	REGRESS_CHECK("wc_endpoint_applied",
	    strcmp(out, "[fd00:ab::3]:51820") == 0);
	REGRESS_CHECK("wc_endpoint_ping", ping_b());

	t0.mtu = 1380;
	snapshot(&c0);
	rc = apply(&t0, &d);
	REGRESS_CHECK("wc_mtu_only", rc == 0 &&
	    wg_get_counters()->last_changes == WGMSG_CH_MTU &&
	    wg_get_counters()->wg_sets == c0.wg_sets &&
	    shq("ip link show wc0 | grep -q 'mtu 1380 '") == 0);

	read_b64("psk", t0.psk);
	t0.has_psk = 1;
	if (shq("%s wg set wc0 peer $(cat %s/pubA) preshared-key %s/psk",
	    peer, dir, dir) != 0)
		REGRESS_FAIL("wc_psk_peer", "cannot set the far end's PSK");
	rc = apply(&t0, &d);
	REGRESS_CHECK("wc_psk_only", rc == 0 &&
	    wg_get_counters()->last_changes == WGMSG_CH_PSK);
	key_to_base64(b64, t0.psk);
	child_sh(out, sizeof(out), "wg show wc0 preshared-keys | cut -f2");
	REGRESS_CHECK("wc_psk_applied", strcmp(out, b64) == 0);
	child_sh(out, sizeof(out), "wg show wc0 dump | sed -n 2p | cut -f3,8");
	REGRESS_CHECK("wc_psk_rest_kept",
	    strcmp(out, "[fd00:ab::3]:51820\t25") == 0);
	REGRESS_CHECK("wc_psk_ping", ping_b());

	/* Down drops the IPv6 addresses: the next apply puts them back. */
	shq("ip link set wc0 down");
	rc = apply(&t0, &d);
	REGRESS_CHECK("wc_down_repaired", rc == 0 &&
	    wg_get_counters()->last_changes ==
	    (WGMSG_CH_UP | WGMSG_CH_ADDR_ADD));
	child_sh(out, sizeof(out), "ip -6 -o addr show dev wc0 | "
	    "awk '{print $4}' | sort | tr '\\n' ' '");
	REGRESS_CHECK("wc_down_addrs_back",
	    strcmp(out, "fd00:99::1/128 " LL "/64 ") == 0);
	REGRESS_CHECK("wc_down_ping", ping_b());

	/* A second tunnel, its endpoint a name. */
	tunnel1(&t1);
	rc = apply(&t1, &d);
	if (rc != 0)
		REGRESS_FAIL("wc_second_up", "%d: %s", rc, d.msg);
	else
		REGRESS_OK("wc_second_up");
	child_sh(out, sizeof(out), "wg show wc1 endpoints | cut -f2");
	REGRESS_CHECK("wc_endpoint_name", strcmp(out, "127.0.0.1:51999") ==
	    0 || strcmp(out, "[::1]:51999") == 0);

	/* An error on one tunnel: the next apply of another goes on. */
	t1.listen_port = 51820;
	rc = apply(&t1, &d);
	if (rc != 0 && strstr(d.msg, "UAPI set wc1: errno=-") != NULL)
		REGRESS_OK("wc_error_port_in_use");
	else
		REGRESS_FAIL("wc_error_port_in_use", "%d: %s", rc, d.msg);
	rc = apply(&t0, &d);
	REGRESS_CHECK("wc_error_isolated", rc == 0 &&
	    wg_get_counters()->last_changes == 0);
	t1.listen_port = 51821;
	rc = apply(&t1, &d);
	REGRESS_CHECK("wc_error_recovered", rc == 0);

	/* wireguard-go that fails to start says so. */
	snprintf(path, sizeof(path), "%s/failwg", dir);
	strlcpy(conf->wg_userspace_cmd, path, sizeof(conf->wg_userspace_cmd));
	memcpy(&bad, &t1, sizeof(bad));
	strlcpy(bad.ifname, "wc2", sizeof(bad.ifname));
	bad.listen_port = 51822;
	rc = apply(&bad, &d);
	snprintf(want, sizeof(want), "%s: exited 1: cannot create wc2", path);
	if (rc != 0 && strcmp(d.msg, want) == 0)
		REGRESS_OK("wc_start_failure");
	else
		REGRESS_FAIL("wc_start_failure", "%d: %s", rc, d.msg);
	strlcpy(conf->wg_userspace_cmd, "wireguard-go",
	    sizeof(conf->wg_userspace_cmd));
	REGRESS_CHECK("wc_start_failure_no_link",
	    shq("ip link show wc2") != 0);

	/* Refused before anything is sent. */
	snapshot(&c0);
	memcpy(&bad, &t0, sizeof(bad));
	wg_public_key(bad.peer_pubkey);
	rc = apply(&bad, &d);
	REGRESS_CHECK("wc_refuse_own_key", rc == EINVAL &&
	    strstr(d.msg, "our own public key") != NULL);
	memcpy(&bad, &t0, sizeof(bad));
	memset(bad.peer_pubkey, 0, sizeof(bad.peer_pubkey));
	rc = apply(&bad, &d);
	REGRESS_CHECK("wc_refuse_zero_key", rc == EINVAL);
	memcpy(&bad, &t0, sizeof(bad));
	strlcpy(bad.ifname, "wc/0", sizeof(bad.ifname));
	rc = apply(&bad, &d);
	REGRESS_CHECK("wc_refuse_ifname", rc == EINVAL &&
	    strstr(d.msg, "interface name") != NULL);
	memcpy(&bad, &t0, sizeof(bad));
	bad.mtu = 1000;
	rc = apply(&bad, &d);
	REGRESS_CHECK("wc_refuse_mtu", rc == EINVAL &&
	    strstr(d.msg, "MTU 1000") != NULL);
	REGRESS_CHECK("wc_refuse_sent_nothing",
	    wg_get_counters()->applies == c0.applies);

	/* A private key others can read is refused, with why. */
	chmod(keyfile, 0644);
	rc = wg_reload_key(out, sizeof(out));
	snprintf(want, sizeof(want), "private key %s: mode 0644", keyfile);
	REGRESS_CHECK("wc_key_mode_refused", rc == -1 &&
	    strncmp(out, want, strlen(want)) == 0);
	rc = apply(&t0, &d);
	REGRESS_CHECK("wc_key_mode_apply_refused", rc == ENOKEY &&
	    strncmp(d.msg, want, strlen(want)) == 0);
	chmod(keyfile, 0600);
	REGRESS_CHECK("wc_key_reloaded", wg_reload_key(out, sizeof(out)) ==
	    0 && apply(&t0, &d) == 0 && wg_get_counters()->last_changes == 0);

	/* Statistics of what is managed. */
	memset(&s, 0, sizeof(s));
	if (wg_tunnel_stats(stats_cb, &s) == -1 ||
	    !child_run_until(child_is_set, &s.done, 20))
		REGRESS_FAIL("wc_stats", "no answer");
	else {
		for (i = 0; i < (int)s.n && i < 4; i++)
			if (strcmp(s.st[i].ifname, "wc0") == 0)
				break;
		REGRESS_CHECK("wc_stats", i < (int)s.n && i < 4 &&
		    s.st[i].present && s.st[i].link_up &&
		    s.st[i].last_handshake > 0 && s.st[i].rx_bytes > 0 &&
		    s.st[i].tx_bytes > 0);
	}

	/*
	 * Every UAPI fd passed was closed after use, but the connections
	 * wgctl holds, one for each tunnel alive (wc0, wc1; not wc2).
	 */
	REGRESS_CHECK("wc_wgctl_no_fd_leak", fds0 > 0 &&
	    nfds(wgctl_pid) == fds0 + 2);

	/* For phase 2: the handshake it must not reset. */
	handshake("wc0", hs1, sizeof(hs1));
	snprintf(path, sizeof(path), "%s/hs", dir);
	if ((fp = fopen(path, "w")) == NULL || fprintf(fp, "%s\n", hs1) < 0 ||
	    fclose(fp) == EOF)
		fatal("%s", path);
}

static void
phase2(void)
{
	struct wg_tunnel	 t0;
	struct child_done		 d;
	char			 out[512], hs[64];
	int			 rc, pid0, pid1, i;

	pid0 = pidfile("wc0");
	pid1 = pidfile("wc1");
	tunnel0(&t0, 0);
	strlcpy(t0.endpoint_host, "fd00:ab::3", sizeof(t0.endpoint_host));
	t0.mtu = 1380;
	read_b64("psk", t0.psk);
	t0.has_psk = 1;
	rc = apply(&t0, &d);
	if (rc != 0)
		REGRESS_FAIL("wc_adopt", "%d: %s", rc, d.msg);
	else
		REGRESS_OK("wc_adopt");
	REGRESS_CHECK("wc_adopt_only_our_old_addr",
	    wg_get_counters()->last_changes == WGMSG_CH_ADDR_DEL);
	child_sh(out, sizeof(out), "ip -6 -o addr show dev wc0 | "
	    "awk '{print $4}' | sort | tr '\\n' ' '");
	REGRESS_CHECK("wc_adopt_others_kept",
	    strcmp(out, "fd00:77::1/128 " LL "/64 ") == 0);
	REGRESS_CHECK("wc_adopt_same_process",
	    wg_get_counters()->userspace_started == 0 && pid0 > 0 &&
	    pidfile("wc0") == pid0 && alive(pid0));
	handshake("wc0", hs, sizeof(hs));
	child_sh(out, sizeof(out), "cat %s/hs", dir);
	if (strcmp(out, hs) == 0)
		REGRESS_OK("wc_adopt_handshake_kept");
	else
		REGRESS_FAIL("wc_adopt_handshake_kept", "%s, now %s (at %lld)",
		    out, hs, (long long)time(NULL));
	REGRESS_CHECK("wc_adopt_ping", ping_b());

	/*
	 * The daemon killed behind the connection wgctl holds: the next
	 * apply finds it gone, connects anew, and starts another.
	 */
	kill(pid0, SIGKILL);
	/* Its other threads hold the socket after the leader is a zombie. */
	for (i = 0; i < 100 && (alive(pid0) || threads(pid0) > 1); i++)
		usleep(50 * 1000);
	rc = apply(&t0, &d);
	REGRESS_CHECK("wc_held_connection_lost", rc == 0 && !alive(pid0) &&
	    pidfile("wc0") > 0 && pidfile("wc0") != pid0 &&
	    alive(pidfile("wc0")) &&
	    wg_get_counters()->userspace_started == 1);
	pid0 = pidfile("wc0");

	rc = tremove("wc0", &d);
	REGRESS_CHECK("wc_remove", rc == 0);
	REGRESS_CHECK("wc_remove_link_gone", shq("ip link show wc0") != 0);
	REGRESS_CHECK("wc_remove_process_gone", !alive(pid0) &&
	    pidfile("wc0") == 0);
	REGRESS_CHECK("wc_remove_other_kept", shq("ip link show wc1") == 0 &&
	    alive(pid1));
	rc = tremove("wc1", &d);
	REGRESS_CHECK("wc_remove_adopted", rc == 0 &&
	    shq("ip link show wc1") != 0 && !alive(pid1) &&
	    pidfile("wc1") == 0);
	REGRESS_CHECK("wc_remove_absent", tremove("wc9", &d) == 0);
	REGRESS_CHECK("wc_remove_not_ours", shq("ip link add wcv type veth "
	    "peer name wcw") == 0 && tremove("wcv", &d) == EEXIST &&
	    shq("ip link show wcv") == 0);
	shq("ip link del wcv");
}

int
main(int argc, char *argv[])
{
	int	 phase;

	if (argc != 2 || (dir = getenv("WC_DIR")) == NULL ||
	    strlen(dir) > 200 ||
	    (agent = getenv("AGENT")) == NULL ||
	    (peer = getenv("WC_PEER")) == NULL) {
		REGRESS_SKIP("wgctl", "run through regress/wgctl/run.sh");
		return 0;
	}
	phase = atoi(argv[1]);
	log_init(1, LOG_DAEMON);
	log_procinit("parent");
	log_setverbose(getenv("WC_VERBOSE") != NULL ? 2 : 0);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(emptydir, sizeof(emptydir), "%s/empty", dir);
	snprintf(keyfile, sizeof(keyfile), "%s/keyA", dir);
	snprintf(statedir, sizeof(statedir), "%s/state", dir);
	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		fatal("calloc");
	strlcpy(conf->wg_privkey_path, keyfile, sizeof(conf->wg_privkey_path));
	strlcpy(conf->wg_userspace_cmd, "wireguard-go",
	    sizeof(conf->wg_userspace_cmd));
	strlcpy(conf->wg_dn42_ipv6, "fd00:4242:7777:101:4::1",
	    sizeof(conf->wg_dn42_ipv6));
	strlcpy(conf->state_dir, statedir, sizeof(conf->state_dir));
	conf->wg_backend = WG_BACKEND_AUTO;
	event_init();
	atexit(cleanup);

	start_wgctl();
	if (!child_run_until(child_is_set, &hello, 15) ||
	    !child_run_until(backend_known, NULL, 15)) {
		REGRESS_FAIL("wc_start", "wgctl did not start");
		REGRESS_EXIT();
	}
	if (phase == 1)
		REGRESS_CHECK("wc_backend_auto",
		    strcmp(wg_backend_name(), getenv("WC_KERNEL") != NULL ?
		    "kernel" : "userspace") == 0);
	if (strcmp(wg_backend_name(), "userspace") != 0) {
		REGRESS_SKIP("wgctl", "kernel WireGuard: the userspace tests "
		    "do not apply");
		return 0;
	}
	if (phase == 1)
		phase1();
	else
		phase2();
	REGRESS_EXIT();
}
