// Runs rules with the real udev (`udevadm test`, which on systemd <= 255 also writes ATTR{} values
// for real) while the machine's own rules stay untouched: each call runs in a fresh private mount
// namespace in which a private directory is bind-mounted over /etc/udev/rules.d (and, only when
// systemRules is false, an empty one over /usr/lib/udev/rules.d: by default the packaged rules
// stay in play). Devices are real loop devices on sparse files, or a synthetic sysfs device for
// attributes this kernel lacks (md RAID5).
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { onRunEnd } from '../support/integration';
import { run, runOk, shellQuote, type RunResult } from './proc';
import { freshDir } from './tmp';

export interface UdevTestOptions {
  /** directory mounted over /etc/udev/rules.d (default: an empty one) */
  rulesDir?: string;
  /** keep the machine's packaged rules (/usr/lib/udev/rules.d) in play; default true, as on a node */
  systemRules?: boolean;
  /** extra bind mounts inside the namespace: [source, target] */
  binds?: Array<[string, string]>;
  env?: NodeJS.ProcessEnv;
}

export interface UdevTestResult extends RunResult {
  /** the "ATTR '<path>' writing '<value>'" lines udevadm printed: path -> value */
  writes: Record<string, string>;
  /** properties of the device after the rules ran (KEY=value lines udevadm prints last) */
  properties: Record<string, string>;
}

/** `udevadm test --action=ACTION DEVICE` (a /sys path or a name under /sys/block) in a private namespace. */
export async function udevTest(device: string, action: 'add' | 'change' | 'remove', options: UdevTestOptions = {}): Promise<UdevTestResult> {
  const syspath = device.startsWith('/sys/') ? device : `/sys/block/${device}`;
  const empty = freshDir('udev-empty');
  const mounts: Array<[string, string]> = [[options.rulesDir ?? empty, '/etc/udev/rules.d']];
  if (existsSync('/run/udev/rules.d')) mounts.push([empty, '/run/udev/rules.d']);
  if (options.systemRules === false) mounts.push([empty, '/usr/lib/udev/rules.d']);
  mounts.push(...(options.binds ?? []));
  const script = [
    ...mounts.map(([from, to]) => `mount --bind ${shellQuote(from)} ${shellQuote(to)}`),
    `exec udevadm test --action=${action} ${shellQuote(syspath)}`,
  ].join(' && ');
  const result = await run(['unshare', '--mount', '--propagation', 'private', 'sh', '-ec', script], {
    env: { ...process.env, ...options.env },
    timeoutMs: 60_000,
  });
  rmSync(empty, { recursive: true, force: true });
  const text = `${result.stdout}\n${result.stderr}`;
  if (result.code !== 0) throw new Error(`udevadm test --action=${action} ${syspath} exited ${result.code}:\n${text.trim().split('\n').slice(-15).join('\n')}`);
  const writes: Record<string, string> = {};
  for (const match of text.matchAll(/ATTR '([^']+)' writing '([^']*)'/g)) writes[match[1]!] = match[2]!;
  const properties: Record<string, string> = {};
  for (const line of result.stdout.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) properties[match[1]!] = match[2]!;
  }
  return { ...result, writes, properties };
}

export interface PrivateRules {
  /** the directory that is mounted over /etc/udev/rules.d */
  dir: string;
  test(device: string, action: 'add' | 'change' | 'remove', options?: Omit<UdevTestOptions, 'rulesDir'>): Promise<UdevTestResult>;
}

/**
 * Calls fn with a private rules directory holding `rules` (the text of one file named
 * 99-ocfkit-test.rules, or { fileName: text }); the directory is removed afterwards.
 */
export async function withPrivateRules<T>(rules: string | Record<string, string>, fn: (udev: PrivateRules) => Promise<T>): Promise<T> {
  const dir = freshDir('udev-rules');
  const files = typeof rules === 'string' ? { '99-ocfkit-test.rules': rules } : rules;
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  try {
    return await fn({ dir, test: (device, action, options = {}) => udevTest(device, action, { ...options, rulesDir: dir }) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A sysfs attribute of a block device (`/sys/block/NAME/ATTR`), trimmed. */
export function readSysfs(device: string, attr: string): string {
  const base = device.startsWith('/sys/') ? device : `/sys/block/${device}`;
  return readFileSync(path.join(base, attr), 'utf8').trim();
}

export function writeSysfs(device: string, attr: string, value: string): void {
  const base = device.startsWith('/sys/') ? device : `/sys/block/${device}`;
  writeFileSync(path.join(base, attr), `${value}\n`);
}

export interface LoopDevice {
  /** e.g. "loop3" */
  name: string;
  /** /dev/loop3 */
  dev: string;
  /** /sys/block/loop3 */
  sysPath: string;
  backingFile: string;
  detach(): Promise<void>;
}

const attached = new Set<LoopDevice>();
let detachRegistered = false;

/** A loop device on a new sparse file in the run's temp dir; detached at run end at the latest. */
export async function loopDevice(): Promise<LoopDevice> {
  const backingFile = path.join(freshDir('loop'), 'disk.img');
  writeFileSync(backingFile, '');
  await runOk(['truncate', '-s', '16M', backingFile]);
  const dev = (await runOk(['losetup', '--find', '--show', backingFile])).stdout.trim();
  const name = path.basename(dev);
  if (!detachRegistered) {
    detachRegistered = true;
    onRunEnd(detachAll);
  }
  const loop: LoopDevice = {
    name,
    dev,
    sysPath: `/sys/block/${name}`,
    backingFile,
    detach: async () => {
      if (!attached.delete(loop)) return;
      // only detach if it is still backed by our file (never someone else's device)
      const backing = await run(['losetup', '--noheadings', '--output', 'BACK-FILE', dev]);
      if (backing.stdout.trim() === backingFile) await runOk(['losetup', '--detach', dev]);
    },
  };
  attached.add(loop);
  return loop;
}

async function detachAll(): Promise<void> {
  for (const loop of [...attached]) await loop.detach().catch((error) => console.error(`harness: detaching ${loop.dev}: ${error}`));
}

export interface SyntheticMdOptions {
  /** md/level, e.g. "raid5", "raid1" */
  level: string;
  /** whether md/stripe_cache_size exists (RAID4/5/6 only, and only once the array runs) */
  hasStripeCache: boolean;
  stripeCacheSize?: number;
  /** md127 by default */
  name?: string;
  readAheadKb?: number;
}

export interface SyntheticDevice {
  name: string;
  /** the path udev sees inside the namespace */
  syspath: string;
  /** where its attribute files live on the host */
  hostDir: string;
  read(attr: string): string;
  write(attr: string, value: string): void;
  /** udevadm test on this device with `rulesDir` over /etc/udev/rules.d */
  udevTest(action: 'add' | 'change' | 'remove', rulesDir: string, options?: Omit<UdevTestOptions, 'rulesDir' | 'binds'>): Promise<UdevTestResult>;
}

/**
 * An md array that exists only as files: inside udevTest's namespace a directory of ours is bound
 * over /sys/devices/virtual/block (SYSTEMD_DEVICE_VERIFY_SYSFS=0 lets sd-device accept it), so
 * rules see its uevent and attributes, and ATTR{} writes land in files we can read back.
 */
export function syntheticMdDevice(options: SyntheticMdOptions): SyntheticDevice {
  const name = options.name ?? 'md127';
  const minor = Number(/\d+$/.exec(name)?.[0] ?? 127);
  const block = freshDir('sysfs-virtual-block');
  const dir = path.join(block, name);
  mkdirSync(path.join(dir, 'md'), { recursive: true });
  mkdirSync(path.join(dir, 'queue'), { recursive: true });
  writeFileSync(path.join(dir, 'uevent'), `MAJOR=9\nMINOR=${minor}\nDEVNAME=${name}\nDEVTYPE=disk\n`);
  writeFileSync(path.join(dir, 'dev'), `9:${minor}\n`);
  writeFileSync(path.join(dir, 'md/level'), `${options.level}\n`);
  writeFileSync(path.join(dir, 'md/array_state'), 'clean\n');
  writeFileSync(path.join(dir, 'queue/read_ahead_kb'), `${options.readAheadKb ?? 128}\n`);
  if (options.hasStripeCache) writeFileSync(path.join(dir, 'md/stripe_cache_size'), `${options.stripeCacheSize ?? 256}\n`);
  symlinkSync('../../../../class/block', path.join(dir, 'subsystem'));
  const syspath = `/sys/devices/virtual/block/${name}`;
  return {
    name,
    syspath,
    hostDir: dir,
    read: (attr) => readFileSync(path.join(dir, attr), 'utf8').trim(),
    write: (attr, value) => writeFileSync(path.join(dir, attr), `${value}\n`),
    udevTest: (action, rulesDir, testOptions = {}) =>
      udevTest(syspath, action, {
        ...testOptions,
        rulesDir,
        binds: [[block, '/sys/devices/virtual/block']],
        env: { ...testOptions.env, SYSTEMD_DEVICE_VERIFY_SYSFS: '0' },
      }),
  };
}
