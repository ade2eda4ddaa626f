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
 * Every template the agent renders, loaded once the way the tasks load
 * them, so that the configuration check (-n) fails on a template that
 * would fail every session at run time.
 */

#include <sys/types.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parent/ports/render.h"
#include "parent/ports/policy_render.h"

/*
 * The values mesh.c's babel_render() fills.  Its engine knows no
 * sections, only these names.
 */
static const struct render_var babel_vars[] = {
	{ "loopback_if", 0 },
	{ "next_hop_v4", 0 },
	{ "filter4", 0 },
	{ "filter6", 0 }
};

static int
babel_check(const char *dir, char *err, size_t errlen)
{
	static const char	*sections[] = { "{{#", "{{else}}", "{{/if}}" };
	struct render_tmpl	*rt;
	char			 name[PATH_MAX], *text;
	size_t			 len, i;
	int			 rv = 0;

	if (render_template_text(dir, RENDER_BABEL_TEMPLATE, &text, &len, name,
	    sizeof(name), err, errlen) == -1)
		return (-1);
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (strstr(text, sections[i]) != NULL) {
			(void)snprintf(err, errlen, "%s: \"%s\": no sections "
			    "in this template", name, sections[i]);
			rv = -1;
			break;
		}
	free(text);
	if (rv == -1)
		return (-1);
	if ((rt = render_tmpl_load(dir, RENDER_BABEL_TEMPLATE, babel_vars,
	    sizeof(babel_vars) / sizeof(babel_vars[0]), err, errlen)) == NULL)
		return (-1);
	render_tmpl_free(rt);
	return (0);
}

int
render_templates_check(const char *dir, char *err, size_t errlen)
{
	struct render_templates	*rt;
	struct policy_templates	*pt;

	if ((rt = render_templates_load(dir, err, errlen)) == NULL)
		return (-1);
	render_templates_free(rt);
	if ((pt = policy_templates_load(dir, err, errlen)) == NULL)
		return (-1);
	policy_templates_free(pt);
	return (babel_check(dir, err, errlen));
}
