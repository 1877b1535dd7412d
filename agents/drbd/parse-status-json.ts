// `drbdsetup status --json` (DRBD 9, utils >= 8.9.8): an array of resources with devices and
// connections (peer_devices, and `paths` since utils 9.26). Unknown keys are ignored; missing
// ones get DRBD's "unknown" values.
import { makeAddress } from './address';
import type { Address, ConnectionState, ResourceState } from './types';

type Json = Record<string, unknown>;

export class StatusJsonError extends Error {}

export function parseStatusJson(text: string): ResourceState[] {
  let data: unknown;
  try {
    data = JSON.parse(text.trim() === '' ? '[]' : text);
  } catch (error) {
    throw new StatusJsonError(`drbdsetup status --json: not JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(data)) throw new StatusJsonError('drbdsetup status --json: expected an array of resources');
  return data.filter(isObject).map(resourceOf);
}

function resourceOf(r: Json): ResourceState {
  const role = str(r.role, 'Unknown');
  return {
    name: str(r.name, ''),
    up: true,
    role,
    volumes: arr(r.devices).map((d) => ({ volume: num(d.volume) ?? 0, minor: num(d.minor), disk: str(d['disk-state'], 'DUnknown'), role })),
    connections: arr(r.connections).map(connectionOf),
  };
}

function connectionOf(c: Json): ConnectionState {
  const paths = arr(c.paths);
  const path = paths.find((p) => p.established === true) ?? paths[0];
  const conn: ConnectionState = {
    peer: str(c.name, `peer-${num(c['peer-node-id']) ?? '?'}`),
    state: str(c['connection-state'], 'Unknown'),
    peerRole: str(c['peer-role'], 'Unknown'),
    peerVolumes: arr(c.peer_devices).map((pd) => ({
      volume: num(pd.volume) ?? 0,
      peerDisk: str(pd['peer-disk-state'], 'DUnknown'),
      replication: str(pd['replication-state'], 'Off'),
    })),
  };
  const nodeId = num(c['peer-node-id']);
  if (nodeId !== undefined) conn.peerNodeId = nodeId;
  const local = path && addressOf(path.this_host);
  const remote = path && addressOf(path.remote_host);
  if (local) conn.localAddress = local;
  if (remote) conn.peerAddress = remote;
  return conn;
}

function addressOf(value: unknown): Address | undefined {
  if (!isObject(value) || typeof value.address !== 'string') return undefined;
  return makeAddress(str(value.family, 'ipv4'), value.address, num(value.port) ?? 0);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function arr(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}
function str(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
}
