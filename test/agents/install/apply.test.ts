// applyInstall/applyUninstall on a temporary DESTDIR, for what the black-box tests cannot stage:
// an install cut short between writing the files and recording them.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyInstall, applyUninstall } from '../../../agents/install/apply';
import { installPlan, type InstallOptions } from '../../../agents/install/plan';

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-apply-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an install cut short after writing the executable: the next install and uninstall still own it', () => {
  withDir((dir) => {
    const stage = path.join(dir, 'stage');
    const options: InstallOptions = { prefix: '/usr', ocfRoot: '/usr/lib/ocf', destdir: stage };
    const plan = installPlan(options, ['A']);
    const v1 = path.join(dir, 'v1');
    const v2 = path.join(dir, 'v2');
    writeFileSync(v1, '#!/bin/sh\necho 1\n');
    writeFileSync(v2, '#!/bin/sh\necho 2\n');
    applyInstall(plan, options, v1, true);
    // the link's temporary name is taken by a directory: the upgrade fails after the executable
    const link = path.join(stage, 'usr/lib/ocf/resource.d/ocfkit/A');
    rmSync(link);
    mkdirSync(`${link}.ocfkit-new`);
    assert.throws(() => applyInstall(plan, options, v2, true));
    assert.is(readFileSync(path.join(stage, 'usr/sbin/ocfkit'), 'utf8'), '#!/bin/sh\necho 2\n', 'the new executable was written');
    rmSync(`${link}.ocfkit-new`, { recursive: true });
    const report = applyInstall(plan, options, v2, true);
    assert.equal(report.unchanged, ['/usr/sbin/ocfkit'], 'recorded before it was written');
    assert.equal(report.changed, ['/usr/lib/ocf/resource.d/ocfkit/A']);
    assert.is(readlinkSync(link), '/usr/sbin/ocfkit');
    const manifest = readFileSync(path.join(stage, 'var/lib/ocfkit/installs/usr.json'), 'utf8');
    assert.is((manifest.match(/"path": "\/usr\/sbin\/ocfkit"/g) ?? []).length, 1, 'the finished record holds one entry per path');
    assert.equal(applyUninstall(options).kept, []);
  });
});

test('an install over an ocfkit 0.1 record, cut short, leaves a record the next install can read', () => {
  withDir((dir) => {
    const stage = path.join(dir, 'stage');
    const options: InstallOptions = { prefix: '/usr', ocfRoot: '/usr/lib/ocf', destdir: stage };
    const plan = installPlan(options, ['A']);
    const source = path.join(dir, 'v1');
    writeFileSync(source, '#!/bin/sh\necho 1\n');
    const legacy = path.join(stage, 'var/lib/ocfkit/installed-files.json');
    mkdirSync(path.dirname(legacy), { recursive: true });
    writeFileSync(
      legacy,
      JSON.stringify({
        files: [
          { kind: 'executable', path: '/usr/sbin/ocfkit' },
          { kind: 'symlink', path: '/usr/lib/ocf/resource.d/ocfkit/A', target: '/usr/sbin/ocfkit' },
        ],
      }),
    );
    const link = path.join(stage, 'usr/lib/ocf/resource.d/ocfkit/A');
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync('/old/sbin/ocfkit', link);
    mkdirSync(`${link}.ocfkit-new`);
    assert.throws(() => applyInstall(plan, options, source, true), /not overwriting .*\/A: a symlink to \/old\/sbin\/ocfkit/);
    rmSync(link);
    assert.throws(() => applyInstall(plan, options, source, true), /ocfkit-new/, 'cut short at the link');
    rmSync(`${link}.ocfkit-new`, { recursive: true });
    const report = applyInstall(plan, options, source, true);
    assert.equal(report.unchanged, ['/usr/sbin/ocfkit']);
    assert.not.ok(existsSync(legacy), 'the 0.1 record was taken over');
  });
});

test('uninstall refuses a relative prefix', () => {
  assert.throws(() => applyUninstall({ prefix: 'usr', destdir: '' }), /--prefix must be an absolute path, got "usr"/);
});

test.run();
