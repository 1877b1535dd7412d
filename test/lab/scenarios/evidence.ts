// Scenario 5: ocfkit reconnects only on positive evidence of a network cause. Two ways a StandAlone
// resource must stay StandAlone through a network restart with the if-up hook installed, on the real
// DRBD 8.4 kernel, after a scan recorded it as up (as the DrbdReconnect monitor does every 20 s):
//  a) a split brain whose kernel log lines are gone (`dmesg -C` on both nodes, no handler marker);
//  b) an admin's `drbdadm disconnect`.
import type { Guest } from '../guest';
import { cstate, freshResource, OCFKIT, RESOURCE } from '../drbd';
import { installHooks, oneLine } from '../ocfkit';
import { networkRestart } from '../net';
import { sleep } from '../proc';
import type { Scenario } from '../report';
import type { Lab } from '../lab';

async function states(lab: Lab): Promise<string> {
  return (await Promise.all(lab.guests.map(async (guest) => `${guest.name} ${await cstate(guest)}`))).join(', ');
}

/** what a monitor would have recorded while the resource worked */
async function recordUp(guest: Guest): Promise<void> {
  await guest.ok(`rm -rf /var/lib/ocfkit/drbd && ${OCFKIT} drbd reconnect >/dev/null && grep -q '"up"' /var/lib/ocfkit/drbd/baseline.json`);
}

async function connects(guest: Guest): Promise<number> {
  // every connect, by anyone, leaves StandAlone: DRBD logs "conn( StandAlone -> Unconnected )"
  return Number((await guest.ok("dmesg | grep -c 'conn( StandAlone -> Unconnected )' || true")).trim());
}

export const evidenceScenario: Scenario = {
  id: '5',
  title: 'no evidence of a network cause: left alone (split brain after dmesg -C, admin disconnect)',
  async run(lab, report) {
    if (!(await installHooks(lab, report))) return;

    // a) split brain, no handler configured, then its traces are gone from the kernel log
    await freshResource(lab);
    await Promise.all(lab.guests.map(recordUp));
    for (const guest of lab.guests) {
      await guest.ok(
        `drbdadm disconnect ${RESOURCE} && drbdadm primary ${RESOURCE} && dd if=/dev/urandom of=/dev/drbd0 bs=4k count=16 oflag=direct status=none`,
      );
    }
    await lab.node2.ok(`drbdadm connect ${RESOURCE}`);
    await lab.node1.ok(`drbdadm connect ${RESOURCE}`);
    const detected = await lab.node1.sh(
      `for i in $(seq 300); do dmesg | grep -q 'Split-Brain detected' && grep -q cs:StandAlone /proc/drbd && exit 0; sleep 0.1; done; exit 1`,
      60_000,
    );
    await sleep(2000);
    const bothStandAlone = async () => (await Promise.all(lab.guests.map(cstate))).every((s) => s === 'StandAlone');
    if (!report.check(detected.code === 0 && (await bothStandAlone()), 'split brain: both StandAlone', await states(lab))) return;
    await Promise.all(lab.guests.map((guest) => guest.ok('dmesg -C; rm -rf /var/lib/ocfkit/drbd/split-brain')));
    const restarts = await Promise.all(lab.guests.map((guest) => networkRestart(guest, 'cs:(WFConnection|Connected)', 5, 10)));
    const ran = restarts.map((r) => r.hooksRun.some((hook) => hook.includes('ocfkit'))).filter(Boolean).length;
    await sleep(3000);
    const after = await Promise.all(lab.guests.map(connects));
    report.check(
      ran === 2 && (await bothStandAlone()) && after.every((n) => n === 0),
      'split brain, dmesg -C on both nodes, network restart with the hook: still StandAlone',
      `ifup ran the ocfkit hook on ${ran}/2 nodes; 10 s after ifup: ${await states(lab)}; connects since dmesg -C: ${after.join('/')}`,
    );
    const status = await lab.node1.sh(`${OCFKIT} drbd status`);
    report.check(/leave \(no-network-cause\)/.test(status.output), '`ocfkit drbd status` says there is no evidence', oneLine(status.output, status.code));
    await Promise.all(lab.guests.map((guest) => guest.ok(`drbdadm secondary ${RESOURCE}`)));

    // b) the admin disconnects node1, then the network restarts
    await freshResource(lab);
    await Promise.all(lab.guests.map(recordUp));
    await lab.node1.ok(`drbdadm disconnect ${RESOURCE}`);
    const before = await connects(lab.node1);
    const restart = await networkRestart(lab.node1, 'cs:(WFConnection|Connected)', 5, 10);
    await sleep(3000);
    const state = await cstate(lab.node1);
    report.check(
      restart.hooksRun.some((hook) => hook.includes('ocfkit')) && state === 'StandAlone' && (await connects(lab.node1)) === before,
      'admin drbdadm disconnect, network restart with the hook: still StandAlone',
      `ifup ran ${restart.hooksRun.join(', ') || 'no hooks'}; 10 s after ifup: node1 ${state}`,
    );
    const why = await lab.node1.sh(`${OCFKIT} drbd status`);
    report.check(/leave \(admin-disconnect\)/.test(why.output), '`ocfkit drbd status` names the disconnect', oneLine(why.output, why.code));
  },
};
