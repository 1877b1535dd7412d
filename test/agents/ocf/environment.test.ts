import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isProbe, parseEnvironment } from '../../../agents/ocf/environment';

test('the probe trap: no CRM_meta_interval means interval 0, a probe', () => {
  const env = parseEnvironment({ OCF_RESKEY_CRM_meta_timeout: '20000' });
  assert.is(env.intervalMs, 0);
  assert.ok(isProbe('monitor', env));
  assert.not.ok(isProbe('start', env));
});

test('a recurring monitor is not a probe', () => {
  const env = parseEnvironment({ OCF_RESKEY_CRM_meta_interval: '10000', OCF_RESKEY_CRM_meta_timeout: '20000' });
  assert.is(env.intervalMs, 10000);
  assert.is(env.timeoutMs, 20000);
  assert.not.ok(isProbe('monitor', env));
});

test('defaults outside a cluster', () => {
  const env = parseEnvironment({});
  assert.is(env.instance, 'undef');
  assert.is(env.exitReasonPrefix, 'ocf-exit-reason:');
  assert.is(env.timeoutMs, undefined);
  assert.is(env.checkLevel, 0);
  assert.is(env.notify, undefined);
});

test('migration, check level and exit reason prefix', () => {
  const env = parseEnvironment({
    OCF_RESOURCE_INSTANCE: 'volumes:1',
    OCF_RESKEY_CRM_meta_clone: '1',
    OCF_RESKEY_CRM_meta_clone_max: '3',
    OCF_RESKEY_CRM_meta_clone_node_max: '1',
    OCF_RESKEY_CRM_meta_migrate_source: 'node1',
    OCF_RESKEY_CRM_meta_migrate_target: 'node2',
    OCF_RESKEY_CRM_meta_on_node: 'node2',
    OCF_CHECK_LEVEL: '10',
    OCF_EXIT_REASON_PREFIX: 'reason:',
  });
  assert.is(env.instance, 'volumes:1');
  assert.is(env.migrateSource, 'node1');
  assert.is(env.migrateTarget, 'node2');
  assert.is(env.onNode, 'node2');
  assert.is(env.checkLevel, 10);
  assert.is(env.exitReasonPrefix, 'reason:');
});

test('notify variables: space-separated lists with stray spaces', () => {
  const env = parseEnvironment({
    OCF_RESKEY_CRM_meta_notify: 'true',
    OCF_RESKEY_CRM_meta_notify_type: 'pre',
    OCF_RESKEY_CRM_meta_notify_operation: 'start',
    OCF_RESKEY_CRM_meta_notify_start_resource: 'volumes:1 ',
    OCF_RESKEY_CRM_meta_notify_start_uname: 'node2 ',
    OCF_RESKEY_CRM_meta_notify_active_resource: 'volumes:0',
    OCF_RESKEY_CRM_meta_notify_active_uname: 'node1',
    OCF_RESKEY_CRM_meta_notify_stop_resource: ' ',
    OCF_RESKEY_CRM_meta_notify_all_uname: 'node1 node2',
  });
  assert.is(env.notify?.type, 'pre');
  assert.is(env.notify?.operation, 'start');
  assert.equal(env.notify?.start, { resources: ['volumes:1'], unames: ['node2'] });
  assert.equal(env.notify?.active.unames, ['node1']);
  assert.equal(env.notify?.stop, { resources: [], unames: [] });
  assert.equal(env.notify?.allUnames, ['node1', 'node2']);
});

test.run();
