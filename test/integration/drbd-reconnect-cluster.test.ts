// ocf:ocfkit:DrbdReconnect as a clone in the real one-node Pacemaker cluster, against the fake
// DRBD userland (reached through wrapper scripts with the fake's state dir baked in, because
// Pacemaker runs agents with its own environment): node attributes in the CIB, 190 shown as
// degraded while the network is down, recovery once the kernel log shows the network cause and the
// network is back, attributes withdrawn on stop.
import * as assert from 'uvu/assert';
import { appendFileSync, chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { integrationSuite } from '../support/integration';
import { fakeDrbd, fakeDrbdBin, type FakeDrbd } from '../support/fake-drbd';
import { getCluster } from '../harness/cluster';
import * as needs from '../harness/needs';
import { ocfkitBinary } from '../support/binaries';
import { file } from '../harness/needs';

const s = integrationSuite('cluster: DrbdReconnect clone against the fake DRBD userland', [...needs.cluster, file(ocfkitBinary), file('/dev/kmsg')]);

// Pacemaker runs the agent with its own environment, so the agent reads this host's kernel log
// (journal, dmesg), not the fake's: the fake's lines go to /dev/kmsg, one record per write, as
// DRBD would log them. Without them the agent has no evidence of a network cause and must leave
// the connection StandAlone.
function copyToKernelLog(kmsg: string): void {
  for (const line of kmsg.split('\n').filter(Boolean)) appendFileSync('/dev/kmsg', `<4>${line.replace(/^\[[^\]]*\] /, '')}\n`);
}

const id = `drbd-reconnect-${process.pid}`;
const prefix = `drbd${process.pid}`;
let fake: FakeDrbd | undefined;

s.after(async () => {
  fake?.cleanup();
});

s('clone: attributes, degraded while StandAlone, reconnected, withdrawn on stop', async () => {
  const cluster = await getCluster();
  await cluster.installOcfkitAgents();
  fake = fakeDrbd(['--version', '8.4.11', '--hostname', os.hostname()]);
  fake.ctl('add', 'r0', '--minor', '0', '--local', '127.0.0.1:7950', '--peer', 'bob', '--remote', '127.0.0.2:7950');
  fake.ctl('add', 'r1', '--minor', '1', '--local', '127.0.0.1:7951', '--peer', 'bob', '--remote', '127.0.0.2:7951');
  const bin = path.join(fake.dir, 'bin');
  mkdirSync(bin);
  const wrapper = path.join(bin, 'drbdadm');
  writeFileSync(
    wrapper,
    `#!/bin/sh\nOCFKIT_FAKE_DRBD_DIR='${fake.env.OCFKIT_FAKE_DRBD_DIR}' exec '${process.execPath}' '${path.join(fakeDrbdBin, 'drbdadm')}' "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  const stateDir = path.join(fake.dir, 'ocfkit');

  const cloneId = await cluster.createClone({
    id,
    agent: 'ocf:ocfkit:DrbdReconnect',
    params: { drbdadm: wrapper, proc_drbd: fake.env.OCFKIT_PROC_DRBD, state_dir: stateDir, attribute_prefix: prefix, backoff_base: 0 },
    ops: [
      { name: 'start', timeout: 30 },
      { name: 'stop', timeout: 30 },
      { name: 'monitor', interval: 2, timeout: 30 },
    ],
  });
  await cluster.settle();
  await cluster.waitForRole(id, 'Started');
  let state = await cluster
    .waitForState('connection attributes in the CIB', (st) => st.nodeAttributes?.node1?.[`${prefix}-r0-connection`] === 'Connected')
    .catch(async (error: Error) => {
      const mon = await cluster.exec(['crm_mon', '-1', '-A']);
      const query = await cluster.exec(['attrd_updater', '-Q', '-A', '-n', `${prefix}-r0-connection`]);
      throw new Error(`${error.message}\ncalls: ${fake!.read('calls.log')}\ncrm_mon -A: ${mon.stdout}\nattrd: ${query.stdout}${query.stderr}`);
    });
  assert.is(state.nodeAttributes.node1?.[`${prefix}-r1-connection`], 'Connected');

  fake.ctl('set', 'net-down', 'yes');
  fake.ctl('tick');
  // Pacemaker shows a degraded monitor among the failed actions, with its exit reason, and keeps
  // the resource Started (190 counts as success)
  const degraded = await cluster.waitForFailure(id, (f) => f.task === 'monitor' && f.exitCode === 190);
  assert.match(degraded.exitStatus, /degraded/i);
  assert.match(degraded.exitReason, /r0:bob StandAlone/);
  await cluster.waitForRole(id, 'Started');
  await cluster.waitForState('StandAlone in the CIB', (st) => st.nodeAttributes?.node1?.[`${prefix}-r0-connection`] === 'StandAlone');
  // no cause of this episode in the host's kernel log yet (an earlier run's lines, if any, predate
  // the last time the connection was seen up): left alone
  assert.match(degraded.exitReason, /leave \((no-network-cause|log-incomplete)\)/);

  copyToKernelLog(fake.read('kmsg'));
  fake.ctl('set', 'net-down', 'no');
  state = await cluster.waitForState(
    'reconnected: Connected again',
    (st) => st.nodeAttributes?.node1?.[`${prefix}-r0-connection`] === 'Connected' && st.nodeAttributes?.node1?.[`${prefix}-r1-connection`] === 'Connected',
  );
  assert.ok(state.resources.some((r) => r.id === id && r.role === 'Started'));
  assert.match(fake.read('calls.log'), /^drbdadm connect r0$/m);
  assert.is(fake.read('forbidden.log'), '');

  await cluster.deleteResource(cloneId);
  assert.is(await cluster.nodeAttribute(`${prefix}-r0-connection`), undefined, 'stop withdrew the attribute');
});

s.run();
