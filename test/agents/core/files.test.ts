import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ensureDirectory,
  FileSystemError,
  judgeComponent,
  openTemporaryBeside,
  readIfExists,
  writeFileAtomic,
  writeFileAtomicIfChanged,
} from '../../../agents/core/files';

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

function withUmask(mask: number, body: () => void): void {
  const before = process.umask(mask);
  try {
    body();
  } finally {
    process.umask(before);
  }
}

/** The FileSystemError `body` throws: its message must be one line naming `file`. */
function fileError(body: () => unknown, file: string): FileSystemError {
  try {
    body();
  } catch (error) {
    assert.instance(error, FileSystemError);
    const e = error as FileSystemError;
    assert.not.match(e.message, /\n/);
    assert.ok(e.message.includes(file), `"${e.message}" names ${file}`);
    return e;
  }
  throw new assert.Assertion({ message: 'no FileSystemError was thrown' } as never);
}

for (const mask of [0o000, 0o077, 0o022]) {
  test(`every directory ocfkit creates is 0755 under umask ${mask.toString(8).padStart(3, '0')}`, () => {
    withDir((dir) => {
      chmodSync(dir, 0o700); // an existing directory keeps its mode
      withUmask(mask, () => {
        writeFileAtomic(path.join(dir, 'a', 'b', 'c', 'state.json'), '{}\n');
        ensureDirectory(path.join(dir, 'd'));
      });
      for (const sub of ['a', 'a/b', 'a/b/c', 'd']) assert.is(statSync(path.join(dir, sub)).mode & 0o7777, 0o755, sub);
      assert.is(statSync(dir).mode & 0o7777, 0o700);
      assert.is(statSync(path.join(dir, 'a/b/c/state.json')).mode & 0o7777, 0o644);
    });
  });
}

test('judgeComponent: a table of directories and what sits in them', () => {
  const link = { uid: 0, isSymbolicLink: () => true };
  const dirOf = (uid: number) => ({ uid, isSymbolicLink: () => false });
  const me = 1000;
  const rows: Array<[string, Parameters<typeof judgeComponent>[1], { uid: number; mode: number }, RegExp | undefined]> = [
    ['link in root-owned 0755', link, { uid: 0, mode: 0o40755 }, undefined],
    ['link in my own 0700', link, { uid: me, mode: 0o40700 }, undefined],
    ['link in group-writable root dir', link, { uid: 0, mode: 0o42775 }, undefined],
    ['link in sticky 1777', link, { uid: 0, mode: 0o41777 }, /is a symbolic link in \/p, a directory others can write/],
    ['link in 0777', link, { uid: 0, mode: 0o40777 }, /is a symbolic link/],
    ['link in a directory of another user', link, { uid: 1001, mode: 0o40755 }, /is a symbolic link/],
    ['own dir in sticky 1777', dirOf(me), { uid: 0, mode: 0o41777 }, undefined],
    ['root dir in sticky 1777', dirOf(0), { uid: 0, mode: 0o41777 }, undefined],
    ['foreign dir in sticky 1777', dirOf(1001), { uid: 0, mode: 0o41777 }, /belongs to uid 1001/],
    ['own dir in 0777 without sticky bit', dirOf(me), { uid: 0, mode: 0o40777 }, /without the sticky bit/],
  ];
  for (const [name, stat, dirStat, expected] of rows) {
    const verdict = judgeComponent('/p/x', stat, '/p', dirStat, me);
    if (expected) assert.match(verdict ?? '', expected, name);
    else assert.is(verdict, undefined, name);
  }
});

test('a symlinked state directory in a world-writable parent is refused, for writes and reads', () => {
  withDir((dir) => {
    const shared = path.join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const real = path.join(dir, 'elsewhere');
    mkdirSync(real);
    symlinkSync(real, path.join(shared, 'state'));
    const file = path.join(shared, 'state', 'x.json');
    const write = fileError(() => writeFileAtomic(file, '{}\n'), path.join(shared, 'state'));
    assert.is(write.code, 'EPERM');
    assert.match(write.message, /symbolic link/);
    assert.equal(readdirSync(real), [], 'nothing was written through the link');
    fileError(() => readIfExists(file), path.join(shared, 'state'));
    fileError(() => ensureDirectory(path.join(shared, 'state', 'sub')), path.join(shared, 'state'));
    assert.not.ok(existsSync(path.join(real, 'sub')));
  });
});

test('"link/.." is taken lexically, as checked: the write lands where the check looked', () => {
  withDir((dir) => {
    const shared = path.join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const elsewhere = path.join(dir, 'deep', 'elsewhere');
    mkdirSync(elsewhere, { recursive: true });
    mkdirSync(path.join(dir, 'deep', 'x'));
    symlinkSync(elsewhere, path.join(shared, 'link'));
    // the kernel would resolve shared/link/.. to deep/, beside the link's target
    writeFileAtomic(`${shared}/link/../x/state.json`, '{}\n'); // not path.join: that would normalize it
    assert.equal(readdirSync(path.join(dir, 'deep', 'x')), [], 'nothing written beside the link target');
    assert.is(readFileSync(path.join(shared, 'x', 'state.json'), 'utf8'), '{}\n');
  });
});

test('a symlink in a directory only root writes is followed (like /var/run -> /run)', () => {
  withDir((dir) => {
    const real = path.join(dir, 'run');
    mkdirSync(real);
    symlinkSync(real, path.join(dir, 'var-run'));
    writeFileAtomic(path.join(dir, 'var-run', 'ocfkit', 'x.json'), 'one\n');
    assert.is(readIfExists(path.join(dir, 'var-run', 'ocfkit', 'x.json')), 'one\n');
    assert.is(readFileSync(path.join(real, 'ocfkit', 'x.json'), 'utf8'), 'one\n');
  });
});

if (process.geteuid?.() === 0) {
  test('a directory another user owns in a sticky world-writable parent is refused', () => {
    withDir((dir) => {
      const shared = path.join(dir, 'shared');
      mkdirSync(shared);
      chmodSync(shared, 0o1777);
      mkdirSync(path.join(shared, 'state'));
      chownSync(path.join(shared, 'state'), 65534, 65534);
      const e = fileError(() => writeFileAtomic(path.join(shared, 'state', 'x.json'), '{}\n'), path.join(shared, 'state'));
      assert.match(e.message, /belongs to uid 65534/);
    });
  });
}

test('a state file that is a symlink is read as refused, and a write replaces the link, not its target', () => {
  withDir((dir) => {
    const target = path.join(dir, 'passwd');
    writeFileSync(target, 'root:x:0:0\n');
    const file = path.join(dir, 'x.json');
    symlinkSync(target, file);
    const e = fileError(() => readIfExists(file), file);
    assert.is(e.code, 'ELOOP');
    writeFileAtomic(file, '{}\n');
    assert.is(readFileSync(target, 'utf8'), 'root:x:0:0\n');
    assert.is(readFileSync(file, 'utf8'), '{}\n');
  });
});

test('file-system failures are one-line FileSystemErrors with the errno name', () => {
  withDir((dir) => {
    writeFileSync(path.join(dir, 'plain'), '');
    const notDir = fileError(() => writeFileAtomic(path.join(dir, 'plain', 'x.json'), '{}\n'), path.join(dir, 'plain'));
    assert.is(notDir.code, 'ENOTDIR');
    const long = path.join(dir, 'n'.repeat(300), 'x.json');
    const tooLong = fileError(() => writeFileAtomic(long, '{}\n'), dir);
    assert.is(tooLong.code, 'ENAMETOOLONG');
    assert.match(tooLong.message, /ENAMETOOLONG \(name too long\)/);
    assert.is(fileError(() => readIfExists(path.join(dir, 'plain', 'x.json')), 'plain').code, 'ENOTDIR');
    assert.is(readIfExists(path.join(dir, 'missing.json')), undefined);
  });
});

test.run();
