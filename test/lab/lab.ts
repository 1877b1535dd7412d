// The two-node lab: node1 and node2 linked by two qemu socket netdevs (eth0: the replication link,
// eth1: the cluster link for Corosync, so restarting eth0 does not split the cluster), each
// with its own sparse disks: vda (DRBD backing), vdb..vdd (md RAID5 members).
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Guest, type GuestBoot } from './guest';
import type { GuestImage } from './image';

export const NODES = [
  { name: 'node1', address: '10.99.0.1', mac: '52:54:00:99:00:01', clusterAddress: '10.98.0.1', clusterMac: '52:54:00:98:00:01' },
  { name: 'node2', address: '10.99.0.2', mac: '52:54:00:99:00:02', clusterAddress: '10.98.0.2', clusterMac: '52:54:00:98:00:02' },
] as const;
const HOSTS = NODES.map((node) => `${node.address}:${node.name}`).join(',');
const DISKS = [
  { name: 'drbd', mib: 64 },
  { name: 'md1', mib: 32 },
  { name: 'md2', mib: 32 },
  { name: 'md3', mib: 32 },
];

export interface Lab {
  node1: Guest;
  node2: Guest;
  guests: Guest[];
  workDir: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** How a lab mode boots its guests differently (the Xen mode: hypervisor, more memory, longer boot). */
export interface LabOptions {
  boot?: GuestBoot;
  memoryMiB?: number;
  bootTimeoutMs?: number;
}

export async function startLab(image: GuestImage, distDir: string, log: (line: string) => void, options: LabOptions = {}): Promise<Lab> {
  const workDir = mkdtempSync(path.join(tmpdir(), `ocfkit-lab-${process.pid}-`));
  const port = await freePort();
  let clusterPort = await freePort();
  while (clusterPort === port) clusterPort = await freePort();
  const guests = NODES.map((node, index) => {
    const disks = DISKS.map((disk) => {
      const file = path.join(workDir, `${node.name}-${disk.name}.img`);
      writeFileSync(file, '');
      truncateSync(file, disk.mib * 1024 * 1024);
      return file;
    });
    const side = index === 0 ? 'listen' : 'connect';
    const link = `${side}=127.0.0.1:${port}`;
    const clusterLink = `${side}=127.0.0.1:${clusterPort}`;
    return new Guest(
      {
        ...node,
        hosts: HOSTS,
        link,
        clusterLink,
        disks,
        distDir,
        workDir,
        memoryMiB: options.memoryMiB ?? 1536,
        ...(options.boot ? { boot: options.boot } : {}),
      },
      image,
    );
  });
  const lab: Lab = { node1: guests[0]!, node2: guests[1]!, guests, workDir };
  try {
    // node1 listens on the link socket before node2 connects to it
    lab.node1.start();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    lab.node2.start();
    const started = Date.now();
    await Promise.all(guests.map((guest) => guest.ready(options.bootTimeoutMs ?? 300_000)));
    log(`guests booted in ${((Date.now() - started) / 1000).toFixed(1)} s (qemu TCG pids ${guests.map((g) => g.pid).join(', ')}; logs in ${workDir})`);
    return lab;
  } catch (error) {
    await stopLab(lab, true);
    throw error;
  }
}

export async function stopLab(lab: Lab, keepLogs: boolean): Promise<void> {
  await Promise.all(lab.guests.map((guest) => guest.stop()));
  if (!keepLogs) rmSync(lab.workDir, { recursive: true, force: true });
}
