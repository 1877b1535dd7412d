// Reading the CIB pcs 0.11 writes (captured fixture).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCib } from '../../../agents/pacemaker/cib';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../../fixtures/doctor', name), 'utf8');

test('parseCib: properties, nodes, primitives in their clones, constraints', () => {
  const cib = parseCib(fixture('cib-pcs-0.11.xml'));
  assert.equal(cib.properties, { 'stonith-enabled': 'false' });
  assert.equal(cib.nodes, ['node1', 'node2']);
  const drbd = cib.primitives.find((p) => p.id === 'drbd-vmdisks')!;
  assert.equal(drbd.clone, { id: 'drbd-vmdisks-clone', promotable: true, meta: { notify: 'true', promotable: 'true', 'promoted-max': '2' } });
  assert.equal(drbd.params, { drbd_resource: 'vmdisks' });
  assert.equal(cib.primitives.find((p) => p.id === 'vm1')!.meta, { 'allow-migrate': 'true' });
  assert.equal(cib.orders, [
    { id: 'order-drbd-vmdisks-clone-vm1-mandatory', first: 'drbd-vmdisks-clone', then: 'vm1', firstAction: 'promote', thenAction: 'start', mandatory: true },
  ]);
  assert.equal(cib.colocations, [
    {
      id: 'colocation-vm1-drbd-vmdisks-clone-INFINITY',
      rsc: 'vm1',
      withRsc: 'drbd-vmdisks-clone',
      rscRole: 'Started',
      withRole: 'Promoted',
      score: 'INFINITY',
    },
  ]);
  assert.equal(cib.locations, [{ id: 'location-vm2-node2--INFINITY', rsc: 'vm2', node: 'node2', score: '-INFINITY' }]);
});

test.run();
