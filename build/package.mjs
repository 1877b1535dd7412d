#!/usr/bin/env node
// npm run package: dist/ocfkit_<version>_amd64.deb from the built dist/ocfkit, with dpkg-deb only,
// and with --rpm dist/ocfkit-<version>.x86_64.rpm from the same tree (build/rpm/rpm.mjs).
// The files come from the executable itself (`ocfkit install --destdir`, `ocfkit completion`) and
// from the agent and CLI definitions (man pages, agents/docs/generate.ts); the Debian metadata
// templates live in build/debian/. Builds the executable first when it is missing or stale.
//   node build/package.mjs [--deb] [--rpm] [--arch x64|arm64] [--best | --uncompressed]
// --deb (the default without --rpm) and --rpm choose the formats; --arch arm64 packages
// dist/ocfkit-arm64 (build/arch.mjs); --best: slower, smaller xz compression for releases;
// --uncompressed: no compression at all, for tests that take the package apart (the packages are
// 100+ MiB and compressing them is most of the time a test spends building them).
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { ARCHES, archFromArgv, spawnFor } from './arch.mjs';
import { copyrightFile } from './debian-copyright.mjs';
import { distIsStale } from './newest-source.mjs';
import { buildRpm } from './rpm/rpm.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const debian = path.join(root, 'build/debian');
const dist = path.join(root, 'dist');
const argv = process.argv.slice(2);
const arch = archFromArgv(argv);
const executable = path.join(root, ARCHES[arch].executable);
const best = argv.includes('--best');
const uncompressed = argv.includes('--uncompressed');
const formats = { rpm: argv.includes('--rpm'), deb: argv.includes('--deb') || !argv.includes('--rpm') };
const EXAMPLE_CONFIG = path.join(root, 'rules/config/ocfkit.example.yaml');
const started = Date.now();

// options.arch: a program of that architecture (the executable itself), under qemu-user when foreign
function run(command, args, options = {}) {
  const spawn = options.arch ? (file, rest, opts) => spawnFor(options.arch, file, rest, opts) : spawnSync;
  const result = spawn(command, args, {
    encoding: options.encoding ?? 'utf8',
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} exited ${result.status}: ${String(result.stderr).trim()}`);
  return result.stdout;
}

// --- version and date: the top entry of build/debian/changelog is the release -------------------
const upstream = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const changelog = readFileSync(path.join(debian, 'changelog'), 'utf8');
const top = /^ocfkit \(([^)]+)\)/.exec(changelog);
const dateLine = /^ -- .+?  (.+)$/m.exec(changelog);
if (!top || !dateLine) throw new Error('build/debian/changelog: no "ocfkit (VERSION)" entry with a " -- name  date" line at the top');
const version = top[1];
if (version.replace(/-[^-]+$/, '') !== upstream) {
  throw new Error(`build/debian/changelog:1: version ${version} does not match package.json's ${upstream}; add a changelog entry for ${upstream}`);
}
const releaseTime = new Date(dateLine[1]);
if (Number.isNaN(releaseTime.getTime())) throw new Error(`build/debian/changelog: unreadable date "${dateLine[1]}"`);
const date = releaseTime.toISOString().slice(0, 10);
// reproducible: every timestamp in the package is the release time
const sourceDateEpoch = String(Math.floor(releaseTime.getTime() / 1000));

// --- the executable ----------------------------------------------------------------------------
if (distIsStale(root, executable)) {
  console.log(`${path.relative(root, executable)} is missing or older than the sources: building it`);
  const build = spawnSync(process.execPath, [path.join(root, 'build/build.mjs'), '--arch', arch], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// --- stage the tree ----------------------------------------------------------------------------
const work = mkdtempSync(path.join(os.tmpdir(), 'ocfkit-package-'));
const stage = path.join(work, 'root');
const conffiles = [];
try {
  run(executable, ['install', '--destdir', stage, '--no-manifest', '--relative-links', '--source', executable], { arch });

  const man = path.join(stage, 'usr/share/man');
  run(process.execPath, ['--import', 'tsx', path.join(root, 'agents/docs/generate.ts'), man, version, date]);
  for (const section of readdirSync(man)) {
    for (const page of readdirSync(path.join(man, section))) run('gzip', ['-9n', path.join(man, section, page)]);
  }

  const completion = path.join(stage, 'usr/share/bash-completion/completions/ocfkit');
  mkdirSync(path.dirname(completion), { recursive: true });
  writeFileSync(completion, run(executable, ['completion'], { arch }));

  const handler = path.join(stage, 'usr/lib/ocfkit/drbd-split-brain-handler');
  mkdirSync(path.dirname(handler), { recursive: true });
  copyFileSync(path.join(debian, 'drbd-split-brain-handler'), handler);
  chmodSync(handler, 0o755);

  // the site configuration example comes from the host-configuration generators when they ship one
  if (existsSync(EXAMPLE_CONFIG)) {
    mkdirSync(path.join(stage, 'etc/ocfkit'), { recursive: true });
    copyFileSync(EXAMPLE_CONFIG, path.join(stage, 'etc/ocfkit/ocfkit.yaml'));
    conffiles.push('/etc/ocfkit/ocfkit.yaml');
  } else {
    console.log(`note: ${path.relative(root, EXAMPLE_CONFIG)} does not exist; the package has no /etc/ocfkit/ocfkit.yaml`);
  }

  const doc = path.join(stage, 'usr/share/doc/ocfkit');
  mkdirSync(doc, { recursive: true });
  const copyright = await copyrightFile(root, ARCHES[arch].node);
  writeFileSync(path.join(doc, 'copyright'), copyright.text);
  if (copyright.nodeLicense) copyFileSync(copyright.nodeLicense, path.join(doc, 'Node.js-notices.txt'));
  normalise(stage, walkTree(stage));

  if (formats.rpm) {
    const rpmStarted = Date.now();
    const rpm = buildRpm({
      root,
      work,
      tree: stage,
      files: walkTree(stage),
      conffiles,
      version,
      arch: ARCHES[arch].rpm,
      best,
      uncompressed,
      sourceDateEpoch,
      dist,
    });
    console.log(`built ${path.relative(root, rpm)} (${Math.round(statSync(rpm).size / 1048576)} MiB) in ${((Date.now() - rpmStarted) / 1000).toFixed(1)} s`);
  }
  if (formats.deb) {
    // --- what only the .deb has ------------------------------------------------------------------
    copyFileSync(path.join(debian, 'changelog'), path.join(doc, 'changelog.Debian'));
    run('gzip', ['-9n', path.join(doc, 'changelog.Debian')]);

    const overrides = path.join(debian, 'lintian-overrides');
    if (existsSync(overrides)) {
      mkdirSync(path.join(stage, 'usr/share/lintian/overrides'), { recursive: true });
      copyFileSync(overrides, path.join(stage, 'usr/share/lintian/overrides/ocfkit'));
    }

    // --- DEBIAN/ ---------------------------------------------------------------------------------
    const files = walkTree(stage);
    normalise(stage, files);
    const control = path.join(stage, 'DEBIAN');
    mkdirSync(control, { mode: 0o755 });
    const fields = {
      VERSION: version,
      ARCH: ARCHES[arch].deb,
      INSTALLED_SIZE: String(installedSizeKiB(stage, files)),
      SHLIBS_DEPENDS: sharedLibraryDepends(work, path.join(stage, 'usr/sbin/ocfkit')),
    };
    writeFileSync(
      path.join(control, 'control'),
      readFileSync(path.join(debian, 'control'), 'utf8').replace(/@([A-Z_]+)@/g, (match, key) => {
        if (!(key in fields)) throw new Error(`build/debian/control: unknown placeholder ${match}`);
        return fields[key];
      }),
    );
    writeFileSync(
      path.join(control, 'md5sums'),
      files
        .filter((file) => lstatSync(path.join(stage, file)).isFile() && !conffiles.includes(`/${file}`))
        .map(
          (file) =>
            `${createHash('md5')
              .update(readFileSync(path.join(stage, file)))
              .digest('hex')}  ${file}\n`,
        )
        .join(''),
    );
    if (conffiles.length) writeFileSync(path.join(control, 'conffiles'), conffiles.map((file) => `${file}\n`).join(''));
    for (const script of ['postinst', 'prerm']) {
      copyFileSync(path.join(debian, script), path.join(control, script));
      chmodSync(path.join(control, script), 0o755);
    }
    for (const file of readdirSync(control)) if (!['postinst', 'prerm'].includes(file)) chmodSync(path.join(control, file), 0o644);

    const deb = path.join(dist, `ocfkit_${version}_${ARCHES[arch].deb}.deb`);
    rmSync(deb, { force: true });
    // root-owned files without fakeroot. xz level 1 by default: for the 104 MiB executable it took
    // 6 s for a 32 MB package where level 6 took 79 s for 27 MB (measured on a busy 2-core machine);
    // --best uses level 6 for release builds.
    const compression = uncompressed ? ['-Znone'] : ['-Zxz', best ? '-z6' : '-z1'];
    run('dpkg-deb', ['--root-owner-group', ...compression, '--build', stage, deb], { env: { SOURCE_DATE_EPOCH: sourceDateEpoch } });
    console.log(
      `built ${path.relative(root, deb)} (${Math.round(statSync(deb).size / 1048576)} MiB, ${files.length} paths) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Every path under dir, relative, directories included, sorted. */
function walkTree(dir, prefix = '') {
  const out = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = path.join(prefix, entry.name);
    out.push(relative);
    if (entry.isDirectory()) out.push(...walkTree(dir, relative));
  }
  return out;
}

/** Debian modes (0755 directories and executables, 0644 the rest) and the release time on every path. */
function normalise(dir, files) {
  for (const file of files) {
    const full = path.join(dir, file);
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) continue;
    chmodSync(full, stat.isDirectory() || stat.mode & 0o111 ? 0o755 : 0o644);
    const when = new Date(Number(sourceDateEpoch) * 1000);
    utimesSync(full, when, when);
  }
}

/** Installed-Size as dpkg-gencontrol counts it: KiB per file rounded up, one per directory or link. */
function installedSizeKiB(dir, files) {
  return files.reduce((sum, file) => {
    const stat = lstatSync(path.join(dir, file));
    return sum + (stat.isFile() ? Math.ceil(stat.size / 1024) : 1);
  }, 0);
}

/** The libraries the embedded Node.js links against, as dpkg-shlibdeps words them (libc6, libstdc++6, ...). */
// For another architecture dpkg-shlibdeps runs as a cross build (dpkg-architecture -a) on the
// libraries of Debian's cross packages (libc6-arm64-cross, ...), and names those packages: their
// names are mapped back to the ones a node of that architecture has (libc6:arm64 -> libc6,
// libgcc-s1-arm64-cross -> libgcc-s1).
function sharedLibraryDepends(work, binary) {
  const source = path.join(work, 'shlibdeps');
  mkdirSync(path.join(source, 'debian'), { recursive: true });
  const debArch = ARCHES[arch].deb;
  // dpkg-shlibdeps wants to run inside a source tree with a control file naming the package
  writeFileSync(path.join(source, 'debian/control'), `Source: ocfkit\n\nPackage: ocfkit\nArchitecture: ${debArch}\n`);
  const cross = arch !== process.arch;
  const output = cross
    ? run('dpkg-architecture', ['-a', debArch, '-c', 'dpkg-shlibdeps', `-l${ARCHES[arch].libraries}/lib`, '-O', '-e', binary], { cwd: source })
    : run('dpkg-shlibdeps', ['-O', '-e', binary], { cwd: source });
  const depends = /^shlibs:Depends=(.*)$/m.exec(output)?.[1];
  if (!depends) throw new Error(`dpkg-shlibdeps printed no shlibs:Depends for ${binary}: ${output}`);
  return cross ? depends.replaceAll(`:${debArch}`, '').replaceAll(`-${debArch}-cross`, '') : depends;
}
