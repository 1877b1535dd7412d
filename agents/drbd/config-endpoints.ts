// Which side of a configured resource is this node, and the local/peer address of every peer:
// 8.x has two hosts (one of them us, by name or, for `floating`, by a local address); 9 has
// connections whose paths pair our host with a peer (several paths per peer possible).
// Each peer carries the name DRBD itself gives it, because split-brain markers (written from the
// handler's environment) and the kernel's connection names must meet this name:
// - 8.x: drbdadm's DRBD_PEER, the peer's first `on` name; a floating peer is its address as
//   written in the configuration ("192.168.7.2:7791", "ipv6 [fd01::2]:7792");
// - 9: the kernel's connection name: the peer's `on` names joined by "_" ("bob_bob.example.net",
//   "alice_bob" for a stacked peer); a floating peer keeps the connection host's name
//   ("192.168.7.2:7791").
import { sameIp } from './address';
import type { ConfigEndpoint, ConfigHost, ConfigResource, ConfigVolume } from './parse-dump-xml';
import type { Address } from './types';

interface PeerEndpoints {
  peer: string;
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
  const volumes = local?.volumes ?? res.hosts[0]?.volumes ?? [];
  const peers: PeerEndpoints[] = [];
  if (!local) return { name: res.name, local, volumes, peers };
  if (res.connections.length) {
    for (const conn of res.connections) {
      for (const path of conn.paths) {
        const mine = path.find((e) => hostOfEndpoint(res, e) === local);
        const theirs = path.find((e) => e !== mine);
        if (!mine || !theirs) continue;
        const peerHost = hostOfEndpoint(res, theirs);
        const peerName = peerHost && !peerHost.floating && peerHost.names.length ? peerHost.names.join('_') : theirs.host;
        let entry = peers.find((p) => p.peer === peerName);
        if (!entry) {
          entry = { peer: peerName, paths: [] };
          peers.push(entry);
        }
        entry.paths.push({ local: mine.address ?? local.address, remote: theirs.address ?? peerHost?.address });
      }
    }
  } else {
    for (const other of res.hosts) {
      if (other === local) continue;
      const name = other.floating ? (other.address ? floatingName(other.address) : undefined) : other.names[0];
      peers.push({ peer: name ?? 'peer', paths: [{ local: local.address, remote: other.address }] });
    }
  }
  return { name: res.name, local, volumes, peers };
}

/** The host section a 9 connection endpoint refers to: by one of its names, by the "_"-joined
 * names drbdadm gives a stacked host, or (floating) by address. */
function hostOfEndpoint(res: ConfigResource, e: ConfigEndpoint): ConfigHost | undefined {
  return res.hosts.find((h) =>
    h.floating
      ? !!h.address && !!e.address && sameIp(h.address.address, e.address.address) && h.address.port === e.address.port
      : h.names.includes(e.host) || h.names.join('_') === e.host,
  );
}

/** drbdadm-84 names a floating peer by its configuration text: "ADDR:PORT", "ipv6 [ADDR]:PORT". */
function floatingName(a: Address): string {
  if (a.family === 'ipv4') return `${a.address}:${a.port}`;
  const host = a.family === 'ipv6' ? `[${a.address}${a.scope ? `%${a.scope}` : ''}]` : a.address;
  return `${a.family} ${host}:${a.port}`;
}
