import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCstate, parseDstate, parseRole, parseShResources } from '../../../agents/drbd/parse-drbdadm';
import { fixture } from './fixtures';

test('cstate: per volume (8.4) and per connection (9)', () => {
  assert.equal(parseCstate(fixture('cstate-8.4.txt')), ['StandAlone', 'StandAlone']);
  assert.equal(parseCstate(fixture('cstate-9.txt')), ['Connected', 'StandAlone']);
});

test('role: local/peer (8.4) and local only (9)', () => {
  assert.equal(parseRole(fixture('role-8.4.txt'))[0], { role: 'Primary', peerRole: 'Secondary' });
  assert.equal(parseRole(fixture('role-9.txt')), [{ role: 'Secondary', peerRole: undefined }]);
});

test('dstate: local and every peer', () => {
  assert.equal(parseDstate(fixture('dstate-8.4.txt')), [{ disk: 'UpToDate', peerDisks: ['DUnknown'] }, { disk: 'Inconsistent', peerDisks: ['DUnknown'] }]);
  assert.equal(parseDstate(fixture('dstate-9.txt')), [{ disk: 'UpToDate', peerDisks: ['UpToDate', 'DUnknown'] }]);
});

test('sh-resources: one line (8.4) or one per line (9)', () => {
  assert.equal(parseShResources(fixture('sh-resources-8.4.txt')), ['r0', 'r1', 'web']);
  assert.equal(parseShResources(fixture('sh-resources-9.txt')), ['r0', 'r1', 'web']);
  assert.equal(parseShResources(''), []);
});

test.run();
