# Sourced by the lab guest's init (from /etc/lab-init.d) when the guest is Xen's dom0: the
# toolstack's daemons as Debian's xencommons starts them, plus sshd for `xl migrate`.
xenbin=$(ls -d /usr/lib/xen-*/bin | head -n 1)
modprobe -a xenfs xen-evtchn xen-gntdev xen-privcmd
mount -t xenfs xenfs /proc/xen
mkdir -p /run/xen /run/xenstored /var/lib/xen /var/lib/xenstored /var/log/xen/console /run/sshd
if grep -q control_d /proc/xen/capabilities; then
  "$xenbin/xenstored" --pid-file /run/xenstored.pid
  "$xenbin/xen-init-dom0"
  "$xenbin/xenconsoled" --pid-file=/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console
  echo "LAB-XEN dom0 up: $(xl info | grep -E '^xen_version' )" >"$console"
else
  echo "LAB-WARNING not a Xen dom0 ($(cat /proc/xen/capabilities 2>&1))" >"$console"
fi
/usr/sbin/sshd
