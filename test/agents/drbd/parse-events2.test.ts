import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { foldEvents2, parseEvents2Line } from '../../../agents/drbd/parse-events2';
import { fixture } from './fixtures';

test('single lines: exists, end marker, unknown verb, timestamps, unknown keys kept', () => {
  assert.equal(parseEvents2Line('exists connection name:r0 peer-node-id:1 conn-name:bob connection:StandAlone role:Unknown new-key:x'), {
    kind: 'event',
    event: {
      verb: 'exists',
      object: 'connection',
      fields: { name: 'r0', 'peer-node-id': '1', 'conn-name': 'bob', connection: 'StandAlone', role: 'Unknown', 'new-key': 'x' },
    },
  });
  assert.equal(parseEvents2Line('exists -'), { kind: 'end' });
  assert.is(parseEvents2Line('   '), undefined);
  assert.is(parseEvents2Line('frobnicate device name:r0')?.kind, 'unknown');
  const stamped = parseEvents2Line('2026-11-22T01:02:03.456789+00:00 change resource name:r0 role:Primary');
  assert.is(stamped?.kind === 'event' && stamped.event.fields.role, 'Primary');
});

test('9 --now dump plus a stream: model, destroyed resource, split-brain helper call, unknown lines', () => {
  const snap = foldEvents2(fixture('events2-9.txt'));
  assert.equal(
    snap.resources.map((r) => r.name),
    ['r0'],
  );
  const r0 = snap.resources[0]!;
  assert.equal(r0.volumes, [{ volume: 0, minor: 1, disk: 'UpToDate', role: 'Secondary' }]);
  const bob = r0.connections.find((c) => c.peer === 'bob')!;
  assert.equal([bob.state, bob.peerNodeId, bob.localAddress?.address, bob.peerAddress?.address], ['StandAlone', 1, '10.1.1.31', '10.1.1.32']);
  const carol = r0.connections.find((c) => c.peer === 'carol')!;
  assert.is(carol.state, 'NetworkFailure', 'a later change line wins');
  assert.equal(carol.localAddress, { family: 'ipv6', address: 'fe80::1', port: 7001, scope: 'veth0' });
  assert.equal(carol.peerVolumes, [{ volume: 0, peerDisk: 'UpToDate', replication: 'Established' }]);
  // a helper call in a captured stream is not evidence: only `events2 --now` runs, which has none
  assert.not.ok('splitBrainCalls' in snap);
  assert.equal(snap.unknown, ['frobnicate widget name:r0 something:new']);
});

test('8.4 events2: no conn-name or peer-node-id; a StandAlone resource has no connection line', () => {
  const snap = foldEvents2(fixture('events2-8.4.txt'));
  const [r0, r1] = snap.resources;
  assert.equal(
    r0!.connections.map((c) => [c.peer, c.state, c.peerRole]),
    [['peer', 'Connected', 'Secondary']],
  );
  assert.is(r0!.role, 'Primary');
  assert.equal(r1!.connections, []);
});

test.run();
