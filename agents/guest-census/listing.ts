// What runs on this node, as the census reads it: virsh's list of active domains, xl's list, or
// (libvirtd down) the qemu processes libvirt started. Kept here, not borrowed from VirtualMachine,
// because agents never import each other (docs/architecture.md); the formats are the tools' own.
import os from 'node:os';
import { qemuGuestIdentity, type ProcessEntry } from '../core/qemu-processes';
import { parseXml } from '../core/xml';

export interface RunningGuest {
  name: string;
  uuid?: string;
  /** what listed it */
  source: 'libvirt' | 'xl' | 'qemu-process';
}

/** 8-4-4-4-12 lowercase, whatever form the tool printed. */
export function normalizeUuid(uuid: string): string {
  const hex = uuid.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return uuid.toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `virsh list --uuid --name` (active domains): "uuid name" per line. Pure. */
export function parseVirshList(stdout: string): RunningGuest[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [uuid = '', ...rest] = line.split(/\s+/);
      return { uuid: normalizeUuid(uuid), name: rest.join(' '), source: 'libvirt' as const };
    });
}

/** `xl list -v`: Name ID Mem VCPUs State Time(s) UUID ...; Domain-0 (id 0) is the host, not a guest. Pure. */
export function parseXlListVerbose(stdout: string): RunningGuest[] {
  const out: RunningGuest[] = [];
  for (const line of stdout.split('\n')) {
    const words = line.trim().split(/\s+/);
    if (words.length < 6 || !/^\d+$/.test(words[1] ?? '') || words[1] === '0') continue;
    const uuid = words.slice(6).find((w) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(w));
    out.push({ name: words[0]!, ...(uuid ? { uuid: normalizeUuid(uuid) } : {}), source: 'xl' });
  }
  return out;
}

/** libvirt starts qemu with `-uuid U` and `-name guest=N,...`: every such process is a running guest. Pure. */
export function guestsFromProcesses(processes: ProcessEntry[]): RunningGuest[] {
  const out: RunningGuest[] = [];
  for (const p of processes) {
    const identity = qemuGuestIdentity(p);
    if (!identity) continue;
    out.push({ name: identity.name ?? `pid ${p.pid}`, ...(identity.uuid ? { uuid: normalizeUuid(identity.uuid) } : {}), source: 'qemu-process' });
  }
  return out;
}

/** virsh's wording when libvirtd cannot be reached at all. */
export function isConnectFailure(stderr: string): boolean {
  return /failed to connect to the hypervisor|Cannot recv data|Failed to connect socket|unable to connect/i.test(stderr);
}

/** The guest's name and UUID from its config: libvirt domain XML, or an xl config's name/uuid lines. Pure. */
export function identityFromConfig(text: string, backend: 'libvirt' | 'xl'): { name?: string; uuid?: string } {
  if (backend === 'xl') {
    const value = (key: string) => new RegExp(`^\\s*${key}\\s*=\\s*["']([^"']+)["']`, 'm').exec(text)?.[1];
    const name = value('name');
    const uuid = value('uuid');
    return { ...(name ? { name } : {}), ...(uuid ? { uuid: normalizeUuid(uuid) } : {}) };
  }
  const domain = parseXml(text, 'the domain XML').children.find((c) => c.name === 'domain');
  const name = domain?.children.find((c) => c.name === 'name')?.text.trim();
  const uuid = domain?.children.find((c) => c.name === 'uuid')?.text.trim();
  return { ...(name ? { name } : {}), ...(uuid ? { uuid: normalizeUuid(uuid) } : {}) };
}

/** Pacemaker's name for this node (CRM_meta_on_node), else the short host name. */
export function nodeName(onNode: string | undefined): string {
  return onNode ?? os.hostname().split('.')[0]!;
}
