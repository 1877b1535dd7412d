// The arm64 packages come from the same scripts as the x86_64 ones: `npm run package -- --deb --rpm
// --arch arm64` packs dist/ocfkit-arm64 (built first when missing or stale) with arm64 metadata
// and dependencies, the same files in both formats, and the executable inside each package runs
// (under qemu-user) and reports the package's version.
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { emulationMissing, spawnFor } from '../../build/arch.mjs';
import { DEBIAN_ONLY } from '../../build/rpm/rpm.mjs';
import { repoRoot, type Ran } from '../support/binaries';
import { integrationSuite } from '../support/integration';
import { binary } from '../harness/needs';

interface Context {
  rpm: string;
  deb: string;
  dir: string;
}

const upstreamVersion = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

const pkg = integrationSuite<Context>(
  'arm64 packages: .deb and RPM from the same scripts, arm64 dependencies, the packaged executable runs',
  [
    { what: 'qemu-user and the arm64 libraries', check: () => emulationMissing('arm64') },
    binary('rpmbuild', 'rpm'),
    binary('rpm2cpio', 'rpm'),
    binary('cpio', 'cpio'),
    binary('dpkg-deb'),
    binary('aarch64-linux-gnu-strip', 'binutils-aarch64-linux-gnu'),
  ],
  { rpm: '', deb: '', dir: '' },
);

function run(file: string, args: string[]): Ran {
  const result = spawnSync(file, args, { encoding: 'utf8', cwd: repoRoot, timeout: 900_000, maxBuffer: 64 << 20 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function ok(ran: Ran, what: string): string {
  assert.is(ran.status, 0, `${what} failed (exit ${ran.status}):\n${ran.stdout}${ran.stderr}`);
  return ran.stdout;
}

pkg.before((ctx) => {
  try {
    const built = ok(
      run(process.execPath, [path.join(repoRoot, 'build/package.mjs'), '--deb', '--rpm', '--arch', 'arm64', '--uncompressed']),
      'npm run package -- --deb --rpm --arch arm64 --uncompressed',
    );
    const rpm = /built (dist\/ocfkit-\S+\.aarch64\.rpm)/.exec(built);
    const deb = /built (dist\/ocfkit_\S+_arm64\.deb)/.exec(built);
    assert.ok(rpm && deb, `package.mjs did not name both arm64 packages:\n${built}`);
    ctx.rpm = path.join(repoRoot, rpm![1]!);
    ctx.deb = path.join(repoRoot, deb![1]!);
    ctx.dir = mkdtempSync(path.join(repoRoot, 'dist', '.arm64-packages-'));
  } catch (error) {
    console.error('preparing the arm64 package suite failed:', error);
    throw error;
  }
});

pkg.after((ctx) => {
  if (ctx.dir) rmSync(ctx.dir, { recursive: true, force: true });
});

pkg('the .deb is Architecture arm64 and depends on the arm64 C libraries by their usual names', (ctx) => {
  assert.is(ok(run('dpkg-deb', ['--field', ctx.deb, 'Architecture']), 'dpkg-deb --field').trim(), 'arm64');
  const depends = ok(run('dpkg-deb', ['--field', ctx.deb, 'Depends']), 'dpkg-deb --field Depends').trim();
  for (const name of ['libc6', 'libstdc++6', 'libgcc-s1', 'pacemaker-cli-utils'])
    assert.ok(
      depends.split(/,\s*/).some((d) => d.split(' ')[0] === name),
      `Depends names ${name}: ${depends}`,
    );
  // the cross build's package names must not leak into the package
  assert.not.match(depends, /cross|:arm64/);
});

pkg('the RPM is aarch64 and requires the aarch64 loader, not the x86-64 one', (ctx) => {
  assert.is(ok(run('rpm', ['-qp', '--qf', '%{ARCH} %{VERSION}', ctx.rpm]), 'rpm -qp').trim(), `aarch64 ${upstreamVersion}`);
  const requires = ok(run('rpm', ['-qpR', ctx.rpm]), 'rpm -qpR').split('\n');
  assert.ok(requires.includes('ld-linux-aarch64.so.1()(64bit)'), requires.join(', '));
  assert.ok(requires.includes('pacemaker-cli'));
  assert.not.ok(
    requires.some((r) => r.includes('x86-64')),
    'no x86-64 requirement',
  );
});

pkg('both formats hold the same files (less what only Debian has)', (ctx) => {
  const debFiles = ok(run('dpkg-deb', ['--contents', ctx.deb]), 'dpkg-deb --contents')
    .split('\n')
    .filter((line) => line && !line.startsWith('d'))
    .map((line) => /\.(\/\S+?)(?: -> \S+)?$/.exec(line)![1]!)
    .filter((file) => !DEBIAN_ONLY.includes(file.slice(1)));
  const rpmFiles = ok(run('rpm', ['-qp', '--qf', '[%{FILEMODES:perms} %{FILENAMES}\\n]', ctx.rpm]), 'rpm -qp files')
    .split('\n')
    .filter((line) => line && !line.startsWith('d'))
    .map((line) => line.split(' ')[1]!);
  assert.equal(rpmFiles.sort(), debFiles.sort());
  assert.ok(rpmFiles.includes('/usr/sbin/ocfkit'));
});

pkg('the executable inside each package is arm64 and reports the version', (ctx) => {
  for (const [kind, file] of [
    ['deb', ctx.deb],
    ['rpm', ctx.rpm],
  ] as const) {
    const into = mkdtempSync(path.join(ctx.dir, `${kind}-`));
    const unpack =
      kind === 'deb' ? 'dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" ./usr/sbin/ocfkit' : 'cd "$2" && rpm2cpio "$1" | cpio --quiet -id ./usr/sbin/ocfkit';
    ok(run('sh', ['-c', unpack, 'sh', file, into]), `unpacking the ${kind}`);
    const executable = path.join(into, 'usr/sbin/ocfkit');
    // ELF e_machine 183: EM_AARCH64
    assert.is(readFileSync(executable).readUInt16LE(18), 183, `${kind}: an arm64 ELF executable`);
    const ran = spawnFor('arm64', executable, ['--version'], { encoding: 'utf8' });
    assert.is(ran.status, 0, ran.stderr);
    assert.is(ran.stdout.trim(), upstreamVersion, kind);
    assert.is(ran.stderr, '', `${kind}: the code cache was accepted`);
  }
});

pkg.run();
