// The DRBD role of the guest's disks, read with the DRBD model's parsers (agents/drbd):
// /proc/drbd for DRBD 8.4 (the module in distribution kernels), `drbdsetup status --json` for
// DRBD 9, whose /proc/drbd has no device lines. The mapping to roles is pure; `diskRoles` gathers.
import { readFileSync } from 'node:fs';
import { parseProcDrbd } from '../drbd/parse-proc';
import { parseStatusJson } from '../drbd/parse-status-json';
import type { ResourceState } from '../drbd/types';
import type { Executor } from '../core/executor';
import type { DrbdDevice, ResolvedDisk } from './disks';
import type { DiskRoleFact, DrbdRole, PeerRoleFact } from './guards';

type Roles = { local: DrbdRole; peers: PeerRoleFact[] };
const asRole = (text: string | undefined): DrbdRole => (text === 'Primary' || text === 'Secondary' ? text : 'Unknown');

// The connection states in which DRBD exchanges state with the peer (8.x vocabulary, and 9's
// Connected). A state not listed here, including one a newer DRBD adds, never counts as connected.
const CONNECTED = new Set(['Connected', 'StartingSyncS', 'StartingSyncT', 'WFBitMapS', 'WFBitMapT', 'WFSyncUUID', 'SyncSource', 'SyncTarget', 'PausedSyncS', 'PausedSyncT', 'VerifyS', 'VerifyT', 'Ahead', 'Behind']);

/** The peer's role as far as the connection proves it: a reported Primary always counts. */
function peerRole(connection: string, reported: string, peerDisk: string): PeerRoleFact {
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

/**
 * The DRBD role of every DRBD device the guest's disks resolved to (disks.ts); a disk that could
 * not be resolved becomes a fact with an error, so the storage guard refuses it by name.
 */
export async function diskRoles(resolved: ResolvedDisk[], exec: Executor): Promise<DiskRoleFact[]> {
  const facts: DiskRoleFact[] = [];
  const devices: Array<{ disk: string; dev: DrbdDevice; via: string }> = [];
  for (const r of resolved) {
    if ('error' in r) facts.push({ disk: r.disk, device: '?', local: 'Unknown', peers: [], error: `cannot resolve it: ${r.error}` });
    else for (const d of r.drbd) devices.push({ disk: r.disk, dev: d, via: d.via });
  }
  if (!devices.length) return facts;
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
  for (const { disk, dev, via } of devices) {
    const name = dev.minor !== undefined ? `drbd${dev.minor}` : dev.resource;
    // the disk as the admin wrote it, and the device chain when it took resolving
    const shown = via === disk ? disk : via;
    const fromProc = dev.minor !== undefined ? proc.get(dev.minor) : undefined;
    if (fromProc) {
      facts.push({ disk: shown, device: name, ...fromProc });
      continue;
    }
    const resources = await drbd9();
    const found = typeof resources === 'string' ? undefined : statusJsonRoles(resources, dev.resource !== undefined ? { resource: dev.resource } : { minor: dev.minor });
    if (found) facts.push({ disk: shown, device: found.name, local: found.local, peers: found.peers });
    else facts.push({ disk: shown, device: name, local: 'Unknown', peers: [], error: typeof resources === 'string' ? resources : 'not a configured DRBD device here' });
  }
  return facts;
}
