// `ip -j addr`: which addresses sit on which interface. Used to find the resources whose local
// replication address is on the interface that just came up, and whether that address exists yet.
import { canonicalIp } from './address';

export interface InterfaceAddresses {
  ifname: string;
  addresses: string[];
}

export function parseIpJsonAddr(text: string): InterfaceAddresses[] {
  let data: unknown;
  try {
    data = JSON.parse(text.trim() || '[]');
  } catch (error) {
    throw new Error(`ip -j addr: not JSON (${(error as Error).message})`, { cause: error });
  }
  if (!Array.isArray(data)) return [];
  return data
    .filter(
      (i): i is { ifname: string; addr_info?: Array<{ local?: string }> } =>
        typeof i === 'object' && i !== null && typeof (i as { ifname?: unknown }).ifname === 'string',
    )
    .map((i) => ({ ifname: i.ifname, addresses: (i.addr_info ?? []).map((a) => a.local).filter((a): a is string => typeof a === 'string') }));
}

export class AddressBook {
  private readonly byIp = new Map<string, string[]>();

  constructor(readonly interfaces: InterfaceAddresses[]) {
    for (const i of interfaces) for (const a of i.addresses) this.byIp.set(canonicalIp(a), [...(this.byIp.get(canonicalIp(a)) ?? []), i.ifname]);
  }

  /** the interfaces holding this address (an IPv6 scope narrows it to that interface) */
  interfacesOf(ip: string, scope?: string): string[] {
    const names = this.byIp.get(canonicalIp(ip)) ?? [];
    return scope ? names.filter((n) => n === scope) : names;
  }

  has(ip: string, scope?: string): boolean {
    return this.interfacesOf(ip, scope).length > 0;
  }

  allIps(): string[] {
    return this.interfaces.flatMap((i) => i.addresses);
  }
}
