REGRESS_TESTS+=	regress/config/run.sh
