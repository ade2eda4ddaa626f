AGENT_SRCS+=	birdctl/birdctl.c
