// Publishes the guest's size as Pacemaker utilization (like VirtualDomain's autoset_utilization_*),
// once at start: monitor stays at one hypervisor call.
import type { VmContext } from './config';
import type { GuestFacts } from './libvirt-xml';

export function utilizationArgs(instance: string, name: 'cpu' | 'hv_memory', value: number): string[] {
  return ['--resource', instance, '--utilization', '--set-parameter', name, '--parameter-value', String(value)];
}

export async function publishUtilization(ctx: VmContext, facts: GuestFacts): Promise<void> {
  const wanted: Array<['cpu' | 'hv_memory', number | undefined]> = [];
  if (ctx.params.autoset_utilization_cpu) wanted.push(['cpu', facts.vcpus]);
  if (ctx.params.autoset_utilization_hv_memory) wanted.push(['hv_memory', facts.memoryKiB === undefined ? undefined : Math.round(facts.memoryKiB / 1024)]);
  for (const [name, value] of wanted) {
    if (value === undefined) continue;
    const result = await ctx.exec.run('crm_resource', utilizationArgs(ctx.env.instance, name, value), { timeoutMs: 10000 });
    if (result.exitCode !== 0) ctx.log.warn(`could not publish utilization ${name}=${value}: ${result.stderr.trim()}`);
  }
}
