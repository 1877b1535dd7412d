// Second build step, run by the Node 24 base binary: @yao-pkg/pkg's SEA mode with that same binary
// as nodePath (no download). The SEA main is the small build/sea-main/main.cjs; the agents bundle
// and its trained code cache (build/sea-main/train.mjs) travel as assets.
//   build/sea.mjs [--arch x64|arm64]     (build/arch.mjs; arm64 -> dist/ocfkit-arm64)
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ARCHES, archFromArgv, launcher, nodeBase, spawnFor } from './arch.mjs';
import { dropPageCache } from './page-cache.mjs';
import { trainCodeCache } from './sea-main/train.mjs';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const sea = require('@yao-pkg/pkg/lib-es5/sea.js').default;
const arch = archFromArgv(process.argv.slice(2));
const output = path.join(root, ARCHES[arch].executable);
const base = nodeBase(root, arch);
// An agent action is a short process that allocates a few MiB: a young generation of 4 MiB from
// the start spares it the two or three scavenges of the default 1 MiB one (about 5 ms a monitor).
// V8 accepts the code caches with this flag (it does not change compiled code).
const NODE_FLAGS = ['--min-semi-space-size=4'];
const started = Date.now();
const dist = path.join(root, 'dist');
const codeCache = path.join(dist, arch === 'x64' ? 'ocfkit.code-cache' : `ocfkit-${arch}.code-cache`);
// trained by the base binary itself (under qemu-user for another architecture): V8 accepts a code
// cache only from its own version, flags and CPU architecture
trainCodeCache({ node: base, flags: NODE_FLAGS, bundle: path.join(dist, 'ocfkit.cjs'), output: codeCache, launcher: launcher(arch) });
const seaConfig = {
  useCodeCache: true,
  disableExperimentalSEAWarning: true,
  execArgv: NODE_FLAGS,
  assets: {
    'ocfkit.cjs': path.join(dist, 'ocfkit.cjs'),
    'ocfkit.code-cache': codeCache,
    // the CLI libraries bundle, loaded on first use (build/cli-libraries/load.cjs)
    'cli-libraries.cjs': path.join(dist, 'ocfkit-cli-libraries.cjs'),
  },
};
const main = path.join(dist, 'ocfkit-sea-main.cjs');
if (arch === process.arch) {
  await sea(main, { targets: [{ nodeRange: 'node24', platform: 'linux', arch, output }], nodePath: strippedBase(base), seaConfig });
} else {
  await foreignSea(main, strippedBase(base), seaConfig);
}
// The executable must run without Node's "code cache rejected" warning, or it lost its cache.
const check = spawnFor(arch, output, ['--version'], { encoding: 'utf8' });
if (check.status !== 0 || check.stderr !== '') throw new Error(`the new executable does not start cleanly: exit ${check.status}: ${check.stderr}`);
// pkg wrote the executable with one large write: drop its pages, as a reboot would (page-cache.mjs)
dropPageCache(output);
console.log(
  `built ${path.relative(root, output)} (${Math.round(statSync(output).size / 1048576)} MiB, Node ${process.version} base) in ${Date.now() - started} ms`,
);

// The base binary without its symbol table (18 MiB less; Debian ships stripped executables).
// It must be stripped before the blob goes in: stripping the finished executable breaks the
// injected SEA notes. Without binutils' strip, the unstripped base is used.
// Another architecture's base needs that architecture's strip (binutils-aarch64-linux-gnu).
function strippedBase(node) {
  const stripped = path.join(root, 'dist', arch === 'x64' ? 'node-base-stripped' : `node-base-stripped-${arch}`);
  if (existsSync(stripped) && statSync(stripped).mtimeMs >= statSync(node).mtimeMs) return stripped;
  const strip = ARCHES[arch].strip;
  const result = spawnSync(strip, ['--strip-unneeded', '--remove-section=.comment', node, '-o', stripped], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.warn(`${strip} is not available (binutils${arch === 'x64' ? '' : '-aarch64-linux-gnu'}): using the unstripped Node base binary`);
    return node;
  }
  return stripped;
}

// What pkg's SEA mode does, for a base that cannot run here: pkg would ask the base its version by
// running it and then make the blob with this machine's Node, whose code cache V8 on arm64 rejects.
// Here the base itself writes the blob, under qemu-user, and postject (pkg's own) injects it.
async function foreignSea(mainScript, baseBinary, config) {
  const { inject } = createRequire(require.resolve('@yao-pkg/pkg/package.json'))('postject');
  const work = mkdtempSync(path.join(dist, '.sea-'));
  try {
    const blob = path.join(work, 'sea-prep.blob');
    const configFile = path.join(work, 'sea-config.json');
    writeFileSync(configFile, JSON.stringify({ main: mainScript, output: blob, useSnapshot: false, ...config }));
    const made = spawnFor(arch, baseBinary, ['--experimental-sea-config', configFile], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`the ${arch} Node base could not write the SEA blob (exit ${made.status ?? made.signal}): ${made.stderr.trim()}`);
    rmSync(output, { force: true });
    copyFileSync(baseBinary, output);
    // LIEF warns about the notes' section names it re-reads after making room for the blob; pkg
    // hides the same lines (its BENIGN_POSTJECT_STDERR): they do not affect the executable
    const write = process.stderr.write;
    process.stderr.write = (chunk, ...rest) =>
      /^warning: Can't find string offset for section name '\.note/.test(String(chunk)) || write.call(process.stderr, chunk, ...rest);
    try {
      await inject(output, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2', overwrite: true });
    } finally {
      process.stderr.write = write;
    }
    chmodSync(output, 0o755);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
