// The replication interfaces of this node: the interfaces holding the local address of some DRBD
// connection in the configuration (`drbdadm dump-xml` + `ip -j addr`, through the DRBD reader).
// `hooks install` uses them to pick the stack that configures them, `hooks doctor` to check them.
// Best effort: without DRBD (no drbdadm, no configuration) there are none, with the reason.
import type { ResolvedResource } from '../../agents/drbd/config-endpoints';
import type { AddressBook } from '../../agents/drbd/interfaces';
import type { Executor } from '../../agents/core/executor';

export interface ReplicationInterfaces {
  ifaces: string[];
  /** why there are none, or what could not be placed */
  notes: string[];
}

/** Pure: the interfaces holding each configured local replication address. */
export function interfacesOfConfig(config: ResolvedResource[], addresses: AddressBook): ReplicationInterfaces {
  const ifaces = new Set<string>();
  const notes: string[] = [];
  for (const res of config) {
    for (const peer of res.peers) {
      for (const path of peer.paths) {
        if (!path.local) continue;
        const found = addresses.interfacesOf(path.local.address, path.local.scope);
        if (found.length === 0) notes.push(`${res.name}:${peer.peer}: local address ${path.local.address} is on no interface now`);
        for (const name of found) ifaces.add(name);
      }
    }
  }
  return { ifaces: [...ifaces].sort(), notes };
}

export async function replicationInterfaces(exec: Executor, env: NodeJS.ProcessEnv = process.env): Promise<ReplicationInterfaces> {
  const [{ readDrbd }, { drbdSettings }] = await Promise.all([import('../../agents/drbd/reader'), import('../../agents/drbd/settings')]);
  try {
    const snapshot = await readDrbd(exec, drbdSettings(env));
    if (!snapshot.addresses) return { ifaces: [], notes: ['ip -j addr failed: replication interfaces unknown', ...snapshot.warnings] };
    if (snapshot.config.length === 0) return { ifaces: [], notes: ['no DRBD resource for this node in the configuration', ...snapshot.warnings] };
    return interfacesOfConfig(snapshot.config, snapshot.addresses);
  } catch (error) {
    return { ifaces: [], notes: [`DRBD configuration not readable: ${(error as Error).message}`] };
  }
}
