// Proves the one-node test cluster with the test-only agent: a primitive and a notify-enabled
// clone go through start, recurring monitor, an injected monitor failure whose exit reason shows
// in crm_mon, recovery and stop. Also checks the notify environment Pacemaker really passes
// against the recorded fixture (OCFKIT_RECORD_FIXTURES=1 re-records it).
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { integrationSuite } from '../support/integration';
import { repoRoot } from '../support/binaries';
import { getCluster, TEST_AGENT } from '../harness/cluster';
import { fakeBin } from '../harness/fake-bin';
import { lastOp } from '../harness/cluster-state';
import * as needs from '../harness/needs';
import { freshDir } from '../harness/tmp';

const s = integrationSuite('cluster: TestResource primitive and notify clone on a real one-node cluster', needs.cluster);
const ops = [
  { name: 'start', timeout: 20 },
  { name: 'stop', timeout: 20 },
  { name: 'monitor', interval: 2, timeout: 20 },
];

async function proveFailureAndRecovery(id: string, resourceId: string, stateFile: string, message: string): Promise<void> {
  const cluster = await getCluster();
  writeFileSync(`${stateFile}.fail`, `${message}\n`);
  const failure = await cluster.waitForFailure(resourceId, (f) => f.task === 'monitor');
  assert.is(failure.exitCode, 1, 'OCF_ERR_GENERIC');
  assert.is(failure.exitReason, `injected monitor failure: ${message}`);
  rmSync(`${stateFile}.fail`);
  const recovered = await cluster.waitForState(`${id} recovered after the monitor failure`, (state) => {
    const start = lastOp(state, resourceId, 'start');
    const monitor = lastOp(state, resourceId, 'monitor', 2000);
    const running = state.resources.filter((r) => r.id === resourceId);
    return Boolean(start && start.call > failure.call && start.rc === 0 && monitor?.rc === 0 && running.length && running.every((r) => r.role === 'Started'));
  });
  assert.ok((recovered.failCounts[`${resourceId}@node1`] ?? 0) >= 1, 'fail count recorded');
  assert.ok(existsSync(stateFile), 'the recovery started the resource again');
}

s('primitive: start, recurring monitor, injected monitor failure with exit reason, recovery, stop', async () => {
  const cluster = await getCluster();
  const stateDir = freshDir('primitive');
  const stateFile = path.join(stateDir, 'tr-prim.state');
  await cluster.createPrimitive({ id: 'tr-prim', agent: TEST_AGENT, params: { state_dir: stateDir }, ops });
  await cluster.settle();
  await cluster.waitForRole('tr-prim', 'Started');
  assert.ok(existsSync(stateFile), 'start created the state file');
  const monitored = await cluster.waitForState('a successful recurring monitor', (state) =>
    state.operations.some((o) => o.resource === 'tr-prim' && o.task === 'monitor' && o.interval === 2000 && o.rc === 0),
  );
  assert.is(lastOp(monitored, 'tr-prim', 'start')?.rc, 0);

  await proveFailureAndRecovery('tr-prim', 'tr-prim', stateFile, 'disk on fire');

  await cluster.setTargetRole('tr-prim', 'Stopped');
  await cluster.settle();
  await cluster.waitForRole('tr-prim', 'Stopped');
  assert.not.ok(existsSync(stateFile), 'stop removed the state file');
  await cluster.deleteResource('tr-prim');
  assert.equal(await cluster.resource('tr-prim'), []);
});

s('notify clone: notifications with the real environment, failure, recovery, stop', async () => {
  const cluster = await getCluster();
  const stateDir = freshDir('clone');
  const cloneId = await cluster.createClone({ id: 'tr-clone-rsc', agent: TEST_AGENT, params: { state_dir: stateDir }, ops });
  assert.is(cloneId, 'tr-clone-rsc-clone');
  await cluster.settle();
  await cluster.waitForRole('tr-clone-rsc', 'Started');
  const states = readdirSync(stateDir).filter((f) => f.endsWith('.state'));
  assert.is(states.length, 1, `one instance state file, got ${states.join(', ')}`);
  const stateFile = path.join(stateDir, states[0]!);

  const notifyLog = () => readFileSync(path.join(stateDir, 'notify.log'), 'utf8');
  // pre-notifications only reach active instances: the first start of the only instance gets post-start
  assert.match(notifyLog(), /^post-start start=node1 /m);
  assert.not.match(notifyLog(), /^pre-start /m);
  const envDir = path.join(stateDir, 'notify-env');
  const postStart = readdirSync(envDir).find((f) => f.endsWith('-post-start.txt'));
  assert.ok(postStart, 'a post-start notify environment was dumped');
  const captured = readFileSync(path.join(envDir, postStart!), 'utf8');
  const fixture = path.join(repoRoot, 'test/fixtures/pacemaker/notify-env-post-start.txt');
  if (process.env.OCFKIT_RECORD_FIXTURES) writeFileSync(fixture, captured);
  const keys = (text: string) =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('=')[0])
      .sort();
  assert.equal(keys(captured), keys(readFileSync(fixture, 'utf8')), 'Pacemaker passes the recorded set of notify variables');
  assert.match(captured, /^OCF_RESKEY_CRM_meta_notify_type=post$/m);
  assert.match(captured, /^OCF_RESKEY_CRM_meta_notify_operation=start$/m);
  assert.match(captured, /^OCF_RESKEY_CRM_meta_notify_start_uname=node1$/m);
  assert.match(captured, /^OCF_RESKEY_CRM_meta_notify_start_resource=tr-clone-rsc:0$/m);

  await cluster.waitForState('a successful recurring monitor of the clone instance', (state) =>
    state.operations.some((o) => o.resource === 'tr-clone-rsc' && o.task === 'monitor' && o.interval === 2000 && o.rc === 0),
  );
  await proveFailureAndRecovery(cloneId, 'tr-clone-rsc', stateFile, 'clone instance broke');

  await cluster.setTargetRole(cloneId, 'Stopped');
  await cluster.settle();
  await cluster.waitForRole('tr-clone-rsc', 'Stopped');
  assert.not.ok(existsSync(stateFile), 'stop removed the state file');
  assert.match(notifyLog(), /^pre-stop /m);
  const preStop = readdirSync(envDir)
    .filter((f) => f.endsWith('-pre-stop.txt'))
    .pop();
  assert.ok(preStop, 'a pre-stop notify environment was dumped');
  const preStopEnv = readFileSync(path.join(envDir, preStop!), 'utf8');
  assert.match(preStopEnv, /^OCF_RESKEY_CRM_meta_notify_stop_uname=node1$/m);
  if (process.env.OCFKIT_RECORD_FIXTURES) writeFileSync(path.join(repoRoot, 'test/fixtures/pacemaker/notify-env-pre-stop.txt'), preStopEnv);
  await cluster.deleteResource(cloneId);
  assert.equal(await cluster.resource(cloneId), []);
});

s('node attributes round-trip; crm_resource --fail injects a failure the cluster recovers from', async () => {
  const cluster = await getCluster();
  await cluster.setNodeAttribute('ocfkit-test-attr', 'on');
  assert.is(await cluster.nodeAttribute('ocfkit-test-attr'), 'on');
  const seen = await cluster.waitForState('the attribute in crm_mon', (state) => state.nodeAttributes.node1?.['ocfkit-test-attr'] === 'on');
  assert.is(seen.nodeAttributes.node1?.['ocfkit-test-attr'], 'on');
  await cluster.deleteNodeAttribute('ocfkit-test-attr');
  assert.is(await cluster.nodeAttribute('ocfkit-test-attr'), undefined);

  const stateDir = freshDir('fail-inject');
  await cluster.createPrimitive({ id: 'tr-failed', agent: TEST_AGENT, params: { state_dir: stateDir }, ops });
  await cluster.settle();
  await cluster.waitForRole('tr-failed', 'Started');
  await cluster.failResource('tr-failed');
  await cluster.waitForState('the injected failure to be counted', (state) => (state.failCounts['tr-failed@node1'] ?? 0) >= 1);
  await cluster.settle();
  await cluster.waitForRole('tr-failed', 'Started');
  await cluster.deleteResource('tr-failed');
});

s('agents run by the cluster find fake tools added with addFakeBin first on PATH', async () => {
  const cluster = await getCluster();
  const stateDir = freshDir('path-probe');
  const fakes = fakeBin({ 'ocfkit-probe-tool': '#!/bin/sh\necho "$*" > "$OCFKIT_FAKE_STATE/probed"\n' });
  // a minimal shell OCF agent whose start calls the fake tool by name
  const agent = path.join(stateDir, 'PathProbe');
  writeFileSync(
    agent,
    [
      '#!/bin/sh',
      'case "$1" in',
      '  start) ocfkit-probe-tool started-by-pacemaker || exit 5; touch "$OCF_RESKEY_state_dir/running" ;;',
      '  stop) rm -f "$OCF_RESKEY_state_dir/running" ;;',
      '  monitor) [ -e "$OCF_RESKEY_state_dir/running" ] || exit 7 ;;',
      '  meta-data) echo \'<?xml version="1.0"?><resource-agent name="PathProbe" version="1"><version>1.1</version><longdesc lang="en">probe</longdesc><shortdesc lang="en">probe</shortdesc><parameters><parameter name="state_dir"><content type="string"/></parameter></parameters><actions><action name="start" timeout="20s"/><action name="stop" timeout="20s"/><action name="monitor" timeout="20s" interval="10s"/><action name="meta-data" timeout="5s"/></actions></resource-agent>\' ;;',
      '  *) exit 3 ;;',
      'esac',
      'exit 0',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  cluster.installTestAgent(agent);
  const remove = cluster.addFakeBin(fakes);
  try {
    await cluster.createPrimitive({ id: 'path-probe', agent: 'ocf:ocfkit-test:PathProbe', params: { state_dir: stateDir } });
    await cluster.settle();
    await cluster.waitForRole('path-probe', 'Started');
    assert.is(fakes.readState('probed'), 'started-by-pacemaker\n');
    assert.equal(fakes.calls(), [{ tool: 'ocfkit-probe-tool', args: ['started-by-pacemaker'] }]);
    await cluster.deleteResource('path-probe');
  } finally {
    remove();
  }
});

s.run();
