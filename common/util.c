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

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>

#include <ctype.h>

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

/*
 * An interface name as every process takes one: NUL within size, 1 to
 * IFNAMSIZ - 1 bytes of A-Z a-z 0-9 _ - ., not "." or "..".  NULL if
 * it is one, else why not.
 */
const char *
ifname_check(const char *s, size_t size)
{
	size_t	 i, n;

	if (memchr(s, '\0', size) == NULL || (n = strlen(s)) >= IFNAMSIZ)
		return "longer than 15 bytes";
	if (n == 0)
		return "missing";
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return "not an interface name";
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '-' && s[i] != '.')
			return "characters other than A-Z a-z 0-9 _ - .";
	return NULL;
}

/*
 * A host as every process takes one: an IPv4 or IPv6 address, or a DNS
 * name of at most 253 bytes, labels of 1 to 63 of A-Z a-z 0-9 -, not
 * starting with '-' or '.'.  NULL if it is one, else why not.
 */
const char *
host_check(const char *s, size_t size)
{
	struct in6_addr	 a6;
	struct in_addr	 a4;
	size_t		 i, n, label = 0;

	if (memchr(s, '\0', size) == NULL)
		return "too long";
	if (*s == '\0')
		return "missing";
	if (inet_pton(AF_INET, s, &a4) == 1 || inet_pton(AF_INET6, s, &a6) == 1)
		return NULL;
	if ((n = strlen(s)) > 253)
		return "longer than 253 bytes";
	if (s[0] == '.' || s[0] == '-')
		return "starts with '.' or '-'";
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return "an empty label";
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return "characters other than A-Z a-z 0-9 - .";
		if (++label > 63)
			return "a label longer than 63 bytes";
	}
	return NULL;
}

/* FNV-1a, 32 bits: short, stable names and hash table slots. */
uint32_t
fnv1a(const char *s)
{
	uint32_t	 h = 2166136261U;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619U;
	}
	return h;
}
