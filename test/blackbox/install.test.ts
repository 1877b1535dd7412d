// dist/ocfkit install / uninstall in a temporary DESTDIR: what it writes, records, refuses and removes.
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { agentNames } from '../../agents/registry';
import { ocfkit, ocfkitBinary, runProgram, type Ran } from '../support/binaries';

const install = suite('dist/ocfkit install / uninstall', { dir: '' });
install.before.each((ctx) => {
  ctx.dir = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-install-'));
});
install.after.each((ctx) => {
  rmSync(ctx.dir, { recursive: true, force: true });
});

const agents = agentNames();
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function ok(r: Ran, what: string): Ran {
  assert.is(r.status, 0, `${what}: ${r.stderr}`);
  return r;
}

/** Runs `body` with this umask; the child processes it starts inherit it. */
function withUmask<T>(mask: number, body: () => T): T {
  const before = process.umask(mask);
  try {
    return body();
  } finally {
    process.umask(before);
  }
}

/**
 * A small stand-in for an earlier ocfkit, installed with --source; also used where the content
 * does not matter, to spare copying and hashing the 100 MiB executable in every case.
 */
function olderExecutable(dir: string): string {
  const file = path.join(dir, 'older-ocfkit');
  writeFileSync(file, '#!/bin/sh\necho 0.0.1\n', { mode: 0o755 });
  return file;
}

install('install --destdir stages the executable and one symlink per agent, idempotently', (ctx) => {
  ok(ocfkit(['install', '--destdir', ctx.dir]), 'install');
  const binary = path.join(ctx.dir, 'usr/sbin/ocfkit');
  assert.ok(readFileSync(binary).equals(readFileSync(ocfkitBinary)), 'the executable is a copy of dist/ocfkit');
  assert.is(lstatSync(binary).mode & 0o777, 0o755);
  for (const name of agents) assert.is(readlinkSync(path.join(ctx.dir, 'usr/lib/ocf/resource.d/ocfkit', name)), '/usr/sbin/ocfkit');
  const second = ok(ocfkit(['install', '--destdir', ctx.dir]), 'second install');
  assert.not.match(second.stdout, /^installed/m);
  assert.match(second.stdout, /^unchanged \/usr\/sbin\/ocfkit$/m);
});

install('the manifest records prefix, kind, size and SHA-256 of what install wrote', (ctx) => {
  ok(ocfkit(['install', '--destdir', ctx.dir]), 'install');
  const manifest = JSON.parse(readFileSync(path.join(ctx.dir, 'var/lib/ocfkit/installs/usr.json'), 'utf8')) as {
    prefix: string;
    files: Array<{ kind: string; path: string; size?: number; sha256?: string; target?: string }>;
  };
  assert.is(manifest.prefix, '/usr');
  const executable = manifest.files.find((f) => f.path === '/usr/sbin/ocfkit');
  assert.equal(executable, { kind: 'file', path: '/usr/sbin/ocfkit', size: statSync(ocfkitBinary).size, sha256: sha256(ocfkitBinary) });
  for (const name of agents) {
    assert.ok(
      manifest.files.some((f) => f.kind === 'symlink' && f.path === `/usr/lib/ocf/resource.d/ocfkit/${name}` && f.target === '/usr/sbin/ocfkit'),
      name,
    );
  }
  // DESTDIR is empty: every directory on the way was created, and recorded for uninstall
  for (const dir of ['/usr', '/usr/sbin', '/usr/lib/ocf/resource.d/ocfkit']) {
    assert.ok(
      manifest.files.some((f) => f.kind === 'directory' && f.path === dir),
      dir,
    );
  }
});

install('install honours --prefix and --ocf-root', (ctx) => {
  ok(ocfkit(['install', '--destdir', ctx.dir, '--prefix', '/opt/ocfkit', '--ocf-root', '/usr/local/lib/ocf']), 'install');
  assert.ok(existsSync(path.join(ctx.dir, 'opt/ocfkit/sbin/ocfkit')));
  for (const name of agents) assert.is(readlinkSync(path.join(ctx.dir, 'usr/local/lib/ocf/resource.d/ocfkit', name)), '/opt/ocfkit/sbin/ocfkit');
});

install('install refuses relative locations', (ctx) => {
  const r = ocfkit(['install', '--destdir', ctx.dir, '--prefix', 'usr']);
  assert.is(r.status, 1);
  assert.match(r.stderr, /^ocfkit: --prefix must be an absolute path, got "usr"\n$/);
});

install('an executable at PREFIX/sbin/ocfkit that install did not write is refused in one line, and nothing is written', (ctx) => {
  const small = olderExecutable(ctx.dir);
  const foreign = path.join(ctx.dir, 'usr/sbin/ocfkit');
  mkdirSync(path.dirname(foreign), { recursive: true });
  writeFileSync(foreign, '#!/bin/sh\n# the distribution package\n', { mode: 0o755 });
  const r = ocfkit(['install', '--source', small, '--destdir', ctx.dir]);
  assert.is(r.status, 1);
  assert.is(
    r.stderr,
    'ocfkit: not overwriting /usr/sbin/ocfkit: a file that ocfkit install did not write (no install manifest records it); move it away first if it may be replaced\n',
  );
  assert.is(readFileSync(foreign, 'utf8'), '#!/bin/sh\n# the distribution package\n');
  assert.not.ok(existsSync(path.join(ctx.dir, 'usr/lib')), 'no agent symlink was written either');
  assert.not.ok(existsSync(path.join(ctx.dir, 'var')), 'no manifest was written');
});

install('a hand-written agent in the OCF directory is never overwritten', (ctx) => {
  const small = olderExecutable(ctx.dir);
  const agentPath = path.join(ctx.dir, 'usr/lib/ocf/resource.d/ocfkit', agents[0]!);
  mkdirSync(path.dirname(agentPath), { recursive: true });
  writeFileSync(agentPath, '#!/bin/sh\n# hand-written agent\n');
  const r = ocfkit(['install', '--source', small, '--destdir', ctx.dir]);
  assert.is(r.status, 1);
  assert.match(r.stderr, new RegExp(`^ocfkit: not overwriting /usr/lib/ocf/resource.d/ocfkit/${agents[0]}: a file that ocfkit install did not write`));
  assert.is(readFileSync(agentPath, 'utf8'), '#!/bin/sh\n# hand-written agent\n');
});

install('an upgrade replaces what install wrote earlier; a changed executable is refused', (ctx) => {
  const older = olderExecutable(ctx.dir);
  ok(ocfkit(['install', '--destdir', ctx.dir, '--source', older]), 'install of the older executable');
  const upgrade = ok(ocfkit(['install', '--destdir', ctx.dir]), 'upgrade');
  assert.match(upgrade.stdout, /^installed \/usr\/sbin\/ocfkit$/m);
  assert.ok(readFileSync(path.join(ctx.dir, 'usr/sbin/ocfkit')).equals(readFileSync(ocfkitBinary)));

  // someone replaced the installed file since: neither install nor uninstall may touch it now
  const changed = path.join(ctx.dir, 'usr/sbin/ocfkit');
  writeFileSync(changed, '#!/bin/sh\n# patched by hand\n');
  const refused = ocfkit(['install', '--destdir', ctx.dir, '--source', older]);
  assert.is(refused.status, 1);
  assert.match(
    refused.stderr,
    /^ocfkit: not overwriting \/usr\/sbin\/ocfkit: a file that ocfkit install did not write \(it changed since ocfkit install wrote it\)/,
  );
  const removed = ok(ocfkit(['uninstall', '--destdir', ctx.dir]), 'uninstall');
  assert.is(removed.stderr, 'ocfkit: kept /usr/sbin/ocfkit: its content changed since ocfkit install wrote it (or another program replaced it)\n');
  assert.is(readFileSync(changed, 'utf8'), '#!/bin/sh\n# patched by hand\n');
  for (const name of agents) assert.not.ok(existsSync(path.join(ctx.dir, 'usr/lib/ocf/resource.d/ocfkit', name)), name);
});

install('uninstall removes what install wrote and nothing else', (ctx) => {
  ok(ocfkit(['install', '--source', olderExecutable(ctx.dir), '--destdir', ctx.dir]), 'install');
  const foreign = path.join(ctx.dir, 'usr/lib/ocf/resource.d/ocfkit/HandWritten');
  writeFileSync(foreign, '#!/bin/sh\n');
  // a symlink of ours repointed by the admin stays, and is named
  const repointed = path.join(ctx.dir, 'usr/lib/ocf/resource.d/ocfkit', agents[0]!);
  rmSync(repointed);
  symlinkSync('/opt/mine', repointed);
  const r = ok(ocfkit(['uninstall', '--destdir', ctx.dir]), 'uninstall');
  assert.is(r.stderr, `ocfkit: kept /usr/lib/ocf/resource.d/ocfkit/${agents[0]}: it points to /opt/mine now, not to /usr/sbin/ocfkit\n`);
  assert.not.ok(existsSync(path.join(ctx.dir, 'usr/sbin')), 'the executable and the directory install created are gone');
  for (const name of agents.slice(1)) assert.not.ok(existsSync(path.join(ctx.dir, 'usr/lib/ocf/resource.d/ocfkit', name)));
  assert.ok(existsSync(foreign), 'a file install did not write survives');
  assert.is(readlinkSync(repointed), '/opt/mine');
  assert.not.ok(existsSync(path.join(ctx.dir, 'var/lib/ocfkit/installs')), 'the record is gone');
  const again = ocfkit(['uninstall', '--destdir', ctx.dir]);
  assert.is(again.status, 1, 'a second uninstall has nothing to remove');
  assert.match(again.stderr, /^ocfkit: no install recorded for prefix \/usr in .*: nothing was installed there by "ocfkit install"\n$/);
});

install('installs under two prefixes are both recorded, and each uninstall removes its own', (ctx) => {
  const small = olderExecutable(ctx.dir);
  ok(ocfkit(['install', '--source', small, '--destdir', ctx.dir]), 'install to /usr');
  ok(ocfkit(['install', '--source', small, '--destdir', ctx.dir, '--prefix', '/opt/ocfkit', '--ocf-root', '/opt/ocf']), 'install to /opt/ocfkit');
  assert.equal(readdirSync(path.join(ctx.dir, 'var/lib/ocfkit/installs')).sort(), ['opt%2Focfkit.json', 'usr.json']);
  const none = ocfkit(['uninstall', '--destdir', ctx.dir, '--prefix', '/usr/local']);
  assert.is(none.status, 1);
  assert.match(none.stderr, /no install recorded for prefix \/usr\/local in .* \(recorded: \/opt\/ocfkit, \/usr; pass --prefix\)\n$/);

  ok(ocfkit(['uninstall', '--destdir', ctx.dir, '--prefix', '/opt/ocfkit']), 'uninstall /opt/ocfkit');
  assert.not.ok(existsSync(path.join(ctx.dir, 'opt')), '/opt/ocfkit and the directories made for it are gone');
  assert.ok(existsSync(path.join(ctx.dir, 'usr/sbin/ocfkit')), 'the /usr install is untouched');
  for (const name of agents) assert.is(readlinkSync(path.join(ctx.dir, 'usr/lib/ocf/resource.d/ocfkit', name)), '/usr/sbin/ocfkit');
  ok(ocfkit(['uninstall', '--destdir', ctx.dir]), 'uninstall /usr');
  assert.not.ok(existsSync(path.join(ctx.dir, 'usr/sbin/ocfkit')));
});

install('a second prefix on the same OCF root takes the links over; the first uninstall then keeps them', (ctx) => {
  const small = olderExecutable(ctx.dir);
  ok(ocfkit(['install', '--source', small, '--destdir', ctx.dir]), 'install to /usr');
  ok(ocfkit(['install', '--source', small, '--destdir', ctx.dir, '--prefix', '/usr/local']), 'install to /usr/local, same OCF root');
  const link = path.join(ctx.dir, 'usr/lib/ocf/resource.d/ocfkit', agents[0]!);
  assert.is(readlinkSync(link), '/usr/local/sbin/ocfkit');
  const r = ok(ocfkit(['uninstall', '--destdir', ctx.dir]), 'uninstall /usr');
  assert.match(
    r.stderr,
    new RegExp(`^ocfkit: kept /usr/lib/ocf/resource.d/ocfkit/${agents[0]}: it points to /usr/local/sbin/ocfkit now, not to /usr/sbin/ocfkit$`, 'm'),
  );
  assert.is(readlinkSync(link), '/usr/local/sbin/ocfkit', 'the /usr/local install still works');
  ok(ocfkit(['uninstall', '--destdir', ctx.dir, '--prefix', '/usr/local']), 'uninstall /usr/local');
  assert.not.ok(existsSync(link));
});

for (const mask of [0o000, 0o077]) {
  install(`every directory install creates is 0755 under umask ${mask.toString(8).padStart(3, '0')}`, (ctx) => {
    chmodSync(ctx.dir, 0o755);
    const small = olderExecutable(ctx.dir);
    withUmask(mask, () => ok(ocfkit(['install', '--source', small, '--destdir', ctx.dir, '--prefix', '/opt/ocfkit', '--ocf-root', '/srv/ocf']), 'install'));
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? [path.join(dir, e.name), ...walk(path.join(dir, e.name))] : []));
    const dirs = walk(ctx.dir);
    assert.ok(dirs.length >= 8, `${dirs.length} directories`);
    for (const dir of dirs) assert.is((statSync(dir).mode & 0o7777).toString(8), '755', path.relative(ctx.dir, dir));
    assert.is(statSync(path.join(ctx.dir, 'opt/ocfkit/sbin/ocfkit')).mode & 0o7777, 0o755);
    assert.is(statSync(path.join(ctx.dir, 'var/lib/ocfkit/installs/opt%2Focfkit.json')).mode & 0o7777, 0o644);
  });
}

install('an ocfkit 0.1 manifest: its links are taken over, its executable is kept (no hash to prove it)', (ctx) => {
  const small = olderExecutable(ctx.dir);
  ok(ocfkit(['install', '--source', small, '--destdir', ctx.dir, '--no-manifest', '--prefix', '/usr/local']), 'install without a manifest');
  const legacy = path.join(ctx.dir, 'var/lib/ocfkit/installed-files.json');
  mkdirSync(path.dirname(legacy), { recursive: true });
  const files = [
    { kind: 'executable', path: '/usr/local/sbin/ocfkit' },
    ...agents.map((a) => ({ kind: 'symlink', path: `/usr/lib/ocf/resource.d/ocfkit/${a}`, target: '/usr/local/sbin/ocfkit' })),
  ];
  writeFileSync(legacy, JSON.stringify({ files }, null, 2));
  ok(ocfkit(['install', '--source', small, '--destdir', ctx.dir]), 'install to /usr over the 0.1 links');
  for (const name of agents) assert.is(readlinkSync(path.join(ctx.dir, 'usr/lib/ocf/resource.d/ocfkit', name)), '/usr/sbin/ocfkit');
  const r = ok(ocfkit(['uninstall', '--destdir', ctx.dir, '--prefix', '/usr/local']), 'uninstall the 0.1 install');
  assert.match(r.stderr, /^ocfkit: kept \/usr\/local\/sbin\/ocfkit: an older ocfkit recorded it without a content hash/m);
  assert.ok(existsSync(path.join(ctx.dir, 'usr/local/sbin/ocfkit')));
  assert.not.ok(existsSync(legacy), 'the 0.1 manifest is done with');
});

install('the .cjs bundle installs with its CLI libraries beside it, and uninstalls them too', (ctx) => {
  const bundle = path.join(path.dirname(ocfkitBinary), 'ocfkit.cjs');
  const r = ok(runProgram(process.execPath, [bundle, 'install', '--destdir', ctx.dir]), 'install');
  assert.match(r.stdout, /^installed \/usr\/sbin\/ocfkit-cli-libraries\.cjs$/m);
  const installed = path.join(ctx.dir, 'usr/sbin/ocfkit');
  const help = ok(runProgram(process.execPath, [installed, '--help']), '--help');
  assert.match(help.stdout, /ocfkit install/);
  ok(runProgram(process.execPath, [bundle, 'uninstall', '--destdir', ctx.dir]), 'uninstall');
  assert.not.ok(existsSync(path.join(ctx.dir, 'usr/sbin/ocfkit-cli-libraries.cjs')));
});

install.run();
