REGRESS_PROGS+=	regress/imsg/imsg_test
REGRESS_TESTS+=	regress/imsg/imsg_test

regress/imsg/imsg_test: regress/imsg/imsg_test.o common/imsg.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
