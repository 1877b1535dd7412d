import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { VolumeBackend } from '../../../agents/shared-volumes/config';
import type { LvRow } from '../../../agents/shared-volumes/lvm-report';
import { activationCommands, deactivationCommands, lockStopVgs, lockTypeProblems, lvsArguments, openVolumes } from '../../../agents/shared-volumes/plan';

const row = (name: string, attr: string): LvRow => ({ vg: name.split('/')[0]!, lv: name.split('/')[1]!, attr, lockType: 'dlm' });

test('what to activate, per backend', () => {
  const table: Array<[VolumeBackend, string[]]> = [
    [{ kind: 'lvmlockd', targets: [{ vg: 'vg1' }] }, ['vgchange --lock-start vg1', 'vgchange -asy vg1']],
    [
      { kind: 'lvmlockd', targets: [{ vg: 'vg1', lv: 'a' }, { vg: 'vg1', lv: 'b' }, { vg: 'vg2' }] },
      ['vgchange --lock-start vg1 vg2', 'vgchange -asy vg2', 'lvchange -asy vg1/a vg1/b'],
    ],
    [{ kind: 'lvmlockd', targets: [{ vg: 'vg1' }, { vg: 'vg1', lv: 'a' }] }, ['vgchange --lock-start vg1', 'vgchange -asy vg1']],
    [{ kind: 'clvmd', targets: [{ vg: 'vg1' }, { vg: 'vg2', lv: 'x' }] }, ['vgchange -asy vg1', 'lvchange -asy vg2/x']],
    [{ kind: 'evms', volumes: ['san2/vm2'] }, ['evms_activate -q']],
    [{ kind: 'rescan', devices: ['mapper/mpath1'] }, []],
  ];
  for (const [backend, commands] of table)
    assert.equal(
      activationCommands(backend).map((c) => c.join(' ')),
      commands,
      JSON.stringify(backend),
    );
});

test('what to deactivate, per backend', () => {
  const table: Array<[VolumeBackend, string[]]> = [
    [{ kind: 'lvmlockd', targets: [{ vg: 'vg1' }, { vg: 'vg2', lv: 'x' }] }, ['vgchange -an vg1', 'lvchange -an vg2/x']],
    [{ kind: 'clvmd', targets: [{ vg: 'vg1', lv: 'x' }] }, ['lvchange -an vg1/x']],
    [{ kind: 'evms', volumes: ['a'] }, []],
    [{ kind: 'rescan', devices: ['a'] }, []],
  ];
  for (const [backend, commands] of table)
    assert.equal(
      deactivationCommands(backend).map((c) => c.join(' ')),
      commands,
    );
  assert.equal(lvsArguments([{ vg: 'vg1' }, { vg: 'vg2', lv: 'x' }, { vg: 'vg1', lv: 'y' }]), ['vg1', 'vg2/x']);
});

test('open volumes block stop; only target LVs count', () => {
  const rows = [row('vg1/a', '-wi-ao----'), row('vg1/b', '-wi-a-----'), row('vg2/c', '-wi-ao----'), row('vg2/d', '-wi-XX----'), row('vg3/e', '-wi-------')];
  const table: Array<[Parameters<typeof openVolumes>[0], { open: string[]; unknown: string[] }]> = [
    [[{ vg: 'vg1' }], { open: ['vg1/a'], unknown: [] }],
    [[{ vg: 'vg1', lv: 'b' }], { open: [], unknown: [] }],
    [[{ vg: 'vg2' }], { open: ['vg2/c'], unknown: ['vg2/d'] }],
    [[{ vg: 'vg3' }], { open: [], unknown: [] }],
  ];
  for (const [targets, expected] of table) assert.equal(openVolumes(targets, rows), expected, JSON.stringify(targets));
});

test('lock-stop only VGs with nothing active left', () => {
  const rows = [row('vg1/a', '-wi-------'), row('vg2/b', '-wi-------'), row('vg2/other', '-wi-a-----')];
  assert.equal(lockStopVgs([{ vg: 'vg1' }, { vg: 'vg2', lv: 'b' }], rows), ['vg1']);
  assert.equal(lockStopVgs([{ vg: 'vg1' }, { vg: 'gone' }], rows, ['gone']), ['vg1']);
  assert.equal(lockStopVgs([{ vg: 'empty' }], rows), ['empty']);
});

test('VG lock type must fit the backend', () => {
  const vgs = [
    { vg: 'shared', attr: 'wz--ns', lockType: 'dlm' },
    { vg: 'sanl', attr: 'wz--ns', lockType: 'sanlock' },
    { vg: 'local', attr: 'wz--n-', lockType: '' },
    { vg: 'clustered', attr: 'wz--nc', lockType: 'clvm' },
  ];
  const table: Array<['lvmlockd' | 'clvmd', string[], RegExp[]]> = [
    ['lvmlockd', ['shared', 'sanl'], []],
    ['lvmlockd', ['local'], [/local has lock type none \(a local VG\).*lvmlockd needs a shared VG/]],
    ['lvmlockd', ['clustered'], [/lock type clvm/]],
    ['clvmd', ['clustered'], []],
    ['clvmd', ['shared'], [/lock type dlm and is not clustered/]],
    ['clvmd', ['nope'], [/volume group nope not found/]],
  ];
  for (const [kind, names, expected] of table) {
    const problems = lockTypeProblems(kind, names, vgs);
    assert.is(problems.length, expected.length, `${kind} ${names}: ${problems}`);
    expected.forEach((pattern, i) => assert.match(problems[i]!, pattern));
  }
});

test.run();
