// Runs the four guards for a start or a migration: gathers the facts (I/O), asks the pure
// decisions in guards.ts, and throws the first refusal as the action's exit reason.
import { existsSync } from 'node:fs';
import type { Executor } from '../exec/executor';
import { GenericError } from '../ocf/errors';
import type { Logger } from '../ocf/log';
import type { DomainRef } from './backend';
import { definedDisks, resolveDisks, systemBlocks } from './disks';
import { diskRoles } from './drbd-role';
import { decideLease, decideLockManager, decidePeers, decideStorage, type DualPrimaryPolicy, type Handoff, type Lease, type NodeStatus } from './guards';
import { createLeaseExclusive, leaseFile, readLease, writeLease } from './lease';
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
  /** the disks from the config file; undefined when none was read (libvirt's definition is asked) */
  disks: string[] | undefined;
  handoff?: Handoff;
}

export async function runGuards(settings: GuardSettings, input: GuardInput, exec: Executor, log: Logger, now = Date.now): Promise<void> {
  const fail = (reason: string): never => {
    // crm_mon shows which node refused; the reason itself keeps to the evidence (and is logged whole)
    log.err(`start refused on ${settings.self}: ${reason}`);
    throw new GenericError(reason);
  };
  const note = (notes: string[]) => notes.forEach((n) => log.info(n));

  if (settings.backend === 'libvirt') {
    const lock = decideLockManager(await lockManagerFact(settings.hypervisor), settings.requireLockManager);
    if (!lock.ok) fail(lock.reason);
    else note(lock.notes);
  }

  if (settings.checkStorage) {
    const disks = input.disks ?? (await definedDisks(exec, settings.backend, settings.hypervisor, input.ref).catch((error: Error) => fail(`cannot check the guest's disks: ${error.message}`)));
    const resolved = await resolveDisks(disks, exec, settings.hypervisor, systemBlocks());
    const storage = decideStorage(await diskRoles(resolved, exec), settings.dualPrimary, input.handoff);
    if (!storage.ok) fail(storage.reason);
    else note(storage.notes);
  }

  if (settings.leaseDir) {
    if (!existsSync(settings.leaseDir)) fail(`the lease directory ${settings.leaseDir} does not exist here (shared storage not mounted?)`);
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
  // never create the directory: on a node where the shared storage is not mounted that would
  // put the lease on a local disk nobody else sees
  if (!existsSync(settings.leaseDir)) throw new GenericError(`cannot write the lease: ${settings.leaseDir} does not exist here (shared storage not mounted?)`);
  const file = leaseFile(settings.leaseDir, guest);
  const previous = readLease(file);
  const lease: Lease = { guest, holder, renewedAt: now, expiresAt: now + settings.leaseDurationMs, ...extra };
  if (previous.kind === 'lease' && previous.lease.holder !== holder && !extra.handoffFrom) {
    lease.takenOverFrom = previous.lease.holder;
    log.warn(`lease ${file}: taken over from ${previous.lease.holder} (expired ${new Date(previous.lease.expiresAt).toISOString()})`);
  } else if (previous.kind === 'lease' && previous.lease.holder === holder) {
    if (previous.lease.takenOverFrom) lease.takenOverFrom = previous.lease.takenOverFrom;
  }
  if (previous.kind === 'none') {
    // Two nodes starting at once both saw no lease: only one can create it.
    if (createLeaseExclusive(file, lease) === 'created') return;
    const now2 = readLease(file);
    const holder2 = now2.kind === 'lease' ? now2.lease.holder : 'another node';
    if (holder2 !== holder) throw new GenericError(`${holder2} took the lease while this node was checking (${file})`);
  }
  writeLease(file, lease);
}
