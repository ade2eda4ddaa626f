REGRESS_PROGS+=	regress/sandbox/sandbox_test
REGRESS_TESTS+=	regress/sandbox/sandbox_test

regress/sandbox/sandbox_test: regress/sandbox/sandbox_test.o \
    common/sandbox.o common/log.o common/util.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
