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
 * Configures one tunnel the way wgctl does, for regress/wg/real.sh:
 * link and addresses over rtnetlink, WireGuard over UAPI, each by
 * reading what is there and sending only the difference.  Prints what
 * it sent, secrets redacted, and "changes N".
 */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <err.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "wgctl/key.h"
#include "wgctl/rtnl.h"
#include "wgctl/wg.h"
#include "wgctl/wg_diff.h"
#include "wgctl/wg_uapi.h"

#define MAX_ADDRS	16

struct addrs {
	struct rtnl_addr	a[MAX_ADDRS];
	size_t			n;
};

static __dead void	usage(void);
static void	read_key(uint8_t *, const char *);
static int	collect(const struct rtnl_addr *, void *);
static int	do_link(struct mnl_socket *, const char *, uint32_t,
		    char **, int);
static int	do_wg(const char *, const struct wg_device *);
static void	print_redacted(const char *);
static void	do_get(const char *, const char *);

static __dead void
usage(void)
{
	fprintf(stderr, "usage: wgapply [-D dir] -i ifname -k keyfile "
	    "-l port -m mtu -P peerkey -A aips\n"
	    "           [-a addr ...] [-e endpoint] [-K keepalive] "
	    "[-S pskfile]\n"
	    "       wgapply [-D dir] -g -i ifname\n"
	    "       wgapply -x -i ifname\n");
	exit(2);
}

static void
read_key(uint8_t *k, const char *path)
{
	FILE	*fp;
	char	 line[128];

	if ((fp = fopen(path, "r")) == NULL)
		err(1, "%s", path);
	if (fgets(line, sizeof(line), fp) == NULL)
		errx(1, "%s: empty", path);
	fclose(fp);
	line[strcspn(line, "\n")] = '\0';
	if (key_from_base64(k, line) == -1)
		errx(1, "%s: not a key", path);
	explicit_bzero(line, sizeof(line));
}

static int
collect(const struct rtnl_addr *a, void *arg)
{
	struct addrs	*as = arg;

	if (as->n < MAX_ADDRS)
		as->a[as->n++] = *a;
	return 0;
}

/* Returns the number of link and address changes sent. */
static int
do_link(struct mnl_socket *nl, const char *ifname, uint32_t mtu,
    char **addrs, int naddrs)
{
	static struct rtnl_batch	 b;
	struct rtnl_link		 l;
	struct rtnl_addr		 want[MAX_ADDRS], add[MAX_ADDRS];
	struct rtnl_addr		 del[MAX_ADDRS];
	struct addrs			 cur;
	size_t				 nadd, ndel, i;
	uint32_t			 setmtu;
	int				 up, n = 0;
	char				 s[128];

	if (rtnl_link_get(nl, ifname, &l) == -1)
		err(1, "link %s", ifname);
	for (i = 0; i < (size_t)naddrs; i++)
		if (rtnl_addr_from_str(&want[i], l.ifindex, addrs[i]) == -1)
			errx(1, "bad address %s", addrs[i]);
	memset(&cur, 0, sizeof(cur));
	if (rtnl_addr_dump(nl, l.ifindex, collect, &cur) == -1)
		err(1, "address dump");

	rtnl_batch_init(&b, time(NULL));
	if (!l.has_addrgenmode || l.addrgenmode != IN6_ADDR_GEN_MODE_NONE) {
		rtnl_link_addrgenmode_none(&b, l.ifindex);
		printf("link addrgenmode none\n");
		n++;
	}
	if (wg_diff_link(mtu, 1, &l, &setmtu, &up)) {
		rtnl_link_set(&b, l.ifindex, setmtu, up);
		if (setmtu != 0)
			printf("link mtu %u\n", setmtu);
		if (up == 1)
			printf("link up\n");
		n++;
	}
	wg_diff_addrs(want, naddrs, cur.a, cur.n, add, &nadd, del, &ndel);
	for (i = 0; i < ndel; i++) {
		rtnl_addr_change(&b, RTM_DELADDR, &del[i]);
		rtnl_addr_fmt(&del[i], s, sizeof(s));
		printf("addr del %s\n", s);
		n++;
	}
	for (i = 0; i < nadd; i++) {
		rtnl_addr_change(&b, RTM_NEWADDR, &add[i]);
		rtnl_addr_fmt(&add[i], s, sizeof(s));
		printf("addr add %s\n", s);
		n++;
	}
	if (rtnl_batch_send(nl, &b, NULL) == -1)
		err(1, "rtnetlink");
	return n;
}

static void
print_redacted(const char *text)
{
	const char	*p, *e;

	printf("wg:\n");
	for (p = text; *p != '\0'; p = e + 1) {
		if ((e = strchr(p, '\n')) == NULL)
			break;
		if (strncmp(p, "private_key=", 12) == 0)
			printf("private_key=<redacted>\n");
		else if (strncmp(p, "preshared_key=", 14) == 0)
			printf("preshared_key=<redacted>\n");
		else
			printf("%.*s\n", (int)(e - p), p);
	}
}

static int
do_wg(const char *dir, const struct wg_device *want)
{
	struct wg_device	 cur, chg;
	char			*text;
	size_t			 len;
	int			 fd, n;

	if ((fd = wg_uapi_connect(dir, want->ifname)) == -1)
		err(1, "uapi connect");
	wg_device_init(&cur, want->ifname);
	if (wg_uapi_get(fd, &cur, WG_UAPI_TIMEOUT) == -1)
		err(1, "uapi get");
	if ((n = wg_diff(want, &cur, &chg)) == -1)
		err(1, "diff");
	if (n > 0) {
		if (wg_uapi_set_encode(&chg, &text, &len) == -1)
			err(1, "encode");
		print_redacted(text);
		wg_uapi_free(text, len);
		if (wg_uapi_set(fd, &chg, WG_UAPI_TIMEOUT) == -1)
			err(1, "uapi set");
	}
	wg_device_clear(&chg);
	wg_device_clear(&cur);
	close(fd);
	return n;
}

static void
do_get(const char *dir, const char *ifname)
{
	struct wg_device	 dev;
	struct wg_peer		*p;
	char			 ep[128];
	int			 fd;

	if ((fd = wg_uapi_connect(dir, ifname)) == -1)
		err(1, "uapi connect");
	wg_device_init(&dev, ifname);
	if (wg_uapi_get(fd, &dev, WG_UAPI_TIMEOUT) == -1)
		err(1, "uapi get");
	TAILQ_FOREACH(p, &dev.peers, entry) {
		if (!(p->flags & WGPEER_HAS_ENDPOINT) ||
		    wg_endpoint_fmt(&p->endpoint, ep, sizeof(ep)) == -1)
			strlcpy(ep, "none", sizeof(ep));
		printf("handshake %lld rx %llu tx %llu endpoint %s\n",
		    (long long)p->stats.last_handshake.tv_sec,
		    (unsigned long long)p->stats.rx_bytes,
		    (unsigned long long)p->stats.tx_bytes, ep);
	}
	wg_device_clear(&dev);
	close(fd);
}

int
main(int argc, char *argv[])
{
	struct mnl_socket	*nl;
	struct rtnl_batch	*b;
	struct rtnl_link	 l;
	struct wg_device	 want;
	struct wg_peer		*p;
	const char		*errstr, *dir = NULL, *ifname = NULL;
	const char		*keyfile = NULL, *peerkey = NULL, *aips = NULL;
	const char		*endpoint = NULL, *pskfile = NULL;
	char			*addrs[MAX_ADDRS], buf[1024], *s, *tok;
	uint8_t			 pk[WG_KEY_LEN];
	uint32_t		 mtu = 0;
	int			 ch, naddrs = 0, get = 0, del = 0, n;
	int			 port = -1, keepalive = -1;

	while ((ch = getopt(argc, argv, "a:A:D:e:gi:k:K:l:m:P:S:x")) != -1) {
		switch (ch) {
		case 'a':
			if (naddrs == MAX_ADDRS)
				usage();
			addrs[naddrs++] = optarg;
			break;
		case 'A':
			aips = optarg;
			break;
		case 'D':
			dir = optarg;
			break;
		case 'e':
			endpoint = optarg;
			break;
		case 'g':
			get = 1;
			break;
		case 'i':
			ifname = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 'K':
			keepalive = strtonum(optarg, 0, 65535, &errstr);
			if (errstr != NULL)
				usage();
			break;
		case 'l':
			port = strtonum(optarg, 0, 65535, &errstr);
			if (errstr != NULL)
				usage();
			break;
		case 'm':
			mtu = strtonum(optarg, 1280, 65535, &errstr);
			if (errstr != NULL)
				usage();
			break;
		case 'P':
			peerkey = optarg;
			break;
		case 'S':
			pskfile = optarg;
			break;
		case 'x':
			del = 1;
			break;
		default:
			usage();
		}
	}
	if (ifname == NULL)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (get) {
		do_get(dir, ifname);
		return 0;
	}
	if ((nl = mnl_socket_open(NETLINK_ROUTE)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1)
		err(1, "netlink");
	if (del) {
		if ((b = malloc(sizeof(*b))) == NULL)
			err(1, NULL);
		if (rtnl_link_get(nl, ifname, &l) == -1)
			err(1, "link %s", ifname);
		rtnl_batch_init(b, time(NULL));
		rtnl_link_delete(b, l.ifindex, NULL);
		if (rtnl_batch_send(nl, b, NULL) == -1)
			err(1, "delete %s", ifname);
		printf("deleted %s\n", ifname);
		return 0;
	}
	if (keyfile == NULL || port == -1 || peerkey == NULL || aips == NULL ||
	    mtu == 0)
		usage();

	n = do_link(nl, ifname, mtu, addrs, naddrs);

	if (wg_device_init(&want, ifname) == -1)
		errx(1, "bad interface name");
	read_key(want.private_key, keyfile);
	want.listen_port = port;
	want.flags = WGDEV_HAS_PRIVATE_KEY | WGDEV_HAS_LISTEN_PORT;
	if (key_from_base64(pk, peerkey) == -1)
		errx(1, "bad peer key");
	if ((p = wg_peer_add(&want, pk)) == NULL)
		err(1, NULL);
	strlcpy(buf, aips, sizeof(buf));
	for (s = buf; (tok = strsep(&s, ",")) != NULL;)
		if (wg_allowedip_parse(p, tok) == -1)
			errx(1, "bad allowed ip %s", tok);
	if (endpoint != NULL) {
		if (wg_endpoint_parse(&p->endpoint, endpoint) == -1)
			errx(1, "bad endpoint %s", endpoint);
		p->flags |= WGPEER_HAS_ENDPOINT;
	}
	if (keepalive != -1) {
		p->keepalive = keepalive;
		p->flags |= WGPEER_HAS_KEEPALIVE;
	}
	if (pskfile != NULL) {
		read_key(p->preshared_key, pskfile);
		p->flags |= WGPEER_HAS_PRESHARED_KEY;
	}
	n += do_wg(dir, &want);
	wg_device_clear(&want);
	printf("changes %d\n", n);
	mnl_socket_close(nl);
	return 0;
}
