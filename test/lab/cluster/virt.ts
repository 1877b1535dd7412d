// Virtualization on both lab nodes: libvirtd (listening on TCP without auth, inside the lab's
// private links only) with the qemu driver and virtlockd as its lock manager, whose lockspace is on
// the GFS2 so a disk lock taken on one node is seen on the other (fcntl locks on GFS2 go through
// dlm). The test guests are firmware-only (SeaBIOS, no OS) with a small raw disk on the GFS2: they
// only have to run, hold their disk lock and migrate, under nested TCG emulation.
import type { Guest } from '../guest';
import { GFS_MOUNT, LEASE_DIR, LOCKSPACE_DIR } from './storage';

export const GUESTS = ['vm1'];

const LIBVIRTD_CONF = `listen_tls = 0
listen_tcp = 1
auth_tcp = "none"
log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
`;
// namespaces: the guests' /dev is a devtmpfs with no systemd; the qemu processes see the host's
const QEMU_CONF = `lock_manager = "lockd"
user = "root"
group = "root"
security_driver = "none"
namespaces = [ ]
remember_owner = 0
`;
const LOCKD_CONF = `auto_disk_leases = 1
require_lease_for_disks = 1
file_lockspace_dir = "${LOCKSPACE_DIR}"
`;

/** Writes libvirt's configuration and starts virtlogd, virtlockd and libvirtd (the GFS2 must be mounted). */
export async function startLibvirt(guest: Guest): Promise<void> {
  await guest.ok(
    `mkdir -p /etc/libvirt /var/log/libvirt /var/lib/libvirt/qemu /run/libvirt
printf '%s' '${LIBVIRTD_CONF}' >/etc/libvirt/libvirtd.conf
printf '%s' '${QEMU_CONF}' >/etc/libvirt/qemu.conf
printf '%s' '${LOCKD_CONF}' >/etc/libvirt/qemu-lockd.conf
virtlogd -d && virtlockd -d && libvirtd -d -l
for i in $(seq 120); do virsh -c qemu:///system version >/dev/null 2>&1 && exit 0; sleep 1; done
echo 'libvirtd did not answer'; tail -20 /var/log/libvirt/libvirtd.log; exit 1`,
    180_000,
  );
}

function domainXml(name: string, uuid: string): string {
  return `<domain type='qemu'>
  <name>${name}</name>
  <uuid>${uuid}</uuid>
  <memory unit='MiB'>16</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <on_reboot>restart</on_reboot>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw' cache='none'/>
      <source file='${GFS_MOUNT}/${name}.img'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <memballoon model='none'/>
  </devices>
</domain>
`;
}

/** The guest's config and disk on the GFS2 (from one node). */
export async function createGuest(guest: Guest, name: string, uuid: string): Promise<void> {
  await guest.ok(`truncate -s 1M ${GFS_MOUNT}/${name}.img && cat >${GFS_MOUNT}/${name}.xml <<'EOF'\n${domainXml(name, uuid)}EOF`);
}

export function vmPrimitive(name: string): string {
  const nv = (key: string, value: string): string => `<nvpair id="${name}-ia-${key}" name="${key}" value="${value}"/>`;
  return `<primitive id="${name}" class="ocf" provider="ocfkit" type="VirtualMachine">
<instance_attributes id="${name}-ia">${nv('config', `${GFS_MOUNT}/${name}.xml`)}${nv('lease_dir', LEASE_DIR)}${nv('require_lock_manager', 'true')}
${nv('peer_uri', 'qemu+tcp://%n/system')}${nv('migration_transport', 'tcp')}${nv('dual_primary', 'allowed')}${nv('force_stop', 'true')}${nv('shutdown_ordering', 'false')}</instance_attributes>
<meta_attributes id="${name}-meta"><nvpair id="${name}-meta-allow-migrate" name="allow-migrate" value="true"/></meta_attributes>
<operations><op id="${name}-monitor" name="monitor" interval="10s" timeout="60s"/><op id="${name}-start" name="start" interval="0" timeout="120s"/>
<op id="${name}-stop" name="stop" interval="0" timeout="120s"/><op id="${name}-migrate_to" name="migrate_to" interval="0" timeout="180s"/>
<op id="${name}-migrate_from" name="migrate_from" interval="0" timeout="120s"/></operations></primitive>`;
}

export function vmConstraints(name: string): string[] {
  return [
    `<rsc_order id="o-gfs-${name}" first="gfs-clone" then="${name}"/>`,
    `<rsc_colocation id="c-${name}-gfs" rsc="${name}" with-rsc="gfs-clone" score="INFINITY"/>`,
  ];
}
