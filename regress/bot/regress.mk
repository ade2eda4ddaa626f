# Copyright (c) 2026 The moenet-agent authors
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.

# The bot's network tools (tools*.sh drive a real agent).
REGRESS_PROGS+=	regress/bot/target_test regress/bot/dns_test
REGRESS_TESTS+=	regress/bot/target_test regress/bot/dns_test

regress/bot/target_test: regress/bot/target_test.o fetcher/target.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

regress/bot/dns_test: regress/bot/dns_test.o fetcher/dns.o fetcher/diagout.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
REGRESS_TESTS+=	regress/bot/tools.sh

# The bot's node API: parsers on real BIRD output (data_parse_test),
# the API against real routers (data.sh).
REGRESS_PROGS+=	regress/bot/data_parse_test
REGRESS_TESTS+=	regress/bot/data_parse_test regress/bot/data.sh

regress/bot/data_parse_test: regress/bot/data_parse_test.o \
    birdctl/birdroute.o fetcher/reqbody.o $(BIRD_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
