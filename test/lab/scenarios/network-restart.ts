// Scenario 1, the seed's failure: a network restart of the replication interface leaves DRBD 8.4
// StandAlone for good; with ocfkit's if-up.d hook the resource is Connected again right after ifup.
import { cstate, freshResource, procLine } from '../drbd';
import { installHooks } from '../ocfkit';
import { networkRestart } from '../net';
import type { Scenario } from '../report';

export const networkRestartScenario: Scenario = {
  id: '1',
  title: 'network restart: StandAlone without the hook, Connected with it',
  async run(lab, report) {
    await freshResource(lab);
    report.note(`r0 ready: ${await procLine(lab.node1)}`);

    const without = await networkRestart(lab.node1, 'cs:Connected', 30, 30);
    const state = await cstate(lab.node1);
    report.check(
      without.toTarget === undefined && state === 'StandAlone',
      'without the hook, r0 is StandAlone 30 s after ifup',
      `Connected->StandAlone ${without.toStandAlone ?? '?'} s after ifdown; 30 s after ifup: node1 ${state}, node2 ${await cstate(lab.node2)}`,
    );

    if (!(await installHooks(lab, report))) return;
    await freshResource(lab);
    const withHook = await networkRestart(lab.node1, 'cs:Connected', 30, 30);
    report.check(
      withHook.toTarget !== undefined,
      'with the hook, r0 is Connected again after ifup',
      withHook.toTarget === undefined
        ? `still ${await procLine(lab.node1)} 30 s after ifup`
        : `Connected ${withHook.toTarget.toFixed(2)} s after ifup started (target <= 3 s); StandAlone ${withHook.toStandAlone ?? '?'} s after ifdown`,
    );
    if (withHook.toTarget !== undefined) {
      report.check(withHook.toTarget <= 3, 'reconnect time within target', `${withHook.toTarget.toFixed(2)} s from ifup to Connected (target <= 3 s)`);
    }
  },
};
