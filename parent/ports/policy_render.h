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

#ifndef MOENET_POLICY_RENDER_H
#define MOENET_POLICY_RENDER_H

/*
 * The routing policy of bootstrap mode as BIRD files: rendered from the
 * control plane's bird-config into bird.policyDir.
 */

#include <stddef.h>
#include <stdint.h>

#include "cp.h"
#include "parent/ports/render.h"

#define POLICY_DEFS_TEMPLATE		"policy_defs.conf.in"
#define POLICY_COMMUNITY_TEMPLATE	"policy_community.conf.in"
#define POLICY_FILTERS_TEMPLATE		"policy_filters.conf.in"
#define POLICY_RPKI_TEMPLATE		"policy_rpki.conf.in"
#define POLICY_BLOCKLIST_TEMPLATE	"policy_blocklist.conf.in"
#define POLICY_MAIN_TEMPLATE		"bird_main.conf.in"

/* The files, in the order a "*.conf" include glob takes them. */
enum policy_file_id {
	POLICY_F_DEFS,		/* 00-defs.conf */
	POLICY_F_BLOCKLIST,	/* 05-blacklist.conf: bird.blacklistFile */
	POLICY_F_FILTERS,	/* 10-filters.conf */
	POLICY_F_RPKI,		/* 20-rpki.conf: only with RPKI servers */
	POLICY_F_MAIN,		/* bird.configFile, not in bird.policyDir */
	POLICY_NFILES
};

#define POLICY_ERR_LEN		512
#define POLICY_LIMIT_MAX	100000000

struct policy_templates;

/* What the node's configuration says, around the control plane's. */
struct policy_params {
	char	maint_file[1024];	/* bird.maintenanceFile */
	char	peer_template[RENDER_NAME_LEN];
	char	import_filter[RENDER_NAME_LEN];
	char	export_filter[RENDER_NAME_LEN];
	char	ibgp_import_filter[RENDER_NAME_LEN];
	char	ibgp_export_filter[RENDER_NAME_LEN];

	/* The block list: included, or its text for an older BIRD. */
	char		 blacklist_file[1024];	/* bird.blacklistFile */
	const char	*blacklist_copy;	/* NULL: include the file */
	size_t		 blacklist_copylen;
	char		 blacklist_sum[65];	/* SHA-256 of an included one */

	/* bird.conf */
	char	router_id[RENDER_ADDR_LEN];	/* "": the policy's loopback */
	char	src4[RENDER_ADDR_LEN];		/* "": no krt_prefsrc */
	char	src6[RENDER_ADDR_LEN];
	char	policy_dir[1024];
	char	peer_dir[1024];
	char	ibgp_dir[1024];
	char	local_file[1024];
};

struct policy_out {
	struct render_buf	 files[POLICY_NFILES];
	int			 present[POLICY_NFILES]; /* 0: remove it */
};

/* The iBGP filter names the rendered policy defines. */
#define POLICY_IBGP_IMPORT	"dn42_ibgp_import_filter"
#define POLICY_IBGP_EXPORT	"dn42_ibgp_export_filter"

struct policy_templates	*policy_templates_load(const char *, char *, size_t);
void		 policy_templates_free(struct policy_templates *);
void		 policy_params_init(struct policy_params *);
const char	*policy_file_name(int);
int		 policy_blacklist_compat(const char *, size_t, char **,
		    size_t *);
int		 policy_render(const struct policy_templates *,
		    const struct policy_params *, const struct cp_policy_msg *,
		    struct policy_out *, char *, size_t);
void		 policy_out_free(struct policy_out *);

#endif /* MOENET_POLICY_RENDER_H */
