// When libvirtd itself is down (resource-agents #546), virsh cannot say anything, yet the guests'
// qemu processes keep running. For local QEMU/KVM the process table is the evidence.
import { qemuGuestIdentity, type ProcessEntry } from '../core/qemu-processes';
import type { DomainRef } from './backend';

/** The qemu process of this guest, matched by UUID first, then by guest name. Pure. */
export function findQemuProcess(processes: ProcessEntry[], ref: DomainRef): ProcessEntry | undefined {
  const qemu = processes.flatMap((p) => {
    const identity = qemuGuestIdentity(p);
    return identity ? [{ process: p, identity }] : [];
  });
  if (ref.uuid) {
    const hit = qemu.find((q) => q.identity.uuid?.toLowerCase() === ref.uuid);
    if (hit) return hit.process;
  }
  if (ref.name) return qemu.find((q) => q.identity.name === ref.name)?.process;
  return undefined;
}
