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

# moenet-agent: GNU make.  Each directory lists its sources in its own
# *.mk file; regress/<area>/regress.mk adds that area's tests.

PROG=		moenet-agent
CTL=		moenetctl
VERSION=	0.1.0

PREFIX?=	/usr/local
SBINDIR?=	$(PREFIX)/sbin
MANDIR?=	$(PREFIX)/share/man
DATADIR?=	$(PREFIX)/share/moenet-agent
SYSCONFDIR?=	/etc
DESTDIR?=

CC?=		cc
PKG_CONFIG?=	pkg-config
PKGS=		libevent libcurl yajl libmnl libbsd-overlay libmd libseccomp \
		libcap-ng

WARNFLAGS=	-Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
		-Wmissing-declarations -Wshadow -Wpointer-arith -Wcast-qual \
		-Wsign-compare -Wformat=2 -Wno-unused-parameter
HARDFLAGS=	-fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE \
		-fno-strict-aliasing
CFLAGS?=	-O2 -g
CFLAGS+=	-std=gnu11 -D_GNU_SOURCE $(WARNFLAGS) $(HARDFLAGS) \
		-DMOENET_VERSION=\"$(VERSION)\" -I. -Icommon -Iregress
PKG_CFLAGS:=	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS:=	$(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CFLAGS+=	$(PKG_CFLAGS)
LDFLAGS+=	-pie -Wl,-z,relro,-z,now
LDLIBS+=	$(PKG_LIBS)

.DEFAULT_GOAL:=	all

# Filled in by the *.mk files below.
AGENT_SRCS=
REGRESS_PROGS=
REGRESS_TESTS=
CLEANFILES=

include common/common.mk
include $(wildcard parent/*.mk parent/*/*.mk fetcher/*.mk birdctl/*.mk wgctl/*.mk)
include $(wildcard regress/*/regress.mk)
# The VM tests start first and are collected last (regress/vm/regress.mk).
REGRESS_TESTS:=	$(REGRESS_VM_FIRST) $(REGRESS_TESTS) $(REGRESS_VM_LAST)

AGENT_OBJS=	$(AGENT_SRCS:.c=.o)
COMMON_OBJS=	$(COMMON_SRCS:.c=.o)

# Debian packages the build, the tests and the demo need (the last line:
# to build the vendored BIRD 3, regress/bird3.sh; qemu-system-x86 for
# regress/vm, which downloads Debian's kernel itself).
DEPS_PKGS=	build-essential pkg-config libevent-dev libcurl4-openssl-dev \
		libyajl-dev libmnl-dev libbsd-dev libmd-dev libseccomp-dev \
		libcap-ng-dev \
		bird2 wireguard-tools wireguard-go iproute2 iputils-ping socat \
		iptables nftables \
		mandoc cppcheck clang python3 openssl curl procps prometheus \
		libcap2-bin debootstrap \
		bison flex m4 autoconf libncurses-dev libreadline-dev libssh-dev \
		qemu-system-x86

.PHONY: all deps user check regress install lint clean demo fuzz release \
		bench bench-kernel

all: $(PROG)

$(PROG): $(AGENT_OBJS)
	$(CC) $(LDFLAGS) -o $@ $(AGENT_OBJS) $(LDLIBS)

%.o: %.c
	@echo "CC $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

# The release: one file that starts on Debian 12 with only what the
# control plane's bootstrap script installs there (wireguard-tools,
# iptables-persistent, curl) and bird2.  Those bring libcurl, libmnl,
# libmd, libseccomp and libcap-ng (regress/release/run.sh proves it in
# a debootstrap minbase root); libevent, yajl and libbsd are not there
# and go in statically.  glibc stays shared: a static one breaks
# getaddrinfo and NSS.  Same objects, so the same hardening flags.
RELEASE_ARCH:=	$(shell dpkg --print-architecture 2>/dev/null || echo amd64)
RELEASE=	$(PROG)-linux-$(RELEASE_ARCH)
RELEASE_LIBS:=	-l:libevent.a -l:libyajl_s.a -l:libbsd.a -Wl,--as-needed \
		$(shell $(PKG_CONFIG) --libs libcurl libmnl libmd libseccomp \
		libcap-ng 2>/dev/null)
# What the release may ask the dynamic linker for; anything else fails
# the build rather than a router.
RELEASE_NEEDED=	libcurl.so.4 libmnl.so.0 libmd.so.0 libseccomp.so.2 \
		libcap-ng.so.0 libc.so.6 ld-linux-x86-64.so.2
CLEANFILES+=	$(RELEASE) $(RELEASE).sha256

release: $(RELEASE).sha256

$(RELEASE): $(AGENT_OBJS)
	$(CC) $(LDFLAGS) -s -o $@.tmp $(AGENT_OBJS) $(RELEASE_LIBS)
	@bad=$$(readelf -d $@.tmp | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | \
	    grep -vxF "$$(printf '%s\n' $(RELEASE_NEEDED))"); \
	if [ -n "$$bad" ]; then \
		echo "$@: would need" $$bad "(not on the target)" >&2; \
		rm -f $@.tmp; exit 1; \
	fi
	mv $@.tmp $@

$(RELEASE).sha256: $(RELEASE)
	sha256sum $(RELEASE) >$@.tmp && mv $@.tmp $@

-include $(AGENT_OBJS:.o=.d) $(COMMON_OBJS:.o=.d) $(wildcard regress/*.d \
    regress/*/*.d)

deps:
	@missing=""; for p in $(DEPS_PKGS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
		    grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq \
		    --no-install-recommends $$missing; \
	fi

regress: all $(REGRESS_PROGS)
	@sh regress/run.sh $(REGRESS_TESTS)

# The sandbox drops children to this user: tests that run the agent as
# root need it, as an installed agent does.
user:
	@if [ "$$(id -u)" = 0 ] && ! getent passwd _moenet >/dev/null; then \
		useradd --system --no-create-home --home-dir /nonexistent \
		    --shell /usr/sbin/nologin _moenet; \
	fi

check: deps user
	@$(MAKE) --no-print-directory regress

# The benchmark (bench/README.md), not part of check: BENCH_N (10 100
# 300 1000), BENCH_RUNS (1); the figures go to bench/results.json.
bench: all
	@python3 bench/bench.py

# The same with kernel WireGuard, in the VM of regress/vm (smaller N).
bench-kernel: all
	@sh bench/kernel.sh

# Root first: without it the demo explains what it needs before apt-get
# fails on its own terms.  The build is a make of its own: pkg-config's
# flags are read when make starts, before deps has installed anything.
demo:
	@sh regress/demo/demo.sh check-root
	@$(MAKE) --no-print-directory deps user
	@$(MAKE) --no-print-directory all
	@sh regress/demo/demo.sh

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSCONFDIR)/moenet-agent \
	    $(DESTDIR)$(DATADIR)/templates
	install -m 0644 templates/*.in $(DESTDIR)$(DATADIR)/templates/
	install -m 0755 $(PROG) $(DESTDIR)$(SBINDIR)/$(PROG)
	ln -sf $(PROG) $(DESTDIR)$(SBINDIR)/$(CTL)
	install -m 0644 man/moenet-agent.8 $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 man/moenet-agent.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 man/moenetctl.8 $(DESTDIR)$(MANDIR)/man8/
	install -d $(DESTDIR)$(DATADIR)/examples
	sed 's,/usr/local/sbin,$(SBINDIR),g' etc/moenet-agent.service \
	    >$(DESTDIR)$(DATADIR)/examples/moenet-agent.service
	sed 's,/usr/local/sbin,$(SBINDIR),g' etc/moenet-agent.init \
	    >$(DESTDIR)$(DATADIR)/examples/moenet-agent.init
	chmod 0755 $(DESTDIR)$(DATADIR)/examples/moenet-agent.init
	install -m 0644 etc/moenet-agent.tmpfiles \
	    $(DESTDIR)$(DATADIR)/examples/
	install -m 0644 etc/examples/full.json etc/examples/bootstrap.json \
	    etc/examples/cp-script.json $(DESTDIR)$(DATADIR)/examples/
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then \
		$(MAKE) --no-print-directory user; \
		install -d -m 0700 -o root -g root /var/lib/moenet-agent; \
		install -d -m 0755 -o root -g root /run/moenet-agent; \
	fi

# The parent's layers (parent/README) are read from the objects' symbol
# tables: the build comes first.
lint: $(AGENT_OBJS)
	mandoc -Tlint -Wwarning man/*.[58]
	python3 regress/lint/layers.py
	cppcheck --quiet --error-exitcode=1 --std=c11 \
	    --suppress=missingIncludeSystem --inline-suppr -I . -I common \
	    --include=/usr/include/bsd/sys/queue.h \
	    --include=/usr/include/bsd/sys/tree.h \
	    $(AGENT_SRCS)

clean:
	rm -rf $(SAN_DIR)
	rm -f $(PROG) $(AGENT_OBJS) $(AGENT_OBJS:.o=.d) $(REGRESS_PROGS) \
	    $(CLEANFILES)
	find . -name '*.o' -o -name '*.d' | xargs rm -f
