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

#ifndef MOENET_PARENT_RECONCILE_H
#define MOENET_PARENT_RECONCILE_H

/*
 * The one reconcile step of the session sync and the mesh: a work list
 * of items (sessions, mesh peers, iBGP peers), each wanting its tunnel
 * set up or kept, or removed, several at a time (RECONCILE_INFLIGHT:
 * starting userspace WireGuard is most of a cold apply, and starts
 * overlap well; two changes to one interface name still go in the
 * list's order); then the
 * items' BIRD files in one apply transaction, in which a file BIRD
 * refuses fails alone and the others are tried again; then the task's
 * own report.  The task keeps its items in an array and is asked about
 * item i; the step keeps only where it is.
 *
 *	static struct reconcile rc = { &ops };
 *	reconcile_tunnels(&rc, n);	... ops.tunnels_done()
 *	reconcile_files(&rc, n);	... ops.files_done(result)
 */

#include <stddef.h>

struct reconcile;
struct wg_tunnel;
struct apply_result;

enum reconcile_op {
	RECONCILE_SKIP,		/* nothing to do, or failed and noted why */
	RECONCILE_UP,		/* set the tunnel up as described, or keep */
	RECONCILE_DOWN		/* remove the tunnel named */
};

struct reconcile_ops {
	const char	*what;		/* for logs: "session sync" */

	/*
	 * What item i wants of its tunnel: UP with the tunnel filled in,
	 * DOWN with its ifname, or SKIP.
	 */
	enum reconcile_op (*tunnel)(size_t, struct wg_tunnel *);
	/*
	 * How it went: the error, or NULL; refused: wgctl was never asked
	 * (the error is errno's).
	 */
	void	(*tunnel_done)(size_t, enum reconcile_op, const char *, int);
	/* Every tunnel of the list is done. */
	void	(*tunnels_done)(void);

	/*
	 * Stage item i's file in the open transaction (apply_put,
	 * apply_remove) and name the protocols to verify with
	 * reconcile_expect(): 1 when something was staged, else 0.
	 */
	int	(*stage)(struct reconcile *, size_t);
	/* BIRD's error names item i's staged file. */
	int	(*names)(size_t, const struct apply_result *);
	/* Item i's file was refused: it fails alone. */
	void	(*refused)(size_t, const struct apply_result *);
	/* The transaction's end; NULL when none ran. */
	void	(*files_done)(const struct apply_result *);
};

#define RECONCILE_INFLIGHT	16	/* tunnel requests under way at once */
#define RECONCILE_IFNAMSIZ	16	/* IFNAMSIZ, without <net/if.h> */

/* One tunnel request under way: wgctl's answer comes back to it. */
struct reconcile_slot {
	struct reconcile		*rc;
	size_t				 i;
	enum reconcile_op		 op;
	char				 ifname[RECONCILE_IFNAMSIZ];
	int				 busy;
};

struct reconcile {
	const struct reconcile_ops	*ops;
	size_t				 n;
	size_t				 i;	/* the next item to ask */
	struct reconcile_slot		 slots[RECONCILE_INFLIGHT];
	size_t				 nbusy;
	/* Asked, waiting for an earlier request on its interface. */
	struct wg_tunnel		*held;
	size_t				 held_i;
	enum reconcile_op		 held_op;
	int				 looping;
	unsigned int			 tries;	/* files refused so far */
	char				**expect;
	size_t				 nexpect;
};

void	reconcile_tunnels(struct reconcile *, size_t);
void	reconcile_files(struct reconcile *, size_t);
void	reconcile_expect(struct reconcile *, const char *);

#endif /* MOENET_PARENT_RECONCILE_H */
