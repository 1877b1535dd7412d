// SharedVolumes as a notify clone in the real one-node cluster (the harness's), with the fake
// volume tools and a stand-in guest (TestResource) configured as docs/agents/shared-volumes.md says: ordered after
// and colocated with the clone. Start, recurring monitor, a volume vanishing fails monitor with
// its name in crm_mon and Pacemaker recovers it (stopping the guest first), the notify variables
// Pacemaker really sends (recorded by a wrapper around the agent) trigger rediscovery when
// replayed as seen from a peer node, and stop.
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getCluster, TEST_AGENT } from '../harness/cluster';
import { colocationXml, orderXml } from '../harness/cluster-cib';
import * as needs from '../harness/needs';
import { ocfkitBinary, runProgram } from '../support/binaries';
import { integrationSuite } from '../support/integration';
import { file } from '../harness/needs';
import { createVolumeFakes, type VolumeFakes } from '../fakes/lvm/fakes';

const s = integrationSuite('SharedVolumes notify clone on a real one-node cluster', [...needs.cluster, file(ocfkitBinary)], {
  fakes: undefined as unknown as VolumeFakes,
});

const ID = `vols${process.pid}`;
const CLONE = `${ID}-clone`;
const GUEST = `guest${process.pid}`;

/**
 * Pacemaker runs agents with its own PATH; a wrapper puts the fakes first and records the notify
 * variables of every start and notify call (sorted NAME=value lines), then execs the real binary.
 */
function wrapper(fakes: VolumeFakes, guestDir: string): string {
  const agent = path.join(fakes.dir, 'agent', 'SharedVolumes');
  mkdirSync(path.dirname(agent), { recursive: true });
  symlinkSync(ocfkitBinary, agent);
  mkdirSync(path.join(fakes.dir, 'envs'));
  return `#!/bin/sh
PATH="${fakes.binDir}:$PATH"; export PATH
case "$1" in start|notify) env | grep '^OCF_RESKEY_CRM_meta_notify' | sort > "${fakes.dir}/envs/$1-$(date +%s%N).env" ;; esac
# which guests were still running when the volumes were told to stop
[ "$1" = stop ] && ls "${guestDir}" > "${fakes.dir}/envs/stop-$(date +%s%N).guests" 2>/dev/null
exec "${agent}" "$@"
`;
}

s.before((ctx) => {
  ctx.fakes = createVolumeFakes({
    vgs: { vg_san: { lockType: 'dlm' } },
    lvs: [
      { vg: 'vg_san', lv: 'vm1' },
      { vg: 'vg_san', lv: 'vm2' },
    ],
  });
});
s.after(async (ctx) => {
  const cluster = await getCluster();
  await cluster.installOcfkitAgents(); // the plain symlink again, for later suites
  ctx.fakes.cleanup();
});

s('start, monitor, vanished volume named in crm_mon, recovery, notify replay, stop', async (ctx) => {
  const { fakes } = ctx;
  const cluster = await getCluster();
  const installed = path.join(cluster.resourceDir, 'ocfkit', 'SharedVolumes');
  rmSync(installed, { force: true });
  const guestDir = path.join(fakes.dir, 'guest');
  mkdirSync(guestDir);
  writeFileSync(installed, wrapper(fakes, guestDir), { mode: 0o755 });
  const params = { volumes: 'vg_san', state_dir: path.join(fakes.dir, 'run'), dev_root: fakes.devRoot, sysfs_root: fakes.sysfsRoot, retry_delay_ms: 50 };
  await cluster.createClone(
    {
      id: ID,
      agent: 'ocf:ocfkit:SharedVolumes',
      params,
      ops: [
        { name: 'monitor', interval: 3, timeout: 20 },
        { name: 'start', timeout: 60 },
        { name: 'stop', timeout: 60 },
      ],
    },
    { notify: 'true', interleave: 'true' },
    CLONE,
  );
  await cluster.createPrimitive({ id: GUEST, agent: TEST_AGENT, params: { state_dir: guestDir }, ops: [{ name: 'monitor', interval: 10, timeout: 20 }] });
  await cluster.addConstraint(orderXml(`${GUEST}-after-volumes`, CLONE, GUEST, 'Mandatory'));
  await cluster.addConstraint(colocationXml(`${GUEST}-with-volumes`, GUEST, CLONE, 'INFINITY'));
  const stopsWithGuestRunning = () =>
    readdirSync(path.join(fakes.dir, 'envs')).filter(
      (name) => name.endsWith('.guests') && readFileSync(path.join(fakes.dir, 'envs', name), 'utf8').includes('.state'),
    );
  try {
    await cluster.waitForRole(ID, 'Started', 90_000);
    await cluster.waitForRole(GUEST, 'Started');
    assert.ok(fakes.calls().includes('vgchange --lock-start vg_san'), fakes.calls().join('\n'));
    assert.ok(fakes.calls().includes('vgchange -asy vg_san'));
    assert.ok(existsSync(path.join(fakes.devRoot, 'vg_san', 'vm2')));

    // Pacemaker attached the notify variables to the start and sent a post-start notification
    const envs = readdirSync(path.join(fakes.dir, 'envs')).sort();
    const startFile = envs.find((name) => name.startsWith('start-'));
    assert.ok(startFile, `start env recorded: ${envs}`);
    assert.match(
      readFileSync(path.join(fakes.dir, 'envs', startFile!), 'utf8'),
      /^OCF_RESKEY_CRM_meta_notify_start_uname=node1\s*$/m,
      'the start itself carries the notify variables',
    );
    const notifyFile = envs.find((name) => name.startsWith('notify-'));
    assert.ok(notifyFile, `a notify call was recorded: ${envs}`);
    const recorded = readFileSync(path.join(fakes.dir, 'envs', notifyFile!), 'utf8');
    assert.match(recorded, /^OCF_RESKEY_CRM_meta_notify_type=post$/m);
    assert.match(recorded, /^OCF_RESKEY_CRM_meta_notify_start_uname=node1\s*$/m);

    // a volume vanishes: the recurring monitor fails, naming it in crm_mon
    fakes.update((st) => {
      for (const lv of st.lvs) if (lv.lv === 'vm2') lv.active = false;
    });
    rmSync(path.join(fakes.devRoot, 'vg_san', 'vm2'), { force: true });
    const failure = await cluster.waitForFailure(ID, (f) => f.task === 'monitor', 60_000);
    console.log(`  crm_mon shows: ${failure.opKey} ${failure.exitStatus} "${failure.exitReason}"`);
    assert.match(failure.exitReason, 'vg_san/vm2 (not active)');
    // Pacemaker recovers the instance: stop (deactivates) and start (activates vm2 again)
    await cluster.waitForState('vm2 active again', () => fakes.state().lvs.every((lv) => lv.active), 60_000);
    await cluster.settle();
    await cluster.waitForRole(ID, 'Started');
    await cluster.waitForRole(GUEST, 'Started');
    assert.ok(
      readdirSync(path.join(fakes.dir, 'envs')).some((name) => name.endsWith('.guests')),
      'the recovery stopped the volumes',
    );
    assert.equal(stopsWithGuestRunning(), [], 'the guest was stopped before the volumes');

    // the recorded post-start, replayed on a second node: node1 joined, so node2 rediscovers
    fakes.update((st) => {
      st.pendingLvs = [{ vg: 'vg_san', lv: 'vm3' }];
    });
    const replayEnv: NodeJS.ProcessEnv = Object.fromEntries(
      recorded
        .split('\n')
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    const peerState = path.join(fakes.dir, 'node2-run');
    mkdirSync(peerState);
    writeFileSync(path.join(peerState, `${ID}.json`), JSON.stringify({ backend: 'lvmlockd', activated: ['vg_san/vm1', 'vg_san/vm2'], since: 'x' }));
    const replay = runProgram(installed, ['notify'], {
      ...replayEnv,
      OCF_ROOT: '/usr/lib/ocf',
      OCF_RESOURCE_INSTANCE: `${ID}:1`,
      OCF_RESKEY_CRM_meta_on_node: 'node2',
      ...Object.fromEntries(Object.entries({ ...params, state_dir: peerState }).map(([k, v]) => [`OCF_RESKEY_${k}`, String(v)])),
    });
    assert.is(replay.status, 0, replay.stderr);
    assert.match(replay.stderr, 'node1 started the shared volumes; rediscovering here');
    assert.ok(existsSync(path.join(fakes.devRoot, 'vg_san', 'vm3')), 'vm3, created meanwhile, is active after rediscovery');

    // stop through Pacemaker: deactivated and the lockspace left
    fakes.update((st) => {
      st.lvs = st.lvs.filter((lv) => lv.lv !== 'vm3');
    });
    rmSync(path.join(fakes.devRoot, 'vg_san', 'vm3'), { force: true });
    await cluster.setTargetRole(CLONE, 'Stopped');
    await cluster.settle();
    await cluster.waitForRole(ID, 'Stopped');
    await cluster.waitForRole(GUEST, 'Stopped');
    assert.equal(stopsWithGuestRunning(), []);
    assert.ok(
      fakes.state().lvs.every((lv) => !lv.active),
      'all volumes deactivated',
    );
    assert.ok(fakes.calls().includes('vgchange --lock-stop vg_san'));
  } finally {
    for (const id of [`${GUEST}-after-volumes`, `${GUEST}-with-volumes`])
      await cluster.deleteConstraint(id).catch((error: unknown) => console.error(`cleanup of ${id} failed:`, error));
    await cluster.deleteResource(GUEST).catch((error: unknown) => console.error('cleanup of the guest failed:', error));
    await cluster.deleteResource(CLONE).catch((error: unknown) => console.error('cleanup of the clone failed:', error));
  }
});

s.run();
