# Shared by the agent and the unit tests.
COMMON_SRCS=	common/log.c \
		common/imsg.c \
		common/util.c

AGENT_SRCS+=	$(COMMON_SRCS) \
		common/imsgev.c \
		common/proc.c \
		common/sandbox.c
