regress/render/render_test.o: regress/render/render_test.c \
 parent/render.h common/cp.h regress/regress.h
parent/render.h:
common/cp.h:
regress/regress.h:
