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
 * One member of a small JSON object, with yajl's tree parser over a
 * bounded copy.  Whatever the member holds is only text here: the
 * caller checks it for what it must be (a target, a name, an ASN).
 */

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "reqbody.h"

#define REQBODY_MAX	4096

int
reqbody_member(const char *body, size_t len, const char *const *keys,
    int types, char *out, size_t outlen, char *err, size_t errlen)
{
	char		 copy[REQBODY_MAX + 1], yerr[128];
	yajl_val	 root, v;
	const char	*path[2] = { NULL, NULL }, *sv;
	size_t		 i, n;
	int		 rv = 0;

	if (outlen == 0)
		return -1;
	out[0] = '\0';
	if (len == 0) {
		snprintf(err, errlen, "the request needs a JSON body");
		return -1;
	}
	if (len > REQBODY_MAX || memchr(body, '\0', len) != NULL) {
		snprintf(err, errlen, "the body is too long or has a NUL "
		    "byte");
		return -1;
	}
	memcpy(copy, body, len);
	copy[len] = '\0';
	if ((root = yajl_tree_parse(copy, yerr, sizeof(yerr))) == NULL) {
		snprintf(err, errlen, "the body is not JSON");
		return -1;
	}
	if (!YAJL_IS_OBJECT(root)) {
		snprintf(err, errlen, "the body is not a JSON object");
		yajl_tree_free(root);
		return -1;
	}
	for (i = 0; keys[i] != NULL; i++) {
		path[0] = keys[i];
		if ((v = yajl_tree_get(root, path, yajl_t_any)) == NULL ||
		    YAJL_IS_NULL(v))
			continue;
		if (YAJL_IS_STRING(v) && (types & REQBODY_STRING) &&
		    (sv = YAJL_GET_STRING(v)) != NULL) {
			n = strlen(sv);
			if (n == 0) {
				snprintf(err, errlen, "%s is empty", keys[i]);
				rv = -1;
			} else if (n >= outlen) {
				snprintf(err, errlen, "%s is too long",
				    keys[i]);
				rv = -1;
			} else {
				memcpy(out, sv, n + 1);
				rv = 1;
			}
		} else if (YAJL_IS_INTEGER(v) && (types & REQBODY_NUMBER)) {
			if (YAJL_GET_INTEGER(v) < 0 ||
			    (size_t)snprintf(out, outlen, "%lld",
			    YAJL_GET_INTEGER(v)) >= outlen) {
				snprintf(err, errlen, "%s is out of range",
				    keys[i]);
				out[0] = '\0';
				rv = -1;
			} else
				rv = 1;
		} else {
			snprintf(err, errlen, "%s has the wrong type",
			    keys[i]);
			rv = -1;
		}
		break;
	}
	yajl_tree_free(root);
	if (rv == -1)
		out[0] = '\0';
	return rv;
}
