// Carries out an install plan idempotently, and uninstall removes only what install wrote: the
// executable only if the manifest lists it, symlinks only while they still point at it. A file in
// the way that ocfkit did not put there is an error, never overwritten.
import { lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, rmdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../cli/errors';
import { readIfExists, writeFileAtomic } from '../system/files';
import { MANIFEST, staged, type InstallOptions, type PlannedFile } from './plan';

export interface InstallReport {
  changed: string[];
  unchanged: string[];
}

export function applyInstall(plan: PlannedFile[], options: InstallOptions, sourceExecutable: string, writeManifest: boolean): InstallReport {
  const report: InstallReport = { changed: [], unchanged: [] };
  for (const file of plan) {
    const where = staged(options.destdir, file.path);
    mkdirSync(path.dirname(where), { recursive: true });
    if (file.kind === 'executable' || file.kind === 'companion') {
      const from = file.kind === 'executable' ? sourceExecutable : path.join(path.dirname(sourceExecutable), file.name);
      const wanted = readFileSync(from);
      if (sameContent(where, wanted)) {
        report.unchanged.push(file.path);
        continue;
      }
      // a new file renamed over the old one: a running agent keeps its old inode
      writeFileAtomic(where, wanted, file.kind === 'executable' ? 0o755 : 0o644);
      report.changed.push(file.path);
    } else {
      const existing = linkTarget(where);
      if (existing === file.target) {
        report.unchanged.push(file.path);
        continue;
      }
      if (existing === undefined && exists(where)) {
        throw new CliError(`${where} exists and is not a symlink to ${file.target}; not overwriting it`);
      }
      if (existing !== undefined && !isOcfkitTarget(existing)) {
        throw new CliError(`${where} points to ${existing}, not to an ocfkit executable; not overwriting it`);
      }
      const temporary = `${where}.ocfkit-new`;
      rmSync(temporary, { force: true });
      symlinkSync(file.target, temporary);
      renameSync(temporary, where);
      report.changed.push(file.path);
    }
  }
  if (writeManifest) {
    writeFileAtomic(staged(options.destdir, MANIFEST), JSON.stringify({ files: plan }, null, 2) + '\n');
  }
  return report;
}

export function applyUninstall(options: InstallOptions): string[] {
  const manifestText = readIfExists(staged(options.destdir, MANIFEST));
  if (!manifestText) throw new CliError(`${staged(options.destdir, MANIFEST)} not found: nothing was installed by "ocfkit install" here`);
  let plan: PlannedFile[];
  try {
    plan = (JSON.parse(manifestText) as { files: PlannedFile[] }).files;
  } catch (error) {
    throw new CliError(`${MANIFEST} is not valid JSON (${(error as Error).message}); remove the files by hand`);
  }
  const removed: string[] = [];
  for (const file of [...plan].reverse()) {
    const where = staged(options.destdir, file.path);
    if (file.kind === 'symlink') {
      if (linkTarget(where) === file.target) {
        rmSync(where);
        removed.push(file.path);
        removeIfEmpty(path.dirname(where));
      }
    } else if (exists(where)) {
      rmSync(where);
      removed.push(file.path);
    }
  }
  rmSync(staged(options.destdir, MANIFEST), { force: true });
  return removed;
}

function isOcfkitTarget(target: string): boolean {
  return path.basename(target) === 'ocfkit' || path.basename(target) === 'ocfkit.cjs';
}

function sameContent(file: string, wanted: Buffer): boolean {
  try {
    // the executable is some 100 MiB: read the installed one only when the sizes agree
    return statSync(file).size === wanted.length && readFileSync(file).equals(wanted);
  } catch {
    return false;
  }
}

function linkTarget(file: string): string | undefined {
  try {
    return readlinkSync(file);
  } catch {
    return undefined;
  }
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function removeIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // not empty or already gone
  }
}
