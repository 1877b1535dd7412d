import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lvOpen, lvState, parseLvsReport, parseVgsReport, ReportFormatError, vgClustered, vgsNotFound } from '../../../agents/shared-volumes/lvm-report';
import { lvmFixture as fixture } from '../../fakes/lvm/fakes';

test('lvs JSON report as lvm2 2.03.16 prints it', () => {
  assert.equal(parseLvsReport(fixture('lvs-two-lvs-inactive.json')), [
    { vg: 'vgcap7124', lv: 'vm1', attr: '-wi-XX----', lockType: '' },
    { vg: 'vgcap7124', lv: 'vm2', attr: '-wi-XX----', lockType: '' },
  ]);
  assert.equal(
    parseLvsReport(fixture('lvs-default-fields.json')).map((r) => r.lv),
    ['vm1', 'vm2'],
  );
});

test('lvs exit 5 for a missing VG: rows still parse, stderr names the VG', () => {
  assert.is(fixture('lvs-missing-vg.rc').trim(), '5');
  assert.equal(parseLvsReport(fixture('lvs-missing-vg.json')).length, 2);
  assert.equal(vgsNotFound(fixture('lvs-missing-vg.stderr')), ['nosuchvg']);
});

test('vgs JSON report', () => {
  assert.equal(parseVgsReport(fixture('vgs-local.json')), [{ vg: 'vgcap7124', attr: 'wz--n-', lockType: '' }]);
});

test('empty and foreign sections', () => {
  assert.equal(parseLvsReport('  {\n      "report": [\n          {\n              "lv": [\n              ]\n          }\n      ]\n  }\n'), []);
  assert.equal(parseLvsReport('{"report":[{"lv":[{"vg_name":"a","lv_name":"b","lv_attr":"-wi-a-----"}]}],"log":[{"log_seq_num":"1"}]}').length, 1);
  assert.throws(
    () => parseLvsReport('  Volume group "x" not found'),
    (e: unknown) => e instanceof ReportFormatError,
  );
  assert.throws(
    () => parseLvsReport('{"nope":1}'),
    (e: unknown) => e instanceof ReportFormatError,
  );
});

test('lv_attr state and open bits', () => {
  const table: Array<[string, ReturnType<typeof lvState>, ReturnType<typeof lvOpen>]> = [
    ['-wi-a-----', 'active', false],
    ['-wi-ao----', 'active', true],
    ['-wi-------', 'inactive', false],
    ['-wi-XX----', 'unknown', 'unknown'],
    ['-wi-s-----', 'other', false],
    ['', 'unknown', 'unknown'],
  ];
  for (const [attr, state, open] of table) {
    assert.is(lvState(attr), state, attr);
    assert.is(lvOpen(attr), open, attr);
  }
  assert.ok(vgClustered('wz--nc'));
  assert.not.ok(vgClustered('wz--n-'));
});

test.run();
