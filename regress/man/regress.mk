REGRESS_TESTS+=	regress/man/run.sh
