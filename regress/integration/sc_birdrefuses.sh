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
#
# Scenario 6, sourced by run.sh: a session that the renderer accepts and
# BIRD refuses.  Its ASN is r1's own: the renderer cannot know (in full
# mode the local AS lives in the operator's template), BIRD then makes
# it iBGP, multihop by default, and refuses multihop over a link-local
# neighbour.  The agent must report ERROR (modify 6) with BIRD's own
# message, leave no protocol and no peer file behind, keep refusing on
# retry, and touch no other session.  Then the CP deletes it.

scenario "6 birdrefuses: BIRD refuses one session, the others stay"
snapshot "$L/snap.refuse"
bird_says="Multihop BGP cannot be used with link-local addresses"
f=$(ifname 1)
cpstate add r1 "$(cat <<EOJ
{"uuid": "r1-self", "asn": $(asn 1), "status": 4, "type": "wireguard",
 "name": "r1 itself", "interface": "$f", "credential": "$(cat "$L/r2/pub")",
 "ipv6LinkLocal": "fe80::998:101:9:1", "port": 20019,
 "extensions": ["mp-bgp", "extended-nexthop"], "mtu": 1420}
EOJ
)"
expect it_birdrefuses_reported \
    "r1 to send modify 6 for r1-self with BIRD's \"$bird_says\"" \
    wait_for 40 cplog modified r1 r1-self 6 "$bird_says"
expect it_birdrefuses_names_file \
    "the lastError to name the peer file, line and column BIRD refused" \
    sh -c "python3 '$LAB_CP' '$L/cp.log' lasterror r1 r1-self 6 |
    grep -q '$f\\.conf:[0-9]*:[0-9]*'"
expect it_birdrefuses_no_protocol "no protocol $f in r1's BIRD" \
    not has_protocol 1 "$f"
expect it_birdrefuses_no_file "no $f.conf left in r1's peer dir" \
    test ! -e "$L/r1/peers/$f.conf"
expect it_birdrefuses_ctl \
    "moenetctl on r1: r1-self in error, last_error with BIRD's message" \
    wait_for 10 session_is 1 r1-self \
    's["state"] == "error" and "'"$bird_says"'" in s["last_error"]'
# It is retried (with backoff) and refused again, still alone.
m=$(log_lines 1)
expect it_birdrefuses_retried "r1 to try r1-self again, refused again" \
    wait_for 40 log_has 1 "$m" "r1-self.*$bird_says"
expect it_birdrefuses_others_established "every other session Established" \
    established_in "$L/snap.refuse"
no_flap it_birdrefuses_others_untouched "$L/snap.refuse"

cpstate set r1 r1-self status=5
expect it_birdrefuses_deleted "r1 to send modify 0 for r1-self" \
    wait_for 40 cplog modified r1 r1-self 0
expect it_birdrefuses_deleted_link "no interface $f on r1" \
    wait_for 10 not link_exists 1 "$f"
