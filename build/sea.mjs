// Second build step, run by the Node 24 base binary: @yao-pkg/pkg's SEA mode with that same binary
// as nodePath (no download), with V8's code cache for a fast start.
import { createRequire } from 'node:module';
import { statSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const sea = require('@yao-pkg/pkg/lib-es5/sea.js').default;
const output = path.join(root, 'dist', 'ocfkit');
const started = Date.now();
await sea(path.join(root, 'dist', 'ocfkit.cjs'), {
  targets: [{ nodeRange: 'node24', platform: 'linux', arch: 'x64', output }],
  nodePath: process.execPath,
  seaConfig: { useCodeCache: true, disableExperimentalSEAWarning: true },
});
console.log(`built dist/ocfkit (${Math.round(statSync(output).size / 1048576)} MiB, Node ${process.version} base) in ${Date.now() - started} ms`);
