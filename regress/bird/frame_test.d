regress/bird/frame_test.o: regress/bird/frame_test.c regress/regress.h \
 common/bird.h birdctl/birdcmd.h birdctl/birdparse.h birdctl/birdproto.h \
 birdctl/birdproto.h regress/bird/birddump.h
regress/regress.h:
common/bird.h:
birdctl/birdcmd.h:
birdctl/birdparse.h:
birdctl/birdproto.h:
birdctl/birdproto.h:
regress/bird/birddump.h:
