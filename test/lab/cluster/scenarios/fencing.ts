// The base of every cluster scenario: fencing is real. node1 asks Pacemaker's fencer to reboot
// node2 through stonith:fence_sbd; node2's sbd reads the message in its slot on the shared disk and
// resets the node (qemu runs with -no-reboot, so the host sees the qemu process exit: the power is
// off). Then node2 boots again and rejoins as after a repair. Figures: request -> node2 off ->
// fencing confirmed -> rejoined.
import type { ClusterScenario } from '../main';
import { oneLine } from '../../ocfkit';
import { sleep } from '../../proc';
import { prepareNode, startStack, waitOnline, TIMEOUTS } from '../stack';

export const fencingScenario: ClusterScenario = {
  id: 'fence',
  title: 'fencing through SBD: node1 fences node2, node2 boots again and rejoins',
  async run(lab, report) {
    const { node1, node2 } = lab;
    const requested = Date.now();
    let offAt: number | undefined;
    const watcher = (async () => {
      while (node2.alive && Date.now() - requested < (TIMEOUTS.stonithTimeoutS + 60) * 1000) await sleep(100);
      if (!node2.alive) offAt = Date.now();
    })();
    const fence = await node1.sh(
      `stonith_admin --reboot node2 --timeout ${TIMEOUTS.stonithTimeoutS} 2>&1; rc=$?; stonith_admin --history node2 2>&1 | tail -3; exit $rc`,
      (TIMEOUTS.stonithTimeoutS + 60) * 1000,
    );
    const confirmedS = (Date.now() - requested) / 1000;
    await watcher;
    const offS = offAt === undefined ? undefined : (offAt - requested) / 1000;
    report.check(
      offS !== undefined,
      'node2 powered off by its own sbd (qemu exited)',
      offS === undefined ? 'node2 still running' : `${offS.toFixed(1)} s after the request`,
    );
    report.check(
      fence.code === 0 && /reboot of node2 successful|was able to reboot node node2|successful/i.test(fence.output),
      'Pacemaker confirms the fencing',
      `${confirmedS.toFixed(1)} s after the request (msgwait ${TIMEOUTS.msgwaitS} s); ${oneLine(fence.output, fence.code)}`,
    );
    if (offS === undefined) return;

    const bootS = await lab.boot(node2);
    const rejoinStarted = Date.now();
    await prepareNode(node2);
    await startStack(node2);
    const online = await waitOnline(node1, ['node1', 'node2'], 300);
    report.check(
      online !== undefined,
      'node2 boots again and rejoins the cluster',
      online === undefined
        ? 'not online after 300 s'
        : `boot ${bootS.toFixed(0)} s, stack start -> online ${((Date.now() - rejoinStarted) / 1000).toFixed(0)} s`,
    );
  },
};
