// Carries out install and uninstall on the file system; the decisions are decide.ts's. Install
// records what it wrote (size and SHA-256) in the prefix's manifest before and after writing, so a
// crash in between leaves every file it may have touched recorded; uninstall removes a path only
// while it holds what the manifest records.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, renameSync, rmdirSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { isSea } from 'node:sea';
import { RefusedError } from '../core/errors';
import { asFileSystemError, ensureDirectory, readIfExists, writeFileAtomic } from '../core/files';
import { decideInstall, decideUninstall, holds, InstallRefused, type Found, type Wanted } from './decide';
import { LEGACY_MANIFEST, MANIFEST_DIR, manifestPath, parseManifest, serializeManifest, type Manifest, type ManifestEntry } from './manifest';
import { staged, type InstallOptions, type PlannedFile } from './plan';

export interface InstallReport {
  changed: string[];
  unchanged: string[];
  /** already held the wanted content, but ocfkit install did not write it: not recorded */
  foreign: string[];
}

export function applyInstall(plan: PlannedFile[], options: InstallOptions, sourceExecutable: string, writeManifest: boolean): InstallReport {
  const prefix = path.resolve(options.prefix);
  const contents = new Map<string, Buffer>();
  const wanted = plan.map((file): Wanted => {
    if (file.kind === 'symlink') return { kind: 'symlink', path: file.path, target: file.target };
    const from = file.kind === 'executable' ? sourceExecutable : path.join(path.dirname(sourceExecutable), file.name);
    const content = readSource(from);
    contents.set(file.path, content);
    return { kind: 'file', path: file.path, size: content.length, sha256: sha256(content) };
  });
  const manifests = readManifests(options.destdir);
  const recorded = manifests.flatMap(({ manifest }) => manifest.files);
  const found = finder(options.destdir, [...wanted, ...recorded]);
  let steps;
  try {
    steps = decideInstall(wanted, found, recorded);
  } catch (error) {
    if (error instanceof InstallRefused) throw new RefusedError(error.message);
    throw error;
  }
  // this prefix's earlier records (and an ocfkit 0.1 manifest of the same prefix, taken over)
  const previous = manifests.filter(({ manifest }) => manifest.prefix === prefix);
  // entries without a hash (ocfkit 0.1) can never match: not carried into the new record
  const previousEntries = previous.flatMap(({ manifest }) => manifest.files).filter((entry) => !(entry.kind === 'file' && entry.sha256 === ''));
  const created: ManifestEntry[] = [];
  for (const dir of new Set(plan.map((file) => path.dirname(staged(options.destdir, file.path))))) {
    for (const made of ensureDirectory(dir)) {
      const final = unstaged(options.destdir, made);
      if (final) created.push({ kind: 'directory', path: final });
    }
  }
  const manifestFile = staged(options.destdir, manifestPath(prefix));
  if (writeManifest) {
    // intent: the old and the new content of every path about to be written both count as ours
    const writing = steps.filter((step) => step.action === 'write').map((step) => step.wanted);
    writeFileAtomic(manifestFile, serializeManifest({ prefix, files: [...previousEntries, ...created, ...writing] }));
  }
  const report: InstallReport = { changed: [], unchanged: [], foreign: [] };
  for (const step of steps) {
    const where = staged(options.destdir, step.wanted.path);
    if (step.action === 'unchanged') {
      (step.recorded ? report.unchanged : report.foreign).push(step.wanted.path);
    } else if (step.wanted.kind === 'file') {
      // a new file renamed over the old one: a running agent keeps its old inode
      const executable = plan.some((file) => file.kind === 'executable' && file.path === step.wanted.path);
      writeFileAtomic(where, contents.get(step.wanted.path)!, executable ? 0o755 : 0o644);
      report.changed.push(step.wanted.path);
    } else {
      replaceSymlink(where, step.wanted.target);
      report.changed.push(step.wanted.path);
    }
  }
  if (writeManifest) {
    const planned = new Set(wanted.map((want) => want.path));
    const ours = steps.filter((step) => step.action === 'write' || step.recorded).map((step) => step.wanted);
    // earlier records of paths this plan no longer has (another --ocf-root, a dropped agent) stay
    // while they still hold what was written, so uninstall still removes them
    const kept = previousEntries.filter((entry) => !planned.has(entry.path) && holds(found(entry.path), entry));
    const dirs = dedupe([...kept.filter((e) => e.kind === 'directory'), ...created]);
    writeFileAtomic(manifestFile, serializeManifest({ prefix, files: [...dirs, ...dedupe(kept.filter((e) => e.kind !== 'directory')), ...ours] }));
    for (const { file } of previous) if (file !== manifestFile) rmSync(file, { force: true });
  }
  return report;
}

export interface UninstallReport {
  removed: string[];
  kept: Array<{ path: string; reason: string }>;
}

export function applyUninstall(options: Pick<InstallOptions, 'prefix' | 'destdir'>): UninstallReport {
  if (!path.isAbsolute(options.prefix)) throw new RefusedError(`--prefix must be an absolute path, got "${options.prefix}"`);
  const prefix = path.resolve(options.prefix);
  const manifests = readManifests(options.destdir);
  const own = manifests.filter(({ manifest }) => manifest.prefix === prefix);
  if (own.length === 0) {
    const others = manifests.map(({ manifest }) => manifest.prefix);
    throw new RefusedError(
      `no install recorded for prefix ${prefix} in ${staged(options.destdir, MANIFEST_DIR)}` +
        (others.length > 0 ? ` (recorded: ${others.join(', ')}; pass --prefix)` : ': nothing was installed there by "ocfkit install"'),
    );
  }
  const entries = own.flatMap(({ manifest }) => manifest.files);
  const report: UninstallReport = { removed: [], kept: [] };
  for (const step of decideUninstall(entries, finder(options.destdir, entries))) {
    const where = staged(options.destdir, step.entry.path);
    if (step.action === 'remove') {
      rmSync(where);
      report.removed.push(step.entry.path);
    } else if (step.action === 'remove-if-empty') {
      if (removeIfEmpty(where)) report.removed.push(step.entry.path);
    } else if (step.action === 'keep') {
      report.kept.push({ path: step.entry.path, reason: step.reason });
    }
  }
  for (const { file } of own) rmSync(file, { force: true });
  removeIfEmpty(staged(options.destdir, MANIFEST_DIR));
  return report;
}

/** Every manifest under DESTDIR: one per prefix, and ocfkit 0.1's single one. */
function readManifests(destdir: string): Array<{ file: string; manifest: Manifest }> {
  const dir = staged(destdir, MANIFEST_DIR);
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw asFileSystemError('cannot list', dir, error);
    names = [];
  }
  const out: Array<{ file: string; manifest: Manifest }> = [];
  for (const file of [...names.map((name) => path.join(dir, name)), staged(destdir, LEGACY_MANIFEST)]) {
    const text = readIfExists(file);
    if (text === undefined) continue;
    try {
      out.push({ file, manifest: parseManifest(text, file) });
    } catch (error) {
      throw new RefusedError((error as Error).message);
    }
  }
  return out;
}

/** lstat of a final path (under DESTDIR), hashing a file only when its size matches one of `entries`. */
function finder(destdir: string, entries: ReadonlyArray<ManifestEntry | Wanted>): (file: string) => Found {
  return (file) => {
    const where = staged(destdir, file);
    try {
      const stat = lstatSync(where);
      if (stat.isSymbolicLink()) return { kind: 'symlink', target: readlinkSync(where) };
      if (stat.isDirectory()) return { kind: 'directory' };
      if (!stat.isFile()) return { kind: 'other' };
      // the executable is some 100 MiB: hash it only when a size says it could match
      const couldMatch = entries.some((entry) => entry.path === file && entry.kind === 'file' && entry.size === stat.size);
      return couldMatch ? { kind: 'file', size: stat.size, sha256: sha256(readFileSync(where)) } : { kind: 'file', size: stat.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      throw asFileSystemError('cannot inspect', where, error);
    }
  };
}

function readSource(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw asFileSystemError('cannot read the executable to install,', file, error);
  }
}

function replaceSymlink(where: string, target: string): void {
  const temporary = `${where}.ocfkit-new`;
  rmSync(temporary, { force: true });
  symlinkSync(target, temporary);
  renameSync(temporary, where);
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The final path of a staged one, or undefined for DESTDIR itself and what lies outside it. */
function unstaged(destdir: string, where: string): string | undefined {
  if (!destdir) return where;
  const relative = path.relative(path.resolve(destdir), where);
  return relative && !relative.startsWith('..') ? `/${relative}` : undefined;
}

function dedupe(entries: ManifestEntry[]): ManifestEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => !seen.has(`${entry.kind}:${entry.path}`) && Boolean(seen.add(`${entry.kind}:${entry.path}`)));
}

function removeIfEmpty(dir: string): boolean {
  try {
    if (readdirSync(dir).length > 0) return false;
    rmdirSync(dir);
    return true;
  } catch {
    return false; // already gone, or not ours to remove
  }
}

/** The file this process runs from: the single executable itself, or the .cjs bundle under Node. */
export function runningExecutable(): { path: string; single: boolean } {
  if (isSea()) return { path: process.execPath, single: true };
  return { path: process.argv[1] ?? '', single: false };
}
