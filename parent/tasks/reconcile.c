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
 * The reconcile step shared by the session sync (engine.c) and the
 * mesh (mesh.c): tunnels several at a time, then one BIRD transaction.
 * What an item wants and what becomes of it is the task's; the order,
 * the waiting, the retries are here.
 */

#include <sys/types.h>

#include <net/if.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "parent/ports/apply.h"
#include "parent/ports/wg.h"
#include "parent/tasks/reconcile.h"

static void	reconcile_tunnel_next(struct reconcile *);
static struct reconcile_slot *reconcile_slot_of(struct reconcile *,
		    const char *);
static void	reconcile_issue(struct reconcile *, size_t,
		    enum reconcile_op, struct wg_tunnel *);
static void	reconcile_tunnel_done(int, const char *, void *);
static void	reconcile_files_run(struct reconcile *);
static void	reconcile_files_done(const struct apply_result *, void *);
static void	reconcile_expect_free(struct reconcile *);

_Static_assert(RECONCILE_IFNAMSIZ == IFNAMSIZ, "RECONCILE_IFNAMSIZ");

/* Items in the list's order, up to RECONCILE_INFLIGHT under way. */
void
reconcile_tunnels(struct reconcile *rc, size_t n)
{
	rc->n = n;
	rc->i = 0;
	rc->nbusy = 0;
	memset(rc->slots, 0, sizeof(rc->slots));
	reconcile_tunnel_next(rc);
}

/* The request under way on ifname, or a free slot (ifname NULL). */
static struct reconcile_slot *
reconcile_slot_of(struct reconcile *rc, const char *ifname)
{
	size_t	 k;

	for (k = 0; k < RECONCILE_INFLIGHT; k++)
		if (ifname == NULL ? !rc->slots[k].busy :
		    rc->slots[k].busy && strcmp(rc->slots[k].ifname,
		    ifname) == 0)
			return &rc->slots[k];
	return NULL;
}

static void
reconcile_tunnel_next(struct reconcile *rc)
{
	struct wg_tunnel	 t;
	enum reconcile_op	 op;
	size_t			 i;

	/* An answer given at once comes back here: the loop goes on. */
	if (rc->looping)
		return;
	rc->looping = 1;
	while (rc->nbusy < RECONCILE_INFLIGHT) {
		if (rc->held != NULL) {
			if (reconcile_slot_of(rc, rc->held->ifname) != NULL)
				break;
			reconcile_issue(rc, rc->held_i, rc->held_op,
			    rc->held);
			free(rc->held);
			rc->held = NULL;
			continue;
		}
		if (rc->i >= rc->n)
			break;
		memset(&t, 0, sizeof(t));
		i = rc->i++;
		if ((op = rc->ops->tunnel(i, &t)) == RECONCILE_SKIP)
			continue;
		if (reconcile_slot_of(rc, t.ifname) == NULL) {
			reconcile_issue(rc, i, op, &t);
			continue;
		}
		if ((rc->held = malloc(sizeof(*rc->held))) == NULL)
			fatal("%s", __func__);
		memcpy(rc->held, &t, sizeof(t));
		explicit_bzero(&t, sizeof(t));
		rc->held_i = i;
		rc->held_op = op;
	}
	rc->looping = 0;
	if (rc->i >= rc->n && rc->held == NULL && rc->nbusy == 0)
		rc->ops->tunnels_done();
}

/* Item i's request to wgctl; t is wiped: it may hold a preshared key. */
static void
reconcile_issue(struct reconcile *rc, size_t i, enum reconcile_op op,
    struct wg_tunnel *t)
{
	struct reconcile_slot	*sl;
	int			 r, saved;

	if ((sl = reconcile_slot_of(rc, NULL)) == NULL)
		fatalx("%s: no free slot", __func__);
	sl->rc = rc;
	sl->i = i;
	sl->op = op;
	strlcpy(sl->ifname, t->ifname, sizeof(sl->ifname));
	sl->busy = 1;
	rc->nbusy++;
	if (op == RECONCILE_UP)
		r = wg_tunnel_apply(t, reconcile_tunnel_done, sl);
	else
		r = wg_tunnel_remove(t->ifname, reconcile_tunnel_done, sl);
	saved = errno;
	explicit_bzero(t, sizeof(*t));
	if (r == 0)
		return;
	sl->busy = 0;
	rc->nbusy--;
	rc->ops->tunnel_done(i, op, strerror(saved), 1);
}

static void
reconcile_tunnel_done(int error, const char *msg, void *arg)
{
	struct reconcile_slot	*sl = arg;
	struct reconcile	*rc = sl->rc;

	sl->busy = 0;
	rc->nbusy--;
	rc->ops->tunnel_done(sl->i, sl->op, error != 0 ? msg : NULL, 0);
	reconcile_tunnel_next(rc);
}

/*
 * Every item's file in one transaction: one reconfiguration.  When
 * BIRD names the file of one, that one fails alone and the others go
 * again, at most once per item.
 */
void
reconcile_files(struct reconcile *rc, size_t n)
{
	rc->n = n;
	rc->tries = 0;
	reconcile_files_run(rc);
}

static void
reconcile_files_run(struct reconcile *rc)
{
	const struct reconcile_ops	*ops = rc->ops;
	size_t				 i;
	int				 any = 0;

	/* Other tasks' changes committed meanwhile join this one. */
	if (apply_begin() == -1) {
		log_warn("%s: apply", ops->what);
		ops->files_done(NULL);
		return;
	}
	for (i = 0; i < rc->n; i++)
		if (ops->stage(rc, i))
			any = 1;
	if (!any) {
		apply_abort();
		reconcile_expect_free(rc);
		ops->files_done(NULL);
		return;
	}
	if (apply_commit((const char *const *)rc->expect, rc->nexpect,
	    reconcile_files_done, rc) == -1) {
		log_warn("%s: cannot commit", ops->what);
		apply_abort();
		reconcile_expect_free(rc);
		ops->files_done(NULL);
		return;
	}
	reconcile_expect_free(rc);
}

static void
reconcile_files_done(const struct apply_result *ar, void *arg)
{
	struct reconcile		*rc = arg;
	const struct reconcile_ops	*ops = rc->ops;
	size_t				 i, culprit = rc->n;

	/* Nothing refused, or BIRD never answered: no item to blame. */
	switch (ar->status) {
	case APPLY_OK:
	case APPLY_UNCHANGED:
	case APPLY_ERR_NOT_CONNECTED:
	case APPLY_ERR_BIRD:
		ops->files_done(ar);
		return;
	default:
		break;
	}
	for (i = 0; i < rc->n; i++)
		if (ops->names(i, ar))
			culprit = i;
	if (culprit < rc->n && rc->tries++ < rc->n) {
		ops->refused(culprit, ar);
		reconcile_files_run(rc);
		return;
	}
	ops->files_done(ar);
}

/* A protocol BIRD must have once the staged files are in. */
void
reconcile_expect(struct reconcile *rc, const char *name)
{
	char	**n;

	if ((n = reallocarray(rc->expect, rc->nexpect + 1,
	    sizeof(*n))) == NULL)
		fatal("%s", __func__);
	rc->expect = n;
	if ((n[rc->nexpect] = strdup(name)) == NULL)
		fatal("%s", __func__);
	rc->nexpect++;
}

static void
reconcile_expect_free(struct reconcile *rc)
{
	size_t	 i;

	for (i = 0; i < rc->nexpect; i++)
		free(rc->expect[i]);
	free(rc->expect);
	rc->expect = NULL;
	rc->nexpect = 0;
}
