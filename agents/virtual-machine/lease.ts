// The per-guest lease on shared storage, as data and decisions (pure): who runs the guest and
// until when, and what a node may do with the lease it finds. The file operations that carry a
// decision out atomically are in lease-store.ts.
import path from 'node:path';
import type { Handoff } from './guards';

export interface Lease {
  guest: string;
  holder: string;
  /** epoch ms, by the holder's clock */
  expiresAt: number;
  renewedAt: number;
  /**
   * How often the holder renewed this lease since it took it (0 at the take). Monotonic while one
   * node holds it: whoever sees it advance knows the holder is alive, whatever the clocks say.
   */
  renewals: number;
  takenOverFrom?: string;
  handoffFrom?: string;
}

export type LeaseFact = { kind: 'none' } | { kind: 'lease'; lease: Lease } | { kind: 'corrupt'; file: string; error: string };

export function leaseFile(dir: string, guest: string): string {
  return path.join(dir, `${guest.replace(/[^A-Za-z0-9_.-]/g, '_')}.lease`);
}

export function parseLease(text: string): Lease {
  const data = JSON.parse(text) as Record<string, unknown>;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error('not a JSON object');
  const str = (k: string) => (typeof data[k] === 'string' ? (data[k] as string) : undefined);
  const time = (k: string) => {
    const v = str(k);
    const t = v === undefined ? NaN : Date.parse(v);
    if (Number.isNaN(t)) throw new Error(`"${k}" is not a timestamp`);
    return t;
  };
  const holder = str('holder');
  if (!holder) throw new Error('no holder');
  // leases written before the count existed have none: they count as never renewed
  const renewals = data.renewals ?? 0;
  if (typeof renewals !== 'number' || !Number.isSafeInteger(renewals) || renewals < 0) throw new Error('"renewals" is not a count');
  const lease: Lease = { guest: str('guest') ?? '', holder, expiresAt: time('expires'), renewedAt: time('renewed'), renewals };
  if (str('takenOverFrom')) lease.takenOverFrom = str('takenOverFrom');
  if (str('handoffFrom')) lease.handoffFrom = str('handoffFrom');
  return lease;
}

export function serializeLease(lease: Lease): string {
  const out: Record<string, string | number> = {
    guest: lease.guest,
    holder: lease.holder,
    expires: new Date(lease.expiresAt).toISOString(),
    renewed: new Date(lease.renewedAt).toISOString(),
    renewals: lease.renewals,
  };
  if (lease.takenOverFrom) out.takenOverFrom = lease.takenOverFrom;
  if (lease.handoffFrom) out.handoffFrom = lease.handoffFrom;
  return JSON.stringify(out, null, 1) + '\n';
}

/**
 * What this node may do with the lease it read:
 * - create: there is none; create it, exclusively (another node may create it at the same time);
 * - renew: it holds it and it has not expired by its own clock; replace it in place;
 * - take: it is expired (or handed over); move exactly this file away first, so that of several
 *   nodes taking it at once only one can, then create the new one exclusively.
 */
export type LeaseStep = { kind: 'create' } | { kind: 'renew'; previous: Lease } | { kind: 'take'; previous: Lease; from?: string };

export type LeaseVerdict = { ok: true; step: LeaseStep; notes: string[] } | { ok: false; reason: string };

export interface LeaseClock {
  now: number;
  /** how far another node's clock may be ahead of ours: its lease is expired only this long after its expiry */
  skewMs: number;
}

const iso = (t: number) => new Date(t).toISOString();

export interface LeaseSituation {
  handoff?: Handoff;
  /** migrate_to failed after the lease was handed to the target: take back a lease that names the target and says it came from this node */
  handback?: boolean;
  /** the lease as this node saw it earlier in the same action, before it asked the peers */
  seen?: LeaseFact;
}

export function decideLease(
  fact: LeaseFact,
  self: string,
  clock: LeaseClock,
  file: string,
  { handoff, handback = false, seen }: LeaseSituation = {},
): LeaseVerdict {
  if (fact.kind === 'none') return { ok: true, step: { kind: 'create' }, notes: [] };
  if (fact.kind === 'corrupt')
    return { ok: false, reason: `the lease file is unreadable (${fact.error}): ${fact.file}; check it, remove it if no node runs the guest` };
  const { lease } = fact;
  if (lease.holder === self) {
    if (clock.now < lease.expiresAt) return { ok: true, step: { kind: 'renew', previous: lease }, notes: [] };
    return { ok: true, step: { kind: 'take', previous: lease }, notes: [`this node's own lease ${file} expired at ${iso(lease.expiresAt)}; taking it again`] };
  }
  if (handoff?.role === 'target' && lease.holder === handoff.source) {
    return { ok: true, step: { kind: 'take', previous: lease }, notes: [`lease handed over from ${lease.holder} by live migration`] };
  }
  if (handback && handoff?.role === 'source' && lease.holder === handoff.target && lease.handoffFrom === self) {
    return { ok: true, step: { kind: 'take', previous: lease }, notes: [`lease taken back from ${lease.holder}: the migration to it failed`] };
  }
  const ago = Math.round((clock.now - lease.expiresAt) / 1000);
  // Renewed while this node was asking the peers: its holder is alive, whatever the clocks say.
  if (seen?.kind === 'lease' && seen.lease.holder === lease.holder && lease.renewals > seen.lease.renewals) {
    return {
      ok: false,
      reason: `${lease.holder} renewed its lease while this node checked (renewal #${seen.lease.renewals} to #${lease.renewals}): it is alive (${file})`,
    };
  }
  if (clock.now > lease.expiresAt + clock.skewMs) {
    return {
      ok: true,
      step: { kind: 'take', previous: lease, from: lease.holder },
      notes: [
        `lease ${file}: taken over from ${lease.holder}; its lease expired at ${iso(lease.expiresAt)}, ${ago} s ago by this node's clock (renewal #${lease.renewals})`,
      ],
    };
  }
  if (clock.now > lease.expiresAt) {
    return {
      ok: false,
      reason: `${lease.holder}'s lease expired only ${ago} s ago, within lease_skew_margin=${clock.skewMs / 1000} s (${file}, renewal #${lease.renewals})`,
    };
  }
  return {
    ok: false,
    reason: `${lease.holder} holds the lease until ${iso(lease.expiresAt)} (${file}, renewed ${iso(lease.renewedAt)}, renewal #${lease.renewals})`,
  };
}

/** The lease a step writes: a renewal by the same holder counts on; any other step starts at 0. */
export function nextLease(step: LeaseStep, guest: string, holder: string, now: number, durationMs: number, handoffFrom?: string): Lease {
  const lease: Lease = { guest, holder, renewedAt: now, expiresAt: now + durationMs, renewals: 0 };
  if (step.kind === 'renew' && step.previous.holder === holder) {
    lease.renewals = step.previous.renewals + 1;
    if (step.previous.takenOverFrom) lease.takenOverFrom = step.previous.takenOverFrom;
  }
  if (step.kind === 'take' && step.from) lease.takenOverFrom = step.from;
  if (handoffFrom) lease.handoffFrom = handoffFrom;
  return lease;
}
