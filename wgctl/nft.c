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
 * The firewall, as wgctl keeps it.  Which chains: where the router's
 * input policy is decided, because an accept in a chain of our own does
 * not override a drop in another base chain on the same hook.  With
 * iptables-nft that is the "filter" table's INPUT chain of families ip
 * and ip6, written in iptables' own form; with plain nftables every
 * base chain on the input hook whose policy is drop (ip, ip6, inet).
 *
 * Each request carries the whole set of ports.  The chains are read,
 * the agent's rules are found by their comment, and what differs is
 * sent in one nf_tables transaction bound to the generation the chains
 * were read at: if anyone changed the ruleset in between, the kernel
 * refuses the batch and it is worked out again.  Rules that are not
 * ours are never touched; ours that are no longer wanted (after a
 * restart too, and the previous agent's) are removed when the parent
 * says its set is complete (prune).
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "moenet.h"
#include "fwmsg.h"
#include "wgctl/nft.h"
#include "wgctl/nftmsg.h"
#include "wgctl/nlbuf.h"
#include "wgctl/nlerr.h"

#define NFT_TRIES		3
#define NFT_BUF			(8 * 1024 * 1024)
#define NFT_RULE_MAX		1024	/* bytes of one encoded rule */
#define NFT_CHAINS_MAX		FWMSG_CHAINS_MAX
#define NFT_RECV_BUF		32768

struct chain_list {
	struct nft_chain_info	*c;
	size_t			 n;
	int			 err;
};

struct rule_list {
	struct nft_rule_info	*r;
	size_t			 n;
	int			 err;
};

struct managed {
	struct nft_chain_info	 c;
	int			 xt;		/* iptables-nft's chain */
	uint8_t			 final[65536 / 8];
};

static int	nft_talk(void *, size_t, mnl_cb_t, void *);
static int	chain_cb(const struct nlmsghdr *, void *);
static int	rule_cb(const struct nlmsghdr *, void *);
static int	genid_cb(const struct nlmsghdr *, void *);
static int	is_iptables_chain(const struct nft_chain_info *);
static int	is_nft_chain(const struct nft_chain_info *);
static const char *family_name(uint8_t);
static void	chain_label(const struct nft_chain_info *, char *, size_t);
static int	wanted(const struct fwmsg_ports *, uint16_t);
static int	nft_try(const struct fwmsg_ports *, struct fwmsg_result *);
static int	batch_send(char *, size_t, size_t);

static struct mnl_socket	*nl_nft;
static int			 nft_open_err;
static uint32_t			 nft_seq;
static char			*nft_buf;
static struct managed		 mg[NFT_CHAINS_MAX];
static int			 xt_off, xt_sent;

int
nft_open(void)
{
	int	 one = 1, sz = NFT_BUF;

	if ((nl_nft = mnl_socket_open(NETLINK_NETFILTER)) == NULL ||
	    mnl_socket_bind(nl_nft, 0, MNL_SOCKET_AUTOPID) == -1) {
		nft_open_err = errno;
		if (nl_nft != NULL)
			mnl_socket_close(nl_nft);
		nl_nft = NULL;
		return -1;
	}
	/* A batch of many rules, and one answer for each. */
	setsockopt(mnl_socket_get_fd(nl_nft), SOL_SOCKET, SO_SNDBUFFORCE, &sz,
	    sizeof(sz));
	setsockopt(mnl_socket_get_fd(nl_nft), SOL_SOCKET, SO_RCVBUFFORCE, &sz,
	    sizeof(sz));
	mnl_socket_setsockopt(nl_nft, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

static const char *
family_name(uint8_t f)
{
	switch (f) {
	case NFPROTO_IPV4:
		return "ip";
	case NFPROTO_IPV6:
		return "ip6";
	case NFPROTO_INET:
		return "inet";
	default:
		return "?";
	}
}

/*
 * "family table chain" for logs and the status.  Names are the kernel's
 * and may hold any byte but NUL: shown printable, never interpreted.
 */
static void
chain_label(const struct nft_chain_info *c, char *buf, size_t len)
{
	size_t	 i;

	snprintf(buf, len, "%s %.36s %.36s", family_name(c->family), c->table,
	    c->name);
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] > 0x7e)
			buf[i] = '?';
}

static int
is_iptables_chain(const struct nft_chain_info *c)
{
	return c->base && c->hooknum == NF_INET_LOCAL_IN &&
	    (c->family == NFPROTO_IPV4 || c->family == NFPROTO_IPV6) &&
	    strcmp(c->table, "filter") == 0 && strcmp(c->name, "INPUT") == 0;
}

static int
is_nft_chain(const struct nft_chain_info *c)
{
	return c->base && c->hooknum == NF_INET_LOCAL_IN &&
	    (c->family == NFPROTO_IPV4 || c->family == NFPROTO_IPV6 ||
	    c->family == NFPROTO_INET) && c->has_policy &&
	    c->policy == NF_DROP && !is_iptables_chain(c);
}

/* One request, its answers through cb until done or an error. */
static int
nft_talk(void *req, size_t len, mnl_cb_t cb, void *arg)
{
	static char	 buf[NFT_RECV_BUF];
	struct nlmsghdr	*nlh = req;
	ssize_t		 n;
	int		 rc;

	/* What an interrupted dump left must not answer this request. */
	while (recv(mnl_socket_get_fd(nl_nft), buf, sizeof(buf),
	    MSG_DONTWAIT) > 0)
		;
	if (mnl_socket_sendto(nl_nft, req, len) < 0)
		return -1;
	for (;;) {
		if ((n = mnl_socket_recvfrom(nl_nft, buf, sizeof(buf))) <= 0)
			return -1;
		if (nl_buf_check(buf, (size_t)n) == -1)
			return -1;
		rc = mnl_cb_run(buf, n, nlh->nlmsg_seq,
		    mnl_socket_get_portid(nl_nft), cb, arg);
		if (rc == MNL_CB_ERROR)
			return -1;
		if (rc == MNL_CB_STOP)
			return 0;
	}
}

static int
chain_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct chain_list	*l = arg;
	struct nft_chain_info	 c, *p;

	if (nft_parse_chain(nlh, &c) == -1)
		return MNL_CB_OK;	/* a chain we could not read */
	if (!is_iptables_chain(&c) && !is_nft_chain(&c))
		return MNL_CB_OK;
	if ((p = reallocarray(l->c, l->n + 1, sizeof(*p))) == NULL) {
		l->err = errno;
		return MNL_CB_ERROR;
	}
	l->c = p;
	l->c[l->n++] = c;
	return MNL_CB_OK;
}

static int
rule_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct rule_list	*l = arg;
	struct nft_rule_info	 r, *p;

	if (nft_parse_rule(nlh, &r) == -1 || r.port == 0)
		return MNL_CB_OK;
	if ((p = reallocarray(l->r, l->n + 1, sizeof(*p))) == NULL) {
		l->err = errno;
		return MNL_CB_ERROR;
	}
	l->r = p;
	l->r[l->n++] = r;
	return MNL_CB_OK;
}

static int
genid_cb(const struct nlmsghdr *nlh, void *arg)
{
	if (nft_parse_genid(nlh, arg) == -1)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

static int
wanted(const struct fwmsg_ports *req, uint16_t port)
{
	size_t	 lo = 0, hi = req->nports, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (req->ports[mid] == port)
			return 1;
		if (req->ports[mid] < port)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

#define BIT_SET(b, p)	((b)[(p) / 8] |= 1 << ((p) % 8))
#define BIT_CLR(b, p)	((b)[(p) / 8] &= ~(1 << ((p) % 8)))
#define BIT_ISSET(b, p)	(((b)[(p) / 8] >> ((p) % 8)) & 1)

void
nft_sync(const struct fwmsg_ports *req, struct fwmsg_result *res)
{
	int	 i, rc;

	memset(res, 0, sizeof(*res));
	/* A kernel without nfnetlink has no nf_tables chain to manage. */
	if (nl_nft == NULL && nft_open_err == EPROTONOSUPPORT)
		return;
	if (nl_nft == NULL) {
		res->err = nft_open_err != 0 ? nft_open_err : EIO;
		snprintf(res->msg, sizeof(res->msg), "NETLINK_NETFILTER: %s",
		    strerror(res->err));
		return;
	}
	if (nft_buf == NULL && (nft_buf = malloc(NFT_BUF)) == NULL) {
		res->err = errno;
		snprintf(res->msg, sizeof(res->msg), "%s", strerror(errno));
		return;
	}
	for (i = 0; i < NFT_TRIES; i++) {
		memset(res, 0, sizeof(*res));
		rc = nft_try(req, res);
		/*
		 * No xt comment match in this kernel (nft_compat or
		 * xt_comment missing): the comment goes in the rule's user
		 * data, which iptables-nft lists the same.
		 */
		if ((rc == ENOENT || rc == EOPNOTSUPP) && xt_sent && !xt_off) {
			log_info("firewall: no xt comment match (%s): "
			    "comments in the rules' user data", strerror(rc));
			xt_off = 1;
			continue;
		}
		if (rc != ERESTART && rc != EINTR)
			break;
		log_debug("%s: the ruleset changed while read, again",
		    __func__);
	}
}

/* One try: 0, or the errno also in res; ERESTART: read it again. */
static int
nft_try(const struct fwmsg_ports *req, struct fwmsg_result *res)
{
	struct chain_list	 cl;
	struct rule_list	 rl;
	struct managed		*m;
	char			 q[512], label[FWMSG_CHAIN_LEN];
	size_t			 len, off, i, j, nmsgs = 0, nm = 0;
	uint32_t		 genid = 0;
	uint16_t		 p;
	int			 err = 0, use_ipt, use_nft;
	unsigned int		 port;

	memset(&cl, 0, sizeof(cl));
	memset(&rl, 0, sizeof(rl));
	xt_sent = 0;
	use_ipt = req->mode == FW_MODE_AUTO || req->mode == FW_MODE_IPTABLES;
	use_nft = req->mode == FW_MODE_AUTO || req->mode == FW_MODE_NFTABLES;

	len = nft_put_dump(q, sizeof(q), NFT_MSG_GETGEN, ++nft_seq,
	    AF_UNSPEC, NULL, NULL);
	((struct nlmsghdr *)(void *)q)->nlmsg_flags |= NLM_F_ACK;
	if (nft_talk(q, len, genid_cb, &genid) == -1) {
		err = errno;
		snprintf(res->msg, sizeof(res->msg), "NFT_MSG_GETGEN: %s",
		    strerror(err));
		goto done;
	}
	len = nft_put_dump(q, sizeof(q), NFT_MSG_GETCHAIN, ++nft_seq,
	    NFPROTO_UNSPEC, NULL, NULL);
	if (nft_talk(q, len, chain_cb, &cl) == -1) {
		err = cl.err != 0 ? cl.err : errno;
		snprintf(res->msg, sizeof(res->msg), "NFT_MSG_GETCHAIN: %s",
		    strerror(err));
		goto done;
	}
	for (i = 0; i < cl.n; i++) {
		if (!(use_ipt && is_iptables_chain(&cl.c[i])) &&
		    !(use_nft && is_nft_chain(&cl.c[i])))
			continue;
		if (nm == NFT_CHAINS_MAX) {
			chain_label(&cl.c[i], label, sizeof(label));
			log_warnx("firewall: more than %d input chains, %s "
			    "not managed", NFT_CHAINS_MAX, label);
			continue;
		}
		m = &mg[nm++];
		memset(m, 0, sizeof(*m));
		m->c = cl.c[i];
		m->xt = is_iptables_chain(&m->c) && !xt_off;
	}
	for (i = 0; i < nm; i++) {
		chain_label(&mg[i].c, res->chains[i], sizeof(res->chains[i]));
		len = nft_put_dump(q, sizeof(q), NFT_MSG_GETRULE, ++nft_seq,
		    mg[i].c.family, mg[i].c.table, mg[i].c.name);
		if (len == 0 || nft_talk(q, len, rule_cb, &rl) == -1) {
			err = rl.err != 0 ? rl.err : len == 0 ? E2BIG : errno;
			snprintf(res->msg, sizeof(res->msg), "NFT_MSG_GETRULE "
			    "%s: %s", res->chains[i], strerror(err));
			goto done;
		}
	}
	res->nchains = nm;
	if (nm == 0)
		goto done;

	/* The batch: ours to remove first, then what is missing. */
	off = nft_put_batch(nft_buf, NFT_BUF, NFNL_MSG_BATCH_BEGIN, ++nft_seq,
	    genid, 1);
	for (i = 0; i < rl.n; i++) {
		for (j = 0; j < nm; j++)
			if (rl.r[i].family == mg[j].c.family &&
			    strcmp(rl.r[i].table, mg[j].c.table) == 0 &&
			    strcmp(rl.r[i].chain, mg[j].c.name) == 0)
				break;
		if (j == nm)
			continue;
		m = &mg[j];
		p = rl.r[i].port;
		/* A second rule for a port is ours and redundant. */
		if (!BIT_ISSET(m->final, p) && (wanted(req, p) ||
		    !req->prune)) {
			BIT_SET(m->final, p);
			continue;
		}
		if (NFT_BUF - off < NFT_RULE_MAX)
			goto toobig;
		off += nft_put_rule_del(nft_buf + off, NFT_BUF - off,
		    ++nft_seq, m->c.family, m->c.table, m->c.name,
		    rl.r[i].handle);
		log_debug("firewall: %s: removing udp %u (handle %llu)",
		    res->chains[j], (unsigned int)p,
		    (unsigned long long)rl.r[i].handle);
		nmsgs++;
		res->removed++;
	}
	for (j = 0; j < nm; j++) {
		m = &mg[j];
		for (i = 0; i < req->nports; i++) {
			p = req->ports[i];
			if (BIT_ISSET(m->final, p))
				continue;
			if (NFT_BUF - off < NFT_RULE_MAX)
				goto toobig;
			if ((len = nft_put_rule_add(nft_buf + off,
			    NFT_BUF - off, ++nft_seq, m->c.family, m->c.table,
			    m->c.name, p, m->xt)) == 0)
				goto toobig;
			off += len;
			xt_sent |= m->xt;
			BIT_SET(m->final, p);
			log_debug("firewall: %s: adding udp %u",
			    res->chains[j], (unsigned int)p);
			nmsgs++;
			res->added++;
		}
	}
	if (nmsgs > 0) {
		off += nft_put_batch(nft_buf + off, NFT_BUF - off,
		    NFNL_MSG_BATCH_END, ++nft_seq, 0, 0);
		if (batch_send(nft_buf, off, nmsgs) == -1) {
			err = errno;
			snprintf(res->msg, sizeof(res->msg), "nf_tables "
			    "transaction: %s", strerror(err));
			res->added = res->removed = 0;
			/* Nothing changed: what was read is what is. */
			goto done;
		}
	}
	/* Open where every chain has it. */
	for (port = 1; port <= 65535 && res->nports < FWMSG_PORTS_MAX; port++) {
		for (j = 0; j < nm; j++)
			if (!BIT_ISSET(mg[j].final, port))
				break;
		if (j == nm)
			res->ports[res->nports++] = port;
	}
	goto done;
 toobig:
	err = E2BIG;
	snprintf(res->msg, sizeof(res->msg), "too many rules for one "
	    "transaction");
 done:
	if (err == ERESTART || err == EINTR)
		res->msg[0] = '\0';
	res->err = err;
	free(cl.c);
	free(rl.r);
	return err;
}

/*
 * The transaction.  nfnetlink handles the whole batch within the send
 * and queues one answer per request (NLM_F_ACK): every answer is there
 * when the send returns.  The first error is the batch's.
 */
static int
batch_send(char *buf, size_t len, size_t nmsgs)
{
	static char	 rbuf[NFT_RECV_BUF];
	struct nlmsghdr	*nlh;
	struct nlmsgerr	*e;
	ssize_t		 n;
	size_t		 acks = 0;
	int		 err = 0, rem;

	if (mnl_socket_sendto(nl_nft, buf, len) < 0)
		return -1;
	while (acks < nmsgs && err == 0) {
		n = recv(mnl_socket_get_fd(nl_nft), rbuf, sizeof(rbuf),
		    MSG_DONTWAIT);
		if (n == -1) {
			if (errno == EAGAIN)
				break;
			return -1;
		}
		if (nl_buf_check(rbuf, (size_t)n) == -1)
			return -1;
		rem = (int)n;
		for (nlh = (struct nlmsghdr *)(void *)rbuf;
		    mnl_nlmsg_ok(nlh, rem); nlh = mnl_nlmsg_next(nlh, &rem)) {
			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			if (e->error != 0 && err == 0)
				err = nl_errno(e->error);
			acks++;
		}
	}
	/* Drain what else is queued: the next request starts clean. */
	while (recv(mnl_socket_get_fd(nl_nft), rbuf, sizeof(rbuf),
	    MSG_DONTWAIT) > 0)
		;
	if (err == 0 && acks < nmsgs)
		err = EPROTO;	/* unanswered: the kernel did not say */
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}
