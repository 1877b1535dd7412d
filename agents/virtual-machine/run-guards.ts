// Runs the four guards for a start or a migration: gathers the facts (I/O), asks the pure
// decisions in guards.ts, and throws the first refusal as the action's exit reason.
import type { Executor } from '../exec/executor';
import { GenericError } from '../ocf/errors';
import type { Logger } from '../ocf/log';
import type { DomainRef } from './backend';
import { diskRoles } from './drbd-role';
import { decideLease, decideLockManager, decidePeers, decideStorage, type DualPrimaryPolicy, type Handoff, type Lease, type NodeStatus } from './guards';
import { leaseFile, readLease, writeLease } from './lease';
import { lockManagerFact } from './lock-manager';
import { askPeers, listPeers, pacemakerNodeStatus } from './peers';

export interface GuardSettings {
  self: string;
  checkPeers: boolean;
  peers: string | undefined;
  peerUri: string;
  peerTimeoutMs: number;
  leaseDir: string | undefined;
  leaseDurationMs: number;
  requireLockManager: boolean;
  checkStorage: boolean;
  dualPrimary: DualPrimaryPolicy;
  hypervisor: string;
  backend: 'libvirt' | 'xl';
}

export interface GuardInput {
  ref: DomainRef;
  guest: string;
  disks: string[];
  handoff?: Handoff;
}

export async function runGuards(settings: GuardSettings, input: GuardInput, exec: Executor, log: Logger, now = Date.now): Promise<void> {
  const fail = (reason: string): never => {
    throw new GenericError(`${reason} [on ${settings.self}]`);
  };
  const note = (notes: string[]) => notes.forEach((n) => log.info(n));

  if (settings.backend === 'libvirt') {
    const lock = decideLockManager(lockManagerFact(settings.hypervisor), settings.requireLockManager);
    if (!lock.ok) fail(lock.reason);
    else note(lock.notes);
  }

  if (settings.checkStorage && input.disks.length) {
    const storage = decideStorage(await diskRoles(input.disks, exec), settings.dualPrimary, input.handoff);
    if (!storage.ok) fail(storage.reason);
    else note(storage.notes);
  }

  if (settings.leaseDir) {
    const file = leaseFile(settings.leaseDir, input.guest);
    const lease = decideLease(readLease(file), settings.self, now(), file, input.handoff);
    if (!lease.ok) fail(lease.reason);
    else note(lease.notes);
  }

  if (settings.checkPeers) {
    const nodes = await listPeers(exec, settings.peers, settings.self);
    const answers = await askPeers(exec, nodes, settings.peerUri, input.ref, settings.peerTimeoutMs);
    let status: NodeStatus[] | undefined;
    if (answers.some((a) => a.kind === 'unreachable')) status = await pacemakerNodeStatus(exec);
    const peers = decidePeers(answers, status, input.handoff);
    if (!peers.ok) fail(peers.reason);
    else note(peers.notes);
    if (nodes.length) log.info(`peers asked: ${answers.map((a) => `${a.node}=${a.kind}`).join(', ')}`);
  }
}

/**
 * Takes (or renews) the lease for `holder`. A takeover of an expired lease, and a handoff, are
 * recorded in the file and logged. Called after the guards passed.
 */
export function takeLease(settings: GuardSettings, guest: string, holder: string, log: Logger, extra: Partial<Lease> = {}, now = Date.now()): void {
  if (!settings.leaseDir) return;
  const file = leaseFile(settings.leaseDir, guest);
  const previous = readLease(file);
  const lease: Lease = { guest, holder, renewedAt: now, expiresAt: now + settings.leaseDurationMs, ...extra };
  if (previous.kind === 'lease' && previous.lease.holder !== holder && !extra.handoffFrom) {
    lease.takenOverFrom = previous.lease.holder;
    log.warn(`lease ${file}: taken over from ${previous.lease.holder} (expired ${new Date(previous.lease.expiresAt).toISOString()})`);
  } else if (previous.kind === 'lease' && previous.lease.holder === holder) {
    if (previous.lease.takenOverFrom) lease.takenOverFrom = previous.lease.takenOverFrom;
  }
  writeLease(file, lease);
}
