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
 * mesh (mesh.c): tunnels one at a time, then one BIRD transaction.
 * What an item wants and what becomes of it is the task's; the order,
 * the waiting, the retries are here.
 */

#include <sys/types.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "parent/ports/apply.h"
#include "parent/ports/wg.h"
#include "parent/tasks/reconcile.h"

static void	reconcile_tunnel_next(struct reconcile *);
static void	reconcile_tunnel_done(int, const char *, void *);
static void	reconcile_files_run(struct reconcile *);
static void	reconcile_files_done(const struct apply_result *, void *);
static void	reconcile_expect_free(struct reconcile *);

/* Item after item, each waiting for wgctl's answer before the next. */
void
reconcile_tunnels(struct reconcile *rc, size_t n)
{
	rc->n = n;
	rc->i = 0;
	reconcile_tunnel_next(rc);
}

static void
reconcile_tunnel_next(struct reconcile *rc)
{
	const struct reconcile_ops	*ops = rc->ops;
	struct wg_tunnel		 t;
	enum reconcile_op		 op;
	int				 r;

	while (rc->i < rc->n) {
		memset(&t, 0, sizeof(t));
		rc->op = op = ops->tunnel(rc->i, &t);
		if (op == RECONCILE_UP)
			r = wg_tunnel_apply(&t, reconcile_tunnel_done, rc);
		else if (op == RECONCILE_DOWN)
			r = wg_tunnel_remove(t.ifname, reconcile_tunnel_done,
			    rc);
		else
			r = -1;
		/* The tunnel may hold a preshared key. */
		explicit_bzero(&t, sizeof(t));
		if (r == 0)
			return;
		if (op != RECONCILE_SKIP)
			ops->tunnel_done(rc->i, op, strerror(errno), 1);
		rc->i++;
	}
	ops->tunnels_done();
}

static void
reconcile_tunnel_done(int error, const char *msg, void *arg)
{
	struct reconcile	*rc = arg;

	rc->ops->tunnel_done(rc->i, rc->op, error != 0 ? msg : NULL, 0);
	rc->i++;
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
