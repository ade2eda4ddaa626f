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
 * moenet-agent -n.  The file first (config.c reports every problem of
 * it), then what a start needs beyond the file, checked the way the
 * start will use it: the templates load, the private key is ours alone
 * and decodes to 32 bytes, the sandbox user, BIRD's control socket,
 * the state directory.  Nothing is changed on disk.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/core/config.h"
#include "parent/outputs/confcheck.h"
#include "parent/ports/firewall.h"
#include "cp.h"
#include "parent/tasks/bootstrap.h"
#include "parent/ports/render.h"
#include "wgctl/key.h"

#define NODECONF_CACHE_MAX	65536

static int	read_small(const char *, char *, size_t, struct stat *, char *,
		    size_t);
static void	check_templates(const struct moenet_conf *,
		    struct conf_report *);
static void	check_private_key(const struct moenet_conf *,
		    struct conf_report *, uint8_t *, int *);
static void	check_public_key(const struct moenet_conf *,
		    struct conf_report *, const uint8_t *, int);
static void	check_user(const struct moenet_conf *, struct conf_report *);
static void	check_bird_socket(const struct moenet_conf *,
		    struct conf_report *);
static void	check_dir(const struct moenet_conf *, struct conf_report *,
		    const char *, const char *, int);
static void	check_parent_dir(const struct moenet_conf *,
		    struct conf_report *, const char *, const char *);
static void	check_ca(const struct moenet_conf *, struct conf_report *);
static int	overlay_cache(const struct moenet_conf *, struct moenet_conf *,
		    struct conf_report *);
static int	bad(const struct conf_report *, const char *);
static int	not_root(int);
static void	ck(struct conf_report *, const struct moenet_conf *,
		    enum conf_level, const char *, const char *, ...)
		    __attribute__((__format__ (printf, 5, 6)));

/*
 * -n run by another user than root, who starts the agent: what it may
 * not see is not the agent's problem.
 */
static int
not_root(int error)
{
	return error == EACCES && geteuid() != 0;
}

/* A key whose value was refused: its checks would test the default. */
static int
bad(const struct conf_report *r, const char *key)
{
	return conf_report_has(r, CONF_ERROR, key);
}

/* "file: key: reason", as the file's own problems read. */
static void
ck(struct conf_report *r, const struct moenet_conf *c, enum conf_level level,
    const char *key, const char *fmt, ...)
{
	char	 msg[CONF_DIAG_LEN];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (*key != '\0')
		conf_report_add(r, level, key, "%s: %s: %s", c->path, key,
		    msg);
	else
		conf_report_add(r, level, key, "%s: %s", c->path, msg);
}

/*
 * A small regular file, without following a final symbolic link (as
 * the start reads keys); -1 with why, -2 when only root may read it
 * and -n runs as another user.
 */
static int
read_small(const char *path, char *buf, size_t len, struct stat *st,
    char *why, size_t whylen)
{
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (not_root(errno)) {
			snprintf(why, whylen, "%s: not readable by uid %u, "
			    "not checked (run -n as root)", path,
			    (unsigned int)geteuid());
			return -2;
		}
		snprintf(why, whylen, "%s: %s", path, errno == ELOOP ?
		    "a symbolic link, which the agent does not follow" :
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, st) == -1 || !S_ISREG(st->st_mode)) {
		snprintf(why, whylen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

static void
check_templates(const struct moenet_conf *c, struct conf_report *r)
{
	char	 err[512];

	if (bad(r, "bird.templateDir"))
		return;
	if (render_templates_check(c->bird_template_dir, err,
	    sizeof(err)) == -1)
		ck(r, c, CONF_ERROR, "bird.templateDir", "templates do not "
		    "load, no session could be rendered: %s", err);
}

/*
 * As the start reads it (parent/wg.c): a refused key is an error, since
 * no tunnel comes up without it.
 */
static void
check_private_key(const struct moenet_conf *c, struct conf_report *r,
    uint8_t *priv, int *ok)
{
	const char	*key = "wireguard.privateKeyPath";
	struct stat	 st;
	char		 buf[128], why[PATH_MAX + 128], *p;
	int		 rc;

	*ok = 0;
	if (c->wg_privkey_path[0] == '\0' || bad(r, key))
		return;
	if ((rc = read_small(c->wg_privkey_path, buf, sizeof(buf), &st, why,
	    sizeof(why))) < 0) {
		ck(r, c, rc == -2 ? CONF_WARNING : CONF_ERROR, key, "%s", why);
		return;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		ck(r, c, CONF_ERROR, key, "%s: mode %04o lets group or "
		    "others access the private key, and the agent refuses "
		    "it: chmod 600 it", c->wg_privkey_path,
		    (unsigned int)(st.st_mode & 07777));
	if (st.st_uid != 0)
		ck(r, c, CONF_WARNING, key, "%s: owned by uid %u, not root: "
		    "that user can replace the router's key",
		    c->wg_privkey_path, (unsigned int)st.st_uid);
	for (p = buf; *p == ' ' || *p == '\t' || *p == '\n'; p++)
		;
	p[strcspn(p, " \t\r\n")] = '\0';
	if (key_from_base64(priv, p) == -1 || key_is_zero(priv))
		ck(r, c, CONF_ERROR, key, "%s: not a base64 WireGuard key "
		    "of 32 bytes", c->wg_privkey_path);
	else
		*ok = 1;
	explicit_bzero(buf, sizeof(buf));
}

/* Only for reference: anything wrong with it is a warning. */
static void
check_public_key(const struct moenet_conf *c, struct conf_report *r,
    const uint8_t *priv, int priv_ok)
{
	const char	*key = "wireguard.publicKeyPath";
	struct stat	 st;
	uint8_t		 pub[WG_KEY_LEN], derived[WG_KEY_LEN];
	char		 buf[128], why[PATH_MAX + 128], *p;

	if (c->wg_pubkey_path[0] == '\0' || bad(r, key))
		return;
	if (read_small(c->wg_pubkey_path, buf, sizeof(buf), &st, why,
	    sizeof(why)) < 0) {
		ck(r, c, CONF_WARNING, key, "%s", why);
		return;
	}
	for (p = buf; *p == ' ' || *p == '\t' || *p == '\n'; p++)
		;
	p[strcspn(p, " \t\r\n")] = '\0';
	if (key_from_base64(pub, p) == -1) {
		ck(r, c, CONF_WARNING, key, "%s: not a base64 WireGuard key "
		    "of 32 bytes", c->wg_pubkey_path);
		return;
	}
	if (!priv_ok)
		return;
	key_public(derived, priv);
	if (!key_eq(derived, pub))
		ck(r, c, CONF_WARNING, key, "%s: not the public key of "
		    "privateKeyPath; the agent uses the one it derives from "
		    "the private key", c->wg_pubkey_path);
	explicit_bzero(derived, sizeof(derived));
}

static void
check_user(const struct moenet_conf *c, struct conf_report *r)
{
	if (getpwnam(MOENET_USER) == NULL)
		ck(r, c, CONF_NOTICE, "", "user %s not found: children will "
		    "run as an unused uid/gid", MOENET_USER);
}

static void
check_bird_socket(const struct moenet_conf *c, struct conf_report *r)
{
	const char	*key = "bird.controlSocket";
	struct stat	 st;

	if (bad(r, key))
		return;
	if (stat(c->bird_socket, &st) == -1) {
		if (errno == ENOENT)
			ck(r, c, CONF_WARNING, key, "%s does not exist "
			    "(yet): BIRD may start later", c->bird_socket);
		else
			ck(r, c, CONF_WARNING, key, "%s: %s", c->bird_socket,
			    strerror(errno));
		return;
	}
	if (!S_ISSOCK(st.st_mode))
		ck(r, c, CONF_ERROR, key, "%s is not a socket",
		    c->bird_socket);
}

/*
 * A directory the agent writes into.  create: the start makes it (one
 * level, as mkdir does), so only its parent must exist; else a missing
 * one is a warning: what goes there fails until it exists.
 */
static void
check_dir(const struct moenet_conf *c, struct conf_report *r,
    const char *key, const char *dir, int create)
{
	struct stat	 st;

	if (bad(r, key))
		return;
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			ck(r, c, CONF_ERROR, key, "%s exists and is not a "
			    "directory", dir);
		return;
	}
	if (errno != ENOENT) {
		ck(r, c, not_root(errno) ? CONF_WARNING : CONF_ERROR, key,
		    "%s: %s", dir, strerror(errno));
		return;
	}
	if (create)
		check_parent_dir(c, r, key, dir);
	else
		ck(r, c, CONF_WARNING, key, "%s does not exist: what the "
		    "agent writes there fails until it does", dir);
}

/* Where the start creates a file or a directory: its parent exists. */
static void
check_parent_dir(const struct moenet_conf *c, struct conf_report *r,
    const char *key, const char *path)
{
	struct stat	 st;
	char		 parent[PATH_MAX], *slash;

	if (bad(r, key))
		return;
	strlcpy(parent, path, sizeof(parent));
	while ((slash = strrchr(parent, '/')) != NULL && slash[1] == '\0')
		*slash = '\0';
	if ((slash = strrchr(parent, '/')) == NULL)
		return;
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (stat(parent, &st) == -1)
		ck(r, c, not_root(errno) ? CONF_WARNING : CONF_ERROR, key,
		    "%s cannot be created: %s: %s", path, parent,
		    strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		ck(r, c, CONF_ERROR, key, "%s cannot be created: %s is not a "
		    "directory", path, parent);
}

/* Followed if a link, as curl reads it (bundles often are links). */
static void
check_ca(const struct moenet_conf *c, struct conf_report *r)
{
	const char	*key = "controlPlane.caFile";
	char		 buf[4096];
	ssize_t		 n;
	int		 fd;

	if (c->cp_ca_file[0] == '\0' || bad(r, key))
		return;
	if ((fd = open(c->cp_ca_file, O_RDONLY | O_CLOEXEC)) == -1) {
		ck(r, c, not_root(errno) ? CONF_WARNING : CONF_ERROR, key,
		    "%s: %s", c->cp_ca_file, strerror(errno));
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		ck(r, c, CONF_ERROR, key, "%s: %s", c->cp_ca_file,
		    strerror(errno));
		return;
	}
	buf[n] = '\0';
	if (strstr(buf, "-----BEGIN CERTIFICATE-----") == NULL)
		ck(r, c, CONF_WARNING, key, "%s: no PEM certificate at its "
		    "start", c->cp_ca_file);
}

/*
 * Bootstrap mode: BIRD's and WireGuard's settings come from the control
 * plane.  The copy the last start cached stands in for them; 1 when
 * there is one.
 */
static int
overlay_cache(const struct moenet_conf *c, struct moenet_conf *out,
    struct conf_report *r)
{
	struct stat	 st;
	char		 path[PATH_MAX], why[PATH_MAX + 128], err[512], *buf;

	*out = *c;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", c->state_dir,
	    NODECONF_CACHE) >= sizeof(path))
		return 0;
	if (stat(path, &st) == -1) {
		ck(r, c, CONF_NOTICE, "", "bootstrap mode: the BIRD socket, "
		    "the key files and the BIRD directories come from the "
		    "control plane at start (no cached copy in %s yet), and "
		    "are checked then", c->state_dir);
		return 0;
	}
	if ((buf = malloc(NODECONF_CACHE_MAX + 1)) == NULL)
		return 0;
	if (read_small(path, buf, NODECONF_CACHE_MAX + 1, &st, why,
	    sizeof(why)) < 0) {
		ck(r, c, CONF_WARNING, "", "%s", why);
		free(buf);
		return 0;
	}
	if (config_overlay_buf(out, path, buf, strlen(buf), err,
	    sizeof(err)) == -1) {
		ck(r, c, CONF_WARNING, "", "%s (the agent will set it aside "
		    "and wait for the control plane)", err);
		*out = *c;
		free(buf);
		return 0;
	}
	free(buf);
	ck(r, c, CONF_NOTICE, "", "bootstrap mode: checked with the node "
	    "configuration cached in %s; the control plane may change it at "
	    "start", path);
	return 1;
}

/* What a start needs beyond the file; every problem goes into r. */
void
confcheck_start(const struct moenet_conf *c, struct conf_report *r)
{
	struct moenet_conf	*eff;
	uint8_t			 priv[WG_KEY_LEN];
	int			 priv_ok = 0, node = 1;

	if ((eff = malloc(sizeof(*eff))) == NULL) {
		ck(r, c, CONF_ERROR, "", "out of memory");
		return;
	}
	if (c->mode == CONF_MODE_BOOTSTRAP)
		node = overlay_cache(c, eff, r);
	else
		*eff = *c;

	check_templates(eff, r);
	check_user(eff, r);
	check_dir(eff, r, "state.dir", eff->state_dir, 1);
	/* Without the node configuration these would test defaults. */
	if (node) {
		check_private_key(eff, r, priv, &priv_ok);
		check_public_key(eff, r, priv, priv_ok);
		explicit_bzero(priv, sizeof(priv));
		check_bird_socket(eff, r);
		check_dir(eff, r, "bird.peerConfDir", eff->bird_peer_dir, 0);
	}
	check_parent_dir(eff, r, "control.socket", eff->ctl_socket);
	if (eff->ctl_socket_ro[0] != '\0')
		check_parent_dir(eff, r, "control.readOnlySocket",
		    eff->ctl_socket_ro);
	check_ca(eff, r);
	freezero(eff, sizeof(*eff));
}

/* The -n flag; returns the exit status. */
int
confcheck_main(const char *file, int verbose)
{
	struct moenet_conf	*c;
	struct conf_report	 r;
	char			 plan[512];
	int			 nerr, nwarn, file_ok;

	conf_report_init(&r, 1);
	c = config_load_report(file, &r);
	file_ok = c != NULL && r.count[CONF_ERROR] == 0;
	if (c != NULL)
		confcheck_start(c, &r);
	conf_report_print(stderr, &r);
	nerr = r.count[CONF_ERROR];
	nwarn = r.count[CONF_WARNING];
	conf_report_clear(&r);
	if (file_ok) {
		firewall_plan(c, plan, sizeof(plan));
		fprintf(stderr, "%s\n", plan);
	}
	/* The file's normal form, even when the machine is not ready. */
	if (verbose && file_ok)
		config_print(stdout, c);
	config_free(c);
	if (nerr > 0) {
		fprintf(stderr, "%s: %d error%s, %d warning%s: not usable\n",
		    file, nerr, nerr == 1 ? "" : "s", nwarn,
		    nwarn == 1 ? "" : "s");
		return 1;
	}
	if (nwarn > 0)
		fprintf(stderr, "configuration OK, %d warning%s\n", nwarn,
		    nwarn == 1 ? "" : "s");
	else
		fprintf(stderr, "configuration OK\n");
	return 0;
}
