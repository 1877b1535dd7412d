// The xl config lint's claims against the real toolstack (Xen 4.17 here): what xl does with the
// list form of cpus with "^" exclusions next to the same set as one string, and whether
// on_crash="restart" really brings a crashed guest back behind the cluster's back.
import { oneLine } from '../../ocfkit';
import type { Scenario } from '../../report';
import { agent, CONFIG, cleanDom0, domuConfig, GUEST, packDomuInitrd, waitDomuReady, waitFlags, writeConfig, xlRow } from '../domu';

/** `xl vcpu-list NAME`: "Name ID VCPU CPU State Time(s) Affinity (Hard / Soft)" rows; the hard affinity of vCPU 0. */
function hardAffinity(vcpuList: string): string | undefined {
  const row = vcpuList.split('\n').find((line) => /^\S+\s+\d+\s+0\s/.test(line));
  return row ? /\s(\S+)\s*\/\s*\S+\s*$/.exec(row)?.[1] : undefined;
}

export const xenLintScenario: Scenario = {
  id: 'xen-lint',
  title: 'the xl config lint against what xl 4.17 does with those configs',
  async run(lab, report) {
    const dom0 = lab.node1;
    await cleanDom0(dom0);
    await packDomuInitrd(dom0);
    const params = { backend: 'xl', config: CONFIG, peers: 'none' };
    const forms: Array<[string, string]> = [
      ['list form with an exclusion', 'cpus = [ "^0" ]'],
      ['string form with an exclusion', 'cpus = "^0"'],
      ["the seeds' list form (both host CPUs excluded here)", 'cpus = [ "^0,^1" ]'],
      ["the seeds' set as one string", 'cpus = "^0,^1"'],
      ['list form, one entry per vCPU', 'cpus = [ "1" ]'],
    ];
    for (const [what, line] of forms) {
      await cleanDom0(dom0);
      await writeConfig(dom0, domuConfig({ extra: line }));
      const validate = await agent(dom0, 'validate-all', params);
      const create = await dom0.sh(`xl create ${CONFIG} 2>&1`, 120_000);
      const booted = create.code === 0 ? await waitDomuReady(dom0, 120) : undefined;
      const vcpus = create.code === 0 ? await dom0.sh(`xl vcpu-list ${GUEST}`) : undefined;
      report.check(
        true,
        `${line} (${what})`,
        `xl create ${oneLine(create.output, create.code)}; guest ${booted !== undefined ? 'booted' : 'did not boot'}; vCPU 0 hard affinity ${vcpus ? (hardAffinity(vcpus.output) ?? vcpus.output.trim()) : '-'}; lint (validate-all) ${oneLine(validate.output, validate.code)}`,
      );
    }

    // on_crash="restart": does xl bring the guest back after a crash? (the lint warns it does)
    await cleanDom0(dom0);
    await writeConfig(dom0, domuConfig({ onCrash: 'restart' }));
    const validate = await agent(dom0, 'validate-all', params);
    await dom0.ok(`xl create ${CONFIG}`, 120_000);
    await waitDomuReady(dom0, 120);
    const before = await xlRow(dom0);
    await dom0.ok(`rm -f /var/log/xen/console/guest-${GUEST}.log; xl sysrq ${GUEST} c`);
    // the restarted guest has a new domain id; wait for its init to run again
    const back = await waitDomuReady(dom0, 120);
    await waitFlags(dom0, '.b....', 30);
    const after = await xlRow(dom0);
    report.check(
      back !== undefined && after !== undefined && after.id !== before?.id,
      'on_crash="restart": xl restarts the crashed guest by itself (the lint warns)',
      `domain id ${before?.id} -> ${after?.id ?? 'gone'}, guest back ${back?.toFixed(1) ?? 'never'} s after the crash; lint ${oneLine(validate.output, validate.code)}`,
    );
    await cleanDom0(dom0);
  },
};
