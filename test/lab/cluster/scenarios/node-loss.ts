// Scenario 4: node loss. The host kills the qemu process of the node that runs vm1 (a power cut).
// The survivor's fencer fences it through SBD (the message is written to the dead node's slot and
// counts as delivered after msgwait), then Pacemaker starts vm1 on the survivor. The dead node is
// booted again: its stack, libvirt and the storage clones come back, DRBD reconnects and resyncs
// without a hand, and nothing runs twice. Figures: power cut -> fenced -> guest running on the survivor.
import type { Guest } from '../../guest';
import { oneLine } from '../../ocfkit';
import { sleep } from '../../proc';
import type { ClusterLab } from '../lab';
import type { ClusterScenario } from '../main';
import type { Sampler } from '../sampler';
import { placement, virtLab } from '../setup';
import { prepareNode, startStack, waitOnline } from '../stack';
import { GFS_MOUNT, LEASE_DIR } from '../storage';
import { startLibvirt } from '../virt';

const GUEST = 'vm1';

async function fencings(survivor: Guest, victim: string): Promise<number> {
  const history = await survivor.sh(`stonith_admin --history ${victim} 2>/dev/null | grep -c successful`);
  return Number(history.output.trim()) || 0;
}

/** Boots a node that was powered off and brings it back into the cluster with libvirt and the GFS2. */
async function rejoin(lab: ClusterLab, node: Guest, sampler: Sampler): Promise<{ bootS: number; onlineS: number; mountedS: number }> {
  const bootS = await lab.boot(node);
  const started = Date.now();
  await prepareNode(node);
  // libvirtd starts at boot before the cluster, as its unit does on a real host
  await startLibvirt(node);
  await sampler.startOn(node);
  await startStack(node);
  const online = await waitOnline(lab.node1 === node ? lab.node2 : lab.node1, ['node1', 'node2'], 300);
  const onlineS = online === undefined ? NaN : (Date.now() - started) / 1000;
  const mounted = await node.sh(`for i in $(seq 300); do grep -q ' ${GFS_MOUNT} gfs2 ' /proc/mounts && exit 0; sleep 1; done; exit 1`, 330_000);
  return { bootS, onlineS, mountedS: mounted.code === 0 ? (Date.now() - started) / 1000 : NaN };
}

export const nodeLossScenario: ClusterScenario = {
  id: '4',
  title: 'node loss: power cut, fencing through SBD, failover, rejoin',
  optional: true,
  async run(lab, report) {
    const virt = await virtLab(lab, report);
    if (!virt) return;
    const { sampler } = virt;
    const { here: victim, other: survivor } = placement(lab, sampler, GUEST);
    const before = await fencings(survivor, victim.name);
    const leaseBefore = (await survivor.sh(`cat ${LEASE_DIR}/*.lease | tr -d '\\n '`)).output;
    const cut = Date.now();
    victim.powerCut();
    let fencedS: number | undefined;
    while (Date.now() - cut < 240_000) {
      if ((await fencings(survivor, victim.name)) > before) {
        fencedS = (Date.now() - cut) / 1000;
        break;
      }
      await sleep(1000);
    }
    report.check(
      fencedS !== undefined,
      `${survivor.name} fenced ${victim.name} through SBD`,
      fencedS === undefined ? 'no successful fencing in 240 s' : `${fencedS.toFixed(1)} s after the power cut`,
    );
    const moved = await sampler.waitFor(GUEST, survivor.name, 240_000);
    const failoverS = (Date.now() - cut) / 1000;
    report.check(moved, `${GUEST} runs on ${survivor.name}`, `${failoverS.toFixed(1)} s after the power cut; ${sampler.describe(GUEST)}`);
    // the dead node's lease was still valid at the cut: taking it over before it expired is only
    // right because the fencing was confirmed first (with check_peers=false, scenario 7's other half)
    const leaseAfter = (await survivor.sh(`cat ${LEASE_DIR}/*.lease | tr -d '\\n '`)).output;
    const expires = Date.parse(/"expires":"([^"]+)"/.exec(leaseBefore)?.[1] ?? '');
    const takenFrom = /"takenOverFrom":"([^"]+)"/.exec(leaseAfter)?.[1];
    const holderAfter = /"holder":"([^"]+)"/.exec(leaseAfter)?.[1];
    report.check(
      holderAfter === survivor.name && fencedS !== undefined && fencedS <= failoverS,
      `the lease moved to ${survivor.name} after the fencing was confirmed`,
      `holder ${holderAfter ?? '?'}${takenFrom ? ` (taken over from ${takenFrom})` : ''}; fenced ${fencedS?.toFixed(1) ?? '-'} s, guest running ${failoverS.toFixed(1)} s after the cut; the old lease would have expired ${Number.isFinite(expires) ? `${((expires - cut) / 1000).toFixed(0)} s` : '?'} after the cut; check_peers=${(await survivor.sh(`crm_resource -r ${GUEST} -g check_peers 2>/dev/null`)).output.trim() || 'true'}`,
    );

    const back = await rejoin(lab, victim, sampler);
    report.check(
      Number.isFinite(back.onlineS) && Number.isFinite(back.mountedS),
      `${victim.name} boots again and rejoins: cluster, GFS2`,
      `boot ${back.bootS.toFixed(0)} s, online ${back.onlineS.toFixed(0)} s, GFS2 mounted ${back.mountedS.toFixed(0)} s after its stack started`,
    );
    const synced = await victim.sh(
      `for i in $(seq 180); do grep -q 'cs:Connected ro:Primary/Primary ds:UpToDate/UpToDate' /proc/drbd && exit 0; sleep 1; done; cat /proc/drbd; exit 1`,
      210_000,
    );
    report.check(
      synced.code === 0,
      'DRBD reconnected and resynced without a hand (Primary/Primary, UpToDate/UpToDate)',
      oneLine(synced.output || 'ok', synced.code),
    );
    const single = await sampler.waitFor(GUEST, survivor.name, 10_000);
    report.check(single && sampler.summary(GUEST).doubleRuns === 0, 'the guest never ran twice', sampler.describe(GUEST));
  },
};
