// Runs the four guards for a start or a migration: gathers the facts (I/O), asks the pure
// decisions in guards.ts, and throws the first refusal as the action's exit reason.
import type { Executor } from '../core/executor';
import { GenericError } from '../core/errors';
import type { Logger } from '../core/log';
import type { DomainRef } from './backend';
import { definedDisks, resolveDisks, systemBlocks } from './disks';
import { diskRoles } from './drbd-role';
import { decidePeers, decideStorage, type DualPrimaryPolicy, type Handoff, type NodeStatus } from './guards';
import { decideLease, leaseFile, type LeaseFact } from './lease';
import { acquireLease, checkLeaseDir, readLease, type LeaseRequest } from './lease-store';
import { checkLockManager } from './lock-manager';
import { askPeers, listPeers, pacemakerNodeStatus } from './peers';
import { acceptCensus, decideCensus, readCensus } from './census-evidence';

export interface GuardSettings {
  self: string;
  checkPeers: boolean;
  peers: string | undefined;
  peerUri: string;
  peerTimeoutMs: number;
  leaseDir: string | undefined;
  leaseDurationMs: number;
  leaseSkewMs: number;
  requireLockManager: boolean;
  checkStorage: boolean;
  dualPrimary: DualPrimaryPolicy;
  /** GuestCensus evidence (census-evidence.ts) */
  census?: { attribute: string; maxAgeMs: number; trust: boolean };
  hypervisor: string;
  backend: 'libvirt' | 'xl';
  /** where /etc/libvirt and /run are looked up (host_root) */
  hostRoot: string;
}

export interface GuardInput {
  ref: DomainRef;
  guest: string;
  /** the disks from the config file; undefined when none was read (libvirt's definition is asked) */
  disks: string[] | undefined;
  handoff?: Handoff;
}

/** What the guards saw that the lease's take after them needs. */
export interface GuardFacts {
  lease?: LeaseFact;
}

export async function runGuards(settings: GuardSettings, input: GuardInput, exec: Executor, log: Logger, now = Date.now): Promise<GuardFacts> {
  const facts: GuardFacts = {};
  const fail = (reason: string): never => {
    // crm_mon shows which node refused; the reason itself keeps to the evidence (and is logged whole)
    log.err(`start refused on ${settings.self}: ${reason}`);
    throw new GenericError(reason);
  };
  const note = (notes: string[]) => notes.forEach((n) => log.info(n));

  if (settings.backend === 'libvirt') {
    // the nodes are listed only when sanlock's host_id is compared (peers=none: none to compare)
    const peers = { nodes: () => listPeers(exec, settings.peers, settings.self), publishAs: settings.self };
    const lock = await checkLockManager(settings.hypervisor, settings.requireLockManager, exec, { root: settings.hostRoot, peers });
    if (!lock.ok) fail(lock.reason);
    else note(lock.notes);
  }

  if (settings.checkStorage) {
    const disks =
      input.disks ??
      (await definedDisks(exec, settings.backend, settings.hypervisor, input.ref).catch((error: Error) =>
        fail(`cannot check the guest's disks: ${error.message}`),
      ));
    const resolved = await resolveDisks(disks, exec, settings.hypervisor, systemBlocks());
    const storage = decideStorage(await diskRoles(resolved, exec), settings.dualPrimary, input.handoff);
    if (!storage.ok) fail(storage.reason);
    else note(storage.notes);
  }

  if (settings.leaseDir) {
    // A first look, before the peers are asked, so a held lease is the reason given. It decides
    // nothing: the lease is judged again and taken in one step after the guards (lease-store.ts).
    const place = checkLeaseDir(settings.leaseDir);
    if (!place.ok) fail(place.reason);
    const file = leaseFile(settings.leaseDir, input.guest);
    facts.lease = readLease(file);
    const lease = decideLease(facts.lease, settings.self, { now: now(), skewMs: settings.leaseSkewMs }, file, { handoff: input.handoff });
    if (!lease.ok) fail(lease.reason);
  }

  if (settings.checkPeers) {
    const nodes = await listPeers(exec, settings.peers, settings.self);
    const freshness = { now: now(), maxAgeMs: settings.census?.maxAgeMs ?? 0, skewMs: settings.leaseSkewMs };
    const census = settings.census && nodes.length ? await readCensus(exec, settings.census.attribute) : [];
    const byCensus = decideCensus(census, settings.self, input.ref, freshness, input.handoff);
    if (!byCensus.ok) fail(byCensus.reason);
    else note(byCensus.notes);
    let answers = await askPeers(exec, nodes, settings.peerUri, input.ref, settings.peerTimeoutMs);
    if (settings.census?.trust) {
      const accepted = acceptCensus(answers, census, input.ref, freshness);
      answers = accepted.answers;
      note(accepted.notes);
    }
    let status: NodeStatus[] | undefined;
    if (answers.some((a) => a.kind === 'unreachable')) status = await pacemakerNodeStatus(exec);
    const peers = decidePeers(answers, status, input.handoff);
    if (!peers.ok) fail(peers.reason);
    else note(peers.notes);
    if (nodes.length) log.info(`peers asked: ${answers.map((a) => `${a.node}=${a.kind}`).join(', ')}`);
  }
  return facts;
}

/**
 * Takes, renews or hands over the lease after the guards passed, judged again on what is read
 * now (another node may have taken it while the peers were asked); a refusal fails the action.
 */
export function takeLease(settings: GuardSettings, request: Omit<LeaseRequest, 'self'>, log: Logger): void {
  const outcome = acquireLease(settings, { ...request, self: settings.self }, log);
  if (outcome.ok) return;
  log.err(`start refused on ${settings.self}: ${outcome.reason}`);
  throw new GenericError(outcome.reason);
}
