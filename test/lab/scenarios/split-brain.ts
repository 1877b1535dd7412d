// Scenario 2: a real split brain (both Primary, both written while disconnected, reconnected) drops
// DRBD to StandAlone. With ocfkit's split-brain handler configured, neither the if-up hook nor
// `ocfkit drbd reconnect` may reconnect it, and `ocfkit drbd status` must say why.
// "Left alone" is shown by evidence, not by waiting: a connect makes DRBD 8.4 log
// "conn( StandAlone -> Unconnected )" before drbdadm returns, so once the deciding ocfkit has
// finished (the hook's background job gone, the reconnect command returned) an unchanged count
// of those lines shows that no connect was issued.
import type { Guest } from '../guest';
import { cstate, freshResource, OCFKIT, RESOURCE } from '../drbd';
import { installHooks, oneLine } from '../ocfkit';
import { networkRestart } from '../net';
import type { Scenario } from '../report';
import type { Lab } from '../lab';

async function splitBrainCount(guest: Guest): Promise<number> {
  return Number((await guest.ok("dmesg | grep -c 'Split-Brain detected' || true")).trim());
}

/** How often DRBD left StandAlone (a connect took effect) since boot. */
async function connectCount(guest: Guest): Promise<number> {
  return Number((await guest.ok("dmesg | grep -c 'conn( StandAlone -> Unconnected )' || true")).trim());
}

/** Polls a shell condition inside the guest every 0.1 s for at most `seconds`; true once it holds. */
async function waitInGuest(guest: Guest, condition: string, seconds: number): Promise<boolean> {
  const r = await guest.sh(`for i in $(seq ${seconds * 10}); do ${condition} && exit 0; sleep 0.1; done; exit 1`, (seconds + 30) * 1000);
  return r.code === 0;
}

// both sides have seen the split brain and ocfkit's handler has recorded it: nothing moves after this
const SETTLED = 'grep -q cs:StandAlone /proc/drbd && dmesg | grep -q \'Split-Brain detected\' && [ -n "$(ls /var/lib/ocfkit/drbd/split-brain 2>/dev/null)" ]';
// the if-up hook's background reconnect has finished ([x]: pgrep must not match this very shell)
const HOOK_DONE = "! pgrep -f '[o]cfkit-drbd-reconnect' >/dev/null && ! pgrep -f '[d]rbd reconnect --iface' >/dev/null";

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
      await guest.ok(
        `drbdadm disconnect ${RESOURCE} && drbdadm primary ${RESOURCE} && dd if=/dev/urandom of=/dev/drbd0 bs=4k count=16 oflag=direct status=none`,
      );
    }
    await lab.node2.ok(`drbdadm connect ${RESOURCE}`);
    await lab.node1.ok(`drbdadm connect ${RESOURCE}`);
    const settled = await Promise.all(lab.guests.map((guest) => waitInGuest(guest, SETTLED, 30)));
    const before = await Promise.all(lab.guests.map(splitBrainCount));
    const connectsBefore = await Promise.all(lab.guests.map(connectCount));
    if (
      !report.check(
        settled.every(Boolean) && (await allStandAlone(lab)),
        "split brain detected after reconnect, both StandAlone, the handler's markers written",
        `${await states(lab)}; "Split-Brain detected" logged ${before.join('/')} times`,
      )
    )
      return;

    const handler = await lab.node1.sh(`ls /var/lib/ocfkit/drbd 2>&1; dmesg | grep -i 'helper command.*split-brain' | tail -2`);
    report.note(`node1 after the handler: ${oneLine(handler.output, handler.code)}`);

    // the hook: a network restart on both nodes at once, so a wrong reconnect would meet the peer
    // (no wait for a connection after ifup: the evidence below is read once the hook has finished)
    const restarts = await Promise.all(lab.guests.map((guest) => networkRestart(guest, 'cs:(WFConnection|Connected)', 5, 0)));
    const ran = restarts.map((r) => r.hooksRun.filter((hook) => hook.includes('ocfkit')).length > 0);
    const hookDone = await Promise.all(lab.guests.map((guest) => waitInGuest(guest, HOOK_DONE, 150)));
    const afterHook = await Promise.all(lab.guests.map(splitBrainCount));
    const connectsAfterHook = await Promise.all(lab.guests.map(connectCount));
    report.check(
      ran.every(Boolean) &&
        hookDone.every(Boolean) &&
        (await allStandAlone(lab)) &&
        connectsAfterHook.every((count, i) => count === connectsBefore[i]) &&
        afterHook.every((count, i) => count === before[i]),
      'the if-up hook leaves the split-brained resource alone',
      `ifup ran the ocfkit hook on ${ran.filter(Boolean).length}/2 nodes, its reconnect finished on ${hookDone.filter(Boolean).length}/2; then: ${await states(lab)}; connects ${connectsBefore.join('/')} -> ${connectsAfterHook.join('/')}; split-brain detections ${before.join('/')} -> ${afterHook.join('/')}`,
    );

    const reconnects = await Promise.all(lab.guests.map((guest) => guest.sh(`${OCFKIT} drbd reconnect`)));
    const afterReconnect = await Promise.all(lab.guests.map(splitBrainCount));
    const connectsAfterReconnect = await Promise.all(lab.guests.map(connectCount));
    report.check(
      (await allStandAlone(lab)) &&
        connectsAfterReconnect.every((count, i) => count === connectsBefore[i]) &&
        afterReconnect.every((count, i) => count === before[i]),
      '`ocfkit drbd reconnect` leaves it alone',
      `${reconnects.map((r, i) => `${lab.guests[i]!.name} ${oneLine(r.output, r.code)}`).join('; ')}; then: ${await states(lab)}; connects ${connectsBefore.join('/')} -> ${connectsAfterReconnect.join('/')}`,
    );

    const status = await lab.node1.sh(`${OCFKIT} drbd status`);
    report.check(/split.?brain/i.test(status.output), '`ocfkit drbd status` says why', oneLine(status.output, status.code));
  },
};
