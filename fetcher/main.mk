AGENT_SRCS+=	fetcher/fetcher.c \
		fetcher/http.c \
		fetcher/breaker.c \
		fetcher/cpcall.c
