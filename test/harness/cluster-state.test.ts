import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../support/binaries';
import { cloneXml, primitiveXml } from './cluster-cib';
import { parseCrmMon } from './cluster-state';

const xml = readFileSync(path.join(repoRoot, 'test/fixtures/pacemaker/crm_mon-failed-monitor.xml'), 'utf8');

test('crm_mon XML: resources (clones flattened), history, failures with exit reason, fail counts', () => {
  const state = parseCrmMon(xml);
  assert.equal([state.dc, state.quorate, state.onlineNodes], ['node1', true, ['node1']]);
  assert.equal(
    state.resources.map((r) => [r.id, r.parent, r.role, r.nodes]),
    [
      ['p1', undefined, 'Started', ['node1']],
      ['c1', 'c1-clone', 'Started', ['node1']],
    ],
  );
  assert.equal(state.failures, [
    {
      opKey: 'p1_monitor_2000',
      resource: 'p1',
      node: 'node1',
      task: 'monitor',
      interval: 2000,
      exitCode: 1,
      exitStatus: 'error',
      exitReason: 'injected monitor failure: boom',
      status: 'complete',
      call: 31,
    },
  ]);
  assert.equal(
    state.operations.filter((o) => o.resource === 'p1').map((o) => [o.task, o.interval, o.rc, o.call]),
    [
      ['monitor', 2000, 1, 31],
      ['start', 0, 0, 34],
      ['monitor', 2000, 0, 35],
    ],
  );
  assert.equal(state.failCounts, { 'p1@node1': 5 });
});

test('CIB XML builders', () => {
  assert.is(
    primitiveXml({ id: 'r', agent: 'ocf:ocfkit-test:TestResource', params: { state_dir: '/tmp/a&b' }, ops: [{ name: 'monitor', interval: 2, timeout: 20 }] }),
    '<primitive id="r" class="ocf" provider="ocfkit-test" type="TestResource"><instance_attributes id="r-instance_attributes"><nvpair id="r-instance_attributes-state_dir" name="state_dir" value="/tmp/a&amp;b"/></instance_attributes><operations><op id="r-monitor-interval-2s" name="monitor" interval="2s" timeout="20s"/></operations></primitive>',
  );
  assert.match(
    cloneXml('r-clone', { id: 'r', agent: 'ocf:x:Y' }, { notify: 'true' }),
    /^<clone id="r-clone"><meta_attributes id="r-clone-meta_attributes"><nvpair id="r-clone-meta_attributes-notify" name="notify" value="true"\/><\/meta_attributes><primitive id="r" class="ocf" provider="x" type="Y"><\/primitive><\/clone>$/,
  );
  assert.throws(() => primitiveXml({ id: 'r', agent: 'TestResource' }), /CLASS:PROVIDER:TYPE/);
});

test.run();
