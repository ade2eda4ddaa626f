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

#ifndef MOENET_CPDOC_H
#define MOENET_CPDOC_H

/* Shared by the per-document parsers (cpsess.c, cpmesh.c, ...). */

#include "cpwalk.h"

int	cpd_run(const struct cpw_node *, const char *, size_t, void *,
	    char *, size_t);
int	cpd_int(const struct cpw_value *, long long, long long, long long *,
	    const char **);
int	cpd_str(const struct cpw_value *, const char **);
int	cpd_copy(const struct cpw_value *, char *, size_t, const char **);
int	cpd_bool(const struct cpw_value *, int *, const char **);
int	cpd_mtu(const struct cpw_value *, uint16_t *, const char **);
int	cpd_grow(void **, size_t, size_t *, size_t);
int	cpd_addr(const struct cpw_value *, int, void *, uint32_t *, uint32_t,
	    const char **);
int	cpd_lookup(const char *const *, const char *);
int	cpd_nodename(const struct cpw_value *, char *, size_t, const char **);

#endif /* MOENET_CPDOC_H */
