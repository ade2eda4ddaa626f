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

#include <stdio.h>
#include <string.h>

#include "moenet.h"
#include "cpctl.h"

const char *const proc_names[PROC_MAX] = {
	"parent",
	"fetcher",
	"birdctl",
	"wgctl"
};

#define IMSG_NAME(t)	#t,
static const char *const imsg_names[IMSG_MAX] = {
	IMSG_TYPES(IMSG_NAME)
};
#undef IMSG_NAME

const char *
imsg_type_name(uint32_t type)
{
	static char	 buf[32];

	if (type < IMSG_MAX)
		return imsg_names[type];
	snprintf(buf, sizeof(buf), "IMSG_%u", type);
	return buf;
}

/* The process id for a name given with the hidden -P flag, or -1. */
int
proc_from_name(const char *name)
{
	int	 i;

	for (i = PROC_FETCHER; i < PROC_MAX; i++)
		if (strcmp(proc_names[i], name) == 0)
			return i;
	return -1;
}

const char *
cp_endpoint_name(enum cp_endpoint ep)
{
	static const char *const names[CP_EP_MAX] = {
		"config", "sessions", "modify", "heartbeat", "report",
		"mesh", "mesh/status", "rtt", "bird-config"
	};

	return (unsigned int)ep < CP_EP_MAX ? names[ep] : "unknown";
}

const char *
cp_result_name(enum cp_result r)
{
	static const char *const names[CP_RES_MAX] = {
		"ok", "http_4xx", "http_5xx", "timeout", "tls", "network",
		"parse", "breaker_open"
	};

	return (unsigned int)r < CP_RES_MAX ? names[r] : "unknown";
}
