// The DRBD role of the guest's disks, read with the DRBD model's parsers (agents/drbd):
// /proc/drbd for DRBD 8.4 (the module in distribution kernels), `drbdsetup status --json` for
// DRBD 9, whose /proc/drbd has no device lines. The mapping to roles is pure; `diskRoles` gathers.
import { readFileSync, realpathSync } from 'node:fs';
import { parseProcDrbd } from '../drbd/parse-proc';
import { parseStatusJson } from '../drbd/parse-status-json';
import type { ResourceState } from '../drbd/types';
import type { Executor } from '../exec/executor';
import type { DiskRoleFact, DrbdRole, PeerRoleFact } from './guards';

type Roles = { local: DrbdRole; peers: PeerRoleFact[] };
const asRole = (text: string | undefined): DrbdRole => (text === 'Primary' || text === 'Secondary' ? text : 'Unknown');

// The connection states in which DRBD exchanges state with the peer (8.x vocabulary, and 9's
// Connected). A state not listed here, including one a newer DRBD adds, never counts as connected.
const CONNECTED = new Set(['Connected', 'StartingSyncS', 'StartingSyncT', 'WFBitMapS', 'WFBitMapT', 'WFSyncUUID', 'SyncSource', 'SyncTarget', 'PausedSyncS', 'PausedSyncT', 'VerifyS', 'VerifyT', 'Ahead', 'Behind']);

/** The peer's role as far as the connection proves it: a reported Primary always counts. */
export function peerRole(connection: string, reported: string, peerDisk: string): PeerRoleFact {
  const role = asRole(reported);
  return { role: role === 'Primary' || CONNECTED.has(connection) ? role : 'Unknown', connection, peerDisk };
}

/** minor -> roles from /proc/drbd (configured minors only). */
export function procDrbdRoles(text: string): Map<number, Roles> {
  const roles = new Map<number, Roles>();
  for (const d of parseProcDrbd(text).devices) {
    if (d.cstate !== 'Unconfigured') roles.set(d.minor, { local: asRole(d.role), peers: [peerRole(d.cstate, d.peerRole, d.peerDisk)] });
  }
  return roles;
}

/** The roles of a DRBD 9 resource, found by name or by one of its minors. */
export function statusJsonRoles(resources: ResourceState[], key: { minor?: number; resource?: string }): (Roles & { name: string }) | undefined {
  const resource = resources.find((r) => (key.resource !== undefined ? r.name === key.resource : r.volumes.some((v) => v.minor === key.minor)));
  if (!resource) return undefined;
  // the peer's disk counts as Outdated only when every volume's is
  const peerDisk = (c: ResourceState['connections'][number]) => {
    const states = [...new Set(c.peerVolumes.map((v) => v.peerDisk))];
    return states.length === 1 ? states[0]! : states.join('/') || 'DUnknown';
  };
  return { name: resource.name, local: asRole(resource.role), peers: resource.connections.map((c) => peerRole(c.state, c.peerRole, peerDisk(c))) };
}

/** "/dev/drbd3" -> {minor 3}; "/dev/drbd/by-res/r0[/0]" -> {resource r0}; other paths -> undefined. */
export function drbdDeviceOf(disk: string): { minor?: number; resource?: string } | undefined {
  const minor = /^\/dev\/drbd(\d+)$/.exec(disk)?.[1];
  if (minor !== undefined) return { minor: Number(minor) };
  const res = /^\/dev\/drbd\/by-res\/([^/]+)(?:\/\d+)?$/.exec(disk)?.[1];
  if (res) return { resource: res };
  return undefined;
}

export async function diskRoles(disks: string[], exec: Executor): Promise<DiskRoleFact[]> {
  const drbdDisks = disks.flatMap((disk) => {
    const dev = drbdDeviceOf(disk);
    return dev ? [{ disk, dev }] : [];
  });
  if (!drbdDisks.length) return [];
  let proc = new Map<number, Roles>();
  try {
    proc = procDrbdRoles(readFileSync('/proc/drbd', 'utf8'));
  } catch {
    // no DRBD module loaded: every DRBD disk below reports an error
  }
  let json: ResourceState[] | string | undefined;
  const drbd9 = async (): Promise<ResourceState[] | string> => {
    if (json !== undefined) return json;
    const result = await exec.run('drbdsetup', ['status', '--json'], { timeoutMs: 10000 }).catch((error: Error) => ({ exitCode: -1, stdout: '', stderr: error.message }));
    try {
      json = result.exitCode === 0 ? parseStatusJson(result.stdout) : `drbdsetup status --json: ${(result.stderr || result.stdout).trim().split('\n')[0] || `exit ${result.exitCode}`}`;
    } catch (error) {
      json = (error as Error).message;
    }
    return json;
  };
  const facts: DiskRoleFact[] = [];
  for (const { disk, dev } of drbdDisks) {
    let minor = dev.minor;
    if (minor === undefined) {
      try {
        minor = drbdDeviceOf(realpathSync(disk))?.minor;
      } catch {
        minor = undefined;
      }
    }
    const fromProc = minor !== undefined ? proc.get(minor) : undefined;
    if (fromProc) {
      facts.push({ disk, device: `drbd${minor}`, ...fromProc });
      continue;
    }
    const resources = await drbd9();
    const found = typeof resources === 'string' ? undefined : statusJsonRoles(resources, dev.resource !== undefined ? { resource: dev.resource } : { minor: minor! });
    if (found) facts.push({ disk, device: found.name, local: found.local, peers: found.peers });
    else facts.push({ disk, device: dev.resource ?? `drbd${minor}`, local: 'Unknown', peers: [], error: typeof resources === 'string' ? resources : 'not a configured DRBD device here' });
  }
  return facts;
}
