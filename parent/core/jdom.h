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

#ifndef MOENET_JDOM_H
#define MOENET_JDOM_H

/*
 * A bounded JSON tree for small local documents (the config file and
 * the state file), built with yajl's callbacks so that duplicate keys
 * and excessive depth are refused and every node knows its line.
 * Documents from the network never come here: the fetcher streams them.
 */

#include <sys/queue.h>

#include <stddef.h>

enum jtype {
	J_NULL,
	J_BOOL,
	J_NUMBER,
	J_STRING,
	J_OBJECT,
	J_ARRAY
};

struct jnode {
	TAILQ_ENTRY(jnode)	 entry;
	TAILQ_HEAD(, jnode)	 children;
	struct jnode		*parent;
	enum jtype		 type;
	char			*key;		/* member name in an object */
	char			*str;		/* string, or number as text */
	int			 boolean;
	int			 line;
};

struct jnode	*jdom_parse(const char *, size_t, int, char *, size_t);
void		 jdom_free(struct jnode *);
struct jnode	*jdom_get(const struct jnode *, const char *);
const char	*jdom_type_name(enum jtype);

#endif /* MOENET_JDOM_H */
