// DRBD's kernel log lines (journalctl -k, dmesg, or a syslog file), reduced to the events that say
// WHY a connection ended StandAlone, with the time each line was logged where the header says it.
//
// A line is: an optional header (syslog "Nov 21 10:00:01 host kernel: ", ISO "2026-11-21T10:00:01.5+00:00
// [host kernel:] " as journalctl -o short-iso-precise and dmesg --time-format iso print it), an optional
// "[  811.212113]" dmesg stamp (with "host kernel: " after it: journalctl -o short-monotonic), then
// DRBD's prefix AT THAT POSITION (so a host named "drbd" is never a
// resource). The prefixes, per DRBD's printk macros:
//   8.0-8.3.1   "drbd0: "                                   (drbd_int.h: DEVICE_NAME "%d: ")
//   8.3.2-8.4   "block drbd0: "                             (dev_printk on the gendisk)
//   8.4.0-8.4.3 "d-con r0: "; 8.4.4+ "drbd r0: "            (conn_printk: the resource's connection)
//   9           "drbd r0: " resource, "drbd r0 bob: " connection, "drbd r0/0 drbd1: " device,
//               "drbd r0/0 drbd1 bob: " peer device, "drbd r0 tcp:bob: " transport
// Peer names may contain ":" (floating peers "10.1.1.2:7789"); they end at the first ": ". Where the
// configured peer names are known they decide what a transport prefix is.
import { assertNever } from '../core/assert';

type KernelEventKind =
  | 'split-brain' // "Split-Brain detected[ but unresolved], dropping connection!", "helper command: ... split-brain"
  | 'unrelated-data' // "Unrelated data, aborting!"
  | 'incompatible' // "incompatible communication protocols", "incompatible after-sb-0pri settings", ...
  | 'refused' // "before-resync-target handler returned 1, dropping connection."
  | 'network' // DRBD gives up after it: 8.x "bind before connect|listen failed, err = -99", 9 "Failed to initiate connection, err=-99"
  | 'network-retry' // 9.0.16+ "Configured local address not found, retrying every 10 sec, err=-99": DRBD keeps trying
  | 'no-destination' // 9.2 "No destination address, err=-89": StandAlone, a connect cannot succeed
  | 'transition'; // "conn( A -> B )" with 9.2's cause tag "[disconnect]" where present

export interface KernelEvent {
  seq: number;
  kind: KernelEventKind;
  resource?: string;
  minor?: number;
  peer?: string;
  line: string;
  /** ms since the epoch, when the header gives an absolute time */
  at?: number;
  from?: string;
  to?: string;
  tag?: string;
}

export interface KernelLog {
  /** where it came from: "journalctl -k", "dmesg", "file /var/log/kern.log" */
  source: string;
  events: KernelEvent[];
  /** time of the oldest line that has one: how far back this log reaches */
  firstAt: number | undefined;
  lines: number;
}

export interface ParseOptions {
  /** configured peer names per resource (DRBD 9): decide where a transport prefix ends */
  peers?: ReadonlyMap<string, readonly string[]>;
  /** boot time in ms since the epoch: turns "[  811.212113]" stamps into times */
  bootTime?: number;
  /** now, for the year of syslog's "Nov 21 10:00:01" */
  now?: number;
}

const SYSLOG_HEADER = /^([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) \S+ kernel: /;
const ISO_HEADER = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?)(?: \S+ kernel:)? /;
const BARE_HEADER = /^kernel: /;
const STAMP = /^\[\s*([^\]]*)\] ?/;
const HOST_AFTER_STAMP = /^\S+ kernel: /;
const PREFIX = /^(?:block drbd(\d+)|drbd(\d+)|d-con ([^\s:]+)|drbd ([^\s/:]+)(?:\/(\d+) drbd(\d+))?(?: (\S+?))?): (.*)$/;
const TRANSPORT = /^(?:tcp|rdma|lb-tcp):(.+)$/;

const MESSAGES: Array<[RegExp, Exclude<KernelEventKind, 'transition'>]> = [
  [/^Split-Brain detected\b/, 'split-brain'],
  [/^helper command: \S+ (?:initial-)?split-brain\b/, 'split-brain'],
  [/^Unrelated data, aborting!/, 'unrelated-data'],
  [/\bincompatible\b/, 'incompatible'],
  [/^before-resync-target handler returned -?\d+, dropping connection/, 'refused'],
  [/^bind before (?:connect|listen) failed, err = -?\d+/, 'network'],
  [/^Failed to initiate connection, err=-?\d+/, 'network'],
  [/^Configured local address not found, retrying every \d+ sec, err=-?\d+/, 'network-retry'],
  [/^No destination address, err=-?\d+/, 'no-destination'],
];
const CONN = /(?:^|\s)conn\( (\w+) -> (\w+) \)/;
const TAG = /\[([a-z-]+)\]\s*$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The time a header gives, and the rest of the line after the header and stamp. */
function splitHeader(line: string, options: ParseOptions): { at: number | undefined; rest: string } {
  let rest = line;
  let at: number | undefined;
  let m = SYSLOG_HEADER.exec(rest);
  if (m) {
    at = syslogTime(m[1]!, options.now ?? Date.now());
    rest = rest.slice(m[0].length);
  } else if ((m = ISO_HEADER.exec(rest))) {
    at = isoTime(m[1]!);
    rest = rest.slice(m[0].length);
  } else if ((m = BARE_HEADER.exec(rest))) {
    rest = rest.slice(m[0].length);
  }
  const s = STAMP.exec(rest);
  if (s) {
    rest = rest.slice(s[0].length);
    if (at === undefined) at = stampTime(s[1]!, options.bootTime);
    // journalctl -o short-monotonic: "[  811.212113] host kernel: " (a host named "drbd" stays a host)
    const host = HOST_AFTER_STAMP.exec(rest);
    if (host) rest = rest.slice(host[0].length);
  }
  return { at, rest };
}

function isoTime(text: string): number | undefined {
  // "2026-11-21T10:00:01,123456+0000" -> "2026-11-21T10:00:01.123+00:00" for Date.parse
  const m = /^(.{19})(?:[.,](\d+))?(Z|([+-]\d\d):?(\d\d))?$/.exec(text);
  if (!m) return undefined;
  const ms = m[2] ? `.${m[2].slice(0, 3).padEnd(3, '0')}` : '';
  const zone = m[3] === undefined ? '' : m[3] === 'Z' ? 'Z' : `${m[4]}:${m[5]}`;
  const t = Date.parse(`${m[1]}${ms}${zone}`);
  return Number.isNaN(t) ? undefined : t;
}

function syslogTime(text: string, now: number): number | undefined {
  // syslog has no year: this year, or last year for a date ahead of now (a log read in January)
  const [mon, day, time] = text.split(/\s+/);
  const month = MONTHS.indexOf(mon!);
  const [h, mi, s] = (time ?? '').split(':').map(Number);
  if (month < 0) return undefined;
  const year = new Date(now).getFullYear();
  const at = new Date(year, month, Number(day), h, mi, s).getTime();
  return at > now + 86_400_000 ? new Date(year - 1, month, Number(day), h, mi, s).getTime() : at;
}

function stampTime(text: string, bootTime: number | undefined): number | undefined {
  if (/^\d+\.\d+$/.test(text)) return bootTime === undefined ? undefined : bootTime + Math.round(Number(text) * 1000);
  // dmesg -T: "[Sat Nov 21 10:00:01 2026]"; relative "[  +0.000082]" has no time
  if (/^[A-Z][a-z]{2} [A-Z][a-z]{2} /.test(text)) {
    const t = Date.parse(text);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

function peerOf(token: string | undefined, resource: string, options: ParseOptions): string | undefined {
  if (token === undefined) return undefined;
  const known = options.peers?.get(resource);
  if (known?.includes(token)) return token;
  const transport = TRANSPORT.exec(token);
  if (transport && (!known?.length || known.includes(transport[1]!))) return transport[1];
  return token;
}

export function parseKernelLine(line: string, seq = 0, options: ParseOptions = {}): KernelEvent | undefined {
  const { at, rest } = splitHeader(line, options);
  const m = PREFIX.exec(rest);
  if (!m) return undefined;
  const message = m[8]!;
  let kind: KernelEventKind | undefined;
  // no cause message contains a state change: most lines are one or the other
  // (9 logs a refused state change as "Failed: conn( A -> B )": nothing changed)
  const conn = message.includes('conn( ') && !message.startsWith('Failed: ') ? CONN.exec(message) : null;
  if (conn) kind = 'transition';
  else {
    for (const [pattern, k] of MESSAGES) {
      if (pattern.test(message)) {
        kind = k;
        break;
      }
    }
  }
  if (kind === undefined) return undefined;
  const e: KernelEvent = { seq, kind, line: line.trim() };
  if (at !== undefined) e.at = at;
  const minor = m[1] ?? m[2] ?? m[6];
  if (minor !== undefined) e.minor = Number(minor);
  const resource = m[3] ?? m[4];
  if (resource !== undefined) e.resource = resource;
  const peer = resource !== undefined ? peerOf(m[7], resource, options) : undefined;
  if (peer !== undefined) e.peer = peer;
  if (conn) {
    e.from = conn[1]!;
    e.to = conn[2]!;
    const tag = TAG.exec(message);
    if (tag) e.tag = tag[1]!;
  }
  return e;
}

export function parseKernelLog(text: string, source: string, options: ParseOptions = {}): KernelLog {
  const events: KernelEvent[] = [];
  let firstAt: number | undefined;
  let seq = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    seq++;
    // most lines are not DRBD's: look for the word before running the regular expressions
    const e = line.includes('drbd') || line.includes('d-con') ? parseKernelLine(line, seq, options) : undefined;
    if (e) events.push(e);
    if (firstAt === undefined) firstAt = e?.at ?? splitHeader(line, options).at;
  }
  return { source, events, firstAt, lines: seq };
}

/** What ended the current episode of a connection. */
export type KernelCause = 'network' | 'split-brain' | 'unrelated-data' | 'incompatible' | 'refused' | 'admin-disconnect' | 'no-destination';

interface KernelVerdict {
  cause: KernelCause;
  line: string;
  at?: number;
}

export interface EpisodeEvidence {
  /** the cause that ended the current episode; undefined: the log shows none */
  verdict: KernelVerdict | undefined;
  /** the log shows where the current episode began (the connection left Connected or StandAlone,
   *  or came up): everything after it is in the log, so the cause cannot have been lost */
  startSeen: boolean;
}

// 9.2's cause tags on state changes (drbd_nl.c, drbd_receiver.c, drbd_state.c)
const TAGS: Record<string, KernelCause> = {
  disconnect: 'admin-disconnect',
  'del-peer': 'admin-disconnect',
  down: 'admin-disconnect',
  'receive-disconnect': 'refused',
  'connect-failed': 'network',
  'no-dest-addr': 'no-destination',
};

const isConnectedState = (state: string | undefined) =>
  state !== undefined &&
  ![
    'StandAlone',
    'Disconnecting',
    'Unconnected',
    'Timeout',
    'BrokenPipe',
    'NetworkFailure',
    'ProtocolError',
    'WFConnection',
    'WFReportParams',
    'TearDown',
    'Connecting',
  ].includes(state);

/**
 * The cause of the current episode of one connection: the events since it last left Connected or
 * StandAlone (or came up). A drop to Disconnecting (or straight to StandAlone) takes its cause from
 * 9.2's tag, else from the cause logged right before it (since the previous state change); with none
 * it was deliberate (drbdadm disconnect: DRBD logs a reason for every hard disconnect it decides
 * itself). A deliberate cause anywhere in the episode wins over a network one, whatever the order.
 * `minorToResource` maps "block drbdN" and "drbdN" lines to resources; a line without a peer
 * concerns every peer of its resource.
 */
export function episodeEvidence(
  events: readonly KernelEvent[],
  resource: string,
  peer: string | undefined,
  minorToResource: ReadonlyMap<number, string>,
): EpisodeEvidence {
  let startSeen = false;
  let deliberate: KernelVerdict | undefined;
  let disconnect: KernelVerdict | undefined;
  let pending: KernelVerdict | undefined;
  for (const e of events) {
    const res = e.resource ?? (e.minor !== undefined ? minorToResource.get(e.minor) : undefined);
    if (res !== resource) continue;
    if (e.peer !== undefined && peer !== undefined && e.peer !== peer) continue;
    const found = (cause: KernelCause): KernelVerdict => (e.at !== undefined ? { cause, line: e.line, at: e.at } : { cause, line: e.line });
    switch (e.kind) {
      case 'transition': {
        if (e.from === 'StandAlone' || isConnectedState(e.to)) {
          startSeen = true;
          deliberate = disconnect = pending = undefined;
        } else if (isConnectedState(e.from)) {
          // leaving Connected starts the episode; a cause logged right before it is this change's
          startSeen = true;
          deliberate = disconnect = undefined;
        }
        if (e.to === 'Disconnecting' || (e.to === 'StandAlone' && e.from !== 'Disconnecting')) {
          const tagged = e.tag !== undefined ? TAGS[e.tag] : undefined;
          disconnect = tagged ? found(tagged) : (pending ?? found('admin-disconnect'));
          if (disconnect.cause !== 'network') deliberate = disconnect;
        }
        pending = undefined;
        break;
      }
      case 'network':
      case 'no-destination':
        pending = found(e.kind);
        break;
      case 'split-brain':
      case 'unrelated-data':
      case 'incompatible':
      case 'refused':
        pending = deliberate = found(e.kind);
        break;
      case 'network-retry':
        // DRBD keeps trying after it: not what ends an episode
        break;
      default:
        assertNever(e.kind);
    }
  }
  return { verdict: deliberate ?? disconnect, startSeen };
}
