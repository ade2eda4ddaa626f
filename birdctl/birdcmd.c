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
 * Typed BIRD commands to CLI lines.  Nothing from outside reaches the
 * BIRD grammar unchecked: protocol names are plain symbols, file names
 * are quoted strings with no way to close the quote early.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bird.h"
#include "birdcmd.h"

static const char *const cmd_names[] = {
	[BIRD_CMD_NONE] = "none",
	[BIRD_CMD_SHOW_STATUS] = "show status",
	[BIRD_CMD_SHOW_PROTOCOLS] = "show protocols",
	[BIRD_CMD_SHOW_PROTOCOLS_ALL] = "show protocols all",
	[BIRD_CMD_CONFIGURE_CHECK] = "configure check",
	[BIRD_CMD_CONFIGURE] = "configure",
	[BIRD_CMD_CONFIGURE_TIMEOUT] = "configure timeout",
	[BIRD_CMD_CONFIGURE_CONFIRM] = "configure confirm",
	[BIRD_CMD_CONFIGURE_UNDO] = "configure undo",
	[BIRD_CMD_ENABLE] = "enable",
	[BIRD_CMD_DISABLE] = "disable",
	[BIRD_CMD_RESTART] = "restart",
	[BIRD_CMD_SHOW_ROUTE_FOR] = "show route for",
	[BIRD_CMD_SHOW_ROUTE_COMMUNITIES] = "show route all primary"
};

const char *
bird_cmd_name(unsigned int type)
{
	if (type > BIRD_CMD_MAX)
		return "unknown";
	return cmd_names[type];
}

/*
 * A protocol name as BIRD's lexer reads a plain symbol: a letter or
 * underscore, then letters, digits, underscores.  "all" is a keyword
 * where a protocol pattern is expected ("disable all"), so it is never
 * a name.
 */
int
bird_cmd_valid_name(const char *name)
{
	size_t	i;

	if (name == NULL || name[0] == '\0')
		return 0;
	for (i = 0; name[i] != '\0'; i++) {
		if (i >= BIRD_NAME_MAX)
			return 0;
		if ((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= 'A' && name[i] <= 'Z') || name[i] == '_')
			continue;
		if (name[i] >= '0' && name[i] <= '9' && i > 0)
			continue;
		return 0;
	}
	if (strcasecmp(name, "all") == 0)
		return 0;
	return 1;
}

/*
 * An absolute path of printable ASCII that cannot end BIRD's quoted
 * string: no quote, no backslash (escape), no control characters.
 */
int
bird_cmd_valid_file(const char *file)
{
	size_t	i;

	if (file == NULL || file[0] != '/')
		return 0;
	for (i = 0; file[i] != '\0'; i++) {
		if (i >= BIRD_PATH_LEN - 1)
			return 0;
		if (file[i] < 0x20 || file[i] > 0x7e || file[i] == '"' ||
		    file[i] == '\\')
			return 0;
	}
	return 1;
}

/*
 * An address or prefix exactly as inet_ntop() writes it, with a prefix
 * length in range: the one spelling a lookup may reach BIRD in.
 */
int
bird_cmd_valid_target(const char *target)
{
	struct in6_addr	 a;
	char		 addr[BIRD_TARGET_LEN], back[INET6_ADDRSTRLEN];
	const char	*slash, *errstr;
	size_t		 n;
	int		 af, max;

	if (target == NULL || (n = strlen(target)) == 0 ||
	    n >= BIRD_TARGET_LEN)
		return 0;
	if ((slash = strchr(target, '/')) != NULL)
		n = slash - target;
	memcpy(addr, target, n);
	addr[n] = '\0';
	af = strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;
	max = af == AF_INET6 ? 128 : 32;
	if (inet_pton(af, addr, &a) != 1 ||
	    inet_ntop(af, &a, back, sizeof(back)) == NULL ||
	    strcmp(back, addr) != 0)
		return 0;
	if (slash != NULL) {
		/* Digits only, no sign, no leading zero. */
		if (slash[1] == '\0' || strspn(slash + 1, "0123456789") !=
		    strlen(slash + 1) || (slash[1] == '0' && slash[2] != '\0'))
			return 0;
		strtonum(slash + 1, 0, max, &errstr);
		if (errstr != NULL)
			return 0;
	}
	return 1;
}

/*
 * Write the CLI line for a command, newline included.  Returns its
 * length, or -1 with *why set when the command is refused.
 */
int
bird_cmd_format(const struct bird_cmd_msg *cmd, char *buf, size_t len,
    const char **why)
{
	const char	*dummy;
	char		 name[BIRD_NAME_LEN], file[BIRD_PATH_LEN];
	int		 n;

	if (why == NULL)
		why = &dummy;
	*why = NULL;
	/* The record may come off the wire: never trust its termination. */
	if (memchr(cmd->name, '\0', sizeof(cmd->name)) == NULL ||
	    memchr(cmd->file, '\0', sizeof(cmd->file)) == NULL ||
	    memchr(cmd->target, '\0', sizeof(cmd->target)) == NULL) {
		*why = "unterminated argument";
		return -1;
	}
	strlcpy(name, cmd->name, sizeof(name));
	strlcpy(file, cmd->file, sizeof(file));

	if (name[0] != '\0' && !bird_cmd_valid_name(name)) {
		*why = "invalid protocol name";
		return -1;
	}
	if (file[0] != '\0' && !bird_cmd_valid_file(file)) {
		*why = "invalid file name";
		return -1;
	}
	if (cmd->target[0] != '\0' && (cmd->type != BIRD_CMD_SHOW_ROUTE_FOR ||
	    !bird_cmd_valid_target(cmd->target))) {
		*why = "invalid target";
		return -1;
	}

	switch (cmd->type) {
	case BIRD_CMD_SHOW_STATUS:
	case BIRD_CMD_SHOW_PROTOCOLS:
	case BIRD_CMD_CONFIGURE:
	case BIRD_CMD_CONFIGURE_CONFIRM:
	case BIRD_CMD_CONFIGURE_UNDO:
		if (name[0] != '\0' || file[0] != '\0') {
			*why = "command takes no argument";
			return -1;
		}
		n = snprintf(buf, len, "%s\n", cmd_names[cmd->type]);
		break;
	case BIRD_CMD_SHOW_PROTOCOLS_ALL:
		if (file[0] != '\0') {
			*why = "command takes no file";
			return -1;
		}
		if (name[0] == '\0')
			n = snprintf(buf, len, "show protocols all\n");
		else
			n = snprintf(buf, len, "show protocols all %s\n",
			    name);
		break;
	case BIRD_CMD_CONFIGURE_CHECK:
		if (name[0] != '\0') {
			*why = "command takes no protocol";
			return -1;
		}
		if (file[0] == '\0')
			n = snprintf(buf, len, "configure check\n");
		else
			n = snprintf(buf, len, "configure check \"%s\"\n",
			    file);
		break;
	case BIRD_CMD_CONFIGURE_TIMEOUT:
		if (name[0] != '\0' || file[0] != '\0') {
			*why = "command takes no argument";
			return -1;
		}
		if (cmd->timeout < 1 || cmd->timeout > BIRD_TIMEOUT_MAX) {
			*why = "timeout out of range";
			return -1;
		}
		n = snprintf(buf, len, "configure timeout %u\n",
		    cmd->timeout);
		break;
	case BIRD_CMD_ENABLE:
	case BIRD_CMD_DISABLE:
	case BIRD_CMD_RESTART:
		if (name[0] == '\0' || file[0] != '\0') {
			*why = "command needs a protocol name only";
			return -1;
		}
		n = snprintf(buf, len, "%s %s\n", cmd_names[cmd->type], name);
		break;
	case BIRD_CMD_SHOW_ROUTE_FOR:
		if (name[0] != '\0' || file[0] != '\0' ||
		    cmd->target[0] == '\0') {
			*why = "command needs a target only";
			return -1;
		}
		n = snprintf(buf, len, "show route for %s all\n",
		    cmd->target);
		break;
	case BIRD_CMD_SHOW_ROUTE_COMMUNITIES:
		if (name[0] != '\0' || file[0] != '\0') {
			*why = "command takes no argument";
			return -1;
		}
		n = snprintf(buf, len, "show route all primary\n");
		break;
	default:
		*why = "unknown command";
		return -1;
	}
	if (n < 0 || (size_t)n >= len) {
		*why = "line buffer too small";
		return -1;
	}
	return n;
}
