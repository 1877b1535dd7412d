// `ocfkit drbd split-brain-handler`: configured as DRBD's `split-brain` handler, it records a
// marker per resource/peer so that ocfkit never reconnects a split-brained connection, then runs
// the handler configured before it (e.g. notify-split-brain.sh) so nothing is lost. drbdadm runs
// handlers through /bin/sh with DRBD_RESOURCE, DRBD_MINOR, DRBD_PEER_ADDRESS, DRBD_PEER_AF and
// (8.3/8.4) DRBD_PEER, the peer's first name, or (9) DRBD_PEER_NODE_ID and DRBD_NODE_ID_<id>=<the
// peer's names, space-separated>; see test/fixtures/drbd/handler-env-*.txt, printed by drbdadm.
import type { Executor } from '../core/executor';
import type { Logger } from '../core/log';
import type { SplitBrainMarker } from './policy';
import { StateDir } from './state-dir';

export interface HandlerOptions {
  resource?: string;
  peer?: string;
  /** previously configured handler command lines, run in order through /bin/sh */
  chain: readonly string[];
  now?: number;
}

export interface HandlerResult {
  marker: SplitBrainMarker;
  file: string;
  /** exit code of the first chained handler that failed, else 0 */
  exitCode: number;
}

export class HandlerInputError extends Error {}

export function markerFromEnv(env: NodeJS.ProcessEnv, options: HandlerOptions): SplitBrainMarker & Record<string, unknown> {
  const resource = options.resource ?? env.DRBD_RESOURCE;
  if (!resource)
    throw new HandlerInputError('no resource: DRBD_RESOURCE is not set and --resource was not given (is this run by drbdadm as the split-brain handler?)');
  const nodeId = env.DRBD_PEER_NODE_ID !== undefined && /^\d+$/.test(env.DRBD_PEER_NODE_ID) ? Number(env.DRBD_PEER_NODE_ID) : undefined;
  const names = nodeId !== undefined ? env[`DRBD_NODE_ID_${nodeId}`] : undefined;
  const peer = options.peer ?? (names ? connectionName(names) : undefined) ?? env.DRBD_PEER;
  const marker: SplitBrainMarker & Record<string, unknown> = { resource, at: options.now ?? Date.now() };
  if (peer) marker.peer = peer;
  if (nodeId !== undefined) marker.peerNodeId = nodeId;
  for (const key of ['DRBD_MINOR', 'DRBD_VOLUME', 'DRBD_PEER_ADDRESS', 'DRBD_PEER_AF']) if (env[key]) marker[key] = env[key];
  return marker;
}

/**
 * The kernel's name for the connection to a 9 peer, from DRBD_NODE_ID_<id>: drbdadm joins an `on`
 * section's names with spaces there but with "_" in the connection name it gives the kernel
 * ("bob bob.example.net" -> "bob_bob.example.net"). A floating host has one name, its address
 * as written ("192.168.7.2:7791", "ipv6 [fd01::2]:7792"), kept as it is.
 */
function connectionName(names: string): string {
  const trimmed = names.trim();
  if (/^(ipv4|ipv6|ssocks|sdp|sci) \S+:\d+$/.test(trimmed)) return trimmed;
  return trimmed.split(/\s+/).join('_');
}

export async function runSplitBrainHandler(
  exec: Executor,
  stateDir: string,
  env: NodeJS.ProcessEnv,
  log: Logger,
  options: HandlerOptions,
): Promise<HandlerResult> {
  const marker = markerFromEnv(env, options);
  let file = '';
  let recordError: unknown;
  try {
    file = new StateDir(stateDir).writeMarker(marker);
    log.warn(
      `split brain on ${marker.resource}${marker.peer ? ` with ${marker.peer}` : ''}: recorded in ${file}; ocfkit will not reconnect it until it is seen connected again`,
    );
  } catch (error) {
    recordError = error;
  }
  // the chained handlers run even when recording failed: notifying the admin matters most
  let exitCode = 0;
  for (const command of options.chain) {
    const result = await exec.run('/bin/sh', ['-c', command], { timeoutMs: 120_000 });
    if (result.exitCode !== 0) {
      log.warn(`chained split-brain handler "${command}" exited ${result.exitCode}`);
      if (exitCode === 0) exitCode = result.exitCode;
    }
  }
  if (recordError) throw new Error(`cannot record the split-brain marker in ${stateDir}: ${(recordError as Error).message}`);
  return { marker, file, exitCode };
}
