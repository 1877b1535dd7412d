// Scenario 7: the lease without peers. With check_peers=false the only thing between two nodes is
// the lease on the GFS2 (and libvirt's lock manager behind it). An unexpired lease of a live node is
// never taken: a start forced on the other node is refused, naming the holder. The other half, a
// stale lease of a fenced node taken over only once the fencing is confirmed, is scenario 4's power
// cut, which runs with check_peers=false left set by this scenario and reports when the lease moved.
import { oneLine } from '../../ocfkit';
import type { ClusterScenario } from '../main';
import { virtLab } from '../setup';
import { LEASE_DIR } from '../storage';

const GUEST = 'vm1';

export const leaseScenario: ClusterScenario = {
  id: '7',
  title: "lease without peers (check_peers=false): a live node's lease is never taken",
  optional: true,
  async run(lab, report) {
    const virt = await virtLab(lab, report);
    if (!virt) return;
    const { sampler } = virt;
    sampler.reset();
    await lab.node1.ok(`crm_resource -r ${GUEST} -p check_peers -v false`);
    // a changed parameter restarts (or reloads) the resource: wait until it runs again and the cluster is idle
    await lab.node1.sh(
      `for i in $(seq 120); do crm_resource --locate -r ${GUEST} 2>/dev/null | grep -q 'running on' && ! crm_mon -1 2>/dev/null | grep -qi 'starting\\|stopping\\|migrating' && break; sleep 1; done`,
      150_000,
    );
    const holder = sampler.summary(GUEST).onNodes;
    const other = holder === 'node1' ? lab.node2 : lab.node1;
    const lease = await other.sh(`cat ${LEASE_DIR}/*.lease | tr -d '\\n '`);
    const forced = await other.sh(`crm_resource --force-start -r ${GUEST} 2>&1`, 180_000);
    report.check(
      forced.code !== 0 && /lease/i.test(forced.output) && forced.output.includes(holder),
      `VirtualMachine start on ${other.name} refused by the lease ${holder} holds`,
      `${oneLine(forced.output, forced.code)}; lease ${lease.output}`,
    );
    const still = await sampler.waitFor(GUEST, holder, 10_000);
    report.check(
      still && sampler.summary(GUEST).doubleRuns === 0,
      'the guest never ran twice',
      `on ${sampler.summary(GUEST).onNodes}; ${sampler.describe(GUEST)}`,
    );
  },
};
