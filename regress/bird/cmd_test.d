regress/bird/cmd_test.o: regress/bird/cmd_test.c regress/regress.h \
 common/bird.h birdctl/birdcmd.h
regress/regress.h:
common/bird.h:
birdctl/birdcmd.h:
