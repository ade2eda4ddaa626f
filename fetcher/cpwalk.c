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

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "cpwalk.h"

#define CPW_ERRLEN	512
#define CPW_PATHLEN	256

struct cpw_frame {
	const struct cpw_node	*node;		/* NULL: skipping */
	const struct cpw_field	*field;		/* of the current key */
	struct cpw_field	 wild;		/* a map's field */
	uint64_t		 seen;		/* fields given, by index */
	size_t			 n;		/* elements or keys so far */
	int			 isobj;
	int			 id;
	size_t			 keybase;	/* its keys in the pool */
	char			 key[CPW_MAXKEY + 1];
};

struct cpw {
	const struct cpw_node	*root;
	void			*arg;
	int			 depth;		/* frames in use */
	int			 recframe;	/* frame of the open record */
	int			 failed;
	int			 gotroot;
	char			 err[CPW_ERRLEN];
	char			 recerr[CPW_ERRLEN];
	char			 sbuf[CPW_MAXSTR + 1];
	/* keys of the open objects, NUL-terminated, innermost last */
	char			*keypool;
	size_t			 keylen;
	size_t			 keysize;
	struct cpw_frame	 frames[CPW_MAXDEPTH];
};

static void	cpw_path(const struct cpw *, int, int, const char *,
		    char *, size_t);
static int	cpw_error(struct cpw *, int, const char *, const char *, int);
static int	cpw_value(struct cpw *, enum cpw_kind, const char *, size_t,
		    int);
static int	cpw_push(struct cpw *, const struct cpw_node *, int, int);
static int	cb_null(void *);
static int	cb_boolean(void *, int);
static int	cb_number(void *, const char *, size_t);
static int	cb_string(void *, const unsigned char *, size_t);
static int	cb_start_map(void *);
static int	cb_map_key(void *, const unsigned char *, size_t);
static int	cb_end_map(void *);
static int	cb_start_array(void *);
static int	cb_end_array(void *);

static const yajl_callbacks cpw_callbacks = {
	cb_null,
	cb_boolean,
	NULL,
	NULL,
	cb_number,
	cb_string,
	cb_start_map,
	cb_map_key,
	cb_end_map,
	cb_start_array,
	cb_end_array
};

static const char *const kind_names[] = {
	"scalar", "null", "boolean", "number", "string", "object", "array",
	"any"
};

/*
 * The path of frames [from, to), then extra.  Keys are printed with
 * anything outside printable ASCII replaced: paths end up in logs and in
 * lastError.
 */
static void
cpw_path(const struct cpw *w, int from, int to, const char *extra,
    char *buf, size_t size)
{
	const struct cpw_frame	*f;
	char			 comp[CPW_MAXKEY + 32];
	char			*p;
	int			 i;

	buf[0] = '\0';
	for (i = from; i < to; i++) {
		f = &w->frames[i];
		if (f->isobj)
			snprintf(comp, sizeof(comp), ".%s", f->key);
		else
			snprintf(comp, sizeof(comp), "[%zu]",
			    f->n > 0 ? f->n - 1 : 0);
		strlcat(buf, comp, size);
	}
	if (extra != NULL) {
		strlcat(buf, ".", size);
		strlcat(buf, extra, size);
	}
	for (p = buf; *p != '\0'; p++)
		if (*p < 0x20 || *p >= 0x7f)
			*p = '?';
}

/*
 * An error at the value the walk is on (frames [0, upto)), plus extra.
 * Inside a record it is the record's, and the walk goes on (returns 1);
 * otherwise, or when fatal (structure: keys, nesting, sizes), it ends
 * the walk (returns 0, the yajl "cancel").
 */
static int
cpw_error(struct cpw *w, int upto, const char *extra, const char *why,
    int fatal)
{
	char	path[CPW_PATHLEN];

	if (w->failed)
		return 0;
	if (!fatal && w->recframe >= 0 && (upto > w->recframe ||
	    (upto == w->recframe && extra != NULL))) {
		if (w->recerr[0] == '\0') {
			cpw_path(w, w->recframe, upto, extra, path,
			    sizeof(path));
			snprintf(w->recerr, sizeof(w->recerr), "%s: %s",
			    path[0] == '.' ? path + 1 : path, why);
		}
		return 1;
	}
	cpw_path(w, 0, upto, extra, path, sizeof(path));
	snprintf(w->err, sizeof(w->err), "$%s: %s", path, why);
	w->failed = 1;
	return 0;
}

int
cpw_fail(struct cpw *w, const char *fmt, ...)
{
	char	path[CPW_PATHLEN], why[200];
	va_list	ap;

	if (w->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	cpw_path(w, 0, w->depth > 0 ? w->depth - 1 : 0, NULL, path,
	    sizeof(path));
	snprintf(w->err, sizeof(w->err), "$%s: %s", path, why);
	w->failed = 1;
	return -1;
}

/* For checks across fields, made when a record closes. */
void
cpw_record_fail(struct cpw *w, const char *field, const char *why)
{
	if (w->recerr[0] == '\0')
		snprintf(w->recerr, sizeof(w->recerr), "%s: %s", field, why);
}

const char *
cpw_record_error(const struct cpw *w)
{
	return w->recerr[0] != '\0' ? w->recerr : NULL;
}

/* Index of the open record in its array. */
size_t
cpw_index(const struct cpw *w)
{
	const struct cpw_frame	*f;

	if (w->recframe < 1)
		return 0;
	f = &w->frames[w->recframe - 1];
	return f->n > 0 ? f->n - 1 : 0;
}

/* The key the walk is under in the innermost object. */
const char *
cpw_key(const struct cpw *w)
{
	int	i;

	for (i = w->depth - 1; i >= 0; i--)
		if (w->frames[i].isobj)
			return w->frames[i].key;
	return "";
}

/* The key of the object around the one cpw_key() names. */
const char *
cpw_outer_key(const struct cpw *w)
{
	int	i, inner = 1;

	for (i = w->depth - 1; i >= 0; i--) {
		if (!w->frames[i].isobj)
			continue;
		if (!inner)
			return w->frames[i].key;
		inner = 0;
	}
	return "";
}

static int
cpw_push(struct cpw *w, const struct cpw_node *node, int isobj, int id)
{
	struct cpw_frame	*f;

	if (w->depth >= CPW_MAXDEPTH) {
		cpw_error(w, w->depth, NULL, "nesting too deep", 1);
		return 0;
	}
	f = &w->frames[w->depth++];
	f->node = node;
	f->field = NULL;
	f->seen = 0;
	f->n = 0;
	f->isobj = isobj;
	f->id = id;
	f->keybase = w->keylen;
	f->key[0] = '\0';
	if (node != NULL && (node->flags & CPW_RECORD)) {
		w->recframe = w->depth - 1;
		w->recerr[0] = '\0';
	}
	if (node != NULL && node->open != NULL &&
	    node->open(w, w->arg) == -1)
		return 0;
	return 1;
}

/* Every value, scalar or the start of a container, comes through here. */
static int
cpw_value(struct cpw *w, enum cpw_kind kind, const char *s, size_t len,
    int b)
{
	const struct cpw_node	*node;
	struct cpw_frame	*f;
	struct cpw_value	 v;
	const char		*why;
	char			 msg[64];
	int			 id, isfield;

	if (w->failed)
		return 0;
	isfield = 0;
	id = 0;
	if (w->depth == 0) {
		if (w->gotroot)
			return cpw_error(w, 0, NULL, "more than one value", 1);
		w->gotroot = 1;
		node = w->root;
	} else {
		f = &w->frames[w->depth - 1];
		if (f->isobj) {
			isfield = 1;
			node = f->field != NULL ? f->field->node : NULL;
			id = f->field != NULL ? f->field->id : 0;
			if (f->node == NULL)
				node = NULL;
		} else {
			f->n++;
			if (f->node != NULL && f->node->maxelem > 0 &&
			    f->n > f->node->maxelem) {
				snprintf(msg, sizeof(msg),
				    "more than %zu elements", f->node->maxelem);
				cpw_error(w, w->depth - 1, NULL, msg, 1);
				return 0;
			}
			node = f->node != NULL ? f->node->elem : NULL;
			id = f->id;
		}
	}

	/* null is absent, where a field may be absent */
	if (kind == CPW_NULL && isfield)
		return 1;

	if (node == NULL) {
		if (kind == CPW_OBJECT || kind == CPW_ARRAY)
			return cpw_push(w, NULL, kind == CPW_OBJECT, 0);
		return 1;
	}

	if (node->kind == CPW_ANY) {
		if (node->open != NULL && node->open(w, w->arg) == -1)
			return 0;
		if (kind == CPW_OBJECT || kind == CPW_ARRAY)
			return cpw_push(w, NULL, kind == CPW_OBJECT, 0);
		return 1;
	}
	if (node->kind == CPW_SCALAR && kind == CPW_OBJECT &&
	    node->group != NULL)
		node = node->group;
	if (node->kind == CPW_SCALAR && kind == CPW_ARRAY &&
	    node->elem != NULL) {
		/* the array form of a scalar-or-array node */
	} else if (node->kind == CPW_SCALAR ? (kind == CPW_OBJECT ||
	    kind == CPW_ARRAY || kind == CPW_NULL) : kind != node->kind) {
		snprintf(msg, sizeof(msg), "expected %s, got %s",
		    kind_names[node->kind == CPW_SCALAR ? CPW_STRING :
		    node->kind], kind_names[kind]);
		if (node->kind == CPW_SCALAR)
			snprintf(msg, sizeof(msg), "unexpected %s",
			    kind_names[kind]);
		if (!cpw_error(w, w->depth, NULL, msg, 0))
			return 0;
		if (kind == CPW_OBJECT || kind == CPW_ARRAY)
			return cpw_push(w, NULL, kind == CPW_OBJECT, 0);
		return 1;
	}

	if (isfield) {
		f = &w->frames[w->depth - 1];
		if (f->node->fields != NULL)
			f->seen |= 1ULL << (f->field - f->node->fields);
	}
	if (kind == CPW_OBJECT || kind == CPW_ARRAY)
		return cpw_push(w, node, kind == CPW_OBJECT, id);

	if (kind == CPW_STRING) {
		if (len > CPW_MAXSTR)
			return cpw_error(w, w->depth, NULL, "string too long",
			    0);
		if (memchr(s, '\0', len) != NULL)
			return cpw_error(w, w->depth, NULL, "NUL in string", 0);
	}
	if (kind == CPW_NUMBER && len > 64)
		return cpw_error(w, w->depth, NULL, "number too long", 0);
	if (s != NULL) {
		memcpy(w->sbuf, s, len);
		w->sbuf[len] = '\0';
	}
	memset(&v, 0, sizeof(v));
	v.kind = kind;
	v.str = s != NULL ? w->sbuf : NULL;
	v.len = len;
	v.boolean = b;
	why = "invalid";
	if (node->scalar != NULL && node->scalar(w, w->arg, id, &v, &why) == -1)
		return w->failed ? 0 : cpw_error(w, w->depth, NULL, why, 0);
	return !w->failed;
}

static int
cb_null(void *ctx)
{
	return cpw_value(ctx, CPW_NULL, NULL, 0, 0);
}

static int
cb_boolean(void *ctx, int b)
{
	return cpw_value(ctx, CPW_BOOL, NULL, 0, b);
}

static int
cb_number(void *ctx, const char *s, size_t len)
{
	return cpw_value(ctx, CPW_NUMBER, s, len, 0);
}

static int
cb_string(void *ctx, const unsigned char *s, size_t len)
{
	return cpw_value(ctx, CPW_STRING, (const char *)s, len, 0);
}

static int
cb_start_map(void *ctx)
{
	return cpw_value(ctx, CPW_OBJECT, NULL, 0, 0);
}

static int
cb_start_array(void *ctx)
{
	return cpw_value(ctx, CPW_ARRAY, NULL, 0, 0);
}

static int
cb_map_key(void *ctx, const unsigned char *key, size_t len)
{
	struct cpw		*w = ctx;
	struct cpw_frame	*f;
	const struct cpw_field	*fld;
	char			*p;
	size_t			 i, nsize;

	if (w->failed)
		return 0;
	f = &w->frames[w->depth - 1];
	/* Keys are structure: a bad one is the document's fault. */
	if (len > CPW_MAXKEY)
		return cpw_error(w, w->depth - 1, NULL, "key too long", 1);
	if (memchr(key, '\0', len) != NULL)
		return cpw_error(w, w->depth - 1, NULL, "NUL in key", 1);
	if (f->n >= CPW_MAXKEYS)
		return cpw_error(w, w->depth - 1, NULL, "too many keys", 1);
	memcpy(f->key, key, len);
	f->key[len] = '\0';
	for (i = f->keybase; i < w->keylen; i += strlen(w->keypool + i) + 1) {
		if (strcmp(w->keypool + i, f->key) == 0)
			return cpw_error(w, w->depth, NULL, "duplicate key", 1);
	}
	if (w->keylen + len + 1 > w->keysize) {
		/* bounded: CPW_MAXDEPTH * CPW_MAXKEYS * (CPW_MAXKEY + 1) */
		nsize = w->keysize == 0 ? 1024 : w->keysize * 2;
		if ((p = realloc(w->keypool, nsize)) == NULL) {
			cpw_error(w, w->depth, NULL, "out of memory", 1);
			return 0;
		}
		w->keypool = p;
		w->keysize = nsize;
	}
	memcpy(w->keypool + w->keylen, f->key, len + 1);
	w->keylen += len + 1;
	f->n++;
	f->field = NULL;
	if (f->node != NULL && f->node->fields == NULL) {
		f->wild.name = NULL;
		f->wild.node = f->node->elem;
		f->wild.id = 0;
		f->wild.flags = 0;
		f->field = &f->wild;
	} else if (f->node != NULL) {
		for (fld = f->node->fields; fld->name != NULL; fld++) {
			if (strcmp(fld->name, f->key) == 0) {
				f->field = fld;
				break;
			}
		}
	}
	return 1;
}

static int
cb_end_map(void *ctx)
{
	struct cpw		*w = ctx;
	struct cpw_frame	*f;
	const struct cpw_field	*fld;
	int			 i;

	if (w->failed)
		return 0;
	f = &w->frames[w->depth - 1];
	if (f->node != NULL && f->node->fields != NULL) {
		for (i = 0, fld = f->node->fields; fld->name != NULL;
		    i++, fld++) {
			if ((fld->flags & CPW_REQUIRED) &&
			    (f->seen & (1ULL << i)) == 0 &&
			    !cpw_error(w, w->depth - 1, fld->name, "missing",
			    0))
				return 0;
		}
	}
	if (f->node != NULL && f->node->close != NULL &&
	    f->node->close(w, w->arg) == -1)
		return 0;
	if (w->recframe == w->depth - 1)
		w->recframe = -1;
	w->keylen = f->keybase;
	w->depth--;
	return !w->failed;
}

static int
cb_end_array(void *ctx)
{
	struct cpw		*w = ctx;
	struct cpw_frame	*f;

	if (w->failed)
		return 0;
	f = &w->frames[w->depth - 1];
	if (f->node != NULL && f->node->close != NULL &&
	    f->node->close(w, w->arg) == -1)
		return 0;
	w->depth--;
	return !w->failed;
}

/*
 * Walk buf with schema root, calling back with arg.  Returns 0, or -1
 * with err holding "<$.path>: <why>".
 */
int
cpw_parse(const struct cpw_node *root, const char *buf, size_t len,
    void *arg, char *err, size_t errlen)
{
	struct cpw	*w;
	yajl_handle	 h;
	yajl_status	 st;
	unsigned char	*msg;
	char		*nl;
	int		 rv = -1;

	if (len == 0) {
		snprintf(err, errlen, "$: empty document");
		return -1;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL) {
		snprintf(err, errlen, "$: out of memory");
		return -1;
	}
	w->root = root;
	w->arg = arg;
	w->recframe = -1;
	if ((h = yajl_alloc(&cpw_callbacks, NULL, w)) == NULL) {
		snprintf(err, errlen, "$: out of memory");
		freezero(w, sizeof(*w));
		return -1;
	}
	/* Strict JSON: no comments, one value, valid UTF-8. */
	yajl_config(h, yajl_allow_comments, 0);
	yajl_config(h, yajl_dont_validate_strings, 0);
	yajl_config(h, yajl_allow_trailing_garbage, 0);
	yajl_config(h, yajl_allow_multiple_values, 0);
	yajl_config(h, yajl_allow_partial_values, 0);

	st = yajl_parse(h, (const unsigned char *)buf, len);
	if (st == yajl_status_ok)
		st = yajl_complete_parse(h);
	if (w->failed) {
		strlcpy(err, w->err, errlen);
	} else if (st != yajl_status_ok) {
		msg = yajl_get_error(h, 0, (const unsigned char *)buf, len);
		if (msg != NULL && (nl = strchr((char *)msg, '\n')) != NULL)
			*nl = '\0';
		snprintf(err, errlen, "$: not JSON at byte %zu: %s",
		    yajl_get_bytes_consumed(h),
		    msg != NULL ? (char *)msg : "parse error");
		if (msg != NULL)
			yajl_free_error(h, msg);
	} else if (!w->gotroot) {
		snprintf(err, errlen, "$: empty document");
	} else
		rv = 0;
	yajl_free(h);
	/* The walk's buffers held credential text. */
	if (w->keypool != NULL)
		freezero(w->keypool, w->keysize);
	freezero(w, sizeof(*w));
	return rv;
}
