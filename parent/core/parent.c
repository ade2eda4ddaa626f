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
 * The parent's own state every layer reads: the configuration in force,
 * the children and the one way to send to them.
 */

#include <sys/types.h>

#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "log.h"
#include "imsgev.h"
#include "parent/core/parent.h"

struct moenet_conf	*conf;
struct child		 children[PROC_MAX];

static parent_reload_cb	 reload_cb;

/*
 * The one place a send to a child can fail: out of memory, or a message
 * larger than any the children take.  Either is the end (shared fate);
 * a passed fd is closed first, never leaked.  Callers need not check.
 */
int
parent_imsg_compose(enum moenet_proc p, uint32_t type, uint32_t peerid,
    int fd, const void *data, size_t len)
{
	if (imsg_compose_event(&children[p].iev, type, peerid, 0, fd, data,
	    len) == -1) {
		if (fd != -1)
			close(fd);
		fatal("%s: %s to %s", __func__, imsg_type_name(type),
		    proc_names[p]);
	}
	return 0;
}

/* main() owns the reload; the outputs ask for one through here. */
void
parent_on_reload(parent_reload_cb cb)
{
	reload_cb = cb;
}

int
parent_reload(char *err, size_t errlen)
{
	if (reload_cb == NULL) {
		strlcpy(err, "not running", errlen);
		return -1;
	}
	return reload_cb(err, errlen);
}
