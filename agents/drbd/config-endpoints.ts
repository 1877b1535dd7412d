// Which side of a configured resource is this node, and the local/peer address of every peer:
// 8.x has two hosts (one of them us, by name or, for `floating`, by a local address); 9 has
// connections whose paths pair our host with a peer (several paths per peer possible).
import { sameIp } from './address';
import type { ConfigHost, ConfigResource, ConfigVolume } from './parse-dump-xml';
import type { Address } from './types';

export interface PeerEndpoints {
  peer: string;
  peerNodeId: number | undefined;
  /** one entry per path: our address and the peer's */
  paths: Array<{ local: Address | undefined; remote: Address | undefined }>;
}

export interface ResolvedResource {
  name: string;
  local: ConfigHost | undefined;
  volumes: ConfigVolume[];
  peers: PeerEndpoints[];
}

export function resolveResource(res: ConfigResource, hostname: string, localIps: readonly string[] = []): ResolvedResource {
  const isUs = (host: ConfigHost) =>
    host.floating ? !!host.address && localIps.some((ip) => sameIp(ip, host.address!.address)) : host.names.includes(hostname);
  const local = res.hosts.find(isUs);
  const localNames = new Set(local?.names.length ? local.names : [hostname]);
  const volumes = local?.volumes ?? res.hosts[0]?.volumes ?? [];
  const peers: PeerEndpoints[] = [];
  if (res.connections.length) {
    for (const conn of res.connections) {
      for (const path of conn.paths) {
        const mine = path.find((e) => localNames.has(e.host));
        const theirs = path.find((e) => e !== mine);
        if (!mine || !theirs) continue;
        const peerName = conn.name && res.connections.length > 1 && !theirs.host ? conn.name : theirs.host;
        let entry = peers.find((p) => p.peer === peerName);
        if (!entry) {
          entry = { peer: peerName, peerNodeId: res.hosts.find((h) => h.names.includes(peerName))?.nodeId, paths: [] };
          peers.push(entry);
        }
        entry.paths.push({ local: mine.address ?? local?.address, remote: theirs.address });
      }
    }
  } else if (local) {
    for (const other of res.hosts) {
      if (other === local) continue;
      peers.push({ peer: other.names[0] ?? (other.floating ? other.address?.address ?? 'peer' : 'peer'), peerNodeId: other.nodeId, paths: [{ local: local.address, remote: other.address }] });
    }
  }
  return { name: res.name, local, volumes, peers };
}
