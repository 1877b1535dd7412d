// When to try again. Several nodes start the clone at once (a cluster boot, a rejoin after a
// split); their activations contend for the same locks and paths. The heartbeat EvmsSCC agent
// slept a random time between attempts for this reason; here the delays are an exponential
// backoff with jitter, bounded by the action deadline, and pure so they can be tested as tables.

export interface BackoffPolicy {
  baseMs: number;
  /** the longest single delay */
  capMs: number;
}

export function policyFor(baseMs: number): BackoffPolicy {
  return { baseMs, capMs: baseMs * 16 };
}

/**
 * Delay before attempt `attempt + 1` (attempt counts from 0): half the exponential step fixed,
 * half random ("equal jitter"), so two nodes that failed together do not retry together.
 * `random` is in [0, 1).
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: number): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + (step / 2) * random);
}

export type RetryDecision = { kind: 'retry'; delayMs: number } | { kind: 'give-up'; why: string };

/**
 * Whether another attempt fits in the time left. An attempt needs `attemptMs` (at least the base
 * delay); the delay is shortened rather than skipping the last chance.
 */
export function nextRetry(attempt: number, remainingMs: number, policy: BackoffPolicy, random: number, attemptMs: number): RetryDecision {
  const needed = Math.max(attemptMs, policy.baseMs);
  if (remainingMs < needed) return { kind: 'give-up', why: `${remainingMs} ms left, an attempt needs about ${needed} ms` };
  const delayMs = Math.min(backoffDelayMs(attempt, policy, random), remainingMs - needed);
  return { kind: 'retry', delayMs: Math.max(0, delayMs) };
}

/**
 * The start's own initial delay. Pacemaker hands a notify clone's start the list of nodes starting
 * in the same transition (notify_start_uname); when several start together each waits its slot
 * (the sorted position of its node name) plus jitter, as EvmsSCC spread its evms_activate runs.
 */
export function startStaggerMs(startUnames: readonly string[], thisNode: string | undefined, slotMs: number, random: number): number {
  const nodes = [...new Set(startUnames)].sort();
  if (thisNode === undefined || nodes.length < 2) return 0;
  const slot = nodes.indexOf(thisNode);
  if (slot < 0) return 0;
  return Math.round(slot * slotMs + (slotMs / 2) * random);
}
