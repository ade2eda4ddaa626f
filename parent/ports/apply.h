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


#ifndef MOENET_APPLY_H
#define MOENET_APPLY_H

/*
 * The BIRD apply pipeline: a transaction of file changes that becomes
 * one BIRD reconfiguration, or nothing at all.
 *
 *	apply_begin();
 *	apply_put(conf->bird_peer_dir, "dn42_4242420001.conf", buf, len);
 *	apply_remove(conf->bird_peer_dir, "dn42_4242420002.conf");
 *	apply_commit(names, nnames, done, arg);
 *
 * Commit writes what differs (temp file, fsync, rename, fsync of the
 * directory), then configure check, configure timeout, verify (BIRD
 * answers, every expected protocol exists), configure confirm.  Any
 * failure puts the previous files back byte for byte and takes BIRD
 * back to its previous configuration.  done is called exactly once,
 * never from inside apply_commit().
 */

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "common/bird.h"

#define APPLY_NAME_MAX		128
#define APPLY_FILE_MAX		(1024 * 1024)
#define APPLY_FILES_MAX		4096
#define APPLY_TIMEOUT_DEFAULT	30	/* configure timeout, seconds */
#define APPLY_ERROR_LEN		512

enum apply_status {
	APPLY_OK,		/* applied and confirmed */
	APPLY_UNCHANGED,	/* nothing differs: BIRD was not asked */
	APPLY_ERR_NOT_CONNECTED, /* nothing written; retry later */
	APPLY_ERR_FILE,		/* reading or writing a file */
	APPLY_ERR_CHECK,	/* configure check refused the files */
	APPLY_ERR_CONFIGURE,	/* configure timeout refused them */
	APPLY_ERR_VERIFY,	/* BIRD silent, or a protocol missing */
	APPLY_ERR_CONFIRM,	/* confirm refused, or BIRD undid first */
	APPLY_ERR_BIRD		/* lost BIRD in the middle */
};
#define APPLY_NSTATUS		(APPLY_ERR_BIRD + 1)

struct apply_result {
	enum apply_status	 status;
	int			 rolled_back;	/* previous files restored */
	int			 bird_reverted;	/* BIRD on the old config */
	int			 has_bird;	/* bird: the failing answer */
	struct bird_result_msg	 bird;
	unsigned int		 nchanged;	/* files written or removed */
	char			 error[APPLY_ERROR_LEN];
};

typedef void	(*apply_cb)(const struct apply_result *, void *);

void	apply_init(void);
int	apply_begin(void);
int	apply_put(const char *, const char *, const void *, size_t);
int	apply_remove(const char *, const char *);
int	apply_commit(const char *const *, size_t, apply_cb, void *);
void	apply_abort(void);
int	apply_busy(void);
void	apply_set_timeout(unsigned int);
int	apply_valid_name(const char *);
int	apply_cleanup_dir(const char *);
int	apply_result_names(const struct apply_result *, const char *);
const char *apply_status_name(enum apply_status);
/* Transactions finished so far, indexed by enum apply_status. */
const uint64_t *apply_counters(void);

#endif /* MOENET_APPLY_H */
