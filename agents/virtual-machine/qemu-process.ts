// When libvirtd itself is down (resource-agents #546), virsh cannot say anything, yet the guests'
// qemu processes keep running. For local QEMU/KVM the process table is the evidence: libvirt
// starts qemu with `-uuid <uuid>` and `-name guest=<name>,...`.
import { readdirSync, readFileSync } from 'node:fs';
import type { DomainRef } from './backend';

export interface ProcessEntry {
  pid: number;
  argv: string[];
}

/** The qemu process of this guest, matched by UUID first, then by guest name. Pure. */
export function findQemuProcess(processes: ProcessEntry[], ref: DomainRef): ProcessEntry | undefined {
  const qemu = processes.filter((p) => /qemu-(system-|kvm)|\/kvm$/.test(p.argv[0] ?? ''));
  const option = (p: ProcessEntry, name: string) => {
    const i = p.argv.indexOf(name);
    return i >= 0 ? p.argv[i + 1] : undefined;
  };
  if (ref.uuid) {
    const hit = qemu.find((p) => option(p, '-uuid')?.toLowerCase() === ref.uuid);
    if (hit) return hit;
  }
  if (ref.name) {
    return qemu.find((p) => {
      const name = option(p, '-name');
      if (!name) return false;
      // "-name guest=vm1,debug-threads=on" (libvirt) or a bare "-name vm1"; ",," escapes a comma
      const first = name.split(/(?<!,),(?!,)/)[0]!.replace(/,,/g, ',');
      return first === `guest=${ref.name}` || first === ref.name;
    });
  }
  return undefined;
}

export function listProcesses(): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.length) out.push({ pid: Number(entry), argv });
    } catch {
      // the process exited meanwhile
    }
  }
  return out;
}
