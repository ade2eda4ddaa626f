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

#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#define CONF_URL_LEN		512
#define CONF_NAME_LEN		64
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
	int		 cp_retry_initial_delay;
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
};

struct moenet_conf	*config_load(const char *, char *, size_t);
struct moenet_conf	*config_load_buf(const char *, const char *, size_t,
			    char *, size_t);
void			 config_free(struct moenet_conf *);
void			 config_print(FILE *, const struct moenet_conf *);
void			 config_cp_ports(const struct moenet_conf *, char *, size_t);
int			 config_overlay_buf(struct moenet_conf *, const char *,
			    const char *, size_t, char *, size_t);

#endif /* MOENET_CONFIG_H */
