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

#ifndef MOENET_RENDER_H
#define MOENET_RENDER_H

/*
 * BIRD files for peer sessions and iBGP neighbours, rendered from the
 * templates built into the binary, or from a directory of files of the
 * same names (bird.templateDir).  Every value is checked before it is
 * written; a bad value fails that one file with a reason and leaves the
 * output empty.  Same input, same bytes.
 */

#include <sys/types.h>

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "cp.h"

#define RENDER_EBGP_TEMPLATE	"ebgp_peer.conf.in"
#define RENDER_IBGP_TEMPLATE	"ibgp_peer.conf.in"
#define RENDER_BABEL_TEMPLATE	"babel.conf.in"

#define RENDER_SYM_MAX		64	/* BIRD's symbol length limit */
#define RENDER_NAME_LEN		(RENDER_SYM_MAX + 1)
#define RENDER_FILE_LEN		(RENDER_SYM_MAX + sizeof(".conf"))
#define RENDER_ADDR_LEN		46	/* INET6_ADDRSTRLEN */
#define RENDER_MAX_PROTOS	2
#define RENDER_OUT_MAX		(256 * 1024)

#define RENDER_HEADER_PREFIX	"# moenet-agent: "

enum render_limit_action {
	RENDER_LIMIT_BLOCK,
	RENDER_LIMIT_WARN,
	RENDER_LIMIT_RESTART,
	RENDER_LIMIT_DISABLE,
	RENDER_LIMIT_MAX = RENDER_LIMIT_DISABLE
};

enum render_gr {
	RENDER_GR_INHERIT,	/* say nothing: the peer template decides */
	RENDER_GR_ON,
	RENDER_GR_OFF
};

struct render_limit {
	uint32_t	count;		/* 0: no limit written */
	uint32_t	action;		/* enum render_limit_action */
};

struct render_templates;

/* Node-level settings; render_params_init() fills the defaults. */
struct render_params {
	const struct render_templates *templates;
	char		peer_template[RENDER_NAME_LEN];	/* bird.peerTemplate */
	char		import_filter[RENDER_NAME_LEN];	/* "": inherit */
	char		export_filter[RENDER_NAME_LEN];	/* "": inherit */
	char		ibgp_import_filter[RENDER_NAME_LEN]; /* "": import all */
	char		ibgp_export_filter[RENDER_NAME_LEN]; /* "": built in */
	char		own_ll[RENDER_ADDR_LEN];	/* render_own_ll() */
	char		loopback_ipv6[RENDER_ADDR_LEN];	/* iBGP source */
	uint32_t	local_asn;	/* policy.dn42As; 0: unknown */
	int		ebgp_local_as;	/* eBGP files say "local as" */
	int		is_rr;		/* render_node_is_rr() */
	int		graceful_restart; /* enum render_gr */
	struct render_limit import_limit;
	struct render_limit export_limit;
	struct render_limit ibgp_import_limit;
	struct render_limit ibgp_export_limit;
};

/* One ibgpPeers entry of bird-config. */
struct render_ibgp_peer {
	uint32_t	node_id;
	char		node_name[CP_NAME_LEN];
	struct in6_addr	loopback_ipv6;
	int		is_rr;
	int		disabled;	/* moenetctl disable */
};

struct render_buf {
	char		*data;
	size_t		 len;
	size_t		 cap;
};

enum render_kind {
	RENDER_KIND_SESSION,
	RENDER_KIND_IBGP
};

/* What the first line of a rendered file says, for adoption. */
struct render_header {
	int		kind;		/* enum render_kind */
	char		id[CP_UUID_LEN];	/* uuid, or iBGP node id */
	char		protos[RENDER_MAX_PROTOS][RENDER_NAME_LEN];
	int		nprotos;
};

/* A NULL or empty directory means the built-in templates. */
int		 render_template_text(const char *, const char *, char **,
		    size_t *, char *, size_t, char *, size_t);
struct render_templates	*render_templates_load(const char *, char *, size_t);
void		 render_templates_free(struct render_templates *);

void		 render_params_init(struct render_params *);
int		 render_params_check(const struct render_params *, char *,
		    size_t);
int		 render_own_ll(const char *, const char *, char *, size_t,
		    char *, size_t);
int		 render_node_is_rr(const char *, int);
int		 render_parse_asn(const char *, uint32_t *, char *, size_t);

int		 render_session(const struct render_params *,
		    const struct cp_session_msg *, struct render_buf *, char *,
		    size_t);
int		 render_ibgp_peer(const struct render_params *,
		    const struct render_ibgp_peer *, struct render_buf *, char *,
		    size_t);

int		 render_protocol_name(const struct cp_session_msg *, char *,
		    size_t, char *, size_t);
int		 render_file_name(const struct cp_session_msg *, char *, size_t,
		    char *, size_t);
int		 render_ibgp_file_name(const struct render_ibgp_peer *, char *,
		    size_t);
int		 render_parse_header(const char *, size_t,
		    struct render_header *);

void		 render_buf_free(struct render_buf *);

/*
 * The template language for other files: the caller's variables, by
 * index.  A flag may only be tested with {{#if}}.
 */
struct render_var {
	const char	*name;		/* [a-z0-9_] */
	int		 flag;
};
struct render_tmpl;

struct render_tmpl *render_tmpl_load(const char *, const char *,
		    const struct render_var *, size_t, char *, size_t);
void		 render_tmpl_free(struct render_tmpl *);
int		 render_tmpl_apply(const struct render_tmpl *,
		    const char *const *, struct render_buf *, char *, size_t);
int		 render_buf_append(struct render_buf *, const char *, size_t);

/*
 * render_check.c: loads every template the agent uses (peer, iBGP,
 * Babel, the policy set) from dir or the built-in copies; -1 and the
 * first failure in err.  For the configuration check.
 */
int		 render_templates_check(const char *, char *, size_t);

/* Shared by the renderers (render.c, policy_render.c). */
int	render_fail(char *, size_t, const char *, ...)
	    __attribute__((__format__ (printf, 3, 4)));
int	render_is_symbol(const char *, size_t);

#endif /* MOENET_RENDER_H */
