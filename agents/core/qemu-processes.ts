// The process table read for libvirt's qemu guests, for when libvirtd cannot answer: libvirt starts
// qemu with `-uuid <uuid>` and `-name guest=<name>,...`, and those processes keep running without it.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessEntry {
  pid: number;
  argv: string[];
}

export interface QemuGuestIdentity {
  /** the guest's name, without libvirt's `guest=` prefix */
  name?: string;
  /** as qemu was given it */
  uuid?: string;
}

/** Name and UUID of a qemu process; undefined when the process is not qemu. Pure. */
export function qemuGuestIdentity(process: ProcessEntry): QemuGuestIdentity | undefined {
  if (!/qemu-(system-|kvm)|\/kvm$/.test(process.argv[0] ?? '')) return undefined;
  const option = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  // "-name guest=vm1,debug-threads=on" (libvirt) or a bare "-name vm1"; ",," escapes a comma
  const name = option('-name')
    ?.split(/(?<!,),(?!,)/)[0]
    ?.replace(/,,/g, ',')
    .replace(/^guest=/, '');
  const uuid = option('-uuid');
  return { ...(name ? { name } : {}), ...(uuid ? { uuid } : {}) };
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
