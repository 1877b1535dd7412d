// Scenario 2: a real split brain (both Primary, both written while disconnected, reconnected) drops
// DRBD to StandAlone. With ocfkit's split-brain handler configured, neither the if-up hook nor
// `ocfkit drbd reconnect` may reconnect it, and `ocfkit drbd status` must say why.
import type { Guest } from '../guest';
import { cstate, freshResource, OCFKIT, RESOURCE } from '../drbd';
import { installHooks, oneLine } from '../ocfkit';
import { networkRestart } from '../net';
import { sleep } from '../proc';
import type { Scenario } from '../report';
import type { Lab } from '../lab';

async function splitBrainCount(guest: Guest): Promise<number> {
  return Number((await guest.ok("dmesg | grep -c 'Split-Brain detected' || true")).trim());
}

async function states(lab: Lab): Promise<string> {
  return (await Promise.all(lab.guests.map(async (guest) => `${guest.name} ${await cstate(guest)}`))).join(', ');
}

async function allStandAlone(lab: Lab): Promise<boolean> {
  return (await Promise.all(lab.guests.map(cstate))).every((state) => state === 'StandAlone');
}

export const splitBrainScenario: Scenario = {
  id: '2',
  title: 'split brain is left alone',
  async run(lab, report) {
    if (!(await installHooks(lab, report))) return;
    await freshResource(lab, { splitBrainHandler: `${OCFKIT} drbd split-brain-handler` });

    for (const guest of lab.guests) {
      await guest.ok(`drbdadm disconnect ${RESOURCE} && drbdadm primary ${RESOURCE} && dd if=/dev/urandom of=/dev/drbd0 bs=4k count=16 oflag=direct status=none`);
    }
    await lab.node2.ok(`drbdadm connect ${RESOURCE}`);
    await lab.node1.ok(`drbdadm connect ${RESOURCE}`);
    const detected = await lab.node1.sh(`for i in $(seq 300); do dmesg | grep -q 'Split-Brain detected' && grep -q cs:StandAlone /proc/drbd && exit 0; sleep 0.1; done; exit 1`, 60_000);
    await sleep(2000);
    const before = await Promise.all(lab.guests.map(splitBrainCount));
    if (!report.check(detected.code === 0 && (await allStandAlone(lab)), 'split brain detected after reconnect, both StandAlone', `${await states(lab)}; "Split-Brain detected" logged ${before.join('/')} times`)) return;

    const handler = await lab.node1.sh(`ls /var/lib/ocfkit/drbd 2>&1; dmesg | grep -i 'helper command.*split-brain' | tail -2`);
    report.note(`node1 after the handler: ${oneLine(handler.output, handler.code)}`);

    // the hook: a network restart on both nodes at once, so a wrong reconnect would meet the peer
    const restarts = await Promise.all(lab.guests.map((guest) => networkRestart(guest, 'cs:(WFConnection|Connected)', 5, 10)));
    const ran = restarts.map((r) => r.hooksRun.filter((hook) => hook.includes('ocfkit')).length > 0);
    await sleep(3000);
    const afterHook = await Promise.all(lab.guests.map(splitBrainCount));
    report.check(
      ran.every(Boolean) && (await allStandAlone(lab)) && afterHook.every((count, i) => count === before[i]),
      'the if-up hook leaves the split-brained resource alone',
      `ifup ran the ocfkit hook on ${ran.filter(Boolean).length}/2 nodes; 10 s after ifup: ${await states(lab)}; split-brain detections ${before.join('/')} -> ${afterHook.join('/')}`,
    );

    const reconnects = await Promise.all(lab.guests.map((guest) => guest.sh(`${OCFKIT} drbd reconnect`)));
    await sleep(5000);
    const afterReconnect = await Promise.all(lab.guests.map(splitBrainCount));
    report.check(
      (await allStandAlone(lab)) && afterReconnect.every((count, i) => count === before[i]),
      '`ocfkit drbd reconnect` leaves it alone',
      `${reconnects.map((r, i) => `${lab.guests[i]!.name} ${oneLine(r.output, r.code)}`).join('; ')}; 5 s later: ${await states(lab)}`,
    );

    const status = await lab.node1.sh(`${OCFKIT} drbd status`);
    report.check(/split.?brain/i.test(status.output), '`ocfkit drbd status` says why', oneLine(status.output, status.code));
  },
};
