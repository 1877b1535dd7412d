// Builds the guests' boot files from Debian packages only: Debian's kernel (vmlinuz and the few
// modules the lab needs, taken from linux-image-amd64) and a root filesystem made by mmdebstrap,
// packed as one initramfs. Cached under ~/.cache/ocfkit-lab/<key>, the key hashing everything
// that goes in (package list, module list, mirror, guest init script), so a second run boots at once.
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { run } from './proc';
import { moduleClosure } from './modules';

const GUEST_PACKAGES = ['drbd-utils', 'mdadm', 'udev', 'ifupdown', 'iproute2', 'kmod', 'procps', 'iputils-ping'];
/** only for the Pacemaker scenario: doubles the image (python3, perl, resource-agents come along) */
export const PACEMAKER_PACKAGES = ['pacemaker', 'corosync', 'pacemaker-cli-utils'];
const GUEST_MODULES = [
  'virtio_pci',
  'virtio_net',
  'virtio_blk',
  '9p',
  '9pnet_virtio',
  'drbd',
  'lru_cache',
  'libcrc32c',
  'crc32c_generic',
  'raid456',
  'dm_mod',
  'loop',
];
const SUITE = 'bookworm';
const INIT_SCRIPT = path.join(__dirname, 'guest', 'init.sh');

export interface GuestImage {
  kernel: string;
  initrd: string;
  kernelVersion: string;
  /** the cache directory: extensions put their own boot files next to vmlinuz */
  dir: string;
}

/**
 * What a lab mode adds to the base image (e.g. the Xen mode): more packages and kernel modules,
 * and a last step on the finished root before it is packed. It gets its own cache key.
 */
export interface ImageExtension {
  id: string;
  packages: string[];
  modules: string[];
  /** the text of every file finish() copies in, so that changing one rebuilds the image */
  keyParts: string[];
  /** root: the Debian root about to be packed; out: the cache directory being filled; kernelDir: the extracted kernel package */
  finish(root: string, out: string, kernelDir: string, kernelVersion: string): Promise<void>;
}

/** The Debian mirror this machine's apt uses (deb822 or one-line sources), so no other host is needed. */
function debianMirror(): string {
  const files = ['/etc/apt/sources.list', ...listDir('/etc/apt/sources.list.d').map((f) => path.join('/etc/apt/sources.list.d', f))];
  for (const file of files) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const match =
      /^(?:URIs:\s*|deb\s+(?:\[[^\]]*\]\s+)?)(\S*\/debian)\/?\s*$/m.exec(text) ?? /^(?:URIs:\s*|deb\s+(?:\[[^\]]*\]\s+)?)(\S*\/debian)\/?\s/m.exec(text);
    if (match?.[1]) return match[1];
  }
  return 'http://deb.debian.org/debian';
}

function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

function cacheRoot(): string {
  return process.env.OCFKIT_LAB_CACHE ?? path.join(homedir(), '.cache', 'ocfkit-lab');
}

export async function guestImage(log: (line: string) => void, extraPackages: string[] = [], extension?: ImageExtension): Promise<GuestImage> {
  const packages = [...GUEST_PACKAGES, ...extraPackages, ...(extension?.packages ?? [])];
  const modules = [...GUEST_MODULES, ...(extension?.modules ?? [])];
  const mirror = debianMirror();
  const init = readFileSync(INIT_SCRIPT, 'utf8');
  const extra = extension ? { extension: extension.id, modules, parts: extension.keyParts } : {};
  const key = createHash('sha256')
    .update(JSON.stringify({ v: 1, SUITE, mirror, GUEST_PACKAGES: packages, GUEST_MODULES, init, ...extra }))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(cacheRoot(), key);
  const manifest = path.join(dir, 'manifest.json');
  if (existsSync(manifest)) {
    const { kernelVersion } = JSON.parse(readFileSync(manifest, 'utf8')) as { kernelVersion: string };
    const now = new Date();
    utimesSync(manifest, now, now);
    log(`guest image: cached ${dir}`);
    return { kernel: path.join(dir, 'vmlinuz'), initrd: path.join(dir, 'rootfs.cpio'), kernelVersion, dir };
  }
  mkdirSync(cacheRoot(), { recursive: true });
  const work = mkdtempSync(path.join(cacheRoot(), `build-${process.pid}-`));
  try {
    const started = Date.now();
    log(`guest image: building (mmdebstrap ${SUITE} from ${mirror}; ${packages.join(' ')})`);
    const root = path.join(work, 'root');
    await run('mmdebstrap', [
      '--variant=minbase',
      `--include=${packages.join(',')}`,
      '--dpkgopt=path-exclude=/usr/share/doc/*',
      '--dpkgopt=path-exclude=/usr/share/man/*',
      '--dpkgopt=path-exclude=/usr/share/locale/*',
      SUITE,
      root,
      mirror,
    ]);
    const kernelVersion = await addKernel(work, root, modules);
    copyFileSync(INIT_SCRIPT, path.join(root, 'init'));
    chmodSync(path.join(root, 'init'), 0o755);
    const out = path.join(work, 'out');
    mkdirSync(out);
    await extension?.finish(root, out, path.join(work, 'kernel'), kernelVersion);
    copyFileSync(path.join(work, 'kernel', 'boot', `vmlinuz-${kernelVersion}`), path.join(out, 'vmlinuz'));
    await run('sh', ['-c', 'find . -print0 | cpio --null -o -H newc --quiet > "$0"', path.join(out, 'rootfs.cpio')], { cwd: root });
    writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ kernelVersion, mirror, packages, modules }, null, 2));
    rmSync(dir, { recursive: true, force: true });
    renameSync(out, dir);
    pruneCache(key);
    log(`guest image: built in ${((Date.now() - started) / 1000).toFixed(0)} s (kernel ${kernelVersion})`);
    return { kernel: path.join(dir, 'vmlinuz'), initrd: path.join(dir, 'rootfs.cpio'), kernelVersion, dir };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Debian's current kernel package, extracted (not installed); only the needed modules go into the root. */
async function addKernel(work: string, root: string, modules: string[]): Promise<string> {
  const debs = path.join(work, 'debs');
  mkdirSync(debs);
  await run('apt-get', ['download', 'linux-image-amd64'], { cwd: debs });
  const meta = readdirSync(debs).find((f) => f.startsWith('linux-image-amd64_'));
  if (!meta) throw new Error('apt-get download linux-image-amd64 produced no package');
  const depends = (await run('dpkg-deb', ['-f', path.join(debs, meta), 'Depends'])).stdout;
  const image = /linux-image-[0-9][^ ,(]*/.exec(depends)?.[0];
  if (!image) throw new Error(`linux-image-amd64 depends on no kernel image: ${depends}`);
  await run('apt-get', ['download', image], { cwd: debs });
  const deb = readdirSync(debs).find((f) => f.startsWith(`${image}_`));
  if (!deb) throw new Error(`apt-get download ${image} produced no package`);
  const kernel = path.join(work, 'kernel');
  await run('dpkg-deb', ['-x', path.join(debs, deb), kernel]);
  const kernelVersion = image.replace(/^linux-image-/, '');
  const from = path.join(kernel, 'lib', 'modules', kernelVersion);
  const to = path.join(root, 'lib', 'modules', kernelVersion);
  for (const relative of [...moduleClosure(from, modules), 'modules.order', 'modules.builtin', 'modules.builtin.modinfo']) {
    mkdirSync(path.dirname(path.join(to, relative)), { recursive: true });
    copyFileSync(path.join(from, relative), path.join(to, relative));
  }
  await run('chroot', [root, 'depmod', kernelVersion]);
  return kernelVersion;
}

/** Images not used for a week (older package lists, init scripts) are removed when a new one is built. */
function pruneCache(keep: string): void {
  const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
  for (const entry of listDir(cacheRoot())) {
    // a build interrupted (Ctrl-C) leaves its work dir: remove it once its process is gone
    const builder = /^build-(\d+)-/.exec(entry)?.[1];
    if (builder && !alive(Number(builder))) rmSync(path.join(cacheRoot(), entry), { recursive: true, force: true });
    const manifest = path.join(cacheRoot(), entry, 'manifest.json');
    if (entry !== keep && existsSync(manifest) && statSync(manifest).mtimeMs < weekAgo) {
      rmSync(path.join(cacheRoot(), entry), { recursive: true, force: true });
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
