#!/bin/sh
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
# The agent as built, run from the build tree with no bird.templateDir,
# in the engine lab (real BIRD, wireguard-go, the fake control plane):
# the built-in templates render the session and BGP comes up.  Before
# that, a templateDir that does not exist: the session is reported as a
# problem, and the log names the missing file.

LAB_NAME=render_builtin
. "$(dirname "$0")/../engine/lab.sh"

BAD=/nonexistent/moenet-templates-$$
sed "s|\"templateDir\": \"$TOP/templates\"|\"templateDir\": \"$BAD\"|" \
    "$L/a/agent.json" >"$L/a/bad.json"
sed "s|, \"templateDir\": \"$TOP/templates\"||" \
    "$L/a/agent.json" >"$L/a/builtin.json"
chmod 600 "$L/a/bad.json" "$L/a/builtin.json"
if grep -q templateDir "$L/a/builtin.json" ||
    ! grep -q "$BAD" "$L/a/bad.json"; then
	fail render_builtin_setup "the lab's config changed: templateDir"
	finish
fi

start_agent "$L/a/bad.json"
check render_override_missing_reported wait_for 60 modified s1 6
check render_override_missing_logged grep -q \
    "$BAD/ebgp_peer.conf.in: No such file or directory" "$L/a/agent.log"
check render_override_missing_no_file test ! -f \
    "$L/a/peers/dn42_4242420002.conf"
stop_agent
mv "$L/a/agent.log" "$L/a/agent-bad.log"

start_agent "$L/a/builtin.json"
check render_builtin_reported_active wait_for 60 modified s1 2
check render_builtin_peer_file test -f "$L/a/peers/dn42_4242420002.conf"
check render_builtin_bgp_established wait_for 60 established \
    dn42_4242420002
check render_builtin_no_template_error sh -c "! grep -q \
    'cannot be rendered' '$L/a/agent.log'"
stop_agent
[ "$failures" -gt 0 ] && tail -40 "$L/a/agent.log"
finish
