regress/bird/parse_test.o: regress/bird/parse_test.c regress/regress.h \
 regress/bird/birddump.h
regress/regress.h:
regress/bird/birddump.h:
