REGRESS_TESTS+=	regress/engine/lifecycle.sh
