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
#include <sys/socket.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moenet.h"
#include "cpdoc.h"
#include "cpjson.h"
#include "cpvalid.h"

#define ENV_MSGLEN	200

struct envelope {
	long long	code;
	char		message[ENV_MSGLEN];
};

static int	env_scalar(struct cpw *, void *, int, const struct cpw_value *,
		    const char **);

enum { ENV_CODE, ENV_MESSAGE };

static const struct cpw_node n_env_scalar = {
	.kind = CPW_SCALAR, .scalar = env_scalar
};

static const struct cpw_field env_fields[] = {
	{ "code", &n_env_scalar, ENV_CODE, CPW_REQUIRED },
	{ "message", &n_env_scalar, ENV_MESSAGE, 0 },
	{ NULL, NULL, 0, 0 }
};

static const struct cpw_node n_envelope = {
	.kind = CPW_OBJECT, .fields = env_fields
};

static int
env_scalar(struct cpw *w, void *arg, int id, const struct cpw_value *v,
    const char **why)
{
	struct envelope	*env = arg;
	long long	 code;
	size_t		 i;

	switch (id) {
	case ENV_CODE:
		if (cpd_int(v, INT_MIN, INT_MAX, &code, why) == -1)
			return -1;
		env->code = code;
		break;
	case ENV_MESSAGE:
		/* Only for the log: keep printable ASCII. */
		if (v->kind != CPW_STRING)
			break;
		strlcpy(env->message, v->str, sizeof(env->message));
		for (i = 0; env->message[i] != '\0'; i++)
			if (env->message[i] < 0x20 || env->message[i] >= 0x7f)
				env->message[i] = '?';
		break;
	}
	return 0;
}

/*
 * Two walks: the envelope first, so that an error reply is reported as
 * the control plane's error whatever its data holds, then the document.
 */
int
cpd_run(const struct cpw_node *root, const char *buf, size_t len,
    void *arg, char *err, size_t errlen)
{
	struct envelope	env;

	if (len > CP_DOC_MAX) {
		snprintf(err, errlen, "$: document larger than %d bytes",
		    CP_DOC_MAX);
		return CP_PARSE_INVALID;
	}
	memset(&env, 0, sizeof(env));
	if (cpw_parse(&n_envelope, buf, len, &env, err, errlen) == -1)
		return CP_PARSE_INVALID;
	if (env.code != 0) {
		snprintf(err, errlen, "control plane error %lld: %s", env.code,
		    env.message[0] != '\0' ? env.message : "(no message)");
		return CP_PARSE_CPERROR;
	}
	if (root == NULL)
		return 0;
	if (cpw_parse(root, buf, len, arg, err, errlen) == -1)
		return CP_PARSE_INVALID;
	return 0;
}

int
cp_parse_reply(const char *buf, size_t len, char *err, size_t errlen)
{
	return cpd_run(NULL, buf, len, NULL, err, errlen);
}

/* An integer given as a JSON number or as a string of digits. */
int
cpd_int(const struct cpw_value *v, long long min, long long max,
    long long *out, const char **why)
{
	if (v->kind != CPW_NUMBER && v->kind != CPW_STRING) {
		*why = "expected number";
		return -1;
	}
	return cpv_int(v->str, min, max, out, why);
}

int
cpd_str(const struct cpw_value *v, const char **why)
{
	if (v->kind != CPW_STRING) {
		*why = "expected string";
		return -1;
	}
	return 0;
}

/* A string of human text into dst. */
int
cpd_copy(const struct cpw_value *v, char *dst, size_t size,
    const char **why)
{
	if (cpd_str(v, why) == -1 || cpv_text(v->str, size, why) == -1)
		return -1;
	strlcpy(dst, v->str, size);
	return 0;
}

/*
 * An optional host address of family af: "" leaves it unset; else it
 * goes to out and flag into *flags.
 */
int
cpd_addr(const struct cpw_value *v, int af, void *out, uint32_t *flags,
    uint32_t flag, const char **why)
{
	if (cpd_str(v, why) == -1)
		return -1;
	if (v->str[0] == '\0')
		return 0;
	if ((af == AF_INET ? cpv_inet4(v->str, 1, out, NULL, why) :
	    cpv_inet6(v->str, 1, out, NULL, why)) == -1)
		return -1;
	*flags |= flag;
	return 0;
}

/* A router name, checked, into out. */
int
cpd_nodename(const struct cpw_value *v, char *out, size_t len,
    const char **why)
{
	if (cpd_str(v, why) == -1 || cpv_nodename(v->str, why) == -1)
		return -1;
	strlcpy(out, v->str, len);
	return 0;
}

/* The index of s in the NULL-terminated names, or -1. */
int
cpd_lookup(const char *const *names, const char *s)
{
	int	i;

	for (i = 0; names[i] != NULL; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* true/false, also as 0/1 or "true"/"false". */
int
cpd_bool(const struct cpw_value *v, int *b, const char **why)
{
	if (v->kind == CPW_BOOL) {
		*b = v->boolean;
		return 0;
	}
	if ((v->kind == CPW_NUMBER || v->kind == CPW_STRING) &&
	    (strcmp(v->str, "0") == 0 || strcmp(v->str, "false") == 0)) {
		*b = 0;
		return 0;
	}
	if ((v->kind == CPW_NUMBER || v->kind == CPW_STRING) &&
	    (strcmp(v->str, "1") == 0 || strcmp(v->str, "true") == 0)) {
		*b = 1;
		return 0;
	}
	*why = "expected boolean";
	return -1;
}

/* 0 is the default; anything else within what a tunnel can carry. */
int
cpd_mtu(const struct cpw_value *v, uint16_t *mtu, const char **why)
{
	long long	n;

	if (cpd_int(v, 0, 65535, &n, why) == -1)
		return -1;
	if (n != 0 && (n < MOENET_MTU_MIN || n > MOENET_MTU_MAX)) {
		*why = "out of range (1280..9000)";
		return -1;
	}
	*mtu = n;
	return 0;
}

/* Make room for one more element of size sz in *arr holding n. */
int
cpd_grow(void **arr, size_t n, size_t *cap, size_t sz)
{
	void	*p;
	size_t	 ncap;

	if (n < *cap)
		return 0;
	ncap = *cap == 0 ? 16 : *cap * 2;
	if ((p = reallocarray(*arr, ncap, sz)) == NULL)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}
