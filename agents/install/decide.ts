// What install and uninstall may do with each path, decided from what is there (Found) and what
// the manifests say ocfkit wrote. Pure, so the rules are tested as tables:
// - install writes a missing path; leaves a path that already holds the wanted content; replaces a
//   path only while a manifest records exactly what is there now. Anything else is refused.
// - uninstall removes a path only while it holds what the manifest records; a changed file stays.
import type { ManifestEntry } from './manifest';

/** What lstat (and a hash, when the size could match) found at a path. */
export type Found =
  | { kind: 'missing' }
  /** sha256 is left out when no wanted or recorded size matches: then it cannot match anyway */
  | { kind: 'file'; size: number; sha256?: string }
  | { kind: 'symlink'; target: string }
  | { kind: 'directory' }
  | { kind: 'other' };

/** What install wants at a path. */
export type Wanted = { kind: 'file'; path: string; size: number; sha256: string } | { kind: 'symlink'; path: string; target: string };

export type InstallStep =
  | { action: 'write'; wanted: Wanted }
  /** holds the wanted content already; `recorded` when a manifest says ocfkit wrote it */
  | { action: 'unchanged'; wanted: Wanted; recorded: boolean };

export class InstallRefused extends Error {}

/** True when `entry` describes exactly what was found. */
export function holds(found: Found, entry: ManifestEntry | Wanted): boolean {
  if (entry.kind === 'file') return found.kind === 'file' && found.size === entry.size && found.sha256 === entry.sha256;
  if (entry.kind === 'symlink') return found.kind === 'symlink' && found.target === entry.target;
  return found.kind === 'directory';
}

/**
 * One step per wanted path, or InstallRefused (one line: the first path that may not be replaced,
 * why, and what to do) before anything is written. `recorded` holds the entries of every manifest.
 */
export function decideInstall(wanted: readonly Wanted[], found: (file: string) => Found, recorded: readonly ManifestEntry[]): InstallStep[] {
  const steps: InstallStep[] = [];
  const refusals: string[] = [];
  for (const want of wanted) {
    const there = found(want.path);
    const records = recorded.filter((entry) => entry.path === want.path);
    // a directory is never replaced, even one ocfkit created
    const ours = records.some((entry) => entry.kind !== 'directory' && holds(there, entry));
    if (there.kind === 'missing') steps.push({ action: 'write', wanted: want });
    else if (holds(there, want)) steps.push({ action: 'unchanged', wanted: want, recorded: ours });
    else if (ours) steps.push({ action: 'write', wanted: want });
    else refusals.push(refusal(want.path, there, records));
  }
  if (refusals.length > 0) {
    throw new InstallRefused(`${refusals[0]}${refusals.length > 1 ? ` (and ${refusals.length - 1} more)` : ''}`);
  }
  return steps;
}

function refusal(file: string, there: Found, records: readonly ManifestEntry[]): string {
  const what =
    there.kind === 'symlink' ? `a symlink to ${there.target}` : there.kind === 'file' ? 'a file' : there.kind === 'directory' ? 'a directory' : 'something';
  const why =
    records.length === 0
      ? 'no install manifest records it'
      : records.every((entry) => entry.kind === 'file' && entry.sha256 === '')
        ? 'an older ocfkit recorded it without a content hash'
        : 'it changed since ocfkit install wrote it';
  return `not overwriting ${file}: ${what} that ocfkit install did not write (${why}); move it away first if it may be replaced`;
}

export type UninstallStep =
  | { action: 'remove'; entry: ManifestEntry }
  /** a directory that is still there: removed only if empty */
  | { action: 'remove-if-empty'; entry: ManifestEntry }
  | { action: 'gone'; entry: ManifestEntry }
  | { action: 'keep'; entry: ManifestEntry; reason: string };

/** Innermost first: files before the directories created for them. */
export function decideUninstall(entries: readonly ManifestEntry[], found: (file: string) => Found): UninstallStep[] {
  const order = [...entries.filter((e) => e.kind !== 'directory'), ...entries.filter((e) => e.kind === 'directory').reverse()];
  const seen = new Set<string>();
  const steps: UninstallStep[] = [];
  for (const entry of order) {
    if (seen.has(entry.path)) continue;
    // the same path may be recorded twice (old and new content while an install was under way)
    const all = entries.filter((e) => e.path === entry.path);
    const there = found(entry.path);
    seen.add(entry.path);
    const match = all.find((e) => holds(there, e));
    if (there.kind === 'missing') steps.push({ action: 'gone', entry });
    else if (match) steps.push({ action: match.kind === 'directory' ? 'remove-if-empty' : 'remove', entry: match });
    else steps.push({ action: 'keep', entry, reason: keepReason(entry, there) });
  }
  return steps;
}

function keepReason(entry: ManifestEntry, there: Found): string {
  if (entry.kind === 'file' && entry.sha256 === '') return 'an older ocfkit recorded it without a content hash; remove it by hand if it is ocfkit';
  if (there.kind === 'symlink') return `it points to ${there.target} now${entry.kind === 'symlink' ? `, not to ${entry.target}` : ''}`;
  return `its content changed since ocfkit install wrote it (or another program replaced it)`;
}
