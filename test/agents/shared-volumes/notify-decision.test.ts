import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseEnvironment } from '../../../agents/ocf/environment';
import { decideNotify } from '../../../agents/shared-volumes/notify-decision';

const notifyEnv = (type: string, operation: string, start: string, stop: string) =>
  parseEnvironment({
    OCF_RESKEY_CRM_meta_notify_type: type,
    OCF_RESKEY_CRM_meta_notify_operation: operation,
    OCF_RESKEY_CRM_meta_notify_start_uname: start,
    OCF_RESKEY_CRM_meta_notify_stop_uname: stop,
    OCF_RESKEY_CRM_meta_notify_start_resource: start ? 'volumes:1 ' : ' ',
  }).notify;

test('which notifications rediscover', () => {
  const table: Array<[string, string, string, string, string]> = [
    // type, operation, start unames, stop unames, decision
    ['post', 'start', 'node2 ', ' ', 'rediscover node2'],
    ['post', 'start', 'node1 node2', ' ', 'rediscover node2'],
    ['post', 'start', 'node1', ' ', 'ignore'],
    ['pre', 'start', 'node2', ' ', 'ignore'],
    ['post', 'stop', ' ', 'node2', 'log'],
    ['pre', 'stop', ' ', 'node2', 'ignore'],
    ['post', 'stop', ' ', 'node1', 'ignore'],
    ['post', 'promote', ' ', ' ', 'ignore'],
  ];
  for (const [type, operation, start, stop, expected] of table) {
    const decision = decideNotify(notifyEnv(type, operation, start, stop), 'node1');
    const shown = decision.kind === 'rediscover' ? `rediscover ${decision.peers.join(' ')}` : decision.kind;
    assert.is(shown, expected, `${type}-${operation} start=${start} stop=${stop}`);
  }
  assert.is(decideNotify(undefined, 'node1').kind, 'ignore');
});

test.run();
