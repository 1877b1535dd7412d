// Second build step, run by the Node 24 base binary: @yao-pkg/pkg's SEA mode with that same binary
// as nodePath (no download), with V8's code cache for a fast start.
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const sea = require('@yao-pkg/pkg/lib-es5/sea.js').default;
const output = path.join(root, 'dist', 'ocfkit');
const started = Date.now();
await sea(path.join(root, 'dist', 'ocfkit.cjs'), {
  targets: [{ nodeRange: 'node24', platform: 'linux', arch: 'x64', output }],
  nodePath: strippedBase(process.execPath),
  // the CLI libraries bundle travels inside the executable (build/cli-libraries/load.cjs)
  seaConfig: { useCodeCache: true, disableExperimentalSEAWarning: true, assets: { 'cli-libraries.cjs': path.join(root, 'dist', 'ocfkit-cli-libraries.cjs') } },
});
console.log(`built dist/ocfkit (${Math.round(statSync(output).size / 1048576)} MiB, Node ${process.version} base) in ${Date.now() - started} ms`);

// The base binary without its symbol table (18 MiB less; Debian ships stripped executables).
// It must be stripped before the blob goes in: stripping the finished executable breaks the
// injected SEA notes. Without binutils' strip, the unstripped base is used.
function strippedBase(node) {
  const stripped = path.join(root, 'dist', 'node-base-stripped');
  if (existsSync(stripped) && statSync(stripped).mtimeMs >= statSync(node).mtimeMs) return stripped;
  const result = spawnSync('strip', ['--strip-unneeded', '--remove-section=.comment', node, '-o', stripped], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.warn('strip is not available (binutils): using the unstripped Node base binary');
    return node;
  }
  return stripped;
}
