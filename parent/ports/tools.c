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

#include <sys/types.h>
#include <sys/queue.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "imsg.h"
#include "parent/core/config.h"
#include "parent/core/parent.h"
#include "parent/core/pending.h"
#include "parent/core/reload.h"
#include "parent/core/route.h"
#include "parent/ports/tools.h"

#define TOOLS_PENDING_MAX	8	/* the fetcher caps its runs lower */

struct tools_req {
	struct pending		 pend;
	tools_cb		 cb;
	void			*arg;
};

static struct pending_set	 tools_reqs =
    PENDING_SET_INITIALIZER(tools_reqs, "fetcher", TOOLS_PENDING_MAX, NULL);
static char			 sent_resolver[DIAG_RESOLVER_LEN];
static int			 conf_sent;

static void	tools_dispatch(struct imsg *);
static void	tools_reload(const struct moenet_conf *,
		    const struct moenet_conf *);

/*
 * diag.resolver as the file has it: the fetcher checks it (it parses
 * every address a tool uses).  Sent at start and when a reload changed it.
 */
void
tools_conf(void)
{
	static const struct reload_hook	 hook = { "tools", NULL,
					    tools_reload };
	struct diag_conf_msg	 m;

	reload_add(&hook);
	if (conf_sent && strcmp(sent_resolver, conf->diag_resolver) == 0)
		return;
	memset(&m, 0, sizeof(m));
	strlcpy(m.resolver, conf->diag_resolver, sizeof(m.resolver));
	parent_imsg_compose(PROC_FETCHER, IMSG_DIAG_CONF, 0, -1, &m,
	    sizeof(m));
	strlcpy(sent_resolver, conf->diag_resolver, sizeof(sent_resolver));
	conf_sent = 1;
}

/* 0 when sent (cb is called once, later), -1 with errno. */
int
tools_run(enum diag_tool tool, const char *target, tools_cb cb, void *arg)
{
	struct diag_run_msg	 m;
	struct tools_req	*r;

	if ((unsigned int)tool >= DIAG_TOOL_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (pending_count(&tools_reqs) >= TOOLS_PENDING_MAX) {
		errno = EBUSY;
		return -1;
	}
	memset(&m, 0, sizeof(m));
	m.tool = tool;
	if (strlcpy(m.target, target, sizeof(m.target)) >= sizeof(m.target)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return -1;
	if (pending_add(&tools_reqs, &r->pend, r) == -1) {
		free(r);
		errno = EBUSY;
		return -1;
	}
	r->cb = cb;
	r->arg = arg;
	parent_imsg_compose(PROC_FETCHER, IMSG_DIAG_RUN, r->pend.id, -1, &m,
	    sizeof(m));
	return 0;
}

static void
tools_reload(const struct moenet_conf *old, const struct moenet_conf *new)
{
	tools_conf();
}

static const struct route tools_route_table[] = {
	{ IMSG_DIAG_RESULT, ROUTE_FROM(PROC_FETCHER), ROUTE_VARLEN,
	    tools_dispatch },
};

void
tools_routes(void)
{
	route_add(tools_route_table,
	    sizeof(tools_route_table) / sizeof(tools_route_table[0]));
}

/* IMSG_DIAG_RESULT: checked whole before anyone sees the text. */
static void
tools_dispatch(struct imsg *imsg)
{
	struct diag_result_msg	 h;
	struct tools_req	*r;
	char			*text;
	size_t			 len = imsg_get_len(imsg), i;
	uint32_t		 id = imsg_get_id(imsg);

	if (imsg_get_type(imsg) != IMSG_DIAG_RESULT || len < sizeof(h))
		fatalx("%s: bad IMSG_DIAG_RESULT", __func__);
	memcpy(&h, imsg->data, sizeof(h));
	if (h.status > DIAG_STATUS_MAX || h.len > DIAG_OUTPUT_MAX ||
	    len != sizeof(h) + h.len)
		fatalx("%s: IMSG_DIAG_RESULT wrong length or status",
		    __func__);
	text = (char *)imsg->data + sizeof(h);
	for (i = 0; i < h.len; i++)
		if ((text[i] < 0x20 && text[i] != '\n' && text[i] != '\t') ||
		    (unsigned char)text[i] >= 0x7f)
			fatalx("%s: IMSG_DIAG_RESULT: not plain text",
			    __func__);
	r = pending_get(&tools_reqs, id, "IMSG_DIAG_RESULT");
	pending_del(&r->pend);
	if ((text = strndup(text, h.len)) == NULL)
		fatal("%s", __func__);
	r->cb(h.status, text, h.len, r->arg);
	free(text);
	free(r);
}
