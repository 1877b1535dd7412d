// Scenario 1: live migration both ways (crm_resource --move, then --clear), round trips on the
// GFS2 over DRBD dual-primary. Each move must end with the guest on exactly the target, the lease
// moved with it, and the sampler must see no double run outside the handoff window.
import { oneLine } from '../../ocfkit';
import type { ClusterScenario } from '../main';
import { virtLab } from '../setup';
import { LEASE_DIR } from '../storage';

// five, as the issue asks; OCFKIT_LAB_ROUND_TRIPS=1 for a quicker run while developing
const ROUND_TRIPS = Number(process.env.OCFKIT_LAB_ROUND_TRIPS ?? 5);
const GUEST = 'vm1';

export const migrationScenario: ClusterScenario = {
  id: '1',
  title: `live migration, both directions, ${ROUND_TRIPS} round trips`,
  optional: true,
  async run(lab, report) {
    const virt = await virtLab(lab, report);
    if (!virt) return;
    const { sampler } = virt;
    sampler.reset();
    const times: number[] = [];
    let ok = true;
    for (let move = 0; move < ROUND_TRIPS * 2 && ok; move++) {
      const from = sampler.summary(GUEST).onNodes;
      const to = from === 'node1' ? 'node2' : 'node1';
      const started = Date.now();
      await lab.node1.ok(`crm_resource --move -r ${GUEST} -N ${to} --quiet 2>&1 || crm_resource --move -r ${GUEST} -N ${to}`);
      const arrived = await sampler.waitFor(GUEST, to, 240_000);
      const seconds = (Date.now() - started) / 1000;
      const settled = await lab.node1.sh(
        `for i in $(seq 120); do crm_resource --locate -r ${GUEST} 2>/dev/null | grep -q 'running on: ${to}' && ! crm_mon -1 2>/dev/null | grep -q 'Migrating\\|migrat' && break; sleep 1; done
crm_resource --locate -r ${GUEST}; crm_resource --clear -r ${GUEST} --quiet 2>&1; cat ${LEASE_DIR}/*.lease 2>&1 | tr -d '\\n '`,
        180_000,
      );
      const holder = /"holder":"([^"]+)"/.exec(settled.output)?.[1];
      times.push(seconds);
      ok = report.check(
        arrived && holder === to,
        `move ${move + 1}: ${from} -> ${to}`,
        `${seconds.toFixed(1)} s; sampler on ${sampler.summary(GUEST).onNodes}; lease holder ${holder ?? '?'}; ${oneLine(settled.output, settled.code)}`,
      );
    }
    const summary = sampler.summary(GUEST);
    report.check(
      ok && summary.doubleRuns === 0,
      'the guest never ran twice',
      `${sampler.describe(GUEST)}; migration ${times.map((t) => t.toFixed(1)).join(', ')} s`,
    );
  },
};
