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

#ifndef MOENET_MESH_H
#define MOENET_MESH_H

/*
 * The network's own routers: a WireGuard tunnel to each mesh peer
 * (GET mesh, reported with POST mesh/status), Babel over those tunnels
 * for the loopbacks, and an iBGP file per ibgpPeers entry of GET
 * bird-config.  Two periodic tasks of parent/tasks.c.
 */

#include <stdint.h>

struct sched_task;
struct cp_mesh_peer_msg;

typedef void	(*mesh_peer_cb)(uint32_t, const struct cp_mesh_peer_msg *,
		    void *);

#define MESH_IFPREFIX		"dn42-wg-igp-"
#define MESH_PORT_BASE		51820
#define MESH_KEEPALIVE		25
#define MESH_MTU_DEFAULT	MOENET_MTU_DEFAULT
#define MESH_BABEL_FILE		"mesh_babel.conf"

void	mesh_init(void);
void	mesh_run(struct sched_task *);
void	ibgp_run(struct sched_task *);
void	mesh_foreach_configured(mesh_peer_cb, void *);
int	mesh_peer_configured(uint32_t);
int	mesh_ibgp_find(const char *, char *, size_t);
void	mesh_ibgp_kick(void);

#endif /* MOENET_MESH_H */
