// The cluster lab's two nodes: the base lab's Guest (Debian kernel, initramfs root, management
// channel) with what a cluster node has on top: a watchdog device, two disks shared by both nodes
// (the SBD disk and a LUN standing for the SAN), a DRBD backing disk each, and the replication and
// Corosync links through host relays (cluster/link.ts) so the host can cut them and power cycle a node.
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Guest, type GuestBoot } from '../guest';
import type { GuestImage } from '../image';
import { NODES, type Lab } from '../lab';
import { Link } from './link';

/** The SBD disk and the SAN LUN, as the guests see them (udev's by-id names from the qemu serials). */
export const SBD_DEVICE = '/dev/disk/by-id/virtio-sbd';
export const LUN_DEVICE = '/dev/disk/by-id/virtio-lun';
// by its serial (the base lab's disks are lab0...), not /dev/vda: the shared disks come first on
// the PCI bus, so vda is the SBD disk
export const DRBD_BACKING = '/dev/disk/by-id/virtio-lab0';
const MEMORY_MIB = 2048;

export interface ClusterLab extends Lab {
  replication: Link;
  cluster: Link;
  /** qemu's watchdog device model in both guests */
  watchdog: string;
  /** boots a node again after it was fenced or powered off; resolves when its init is ready */
  boot(guest: Guest): Promise<number>;
}

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

function sparse(file: string, mib: number): string {
  writeFileSync(file, '');
  truncateSync(file, mib * 1024 * 1024);
  return file;
}

export async function startClusterLab(image: GuestImage, distDir: string, log: (line: string) => void): Promise<ClusterLab> {
  const workDir = mkdtempSync(path.join(tmpdir(), `ocfkit-cluster-lab-${process.pid}-`));
  const replication = await Link.open('replication', freeUdpPort);
  const cluster = await Link.open('cluster', freeUdpPort);
  const sbd = sparse(path.join(workDir, 'shared-sbd.img'), 8);
  const lun = sparse(path.join(workDir, 'shared-lun.img'), 256);
  const watchdog = 'i6300esb';
  const guests = NODES.map(
    (node, index) =>
      new Guest(
        {
          ...node,
          hosts: NODES.map((n) => `${n.address}:${n.name}`).join(','),
          link: replication.netdev(index),
          clusterLink: cluster.netdev(index),
          disks: [sparse(path.join(workDir, `${node.name}-drbd.img`), 256)],
          distDir,
          workDir,
          memoryMiB: MEMORY_MIB,
          boot: ((append) => ({
            kernel: image.kernel,
            initrd: image.initrd,
            append,
            cpus: 1,
            qemuArgs: [
              // a fired watchdog powers the node off (no reset loop): the lab then boots it as an admin would
              '-device',
              watchdog,
              '-action',
              'watchdog=poweroff',
              ...shared(sbd, 'sbd', 8),
              ...shared(lun, 'lun', 9),
            ],
          })) satisfies GuestBoot,
        },
        image,
      ),
  );
  const boot = async (guest: Guest): Promise<number> => {
    const started = Date.now();
    guest.start();
    await guest.ready(300_000);
    return (Date.now() - started) / 1000;
  };
  const lab: ClusterLab = { node1: guests[0]!, node2: guests[1]!, guests, workDir, replication, cluster, watchdog, boot };
  try {
    const seconds = await Promise.all(guests.map(boot));
    log(
      `cluster lab: guests booted in ${Math.max(...seconds).toFixed(1)} s (qemu TCG pids ${guests.map((g) => g.pid).join(', ')}; ${MEMORY_MIB} MiB each; watchdog ${watchdog}; logs in ${workDir})`,
    );
    return lab;
  } catch (error) {
    await stopClusterLab(lab, true);
    throw error;
  }
}

/** A disk both qemu processes open read-write: share-rw lifts qemu's image locking for it. */
function shared(file: string, serial: string, index: number): string[] {
  return ['-drive', `file=${file},format=raw,if=none,id=d${index},cache=writeback`, '-device', `virtio-blk-pci,drive=d${index},serial=${serial},share-rw=on`];
}

export async function stopClusterLab(lab: ClusterLab, keepLogs: boolean): Promise<void> {
  await Promise.all(lab.guests.map((guest) => guest.stop()));
  lab.replication.close();
  lab.cluster.close();
  if (!keepLogs) rmSync(lab.workDir, { recursive: true, force: true });
}
