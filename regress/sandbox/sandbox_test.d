regress/sandbox/sandbox_test.o: regress/sandbox/sandbox_test.c \
 common/moenet.h common/log.h common/sandbox.h common/moenet.h \
 regress/regress.h
common/moenet.h:
common/log.h:
common/sandbox.h:
common/moenet.h:
regress/regress.h:
