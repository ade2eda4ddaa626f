#!/run/vm/busybox sh
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
# The guest's second stage, PID 1 in the host's root: run the command
# and power off, or hand over to systemd, which runs it in a unit.  Also
# the command's runner itself ("init2.sh RUN run"): its exit status and
# the guest's uptime at its start and end go to RUN.

RUN=$1
B=/run/vm/busybox
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

if [ "$2" = run ]; then
	# The ports by name: raw byte pipes with flow control.
	for p in /sys/class/virtio-ports/*; do
		case $(cat "$p/name" 2>/dev/null) in
		vm.stdout) SO=/dev/${p##*/} ;;
		vm.stderr) SE=/dev/${p##*/} ;;
		esac
	done
	if [ ! -c "$SO" ] || [ ! -c "$SE" ]; then
		echo "vm: no virtio ports" >/dev/ttyS0
		exit 1
	fi
	for m in $(cat "$RUN/modules"); do
		$B modprobe "$m" || echo "vm: modprobe $m failed" >/dev/ttyS0
	done
	t=$($B cut -d' ' -f1 /proc/uptime)
	/bin/sh "$RUN/cmd" </dev/null >"$SO" 2>"$SE"
	rc=$?
	echo "$t $($B cut -d' ' -f1 /proc/uptime)" >"$RUN/times"
	echo $rc >"$RUN/rc.tmp" && $B mv "$RUN/rc.tmp" "$RUN/rc"
	$B sync
	exit 0
fi

# The kernel runs this for modules asked for by name (ip link add ...
# type dummy); the machine may have no kmod.
echo /run/vm/modprobe >/proc/sys/kernel/modprobe
$B hostname moenet-vm
$B ip link set lo up
if [ "$(cat "$RUN/systemd")" = 1 ]; then
	mkdir -p /run/systemd/system
	cat >/run/systemd/system/moenet-vm.target <<EOT
[Unit]
Description=moenet-agent tests in a VM
AllowIsolate=yes
Wants=moenet-vm.service
EOT
	cat >/run/systemd/system/moenet-vm.service <<EOT
[Unit]
Description=moenet-agent tests in a VM, then power off
After=basic.target

[Service]
Type=oneshot
TimeoutStartSec=infinity
ExecStart=/run/vm/init $RUN run
ExecStartPost=/bin/systemctl --force --force poweroff
ExecStopPost=/bin/systemctl --force --force poweroff
EOT
	# systemd takes a /.dockerenv of the host for a container and
	# then ignores the kernel's command line.
	$B rm -f /.dockerenv
	exec /lib/systemd/systemd
fi
/run/vm/init "$RUN" run
$B poweroff -f
