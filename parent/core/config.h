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

#ifndef MOENET_CONFIG_H
#define MOENET_CONFIG_H

#include <sys/types.h>
#include <sys/queue.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#define CONF_URL_LEN		512
#define CONF_NAME_LEN		64
#define CONF_ADOPT_MAX		32	/* names in wireguard.adopt */
#define CONF_TOKEN_LEN		512
#define CONF_ADDR_LEN		64
#define CONF_SYM_LEN		64
#define CONF_MAX_FILE		(1024 * 1024)

enum conf_mode {
	CONF_MODE_BOOTSTRAP,
	CONF_MODE_FULL
};

enum wg_backend {
	WG_BACKEND_AUTO,
	WG_BACKEND_KERNEL,
	WG_BACKEND_USERSPACE
};

enum mesh_allowed {
	MESH_ALLOWED_NETWORK,	/* link-local, multicast, the aggregates */
	MESH_ALLOWED_ANY	/* every address: transit over the mesh */
};

enum sandbox_mode {
	SANDBOX_MODE_KILL,
	SANDBOX_MODE_LOG
};

struct moenet_conf {
	char		 path[PATH_MAX];
	enum conf_mode	 mode;

	/* control plane (bootstrap.* or controlPlane.*) */
	char		 cp_url[CONF_URL_LEN];
	char		 node_name[CONF_NAME_LEN];
	char		 cp_token[CONF_TOKEN_LEN];
	char		 cp_token_file[PATH_MAX];
	char		 cp_ca_file[PATH_MAX];
	int		 cp_request_timeout;
	int		 cp_max_retries;
	int		 cp_retry_initial_delay;	/* milliseconds */
	int		 cp_remove_after_missing;
	int		 iv_heartbeat;
	int		 iv_sync;
	int		 iv_metric;
	int		 iv_rtt;
	int		 iv_mesh;
	int		 iv_ibgp;
	int		 iv_policy;

	/* server */
	char		 srv_listen[CONF_ADDR_LEN];
	char		 srv_token[CONF_TOKEN_LEN];

	/* node */
	int		 node_id;
	char		 node_region[CONF_NAME_LEN];
	char		 node_public_ipv4[CONF_ADDR_LEN];	/* "": discover */
	char		 node_public_ipv6[CONF_ADDR_LEN];

	/* bird */
	char		 bird_socket[PATH_MAX];
	char		 bird_peer_dir[PATH_MAX];
	char		 bird_ibgp_dir[PATH_MAX];
	char		 bird_policy_dir[PATH_MAX];
	char		 bird_maint_file[PATH_MAX];
	char		 bird_blacklist_file[PATH_MAX];
	char		 bird_local_file[PATH_MAX];
	char		 bird_peer_template[CONF_SYM_LEN];
	char		 bird_import_filter[CONF_SYM_LEN];
	char		 bird_export_filter[CONF_SYM_LEN];
	char		 bird_template_dir[PATH_MAX];
	char		 bird_config_file[PATH_MAX];
	char		 bird_command[PATH_MAX];

	/* wireguard */
	char		 wg_privkey_path[PATH_MAX];
	char		 wg_pubkey_path[PATH_MAX];
	int		 wg_keepalive;
	char		 wg_dn42_ipv4[CONF_ADDR_LEN];
	char		 wg_dn42_ipv6[CONF_ADDR_LEN];
	char		 wg_dn42_ipv6_ll[CONF_ADDR_LEN];
	int		 wg_backend;
	char		 wg_userspace_cmd[PATH_MAX];
	char		 wg_loopback_if[CONF_NAME_LEN];
	int		 wg_mesh_allowed;
	/* wireguard.adopt: handed over by the operator, space separated */
	char		 wg_adopt[CONF_ADOPT_MAX * 17 + 2];

	/* metric */
	int		 ping_timeout;
	int		 ping_count;

	/* diag: the bot's tools */
	char		 diag_resolver[CONF_ADDR_LEN];	/* "": 172.20.0.53 */

	/* local */
	char		 state_dir[PATH_MAX];
	char		 ctl_socket[PATH_MAX];
	char		 ctl_socket_ro[PATH_MAX];
	int		 log_format;
	int		 log_level;
	int		 sandbox_mode;

	/* firewall */
	int		 fw_enabled;
	int		 fw_mode;		/* enum fw_mode, common/fwmsg.h */
};

/*
 * What a load finds, all of it: errors (the file is not taken),
 * warnings (it is, but something deserves a look) and notices (the
 * file says something this agent does differently, e.g. a key of the
 * previous agent it does not use).  Each text is complete, in the form
 * "file:line: key: reason".
 */
enum conf_level {
	CONF_NOTICE,
	CONF_WARNING,
	CONF_ERROR
};
#define CONF_NLEVELS		3
#define CONF_DIAG_LEN		640
#define CONF_KEY_LEN		96

struct conf_diag {
	TAILQ_ENTRY(conf_diag)	 entry;
	enum conf_level		 level;
	char			 key[CONF_KEY_LEN];	/* "section.key", "" */
	char			 text[CONF_DIAG_LEN];
};

struct conf_report {
	TAILQ_HEAD(, conf_diag)	 diags;
	int			 count[CONF_NLEVELS];
	int			 check_only;	/* -n: change nothing */
};

void		 conf_report_init(struct conf_report *, int);
void		 conf_report_add(struct conf_report *, enum conf_level,
		    const char *, const char *, ...)
		    __attribute__((__format__ (printf, 4, 5)));
int		 conf_report_has(const struct conf_report *, enum conf_level,
		    const char *);
const char	*conf_report_first(const struct conf_report *,
		    enum conf_level);
void		 conf_report_print(FILE *, const struct conf_report *);
void		 conf_report_log(const struct conf_report *);
void		 conf_report_clear(struct conf_report *);
const char	*conf_level_name(enum conf_level);

struct moenet_conf	*config_load(const char *, char *, size_t);
struct moenet_conf	*config_load_report(const char *, struct conf_report *);
struct moenet_conf	*config_load_buf(const char *, const char *, size_t,
			    char *, size_t);
struct moenet_conf	*config_load_buf_report(const char *, const char *,
			    size_t, struct conf_report *);
void			 config_free(struct moenet_conf *);
void			 config_print(FILE *, const struct moenet_conf *);
void			 config_diff(const struct moenet_conf *,
			    const struct moenet_conf *,
			    void (*)(const char *, void *), void *);
void			 config_cp_ports(const struct moenet_conf *, char *, size_t);
int			 config_addr(const char *, int, void *);
int			 config_overlay_buf(struct moenet_conf *, const char *,
			    const char *, size_t, char *, size_t);

#endif /* MOENET_CONFIG_H */
