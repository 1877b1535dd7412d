#!/bin/busybox sh
# PID 1 of the lab's PV test guest: Debian's kernel with this busybox initramfs, no disk, no
# network. It reports on its console (hvc0, logged by xenconsoled in dom0) and then idles, or with
# lab.spin=1 on its command line keeps its vCPU busy (so that xl can show it running).
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# `xl sysrq <guest> c` must crash the guest: Debian's kernel only allows some sysrq keys by default
echo 1 >/proc/sys/kernel/sysrq
echo "DOMU-READY $(hostname) $(cat /proc/cmdline)"
if grep -q 'lab.spin=1' /proc/cmdline; then
  while :; do :; done
fi
while :; do sleep 3600; done
