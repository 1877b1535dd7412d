import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseConfig, parseDiscovery, type RawVolumesParams } from '../../../agents/shared-volumes/config';
import { ConfigurationError } from '../../../agents/core/errors';

const base: RawVolumesParams = {
  backend: 'lvmlockd',
  volumes: 'vg_san',
  discovery: 'auto',
  deactivate_on_stop: true,
  retry_delay_ms: 1000,
  state_dir: '/run/x',
  dev_root: '/dev',
  sysfs_root: '/sys',
};

test('volumes entries become typed targets per backend', () => {
  const table: Array<[Partial<RawVolumesParams>, unknown]> = [
    [{ volumes: 'vg_san' }, { kind: 'lvmlockd', targets: [{ vg: 'vg_san' }] }],
    [{ volumes: 'vg1/vm1, vg1/vm2 vg2' }, { kind: 'lvmlockd', targets: [{ vg: 'vg1', lv: 'vm1' }, { vg: 'vg1', lv: 'vm2' }, { vg: 'vg2' }] }],
    [
      { backend: 'clvmd', volumes: '/dev/vg1/vm1' },
      { kind: 'clvmd', targets: [{ vg: 'vg1', lv: 'vm1' }] },
    ],
    [
      { backend: 'evms', volumes: 'san2/vm2 /dev/evms/san2/vm3' },
      { kind: 'evms', volumes: ['san2/vm2', 'san2/vm3'] },
    ],
    [
      { backend: 'rescan', volumes: '/dev/mapper/mpath1 sdb' },
      { kind: 'rescan', devices: ['mapper/mpath1', 'sdb'] },
    ],
  ];
  for (const [raw, backend] of table) assert.equal(parseConfig({ ...base, ...raw }).backend, backend, JSON.stringify(raw));
});

test('bad parameters name the parameter', () => {
  const table: Array<[Partial<RawVolumesParams>, string]> = [
    [{ volumes: '  ' }, 'volumes'],
    [{ volumes: 'vg/lv/extra' }, 'volumes'],
    [{ volumes: '-vg' }, 'volumes'],
    [{ volumes: 'vg/l*v' }, 'volumes'],
    [{ backend: 'evms', volumes: '../etc/passwd' }, 'volumes'],
    [{ backend: 'rescan', volumes: 'mapper/../../x' }, 'volumes'],
    [{ discovery: 'pvscan bogus' }, 'discovery'],
    [{ backend: 'rescan', volumes: 'sdb', discovery: 'none' }, 'discovery'],
    [{ state_dir: 'relative' }, 'state_dir'],
    [{ dev_root: 'dev' }, 'dev_root'],
  ];
  for (const [raw, parameter] of table) {
    try {
      parseConfig({ ...base, ...raw });
      assert.unreachable(`accepted ${JSON.stringify(raw)}`);
    } catch (error) {
      assert.instance(error, ConfigurationError, JSON.stringify(raw));
      assert.is((error as ConfigurationError).parameter, parameter, JSON.stringify(raw));
      assert.match((error as Error).message, parameter);
    }
  }
});

test('discovery: auto per backend, canonical order, none', () => {
  const table: Array<[string, Parameters<typeof parseDiscovery>[1], string[]]> = [
    ['auto', 'lvmlockd', ['pvscan']],
    ['auto', 'clvmd', ['pvscan']],
    ['auto', 'evms', []],
    ['auto', 'rescan', ['scsi']],
    ['', 'lvmlockd', ['pvscan']],
    ['none', 'lvmlockd', []],
    ['pvscan multipath iscsi scsi', 'lvmlockd', ['iscsi', 'scsi', 'multipath', 'pvscan']],
    ['multipath,multipath', 'evms', ['multipath']],
  ];
  for (const [text, kind, steps] of table) assert.equal(parseDiscovery(text, kind), steps, `${text} ${kind}`);
});

test.run();
