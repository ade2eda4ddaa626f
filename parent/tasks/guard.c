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
 * A control plane that suddenly says "nothing" (or almost nothing) of a
 * router that had many sessions is more likely broken than right: a
 * valid list from which more than half of the sessions the agent set
 * up, and at least GUARD_MIN of them, are missing at once is held.
 * Those sessions stay as they are, the hold is logged and shown as a
 * degraded condition, and the removal happens only once the list has
 * said so for removeAfterMissing times as many syncs as usual, or the
 * operator confirms it ("moenetctl confirm removal").  Sessions the
 * control plane marks for deletion (status 5) are in the list, so they
 * are never held.
 */

#include <stdio.h>
#include <string.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "parent/core/degraded.h"
#include "parent/tasks/guard.h"

#define GUARD_MIN	4

static int		 held;		/* the last list was held */
static int		 confirmed;	/* the operator said to go on */
static size_t		 held_gone, held_owned;

/*
 * owned: sessions set up here; gone: those of them missing from this
 * valid list.  Returns how many consecutive lists a session must be
 * missing from before it is removed, for this sync.
 */
unsigned int
guard_threshold(size_t owned, size_t gone)
{
	unsigned int	 usual = (unsigned int)conf->cp_remove_after_missing;
	unsigned int	 longer = usual * usual > usual ? usual * usual :
			    usual + 1;

	if (gone < GUARD_MIN || gone * 2 <= owned) {
		if (held)
			log_info("session list: the removal hold is over "
			    "(%zu of %zu sessions missing)", gone, owned);
		held = confirmed = 0;
		degraded_clear(DEGRADED_REMOVAL_HELD);
		return usual;
	}
	if (confirmed) {
		log_warnx("session list: removing the %zu missing sessions, "
		    "as the operator confirmed", gone);
		held = confirmed = 0;
		degraded_clear(DEGRADED_REMOVAL_HELD);
		return 1;
	}
	if (!held || gone != held_gone || owned != held_owned)
		log_warnx("session list: %zu of the %zu sessions set up here "
		    "are missing at once: their removal is held until the "
		    "list has said so %u times, or \"moenetctl confirm "
		    "removal\"", gone, owned, longer);
	held = 1;
	held_gone = gone;
	held_owned = owned;
	degraded_set(DEGRADED_REMOVAL_HELD, "removal of %zu of %zu sessions "
	    "held: missing at once from the control plane's list (confirm "
	    "with moenetctl confirm removal)", gone, owned);
	return longer;
}

/*
 * guard_threshold() without its effects, for show plan: the syncs a
 * missing session waits; *hold (if not NULL) 1 when the guard holds.
 */
unsigned int
guard_peek(size_t owned, size_t gone, int *hold)
{
	unsigned int	 usual = (unsigned int)conf->cp_remove_after_missing;

	if (hold != NULL)
		*hold = 0;
	if (gone < GUARD_MIN || gone * 2 <= owned)
		return usual;
	if (confirmed)
		return 1;
	if (hold != NULL)
		*hold = 1;
	return usual * usual > usual ? usual * usual : usual + 1;
}

/* moenetctl confirm removal: 0 and what happens next, or -1 and why. */
int
guard_confirm(char *msg, size_t len)
{
	if (!held) {
		snprintf(msg, len, "no removal is held");
		return -1;
	}
	confirmed = 1;
	log_warnx("session list: the operator confirmed the removal of %zu "
	    "sessions", held_gone);
	snprintf(msg, len, "removal of %zu sessions confirmed: applied at "
	    "the next session sync, started now", held_gone);
	return 0;
}

int
guard_held(void)
{
	return held;
}
