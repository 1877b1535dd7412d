import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decide } from '../../../agents/drbd/policy';
import { markerMatches, recordAttempt, resolvedMarkers, updateRecords } from '../../../agents/drbd/records';

const NOW = 1_000_000_000;
const v = (state: string, extra = {}) => decide({ now: NOW, state, ...extra });

test('baseline: up for connected/retrying, down for deliberate StandAlone, unchanged otherwise', () => {
  const before = { baseline: { 'r2:bob': { state: 'up' as const, at: 1 }, 'r3:bob': { state: 'up' as const, at: 1 } }, backoff: {} };
  const after = updateRecords(
    before,
    [
      { key: 'r0:bob', state: 'Connected', verdict: v('Connected') },
      { key: 'r1:bob', state: 'WFConnection', verdict: v('WFConnection') },
      {
        key: 'r2:bob',
        state: 'StandAlone',
        verdict: v('StandAlone', { kernelLogs: [{ source: 'dmesg', firstAt: 0, startSeen: true, verdict: { cause: 'split-brain', line: 'x' } }] }),
      },
      { key: 'r3:bob', state: 'StandAlone', verdict: v('StandAlone', { baseline: { state: 'up', at: 1 } }) },
      { key: 'r4:bob', state: 'StandAlone', verdict: v('StandAlone') },
    ],
    NOW,
  );
  assert.equal(after.baseline, {
    'r0:bob': { state: 'up', at: NOW },
    'r1:bob': { state: 'up', at: NOW },
    'r2:bob': { state: 'down', at: NOW },
    'r3:bob': { state: 'up', at: 1 },
  });
});

test('Disconnecting does not refresh "up"; a leave for missing evidence records nothing', () => {
  const before = { baseline: { 'r0:bob': { state: 'up' as const, at: 1 }, 'r1:bob': { state: 'up' as const, at: 1 } }, backoff: {} };
  const after = updateRecords(
    before,
    [
      { key: 'r0:bob', state: 'Disconnecting', verdict: v('Disconnecting') },
      { key: 'r1:bob', state: 'StandAlone', verdict: v('StandAlone', { baseline: { state: 'up', at: 1 }, kernelLogs: [] }) },
    ],
    NOW,
  );
  assert.equal(after.baseline, before.baseline);
});

test('attempts count up inside the window, restart after it; stable connection clears them', () => {
  let r = recordAttempt({ baseline: {}, backoff: {} }, 'r0:bob', NOW);
  r = recordAttempt(r, 'r0:bob', NOW + 15_000);
  assert.equal(r.backoff['r0:bob'], { attempts: 2, lastAttempt: NOW + 15_000 });
  assert.equal(recordAttempt(r, 'r0:bob', NOW + 3 * 3_600_000).backoff['r0:bob']!.attempts, 1);
  const soon = updateRecords(r, [{ key: 'r0:bob', state: 'Connected', verdict: v('Connected') }], NOW + 30_000);
  assert.ok(soon.backoff['r0:bob'], 'connected right after an attempt: a flap may follow, keep counting');
  const later = updateRecords(r, [{ key: 'r0:bob', state: 'Connected', verdict: v('Connected') }], NOW + 200_000);
  assert.is(later.backoff['r0:bob'], undefined);
});

test('markers: match by peer, node id or whole resource; resolved only when connected and settled', () => {
  const named = { resource: 'r0', peer: 'bob', at: NOW - 60_000 };
  const byId = { resource: 'r0', peerNodeId: 2, at: NOW - 60_000 };
  const whole = { resource: 'r1', at: NOW - 1000 };
  assert.ok(markerMatches(named, 'r0', 'bob', 1));
  assert.not.ok(markerMatches(named, 'r0', 'carol', 2));
  assert.ok(markerMatches(byId, 'r0', 'carol', 2));
  assert.not.ok(markerMatches(byId, 'r0', 'bob', 1));
  assert.ok(markerMatches(whole, 'r1', 'peer', undefined));
  assert.equal(
    resolvedMarkers([named, byId, whole], () => true, NOW),
    [named, byId],
    'a fresh marker is kept',
  );
  assert.equal(
    resolvedMarkers([named], () => false, NOW),
    [],
  );
});

test.run();
