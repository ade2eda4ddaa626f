REGRESS_TESTS+=	regress/engine/lifecycle.sh regress/engine/birddown.sh
