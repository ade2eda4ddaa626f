regress/imsg/imsg_test.o: regress/imsg/imsg_test.c common/imsg.h \
 regress/regress.h
common/imsg.h:
regress/regress.h:
