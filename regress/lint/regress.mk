REGRESS_TESTS+=	regress/lint/run.sh
