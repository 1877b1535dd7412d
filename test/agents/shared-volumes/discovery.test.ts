import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { memoryLogger } from '../../support/memory-logger';
import { NotInstalledError } from '../../../agents/core/errors';
import { parseConfig } from '../../../agents/shared-volumes/config';
import { runDiscovery } from '../../../agents/shared-volumes/discovery';
import { requiredTools } from '../../../agents/shared-volumes/tools';
import { fakeExecutor } from '../../support/fake-executor';

function sysfs(hosts: string[]): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-sv-sysfs-'));
  for (const host of hosts) {
    mkdirSync(path.join(root, 'class/scsi_host', host), { recursive: true });
    writeFileSync(path.join(root, 'class/scsi_host', host, 'scan'), '');
  }
  return root;
}

test('every step runs in order; a failing step is logged and does not stop the others', async () => {
  const root = sysfs(['host0', 'host3']);
  try {
    const exec = fakeExecutor([
      { match: ['iscsiadm'], answer: { exitCode: 21, stderr: 'iscsiadm: No session found.\n' } },
      { match: ['multipath'], answer: { exitCode: 1, stderr: 'multipath: error\nDM multipath kernel driver not loaded\n' } },
      { match: ['pvscan'], answer: {} },
    ]);
    const log = memoryLogger();
    const outcomes = await runDiscovery(['iscsi', 'scsi', 'multipath', 'pvscan'], { exec, log, sysfsRoot: root });
    assert.equal(exec.commands(), ['iscsiadm -m session --rescan', 'multipath -r', 'pvscan --cache']);
    assert.equal(
      outcomes.map((o) => `${o.step}:${o.ok}`),
      ['iscsi:true', 'scsi:true', 'multipath:false', 'pvscan:true'],
    );
    assert.is(outcomes[0]!.detail, 'no iSCSI sessions to rescan');
    assert.is(outcomes[1]!.detail, 'scanned 2 SCSI host(s)');
    assert.is(readFileSync(path.join(root, 'class/scsi_host/host3/scan'), 'utf8'), '- - -');
    assert.ok(log.lines.some((l) => l.includes('discovery multipath failed: multipath -r exited 1: DM multipath kernel driver not loaded')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a missing discovery tool is OCF_ERR_INSTALLED, not a warning', async () => {
  const exec = fakeExecutor([{ match: ['pvscan'], answer: 'not-installed' }]);
  try {
    await runDiscovery(['pvscan'], { exec, log: memoryLogger(), sysfsRoot: '/nonexistent' });
    assert.unreachable();
  } catch (error) {
    assert.instance(error, NotInstalledError);
  }
});

test('a SCSI host whose scan file cannot be written is named', async () => {
  const root = sysfs(['host0']);
  try {
    rmSync(path.join(root, 'class/scsi_host/host0/scan'));
    mkdirSync(path.join(root, 'class/scsi_host/host0/scan')); // writing to a directory fails
    const outcomes = await runDiscovery(['scsi'], { exec: fakeExecutor([]), log: memoryLogger(), sysfsRoot: root });
    assert.is(outcomes[0]!.ok, false);
    assert.match(outcomes[0]!.detail, 'SCSI scan failed for host0: EISDIR');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('tools each configuration needs', () => {
  const base = { volumes: 'vg', discovery: 'auto', deactivate_on_stop: true, retry_delay_ms: 1000, state_dir: '/run/x', dev_root: '/dev', sysfs_root: '/sys' };
  const table: Array<[Partial<typeof base> & { backend: 'lvmlockd' | 'clvmd' | 'evms' | 'rescan' }, string[]]> = [
    [{ backend: 'lvmlockd' }, ['lvs', 'vgs', 'vgchange', 'lvchange', 'lvmlockctl', 'pvscan']],
    [{ backend: 'clvmd', discovery: 'none' }, ['lvs', 'vgs', 'vgchange', 'lvchange']],
    [{ backend: 'evms', volumes: 'san2/vm2' }, ['evms_activate']],
    [{ backend: 'rescan', volumes: 'sdb', discovery: 'iscsi scsi multipath' }, ['iscsiadm', 'multipath']],
  ];
  for (const [raw, tools] of table) assert.equal(requiredTools(parseConfig({ ...base, ...raw })), tools, JSON.stringify(raw));
});

test.run();
