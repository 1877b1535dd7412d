// One scan: the model plus the evidence for every connection, and the policy's verdict on each.
// Pure: the snapshot, records and markers come in, verdicts go out.
import { markerMatches } from './records';
import { decide, DEFAULT_POLICY, type ConnectionEvidence, type PolicySettings, type SplitBrainMarker, type ReconnectVerdict } from './policy';
import { episodeEvidence } from './parse-kernel-log';
import type { Records } from './records';
import type { DrbdSnapshot } from './reader';
import { connectionKey, type ConnectionState, type ResourceState } from './types';

export interface ScannedConnection {
  resource: ResourceState;
  connection: ConnectionState;
  key: string;
  /** interfaces holding the local replication address now */
  interfaces: string[];
  evidence: ConnectionEvidence;
  verdict: ReconnectVerdict;
}

export function scan(
  snapshot: DrbdSnapshot,
  records: Records,
  markers: readonly SplitBrainMarker[],
  now: number,
  settings: PolicySettings = DEFAULT_POLICY,
): ScannedConnection[] {
  const minorToResource = new Map<number, string>();
  for (const r of snapshot.model.resources) for (const v of r.volumes) if (v.minor !== undefined) minorToResource.set(v.minor, r.name);
  const out: ScannedConnection[] = [];
  for (const resource of snapshot.model.resources) {
    const single = resource.connections.length === 1;
    for (const connection of resource.connections) {
      const key = connectionKey(resource.name, connection.peer);
      const local = connection.localAddress;
      const interfaces = local && snapshot.addresses ? snapshot.addresses.interfacesOf(local.address, local.scope) : local?.scope ? [local.scope] : [];
      const evidence: ConnectionEvidence = {
        now,
        state: resource.up ? connection.state : 'Unconfigured',
        splitBrainMarker: markers.find((m) => markerMatches(m, resource.name, connection.peer, connection.peerNodeId)),
        kernelLogs: snapshot.kernelLogs?.map((log) => ({
          source: log.source,
          firstAt: log.firstAt,
          ...episodeEvidence(log.events, resource.name, single ? undefined : connection.peer, minorToResource),
        })),
        baseline: records.baseline[key],
        localAddressPresent: local && snapshot.addresses ? interfaces.length > 0 : undefined,
        backoff: records.backoff[key],
      };
      out.push({ resource, connection, key, interfaces, evidence, verdict: decide(evidence, settings) });
    }
  }
  return out;
}
