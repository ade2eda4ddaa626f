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

#ifndef MOENET_PARENT_FIREWALL_H
#define MOENET_PARENT_FIREWALL_H

/*
 * The firewall client: the UDP ports the tunnels listen on (sessions
 * and mesh), sent whole to wgctl after every change, and what wgctl
 * reports back for the status outputs.
 */

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "fwmsg.h"

struct imsg;
struct jw;

enum fw_state {
	FW_ST_OFF,		/* firewall.enabled false or mode none */
	FW_ST_PENDING,		/* nothing answered yet */
	FW_ST_ACTIVE,		/* chains managed */
	FW_ST_UNUSED,		/* no input chain that drops */
	FW_ST_ERROR
};

enum fw_source {
	FW_SRC_SESSIONS,
	FW_SRC_MESH,
	FW_SRC_MAX
};

struct fw_status {
	enum fw_state	 state;
	int		 mode;			/* firewall.mode */
	int		 complete;		/* ours not wanted are removed */
	uint32_t	 nchains;
	char		 chains[FWMSG_CHAINS_MAX][FWMSG_CHAIN_LEN];
	uint32_t	 nports;		/* open in every chain */
	uint16_t	 ports[FWMSG_PORTS_MAX];
	uint32_t	 nwanted;
	uint64_t	 added;			/* rules, since the start */
	uint64_t	 removed;
	time_t		 last_change;
	char		 error[FWMSG_ERR_LEN];
};

void	firewall_init(void);
void	firewall_routes(void);
void	firewall_changed(void);
int	firewall_busy(void);
void	firewall_source_done(enum fw_source);
void	firewall_dispatch(struct imsg *);
const struct fw_status *firewall_status(void);
const char *firewall_state_name(enum fw_state);
const char *firewall_mode_name(int);
struct moenet_conf;
int	firewall_plan(const struct moenet_conf *, char *, size_t);
char	*firewall_text(void);
void	firewall_json(struct jw *);

#endif /* MOENET_PARENT_FIREWALL_H */
