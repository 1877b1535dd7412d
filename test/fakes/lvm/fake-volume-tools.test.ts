// The fake prints lvm2's JSON report layout byte for byte (compared with output captured from
// lvm2 2.03.16), so the agent's parser is exercised on the real format in black-box tests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createVolumeFakes } from './fakes';
import { LVS_FIELDS } from '../../../agents/shared-volumes/inspect';
import { lvmFixture as fixture } from './fakes';

test('lvs and vgs reports match captured lvm2 output', () => {
  const fakes = createVolumeFakes({
    vgs: { vgcap7124: { lockType: '' } },
    lvs: [
      { vg: 'vgcap7124', lv: 'vm1' },
      { vg: 'vgcap7124', lv: 'vm2' },
    ],
  });
  try {
    const run = (tool: string, args: string[]) => spawnSync(path.join(fakes.binDir, tool), args, { encoding: 'utf8' });
    // the capture had no device-mapper, so lvm showed the state bits as X; the fake knows them
    const lvs = run('lvs', ['--reportformat', 'json', '-o', 'vg_name,lv_name,lv_attr,vg_lock_type', 'vgcap7124']);
    assert.is(lvs.stdout, fixture('lvs-two-lvs-inactive.json').replace(/-wi-XX----/g, '-wi-------'));
    const missing = run('lvs', ['--reportformat', 'json', '-o', 'vg_name,lv_name,lv_attr,vg_lock_type', 'vgcap7124', 'nosuchvg']);
    assert.is(missing.status, Number(fixture('lvs-missing-vg.rc')));
    assert.ok(fixture('lvs-missing-vg.stderr').endsWith(missing.stderr), missing.stderr);
    const vgs = run('vgs', ['--reportformat', 'json', '-o', 'vg_name,vg_attr,vg_lock_type', 'vgcap7124']);
    assert.is(vgs.stdout, fixture('vgs-local.json'));
    const plus = run('lvs', ['--reportformat', 'json', '-o', '+vg_lock_type', 'vgcap7124']);
    assert.is(plus.stdout, fixture('lvs-plus-field.json').replace(/-wi-XX----/g, '-wi-------'), '-o +FIELD appends to the defaults');
    const defaults = run('lvs', ['--reportformat', 'json']);
    assert.is(defaults.stdout, fixture('lvs-default-fields.json').replace(/-wi-XX----/g, '-wi-------'));
  } finally {
    fakes.cleanup();
  }
});

// [tool, the fixture captured from the real tool with a name lvm2 rejects]
const REJECTED: Array<[string, string, string]> = [
  ['lvs', 'lvs-unknown-field', 'vg_name,lv_nosuch'],
  ['vgs', 'vgs-unknown-field', 'vg_name,vg_lock_typ'],
];
for (const [tool, captured, fields] of REJECTED) {
  test(`${tool} rejects a field name real lvm2 rejects (${captured})`, () => {
    const fakes = createVolumeFakes({ vgs: { vgcap7124: { lockType: '' } }, lvs: [{ vg: 'vgcap7124', lv: 'vm1' }] });
    try {
      const r = spawnSync(path.join(fakes.binDir, tool), ['--reportformat', 'json', '-o', fields, 'vgcap7124'], { encoding: 'utf8' });
      assert.is(r.status, Number(fixture(`${captured}.rc`)));
      assert.is(r.stdout, fixture(`${captured}.json`));
      assert.ok(r.stderr.endsWith(fixture(`${captured}.stderr`)), r.stderr);
    } finally {
      fakes.cleanup();
    }
  });
}

test('every field name the agents ask lvm for is one lvm2 accepts', () => {
  const known = new Set(fixture('lvm-report-fields.txt').split('\n').filter(Boolean));
  for (const field of [...LVS_FIELDS.split(','), 'vg_name', 'vg_attr', 'vg_lock_type']) assert.ok(known.has(field), field);
});

test.run();
