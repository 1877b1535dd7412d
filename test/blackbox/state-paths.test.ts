// The state directory of the built executable behind a symlink that others could have planted:
// refused in one line, nothing written through it. Reconnect keeps its records best effort:
// it warns and goes on.
import { chmodSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ocfkit } from '../support/binaries';
import { fakeDrbd, type FakeDrbd } from '../support/fake-drbd';

const paths = suite<{ f: FakeDrbd }>('dist/ocfkit state paths', { f: undefined as unknown as FakeDrbd });
paths.before.each((ctx) => {
  ctx.f = fakeDrbd(['--version', '8.4.11']);
  ctx.f.ctl('init', '--version', '8.4.11', '--hostname', 'alice');
  ctx.f.ctl('add', 'r0', '--minor', '0', '--local', '127.0.0.1:7790', '--peer', 'bob', '--remote', '127.0.0.2:7790');
});
paths.after.each((ctx) => ctx.f.cleanup());

paths('a state directory that is a symlink in a world-writable directory is refused in one line, and nothing is written there', (ctx) => {
  const { f } = ctx;
  const shared = path.join(f.dir, 'shared');
  mkdirSync(shared);
  chmodSync(shared, 0o1777);
  const elsewhere = path.join(f.dir, 'elsewhere');
  mkdirSync(elsewhere);
  const link = path.join(shared, 'drbd');
  symlinkSync(elsewhere, link);
  const r = ocfkit(['drbd', 'reconnect'], { ...f.env, OCFKIT_DRBD_STATE_DIR: link });
  // the records are best effort for reconnect: it warns, in one line naming the link, and goes on
  const output = r.stdout + r.stderr;
  const escaped = link.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  assert.match(
    output,
    new RegExp(
      `^warning: cannot write the records in ${escaped}: ${escaped} is a symbolic link in .*, a directory others can write; refusing to follow it`,
      'm',
    ),
  );
  assert.not.match(output, /^\s+at /m, 'no stack trace');
  assert.equal(
    readdirSync(elsewhere).filter((name) => name.endsWith('.json')),
    [],
    'no record written through the link',
  );
});

paths('the same state directory reached through a symlink only root can change works', (ctx) => {
  const { f } = ctx;
  const real = path.join(f.dir, 'real');
  mkdirSync(real, { mode: 0o755 });
  const link = path.join(f.dir, 'state-link');
  symlinkSync(real, link);
  const r = ocfkit(['drbd', 'reconnect'], { ...f.env, OCFKIT_DRBD_STATE_DIR: link });
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.ok(readdirSync(real).includes('baseline.json'), readdirSync(real).join(' '));
});

paths.run();
