// The reconnect policy: a pure decision over evidence. Reconnect a connection that is StandAlone
// for a network reason; never one that is StandAlone on purpose (split brain, unrelated data,
// incompatible settings, an admin's disconnect) or that was not up before the network event
// (LINBIT's graceful-disconnect restores exactly the connections that were up). Backoff keeps a
// flapping link or a persistent failure from looping. Never --discard-my-data, never roles.
import type { KernelCause, KernelVerdict } from './parse-kernel-log';
import { classifyConnection } from './types';
import { assertNever } from '../ocf/parameters';

export type LeaveReason = 'split-brain' | 'unrelated-data' | 'incompatible' | 'admin-disconnect' | 'not-in-baseline' | 'unknown-cause' | 'resource-down';

export type Verdict =
  | { action: 'none'; kind: 'connected' | 'retrying'; why: string }
  | { action: 'reconnect'; why: string }
  | { action: 'wait'; kind: 'backoff' | 'network-down'; why: string; until?: number }
  | { action: 'leave'; reason: LeaveReason; why: string };

export interface BaselineEntry {
  /** up: seen connected (or retrying by itself); down: seen StandAlone on purpose */
  state: 'up' | 'down';
  at: number;
}

export interface BackoffEntry {
  attempts: number;
  lastAttempt: number;
}

export interface SplitBrainMarker {
  resource: string;
  peer?: string;
  peerNodeId?: number;
  at: number;
}

export interface Evidence {
  now: number;
  /** connection state as DRBD names it ("Unconfigured" when the resource is not up) */
  state: string;
  /** a marker recorded by ocfkit's split-brain handler for this connection */
  splitBrainMarker?: SplitBrainMarker | undefined;
  /** DRBD 9 events2 showed `call helper ... helper:split-brain` for this connection */
  events2SplitBrain?: boolean;
  /** undefined: the kernel log could not be read */
  kernelLog?: { verdict: KernelVerdict | undefined } | undefined;
  baseline?: BaselineEntry | undefined;
  /** is the configured local address on an interface now? undefined: unknown */
  localAddressPresent?: boolean | undefined;
  backoff?: BackoffEntry | undefined;
}

export interface PolicySettings {
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export const DEFAULT_POLICY: PolicySettings = { backoffBaseMs: 10_000, backoffMaxMs: 600_000 };

/** Delay before attempt number attempts+1: base, 2x base, 4x base ... capped. */
export function backoffDelay(attempts: number, settings: PolicySettings = DEFAULT_POLICY): number {
  if (attempts <= 0) return 0;
  return Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** (attempts - 1));
}

/** Attempts older than twice the longest delay are forgotten: one restart a day never backs off. */
export function effectiveAttempts(entry: BackoffEntry | undefined, now: number, settings: PolicySettings = DEFAULT_POLICY): number {
  if (!entry) return 0;
  return now - entry.lastAttempt > 2 * settings.backoffMaxMs ? 0 : entry.attempts;
}

const DELIBERATE: Record<Exclude<KernelCause, 'network'>, string> = {
  'split-brain': 'the kernel log shows a split brain',
  'unrelated-data': 'the kernel log shows unrelated data (different data generations)',
  incompatible: 'the kernel log shows incompatible settings',
  'admin-disconnect': 'the kernel log shows a disconnect with no failure before it (drbdadm disconnect)',
};

export function decide(e: Evidence, settings: PolicySettings = DEFAULT_POLICY): Verdict {
  const cls = classifyConnection(e.state);
  switch (cls) {
    case 'connected':
      return { action: 'none', kind: 'connected', why: e.state };
    case 'retrying':
      return { action: 'none', kind: 'retrying', why: `${e.state}: DRBD retries by itself` };
    case 'down':
      return { action: 'leave', reason: 'resource-down', why: 'the resource is not up (drbdadm up is an admin decision)' };
    case 'standalone':
      return decideStandAlone(e, settings);
    default:
      return assertNever(cls);
  }
}

function decideStandAlone(e: Evidence, settings: PolicySettings): Verdict {
  if (e.splitBrainMarker) {
    return { action: 'leave', reason: 'split-brain', why: `ocfkit's split-brain handler recorded a split brain at ${new Date(e.splitBrainMarker.at).toISOString()}` };
  }
  if (e.events2SplitBrain) return { action: 'leave', reason: 'split-brain', why: 'events2 shows the split-brain helper was called' };
  const kernel = e.kernelLog?.verdict;
  if (kernel && kernel.cause !== 'network') return { action: 'leave', reason: kernel.cause, why: `${DELIBERATE[kernel.cause]}: ${kernel.line}` };
  if (e.baseline?.state === 'down') {
    return { action: 'leave', reason: 'not-in-baseline', why: `it was already StandAlone on purpose before (recorded ${new Date(e.baseline.at).toISOString()})` };
  }
  const networkReason = kernel?.cause === 'network' ? `kernel log: ${kernel.line}` : e.baseline?.state === 'up' ? `it was up before (recorded ${new Date(e.baseline.at).toISOString()})` : undefined;
  if (!networkReason) {
    const log = e.kernelLog ? 'the kernel log names no cause' : 'the kernel log is not readable';
    return { action: 'leave', reason: 'unknown-cause', why: `no record that it was up before and ${log}; not reconnecting blindly` };
  }
  if (e.localAddressPresent === false) {
    return { action: 'wait', kind: 'network-down', why: `the local replication address is not on any interface yet (${networkReason})` };
  }
  const attempts = effectiveAttempts(e.backoff, e.now, settings);
  if (attempts > 0) {
    const until = e.backoff!.lastAttempt + backoffDelay(attempts, settings);
    if (e.now < until) {
      return { action: 'wait', kind: 'backoff', until, why: `${attempts} reconnect attempt(s) recently; next not before ${new Date(until).toISOString()}` };
    }
  }
  return { action: 'reconnect', why: `StandAlone for a network reason: ${networkReason}` };
}

/** A connection the policy wants connected but is not (the agent reports OCF_DEGRADED for these). */
export function wantsReconnect(v: Verdict): boolean {
  return v.action === 'reconnect' || v.action === 'wait';
}

export function describeVerdict(v: Verdict): string {
  switch (v.action) {
    case 'none':
      return v.kind;
    case 'reconnect':
      return 'reconnect';
    case 'wait':
      return v.kind === 'backoff' ? 'backoff' : 'wait-network';
    case 'leave':
      return `leave (${v.reason})`;
    default:
      return assertNever(v);
  }
}
