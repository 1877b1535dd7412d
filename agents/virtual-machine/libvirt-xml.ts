// What the agent needs from a libvirt domain XML: identity, disks, size, guest agent channel.
// A small tolerant reader (regular expressions over the document), not a general XML parser:
// libvirt's own dumpxml output and hand-written files both use this simple subset.

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
  b: 1 / 1024, bytes: 1 / 1024, k: 1, kib: 1, kb: 1000 / 1024, m: 1024, mib: 1024, mb: 1e6 / 1024,
  g: 1024 ** 2, gib: 1024 ** 2, gb: 1e9 / 1024, t: 1024 ** 3, tib: 1024 ** 3, tb: 1e12 / 1024,
};

export function parseLibvirtXml(text: string): GuestFacts {
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  if (!/<domain[\s>]/.test(body)) throw new Error('not a libvirt domain definition (no <domain> element)');
  const facts: GuestFacts = { disks: [], hasGuestAgent: false };
  const type = /<domain\b[^>]*\btype=['"]([^'"]+)['"]/.exec(body)?.[1];
  if (type) facts.type = type;
  // Top-level <name>/<uuid>: the first occurrences precede any device (which may carry its own <name>).
  const name = /<name>\s*([^<]+?)\s*<\/name>/.exec(body)?.[1];
  if (name) facts.name = decode(name);
  const uuid = /<uuid>\s*([0-9a-fA-F-]{32,36})\s*<\/uuid>/.exec(body)?.[1];
  if (uuid) facts.uuid = normalizeUuid(uuid);
  const memory = /<memory\b([^>]*)>\s*(\d+)\s*<\/memory>/.exec(body);
  if (memory) {
    const unit = (/unit=['"]([^'"]+)['"]/.exec(memory[1] ?? '')?.[1] ?? 'KiB').toLowerCase();
    facts.memoryKiB = Math.round(Number(memory[2]) * (UNIT_KIB[unit] ?? 1));
  }
  const vcpu = /<vcpu\b[^>]*>\s*(\d+)\s*<\/vcpu>/.exec(body)?.[1];
  if (vcpu) facts.vcpus = Number(vcpu);
  for (const disk of body.matchAll(/<disk\b[\s\S]*?<\/disk>/g)) {
    const source = /<source\b[^>]*\b(?:dev|file)=['"]([^'"]+)['"]/.exec(disk[0])?.[1];
    if (source) facts.disks.push(decode(source));
    // a storage pool volume may be an LV on DRBD: kept as "volume:POOL/VOLUME" to be resolved
    // (network disks live on other hosts and cannot be a DRBD device of this one)
    const element = /<source\b[^>]*>/.exec(disk[0])?.[0] ?? '';
    const pool = /\bpool=['"]([^'"]+)['"]/.exec(element)?.[1];
    const volume = /\bvolume=['"]([^'"]+)['"]/.exec(element)?.[1];
    if (!source && pool && volume) facts.disks.push(`volume:${decode(pool)}/${decode(volume)}`);
  }
  facts.hasGuestAgent = /<target\b[^>]*name=['"]org\.qemu\.guest_agent\.0['"]/.test(body);
  return facts;
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

function decode(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
