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

# The operator's surfaces: moenetctl's output layer (output.sh), how
# show session finds a session (find_test), the
# control socket against the real agent (run.sh, root) and in the
# engine's lab with BIRD and WireGuard (lab.sh, root), the actions
# restart, disable, enable, sync -w, show plan, reload there (act.sh,
# root) and on iBGP in the mesh lab (actibgp.sh, root), sd_notify
# (notify.sh, root), the systemd unit and the rc script (service.sh).
REGRESS_PROGS+=	regress/ctl/output_test regress/ctl/find_test
REGRESS_TESTS+=	regress/ctl/output.sh \
		regress/ctl/find_test \
		regress/ctl/run.sh \
		regress/ctl/lab.sh \
		regress/ctl/act.sh \
		regress/ctl/actibgp.sh \
		regress/ctl/notify.sh \
		regress/ctl/service.sh

regress/ctl/output_test: regress/ctl/output_test.o parent/outputs/ctl_output.o \
    parent/outputs/ctl_sessions.o parent/outputs/ctl_text.o \
    parent/outputs/ctl_json.o parent/outputs/ctl_err.o parent/core/jw.o common/log.o \
    parent/core/session_find.o parent/core/session.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

regress/ctl/find_test: regress/ctl/find_test.o parent/core/session_find.o \
    parent/core/session.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
