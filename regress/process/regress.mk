REGRESS_TESTS+=	regress/process/run.sh
