#!/usr/bin/env node
// npm run release: every artifact of a release in dist/release/ — the x86_64 and arm64
// executables, their .deb and RPM (xz -6) — with SHA256SUMS. Before the sums are written, each
// artifact is run for --version (the arm64 ones under qemu-user, a package's executable taken out
// of the package) and the release fails when any of them is not package.json's version.
//   node build/release.mjs
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ARCHES, spawnFor } from './arch.mjs';
import { versionMismatches } from './release-check.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
const out = path.join(dist, 'release');
const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const started = Date.now();

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: options.encoding ?? 'utf8',
    cwd: options.cwd ?? root,
    maxBuffer: 256 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} exited ${result.status}: ${String(result.stderr).trim()}`);
  return result.stdout;
}

function step(what, script, args) {
  const stepStarted = Date.now();
  const output = run(process.execPath, [path.join(root, 'build', script), ...args]);
  console.log(`${what}: ${((Date.now() - stepStarted) / 1000).toFixed(0)} s`);
  return output;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const artifacts = [];
for (const arch of Object.keys(ARCHES)) {
  // always built afresh: a release never reuses an executable from an earlier build
  step(`${arch} executable`, 'build.mjs', ['--arch', arch]);
  const executable = path.join(out, `ocfkit-${version}-linux-${arch}`);
  copyFileSync(path.join(root, ARCHES[arch].executable), executable);
  artifacts.push({ file: executable, arch, kind: 'executable' });
  const packaged = step(`${arch} .deb and RPM`, 'package.mjs', ['--deb', '--rpm', '--best', '--arch', arch]);
  for (const [, built] of packaged.matchAll(/^built (dist\/\S+\.(?:deb|rpm)) /gm)) {
    const file = path.join(out, path.basename(built));
    copyFileSync(path.join(root, built), file);
    artifacts.push({ file, arch, kind: built.endsWith('.deb') ? 'deb' : 'rpm' });
  }
}

// --- every artifact's --version ----------------------------------------------------------------
const work = mkdtempSync(path.join(dist, '.release-check-'));
try {
  const reported = artifacts.map((artifact) => ({ name: path.basename(artifact.file), version: artifactVersion(artifact) }));
  const wrong = versionMismatches(reported, version);
  if (wrong.length) {
    console.error(`release: ${wrong.join('; ')}`);
    process.exit(1);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

writeFileSync(
  path.join(out, 'SHA256SUMS'),
  artifacts.map(({ file }) => `${createHash('sha256').update(readFileSync(file)).digest('hex')}  ${path.basename(file)}\n`).join(''),
);
for (const { file } of artifacts) console.log(`  ${path.basename(file)}  ${Math.round(readFileSync(file).length / 1048576)} MiB`);
console.log(
  `release ${version}: ${artifacts.length} artifacts and SHA256SUMS in ${path.relative(root, out)}/, every one reports ${version}, in ${((Date.now() - started) / 1000).toFixed(0)} s`,
);

/** What the artifact's executable prints for --version (a package's own /usr/sbin/ocfkit). */
function artifactVersion({ file, arch, kind }) {
  let executable = file;
  if (kind !== 'executable') {
    const into = mkdtempSync(path.join(work, `${kind}-`));
    if (kind === 'deb') run('sh', ['-c', 'dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" ./usr/sbin/ocfkit', 'sh', file, into]);
    else run('sh', ['-c', 'cd "$2" && rpm2cpio "$1" | cpio --quiet -id ./usr/sbin/ocfkit', 'sh', file, into]);
    executable = path.join(into, 'usr/sbin/ocfkit');
  }
  const ran = spawnFor(arch, executable, ['--version'], { encoding: 'utf8' });
  return ran.status === 0 ? ran.stdout.trim() : `(exit ${ran.status ?? ran.signal}: ${ran.stderr.trim()})`;
}
