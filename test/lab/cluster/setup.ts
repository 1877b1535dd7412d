// Everything the VirtualMachine scenarios share, on top of the running cluster stack: the storage
// clones (DRBD dual-primary, dlm, GFS2), libvirt with virtlockd on both nodes, the sampler, and one
// VirtualMachine resource per test guest. Done once; the scenarios leave it as they found it.
import type { Guest } from '../guest';
import type { Report } from '../report';
import type { ClusterLab } from './lab';
import { Sampler } from './sampler';
import { createIn, prepareStorage, startStorage } from './storage';
import { GUESTS, createGuest, startLibvirt, vmConstraints, vmPrimitive } from './virt';

export interface VirtLab {
  sampler: Sampler;
}

/** Where the sampler last saw the guest's qemu (node name), that node, and the other node; resets the sampler first. */
export function placement(lab: ClusterLab, sampler: Sampler, guest: string): { holder: string; here: Guest; other: Guest } {
  sampler.reset();
  const holder = sampler.summary(guest).onNodes;
  const here = holder === 'node1' ? lab.node1 : lab.node2;
  return { holder, here, other: here === lab.node1 ? lab.node2 : lab.node1 };
}

let prepared: Promise<VirtLab | undefined> | undefined;

/** Sets up storage, libvirt and the guests once (later callers get the same result). */
export function virtLab(lab: ClusterLab, report: Report): Promise<VirtLab | undefined> {
  prepared ??= setUp(lab, report);
  return prepared;
}

async function setUp(lab: ClusterLab, report: Report): Promise<VirtLab | undefined> {
  const started = Date.now();
  await prepareStorage(lab);
  const mounted = await startStorage(lab);
  if (!report.check(true, 'DRBD dual-primary + dlm + GFS2 clones: GFS2 mounted on both nodes', `${mounted.toFixed(0)} s after the clones were added`))
    return undefined;
  await Promise.all(lab.guests.map(startLibvirt));
  const sampler = new Sampler(lab.guests, GUESTS);
  await Promise.all(lab.guests.map((node) => sampler.startOn(node)));
  sampler.start();
  for (const [index, name] of GUESTS.entries()) {
    await createGuest(lab.node1, name, `0c7f1a5e-0000-4000-8000-00000000000${index + 1}`);
  }
  await lab.node1.ok(`${createIn('resources', GUESTS.map(vmPrimitive))} && ${createIn('constraints', GUESTS.flatMap(vmConstraints))}`);
  for (const name of GUESTS) {
    const placed = (await sampler.waitFor(name, 'node1', 240_000)) || (await sampler.waitFor(name, 'node2', 1000));
    const where = await lab.node1.sh(`crm_resource --locate -r ${name} 2>&1`);
    if (
      !report.check(
        placed,
        `${name} (VirtualMachine, require_lock_manager=true, lease_dir on the GFS2) runs on one node`,
        `sampler: ${sampler.summary(name).onNodes}; ${where.output.trim()}`,
      )
    )
      return undefined;
  }
  report.note(`storage + libvirt + guests ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { sampler };
}
