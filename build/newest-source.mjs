// The newest modification time under the given folders: build/test.mjs and build/package.mjs
// rebuild dist/ocfkit when a source file is newer than it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export function newestSource(root, dirs) {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const dir of dirs) if (existsSync(path.join(root, dir))) walk(path.join(root, dir));
  return newest;
}
