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

#ifndef MOENET_FWMSG_H
#define MOENET_FWMSG_H

/*
 * What the parent and wgctl say to each other about the firewall: the
 * whole set of UDP ports the tunnels listen on, and what wgctl did.
 * Fixed size, checked for the exact size and ranges on receipt.
 */

#include <stdint.h>

#define FWMSG_PORTS_MAX		4096
#define FWMSG_CHAINS_MAX	8
#define FWMSG_CHAIN_LEN		80
#define FWMSG_ERR_LEN		256

/* firewall.mode */
enum fw_mode {
	FW_MODE_AUTO,
	FW_MODE_IPTABLES,	/* ip/ip6 filter INPUT, iptables-nft's form */
	FW_MODE_NFTABLES,	/* base input chains with a drop policy */
	FW_MODE_NONE,
	FW_MODE_MAX
};

/* P -> W: IMSG_FW_PORTS */
struct fwmsg_ports {
	uint32_t	 mode;		/* enum fw_mode, not FW_MODE_NONE */
	uint32_t	 prune;		/* also remove ours not in ports */
	uint32_t	 nports;
	uint16_t	 ports[FWMSG_PORTS_MAX];	/* sorted, unique */
};

/* W -> P: IMSG_FW_RESULT */
struct fwmsg_result {
	int32_t		 err;		/* 0, or errno of the failure */
	uint32_t	 nchains;	/* chains managed: 0 is "none in use" */
	char		 chains[FWMSG_CHAINS_MAX][FWMSG_CHAIN_LEN];
	uint32_t	 added;		/* rules */
	uint32_t	 removed;
	uint32_t	 nports;	/* open in every chain after the change */
	uint16_t	 ports[FWMSG_PORTS_MAX];
	char		 msg[FWMSG_ERR_LEN];
};

#endif /* MOENET_FWMSG_H */
