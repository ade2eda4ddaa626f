#!/bin/busybox sh
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
# The guest's first stage, /init of the initramfs vm.sh builds: load
# what reaches the host's root over 9p, put a tmpfs overlay on it, give
# it fresh /proc, /sys, /dev and /run, and switch to init2.sh there.

/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
fail() {
	echo "vm init: $*" >/dev/ttyS0
	poweroff -f
}
for m in $(cat /mods.order); do
	insmod "/mods/$m.ko" || fail "insmod $m"
done
for x in $(cat /proc/cmdline); do
	case $x in
	vm.run=*) RUN=${x#vm.run=} ;;
	vm.rw=*) RW=${x#vm.rw=} ;;
	vm.moddir=*) MODDIR=${x#vm.moddir=} ;;
	esac
done
[ -n "$RUN" ] || fail "no vm.run on the command line"
R=/newroot
O9P=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o "$O9P,ro,cache=loose" hostroot /lower || fail "9p root"
mount -t tmpfs -o mode=755 tmpfs /ovl
mkdir /ovl/u /ovl/w
mount -t overlay -o lowerdir=/lower,upperdir=/ovl/u,workdir=/ovl/w \
    overlay $R || fail "overlay"
mount -t proc proc $R/proc
mount -t sysfs sys $R/sys
mount -t devtmpfs dev $R/dev
mkdir -p $R/dev/pts $R/dev/shm
# devtmpfs has none of these.
ln -s /proc/self/fd $R/dev/fd
ln -s fd/0 $R/dev/stdin
ln -s fd/1 $R/dev/stdout
ln -s fd/2 $R/dev/stderr
mount -t devpts -o newinstance,ptmxmode=0666 devpts $R/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $R/dev/shm
mount -t cgroup2 cgroup2 $R/sys/fs/cgroup
mount -t tmpfs -o mode=755 tmpfs $R/run
mkdir -p $R/run/vm $R/run/lock $R/tmp
cp /bin/busybox $R/run/vm/busybox
ln -s busybox $R/run/vm/modprobe
cp /stage2 $R/run/vm/init
mount -t 9p -o "$O9P,cache=none" vmrun "$R$RUN" || fail "9p $RUN"
for p in $(echo "$RW" | tr , ' '); do
	mount -t 9p -o "$O9P,cache=none" "${p%%=*}" "$R${p#*=}" ||
	    fail "9p ${p#*=}"
done
if [ -n "$MODDIR" ] && [ -d "$R$MODDIR" ]; then
	mkdir -p "$R/lib/modules/$(uname -r)"
	mount --bind "$R$MODDIR" "$R/lib/modules/$(uname -r)"
fi
exec switch_root $R /run/vm/init "$RUN"
