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
#include <sys/tree.h>
#include <sys/un.h>

#include <errno.h>
#include <event.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "moenet.h"
#include "parent/core/parent.h"
#include "parent/core/session.h"
#include "parent/core/status.h"
#include "parent/outputs/sdnotify.h"

#define SDNOTIFY_STATUS_INTERVAL	10	/* seconds, at most */

static struct sockaddr_un	 sd_sun;
static socklen_t		 sd_sunlen;
static struct event		 sd_ev;
static uint64_t			 sd_watchdog_usec;
static char			 sd_last_status[256];
static int			 sd_fd = -1;
static int			 sd_ready;

static void	sdnotify_tick(int, short, void *);
static int	sdnotify_healthy(char *, size_t);
static void	sdnotify_status(int);

/*
 * Reads and removes the variables: nothing started later (children,
 * helpers) should think it may notify or owes a watchdog.
 */
void
sdnotify_init(void)
{
	const char	*path, *usec, *wpid, *errstr;
	long long	 n;
	size_t		 len;

	path = getenv("NOTIFY_SOCKET");
	usec = getenv("WATCHDOG_USEC");
	wpid = getenv("WATCHDOG_PID");

	if (usec != NULL) {
		n = strtonum(usec, 1, LLONG_MAX, &errstr);
		if (errstr != NULL)
			log_warnx("WATCHDOG_USEC %s: %s, no watchdog", usec,
			    errstr);
		else
			sd_watchdog_usec = n;
	}
	/* The watchdog belongs to the pid it names, if it names one. */
	if (wpid != NULL && sd_watchdog_usec != 0) {
		n = strtonum(wpid, 1, INT32_MAX, &errstr);
		if (errstr != NULL || n != getpid())
			sd_watchdog_usec = 0;
	}

	if (path != NULL && *path != '\0') {
		memset(&sd_sun, 0, sizeof(sd_sun));
		sd_sun.sun_family = AF_UNIX;
		len = strlen(path);
		if ((path[0] != '/' && path[0] != '@') ||
		    len >= sizeof(sd_sun.sun_path))
			log_warnx("NOTIFY_SOCKET %s: not a socket path, "
			    "ignored", path);
		else if ((sd_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC,
		    0)) == -1)
			log_warn("%s: socket", __func__);
		else {
			memcpy(sd_sun.sun_path, path, len);
			/* Abstract: a leading NUL, and no trailing one. */
			if (path[0] == '@')
				sd_sun.sun_path[0] = '\0';
			sd_sunlen = offsetof(struct sockaddr_un, sun_path) +
			    len + (path[0] == '@' ? 0 : 1);
		}
	}
	if (sd_fd == -1)
		sd_watchdog_usec = 0;

	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
}

int
sdnotify(const char *fmt, ...)
{
	char	 buf[1024];
	va_list	 ap;
	int	 len;

	if (sd_fd == -1)
		return 0;
	va_start(ap, fmt);
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(buf)) {
		log_warnx("%s: message too long", __func__);
		return -1;
	}
	if (sendto(sd_fd, buf, len, MSG_NOSIGNAL,
	    (struct sockaddr *)&sd_sun, sd_sunlen) == -1) {
		log_debug("%s: sendto: %s", __func__, strerror(errno));
		return -1;
	}
	return 0;
}

/* After event_init(): the timer for STATUS= and WATCHDOG=1. */
void
sdnotify_start(void)
{
	if (sd_fd == -1)
		return;
	evtimer_set(&sd_ev, sdnotify_tick, NULL);
}

void
sdnotify_ready(void)
{
	sd_ready = 1;
	sdnotify_status(1);
	sdnotify("READY=1");
	sdnotify_tick(0, 0, NULL);
}

void
sdnotify_reloading(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	sdnotify("RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL + ts.tv_nsec / 1000);
}

/* A reload is over; READY=1 waits for the children if they are not up. */
void
sdnotify_reloaded(void)
{
	if (!sd_ready)
		return;
	sdnotify_status(1);
	sdnotify("READY=1");
}

void
sdnotify_stopping(void)
{
	sdnotify("STOPPING=1\nSTATUS=stopping; tunnels and BGP sessions "
	    "stay up");
}

static void
sdnotify_tick(int fd, short event, void *arg)
{
	struct timeval	 tv;
	uint64_t	 usec = SDNOTIFY_STATUS_INTERVAL * 1000000ULL;
	char		 why[128];

	if (sd_fd == -1 || !sd_ready)
		return;
	/* Silence is the message: systemd restarts a hung agent. */
	if (sd_watchdog_usec != 0) {
		if (sdnotify_healthy(why, sizeof(why)))
			sdnotify("WATCHDOG=1");
		else {
			log_warnx("%s, watchdog withheld", why);
			sdnotify("STATUS=%s, watchdog withheld", why);
		}
		if (sd_watchdog_usec / 2 < usec)
			usec = sd_watchdog_usec / 2;
	}
	sdnotify_status(0);
	tv.tv_sec = usec / 1000000;
	tv.tv_usec = usec % 1000000;
	evtimer_add(&sd_ev, &tv);
}

/* Every child said HELLO and answered a recent ping. */
static int
sdnotify_healthy(char *why, size_t len)
{
	struct status_snapshot	 st;

	status_take(&st);
	if (st.healthy)
		return 1;
	if (!st.children[st.unwell].ready)
		snprintf(why, len, "child %s not started",
		    proc_names[st.unwell]);
	else
		snprintf(why, len, "child %s silent for %lld seconds",
		    proc_names[st.unwell],
		    (long long)st.children[st.unwell].pong_age);
	return 0;
}

/* STATUS= for systemctl status; sent when it changed, or if forced. */
static void
sdnotify_status(int force)
{
	struct status_snapshot	 st;
	char			 buf[sizeof(sd_last_status)];
	const char		*sep = ": ";
	size_t			 len;
	int			 i;

	status_take(&st);
	len = snprintf(buf, sizeof(buf), "%u children up, %u session%s",
	    st.children_up, st.nsessions, st.nsessions == 1 ? "" : "s");
	for (i = 0; i <= SESSION_STATE_MAX && len < sizeof(buf); i++) {
		if (st.nstate[i] == 0)
			continue;
		len += snprintf(buf + len, sizeof(buf) - len, "%s%u %s", sep,
		    st.nstate[i], session_state_name(i));
		sep = ", ";
	}
	/* While the watchdog is withheld, its reason stays the status. */
	if (sd_watchdog_usec != 0 && !st.healthy) {
		sd_last_status[0] = '\0';
		return;
	}
	if (!force && strcmp(buf, sd_last_status) == 0)
		return;
	strlcpy(sd_last_status, buf, sizeof(sd_last_status));
	sdnotify("STATUS=%s", buf);
}
