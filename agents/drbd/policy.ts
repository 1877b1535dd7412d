// The reconnect policy: a pure decision over evidence. A StandAlone connection is reconnected only on
// POSITIVE evidence that a network event ended it: the kernel log shows, for the current episode, a
// network failure after which DRBD gave up (8.x bind failures, 9 before 9.0.16 "Failed to initiate
// connection", 9.2's [connect-failed]) and no deliberate cause (split brain, unrelated data,
// incompatible settings, a refused handshake, an admin's disconnect/down/del-peer) after it, and the
// log reaches back far enough that a later cause cannot be missing. Everything else is left alone,
// with the reason: "it was up before" is not evidence (every working connection was up before), and
// neither is a log that is unreadable, cleared or wrapped. Backoff keeps a flapping link from looping.
// Never --discard-my-data, never roles.
import type { EpisodeEvidence, KernelCause } from './parse-kernel-log';
import { classifyConnection } from './types';
import { assertNever } from '../core/assert';

export type LeaveReason = Exclude<KernelCause, 'network'> | 'not-in-baseline' | 'no-network-cause' | 'log-unreadable' | 'log-incomplete' | 'resource-down';

/** Leave reasons that are not a deliberate cause but missing evidence: a human should look. */
export const UNCERTAIN: ReadonlySet<LeaveReason> = new Set(['no-network-cause', 'log-unreadable', 'log-incomplete']);

export type ReconnectVerdict =
  | { action: 'none'; kind: 'connected' | 'retrying' | 'disconnecting'; why: string }
  | { action: 'reconnect'; why: string }
  | { action: 'wait'; kind: 'backoff' | 'network-down'; why: string; until?: number }
  | { action: 'leave'; reason: LeaveReason; why: string };

export interface BaselineEntry {
  /** up: last seen connected (or retrying by itself) at `at`; down: seen StandAlone on purpose */
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

/** One kernel log source's view of the connection's current episode. */
export interface LogEvidence extends EpisodeEvidence {
  source: string;
  /** how far back the log reaches (undefined: its lines carry no absolute time) */
  firstAt: number | undefined;
}

export interface ConnectionEvidence {
  now: number;
  /** connection state as DRBD names it ("Unconfigured" when the resource is not up) */
  state: string;
  /** a marker recorded by ocfkit's split-brain handler for this connection */
  splitBrainMarker?: SplitBrainMarker | undefined;
  /** every kernel log source that could be read (journal, dmesg); empty or undefined: none */
  kernelLogs?: readonly LogEvidence[] | undefined;
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
function effectiveAttempts(entry: BackoffEntry | undefined, now: number, settings: PolicySettings = DEFAULT_POLICY): number {
  if (!entry) return 0;
  return now - entry.lastAttempt > 2 * settings.backoffMaxMs ? 0 : entry.attempts;
}

const DELIBERATE: Record<Exclude<KernelCause, 'network'>, string> = {
  'split-brain': 'split brain',
  'unrelated-data': 'unrelated data (different data generations)',
  incompatible: 'incompatible settings',
  refused: 'the connection was refused (handshake or handler)',
  'admin-disconnect': 'a disconnect with no network failure right before it (drbdadm disconnect/down/del-peer)',
  'no-destination': 'no destination address (a connect cannot succeed)',
};

const iso = (t: number | undefined) => (t === undefined ? 'time unknown' : new Date(t).toISOString());

/** "what", from which source, at what time: the one line a verdict names as its evidence. */
function seen(line: string, log: LogEvidence, at: number | undefined): string {
  return `"${line}" (${log.source}, ${iso(at)})`;
}

export function decide(e: ConnectionEvidence, settings: PolicySettings = DEFAULT_POLICY): ReconnectVerdict {
  const cls = classifyConnection(e.state);
  switch (cls) {
    case 'connected':
      return { action: 'none', kind: 'connected', why: e.state };
    case 'retrying':
      return { action: 'none', kind: 'retrying', why: `${e.state}: DRBD retries by itself` };
    case 'disconnecting':
      return { action: 'none', kind: 'disconnecting', why: 'Disconnecting: DRBD goes StandAlone from here; decided once it is' };
    case 'down':
      return { action: 'leave', reason: 'resource-down', why: 'the resource is not up (drbdadm up is an admin decision)' };
    case 'standalone':
      return decideStandAlone(e, settings);
    default:
      return assertNever(cls);
  }
}

function decideStandAlone(e: ConnectionEvidence, settings: PolicySettings): ReconnectVerdict {
  if (e.splitBrainMarker) {
    return {
      action: 'leave',
      reason: 'split-brain',
      why: `split brain: ocfkit's split-brain handler recorded it (state directory, ${iso(e.splitBrainMarker.at)})`,
    };
  }
  const logs = e.kernelLogs ?? [];
  if (!logs.length)
    return { action: 'leave', reason: 'log-unreadable', why: 'no kernel log could be read (journalctl -k, dmesg): no evidence of a network cause' };
  // a deliberate cause in any source wins: the sources are views of one kernel log
  for (const log of logs) {
    const v = log.verdict;
    if (v && v.cause !== 'network') return { action: 'leave', reason: v.cause, why: `${DELIBERATE[v.cause]}: ${seen(v.line, log, v.at)}` };
  }
  if (e.baseline?.state === 'down') {
    return { action: 'leave', reason: 'not-in-baseline', why: `it was StandAlone on purpose before (state directory, ${iso(e.baseline.at)})` };
  }
  const logged = logs.filter((l) => l.verdict?.cause === 'network');
  // a network cause logged before the connection was last seen up ended an earlier episode: this
  // episode's own lines are missing from that source, and it is no evidence
  const seenUpAt = e.baseline?.state === 'up' ? e.baseline.at : undefined;
  const network = logged.filter((l) => seenUpAt === undefined || l.verdict!.at === undefined || l.verdict!.at >= seenUpAt);
  if (logged.length && !network.length) {
    const l = logged[0]!;
    return {
      action: 'leave',
      reason: 'log-incomplete',
      why: `the newest network cause ${seen(l.verdict!.line, l, l.verdict!.at)} is older than the last time the connection was seen up (${iso(seenUpAt!)}): this episode's lines are missing`,
    };
  }
  if (!network.length) {
    const upBefore = e.baseline?.state === 'up' ? `; it was up at ${iso(e.baseline.at)}, which alone is no evidence` : '';
    return { action: 'leave', reason: 'no-network-cause', why: `no network cause of the current episode in ${logs.map(describeLog).join(' or ')}${upBefore}` };
  }
  // the log must hold the whole episode: its start, or everything since the connection was last seen up
  const covered = network.find((l) => l.startSeen || (e.baseline?.state === 'up' && l.firstAt !== undefined && l.firstAt <= e.baseline.at));
  if (!covered) {
    const l = network[0]!;
    const since = e.baseline?.state === 'up' ? `last seen up at ${iso(e.baseline.at)}` : 'never seen up by ocfkit';
    return {
      action: 'leave',
      reason: 'log-incomplete',
      why: `${l.source} starts at ${iso(l.firstAt)} without the episode's start (${since}): a later cause may be missing`,
    };
  }
  const networkReason = seen(covered.verdict!.line, covered, covered.verdict!.at);
  if (e.localAddressPresent === false) {
    return { action: 'wait', kind: 'network-down', why: `the local replication address is not on any interface yet; network cause ${networkReason}` };
  }
  const attempts = effectiveAttempts(e.backoff, e.now, settings);
  if (attempts > 0) {
    const until = e.backoff!.lastAttempt + backoffDelay(attempts, settings);
    if (e.now < until) {
      return { action: 'wait', kind: 'backoff', until, why: `${attempts} reconnect attempt(s) recently; next not before ${iso(until)}` };
    }
  }
  return { action: 'reconnect', why: `network cause ${networkReason}` };
}

function describeLog(l: LogEvidence): string {
  return `${l.source} (from ${iso(l.firstAt)})`;
}

export function describeVerdict(v: ReconnectVerdict): string {
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
