import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LvmTarget } from '../../../agents/shared-volumes/config';
import type { LvRow } from '../../../agents/shared-volumes/lvm-report';
import { describeMissing, judgeDevices, judgeLvm } from '../../../agents/shared-volumes/verdict';

const row = (name: string, attr: string): LvRow => ({ vg: name.split('/')[0]!, lv: name.split('/')[1]!, attr, lockType: 'dlm' });
const rows = [row('vg1/a', '-wi-a-----'), row('vg1/b', '-wi-------'), row('vg1/c', '-wi-ao----'), row('vg2/x', '-wi-XX----'), row('vg2/y', '-wi-a-----')];
const nodes = new Set(['/dev/vg1/a', '/dev/vg1/c', '/dev/vg2/x']);

test('what is missing: table', () => {
  const table: Array<{ targets: LvmTarget[]; notFound?: string[]; recorded?: string[]; missing: string; fresh?: string[]; removed?: string[] }> = [
    { targets: [{ vg: 'vg1', lv: 'a' }], missing: '' },
    { targets: [{ vg: 'vg1', lv: 'b' }], missing: 'vg1/b (not active)' },
    { targets: [{ vg: 'vg1' }], missing: 'vg1/b (not active)' },
    { targets: [{ vg: 'vg1' }], recorded: ['vg1/a', 'vg1/c'], missing: '', fresh: ['vg1/b'] },
    { targets: [{ vg: 'vg1' }], recorded: ['vg1/a', 'vg1/b', 'vg1/c'], missing: 'vg1/b (not active)' },
    { targets: [{ vg: 'vg1' }, { vg: 'vg1', lv: 'b' }], recorded: ['vg1/a', 'vg1/c'], missing: 'vg1/b (not active)' },
    { targets: [{ vg: 'vg1' }], recorded: ['vg1/a', 'vg1/c', 'vg1/gone'], missing: '', fresh: ['vg1/b'], removed: ['vg1/gone'] },
    { targets: [{ vg: 'vg2' }], missing: 'vg2/x (state unknown (lv_attr -wi-XX----)), vg2/y (active but its device node /dev/vg2/y is missing)' },
    { targets: [{ vg: 'vg1', lv: 'zz' }], missing: 'vg1/zz (logical volume not found)' },
    { targets: [{ vg: 'vg9' }, { vg: 'vg9', lv: 'q' }], notFound: ['vg9'], missing: 'vg9/q (volume group vg9 not found), vg9 (volume group vg9 not found)' },
  ];
  for (const c of table) {
    const verdict = judgeLvm({ targets: c.targets, rows, vgsNotFound: c.notFound ?? [], devRoot: '/dev', exists: (p) => nodes.has(p), recorded: c.recorded });
    const label = JSON.stringify(c);
    assert.is(describeMissing(verdict.missing), c.missing, label);
    assert.equal(verdict.fresh, c.fresh ?? [], label);
    assert.equal(verdict.removed, c.removed ?? [], label);
  }
});

test('device roots other than /dev', () => {
  const verdict = judgeLvm({ targets: [{ vg: 'vg1', lv: 'a' }], rows, vgsNotFound: [], devRoot: '/tmp/fake-dev', exists: (p) => p === '/tmp/fake-dev/vg1/a' });
  assert.equal(verdict.active, ['vg1/a']);
});

test('device-node backends', () => {
  const verdict = judgeDevices(
    [
      { name: 'san2/vm2', path: '/dev/evms/san2/vm2' },
      { name: 'san2/vm3', path: '/dev/evms/san2/vm3' },
    ],
    (p) => p.endsWith('vm2'),
  );
  assert.equal(verdict.active, ['san2/vm2']);
  assert.is(describeMissing(verdict.missing), 'san2/vm3 (device node /dev/evms/san2/vm3 is missing)');
});

test.run();
