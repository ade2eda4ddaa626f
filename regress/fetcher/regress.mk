REGRESS_PROGS+=	regress/fetcher/breaker_test
REGRESS_TESTS+=	regress/fetcher/breaker_test

regress/fetcher/breaker_test: regress/fetcher/breaker_test.o \
    fetcher/breaker.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
