// Which DRBD devices a guest's disks sit on, resolved before the storage guard judges them: a
// disk named by a symlink (/dev/disk/by-id, by-res), by a DRBD named minor (/dev/drbd_web), by a
// Xen `drbd:r0` spec, or an LV or dm-crypt device stacked on DRBD must be found as DRBD, or the
// guard never looks at it. A disk that cannot be resolved is reported, never skipped.
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { lastLine, type Executor } from '../core/executor';
import type { DomainRef } from './backend';
import { parseLibvirtXml } from './libvirt-xml';

/** DRBD's block major (include/linux/major.h: DRBD_MAJOR). */
const DRBD_MAJOR = 147;

export type DrbdDevice = { minor: number; resource?: undefined } | { resource: string; minor?: undefined };

export type ResolvedDisk = { disk: string; drbd: Array<DrbdDevice & { via: string }> } | { disk: string; error: string };

type DevNumber = readonly [major: number, minor: number];

/** What resolution reads from the system; injected so tests can describe any stack. */
export interface BlockSystem {
  /** throws with an errno code when the path does not resolve */
  realpath(path: string): string;
  /** the device a block node is (block), or the device holding a regular file's file system (file) */
  stat(path: string): { kind: 'block'; dev: DevNumber } | { kind: 'file'; dev: DevNumber } | { kind: 'other' };
  /** names under /sys/dev/block/M:m/slaves; undefined when the kernel shows no such block device */
  slaves(dev: DevNumber): string[] | undefined;
  /** M:m of /sys/class/block/NAME/dev */
  devOf(name: string): DevNumber;
}

const DRBD_SPEC = /^drbd:([^/\s]+)$/;
const BY_RES = /^\/dev\/drbd\/by-res\/([^/]+)(?:\/\d+)?$/;

export function resolveDisk(disk: string, sys: BlockSystem): ResolvedDisk {
  // Xen's block-drbd script takes a resource name: it is only known to DRBD
  const spec = DRBD_SPEC.exec(disk)?.[1];
  if (spec) {
    // its by-res link gives the minor, which /proc/drbd of DRBD 8.4 knows (it has no names)
    for (const link of [`/dev/drbd/by-res/${spec}`, `/dev/drbd/by-res/${spec}/0`]) {
      const found = resolveDisk(link, sys);
      if ('drbd' in found && found.drbd.length === 1 && found.drbd[0]!.minor !== undefined)
        return { disk, drbd: [{ minor: found.drbd[0]!.minor, via: `${disk} = ${found.drbd[0]!.via}` }] };
    }
    return { disk, drbd: [{ resource: spec, via: disk }] };
  }
  if (!disk.startsWith('/')) return { disk, error: 'not a path or a drbd: spec' };
  let real: string;
  try {
    real = sys.realpath(disk);
  } catch (error) {
    // a by-res link is created when the resource comes up: its name still identifies the resource
    const resource = BY_RES.exec(disk)?.[1];
    if (resource) return { disk, drbd: [{ resource, via: disk }] };
    return { disk, error: errorCode(error) };
  }
  let node;
  try {
    node = sys.stat(real);
  } catch (error) {
    return { disk, error: `cannot stat ${real}: ${errorCode(error)}` };
  }
  if (node.kind === 'other') return { disk, error: `${real} is neither a block device nor a file` };
  try {
    const drbd = drbdBelow(node.dev, sys, real === disk ? disk : `${disk} -> ${real}`, new Set());
    return { disk, drbd };
  } catch (error) {
    // an image file on a file system the kernel shows no block device for (tmpfs, NFS): not DRBD
    if (node.kind === 'file' && error instanceof NoSuchBlockDevice) return { disk, drbd: [] };
    return { disk, error: (error as Error).message };
  }
}

class NoSuchBlockDevice extends Error {}

/** Walks the device and its slaves (dm, md) down to the DRBD minors it is built on. */
function drbdBelow(dev: DevNumber, sys: BlockSystem, via: string, seen: Set<string>): Array<DrbdDevice & { via: string }> {
  const key = `${dev[0]}:${dev[1]}`;
  if (dev[0] === DRBD_MAJOR) return [{ minor: dev[1], via }];
  if (seen.has(key)) return [];
  seen.add(key);
  const slaves = sys.slaves(dev);
  if (!slaves) throw new NoSuchBlockDevice(`the kernel shows no block device ${key} (/sys/dev/block/${key})`);
  return slaves.flatMap((name) => drbdBelow(sys.devOf(name), sys, `${via} on ${name}`, seen));
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/** glibc's encoding of dev_t (gnu_dev_major/minor), on the exact 64-bit value. */
export function splitDev(dev: bigint): DevNumber {
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & 0xfffff000n));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & 0xffffff00n));
  return [major, minor];
}

export function systemBlocks(sysfs = '/sys'): BlockSystem {
  return {
    realpath: (file) => realpathSync(file),
    stat(file) {
      const st = statSync(file, { bigint: true });
      if (st.isBlockDevice()) return { kind: 'block', dev: splitDev(st.rdev) };
      if (st.isFile()) return { kind: 'file', dev: splitDev(st.dev) };
      return { kind: 'other' };
    },
    slaves(dev) {
      const dir = `${sysfs}/dev/block/${dev[0]}:${dev[1]}`;
      try {
        statSync(dir);
      } catch {
        return undefined;
      }
      // a partition (of an md or dm device on DRBD, say) sits on its whole device
      if (existsSync(`${dir}/partition`)) return [path.basename(path.dirname(realpathSync(dir)))];
      try {
        return readdirSync(`${dir}/slaves`);
      } catch {
        // a whole disk or a partition: built on nothing
        return [];
      }
    },
    devOf(name) {
      const text = readFileSync(`${sysfs}/class/block/${name}/dev`, 'utf8').trim();
      const m = /^(\d+):(\d+)$/.exec(text);
      if (!m) throw new Error(`${sysfs}/class/block/${name}/dev reads "${text}"`);
      return [Number(m[1]), Number(m[2])];
    },
  };
}

/**
 * Resolves every disk; libvirt pool volumes ("volume:POOL/VOLUME") are first asked for their path
 * (`virsh vol-path`), which may be an LV on DRBD.
 */
export async function resolveDisks(disks: string[], exec: Executor, hypervisor: string, sys: BlockSystem): Promise<ResolvedDisk[]> {
  return Promise.all(
    disks.map(async (disk) => {
      const volume = /^volume:([^/]+)\/(.+)$/.exec(disk);
      if (!volume) return resolveDisk(disk, sys);
      const result = await exec
        .run('virsh', ['-c', hypervisor, 'vol-path', '--pool', volume[1]!, volume[2]!], { timeoutMs: 10000 })
        .catch((error: Error) => ({ exitCode: -1, stdout: '', stderr: error.message }));
      const file = result.stdout.trim();
      if (result.exitCode !== 0 || !file.startsWith('/')) {
        const why = lastLine(result.stderr)?.replace(/^error: /, '') ?? `exit ${result.exitCode}`;
        return { disk, error: `virsh vol-path: ${why}` };
      }
      const resolved = resolveDisk(file, sys);
      return 'error' in resolved
        ? { disk, error: `${file}: ${resolved.error}` }
        : { disk, drbd: resolved.drbd.map((d) => ({ ...d, via: `${disk} = ${d.via}` })) };
    }),
  );
}

/**
 * The guest's disks when no config file was read: libvirt's definition of the domain (live when
 * it runs, else the persistent one). Throws a one-line reason when they cannot be known.
 */
export async function definedDisks(exec: Executor, backend: 'libvirt' | 'xl', hypervisor: string, ref: DomainRef): Promise<string[]> {
  const key = ref.uuid ?? ref.name;
  if (backend === 'xl' || !key) throw new Error(`no config file was read to list the guest's disks (set config, or check_storage=false)`);
  const result = await exec
    .run('virsh', ['-c', hypervisor, 'dumpxml', key], { timeoutMs: 10000 })
    .catch((error: Error) => ({ exitCode: -1, stdout: '', stderr: error.message }));
  const why = lastLine(result.stderr)?.replace(/^error: /, '');
  if (result.exitCode !== 0) throw new Error(`virsh dumpxml ${key} failed: ${why ?? `exit ${result.exitCode}`}`);
  try {
    return parseLibvirtXml(result.stdout).disks;
  } catch (error) {
    throw new Error(`virsh dumpxml ${key}: ${(error as Error).message}`, { cause: error });
  }
}
