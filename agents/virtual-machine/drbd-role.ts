// The DRBD role of the guest's disks, read with the DRBD model's live-state reader (agents/drbd):
// /proc/drbd for DRBD 8.4 (the module in distribution kernels), `drbdsetup status --json` for
// DRBD 9, whose /proc/drbd has no device lines. The mapping to roles is pure; `diskRoles` gathers.
import { readProcDrbd, readStatusJson } from '../drbd/live-state';
import { parseProcDrbd, type ProcDrbd } from '../drbd/parse-proc';
import { drbdSettings, type DrbdSettings } from '../drbd/settings';
import type { ResourceState } from '../drbd/types';
import type { Executor } from '../core/executor';
import type { DrbdDevice, ResolvedDisk } from './disks';
import type { DiskRoleFact, DrbdRole, PeerRoleFact } from './guards';

type Roles = { local: DrbdRole; peers: PeerRoleFact[] };
const asRole = (text: string | undefined): DrbdRole => (text === 'Primary' || text === 'Secondary' ? text : 'Unknown');

// The connection states in which DRBD exchanges state with the peer (8.x vocabulary, and 9's
// Connected). A state not listed here, including one a newer DRBD adds, never counts as connected.
const CONNECTED = new Set([
  'Connected',
  'StartingSyncS',
  'StartingSyncT',
  'WFBitMapS',
  'WFBitMapT',
  'WFSyncUUID',
  'SyncSource',
  'SyncTarget',
  'PausedSyncS',
  'PausedSyncT',
  'VerifyS',
  'VerifyT',
  'Ahead',
  'Behind',
]);

/** The peer's role as far as the connection proves it: a reported Primary always counts. */
function peerRole(connection: string, reported: string, peerDisk: string): PeerRoleFact {
  const role = asRole(reported);
  return { role: role === 'Primary' || CONNECTED.has(connection) ? role : 'Unknown', connection, peerDisk };
}

/** minor -> roles from /proc/drbd (configured minors only); the text, or as readProcDrbd parsed it. */
export function procDrbdRoles(proc: string | ProcDrbd): Map<number, Roles> {
  const roles = new Map<number, Roles>();
  for (const d of (typeof proc === 'string' ? parseProcDrbd(proc) : proc).devices) {
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
export async function diskRoles(
  resolved: ResolvedDisk[],
  exec: Executor,
  settings: Pick<DrbdSettings, 'procDrbd' | 'drbdsetup'> = drbdSettings(),
): Promise<DiskRoleFact[]> {
  const facts: DiskRoleFact[] = [];
  const devices: Array<{ disk: string; dev: DrbdDevice; via: string }> = [];
  for (const r of resolved) {
    if ('error' in r) facts.push({ disk: r.disk, device: '?', local: 'Unknown', peers: [], error: `cannot resolve it: ${r.error}` });
    else for (const d of r.drbd) devices.push({ disk: r.disk, dev: d, via: d.via });
  }
  if (!devices.length) return facts;
  let proc = new Map<number, Roles>();
  try {
    const procDrbd = await readProcDrbd(settings.procDrbd);
    if (procDrbd) proc = procDrbdRoles(procDrbd);
  } catch {
    // no DRBD module loaded, or a /proc/drbd it cannot read: every DRBD disk below reports an error
  }
  let json: ResourceState[] | string | undefined;
  const drbd9 = async (): Promise<ResourceState[] | string> => {
    if (json !== undefined) return json;
    const read = await readStatusJson(exec, settings.drbdsetup, 10000).catch((error: Error) => ({
      error: `drbdsetup status --json: ${error.message.trim().split('\n')[0] || 'exit -1'}`,
    }));
    json = 'resources' in read ? read.resources : read.error;
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
    const found =
      typeof resources === 'string' ? undefined : statusJsonRoles(resources, dev.resource !== undefined ? { resource: dev.resource } : { minor: dev.minor });
    if (found) facts.push({ disk: shown, device: found.name, local: found.local, peers: found.peers });
    else
      facts.push({
        disk: shown,
        device: name,
        local: 'Unknown',
        peers: [],
        error: typeof resources === 'string' ? resources : 'not a configured DRBD device here',
      });
  }
  return facts;
}
