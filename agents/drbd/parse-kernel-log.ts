// DRBD's kernel log lines (dmesg, journalctl -k or syslog), reduced to the events that say WHY a
// connection ended StandAlone. Prefixes: 8.4 "block drbd1: " (device), "d-con r0: " (connection);
// 9 "drbd r0: " (resource), "drbd r0 bob: " (connection), "drbd r0/0 drbd1: " (device),
// "drbd r0/0 drbd1 bob: " (peer device). Any timestamp or syslog prefix before them is ignored.
import { assertNever } from '../ocf/parameters';

export type KernelEventKind =
  | 'split-brain' // "Split-Brain detected but unresolved, dropping connection!"
  | 'unrelated-data' // "Unrelated data, aborting!"
  | 'incompatible' // "incompatible communication protocols", "incompatible after-sb-0pri settings", ...
  | 'network' // the local address vanished: bind failures, "Discarding network configuration."
  | 'to-disconnecting' // conn( X -> Disconnecting ): a hard disconnect, cause logged before it or none (admin)
  | 'left-standalone' // conn( StandAlone -> X ): somebody connected again, a new episode starts
  | 'connected'; // conn( X -> Connected ): the link works, earlier causes are void

export interface KernelEvent {
  seq: number;
  kind: KernelEventKind;
  resource?: string;
  minor?: number;
  peer?: string;
  line: string;
}

const PREFIX = /(?:^|[\s\]])(?:block drbd(\d+)|d-con (\S+)|drbd ([^\s:/]+)(?:\/(\d+))?((?: [^\s:]+)*)): (.*)$/;

const MESSAGES: Array<[RegExp, KernelEventKind]> = [
  [/Split-Brain detected/i, 'split-brain'],
  [/Unrelated data, aborting/i, 'unrelated-data'],
  [/\bincompatible\b/i, 'incompatible'],
  [/bind before connect failed|Failed to bind|Discarding network configuration|Configured local address not found|err = -99\b|err=-99\b/i, 'network'],
];

export function parseKernelLine(line: string, seq = 0): KernelEvent | undefined {
  const m = PREFIX.exec(line);
  if (!m) return undefined;
  const message = m[6]!;
  const event = (kind: KernelEventKind): KernelEvent => {
    const e: KernelEvent = { seq, kind, line: line.trim() };
    if (m[1] !== undefined) e.minor = Number(m[1]);
    if (m[2] !== undefined) e.resource = m[2];
    if (m[3] !== undefined) {
      e.resource = m[3];
      const words = (m[5] ?? '').trim().split(/\s+/).filter(Boolean);
      const device = words[0] && /^drbd\d+$/.test(words[0]) ? words.shift() : undefined;
      if (device) e.minor = Number(device.slice(4));
      if (words[0]) e.peer = words[0];
    }
    return e;
  };
  for (const [pattern, kind] of MESSAGES) if (pattern.test(message)) return event(kind);
  const conn = /\bconn\( (\w+) -> (\w+) \)/.exec(message);
  if (conn) {
    if (conn[2] === 'Connected') return event('connected');
    if (conn[1] === 'StandAlone') return event('left-standalone');
    if (conn[2] === 'Disconnecting') return event('to-disconnecting');
  }
  return undefined;
}

export function parseKernelLog(text: string): KernelEvent[] {
  const events: KernelEvent[] = [];
  let seq = 0;
  for (const line of text.split('\n')) {
    const e = parseKernelLine(line, seq++);
    if (e) events.push(e);
  }
  return events;
}

export type KernelCause = 'split-brain' | 'unrelated-data' | 'incompatible' | 'network' | 'admin-disconnect';

export interface KernelVerdict {
  cause: KernelCause;
  line: string;
}

/**
 * Why the current episode of a connection ended: the events since it was last Connected (or last
 * left StandAlone) for this resource, and this peer where the line names one. A split brain,
 * unrelated data or incompatible settings win over a network cause; a drop to Disconnecting with
 * no cause logged before it is an admin's disconnect (DRBD logs a reason for every hard
 * disconnect it decides itself; network failures go to NetworkFailure/Unconnected instead).
 * `minorToResource` maps 8.4's "block drbdN" lines to resources.
 */
export function kernelVerdict(events: readonly KernelEvent[], resource: string, peer: string | undefined, minorToResource: ReadonlyMap<number, string>): KernelVerdict | undefined {
  let verdict: KernelVerdict | undefined;
  for (const e of events) {
    const res = e.resource ?? (e.minor !== undefined ? minorToResource.get(e.minor) : undefined);
    if (res !== resource) continue;
    if (e.peer !== undefined && peer !== undefined && e.peer !== peer) continue;
    switch (e.kind) {
      case 'connected':
      case 'left-standalone':
        verdict = undefined;
        break;
      case 'split-brain':
      case 'unrelated-data':
      case 'incompatible':
        if (!verdict || verdict.cause === 'network') verdict = { cause: e.kind, line: e.line };
        break;
      case 'network':
        if (!verdict) verdict = { cause: 'network', line: e.line };
        break;
      case 'to-disconnecting':
        if (!verdict) verdict = { cause: 'admin-disconnect', line: e.line };
        break;
      default:
        assertNever(e.kind);
    }
  }
  return verdict;
}
