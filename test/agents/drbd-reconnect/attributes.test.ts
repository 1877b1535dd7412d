import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { attributeName, attributeValues } from '../../../agents/drbd-reconnect/attributes';
import { watchFile } from '../../../agents/drbd-reconnect/watch-state';
import type { ConnectionReport } from '../../../agents/drbd/reconnect';

const report = (resource: string, peer: string, stateAfter: string): ConnectionReport => ({
  resource,
  peer,
  interfaces: [],
  stateBefore: stateAfter,
  stateAfter,
  verdict: { action: 'none', kind: 'connected', why: '' },
  wasUp: true,
  outcome: 'connected',
});

test('one attribute per resource: the worst of its connections', () => {
  assert.is(attributeName('drbd', 'r0'), 'drbd-r0-connection');
  assert.equal(
    attributeValues('drbd', [
      report('r0', 'bob', 'Connected'),
      report('r0', 'carol', 'StandAlone'),
      report('r1', 'bob', 'WFConnection'),
      report('r2', 'bob', 'SyncSource'),
    ]),
    {
      'drbd-r0-connection': 'StandAlone',
      'drbd-r1-connection': 'WFConnection',
      'drbd-r2-connection': 'SyncSource',
    },
  );
});

test('the watch file is per primitive: the clone instance number is dropped', () => {
  assert.is(watchFile({ OCFKIT_RUN_DIR: '/run/x' }, 'drbd-reconnect:1'), '/run/x/drbd-reconnect/drbd-reconnect.active');
  assert.is(watchFile({}, 'drbd-reconnect'), '/run/ocfkit/drbd-reconnect/drbd-reconnect.active');
});

test.run();
