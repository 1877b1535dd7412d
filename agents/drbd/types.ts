// The DRBD model every parser feeds and every decision reads: resources -> volumes -> connections.
// State names stay strings as DRBD prints them (new versions add states); the helpers below
// classify them into the few groups the reconnect policy cares about.

export interface DrbdVersion {
  /** "8.4.11", "9.2.8" */
  text: string;
  major: number;
  minor: number;
  patch: number;
}

export interface Address {
  /** ipv4, ipv6, ssocks, sdp, ... as drbd.conf names it */
  family: string;
  address: string;
  port: number;
  /** IPv6 scope (interface) from an fe80::1%eth1 address */
  scope?: string;
}

interface VolumeState {
  volume: number;
  minor: number | undefined;
  /** local disk state: UpToDate, Diskless, ... */
  disk: string;
  role: string;
}

interface PeerVolumeState {
  volume: number;
  /** peer disk state (DUnknown when not connected) */
  peerDisk: string;
  /** 9: replication state per peer device (Off, Established, SyncSource, ...); 8.x: the cstate */
  replication?: string;
}

export interface ConnectionState {
  /** peer host name (8.x: from the configuration; "peer" when unknown) */
  peer: string;
  peerNodeId?: number;
  /** connection state as DRBD names it (StandAlone, Connected, WFConnection, ...) */
  state: string;
  peerRole: string;
  peerVolumes: PeerVolumeState[];
  localAddress?: Address;
  peerAddress?: Address;
}

export interface ResourceState {
  name: string;
  /** false when the resource is configured but not up in the kernel (Unconfigured) */
  up: boolean;
  role: string;
  volumes: VolumeState[];
  connections: ConnectionState[];
}

export interface DrbdModel {
  version: DrbdVersion | undefined;
  /** this node's name as drbd.conf's `on` sections use it */
  hostname: string;
  resources: ResourceState[];
}

/** Connection states in which DRBD keeps trying by itself (8.x and 9 vocabularies). */
const RETRYING = new Set([
  'Unconnected',
  'Timeout',
  'BrokenPipe',
  'NetworkFailure',
  'ProtocolError',
  'WFConnection',
  'WFReportParams',
  'TearDown',
  'Connecting',
]);

export type ConnectionClass = 'connected' | 'retrying' | 'disconnecting' | 'standalone' | 'down';

/** Groups a connection state: connected (incl. syncing), retrying by itself, on its way to
 *  StandAlone (DRBD always goes StandAlone from Disconnecting), StandAlone, or down. */
export function classifyConnection(state: string): ConnectionClass {
  if (state === 'StandAlone') return 'standalone';
  if (state === 'Disconnecting') return 'disconnecting';
  if (state === 'Unconfigured' || state === '') return 'down';
  if (RETRYING.has(state)) return 'retrying';
  // Connected, the sync/verify states, Ahead/Behind and anything newer that implies a link
  return 'connected';
}

/** Key of a connection in the state dir records: "r0:bob" (8.x uses the configured peer name). */
export function connectionKey(resource: string, peer: string): string {
  return `${resource}:${peer}`;
}
