#!/bin/busybox sh
# PID 1 of the lab's PV test guest: Debian's kernel with this busybox initramfs, no disk, no
# network. It reports on its console (hvc0, logged by xenconsoled in dom0) and then idles; with
# lab.spin=N on its command line it first keeps its vCPU busy for N seconds (so that xl can show
# it running) without taking the host's CPU for good.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# `xl sysrq <guest> c` must crash the guest: Debian's kernel only allows some sysrq keys by default
echo 1 >/proc/sys/kernel/sysrq
echo "DOMU-READY $(hostname) $(cat /proc/cmdline)"
spin=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^lab.spin=//p')
if [ -n "$spin" ]; then
  end=$(( $(date +%s) + spin ))
  while [ "$(date +%s)" -lt "$end" ]; do :; done
  echo "DOMU-SPUN $spin s"
fi
while :; do sleep 3600; done
