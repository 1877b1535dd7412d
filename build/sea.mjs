// Second build step, run by the Node 24 base binary: @yao-pkg/pkg's SEA mode with that same binary
// as nodePath (no download). The SEA main is the small build/sea-main/main.cjs; the agents bundle
// and its trained code cache (build/sea-main/train.mjs) travel as assets.
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { dropPageCache } from './page-cache.mjs';
import { trainCodeCache } from './sea-main/train.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const sea = require('@yao-pkg/pkg/lib-es5/sea.js').default;
const output = path.join(root, 'dist', 'ocfkit');
// An agent action is a short process that allocates a few MiB: a young generation of 4 MiB from
// the start spares it the two or three scavenges of the default 1 MiB one (about 5 ms a monitor).
// V8 accepts the code caches with this flag (it does not change compiled code).
const NODE_FLAGS = ['--min-semi-space-size=4'];
const started = Date.now();
const dist = path.join(root, 'dist');
// trained by this same Node binary: V8 accepts a code cache only from its own version and flags
trainCodeCache({ node: process.execPath, flags: NODE_FLAGS, bundle: path.join(dist, 'ocfkit.cjs'), output: path.join(dist, 'ocfkit.code-cache') });
await sea(path.join(dist, 'ocfkit-sea-main.cjs'), {
  targets: [{ nodeRange: 'node24', platform: 'linux', arch: 'x64', output }],
  nodePath: strippedBase(process.execPath),
  seaConfig: {
    useCodeCache: true,
    disableExperimentalSEAWarning: true,
    execArgv: NODE_FLAGS,
    assets: {
      'ocfkit.cjs': path.join(dist, 'ocfkit.cjs'),
      'ocfkit.code-cache': path.join(dist, 'ocfkit.code-cache'),
      // the CLI libraries bundle, loaded on first use (build/cli-libraries/load.cjs)
      'cli-libraries.cjs': path.join(dist, 'ocfkit-cli-libraries.cjs'),
    },
  },
});
// The executable must run without Node's "code cache rejected" warning, or it lost its cache.
const check = spawnSync(output, ['--version'], { encoding: 'utf8' });
if (check.status !== 0 || check.stderr !== '') throw new Error(`the new executable does not start cleanly: exit ${check.status}: ${check.stderr}`);
// pkg wrote the executable with one large write: drop its pages, as a reboot would (page-cache.mjs)
dropPageCache(output);
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
