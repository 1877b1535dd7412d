// How one scan updates the persistent records (pure): the baseline of connections that were up,
// the backoff counters, and which split-brain markers are resolved. Kept apart from the file I/O
// in state-dir.ts so the rules are tested as a table.
import { DEFAULT_POLICY, UNCERTAIN, type BackoffEntry, type BaselineEntry, type PolicySettings, type SplitBrainMarker, type ReconnectVerdict } from './policy';
import { classifyConnection } from './types';

export interface Records {
  baseline: Record<string, BaselineEntry>;
  backoff: Record<string, BackoffEntry>;
  /** the class of each connection's state at the last scan, to notice it came up */
  seen?: Record<string, string>;
}

export interface Observation {
  key: string;
  state: string;
  verdict: ReconnectVerdict;
}

/** A marker older than this is resolved once the connection is seen connected (the handler runs
 *  while the connection is still up for a moment, so a fresh marker is never cleared). */
const MARKER_SETTLE_MS = 30_000;
/** Backoff counters are dropped once the connection is seen connected this long after an attempt. */
const BACKOFF_STABLE_MS = 120_000;

export function updateRecords(records: Records, observations: readonly Observation[], now: number): Records {
  const baseline = { ...records.baseline };
  const backoff = { ...records.backoff };
  const seen = { ...(records.seen ?? {}) };
  for (const o of observations) {
    const cls = classifyConnection(o.state);
    seen[o.key] = cls;
    // "up" is when the connection was last seen not StandAlone: the kernel log must reach back to it
    if (cls === 'connected' || cls === 'retrying') baseline[o.key] = { state: 'up', at: now };
    // "down" only on positive evidence of a deliberate cause; missing evidence changes nothing
    else if (cls === 'standalone' && o.verdict.action === 'leave' && !UNCERTAIN.has(o.verdict.reason)) baseline[o.key] = { state: 'down', at: now };
    if (cls === 'connected' && backoff[o.key] && now - backoff[o.key]!.lastAttempt >= BACKOFF_STABLE_MS) delete backoff[o.key];
  }
  return { baseline, backoff, seen };
}

/** Records an attempt: the backoff grows with each attempt inside the window. */
export function recordAttempt(records: Records, key: string, now: number, settings: PolicySettings = DEFAULT_POLICY): Records {
  const previous = records.backoff[key];
  const attempts = previous && now - previous.lastAttempt <= 2 * settings.backoffMaxMs ? previous.attempts + 1 : 1;
  return { ...records, backoff: { ...records.backoff, [key]: { attempts, lastAttempt: now } } };
}

/** Markers to delete: their connection is connected again and the marker is not fresh. */
export function resolvedMarkers(markers: readonly SplitBrainMarker[], connected: (m: SplitBrainMarker) => boolean, now: number): SplitBrainMarker[] {
  return markers.filter((m) => now - m.at >= MARKER_SETTLE_MS && connected(m));
}

/** Does a marker concern this connection? A marker without a peer covers every peer of the resource. */
export function markerMatches(m: SplitBrainMarker, resource: string, peer: string, peerNodeId: number | undefined): boolean {
  if (m.resource !== resource) return false;
  if (m.peer !== undefined) return m.peer === peer;
  if (m.peerNodeId !== undefined) return peerNodeId === undefined || m.peerNodeId === peerNodeId;
  return true;
}
