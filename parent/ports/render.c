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
 * Peer and iBGP files for BIRD.  Values from the control plane reach a
 * file only through this code: each one is checked against what BIRD
 * accepts in its place, and a file is either rendered whole or not at
 * all.
 *
 * Protocol names: "dn42_<asn>" for a session on the interface the
 * control plane names after the ASN ("dn42_<asn>" or "dn42-<asn>"),
 * otherwise "dn42_<asn>_<tag>", where <tag> is the interface name with
 * '-' and '.' turned into '_' followed, when anything was turned, by
 * '_' and the FNV-1a hash of the interface name in 8 hex digits.  The
 * name depends on the session alone, so adding or removing another
 * session never renames it, and interface names are unique on a host,
 * so protocol names are too.  Sessions that are not MP-BGP get two
 * protocols, <name>_v4 and <name>_v6.  The file is <name>.conf.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/ports/render.h"

#define TMPL_MAX_SIZE	(64 * 1024)
#define TMPL_MAX_DEPTH	8
#define TMPL_NAME_MAX	32

enum tnode_type {
	TN_TEXT,
	TN_VAR,
	TN_IF,
	TN_ELSE,
	TN_END
};

struct tnode {
	int		 type;
	int		 var;
	int		 neg;
	size_t		 off;
	size_t		 len;
	size_t		 jump;	/* TN_IF: its else or end; TN_ELSE: its end */
};

struct tmpl {
	char		*text;
	struct tnode	*nodes;
	size_t		 nnodes;
	const struct render_var *gvars;	/* K_GENERIC: the caller's names */
	size_t		 ngvars;
};

struct render_templates {
	struct tmpl	 ebgp;
	struct tmpl	 ibgp;
};

#define K_EBGP		0x1
#define K_IBGP		0x2
#define K_GENERIC	0x4	/* names from render_tmpl_load()'s caller */

enum rvar {
	RV_PROTOCOL,
	RV_PEER_TEMPLATE,
	RV_DESCRIPTION,
	RV_LOCAL_AS,
	RV_ASN,
	RV_NEIGHBOR,
	RV_INTERFACE,
	RV_SOURCE_ADDRESS,
	RV_GRACEFUL_RESTART,
	RV_IMPORT_FILTER,
	RV_EXPORT_FILTER,
	RV_IMPORT_LIMIT,
	RV_IMPORT_LIMIT_ACTION,
	RV_EXPORT_LIMIT,
	RV_EXPORT_LIMIT_ACTION,
	RV_LINK_LOCAL,
	RV_PASSIVE,
	RV_CARRY_IPV4,
	RV_CARRY_IPV6,
	RV_ENH,
	RV_RR_CLIENT,
	RV_DISABLED,
	RV_MAX
};

static const struct {
	const char	*name;
	int		 flag;	/* only for {{#if}} */
	int		 kinds;
} rvars[RV_MAX] = {
	[RV_PROTOCOL] =		{ "protocol", 0, K_EBGP | K_IBGP },
	[RV_PEER_TEMPLATE] =	{ "peer_template", 0, K_EBGP },
	[RV_DESCRIPTION] =	{ "description", 0, K_EBGP | K_IBGP },
	[RV_LOCAL_AS] =		{ "local_as", 0, K_EBGP },
	[RV_ASN] =		{ "asn", 0, K_EBGP | K_IBGP },
	[RV_NEIGHBOR] =		{ "neighbor", 0, K_EBGP | K_IBGP },
	[RV_INTERFACE] =	{ "interface", 0, K_EBGP },
	[RV_SOURCE_ADDRESS] =	{ "source_address", 0, K_EBGP | K_IBGP },
	[RV_GRACEFUL_RESTART] =	{ "graceful_restart", 0, K_EBGP | K_IBGP },
	[RV_IMPORT_FILTER] =	{ "import_filter", 0, K_EBGP | K_IBGP },
	[RV_EXPORT_FILTER] =	{ "export_filter", 0, K_EBGP | K_IBGP },
	[RV_IMPORT_LIMIT] =	{ "import_limit", 0, K_EBGP | K_IBGP },
	[RV_IMPORT_LIMIT_ACTION] = { "import_limit_action", 0,
				    K_EBGP | K_IBGP },
	[RV_EXPORT_LIMIT] =	{ "export_limit", 0, K_EBGP | K_IBGP },
	[RV_EXPORT_LIMIT_ACTION] = { "export_limit_action", 0,
				    K_EBGP | K_IBGP },
	[RV_LINK_LOCAL] =	{ "link_local", 1, K_EBGP },
	[RV_PASSIVE] =		{ "passive", 1, K_EBGP },
	[RV_CARRY_IPV4] =	{ "carry_ipv4", 1, K_EBGP },
	[RV_CARRY_IPV6] =	{ "carry_ipv6", 1, K_EBGP },
	[RV_ENH] =		{ "enh", 1, K_EBGP },
	[RV_RR_CLIENT] =	{ "rr_client", 1, K_IBGP },
	[RV_DISABLED] =		{ "disabled", 1, K_EBGP | K_IBGP }
};

static const char *limit_actions[] = {
	[RENDER_LIMIT_BLOCK] = "block",
	[RENDER_LIMIT_WARN] = "warn",
	[RENDER_LIMIT_RESTART] = "restart",
	[RENDER_LIMIT_DISABLE] = "disable"
};

/* Formatted values of one protocol; vals[] points into the arrays. */
struct rvals {
	const char	*vals[RV_MAX];
	char		 protocol[RENDER_NAME_LEN];
	char		 description[CP_NAME_LEN];
	char		 local_as[16];
	char		 asn[16];
	char		 neighbor[RENDER_ADDR_LEN];
	char		 import_limit[16];
	char		 export_limit[16];
};

static int	 sfail(char *, size_t, const char *, const char *,
		    const char *);
static int	 buf_add(struct render_buf *, const char *, size_t);
static int	 buf_addstr(struct render_buf *, const char *);
static int	 tmpl_load(struct tmpl *, const char *, const char *, int,
		    char *, size_t);
static int	 tmpl_compile(struct tmpl *, size_t, const char *, int, char *,
		    size_t);
static int	 tmpl_tag(struct tmpl *, const char *, size_t, const char *,
		    int, int, size_t *, int *, char *, size_t);
static int	 tmpl_push(struct tmpl *, int, int, int, size_t, size_t);
static void	 tmpl_free(struct tmpl *);
static int	 tmpl_render(const struct tmpl *, const char *const *,
		    struct render_buf *, char *, size_t);
static const char *tmpl_var_name(const struct tmpl *, int);
static void	 rvals_init(struct rvals *);
static void	 rvals_common(struct rvals *, const struct render_limit *,
		    const struct render_limit *, const struct render_params *);
static int	 str_ok(const char *, size_t);
static int	 check_symbol(const char *, size_t, int, const char *, char *,
		    size_t);
static const char *check_ifname(const char *);
static const char *check_uuid(const char *);
static const char *check_asn(uint32_t);
static const char *check_text(const char *, size_t, char *, size_t);
static const char *check_unicast6(const struct in6_addr *);
static const char *check_unicast4(const struct in_addr *);
static int	 parse_addr6(const char *, struct in6_addr *);
static int	 check_limit(const struct render_limit *, const char *, char *,
		    size_t);
static int	 proto_base(const struct cp_session_msg *, char *, size_t,
		    char *, size_t);

/* -1, with the reason in err: every renderer's way to refuse. */
int
render_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		(void)vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return (-1);
}

/* The uuid is printed only once it is known to be clean. */
static int
sfail(char *err, size_t errlen, const char *uuid, const char *field,
    const char *why)
{
	return (render_fail(err, errlen,
	    "session %s: field %s: %s", uuid, field,
	    why));
}

static int
buf_add(struct render_buf *b, const char *p, size_t n)
{
	char	*np;
	size_t	 ncap;

	if (n > RENDER_OUT_MAX || b->len + n > RENDER_OUT_MAX) {
		errno = EFBIG;
		return (-1);
	}
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap == 0 ? 4096 : b->cap;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if ((np = realloc(b->data, ncap)) == NULL)
			return (-1);
		b->data = np;
		b->cap = ncap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return (0);
}

static int
buf_addstr(struct render_buf *b, const char *s)
{
	return (buf_add(b, s, strlen(s)));
}

void
render_buf_free(struct render_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

struct render_templates *
render_templates_load(const char *dir, char *err, size_t errlen)
{
	struct render_templates	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		render_fail(err, errlen, "templates: %s", strerror(errno));
		return (NULL);
	}
	if (tmpl_load(&t->ebgp, dir, RENDER_EBGP_TEMPLATE, K_EBGP, err,
	    errlen) == -1 ||
	    tmpl_load(&t->ibgp, dir, RENDER_IBGP_TEMPLATE, K_IBGP, err,
	    errlen) == -1) {
		render_templates_free(t);
		return (NULL);
	}
	return (t);
}

void
render_templates_free(struct render_templates *t)
{
	if (t == NULL)
		return;
	tmpl_free(&t->ebgp);
	tmpl_free(&t->ibgp);
	free(t);
}

static void
tmpl_free(struct tmpl *t)
{
	free(t->text);
	free(t->nodes);
	memset(t, 0, sizeof(*t));
}

/*
 * The templates built into the binary: templates/embed.sh turns the
 * files of templates/ into this table at build time, so that the agent
 * is one file and runs from anywhere.
 */
struct embedded_template {
	const char		*name;
	const unsigned char	*data;
	size_t			 len;
};

#include "templates_embed.inc"

/*
 * The text of one template, NUL-terminated in *textp (the caller frees
 * it): read from dir when one is given, else the built-in copy.  name
 * gets what messages call it: the path, or "built-in:<file>".
 */
int
render_template_text(const char *dir, const char *file, char **textp,
    size_t *lenp, char *name, size_t namelen, char *err, size_t errlen)
{
	const struct embedded_template	*e;
	struct stat	 st;
	char		*text = NULL;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd, r;

	*textp = NULL;
	*lenp = 0;
	if (dir == NULL || *dir == '\0') {
		r = snprintf(name, namelen, "built-in:%s", file);
		if (r < 0 || (size_t)r >= namelen)
			return (render_fail(err, errlen,
			    "%s: name too long", file));
		for (e = embedded_templates; e->name != NULL; e++)
			if (strcmp(e->name, file) == 0)
				break;
		if (e->name == NULL)
			return (render_fail(err, errlen, "%s: no such template",
			    name));
		if (e->len > TMPL_MAX_SIZE)
			return (render_fail(err, errlen,
			    "%s: larger than %d bytes",
			    name, TMPL_MAX_SIZE));
		if ((text = malloc(e->len + 1)) == NULL)
			return (render_fail(err, errlen, "%s: %s", name,
			    strerror(errno)));
		memcpy(text, e->data, e->len);
		len = e->len;
		goto done;
	}

	r = snprintf(name, namelen, "%s/%s", dir, file);
	if (r < 0 || (size_t)r >= namelen)
		return (render_fail(err, errlen,
		    "%s/%s: path too long", dir, file));
	if ((fd = open(name, O_RDONLY | O_CLOEXEC)) == -1)
		return (render_fail(err, errlen,
		    "%s: %s", name, strerror(errno)));
	if (fstat(fd, &st) == -1) {
		render_fail(err, errlen, "%s: %s", name, strerror(errno));
		goto bad;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > TMPL_MAX_SIZE) {
		render_fail(err, errlen,
		    "%s: not a regular file of at most %d bytes",
		    name, TMPL_MAX_SIZE);
		goto bad;
	}
	if ((text = malloc(TMPL_MAX_SIZE + 1)) == NULL) {
		render_fail(err, errlen, "%s: %s", name, strerror(errno));
		goto bad;
	}
	/* The size may change under us; the cap is what counts. */
	while ((n = read(fd, text + len, TMPL_MAX_SIZE + 1 - len)) > 0) {
		len += n;
		if (len > TMPL_MAX_SIZE)
			break;
	}
	if (n == -1) {
		render_fail(err, errlen, "%s: %s", name, strerror(errno));
		goto bad;
	}
	if (len > TMPL_MAX_SIZE) {
		render_fail(err, errlen, "%s: larger than %d bytes", name,
		    TMPL_MAX_SIZE);
		goto bad;
	}
	close(fd);
 done:
	text[len] = '\0';
	if (memchr(text, '\0', len) != NULL) {
		free(text);
		return (render_fail(err, errlen,
		    "%s: contains a NUL byte", name));
	}
	*textp = text;
	*lenp = len;
	return (0);
 bad:
	close(fd);
	free(text);
	return (-1);
}

static int
tmpl_load(struct tmpl *t, const char *dir, const char *file, int kind,
    char *err, size_t errlen)
{
	char	 name[PATH_MAX];
	size_t	 len;

	if (render_template_text(dir, file, &t->text, &len, name,
	    sizeof(name), err, errlen) == -1)
		return (-1);
	if (tmpl_compile(t, len, name, kind, err, errlen) == -1) {
		tmpl_free(t);
		return (-1);
	}
	return (0);
}

static int
tmpl_push(struct tmpl *t, int type, int var, int neg, size_t off,
    size_t len)
{
	struct tnode	*nn;

	if (type == TN_TEXT && len == 0)
		return (0);
	nn = reallocarray(t->nodes, t->nnodes + 1, sizeof(*t->nodes));
	if (nn == NULL)
		return (-1);
	t->nodes = nn;
	nn = &t->nodes[t->nnodes++];
	memset(nn, 0, sizeof(*nn));
	nn->type = type;
	nn->var = var;
	nn->neg = neg;
	nn->off = off;
	nn->len = len;
	return (0);
}

/*
 * Parse the tag whose "{{" is at p (line lineno) and push its node.
 * *taglen gets its length with the braces, *type its node type.
 */
static int
tmpl_tag(struct tmpl *t, const char *p, size_t linelen, const char *path,
    int lineno, int kind, size_t *taglen, int *type, char *err,
    size_t errlen)
{
	char		 name[TMPL_NAME_MAX];
	const char	*end, *q;
	size_t		 n;
	int		 i, neg = 0, var = -1;

	end = memmem(p, linelen, "}}", 2);
	if (end == NULL)
		return (render_fail(err, errlen, "%s:%d: \"{{\" without \"}}\"",
		    path, lineno));
	*taglen = end + 2 - p;
	q = p + 2;
	if (end - q == 4 && strncmp(q, "else", 4) == 0) {
		*type = TN_ELSE;
		return (tmpl_push(t, TN_ELSE, -1, 0, 0, 0) == -1 ?
		    render_fail(err, errlen,
		    "%s: %s", path, strerror(errno)) : 0);
	}
	if (end - q == 3 && strncmp(q, "/if", 3) == 0) {
		*type = TN_END;
		return (tmpl_push(t, TN_END, -1, 0, 0, 0) == -1 ?
		    render_fail(err, errlen,
		    "%s: %s", path, strerror(errno)) : 0);
	}
	*type = TN_VAR;
	if (end - q > 4 && strncmp(q, "#if ", 4) == 0) {
		*type = TN_IF;
		q += 4;
		if (*q == '!') {
			neg = 1;
			q++;
		}
	}
	n = end - q;
	if (n == 0 || n >= sizeof(name))
		return (render_fail(err, errlen,
		    "%s:%d: bad tag", path, lineno));
	memcpy(name, q, n);
	name[n] = '\0';
	for (i = 0; name[i] != '\0'; i++)
		if (!islower((unsigned char)name[i]) &&
		    !isdigit((unsigned char)name[i]) && name[i] != '_')
			return (render_fail(err, errlen,
			    "%s:%d: bad tag \"{{%.*s}}\"",
			    path, lineno, (int)(end - p - 2), p + 2));
	if (kind == K_GENERIC) {
		for (i = 0; i < (int)t->ngvars; i++)
			if (strcmp(t->gvars[i].name, name) == 0)
				var = i;
	} else {
		for (i = 0; i < RV_MAX; i++)
			if (strcmp(rvars[i].name, name) == 0 &&
			    (rvars[i].kinds & kind) != 0)
				var = i;
	}
	if (var == -1)
		return (render_fail(err, errlen,
		    "%s:%d: unknown variable \"%s\"",
		    path, lineno, name));
	if (*type == TN_VAR && (kind == K_GENERIC ? t->gvars[var].flag :
	    rvars[var].flag))
		return (render_fail(err, errlen,
		    "%s:%d: \"%s\" is a flag, only for "
		    "{{#if}}", path, lineno, name));
	if (tmpl_push(t, *type, var, neg, 0, 0) == -1)
		return (render_fail(err, errlen,
		    "%s: %s", path, strerror(errno)));
	return (0);
}

/*
 * Turn the text into nodes, line by line.  A line holding nothing but
 * one {{#if}}, {{else}} or {{/if}} (and blanks) vanishes whole, so
 * sections can sit on lines of their own without leaving gaps.
 */
static int
tmpl_compile(struct tmpl *t, size_t len, const char *path, int kind,
    char *err, size_t errlen)
{
	size_t		 stack[TMPL_MAX_DEPTH], elses[TMPL_MAX_DEPTH];
	int		 lines[TMPL_MAX_DEPTH];
	size_t		 pos = 0, linelen, i, tl = 0, start, idx;
	const char	*line, *nl, *p;
	int		 depth = 0, lineno = 0, type = TN_TEXT, standalone;

	while (pos < len) {
		line = t->text + pos;
		lineno++;
		nl = memchr(line, '\n', len - pos);
		linelen = nl != NULL ? (size_t)(nl - line) + 1 : len - pos;
		pos += linelen;
		if (linelen >= 2 && line[0] == '#' && line[1] == '#')
			continue;

		/* Standalone section tag? */
		standalone = 0;
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (strncmp(p, "{{#if ", 6) == 0 ||
		    strncmp(p, "{{else}}", 8) == 0 ||
		    strncmp(p, "{{/if}}", 7) == 0) {
			const char *e = memmem(p, line + linelen - p, "}}", 2);

			if (e != NULL) {
				for (e += 2; *e == ' ' || *e == '\t'; e++)
					;
				if (e == line + linelen || *e == '\n')
					standalone = 1;
			}
		}

		start = 0;
		i = 0;
		while (i < linelen) {
			if (line[i] != '{' || i + 1 >= linelen ||
			    line[i + 1] != '{') {
				i++;
				continue;
			}
			if (!standalone && tmpl_push(t, TN_TEXT, -1, 0,
			    (line - t->text) + start, i - start) == -1)
				return (render_fail(err, errlen, "%s: %s", path,
				    strerror(errno)));
			idx = t->nnodes;
			if (tmpl_tag(t, line + i, linelen - i, path, lineno,
			    kind, &tl, &type, err, errlen) == -1)
				return (-1);
			switch (type) {
			case TN_IF:
				if (depth == TMPL_MAX_DEPTH)
					return (render_fail(err, errlen,
					    "%s:%d: "
					    "sections nested too deep", path,
					    lineno));
				stack[depth] = idx;
				elses[depth] = 0;
				lines[depth++] = lineno;
				break;
			case TN_ELSE:
				if (depth == 0 || elses[depth - 1] != 0)
					return (render_fail(err, errlen,
					    "%s:%d: "
					    "{{else}} outside {{#if}}", path,
					    lineno));
				elses[depth - 1] = idx;
				t->nodes[stack[depth - 1]].jump = idx;
				break;
			case TN_END:
				if (depth == 0)
					return (render_fail(err, errlen,
					    "%s:%d: "
					    "{{/if}} without {{#if}}", path,
					    lineno));
				depth--;
				if (elses[depth] != 0)
					t->nodes[elses[depth]].jump = idx;
				else
					t->nodes[stack[depth]].jump = idx;
				break;
			}
			i += tl;
			start = i;
		}
		if (!standalone && tmpl_push(t, TN_TEXT, -1, 0,
		    (line - t->text) + start, linelen - start) == -1)
			return (render_fail(err, errlen, "%s: %s", path,
			    strerror(errno)));
	}
	if (depth != 0)
		return (render_fail(err, errlen,
		    "%s:%d: {{#if}} not closed", path,
		    lines[depth - 1]));
	return (0);
}

static const char *
tmpl_var_name(const struct tmpl *t, int var)
{
	return (t->gvars != NULL ? t->gvars[var].name : rvars[var].name);
}

static int
tmpl_render(const struct tmpl *t, const char *const *vals,
    struct render_buf *b, char *err, size_t errlen)
{
	const struct tnode	*n;
	const char		*v, *p;
	size_t			 i = 0;
	int			 truth;

	while (i < t->nnodes) {
		n = &t->nodes[i];
		switch (n->type) {
		case TN_TEXT:
			if (buf_add(b, t->text + n->off, n->len) == -1)
				return (render_fail(err, errlen, "render: %s",
				    strerror(errno)));
			i++;
			break;
		case TN_VAR:
			v = vals[n->var];
			if (v == NULL)
				return (render_fail(err, errlen,
				    "render: no value "
				    "for {{%s}}", tmpl_var_name(t, n->var)));
			/*
			 * Every value was checked for its place already;
			 * this is the last line against a value that could
			 * end a string or a line in the file.
			 */
			for (p = v; *p != '\0'; p++)
				if ((unsigned char)*p < 0x20 || *p == 0x7f ||
				    *p == '"' || *p == '\\')
					return (render_fail(err, errlen,
					    "render: "
					    "unsafe value for {{%s}}",
					    tmpl_var_name(t, n->var)));
			if (buf_addstr(b, v) == -1)
				return (render_fail(err, errlen, "render: %s",
				    strerror(errno)));
			i++;
			break;
		case TN_IF:
			v = vals[n->var];
			truth = v != NULL && *v != '\0';
			if (n->neg)
				truth = !truth;
			i = truth ? i + 1 : n->jump + 1;
			break;
		case TN_ELSE:
			i = n->jump + 1;
			break;
		case TN_END:
			i++;
			break;
		}
	}
	return (0);
}

void
render_params_init(struct render_params *p)
{
	memset(p, 0, sizeof(*p));
	(void)strlcpy(p->peer_template, "dn42_peer", sizeof(p->peer_template));
	(void)strlcpy(p->import_filter, "dn42_import_filter",
	    sizeof(p->import_filter));
	(void)strlcpy(p->export_filter, "dn42_export_filter",
	    sizeof(p->export_filter));
	p->graceful_restart = RENDER_GR_INHERIT;
	p->import_limit.action = RENDER_LIMIT_BLOCK;
	p->export_limit.action = RENDER_LIMIT_BLOCK;
	p->ibgp_import_limit.action = RENDER_LIMIT_BLOCK;
	p->ibgp_export_limit.action = RENDER_LIMIT_BLOCK;
}

static int
str_ok(const char *s, size_t size)
{
	return (memchr(s, '\0', size) != NULL);
}

/* A BIRD symbol: [A-Za-z_][A-Za-z0-9_]*, shorter than max. */
int
render_is_symbol(const char *s, size_t max)
{
	size_t	 i;

	if (!isalpha((unsigned char)s[0]) && s[0] != '_')
		return (0);
	for (i = 1; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return (0);
	return (i < max);
}

static int
check_symbol(const char *s, size_t size, int required, const char *what,
    char *err, size_t errlen)
{
	if (!str_ok(s, size))
		return (render_fail(err, errlen, "%s: not terminated", what));
	if (*s == '\0') {
		if (required)
			return (render_fail(err, errlen, "%s: not set", what));
		return (0);
	}
	if (!render_is_symbol(s, RENDER_SYM_MAX + 1))
		return (render_fail(err, errlen, "%s: not a BIRD name "
		    "([A-Za-z_][A-Za-z0-9_]*, at most %d bytes)", what,
		    RENDER_SYM_MAX));
	return (0);
}

static int
check_limit(const struct render_limit *l, const char *what, char *err,
    size_t errlen)
{
	if (l->action > RENDER_LIMIT_MAX)
		return (render_fail(err, errlen, "%s: unknown action %u", what,
		    l->action));
	return (0);
}

/* Accepts "addr" or "addr/len"; the length is checked and dropped. */
static int
parse_addr6(const char *s, struct in6_addr *a)
{
	char		 tmp[RENDER_ADDR_LEN + 4];
	char		*slash;
	const char	*errstr;

	if (strlcpy(tmp, s, sizeof(tmp)) >= sizeof(tmp))
		return (-1);
	if ((slash = strchr(tmp, '/')) != NULL) {
		*slash++ = '\0';
		if (*slash == '\0' || strspn(slash, "0123456789") !=
		    strlen(slash))
			return (-1);
		(void)strtonum(slash, 0, 128, &errstr);
		if (errstr != NULL)
			return (-1);
	}
	if (inet_pton(AF_INET6, tmp, a) != 1)
		return (-1);
	return (0);
}

int
render_params_check(const struct render_params *p, char *err, size_t errlen)
{
	struct in6_addr	 a;
	const char	*why;

	if (p->templates == NULL)
		return (render_fail(err, errlen, "templates: not loaded"));
	if (check_symbol(p->peer_template, sizeof(p->peer_template), 1,
	    "bird.peerTemplate", err, errlen) == -1 ||
	    check_symbol(p->import_filter, sizeof(p->import_filter), 0,
	    "bird.importFilter", err, errlen) == -1 ||
	    check_symbol(p->export_filter, sizeof(p->export_filter), 0,
	    "bird.exportFilter", err, errlen) == -1 ||
	    check_symbol(p->ibgp_import_filter, sizeof(p->ibgp_import_filter),
	    0, "iBGP import filter", err, errlen) == -1 ||
	    check_symbol(p->ibgp_export_filter, sizeof(p->ibgp_export_filter),
	    0, "iBGP export filter", err, errlen) == -1)
		return (-1);
	if (!str_ok(p->own_ll, sizeof(p->own_ll)))
		return (render_fail(err, errlen, "own link-local address: not "
		    "terminated"));
	if (*p->own_ll != '\0' && (inet_pton(AF_INET6, p->own_ll, &a) != 1 ||
	    !IN6_IS_ADDR_LINKLOCAL(&a)))
		return (render_fail(err, errlen,
		    "own link-local address %s: not a "
		    "link-local address", p->own_ll));
	if (!str_ok(p->loopback_ipv6, sizeof(p->loopback_ipv6)))
		return (render_fail(err, errlen,
		    "loopback IPv6: not terminated"));
	if (*p->loopback_ipv6 != '\0') {
		if (inet_pton(AF_INET6, p->loopback_ipv6, &a) != 1)
			return (render_fail(err, errlen,
			    "loopback IPv6 %s: not an "
			    "IPv6 address", p->loopback_ipv6));
		if ((why = check_unicast6(&a)) != NULL ||
		    IN6_IS_ADDR_LINKLOCAL(&a))
			return (render_fail(err, errlen, "loopback IPv6 %s: %s",
			    p->loopback_ipv6, why != NULL ? why :
			    "is link-local"));
	}
	if (p->local_asn != 0 && (why = check_asn(p->local_asn)) != NULL)
		return (render_fail(err, errlen,
		    "local AS %u: %s", p->local_asn,
		    why));
	if (p->ebgp_local_as && p->local_asn == 0)
		return (render_fail(err, errlen,
		    "local AS: needed for \"local as\" "
		    "in peer files, but not known"));
	if (p->graceful_restart < RENDER_GR_INHERIT ||
	    p->graceful_restart > RENDER_GR_OFF)
		return (render_fail(err, errlen,
		    "graceful restart: bad value %d",
		    p->graceful_restart));
	if (check_limit(&p->import_limit, "import limit", err, errlen) == -1 ||
	    check_limit(&p->export_limit, "export limit", err, errlen) == -1 ||
	    check_limit(&p->ibgp_import_limit, "iBGP import limit", err,
	    errlen) == -1 ||
	    check_limit(&p->ibgp_export_limit, "iBGP export limit", err,
	    errlen) == -1)
		return (-1);
	return (0);
}

/*
 * Our address on every tunnel: fe80::998:<g4>:<g5>:1 from the 4th and
 * 5th groups of wireguard.dn42Ipv6, unless dn42Ipv6LinkLocal says.
 */
int
render_own_ll(const char *dn42_ipv6, const char *dn42_ipv6_ll, char *out,
    size_t outlen, char *err, size_t errlen)
{
	struct in6_addr	 a, ll;
	const char	*why;

	if (dn42_ipv6_ll != NULL && *dn42_ipv6_ll != '\0') {
		if (parse_addr6(dn42_ipv6_ll, &ll) == -1 ||
		    !IN6_IS_ADDR_LINKLOCAL(&ll))
			return (render_fail(err, errlen,
			    "wireguard.dn42Ipv6LinkLocal: "
			    "not a link-local address"));
	} else {
		if (dn42_ipv6 == NULL || *dn42_ipv6 == '\0')
			return (render_fail(err, errlen,
			    "wireguard.dn42Ipv6: not set, "
			    "and no wireguard.dn42Ipv6LinkLocal"));
		if (parse_addr6(dn42_ipv6, &a) == -1)
			return (render_fail(err, errlen,
			    "wireguard.dn42Ipv6: not an "
			    "IPv6 address"));
		if ((why = check_unicast6(&a)) != NULL)
			return (render_fail(err, errlen,
			    "wireguard.dn42Ipv6: %s",
			    why));
		memset(&ll, 0, sizeof(ll));
		ll.s6_addr[0] = 0xfe;
		ll.s6_addr[1] = 0x80;
		ll.s6_addr[8] = 0x09;
		ll.s6_addr[9] = 0x98;
		memcpy(&ll.s6_addr[10], &a.s6_addr[6], 4);
		ll.s6_addr[15] = 0x01;
	}
	if (inet_ntop(AF_INET6, &ll, out, outlen) == NULL)
		return (render_fail(err, errlen, "own link-local address: %s",
		    strerror(errno)));
	return (0);
}

int
render_node_is_rr(const char *name, int is_rr)
{
	size_t	 i;

	if (is_rr)
		return (1);
	for (i = 0; name[i] != '\0'; i++)
		if (strncasecmp(name + i, "-rr", 3) == 0)
			return (1);
	return (0);
}

int
render_parse_asn(const char *s, uint32_t *asn, char *err, size_t errlen)
{
	const char	*errstr, *why;
	long long	 v;

	if (*s == '\0' || strlen(s) > 10 || strspn(s, "0123456789") !=
	    strlen(s))
		return (render_fail(err, errlen,
		    "AS \"%.16s\": not a number", s));
	v = strtonum(s, 1, UINT32_MAX, &errstr);
	if (errstr != NULL)
		return (render_fail(err, errlen, "AS %s: %s", s, errstr));
	if ((why = check_asn(v)) != NULL)
		return (render_fail(err, errlen, "AS %s: %s", s, why));
	*asn = v;
	return (0);
}

static const char *
check_asn(uint32_t asn)
{
	if (asn == 0)
		return ("reserved (0)");
	if (asn == 23456)
		return ("reserved (AS_TRANS)");
	if (asn == 65535 || asn == UINT32_MAX)
		return ("reserved");
	return (NULL);
}

static const char *
check_ifname(const char *s)
{
	return (ifname_check(s, IFNAMSIZ));
}

static const char *
check_uuid(const char *s)
{
	size_t	 i;

	if (!str_ok(s, CP_UUID_LEN))
		return ("too long");
	if (*s == '\0')
		return ("missing");
	for (i = 0; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_')
			return ("characters other than A-Z a-z 0-9 - _");
	return (NULL);
}

/*
 * Human text for a BIRD string: well-formed UTF-8 without control
 * characters.  BIRD 2 strings know no escapes, so the two characters
 * that could end or confuse one become look-alikes.
 */
static const char *
check_text(const char *s, size_t size, char *out, size_t outlen)
{
	const unsigned char	*p;
	uint32_t		 cp;
	size_t			 i, j, n, k;

	if (!str_ok(s, size))
		return ("not terminated");
	n = strlen(s);
	if (n >= outlen)
		return ("too long");
	p = (const unsigned char *)s;
	for (i = 0; i < n; i += k) {
		if (p[i] < 0x80) {
			if (p[i] < 0x20 || p[i] == 0x7f)
				return ("control character");
			k = 1;
			continue;
		}
		if ((p[i] & 0xe0) == 0xc0) {
			k = 2;
			cp = p[i] & 0x1f;
		} else if ((p[i] & 0xf0) == 0xe0) {
			k = 3;
			cp = p[i] & 0x0f;
		} else if ((p[i] & 0xf8) == 0xf0) {
			k = 4;
			cp = p[i] & 0x07;
		} else
			return ("not UTF-8");
		if (i + k > n)
			return ("not UTF-8");
		for (j = 1; j < k; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return ("not UTF-8");
			cp = (cp << 6) | (p[i + j] & 0x3f);
		}
		if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) ||
		    (k == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return ("not UTF-8");
		if (cp >= 0x80 && cp <= 0x9f)
			return ("control character");
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			out[i] = '\'';
		else if (s[i] == '\\')
			out[i] = '/';
		else
			out[i] = s[i];
	}
	out[n] = '\0';
	return (NULL);
}

static const char *
check_unicast6(const struct in6_addr *a)
{
	if (IN6_IS_ADDR_UNSPECIFIED(a))
		return ("unspecified address");
	if (IN6_IS_ADDR_LOOPBACK(a))
		return ("loopback address");
	if (IN6_IS_ADDR_MULTICAST(a))
		return ("multicast address");
	if (IN6_IS_ADDR_V4MAPPED(a) || IN6_IS_ADDR_V4COMPAT(a))
		return ("IPv4-mapped address");
	return (NULL);
}

static const char *
check_unicast4(const struct in_addr *a)
{
	uint32_t	 h = ntohl(a->s_addr);

	if (h == 0)
		return ("unspecified address");
	if ((h >> 24) == 127)
		return ("loopback address");
	if ((h >> 28) == 0xe)
		return ("multicast address");
	if ((h >> 28) == 0xf)
		return ("reserved or broadcast address");
	return (NULL);
}

/* The naming rule is at the top of this file. */
static int
proto_base(const struct cp_session_msg *s, char *out, size_t outlen,
    char *err, size_t errlen)
{
	char		 canon[32], tag[IFNAMSIZ];
	const char	*why;
	size_t		 i;
	int		 mapped = 0, r;

	if ((why = check_uuid(s->uuid)) != NULL)
		return (render_fail(err, errlen,
		    "session: field uuid: %s", why));
	if ((why = check_asn(s->asn)) != NULL)
		return (sfail(err, errlen, s->uuid, "asn", why));
	if ((why = check_ifname(s->ifname)) != NULL)
		return (sfail(err, errlen, s->uuid, "interface", why));

	(void)snprintf(canon, sizeof(canon), "dn42_%u", s->asn);
	if (strcmp(s->ifname, canon) != 0) {
		canon[4] = '-';
		if (strcmp(s->ifname, canon) != 0)
			goto tagged;
	}
	r = snprintf(out, outlen, "dn42_%u", s->asn);
	goto done;
 tagged:
	for (i = 0; s->ifname[i] != '\0'; i++) {
		tag[i] = s->ifname[i];
		if (tag[i] == '-' || tag[i] == '.') {
			tag[i] = '_';
			mapped = 1;
		}
	}
	tag[i] = '\0';
	if (mapped)
		r = snprintf(out, outlen, "dn42_%u_%s_%08x", s->asn, tag,
		    fnv1a(s->ifname));
	else
		r = snprintf(out, outlen, "dn42_%u_%s", s->asn, tag);
 done:
	if (r < 0 || (size_t)r >= outlen)
		return (render_fail(err, errlen,
		    "session %s: protocol name too long",
		    s->uuid));
	return (0);
}

int
render_protocol_name(const struct cp_session_msg *s, char *out,
    size_t outlen, char *err, size_t errlen)
{
	return (proto_base(s, out, outlen, err, errlen));
}

int
render_file_name(const struct cp_session_msg *s, char *out, size_t outlen,
    char *err, size_t errlen)
{
	char	 base[RENDER_NAME_LEN];
	int	 r;

	if (proto_base(s, base, sizeof(base), err, errlen) == -1)
		return (-1);
	r = snprintf(out, outlen, "%s.conf", base);
	if (r < 0 || (size_t)r >= outlen)
		return (render_fail(err, errlen,
		    "session %s: file name too long",
		    s->uuid));
	return (0);
}

int
render_ibgp_file_name(const struct render_ibgp_peer *peer, char *out,
    size_t outlen)
{
	int	 r;

	r = snprintf(out, outlen, "ibgp_%u.conf", peer->node_id);
	if (r < 0 || (size_t)r >= outlen)
		return (-1);
	return (0);
}

static void
rvals_init(struct rvals *rv)
{
	int	 i;

	memset(rv, 0, sizeof(*rv));
	for (i = 0; i < RV_MAX; i++)
		rv->vals[i] = "";
	rv->vals[RV_PROTOCOL] = rv->protocol;
	rv->vals[RV_DESCRIPTION] = rv->description;
	rv->vals[RV_LOCAL_AS] = rv->local_as;
	rv->vals[RV_ASN] = rv->asn;
	rv->vals[RV_NEIGHBOR] = rv->neighbor;
	rv->vals[RV_IMPORT_LIMIT] = rv->import_limit;
	rv->vals[RV_EXPORT_LIMIT] = rv->export_limit;
}

static void
rvals_common(struct rvals *rv, const struct render_limit *imp,
    const struct render_limit *exp, const struct render_params *p)
{
	if (imp->count != 0) {
		(void)snprintf(rv->import_limit, sizeof(rv->import_limit),
		    "%u", imp->count);
		rv->vals[RV_IMPORT_LIMIT_ACTION] = limit_actions[imp->action];
	}
	if (exp->count != 0) {
		(void)snprintf(rv->export_limit, sizeof(rv->export_limit),
		    "%u", exp->count);
		rv->vals[RV_EXPORT_LIMIT_ACTION] = limit_actions[exp->action];
	}
	if (p->graceful_restart == RENDER_GR_ON)
		rv->vals[RV_GRACEFUL_RESTART] = "on";
	else if (p->graceful_restart == RENDER_GR_OFF)
		rv->vals[RV_GRACEFUL_RESTART] = "off";
}

int
render_session(const struct render_params *p, const struct cp_session_msg *s,
    struct render_buf *b, char *err, size_t errlen)
{
	struct rvals	 rv[RENDER_MAX_PROTOS];
	struct in6_addr	 nb6;
	char		 base[RENDER_NAME_LEN - 3], descr[CP_NAME_LEN];
	char		 nb4s[RENDER_ADDR_LEN], nb6s[RENDER_ADDR_LEN];
	char		 cperr[CP_ERROR_LEN];
	const char	*why;
	int		 i, n = 0, have4 = 0, have6 = 0, ll = 0;

	b->len = 0;
	if (render_params_check(p, err, errlen) == -1)
		return (-1);
	if (proto_base(s, base, sizeof(base), err, errlen) == -1)
		return (-1);
	if (s->flags & CP_SESS_INVALID) {
		if (check_text(s->error, sizeof(s->error), cperr,
		    sizeof(cperr)) != NULL)
			(void)strlcpy(cperr, "(unprintable reason)",
			    sizeof(cperr));
		return (render_fail(err, errlen,
		    "session %s: %s", s->uuid, cperr));
	}
	if (p->local_asn != 0 && s->asn == p->local_asn)
		return (sfail(err, errlen, s->uuid, "asn",
		    "is our own AS, not an eBGP peer"));
	if ((why = check_text(s->name, sizeof(s->name), descr,
	    sizeof(descr))) != NULL)
		return (sfail(err, errlen, s->uuid, "name", why));

	if (s->flags & CP_SESS_HAS_IPV4) {
		if ((why = check_unicast4(&s->ipv4)) != NULL)
			return (sfail(err, errlen, s->uuid, "ipv4", why));
		(void)inet_ntop(AF_INET, &s->ipv4, nb4s, sizeof(nb4s));
		have4 = 1;
	}
	if (s->flags & CP_SESS_HAS_IPV6) {
		if ((why = check_unicast6(&s->ipv6)) != NULL)
			return (sfail(err, errlen, s->uuid, "ipv6", why));
		nb6 = s->ipv6;
		ll = IN6_IS_ADDR_LINKLOCAL(&nb6);
		have6 = 1;
	}
	if (s->flags & CP_SESS_HAS_LL) {
		if (!IN6_IS_ADDR_LINKLOCAL(&s->ipv6_ll))
			return (sfail(err, errlen, s->uuid, "ipv6LinkLocal",
			    "not a link-local address"));
		nb6 = s->ipv6_ll;
		ll = 1;
		have6 = 1;
	}
	if (have6)
		(void)inet_ntop(AF_INET6, &nb6, nb6s, sizeof(nb6s));
	if (ll && *p->own_ll == '\0')
		return (sfail(err, errlen, s->uuid, "ipv6LinkLocal",
		    "no own link-local address to speak from (set "
		    "wireguard.dn42Ipv6 or wireguard.dn42Ipv6LinkLocal)"));
	if ((s->flags & CP_SESS_MPBGP) && !have6)
		return (sfail(err, errlen, s->uuid, "extensions",
		    "mp-bgp needs ipv6 or ipv6LinkLocal"));
	if (!have4 && !have6)
		return (sfail(err, errlen, s->uuid, "ipv4",
		    "no peer address (ipv4, ipv6 or ipv6LinkLocal)"));

	for (i = 0; i < RENDER_MAX_PROTOS; i++) {
		rvals_init(&rv[i]);
		rvals_common(&rv[i], &p->import_limit, &p->export_limit, p);
		rv[i].vals[RV_PEER_TEMPLATE] = p->peer_template;
		rv[i].vals[RV_IMPORT_FILTER] = p->import_filter;
		rv[i].vals[RV_EXPORT_FILTER] = p->export_filter;
		rv[i].vals[RV_INTERFACE] = s->ifname;
		(void)strlcpy(rv[i].description, descr,
		    sizeof(rv[i].description));
		(void)snprintf(rv[i].asn, sizeof(rv[i].asn), "%u", s->asn);
		if (p->ebgp_local_as)
			(void)snprintf(rv[i].local_as, sizeof(rv[i].local_as),
			    "%u", p->local_asn);
		if (!(s->flags & CP_SESS_HAS_ENDPOINT))
			rv[i].vals[RV_PASSIVE] = "1";
		if (s->flags & CP_SESS_DISABLED)
			rv[i].vals[RV_DISABLED] = "1";
	}
	/* base[] leaves room for the suffixes. */
	if (s->flags & CP_SESS_MPBGP) {
		(void)strlcpy(rv[n].protocol, base, sizeof(rv[n].protocol));
		(void)strlcpy(rv[n].neighbor, nb6s, sizeof(rv[n].neighbor));
		rv[n].vals[RV_CARRY_IPV4] = "1";
		rv[n].vals[RV_CARRY_IPV6] = "1";
		if (s->flags & CP_SESS_ENH)
			rv[n].vals[RV_ENH] = "1";
		if (ll) {
			rv[n].vals[RV_LINK_LOCAL] = "1";
			rv[n].vals[RV_SOURCE_ADDRESS] = p->own_ll;
		}
		n++;
	} else {
		if (have4) {
			(void)snprintf(rv[n].protocol, sizeof(rv[n].protocol),
			    "%s_v4", base);
			(void)strlcpy(rv[n].neighbor, nb4s,
			    sizeof(rv[n].neighbor));
			rv[n].vals[RV_CARRY_IPV4] = "1";
			n++;
		}
		if (have6) {
			(void)snprintf(rv[n].protocol, sizeof(rv[n].protocol),
			    "%s_v6", base);
			(void)strlcpy(rv[n].neighbor, nb6s,
			    sizeof(rv[n].neighbor));
			rv[n].vals[RV_CARRY_IPV6] = "1";
			if (ll) {
				rv[n].vals[RV_LINK_LOCAL] = "1";
				rv[n].vals[RV_SOURCE_ADDRESS] = p->own_ll;
			}
			n++;
		}
	}

	if (buf_addstr(b, RENDER_HEADER_PREFIX "session ") == -1 ||
	    buf_addstr(b, s->uuid) == -1 ||
	    buf_addstr(b, " protocols") == -1)
		goto nomem;
	for (i = 0; i < n; i++)
		if (buf_addstr(b, " ") == -1 ||
		    buf_addstr(b, rv[i].protocol) == -1)
			goto nomem;
	if (buf_addstr(b, "\n") == -1)
		goto nomem;
	for (i = 0; i < n; i++) {
		if (buf_addstr(b, "\n") == -1)
			goto nomem;
		if (tmpl_render(&p->templates->ebgp, rv[i].vals, b, err,
		    errlen) == -1) {
			b->len = 0;
			return (-1);
		}
	}
	return (0);
 nomem:
	b->len = 0;
	return (render_fail(err, errlen,
	    "session %s: %s", s->uuid, strerror(errno)));
}

int
render_ibgp_peer(const struct render_params *p,
    const struct render_ibgp_peer *peer, struct render_buf *b, char *err,
    size_t errlen)
{
	struct rvals	 rv;
	struct in6_addr	 own;
	char		 name[CP_NAME_LEN - 8], hdr[128];
	const char	*why;
	int		 r;

	b->len = 0;
	if (render_params_check(p, err, errlen) == -1)
		return (-1);
	if (p->local_asn == 0)
		return (render_fail(err, errlen, "iBGP peer %u: our AS "
		    "(policy.dn42As) is not known", peer->node_id));
	if (*p->loopback_ipv6 == '\0')
		return (render_fail(err, errlen,
		    "iBGP peer %u: our IPv6 loopback "
		    "is not known", peer->node_id));
	if ((why = check_text(peer->node_name, sizeof(peer->node_name), name,
	    sizeof(name))) != NULL)
		return (render_fail(err, errlen,
		    "iBGP peer %u: field nodeName: %s",
		    peer->node_id, why));
	if ((why = check_unicast6(&peer->loopback_ipv6)) != NULL ||
	    IN6_IS_ADDR_LINKLOCAL(&peer->loopback_ipv6))
		return (render_fail(err, errlen,
		    "iBGP peer %u: field loopbackIpv6: "
		    "%s", peer->node_id, why != NULL ? why : "is link-local"));
	(void)inet_pton(AF_INET6, p->loopback_ipv6, &own);
	if (memcmp(&own, &peer->loopback_ipv6, sizeof(own)) == 0)
		return (render_fail(err, errlen,
		    "iBGP peer %u: field loopbackIpv6: "
		    "is our own loopback", peer->node_id));

	rvals_init(&rv);
	rvals_common(&rv, &p->ibgp_import_limit, &p->ibgp_export_limit, p);
	(void)snprintf(rv.protocol, sizeof(rv.protocol), "ibgp_%u",
	    peer->node_id);
	if (*name != '\0')
		(void)snprintf(rv.description, sizeof(rv.description),
		    "iBGP to %s", name);
	(void)snprintf(rv.asn, sizeof(rv.asn), "%u", p->local_asn);
	(void)inet_ntop(AF_INET6, &peer->loopback_ipv6, rv.neighbor,
	    sizeof(rv.neighbor));
	rv.vals[RV_SOURCE_ADDRESS] = p->loopback_ipv6;
	rv.vals[RV_IMPORT_FILTER] = p->ibgp_import_filter;
	rv.vals[RV_EXPORT_FILTER] = p->ibgp_export_filter;
	if (p->is_rr && !peer->is_rr)
		rv.vals[RV_RR_CLIENT] = "1";
	if (peer->disabled)
		rv.vals[RV_DISABLED] = "1";

	r = snprintf(hdr, sizeof(hdr), "%sibgp %u protocols %s\n\n",
	    RENDER_HEADER_PREFIX, peer->node_id, rv.protocol);
	if (r < 0 || (size_t)r >= sizeof(hdr) || buf_addstr(b, hdr) == -1) {
		b->len = 0;
		return (render_fail(err, errlen,
		    "iBGP peer %u: %s", peer->node_id,
		    strerror(errno)));
	}
	if (tmpl_render(&p->templates->ibgp, rv.vals, b, err, errlen) == -1) {
		b->len = 0;
		return (-1);
	}
	return (0);
}

/*
 * Read back "# moenet-agent: session <uuid> protocols <p> [<p>]" or
 * "# moenet-agent: ibgp <id> protocols <p>", the first line of a file
 * rendered here.  Anything else is not ours.
 */
int
render_parse_header(const char *buf, size_t len, struct render_header *h)
{
	const char	*p, *end, *nl, *tok;
	size_t		 n;

	memset(h, 0, sizeof(*h));
	if ((nl = memchr(buf, '\n', len)) == NULL)
		return (-1);
	end = nl;
	n = strlen(RENDER_HEADER_PREFIX);
	if ((size_t)(end - buf) < n || memcmp(buf, RENDER_HEADER_PREFIX, n))
		return (-1);
	p = buf + n;
	if (end - p > 8 && memcmp(p, "session ", 8) == 0) {
		h->kind = RENDER_KIND_SESSION;
		p += 8;
	} else if (end - p > 5 && memcmp(p, "ibgp ", 5) == 0) {
		h->kind = RENDER_KIND_IBGP;
		p += 5;
	} else
		return (-1);
	for (tok = p; p < end && *p != ' '; p++)
		;
	if (p == tok || (size_t)(p - tok) >= sizeof(h->id))
		return (-1);
	memcpy(h->id, tok, p - tok);
	h->id[p - tok] = '\0';
	if (check_uuid(h->id) != NULL)
		return (-1);
	if (end - p < 11 || memcmp(p, " protocols ", 11) != 0)
		return (-1);
	p += 11;
	for (;;) {
		for (tok = p; p < end && *p != ' '; p++)
			;
		if (p == tok || h->nprotos == RENDER_MAX_PROTOS ||
		    (size_t)(p - tok) >= sizeof(h->protos[0]))
			return (-1);
		memcpy(h->protos[h->nprotos], tok, p - tok);
		h->protos[h->nprotos][p - tok] = '\0';
		if (!render_is_symbol(h->protos[h->nprotos++],
		    RENDER_SYM_MAX + 1))
			return (-1);
		if (p == end)
			break;
		p++;
	}
	return (0);
}

/*
 * The template engine for other files (the routing policy): the caller
 * names the variables, and passes their checked values in that order.
 */
struct render_tmpl {
	struct tmpl	 t;
};

struct render_tmpl *
render_tmpl_load(const char *dir, const char *file,
    const struct render_var *vars, size_t nvars, char *err, size_t errlen)
{
	struct render_tmpl	*rt;

	if ((rt = calloc(1, sizeof(*rt))) == NULL) {
		render_fail(err, errlen, "templates: %s", strerror(errno));
		return (NULL);
	}
	rt->t.gvars = vars;
	rt->t.ngvars = nvars;
	if (tmpl_load(&rt->t, dir, file, K_GENERIC, err, errlen) == -1) {
		free(rt);
		return (NULL);
	}
	rt->t.gvars = vars;
	rt->t.ngvars = nvars;
	return (rt);
}

void
render_tmpl_free(struct render_tmpl *rt)
{
	if (rt == NULL)
		return;
	tmpl_free(&rt->t);
	free(rt);
}

/* Appends to b; vals[i] is the value of vars[i], "" for none. */
int
render_tmpl_apply(const struct render_tmpl *rt, const char *const *vals,
    struct render_buf *b, char *err, size_t errlen)
{
	return (tmpl_render(&rt->t, vals, b, err, errlen));
}

int
render_buf_append(struct render_buf *b, const char *s, size_t len)
{
	return (buf_add(b, s, len));
}
