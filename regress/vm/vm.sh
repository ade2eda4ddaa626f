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
# vm.sh: runs a command under Debian's own kernel in a throw-away QEMU
# guest that reuses this machine's userspace, for what this machine's
# kernel lacks (WireGuard, dummy) and what no container has (systemd as
# PID 1).  The host's / is shared read-only over 9p with a tmpfs overlay
# on top, so the guest runs the host's binaries, and forgets its writes.
#
#	vm.sh [-s] CMD [ARG ...]
#
# CMD runs as root in the guest, in the same directory, with the
# caller's exported environment and stdin from /dev/null; its stdout and
# stderr come back on ours and its exit status is ours.  With -s the
# guest boots /lib/systemd/systemd as PID 1 and CMD runs in a unit of
# its own once the system is up (systemd-tmpfiles empties /tmp at boot:
# run CMD from elsewhere).  VM_RW (directories, colon separated)
# are shared read-write at the same path.
#
# Exits 77 after printing the reason on stdout where QEMU or the kernel
# cannot be had, 125 where the guest gave no exit status (the tail of
# its console follows on stderr).  The set-up (qemu-system-x86 from apt,
# the kernel and busybox-static packages downloaded, never installed,
# into VM_CACHE) runs once per machine, under a lock.  Boot and command
# times go to stderr as "# vm: ..." lines.
#
# VM_CACHE (/var/cache/moenet-agent-test/vm), VM_ACCEL (auto, kvm or
# tcg), VM_MEM (768M), VM_TIMEOUT (1500 s), VM_MODULES (loaded before
# CMD; the rest load on demand), VM_VERBOSE=1 (the console on stderr).

VM_CACHE=${VM_CACHE:-/var/cache/moenet-agent-test/vm}
VM_ACCEL=${VM_ACCEL:-auto}
VM_MEM=${VM_MEM:-768M}
VM_TIMEOUT=${VM_TIMEOUT:-1500}
VM_MODULES=${VM_MODULES-wireguard veth}
VM_RW=${VM_RW:-}
VM_VERBOSE=${VM_VERBOSE:-0}

# The modules that must be in the initramfs to reach the 9p root.
BOOT_MODS="virtio_pci virtio_console 9pnet_virtio 9p overlay"

unavailable() { echo "$*"; exit 77; }
die() { echo "vm: $*" >&2; exit 125; }

kver() { ls "$VM_CACHE/kernel/lib/modules" 2>/dev/null | head -n 1; }

ready() {
	[ -s "$VM_CACHE/initramfs.cpio" ] && [ -n "$(kver)" ] &&
	    command -v qemu-system-x86_64 >/dev/null 2>&1
}

# setup: everything the guest needs, once.  Prints the reason and
# returns 1 where it cannot be had.
setup() {
	if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
		[ "$(id -u)" = 0 ] || { echo "no QEMU, and not root"; return 1; }
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y -qq --no-install-recommends \
		    qemu-system-x86 >"$VM_CACHE/apt.log" 2>&1 ||
		    { apt-get update -qq && apt-get install -y -qq \
		    --no-install-recommends qemu-system-x86; } \
		    >>"$VM_CACHE/apt.log" 2>&1 ||
		    { echo "cannot install qemu-system-x86"; return 1; }
	fi
	# The generic flavour: the cloud one has no 9p.
	kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	    awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	[ -n "$kpkg" ] || { echo "no Debian kernel package known to apt"
		return 1; }
	rm -rf "$VM_CACHE/debs" "$VM_CACHE/kernel" "$VM_CACHE/bb" \
	    "$VM_CACHE/initramfs"
	mkdir -p "$VM_CACHE/debs" "$VM_CACHE/kernel" "$VM_CACHE/bb"
	# Downloaded, never installed: nothing in /boot, no hooks.
	(cd "$VM_CACHE/debs" && apt-get download "$kpkg" busybox-static) \
	    >"$VM_CACHE/download.log" 2>&1 ||
	    { echo "cannot download $kpkg and busybox-static"; return 1; }
	dpkg-deb -x "$VM_CACHE"/debs/"$kpkg"_*.deb "$VM_CACHE/kernel" &&
	    dpkg-deb -x "$VM_CACHE"/debs/busybox-static_*.deb "$VM_CACHE/bb" ||
	    { echo "cannot unpack $kpkg"; return 1; }
	rm -rf "$VM_CACHE/debs"
	kv=$(kver)
	# The package leaves modules.dep to its postinst; this machine may
	# have no kmod.
	"$VM_CACHE/bb/bin/busybox" depmod -b "$VM_CACHE/kernel" "$kv" ||
	    { echo "depmod failed"; return 1; }
	extract_vmlinux "$kv"
	build_initramfs "$kv" || return 1
}

# An uncompressed vmlinux boots through PVH and saves decompressing the
# kernel under emulation, about 5 s a boot.
extract_vmlinux() {
	z=$VM_CACHE/kernel/boot/vmlinuz-$1
	rm -f "$VM_CACHE/vmlinux"
	grep -q '^CONFIG_PVH=y' "$VM_CACHE/kernel/boot/config-$1" || return 0
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$z" | head -n 1 |
	    cut -d: -f1)
	[ -n "$off" ] || return 0
	tail -c +$((off + 1)) "$z" >"$VM_CACHE/vmlinux.xz"
	xz -dc --single-stream <"$VM_CACHE/vmlinux.xz" \
	    >"$VM_CACHE/vmlinux.tmp" 2>/dev/null
	rm -f "$VM_CACHE/vmlinux.xz"
	if [ "$(head -c 4 "$VM_CACHE/vmlinux.tmp" | od -An -c |
	    tr -d ' ')" = 177ELF ]; then
		mv "$VM_CACHE/vmlinux.tmp" "$VM_CACHE/vmlinux"
	else
		rm -f "$VM_CACHE/vmlinux.tmp"
	fi
}

# addmod PATH: a module and, first, what it depends on (busybox insmod
# does not order them).
addmod() {
	case " $seen " in *" $1 "*) return 0 ;; esac
	seen="$seen $1"
	for _d in $(grep -E "^$1:" "$md/modules.dep" | cut -d: -f2-); do
		addmod "$_d"
	done
	_n=${1##*/}; _n=${_n%.ko}
	cp "$md/$1" "$d/mods/$_n.ko" && echo "$_n" >>"$d/mods.order"
}

build_initramfs() {
	d=$VM_CACHE/initramfs
	md=$VM_CACHE/kernel/lib/modules/$1
	seen=
	mkdir -p "$d/bin" "$d/mods" "$d/proc" "$d/sys" "$d/dev" \
	    "$d/newroot" "$d/lower" "$d/ovl"
	cp "$VM_CACHE/bb/bin/busybox" "$d/bin/busybox"
	: >"$d/mods.order"
	for m in $BOOT_MODS; do
		f=$(grep -E "/$m\.ko:" "$md/modules.dep" | head -n 1 |
		    cut -d: -f1)
		if [ -z "$f" ]; then
			grep -qE "/$m\.ko\$" "$md/modules.builtin" ||
			    { echo "kernel $1 has no module $m"; return 1; }
			continue
		fi
		addmod "$f"
	done
	cp "$TOP/regress/vm/init1.sh" "$d/init"
	cp "$TOP/regress/vm/init2.sh" "$d/stage2"
	chmod 755 "$d/init" "$d/stage2"
	(cd "$d" && find . | "$VM_CACHE/bb/bin/busybox" cpio -o -H newc \
	    2>/dev/null) >"$VM_CACHE/initramfs.cpio.tmp" &&
	    mv "$VM_CACHE/initramfs.cpio.tmp" "$VM_CACHE/initramfs.cpio"
	# The stages are rebuilt when they change.
	cat "$TOP/regress/vm/init1.sh" "$TOP/regress/vm/init2.sh" |
	    sha256sum >"$VM_CACHE/initramfs.sum"
}

stages_sum() {
	cat "$TOP/regress/vm/init1.sh" "$TOP/regress/vm/init2.sh" | sha256sum
}

TOP=$(cd "$(dirname "$0")/../.." && pwd)
systemd=0
if [ "$1" = -s ]; then
	systemd=1
	shift
fi
[ $# -ge 1 ] || { echo "usage: vm.sh [-s] cmd [arg ...]" >&2; exit 2; }

mkdir -p "$VM_CACHE" 2>/dev/null || unavailable "cannot create $VM_CACHE"
if ! ready || [ "$(cat "$VM_CACHE/initramfs.sum" 2>/dev/null)" != \
    "$(stages_sum)" ]; then
	why=$( (
		flock 9
		if ! ready; then
			t=$(date +%s)
			setup || exit 1
			echo "# vm: set up in $(($(date +%s) - t))s" >&2
		elif [ "$(cat "$VM_CACHE/initramfs.sum" 2>/dev/null)" != \
		    "$(stages_sum)" ]; then
			build_initramfs "$(kver)" || exit 1
		fi
	) 9>"$VM_CACHE/setup.lock")
	[ $? -eq 0 ] || unavailable "${why:-the set-up failed}"
fi

KV=$(kver)
KERNEL=$VM_CACHE/kernel/boot/vmlinuz-$KV
[ -s "$VM_CACHE/vmlinux" ] && KERNEL=$VM_CACHE/vmlinux
case $VM_ACCEL in
auto)
	# Only hardware KVM: some sandboxes offer a /dev/kvm backed by
	# kvm_pvm, which runs a stock kernel about 100 times slower than
	# emulation does.
	if [ -w /dev/kvm ] && { [ -d /sys/module/kvm_intel ] ||
	    [ -d /sys/module/kvm_amd ]; }; then
		ACCEL=kvm
	else
		ACCEL=tcg
	fi
	;;
kvm|tcg)
	ACCEL=$VM_ACCEL
	;;
*)
	die "VM_ACCEL must be auto, kvm or tcg"
	;;
esac
# Under emulation one vCPU boots faster than two on a busy 2-core host.
if [ "$ACCEL" = kvm ]; then
	CPU="-cpu host -smp 2"
else
	CPU="-cpu max -smp 1"
fi

RUN=$(mktemp -d /tmp/mnt-vm.XXXXXX) || die "mktemp"
QPID= SOPID= SEPID=
cleanup() {
	for _p in $QPID $SOPID $SEPID; do
		kill "$_p" 2>/dev/null
	done
	rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# What the guest runs: our exported environment, directory and argv.
{
	echo '#!/bin/sh'
	export -p | grep -vE '^export (PWD|OLDPWD|SHLVL|_)='
	printf 'cd -- %s || exit 126\n' "$(printf '%s' "$PWD" |
	    sed "s/'/'\\\\''/g; s/^/'/; s/\$/'/")"
	printf 'exec'
	for a in "$@"; do
		printf " '%s'" "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")"
	done
	echo
} >"$RUN/cmd"
echo "$VM_MODULES" >"$RUN/modules"
echo "$systemd" >"$RUN/systemd"

set -- -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
    -virtfs "local,path=$RUN,mount_tag=vmrun,security_model=none,multidevs=remap"
rw= i=0
IFS_=$IFS; IFS=:
for p in $VM_RW; do
	IFS=$IFS_
	[ -n "$p" ] || continue
	p=$(realpath -- "$p") && [ -d "$p" ] || die "VM_RW: $p: no directory"
	case $p in *[,\ ]*) die "VM_RW: $p: no ',' or spaces" ;; esac
	set -- "$@" -virtfs \
	    "local,path=$p,mount_tag=vmrw$i,security_model=none,multidevs=remap"
	rw="$rw${rw:+,}vmrw$i=$p"
	i=$((i + 1))
done
IFS=$IFS_

# The command's output comes over two virtio-serial ports into FIFOs:
# they have flow control, where the emulated UART drops bytes.
mkfifo "$RUN/so" "$RUN/se"
cat "$RUN/so" &
SOPID=$!
cat "$RUN/se" >&2 &
SEPID=$!
if [ "$VM_VERBOSE" = 1 ]; then
	set -- "$@" -chardev "file,id=con,path=$RUN/se" -serial chardev:con
	loglevel=7
else
	set -- "$@" -serial "file:$RUN/console.log"
	loglevel=4
fi
append="console=ttyS0 loglevel=$loglevel panic=-1 oops=panic reboot=t"
append="$append mitigations=off tsc=reliable no_timer_check"
append="$append i8042.noaux i8042.nomux i8042.nopnp i8042.dumbkbd"
append="$append random.trust_cpu=on vm.run=$RUN"
append="$append vm.moddir=$VM_CACHE/kernel/lib/modules/$KV"
[ -n "$rw" ] && append="$append vm.rw=$rw"
if [ "$systemd" = 1 ]; then
	append="$append systemd.unit=moenet-vm.target"
	append="$append systemd.show_status=0 systemd.log_target=console"
	append="$append systemd.log_level=${VM_SYSTEMD_LOG:-notice}"
fi

t0=$(date +%s%N)
# shellcheck disable=SC2086
timeout -k 5 "$VM_TIMEOUT" qemu-system-x86_64 -nodefaults -no-user-config \
    -display none -no-reboot -machine "pc,accel=$ACCEL" $CPU -m "$VM_MEM" \
    -kernel "$KERNEL" -initrd "$VM_CACHE/initramfs.cpio" -append "$append" \
    -device virtio-serial-pci,id=vser \
    -chardev "file,id=so,path=$RUN/so" -chardev "file,id=se,path=$RUN/se" \
    -device virtserialport,bus=vser.0,nr=1,chardev=so,name=vm.stdout \
    -device virtserialport,bus=vser.0,nr=2,chardev=se,name=vm.stderr \
    "$@" </dev/null &
QPID=$!
wait $QPID
qrc=$?
QPID=
t1=$(date +%s%N)
# Readers of FIFOs QEMU never opened would wait for ever.
: 1<>"$RUN/so" 2>/dev/null
: 1<>"$RUN/se" 2>/dev/null
wait $SOPID
wait $SEPID
SOPID= SEPID=
ms() { echo "$(($1 / 1000)).$(($1 % 1000 / 100))s"; }
if [ -s "$RUN/times" ]; then
	read -r up_start up_end <"$RUN/times"
	# Guest uptimes in centiseconds.
	b=$(echo "$up_start" | tr -d .)0
	e=$(echo "$up_end" | tr -d .)0
	echo "# vm: $ACCEL, kernel $KV$([ "$systemd" = 1 ] && echo ", systemd"):" \
	    "boot $(ms "$b"), command $(ms $((e - b))), wall" \
	    "$(ms $(( (t1 - t0) / 1000000 )))" >&2
fi
if [ -s "$RUN/rc" ]; then
	exit "$(cat "$RUN/rc")"
fi
echo "vm: the guest gave no exit status (qemu $qrc); its console:" >&2
tail -n 60 "$RUN/console.log" >&2 2>/dev/null
exit 125
