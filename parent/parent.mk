AGENT_SRCS+=	parent/moenet-agent.c \
		parent/config.c \
		parent/jdom.c \
		parent/cp.c \
		parent/bird.c \
		parent/wg.c \
		parent/session.c
