// Storage as in the field for KVM on two nodes: DRBD 8.4 r0 dual-primary (allow-two-primaries),
// managed by drbd-utils' ocf:linbit:drbd as a promotable clone with two promoted instances; dlm
// (ocf:pacemaker:controld) and a GFS2 on /dev/drbd0 (ocf:heartbeat:Filesystem) as clones ordered
// after the promotion. The GFS2 holds the guests' configs, their disks, VirtualMachine's lease_dir
// and virtlockd's lockspace.
import { NODES } from '../lab';
import type { ClusterLab } from './lab';
import { DRBD_BACKING } from './lab';

export const GFS_MOUNT = '/gfs';
export const LEASE_DIR = `${GFS_MOUNT}/leases`;
export const LOCKSPACE_DIR = `${GFS_MOUNT}/lockspace`;

// fencing resource-and-stonith: a Primary that loses its peer freezes I/O until crm-fence-peer.sh
// has placed the constraint (after Pacemaker fenced the peer), so two Primaries never diverge
const DRBD_CONFIG = `global {
  usage-count no;
}
resource r0 {
  protocol C;
  net {
    allow-two-primaries yes;
    after-sb-0pri discard-zero-changes;
    after-sb-1pri discard-secondary;
    after-sb-2pri disconnect;
    ping-int 3;
  }
  disk {
    fencing resource-and-stonith;
  }
  handlers {
    fence-peer "/usr/lib/drbd/crm-fence-peer.sh";
    after-resync-target "/usr/lib/drbd/crm-unfence-peer.sh";
  }
  device /dev/drbd0;
  disk ${DRBD_BACKING};
  meta-disk internal;
${NODES.map((node) => `  on ${node.name} {\n    address ${node.address}:7789;\n  }\n`).join('')}}
`;

/** Creates r0 on both nodes, skips the initial sync, puts a GFS2 on it, and leaves it down for Pacemaker. */
export async function prepareStorage(lab: ClusterLab): Promise<void> {
  await Promise.all(
    lab.guests.map((guest) =>
      guest.ok(
        `rm -f /etc/drbd.d/*.res; cat >/etc/drbd.conf <<'EOF'\n${DRBD_CONFIG}EOF
yes yes | drbdadm create-md --force r0 >/dev/null && drbdadm up r0 && mkdir -p ${GFS_MOUNT}`,
        120_000,
      ),
    ),
  );
  await lab.node1.ok(
    `for i in $(seq 600); do grep -q 'cs:Connected' /proc/drbd && break; sleep 0.1; done
drbdadm -- --clear-bitmap new-current-uuid r0
for i in $(seq 600); do grep -q 'ds:UpToDate/UpToDate' /proc/drbd && break; sleep 0.1; done
drbdadm primary r0 || exit 1
# -K: no discard first; DRBD 8.4 may complete a discard after the writes that follow it
mkfs.gfs2 -O -K -p lock_dlm -t lab:gfs -j 2 -J 16 /dev/drbd0 >/tmp/mkfs.out 2>&1 || { cat /tmp/mkfs.out; exit 1; }
sync; blkid -p -s TYPE -o value /dev/drbd0 | grep -qx gfs2 || { echo 'no gfs2 signature after mkfs.gfs2:'; cat /tmp/mkfs.out; exit 1; }
drbdadm secondary r0`,
    300_000,
  );
  await Promise.all(lab.guests.map((guest) => guest.ok('drbdadm down r0')));
}

const op = (id: string, name: string, interval: string, timeout: string, role?: string): string =>
  `<op id="${id}-${name}-${interval}${role ? `-${role}` : ''}" name="${name}" interval="${interval}" timeout="${timeout}"${role ? ` role="${role}"` : ''}/>`;

const STORAGE_RESOURCES = [
  `<clone id="drbd-clone"><meta_attributes id="drbd-clone-meta">
<nvpair id="drbd-clone-promotable" name="promotable" value="true"/><nvpair id="drbd-clone-promoted-max" name="promoted-max" value="2"/>
<nvpair id="drbd-clone-promoted-node-max" name="promoted-node-max" value="1"/><nvpair id="drbd-clone-notify" name="notify" value="true"/>
<nvpair id="drbd-clone-interleave" name="interleave" value="true"/></meta_attributes>
<primitive id="drbd" class="ocf" provider="linbit" type="drbd"><instance_attributes id="drbd-ia"><nvpair id="drbd-ia-res" name="drbd_resource" value="r0"/></instance_attributes>
<operations>${op('drbd', 'monitor', '29s', '60s', 'Promoted')}${op('drbd', 'monitor', '31s', '60s', 'Unpromoted')}${op('drbd', 'start', '0', '240s')}${op('drbd', 'promote', '0', '120s')}${op('drbd', 'demote', '0', '120s')}${op('drbd', 'stop', '0', '120s')}</operations></primitive></clone>`,
  `<clone id="dlm-clone"><meta_attributes id="dlm-clone-meta"><nvpair id="dlm-clone-interleave" name="interleave" value="true"/></meta_attributes>
<primitive id="dlm" class="ocf" provider="pacemaker" type="controld"><operations>${op('dlm', 'monitor', '60s', '60s')}${op('dlm', 'start', '0', '120s')}${op('dlm', 'stop', '0', '120s')}</operations></primitive></clone>`,
  `<clone id="gfs-clone"><meta_attributes id="gfs-clone-meta"><nvpair id="gfs-clone-interleave" name="interleave" value="true"/></meta_attributes>
<primitive id="gfs" class="ocf" provider="heartbeat" type="Filesystem"><instance_attributes id="gfs-ia">
<nvpair id="gfs-ia-device" name="device" value="/dev/drbd0"/><nvpair id="gfs-ia-dir" name="directory" value="${GFS_MOUNT}"/>
<nvpair id="gfs-ia-fstype" name="fstype" value="gfs2"/><nvpair id="gfs-ia-options" name="options" value="noatime"/></instance_attributes>
<operations>${op('gfs', 'monitor', '20s', '60s')}${op('gfs', 'start', '0', '180s')}${op('gfs', 'stop', '0', '180s')}</operations></primitive></clone>`,
];

const STORAGE_CONSTRAINTS = [
  '<rsc_order id="o-drbd-gfs" first="drbd-clone" first-action="promote" then="gfs-clone" then-action="start"/>',
  '<rsc_colocation id="c-gfs-drbd" rsc="gfs-clone" with-rsc="drbd-clone" with-rsc-role="Promoted" score="INFINITY"/>',
  '<rsc_order id="o-dlm-gfs" first="dlm-clone" then="gfs-clone"/>',
  '<rsc_colocation id="c-gfs-dlm" rsc="gfs-clone" with-rsc="dlm-clone" score="INFINITY"/>',
];

/** cibadmin --create of each element into a CIB section, as one guest script. */
export function createIn(section: 'resources' | 'constraints', elements: string[]): string {
  return elements.map((xml) => `cibadmin -C -o ${section} -X '${xml.replace(/\n/g, '')}'`).join(' && ');
}

/** Adds the storage clones and waits until the GFS2 is mounted on both nodes; seconds, or throws. */
export async function startStorage(lab: ClusterLab): Promise<number> {
  const started = Date.now();
  await lab.node1.ok(`${createIn('resources', STORAGE_RESOURCES)} && ${createIn('constraints', STORAGE_CONSTRAINTS)}`);
  for (const guest of lab.guests) {
    // a failed start of the file system on this node ends the wait at once (its reason is in the logs)
    const mounted = await guest.sh(
      `for i in $(seq 400); do grep -q ' ${GFS_MOUNT} gfs2 ' /proc/mounts && exit 0
crm_mon -1 2>/dev/null | grep -q "gfs start on $(hostname) returned" && exit 2; sleep 1; done; exit 1`,
      460_000,
    );
    if (mounted.code !== 0)
      throw new Error(
        `${guest.name}: GFS2 not mounted on ${GFS_MOUNT} after 400 s: ${await guest.sh('crm_mon -1 -r 2>&1 | tail -25; cat /proc/drbd').then((r) => r.output)}`,
      );
  }
  await lab.node1.ok(`mkdir -p ${LEASE_DIR} ${LOCKSPACE_DIR} && touch ${LEASE_DIR}/.ocfkit-lease-dir`);
  return (Date.now() - started) / 1000;
}
