// Whether dist/ocfkit (or dist/ocfkit-arm64) is older than anything it is built from: build/test.mjs and build/package.mjs
// rebuild it then. The version in package.json is compiled into the executable, so it counts too.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const SOURCES = ['agents', 'rules', 'build', 'package.json', 'package-lock.json'];

/** `executable`: dist/ocfkit, or another architecture's (build/arch.mjs) */
export function distIsStale(root, executable = path.join(root, 'dist', 'ocfkit')) {
  return !existsSync(executable) || newestSource(root, SOURCES) > statSync(executable).mtimeMs;
}

function newestSource(root, entries) {
  let newest = 0;
  const walk = (file) => {
    const stat = statSync(file);
    if (!stat.isDirectory()) {
      newest = Math.max(newest, stat.mtimeMs);
      return;
    }
    for (const entry of readdirSync(file)) walk(path.join(file, entry));
  };
  for (const entry of entries) if (existsSync(path.join(root, entry))) walk(path.join(root, entry));
  return newest;
}
