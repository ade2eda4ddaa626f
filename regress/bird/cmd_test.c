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

/* Command formatter: exact lines, and names/files that must be refused. */

#include <sys/types.h>

#include <stdio.h>
#include <string.h>

#include "regress/regress.h"
#include "bird.h"
#include "birdctl/birdcmd.h"

static int	fmt(int, const char *, const char *, unsigned int, char *,
		    size_t);

static int
fmt(int type, const char *name, const char *file, unsigned int timeout,
    char *buf, size_t len)
{
	struct bird_cmd_msg	cmd;

	memset(&cmd, 0, sizeof(cmd));
	cmd.type = type;
	cmd.timeout = timeout;
	if (name != NULL)
		strlcpy(cmd.name, name, sizeof(cmd.name));
	if (file != NULL)
		strlcpy(cmd.file, file, sizeof(cmd.file));
	return bird_cmd_format(&cmd, buf, len, NULL);
}

int
main(void)
{
	static const struct {
		int		 type;
		const char	*name, *file;
		unsigned int	 timeout;
		const char	*line;
	} good[] = {
		{ BIRD_CMD_SHOW_STATUS, NULL, NULL, 0, "show status\n" },
		{ BIRD_CMD_SHOW_PROTOCOLS, NULL, NULL, 0, "show protocols\n" },
		{ BIRD_CMD_SHOW_PROTOCOLS_ALL, NULL, NULL, 0,
		    "show protocols all\n" },
		{ BIRD_CMD_SHOW_PROTOCOLS_ALL, "dn42_4242420001", NULL, 0,
		    "show protocols all dn42_4242420001\n" },
		{ BIRD_CMD_CONFIGURE_CHECK, NULL, NULL, 0,
		    "configure check\n" },
		{ BIRD_CMD_CONFIGURE_CHECK, NULL, "/etc/bird/bird.conf", 0,
		    "configure check \"/etc/bird/bird.conf\"\n" },
		{ BIRD_CMD_CONFIGURE, NULL, NULL, 0, "configure\n" },
		{ BIRD_CMD_CONFIGURE_TIMEOUT, NULL, NULL, 120,
		    "configure timeout 120\n" },
		{ BIRD_CMD_CONFIGURE_CONFIRM, NULL, NULL, 0,
		    "configure confirm\n" },
		{ BIRD_CMD_CONFIGURE_UNDO, NULL, NULL, 0, "configure undo\n" },
		{ BIRD_CMD_ENABLE, "peer_wg0", NULL, 0, "enable peer_wg0\n" },
		{ BIRD_CMD_DISABLE, "_x1", NULL, 0, "disable _x1\n" },
		{ BIRD_CMD_RESTART, "ibgp_3", NULL, 0, "restart ibgp_3\n" }
	};
	static const struct {
		int		 type;
		const char	*name, *file;
		unsigned int	 timeout;
		const char	*why;
	} bad[] = {
		{ BIRD_CMD_ENABLE, NULL, NULL, 0, "enable without name" },
		{ BIRD_CMD_ENABLE, "all", NULL, 0, "enable all" },
		{ BIRD_CMD_DISABLE, "ALL", NULL, 0, "disable ALL" },
		{ BIRD_CMD_DISABLE, "peer-1", NULL, 0, "dash in name" },
		{ BIRD_CMD_DISABLE, "peer 1", NULL, 0, "blank in name" },
		{ BIRD_CMD_DISABLE, "p;configure", NULL, 0, "semicolon" },
		{ BIRD_CMD_DISABLE, "p\nconfigure", NULL, 0, "newline" },
		{ BIRD_CMD_DISABLE, "1peer", NULL, 0, "leading digit" },
		{ BIRD_CMD_DISABLE, "p\xc3\xa9", NULL, 0, "non-ASCII" },
		{ BIRD_CMD_RESTART, "\"peer\"", NULL, 0, "quoted name" },
		{ BIRD_CMD_SHOW_PROTOCOLS_ALL, "a*", NULL, 0, "pattern" },
		{ BIRD_CMD_SHOW_STATUS, "x", NULL, 0, "name on status" },
		{ BIRD_CMD_CONFIGURE, NULL, "/etc/bird.conf", 0,
		    "file on configure" },
		{ BIRD_CMD_CONFIGURE_CHECK, NULL, "/a\"b", 0, "quote" },
		{ BIRD_CMD_CONFIGURE_CHECK, NULL, "/a\nb", 0, "newline file" },
		{ BIRD_CMD_CONFIGURE_CHECK, NULL, "/a\\\"", 0, "backslash" },
		{ BIRD_CMD_CONFIGURE_CHECK, NULL, "etc/bird.conf", 0,
		    "relative file" },
		{ BIRD_CMD_CONFIGURE_CHECK, NULL, "/a\tb", 0, "tab in file" },
		{ BIRD_CMD_CONFIGURE_TIMEOUT, NULL, NULL, 0, "timeout 0" },
		{ BIRD_CMD_CONFIGURE_TIMEOUT, NULL, NULL, BIRD_TIMEOUT_MAX + 1,
		    "timeout too big" },
		{ BIRD_CMD_NONE, NULL, NULL, 0, "no command" },
		{ BIRD_CMD_MAX + 1, NULL, NULL, 0, "out of range command" }
	};
	struct bird_cmd_msg	 cmd;
	char			 buf[BIRD_CMD_LINE_MAX], name[80], longname[70];
	char			 longfile[BIRD_PATH_LEN + 8];
	size_t			 i;
	int			 n;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(name, sizeof(name), "format %s",
		    bird_cmd_name(good[i].type));
		n = fmt(good[i].type, good[i].name, good[i].file,
		    good[i].timeout, buf, sizeof(buf));
		if (n < 0)
			REGRESS_FAIL(name, "refused");
		else if (strcmp(buf, good[i].line) != 0 ||
		    (size_t)n != strlen(good[i].line))
			REGRESS_FAIL(name, "got \"%s\"", buf);
		else
			REGRESS_OK(name);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(name, sizeof(name), "refuse %s", bad[i].why);
		n = fmt(bad[i].type, bad[i].name, bad[i].file,
		    bad[i].timeout, buf, sizeof(buf));
		REGRESS_CHECK(name, n == -1);
	}

	/* 64 bytes is the longest name, 65 is refused. */
	memset(longname, 'a', 64);
	longname[64] = '\0';
	REGRESS_CHECK("name of 64 bytes", bird_cmd_valid_name(longname));
	longname[64] = 'a';
	longname[65] = '\0';
	REGRESS_CHECK("name of 65 bytes", !bird_cmd_valid_name(longname));
	REGRESS_CHECK("empty name", !bird_cmd_valid_name(""));

	longfile[0] = '/';
	memset(longfile + 1, 'f', BIRD_PATH_LEN - 2);
	longfile[BIRD_PATH_LEN - 1] = '\0';
	REGRESS_CHECK("file of 255 bytes", bird_cmd_valid_file(longfile));
	longfile[BIRD_PATH_LEN - 1] = 'f';
	longfile[BIRD_PATH_LEN] = '\0';
	REGRESS_CHECK("file of 256 bytes", !bird_cmd_valid_file(longfile));

	/* A record off the wire with no NUL in its name. */
	memset(&cmd, 0, sizeof(cmd));
	cmd.type = BIRD_CMD_ENABLE;
	memset(cmd.name, 'a', sizeof(cmd.name));
	REGRESS_CHECK("unterminated name",
	    bird_cmd_format(&cmd, buf, sizeof(buf), NULL) == -1);

	/* Too small a buffer is refused, not truncated. */
	REGRESS_CHECK("small buffer", fmt(BIRD_CMD_SHOW_STATUS, NULL, NULL,
	    0, buf, 5) == -1);
	REGRESS_EXIT();
}
