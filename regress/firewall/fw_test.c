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
 * The firewall end to end in the network namespace run.sh made: the
 * real parent/ports/wg.c and parent/ports/firewall.c in this process's event loop,
 * the real sandboxed wgctl (the agent binary), real wireguard-go, and
 * the kernel's nf_tables as iptables-nft or nft set it up.  The far
 * end is wireguard-go in a second namespace, which initiates; the near
 * end is passive, so a handshake is a peer's packet that reached it.
 *
 * "fw_test <step>", one step per run (a run is an agent's life):
 *   closed	firewall.enabled false: the tunnel comes up, no rule is
 *		added, and the peer's handshakes do not get through
 *   open	enabled: the port is opened, the peer gets through;
 *		once the lists are complete the leftover of ours goes
 *   restart	a restarted agent adopts its rules: nothing added, no
 *		duplicate, nothing removed before the lists are complete
 *   remove	the tunnel removed: its rules go
 *   unused	no input chain to manage: nothing done, said once; also
 *		a forced firewall.mode of the kind not in use
 * Environment: FW_DIR, AGENT, FW_PEER (runs its arguments in the far
 * end's namespace), FW_PORT (the tunnel's port), FW_MODE (iptables or
 * nftables: how the router's rules are listed).
 */

#include <sys/types.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <event.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "fwmsg.h"
#include "parent/core/parent.h"
#include "parent/ports/firewall.h"
#include "parent/ports/wg.h"
#include "wgctl/key.h"
#include "child.h"
#include "regress.h"

struct moenet_conf	*conf;


static int		 hello;
static const char	*dir, *agent, *peer;
static char		 emptydir[256], keyfile[256], statedir[256];
static int		 port;

/* Each run's names carry its router: "iptables_fw_open_rule". */
static const char *
tn(const char *name)
{
	static char	 buf[128];

	snprintf(buf, sizeof(buf), "%s%s_%s", getenv("FW_MODE"),
	    getenv("FW_CONF_MODE") != NULL ? "_forced" : "", name);
	return buf;
}
#define CHECK(name, cond)	REGRESS_CHECK(tn(name), cond)

static void
on_hello(void)
{
	hello = 1;
	wg_init();
}

/* As moenet-agent.c routes wgctl's messages. */
static void
dispatch(struct imsg *imsg)
{
	if (imsg_get_type(imsg) == IMSG_FW_RESULT)
		firewall_dispatch(imsg);
	else
		parent_dispatch_wgctl(imsg);
}

static int
backend_known(void *arg)
{
	return strcmp(wg_backend_name(), "unknown") != 0;
}

static long
num(const char *fmt, ...)
{
	char	 cmd[2048], out[64];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (child_sh(out, sizeof(out), "%s", cmd) != 0 && out[0] == '\0')
		return -1;
	return strtol(out, NULL, 10);
}

static int
until_true(void *arg)
{
	return 0;
}

/* Runs the event loop while waiting: bounded, polled. */
static int
eventually(int secs, const char *fmt, ...)
{
	char	 cmd[2048];
	va_list	 ap;
	int	 i;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	for (i = 0; i < secs * 4; i++) {
		if (child_sh(NULL, 0, "%s >/dev/null 2>&1", cmd) == 0)
			return 1;
		child_run_until(until_true, NULL, 0);
		usleep(250 * 1000);
	}
	return 0;
}

static int
fw_idle(void *arg)
{
	return !firewall_busy();
}

/* Every request answered. */
static int
settle(void)
{
	return child_run_until(fw_idle, NULL, 30);
}

static int
fw_settled(void *arg)
{
	const struct fw_status	*st = firewall_status();
	int			 want = *(int *)arg;

	return !firewall_busy() && (int)st->state == want;
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

/* Passive: the peer initiates, so a handshake is its packet in. */
static void
tunnel(struct wg_tunnel *t)
{
	memset(t, 0, sizeof(*t));
	strlcpy(t->ifname, "fw0", sizeof(t->ifname));
	read_b64("pubB", t->peer_pubkey);
	t->listen_port = port;
	t->mtu = 1420;
	t->allowed[0].af = AF_INET6;
	t->allowed[0].plen = 0;
	t->nallowed = 1;
}

static int
apply(void)
{
	struct wg_tunnel	 t;
	struct child_done		 d;

	tunnel(&t);
	memset(&d, 0, sizeof(d));
	if (wg_tunnel_apply(&t, child_done_cb, &d) == -1 ||
	    !child_run_until(child_is_set, &d.done, 40))
		return -1;
	if (d.err != 0)
		printf("# apply: %s\n", d.msg);
	return d.err;
}

/* The operator's ruleset: counters out, rules of ours out. */
static int
snapshot(const char *name)
{
	return child_sh(NULL, 0, "nft list ruleset | sed -E 's/counter packets "
	    "[0-9]+ bytes [0-9]+/counter/' | { grep -vE 'udp dport "
	    "(%d|4999)  ?counter accept( comment \"moenet-dn42-[0-9]+\")?$' "
	    "|| true; } > %s/%s", port, dir, name);
}

static int
same(const char *a, const char *b)
{
	return child_sh(NULL, 0, "cmp -s %s/%s %s/%s", dir, a, dir, b) == 0;
}

/* Rules of ours for a port, in every chain, as nft lists them. */
static long
ours(int p)
{
	if (strcmp(getenv("FW_MODE"), "nftables") == 0)
		return num("nft list ruleset | grep -c 'udp dport %d counter "
		    "packets [0-9]* bytes [0-9]* accept comment "
		    "\"moenet-dn42-%d\"'", p, p);
	return num("{ iptables-nft -S INPUT; ip6tables-nft -S INPUT; } | "
	    "grep -c -- '-p udp -m udp --dport %d -m comment --comment "
	    "moenet-dn42-%d -j ACCEPT'", p, p);
}

static long
peer_handshake(void)
{
	return num("%s wg show fw0 latest-handshakes | cut -f2", peer);
}

static void
both_done(void)
{
	firewall_source_done(FW_SRC_SESSIONS);
	firewall_source_done(FW_SRC_MESH);
}

static void
step_closed(void)
{
	int	 off = FW_ST_OFF;
	long	 rx;

	conf->fw_enabled = 0;
	snapshot("before");
	CHECK("fw_disabled_apply", apply() == 0);
	both_done();
	child_run_until(fw_settled, &off, 5);
	CHECK("fw_disabled_no_trace", snapshot("disabled") == 0 &&
	    same("before", "disabled") && ours(port) == 0);
	/*
	 * The peer's initiations arrive (the link counts them before the
	 * firewall sees them), one retry every 5 s: two, and no answer.
	 */
	rx = num("ip -s -j link show vethA | sed -E "
	    "'s/.*\"rx\":\\{\"bytes\":[0-9]+,\"packets\":([0-9]+).*/\\1/'");
	CHECK("fw_closed_peer_tries", rx >= 0 && eventually(30,
	    "test \"$(ip -s -j link show vethA | sed -E "
	    "'s/.*\"rx\":\\{\"bytes\":[0-9]+,\"packets\":([0-9]+).*/\\1/')\" "
	    "-ge %ld", rx + 2));
	CHECK("fw_closed_no_handshake", peer_handshake() == 0);
}

static void
step_open(void)
{
	int	 active = FW_ST_ACTIVE;
	long	 n;

	snapshot("before");
	CHECK("fw_open_apply", apply() == 0);
	CHECK("fw_open_rule", child_run_until(fw_settled, &active,
	    20) && settle() && (n = ours(port)) > 0 &&
	    (unsigned long)n == firewall_status()->nchains);
	CHECK("fw_open_kept_listed", firewall_status()->nports >= 1);
	CHECK("fw_open_leftover_kept_until_complete",
	    ours(4999) > 0 && !firewall_status()->complete);
	CHECK("fw_open_handshake", eventually(30, "test "
	    "\"$(%s wg show fw0 latest-handshakes | cut -f2)\" -gt 0",
	    peer));
	both_done();
	CHECK("fw_open_leftover_removed", eventually(10,
	    "test \"$(%s)\" = 0", getenv("FW_MODE") != NULL &&
	    strcmp(getenv("FW_MODE"), "nftables") == 0 ?
	    "nft list ruleset | grep -c moenet-dn42-4999" :
	    "{ iptables-nft -S; ip6tables-nft -S; } | grep -c "
	    "moenet-dn42-4999") && ours(port) > 0);
	CHECK("fw_open_others_unchanged", snapshot("after") == 0 &&
	    same("before", "after"));
	CHECK("fw_open_iptables_lists",
	    child_sh(NULL, 0, "iptables-nft -S >/dev/null 2>%s/ipt.err && "
	    "! grep -q . %s/ipt.err", dir, dir) == 0);
}

static void
step_restart(void)
{
	int	 active = FW_ST_ACTIVE;
	long	 before = ours(port);

	snapshot("before");
	CHECK("fw_restart_apply", apply() == 0 &&
	    child_run_until(fw_settled, &active, 20));
	CHECK("fw_restart_adopts", ours(port) == before &&
	    firewall_status()->added == 0 && firewall_status()->removed == 0);
	both_done();
	CHECK("fw_restart_complete", settle() &&
	    ours(port) == before && firewall_status()->removed == 0 &&
	    firewall_status()->complete);
	CHECK("fw_restart_unchanged", snapshot("after") == 0 &&
	    same("before", "after"));
}

static void
step_remove(void)
{
	struct child_done	 d;
	int		 active = FW_ST_ACTIVE;

	snapshot("before");
	CHECK("fw_remove_adopt", apply() == 0 &&
	    child_run_until(fw_settled, &active, 20));
	both_done();
	memset(&d, 0, sizeof(d));
	CHECK("fw_remove_tunnel", wg_tunnel_remove("fw0", child_done_cb,
	    &d) == 0 && child_run_until(child_is_set, &d.done, 40) &&
	    d.err == 0);
	CHECK("fw_remove_rules_gone", settle() &&
	    ours(port) == 0 && firewall_status()->nports == 0);
	CHECK("fw_remove_others_unchanged", snapshot("after") == 0 &&
	    same("before", "after"));
}

static void
step_unused(void)
{
	int	 unused = FW_ST_UNUSED;

	snapshot("before");
	CHECK("fw_unused_apply", apply() == 0);
	CHECK("fw_unused_state", child_run_until(fw_settled, &unused,
	    20));
	both_done();
	CHECK("fw_unused_nothing", settle() &&
	    snapshot("after") == 0 && same("before", "after") &&
	    (getenv("FW_CONF_MODE") != NULL ||
	    num("nft list ruleset | wc -l") == 0));
}

int
main(int argc, char *argv[])
{
	struct child_harness	 ch = {
		.proc = PROC_WGCTL,
		.on_hello = on_hello,
		.dispatch = dispatch
	};
	const char		*errstr, *mode;

	if (argc != 2 || (dir = getenv("FW_DIR")) == NULL ||
	    strlen(dir) > 200 || (agent = getenv("AGENT")) == NULL ||
	    (peer = getenv("FW_PEER")) == NULL ||
	    getenv("FW_PORT") == NULL || (mode = getenv("FW_MODE")) == NULL) {
		REGRESS_SKIP("firewall", "run through regress/firewall/run.sh");
		return 0;
	}
	port = strtonum(getenv("FW_PORT"), 1, 65535, &errstr);
	if (errstr != NULL)
		errx(1, "FW_PORT %s", errstr);
	log_init(1, LOG_DAEMON);
	log_procinit("parent");
	log_setverbose(getenv("FW_VERBOSE") != NULL ? 2 : 0);
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
	conf->wg_backend = WG_BACKEND_USERSPACE;
	conf->fw_enabled = 1;
	/* Detection is what is tested; FW_CONF_MODE forces a mode. */
	conf->fw_mode = FW_MODE_AUTO;
	if (getenv("FW_CONF_MODE") != NULL)
		conf->fw_mode = strcmp(getenv("FW_CONF_MODE"),
		    "nftables") == 0 ? FW_MODE_NFTABLES : FW_MODE_IPTABLES;
	(void)mode;
	event_init();
	firewall_init();

	ch.agent = agent;
	ch.emptydir = emptydir;
	ch.verbose = getenv("FW_VERBOSE") != NULL ? 2 : 0;
	child_start(&ch);
	atexit(child_stop);
	if (!child_run_until(child_is_set, &hello, 15) ||
	    !child_run_until(backend_known, NULL, 15)) {
		REGRESS_FAIL("fw_start", "wgctl did not start");
		REGRESS_EXIT();
	}
	if (strcmp(argv[1], "closed") == 0)
		step_closed();
	else if (strcmp(argv[1], "open") == 0)
		step_open();
	else if (strcmp(argv[1], "restart") == 0)
		step_restart();
	else if (strcmp(argv[1], "remove") == 0)
		step_remove();
	else if (strcmp(argv[1], "unused") == 0)
		step_unused();
	else
		errx(1, "unknown step %s", argv[1]);
	REGRESS_EXIT();
}
