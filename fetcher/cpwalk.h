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

#ifndef MOENET_CPWALK_H
#define MOENET_CPWALK_H

/*
 * A bounded, schema-driven walk over a JSON document with yajl's
 * streaming parser.  A schema is a tree of cpw_node: objects list their
 * known fields, arrays name their element, scalars have a callback.
 * Unknown fields are skipped with their whole subtree, null is absent,
 * duplicate keys, too deep nesting and too long arrays are refused.
 *
 * An object node marked CPW_RECORD opens a record: an error below it
 * (wrong type, bad value, missing field) is kept as the record's error,
 * "<relative path>: <why>", and the walk goes on.  Any other error ends
 * the walk with "<$.json.path>: <why>".
 */

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define CPW_MAXDEPTH	16	/* nested objects and arrays */
#define CPW_MAXSTR	4096	/* bytes in a string a schema reads */
#define CPW_MAXKEY	64	/* bytes in an object key */
#define CPW_MAXKEYS	128	/* keys in one object */
#define CPW_MAXFIELDS	64	/* known fields of one object node */

enum cpw_kind {
	CPW_SCALAR,		/* schema only: any of the four below */
	CPW_NULL,
	CPW_BOOL,
	CPW_NUMBER,
	CPW_STRING,
	CPW_OBJECT,
	CPW_ARRAY,
	CPW_ANY			/* schema only: anything, contents skipped */
};

struct cpw_value {
	enum cpw_kind	 kind;
	const char	*str;		/* string, or a number's text */
	size_t		 len;
	int		 boolean;
};

struct cpw;
struct cpw_node;

/* Return 0, or -1 with *why set. */
typedef int	(*cpw_scalar_cb)(struct cpw *, void *, int,
		    const struct cpw_value *, const char **);
/* Return 0, or -1 after cpw_fail() to end the walk. */
typedef int	(*cpw_hook_cb)(struct cpw *, void *);

#define CPW_REQUIRED	0x01	/* field: must be present and not null */
#define CPW_RECORD	0x01	/* node: errors below belong to a record */

struct cpw_field {
	const char		*name;
	const struct cpw_node	*node;		/* NULL: read and ignore */
	int			 id;		/* passed to the scalar cb */
	int			 flags;
};

/*
 * An OBJECT with fields NULL is a map: every key takes elem (cpw_key()
 * tells which).  A SCALAR with elem set also takes an array of elem,
 * and with group set also takes an object, walked as group.  ANY takes
 * any value and calls open, to note its presence.
 */
struct cpw_node {
	enum cpw_kind		 kind;		/* SCALAR, OBJECT, ARRAY, ANY */
	int			 flags;
	const struct cpw_field	*fields;	/* OBJECT: name NULL ends */
	const struct cpw_node	*elem;		/* ARRAY, map, SCALAR */
	const struct cpw_node	*group;		/* SCALAR: its object form */
	size_t			 maxelem;	/* ARRAY */
	cpw_hook_cb		 open;
	cpw_hook_cb		 close;
	cpw_scalar_cb		 scalar;	/* SCALAR */
};

int	 cpw_parse(const struct cpw_node *, const char *, size_t, void *,
	    char *, size_t);
int	 cpw_fail(struct cpw *, const char *, ...)
	    __attribute__((__format__ (printf, 2, 3)));
void	 cpw_record_fail(struct cpw *, const char *, const char *);
const char *cpw_record_error(const struct cpw *);
size_t	 cpw_index(const struct cpw *);
const char *cpw_key(const struct cpw *);
const char *cpw_outer_key(const struct cpw *);

#endif /* MOENET_CPWALK_H */
