// Scenario 2: a second start by hand. While the cluster runs vm1 on one node, the admin on the
// other node runs `virsh create` of the same config: virtlockd (lockspace on the GFS2) refuses it
// because the disk lease is held on the other node. Then the agent itself is asked to start there
// (crm_resource --force-start, as a confused admin or a stale probe would): ocfkit refuses, naming
// the node that runs it. The sampler must show no double run.
import { oneLine } from '../../ocfkit';
import type { ClusterScenario } from '../main';
import { placement, virtLab } from '../setup';
import { GFS_MOUNT } from '../storage';

const GUEST = 'vm1';

export const secondStartScenario: ClusterScenario = {
  id: '2',
  title: 'a second start by hand on the other node is refused',
  optional: true,
  async run(lab, report) {
    const virt = await virtLab(lab, report);
    if (!virt) return;
    const { sampler } = virt;
    const { holder, other } = placement(lab, sampler, GUEST);
    const create = await other.sh(`virsh -c qemu:///system create ${GFS_MOUNT}/${GUEST}.xml 2>&1`, 120_000);
    report.check(
      create.code !== 0 && /lock|busy|lease/i.test(create.output),
      `virsh create on ${other.name} refused by the lock manager`,
      oneLine(create.output, create.code),
    );
    const agent = await other.sh(`crm_resource --force-start -r ${GUEST} 2>&1`, 180_000);
    report.check(
      agent.code !== 0 && new RegExp(holder).test(agent.output),
      `VirtualMachine start on ${other.name} refused, naming ${holder}`,
      oneLine(agent.output, agent.code),
    );
    // the sampler's answer once both nodes reported again after the attempts
    const still = await sampler.waitFor(GUEST, holder, 10_000);
    report.check(
      still && sampler.summary(GUEST).doubleRuns === 0,
      'the guest never ran twice',
      `still on ${sampler.summary(GUEST).onNodes}; ${sampler.describe(GUEST)}`,
    );
  },
};
