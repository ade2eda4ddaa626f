AGENT_SRCS+=	fetcher/fetcher.c \
		fetcher/http.c \
		fetcher/breaker.c \
		fetcher/cpcall.c \
		fetcher/rtt.c

# The local HTTP API, served from the parent's snapshots.
AGENT_SRCS+=	fetcher/httpd.c
