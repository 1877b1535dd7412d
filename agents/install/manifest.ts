// The install manifest: what `ocfkit install` wrote under one prefix, with each file's size and
// SHA-256, so that a later install or uninstall touches a path only while it still holds what was
// written there. One manifest per prefix (installs to /usr and /usr/local are both remembered).
// Parsing is pure and strict: a manifest it cannot read is an error naming the file.
import path from 'node:path';

/** A symlink's "content" is its target text: size and sha256 are those of that text. */
export type ManifestEntry =
  { kind: 'file'; path: string; size: number; sha256: string } | { kind: 'symlink'; path: string; target: string } | { kind: 'directory'; path: string };

export interface Manifest {
  prefix: string;
  files: ManifestEntry[];
}

export const MANIFEST_DIR = '/var/lib/ocfkit/installs';
/** Written by ocfkit 0.1 without sizes and hashes; read so such an install is not forgotten. */
export const LEGACY_MANIFEST = '/var/lib/ocfkit/installed-files.json';

/** /usr -> /var/lib/ocfkit/installs/usr.json, /usr/local -> usr%2Flocal.json: one file per prefix. */
export function manifestPath(prefix: string): string {
  const relative = path.resolve(prefix).slice(1);
  return path.join(MANIFEST_DIR, `${relative ? encodeURIComponent(relative) : '%2F'}.json`);
}

export function serializeManifest(manifest: Manifest): string {
  return JSON.stringify({ version: 2, prefix: manifest.prefix, files: manifest.files }, null, 1) + '\n';
}

/** The manifest in `text` (read from `file`); throws one line naming the file and the entry. */
export function parseManifest(text: string, file: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); remove the files it lists by hand`, { cause: error });
  }
  const bad = (why: string) => new Error(`${file}: ${why}; remove the files it lists by hand`);
  if (!isObject(data) || !Array.isArray(data.files)) throw bad('no "files" list');
  if (data.version === undefined) return legacy(data.files, bad);
  if (data.version !== 2 || typeof data.prefix !== 'string' || !path.isAbsolute(data.prefix)) throw bad('unknown version or no absolute "prefix"');
  const files = data.files.map((entry: unknown, index: number): ManifestEntry => {
    const where = `files[${index}]`;
    if (!isObject(entry) || typeof entry.path !== 'string' || !path.isAbsolute(entry.path)) throw bad(`${where} has no absolute "path"`);
    if (entry.kind === 'directory') return { kind: 'directory', path: entry.path };
    if (entry.kind === 'symlink' && typeof entry.target === 'string' && entry.target) return { kind: 'symlink', path: entry.path, target: entry.target };
    if (entry.kind === 'file' && Number.isSafeInteger(entry.size) && typeof entry.sha256 === 'string' && /^[0-9a-f]{64}$/.test(entry.sha256)) {
      return { kind: 'file', path: entry.path, size: entry.size as number, sha256: entry.sha256 };
    }
    throw bad(`${where} (${entry.path}) is not a file with size and sha256, a symlink with a target, or a directory`);
  });
  return { prefix: data.prefix, files };
}

/**
 * ocfkit 0.1's manifest ({files: [{kind: executable|companion|symlink, path, target?}]}) recorded no
 * content: its symlinks can still be judged by their target, its files never match (size -1), so
 * they are neither overwritten nor removed.
 */
function legacy(entries: unknown[], bad: (why: string) => Error): Manifest {
  const files = entries.map((entry, index): ManifestEntry => {
    if (!isObject(entry) || typeof entry.path !== 'string' || !path.isAbsolute(entry.path)) throw bad(`files[${index}] has no absolute "path"`);
    if (entry.kind === 'symlink' && typeof entry.target === 'string' && entry.target) return { kind: 'symlink', path: entry.path, target: entry.target };
    if (entry.kind === 'executable' || entry.kind === 'companion') return { kind: 'file', path: entry.path, size: -1, sha256: '' };
    throw bad(`files[${index}] (${entry.path}) has an unknown kind`);
  });
  const executable = files.find((f, index) => f.kind === 'file' && (entries[index] as { kind?: unknown }).kind === 'executable');
  // PREFIX/sbin/ocfkit: the prefix is two levels up
  return { prefix: executable ? path.dirname(path.dirname(executable.path)) : '/usr', files };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
