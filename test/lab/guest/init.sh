#!/bin/bash
# PID 1 of a lab guest (the whole Debian root is the initramfs). Brings up what a real host has
# (udev, kernel modules, ifupdown), mounts the host's dist/ over 9p, then serves the lab's
# management channel on the second serial port (ttyS1).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
# the initramfs root is a tmpfs limited to half the memory by default: room for ocfkit and logs
mount -o remount,size=85% /
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /run /tmp /var/lib/drbd /mnt/dist
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mkdir -p /run/network /run/lock

arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p"; }
node=$(arg lab.node)
addr=$(arg lab.addr)
caddr=$(arg lab.caddr)
# the console the lab watches: the first serial port, or another (lab.console=hvc0 under Xen)
console=/dev/$(arg lab.console)
[ "$console" = /dev/ ] && console=/dev/ttyS0
hostname "$node"
echo "$node" >/etc/hostname
printf '127.0.0.1 localhost\n%s\n' "$(arg lab.hosts | tr ',' '\n' | tr ':' ' ')" >/etc/hosts

# udev first, so that everything below (modules, md arrays, drbd minors) goes through real uevents
/lib/systemd/systemd-udevd --daemon
udevadm trigger --action=add --type=subsystems
udevadm trigger --action=add --type=devices
udevadm settle --timeout=60
modprobe -a virtio_pci virtio_net virtio_blk 9pnet_virtio 9p drbd raid456
udevadm settle --timeout=60

mount -t 9p -o trans=virtio,version=9p2000.L,ro dist /mnt/dist
# installed as on a real node (/usr/sbin/ocfkit and the OCF agent symlinks) from a private copy:
# running a 121 MiB executable over 9p under TCG is slow on every start
if [ -x /mnt/dist/ocfkit ]; then
  cp /mnt/dist/ocfkit /run/ocfkit-dist
  /run/ocfkit-dist install >"$console" 2>&1 || echo "LAB-WARNING ocfkit install failed" >"$console"
  rm -f /run/ocfkit-dist
fi

cat >/etc/network/interfaces <<EOF
auto lo
iface lo inet loopback

iface eth0 inet static
    address $addr/24

auto eth1
iface eth1 inet static
    address $caddr/24
EOF
ifup lo
ifup eth0
ifup eth1

# what a lab mode's image adds (e.g. the Xen toolstack in dom0), sourced in name order
for hook in /etc/lab-init.d/*.sh; do
  [ -r "$hook" ] && . "$hook"
done

# Management channel: one request per line "<id> <base64 script>", one answer per line
# "@@LAB <id> <exit code> <base64 output>". Base64 keeps the raw serial line free of control bytes.
stty -F /dev/ttyS1 raw -echo
exec 3<>/dev/ttyS1
echo "LAB-READY $node" >"$console"
while read -r id script <&3; do
  printf '%s' "$script" | base64 -d >/run/lab-cmd.sh
  bash /run/lab-cmd.sh </dev/null >/run/lab-out 2>&1
  rc=$?
  printf '@@LAB %s %s %s\n' "$id" "$rc" "$(base64 -w0 </run/lab-out)" >&3
done
echo "management channel closed" >"$console"
sleep infinity
