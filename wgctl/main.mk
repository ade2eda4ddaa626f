AGENT_SRCS+=	wgctl/wgctl.c
