import { closeSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openTemporaryBeside, writeFileAtomic, writeFileAtomicIfChanged } from '../../../agents/system/files';

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-files-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('temporaries sit beside the target, name host and pid, and never share a name', () => {
  withDir((dir) => {
    const target = path.join(dir, 'vm1.lease');
    const opened = Array.from({ length: 50 }, () => openTemporaryBeside(target, 0o600));
    for (const { fd } of opened) closeSync(fd);
    const names = opened.map((o) => o.temporary);
    assert.is(new Set(names).size, 50, 'fifty distinct names within the same millisecond');
    for (const name of names) {
      assert.is(path.dirname(name), dir);
      assert.ok(path.basename(name).startsWith(`.vm1.lease.${os.hostname()}.${process.pid}.`), name);
      assert.ok(name.endsWith('.tmp'));
    }
    assert.is(statSync(names[0]!).mode & 0o777, 0o600 & ~process.umask());
  });
});

test('writeFileAtomic leaves the new content, the mode asked for and no temporary behind', () => {
  withDir((dir) => {
    const target = path.join(dir, 'sub', 'state.json');
    writeFileAtomic(target, 'one\n', 0o640);
    writeFileAtomic(target, 'two\n', 0o640);
    assert.is(readFileSync(target, 'utf8'), 'two\n');
    assert.is(statSync(target).mode & 0o777, 0o640);
    assert.equal(readdirSync(path.dirname(target)), ['state.json']);
  });
});

test('writeFileAtomicIfChanged writes a new or different content and leaves the same content alone', () => {
  withDir((dir) => {
    const target = path.join(dir, 'sub', 'seen.json');
    assert.ok(writeFileAtomicIfChanged(target, 'one\n'), 'a missing file is written');
    const inode = statSync(target).ino;
    assert.not.ok(writeFileAtomicIfChanged(target, 'one\n'), 'the same content is not rewritten');
    assert.is(statSync(target).ino, inode, 'the file was not replaced');
    assert.ok(writeFileAtomicIfChanged(target, 'two\n'));
    assert.is(readFileSync(target, 'utf8'), 'two\n');
    assert.equal(readdirSync(path.dirname(target)), ['seen.json']);
  });
});

test.run();
