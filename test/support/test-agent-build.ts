// Bundles the test-only agent into one executable file (a Node script with an absolute shebang,
// so Pacemaker and ocf-tester can run it with their own minimal PATH).
import { buildSync } from 'esbuild';
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './binaries';

let built: string | undefined;

export function buildTestAgent(): string {
  if (built) return built;
  const outfile = path.join(repoRoot, 'dist', 'test', 'TestResource');
  mkdirSync(path.dirname(outfile), { recursive: true });
  buildSync({
    entryPoints: [path.join(repoRoot, 'test/test-agents/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: `#!${process.execPath}` },
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755);
  built = outfile;
  return outfile;
}
