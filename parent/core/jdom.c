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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl_parse.h>

#include "parent/core/jdom.h"

struct jdom_ctx {
	yajl_handle	 h;
	const char	*buf;
	struct jnode	*root;
	struct jnode	*cur;		/* open container */
	char		*key;		/* pending member name */
	int		 depth;
	int		 maxdepth;
	char		*err;
	size_t		 errlen;
};

static int	jdom_line(struct jdom_ctx *);
static struct jnode *jdom_add(struct jdom_ctx *, enum jtype);
static int	jdom_null(void *);
static int	jdom_bool(void *, int);
static int	jdom_number(void *, const char *, size_t);
static int	jdom_string(void *, const unsigned char *, size_t);
static int	jdom_start_map(void *);
static int	jdom_map_key(void *, const unsigned char *, size_t);
static int	jdom_end(void *);
static int	jdom_start_array(void *);

static const yajl_callbacks jdom_callbacks = {
	.yajl_null = jdom_null,
	.yajl_boolean = jdom_bool,
	.yajl_number = jdom_number,
	.yajl_string = jdom_string,
	.yajl_start_map = jdom_start_map,
	.yajl_map_key = jdom_map_key,
	.yajl_end_map = jdom_end,
	.yajl_start_array = jdom_start_array,
	.yajl_end_array = jdom_end,
};

static int
jdom_line(struct jdom_ctx *c)
{
	size_t	 off, i;
	int	 line = 1;

	off = yajl_get_bytes_consumed(c->h);
	for (i = 0; i < off && c->buf[i] != '\0'; i++)
		if (c->buf[i] == '\n')
			line++;
	return line;
}

static struct jnode *
jdom_add(struct jdom_ctx *c, enum jtype type)
{
	struct jnode	*n;

	if (c->cur == NULL && c->root != NULL) {
		snprintf(c->err, c->errlen, "%d: trailing data",
		    jdom_line(c));
		return NULL;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL) {
		snprintf(c->err, c->errlen, "out of memory");
		return NULL;
	}
	TAILQ_INIT(&n->children);
	n->type = type;
	n->line = jdom_line(c);
	n->parent = c->cur;
	if (c->cur == NULL)
		c->root = n;
	else {
		if (c->cur->type == J_OBJECT) {
			n->key = c->key;
			c->key = NULL;
		}
		TAILQ_INSERT_TAIL(&c->cur->children, n, entry);
	}
	return n;
}

static int
jdom_null(void *arg)
{
	return jdom_add(arg, J_NULL) != NULL;
}

static int
jdom_bool(void *arg, int b)
{
	struct jnode	*n;

	if ((n = jdom_add(arg, J_BOOL)) == NULL)
		return 0;
	n->boolean = b;
	return 1;
}

static int
jdom_number(void *arg, const char *s, size_t len)
{
	struct jnode	*n;

	if ((n = jdom_add(arg, J_NUMBER)) == NULL)
		return 0;
	if ((n->str = strndup(s, len)) == NULL)
		return 0;
	return 1;
}

static int
jdom_string(void *arg, const unsigned char *s, size_t len)
{
	struct jdom_ctx	*c = arg;
	struct jnode	*n;

	if (memchr(s, '\0', len) != NULL) {
		snprintf(c->err, c->errlen, "%d: NUL byte in string",
		    jdom_line(c));
		return 0;
	}
	if ((n = jdom_add(c, J_STRING)) == NULL)
		return 0;
	if ((n->str = strndup((const char *)s, len)) == NULL)
		return 0;
	return 1;
}

static int
jdom_open(struct jdom_ctx *c, enum jtype type)
{
	struct jnode	*n;

	if (++c->depth > c->maxdepth) {
		snprintf(c->err, c->errlen, "%d: nested too deeply",
		    jdom_line(c));
		return 0;
	}
	if ((n = jdom_add(c, type)) == NULL)
		return 0;
	c->cur = n;
	return 1;
}

static int
jdom_start_map(void *arg)
{
	return jdom_open(arg, J_OBJECT);
}

static int
jdom_start_array(void *arg)
{
	return jdom_open(arg, J_ARRAY);
}

static int
jdom_end(void *arg)
{
	struct jdom_ctx	*c = arg;

	c->depth--;
	c->cur = c->cur->parent;
	return 1;
}

static int
jdom_map_key(void *arg, const unsigned char *s, size_t len)
{
	struct jdom_ctx	*c = arg;
	struct jnode	*n;

	free(c->key);
	if ((c->key = strndup((const char *)s, len)) == NULL)
		return 0;
	if (strlen(c->key) != len) {
		snprintf(c->err, c->errlen, "%d: NUL byte in key",
		    jdom_line(c));
		return 0;
	}
	TAILQ_FOREACH(n, &c->cur->children, entry) {
		if (strcmp(n->key, c->key) == 0) {
			snprintf(c->err, c->errlen, "%d: duplicate key "
			    "\"%s\"", jdom_line(c), c->key);
			return 0;
		}
	}
	return 1;
}

struct jnode *
jdom_parse(const char *buf, size_t len, int maxdepth, char *err,
    size_t errlen)
{
	struct jdom_ctx	 c;
	unsigned char	*yerr;
	yajl_status	 st;
	int		 line;
	char		*nl;

	memset(&c, 0, sizeof(c));
	c.buf = buf;
	c.maxdepth = maxdepth;
	c.err = err;
	c.errlen = errlen;
	err[0] = '\0';
	if ((c.h = yajl_alloc(&jdom_callbacks, NULL, &c)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	st = yajl_parse(c.h, (const unsigned char *)buf, len);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(c.h);
	if (st != yajl_status_ok) {
		if (err[0] == '\0') {
			line = jdom_line(&c);
			yerr = yajl_get_error(c.h, 0, NULL, 0);
			snprintf(err, errlen, "%d: %s", line,
			    yerr != NULL ? (char *)yerr : "parse error");
			if ((nl = strchr(err, '\n')) != NULL)
				*nl = '\0';
			if (yerr != NULL)
				yajl_free_error(c.h, yerr);
		}
		yajl_free(c.h);
		free(c.key);
		jdom_free(c.root);
		return NULL;
	}
	yajl_free(c.h);
	free(c.key);
	if (c.root == NULL)
		snprintf(err, errlen, "empty document");
	return c.root;
}

void
jdom_free(struct jnode *n)
{
	struct jnode	*k;

	if (n == NULL)
		return;
	while ((k = TAILQ_FIRST(&n->children)) != NULL) {
		TAILQ_REMOVE(&n->children, k, entry);
		jdom_free(k);
	}
	free(n->key);
	if (n->str != NULL)
		freezero(n->str, strlen(n->str));
	free(n);
}

struct jnode *
jdom_get(const struct jnode *obj, const char *key)
{
	struct jnode	*n;

	if (obj == NULL || obj->type != J_OBJECT)
		return NULL;
	TAILQ_FOREACH(n, &obj->children, entry)
		if (strcmp(n->key, key) == 0)
			return n;
	return NULL;
}

const char *
jdom_type_name(enum jtype t)
{
	static const char *const names[] = {
		"null", "boolean", "number", "string", "object", "array"
	};

	return names[t];
}
