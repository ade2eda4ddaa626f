REGRESS_PROGS+=	regress/fetcher/breaker_test \
		regress/fetcher/fetch_drive
REGRESS_TESTS+=	regress/fetcher/breaker_test \
		regress/fetcher/cp_test.sh \
		regress/fetcher/bootstrap_test.sh

regress/fetcher/breaker_test: regress/fetcher/breaker_test.o \
    fetcher/breaker.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

regress/fetcher/fetch_drive: regress/fetcher/fetch_drive.o common/proc.o \
    common/imsg.o common/imsgev.o common/log.o common/util.o \
    common/sandbox.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
