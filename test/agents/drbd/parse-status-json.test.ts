import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseStatusJson, StatusJsonError } from '../../../agents/drbd/parse-status-json';
import { fixture } from './fixtures';

test('9 status --json: resources, devices, connections, paths (ipv6 with scope), unknown keys ignored', () => {
  const [r0, web] = parseStatusJson(fixture('status-9.json'));
  assert.is(r0!.name, 'r0');
  assert.is(r0!.role, 'Secondary');
  assert.equal(r0!.volumes, [{ volume: 0, minor: 1, disk: 'UpToDate', role: 'Secondary' }]);
  const [bob, carol] = r0!.connections;
  assert.equal([bob!.peer, bob!.peerNodeId, bob!.state, bob!.peerRole], ['bob', 1, 'StandAlone', 'Unknown']);
  assert.equal(bob!.localAddress, { family: 'ipv4', address: '10.1.1.31', port: 7000 });
  assert.equal(bob!.peerVolumes, [{ volume: 0, peerDisk: 'DUnknown', replication: 'Off' }]);
  assert.equal(carol!.localAddress, { family: 'ipv6', address: 'fe80::1', port: 7001, scope: 'veth0' });
  assert.is(carol!.peerVolumes[0]!.replication, 'Established');
  assert.is(web!.volumes.length, 2);
  assert.is(web!.connections[0]!.state, 'Connecting');
  assert.is(web!.connections[0]!.localAddress, undefined, 'no paths before utils 9.26');
});

test('empty output is no resources; non-JSON is a named error', () => {
  assert.equal(parseStatusJson(''), []);
  assert.throws(
    () => parseStatusJson('r0 role:Secondary'),
    (e: Error) => e instanceof StatusJsonError && /status --json/.test(e.message),
  );
});

test.run();
