// `drbdsetup events2` lines (9, and 8.4 with utils >= 8.9.2): "VERB OBJECT key:value ...".
// `--now` dumps the current state as `exists` lines and ends with "exists -". Objects: resource,
// device, connection, peer-device, path, helper. Unknown keys are kept; unknown verbs or objects
// are reported, never guessed at. 8.4 lines lack conn-name/peer-node-id (one peer per resource),
// and 8.4 drops StandAlone connections from events2 entirely.
import { parseAddressText } from './address';
import type { ConnectionState, ResourceState } from './types';

const VERBS = ['exists', 'create', 'change', 'destroy', 'call', 'response', 'rename'] as const;
const OBJECTS = ['resource', 'device', 'connection', 'peer-device', 'path', 'helper'] as const;
type Verb = (typeof VERBS)[number];
type EventObject = (typeof OBJECTS)[number];

interface Event2 {
  verb: Verb;
  object: EventObject;
  fields: Record<string, string>;
}

export type Events2Line = { kind: 'event'; event: Event2 } | { kind: 'end' } | { kind: 'unknown'; line: string };

export function parseEvents2Line(line: string): Events2Line | undefined {
  // `events2 --timestamps` prefixes an ISO timestamp; skip it
  const words = line
    .trim()
    .replace(/^\d{4}-\d\d-\d\dT\S+\s+/, '')
    .split(/\s+/)
    .filter(Boolean);
  if (!words.length) return undefined;
  if (words[0] === 'exists' && words[1] === '-') return { kind: 'end' };
  const [verb, object, ...rest] = words;
  if (!(VERBS as readonly string[]).includes(verb!) || !(OBJECTS as readonly string[]).includes(object ?? '')) return { kind: 'unknown', line };
  const fields: Record<string, string> = {};
  for (const word of rest) {
    const colon = word.indexOf(':');
    if (colon > 0) fields[word.slice(0, colon)] = word.slice(colon + 1);
  }
  return { kind: 'event', event: { verb: verb as Verb, object: object as EventObject, fields } };
}

export interface Events2Snapshot {
  resources: ResourceState[];
  unknown: string[];
}

/** Folds events2 lines (a --now dump, or a captured stream) into resource states. */
export function foldEvents2(text: string): Events2Snapshot {
  const resources = new Map<string, ResourceState>();
  const unknown: string[] = [];
  const resource = (name: string) => {
    let r = resources.get(name);
    if (!r) resources.set(name, (r = { name, up: true, role: 'Unknown', volumes: [], connections: [] }));
    return r;
  };
  const peerOf = (f: Record<string, string>) => f['conn-name'] ?? (f['peer-node-id'] !== undefined ? `peer-${f['peer-node-id']}` : 'peer');
  const connection = (f: Record<string, string>): ConnectionState => {
    const r = resource(f.name ?? '');
    const peer = peerOf(f);
    let c = r.connections.find((x) => x.peer === peer);
    if (!c) {
      c = { peer, state: 'Unknown', peerRole: 'Unknown', peerVolumes: [] };
      if (f['peer-node-id'] !== undefined) c.peerNodeId = Number(f['peer-node-id']);
      r.connections.push(c);
    }
    return c;
  };
  for (const line of text.split('\n')) {
    const parsed = parseEvents2Line(line);
    if (!parsed || parsed.kind === 'end') continue;
    if (parsed.kind === 'unknown') {
      unknown.push(parsed.line);
      continue;
    }
    const { verb, object, fields: f } = parsed.event;
    // helper calls are not evidence here: only `events2 --now` is run, which never contains them
    // (they appear in a running stream only); the split-brain handler's marker is the evidence
    if (object === 'helper') continue;
    if (verb === 'destroy') {
      destroy(resources, object, f, peerOf(f));
      continue;
    }
    if (verb === 'call' || verb === 'response' || verb === 'rename') continue;
    switch (object) {
      case 'resource': {
        const r = resource(f.name ?? '');
        if (f.role) r.role = f.role;
        for (const v of r.volumes) if (f.role) v.role = f.role;
        break;
      }
      case 'device': {
        const r = resource(f.name ?? '');
        const volume = Number(f.volume ?? 0);
        let v = r.volumes.find((x) => x.volume === volume);
        if (!v) r.volumes.push((v = { volume, minor: undefined, disk: 'DUnknown', role: r.role }));
        if (f.minor !== undefined) v.minor = Number(f.minor);
        if (f.disk) v.disk = f.disk;
        break;
      }
      case 'connection': {
        const c = connection(f);
        if (f.connection) c.state = f.connection;
        if (f.role) c.peerRole = f.role;
        break;
      }
      case 'peer-device': {
        const c = connection(f);
        const volume = Number(f.volume ?? 0);
        let pv = c.peerVolumes.find((x) => x.volume === volume);
        if (!pv) c.peerVolumes.push((pv = { volume, peerDisk: 'DUnknown' }));
        if (f['peer-disk']) pv.peerDisk = f['peer-disk'];
        if (f.replication) pv.replication = f.replication;
        break;
      }
      case 'path': {
        const c = connection(f);
        const local = f.local ? parseAddressText(f.local) : undefined;
        const peer = f.peer ? parseAddressText(f.peer) : undefined;
        // the established path wins; otherwise the first one seen
        if (local && (!c.localAddress || f.established === 'yes')) c.localAddress = local;
        if (peer && (!c.peerAddress || f.established === 'yes')) c.peerAddress = peer;
        break;
      }
    }
  }
  return { resources: [...resources.values()], unknown };
}

function destroy(resources: Map<string, ResourceState>, object: EventObject, f: Record<string, string>, peer: string): void {
  const r = resources.get(f.name ?? '');
  if (!r) return;
  if (object === 'resource') resources.delete(r.name);
  else if (object === 'device') r.volumes = r.volumes.filter((v) => v.volume !== Number(f.volume ?? 0));
  else if (object === 'connection') r.connections = r.connections.filter((c) => c.peer !== peer);
}
