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

#ifndef MOENET_BIRDCMD_H
#define MOENET_BIRDCMD_H

#include <stddef.h>

#include "bird.h"

/* Longest line bird_cmd_format() writes, newline and NUL included. */
#define BIRD_CMD_LINE_MAX	(32 + BIRD_PATH_LEN + BIRD_NAME_LEN + \
				    BIRD_TARGET_LEN)

int		 bird_cmd_valid_name(const char *);
int		 bird_cmd_valid_file(const char *);
int		 bird_cmd_valid_target(const char *);
int		 bird_cmd_format(const struct bird_cmd_msg *, char *, size_t,
		    const char **);
const char	*bird_cmd_name(unsigned int);

#endif /* MOENET_BIRDCMD_H */
