import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findOnPath } from '../../../agents/core/path';

function withBin(body: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-path-'));
  try {
    writeFileSync(path.join(dir, 'tool'), '', { mode: 0o755 });
    writeFileSync(path.join(dir, 'plain'), '', { mode: 0o644 });
    mkdirSync(path.join(dir, 'folder'));
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('findOnPath: an executable regular file in a PATH directory, first match wins', () =>
  withBin((dir) => {
    assert.is(findOnPath('tool', `/nonexistent::${dir}:/usr/bin`), path.join(dir, 'tool'));
  }));

test('findOnPath: non-executable files and directories do not count', () =>
  withBin((dir) => {
    assert.is(findOnPath('plain', dir), undefined);
    assert.is(findOnPath('folder', dir), undefined);
    assert.is(findOnPath('missing', dir), undefined);
  }));

test('findOnPath: a name with a slash is checked as given, PATH ignored', () =>
  withBin((dir) => {
    assert.is(findOnPath(path.join(dir, 'tool'), ''), path.join(dir, 'tool'));
    assert.is(findOnPath(path.join(dir, 'folder'), dir), undefined);
    assert.is(findOnPath('sub/tool', dir), undefined);
  }));

test('findOnPath: no PATH finds nothing', () =>
  withBin(() => {
    assert.is(findOnPath('tool', undefined), undefined);
    assert.is(findOnPath('tool', ''), undefined);
  }));

test.run();
