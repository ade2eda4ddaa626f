AGENT_SRCS+=	fetcher/fetcher.c
