// Reading the CIB pcs 0.11 writes and the options drbdadm 9.22 prints (captured fixtures).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCib } from '../../../agents/doctor/cib';
import { parseDrbdOptions } from '../../../agents/doctor/checks/drbd';
import { nonInteractive, parseVirshUuidName } from '../../../agents/doctor/collect';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/doctor', name), 'utf8');

test('parseCib: properties, nodes, primitives in their clones, constraints', () => {
  const cib = parseCib(fixture('cib-pcs-0.11.xml'));
  assert.equal(cib.properties, { 'stonith-enabled': 'false' });
  assert.equal(cib.nodes, ['node1', 'node2']);
  const drbd = cib.primitives.find((p) => p.id === 'drbd-vmdisks')!;
  assert.equal(drbd.clone, { id: 'drbd-vmdisks-clone', promotable: true, meta: { notify: 'true', promotable: 'true', 'promoted-max': '2' } });
  assert.equal(drbd.params, { drbd_resource: 'vmdisks' });
  assert.equal(cib.primitives.find((p) => p.id === 'vm1')!.meta, { 'allow-migrate': 'true' });
  assert.equal(cib.orders, [{ id: 'order-drbd-vmdisks-clone-vm1-mandatory', first: 'drbd-vmdisks-clone', then: 'vm1', firstAction: 'promote', thenAction: 'start', mandatory: true }]);
  assert.equal(cib.colocations, [{ id: 'colocation-vm1-drbd-vmdisks-clone-INFINITY', rsc: 'vm1', withRsc: 'drbd-vmdisks-clone', rscRole: 'Started', withRole: 'Promoted', score: 'INFINITY' }]);
  assert.equal(cib.locations, [{ id: 'location-vm2-node2--INFINITY', rsc: 'vm2', node: 'node2', score: '-INFINITY' }]);
});

test('parseDrbdOptions: connection and resource net options, common handlers inherited', () => {
  const res = parseDrbdOptions(fixture('drbd-dump-xml-fencing.xml'));
  assert.equal(res.map((r) => r.name), ['vmdisks', 'unfenced', 'plain']);
  assert.is(res[0]!.options.fencing, 'resource-and-stonith');
  assert.is(res[0]!.options['allow-two-primaries'], 'yes');
  assert.is(res[0]!.handlers['fence-peer'], '/usr/lib/drbd/crm-fence-peer.9.sh');
  assert.is(res[2]!.handlers['split-brain'], '/usr/sbin/ocfkit drbd split-brain-handler');
  assert.is(res[2]!.options['allow-two-primaries'], undefined);
  assert.equal(res[1]!.minors, [2]);
});

test('virsh list --uuid --name lines; ssh URIs made non-interactive', () => {
  assert.equal(parseVirshUuidName('8F1C2A3B-0000-4000-8000-000000000001 vm1\n\n'), [{ uuid: '8f1c2a3b-0000-4000-8000-000000000001', name: 'vm1' }]);
  assert.is(nonInteractive('qemu+ssh://node2/system'), 'qemu+ssh://node2/system?no_tty=1');
  assert.is(nonInteractive('qemu+ssh://node2/system?keyfile=/k'), 'qemu+ssh://node2/system?keyfile=/k&no_tty=1');
  assert.is(nonInteractive('qemu+tls://node2/system'), 'qemu+tls://node2/system');
});

test.run();
