// The RPM half of build/package.mjs: fills build/rpm/ocfkit.spec.in from the same definitions as
// the .deb (the staged tree, build/debian/control's description, build/debian/changelog) and runs
// rpmbuild (Debian's rpm package) on it. The tree is built already; %install only copies it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);

/**
 * Directories every RPM system has (the filesystem package or the distribution's basic packages
 * own them): the package lists them for neither ownership nor removal. Every other directory of
 * the tree is the package's own (%dir), so erasing it leaves nothing behind.
 */
export const SYSTEM_DIRECTORIES = [
  'etc',
  'usr',
  'usr/lib',
  'usr/sbin',
  'usr/share',
  'usr/share/bash-completion',
  'usr/share/bash-completion/completions',
  'usr/share/doc',
  'usr/share/man',
  'usr/share/man/man7',
  'usr/share/man/man8',
];

/** Files only the .deb has: Debian's own changelog name and lintian's overrides. */
export const DEBIAN_ONLY = [
  'usr/share/doc/ocfkit/changelog.Debian.gz',
  'usr/share/lintian',
  'usr/share/lintian/overrides',
  'usr/share/lintian/overrides/ocfkit',
];

/** Summary and %description from a Debian control file's Description field. */
export function description(control) {
  const match = /^Description: (.*)\n((?: .*\n?)*)/m.exec(control);
  if (!match) throw new Error('build/debian/control: no Description field');
  const body = match[2]
    .split('\n')
    .filter((line) => line !== '')
    // Debian: one leading space per line, " ." for an empty line
    .map((line) => (line === ' .' ? '' : line.slice(1)))
    .join('\n');
  return { summary: match[1].trim(), body };
}

/** RPM %changelog entries from a Debian changelog (newest first, as both formats keep them). */
export function changelog(text) {
  const entries = [];
  const entry = /^(\S+) \(([^)]+)\)[^\n]*\n([\s\S]*?)^ -- (.+?)  (.+)$/gm;
  for (const [, , version, body, who, date] of text.matchAll(entry)) {
    const when = new Date(date);
    if (Number.isNaN(when.getTime())) throw new Error(`build/debian/changelog: unreadable date "${date}"`);
    // "Sun Nov 22 2026": rpm wants the weekday, month, day and year in English
    const day = when.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+).*$/, '$1 $3 $2 $4');
    const items = body
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.replace(/^ {2}\* /, '- ').replace(/^ {4}/, '  '))
      .join('\n');
    entries.push(`* ${day} ${who} - ${version}\n${items}`);
  }
  if (!entries.length) throw new Error('build/debian/changelog: no entries');
  return entries.join('\n\n');
}

/** The %files section: attributes from the tree itself, conffiles as %config(noreplace). */
export function fileList(tree, files, { conffiles, licenses }) {
  const lines = ['%defattr(-,root,root,-)'];
  for (const file of files) {
    if (DEBIAN_ONLY.includes(file)) continue;
    const stat = lstatSync(path.join(tree, file));
    const quoted = `"/${file}"`;
    if (stat.isDirectory()) {
      if (!SYSTEM_DIRECTORIES.includes(file)) lines.push(`%dir ${quoted}`);
    } else if (conffiles.includes(`/${file}`)) {
      lines.push(`%config(noreplace) ${quoted}`);
    } else if (licenses.includes(`/${file}`)) {
      lines.push(`%license ${quoted}`);
    } else {
      lines.push(quoted);
    }
  }
  return lines.join('\n');
}

/**
 * Builds the RPM into `dist`; returns its path.
 * arch: the RPM name of the architecture (x86_64, aarch64).
 */
export function buildRpm({ root, work, tree, files, conffiles, version, arch, best, uncompressed, sourceDateEpoch, dist }) {
  const [upstream, release] = /^(.+)-([^-]+)$/.exec(version)?.slice(1) ?? [];
  if (!upstream) throw new Error(`version ${version} has no Debian revision to use as the RPM release`);
  const debian = path.join(root, 'build/debian');
  const control = readFileSync(path.join(debian, 'control'), 'utf8');
  const text = description(control);
  const packager = /^Maintainer: (.+)$/m.exec(control)?.[1];
  if (!packager) throw new Error('build/debian/control: no Maintainer field');
  const fields = {
    VERSION: upstream,
    RELEASE: release,
    SUMMARY: text.summary,
    PACKAGER: packager,
    DESCRIPTION: text.body,
    ARCH: arch,
    // xz level 1 by default, as the .deb (see build/package.mjs); --best: level 6
    PAYLOAD: uncompressed ? 'w.ufdio' : best ? 'w6.xzdio' : 'w1.xzdio',
    FILES: fileList(tree, files, { conffiles, licenses: ['/usr/share/doc/ocfkit/copyright'] }),
    CHANGELOG: changelog(readFileSync(path.join(debian, 'changelog'), 'utf8')),
  };
  const spec = readFileSync(path.join(here, 'ocfkit.spec.in'), 'utf8').replace(/@([A-Z_]+)@/g, (match, key) => {
    if (!(key in fields)) throw new Error(`build/rpm/ocfkit.spec.in: unknown placeholder ${match}`);
    return fields[key];
  });
  const top = path.join(work, 'rpmbuild');
  mkdirSync(path.join(top, 'SPECS'), { recursive: true });
  const specFile = path.join(top, 'SPECS/ocfkit.spec');
  writeFileSync(specFile, spec);
  const result = spawnSync(
    'rpmbuild',
    ['-bb', '--target', `${arch}-linux`, '--define', `_topdir ${top}`, '--define', `ocfkit_tree ${tree}`, '--define', '_rpmdir %{_topdir}/RPMS', specFile],
    { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: sourceDateEpoch }, maxBuffer: 64 << 20 },
  );
  if (result.error) throw new Error(`rpmbuild: ${result.error.message} (Debian package rpm)`);
  if (result.status !== 0) throw new Error(`rpmbuild exited ${result.status}:\n${result.stdout}${result.stderr}`);
  const built = /^Wrote: (\S+\.rpm)$/m.exec(result.stdout + result.stderr)?.[1];
  if (!built) throw new Error(`rpmbuild named no package it wrote:\n${result.stdout}${result.stderr}`);
  const rpm = path.join(dist, path.basename(built));
  copyFileSync(built, rpm);
  // the spec beside it: rpmlint checks it too
  copyFileSync(specFile, path.join(dist, 'ocfkit.spec'));
  return rpm;
}
