AGENT_SRCS+=	parent/moenet-agent.c \
		parent/config.c \
		parent/jdom.c \
		parent/cpclient.c \
		parent/bird.c \
		parent/apply.c \
		parent/wg.c \
		parent/session.c \
		parent/statefile.c \
		parent/bootstrap.c \
		parent/engine.c \
		parent/state.c \
		parent/tasks.c

# The control socket, moenetctl (this binary under another name, a
# symlink in the build tree as in an installed one), sd_notify.
AGENT_SRCS+=	parent/control.c \
		parent/ctl_output.c \
		parent/moenetctl.c \
		parent/sdnotify.c
CLEANFILES+=	moenetctl

all: moenetctl

moenetctl: moenet-agent
	ln -sf moenet-agent $@
