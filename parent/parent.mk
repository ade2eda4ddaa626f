AGENT_SRCS+=	parent/moenet-agent.c \
		parent/config.c \
		parent/jdom.c
