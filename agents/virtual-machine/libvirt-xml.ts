// What the agent needs from a libvirt domain XML: identity, disks, size, guest agent channel, read
// with the project's XML reader (agents/core/xml.ts): a malformed file is an error naming the line,
// never a guess.
import { descendantsNamed, firstChild, parseXml, type XmlElement } from '../core/xml';

export interface GuestFacts {
  name?: string;
  uuid?: string;
  /** block devices and image files the guest writes to */
  disks: string[];
  memoryKiB?: number;
  vcpus?: number;
  hasGuestAgent: boolean;
  /** libvirt domain type (kvm, qemu, xen, ...) */
  type?: string;
}

const UNIT_KIB: Record<string, number> = {
  b: 1 / 1024,
  bytes: 1 / 1024,
  k: 1,
  kib: 1,
  kb: 1000 / 1024,
  m: 1024,
  mib: 1024,
  mb: 1e6 / 1024,
  g: 1024 ** 2,
  gib: 1024 ** 2,
  gb: 1e9 / 1024,
  t: 1024 ** 3,
  tib: 1024 ** 3,
  tb: 1e12 / 1024,
};

export function parseLibvirtXml(text: string): GuestFacts {
  const domain = firstChild(parseXml(text, 'domain XML'), 'domain');
  if (!domain) throw new Error('not a libvirt domain definition (no <domain> element)');
  const facts: GuestFacts = { disks: [], hasGuestAgent: false };
  const type = domain.attributes.type;
  if (type) facts.type = type;
  const name = textOf(domain, 'name');
  if (name) facts.name = name;
  const uuid = textOf(domain, 'uuid');
  if (uuid && /^[0-9a-fA-F-]{32,36}$/.test(uuid)) facts.uuid = normalizeUuid(uuid);
  const memory = firstChild(domain, 'memory');
  if (memory && /^\d+$/.test(memory.text.trim())) {
    const unit = (memory.attributes.unit ?? 'KiB').toLowerCase();
    facts.memoryKiB = Math.round(Number(memory.text.trim()) * (UNIT_KIB[unit] ?? 1));
  }
  const vcpu = textOf(domain, 'vcpu');
  if (vcpu && /^\d+$/.test(vcpu)) facts.vcpus = Number(vcpu);
  for (const disk of descendantsNamed(domain, 'disk')) {
    const source = firstChild(disk, 'source');
    const path = source?.attributes.dev ?? source?.attributes.file;
    if (path) facts.disks.push(path);
    // a storage pool volume may be an LV on DRBD: kept as "volume:POOL/VOLUME" to be resolved
    // (network disks live on other hosts and cannot be a DRBD device of this one)
    else if (source?.attributes.pool && source.attributes.volume) facts.disks.push(`volume:${source.attributes.pool}/${source.attributes.volume}`);
  }
  facts.hasGuestAgent = descendantsNamed(domain, 'target').some((target) => target.attributes.name === 'org.qemu.guest_agent.0');
  return facts;
}

/** The trimmed text of the first child element `name`; undefined when it is missing or empty. */
function textOf(element: XmlElement, name: string): string | undefined {
  return firstChild(element, name)?.text.trim() || undefined;
}

/** libvirt accepts UUIDs with or without dashes; compare them in one canonical form. */
export function normalizeUuid(uuid: string): string {
  const hex = uuid.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return uuid.toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function isUuid(text: string): boolean {
  return /^[0-9a-f]{32}$/.test(text.replace(/-/g, '').toLowerCase()) && /^[0-9a-fA-F-]+$/.test(text);
}
