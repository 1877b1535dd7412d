// Real udev without touching the host's udev: commands run in a private mount namespace where
// /etc/udev/rules.d is a test directory, /usr/lib/udev/rules.d is empty (only the rules under test
// run: no side effects of the distribution's rules on a shared machine), and /dev and /run are
// private tmpfs (udev's symlinks and database land there). Optionally a private systemd-udevd runs
// in that namespace (for `udevadm control --reload` and `udevadm trigger --settle`), and optionally
// /sys is replaced by a synthetic tree (md arrays this kernel cannot create).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const UDEVD = ['/lib/systemd/systemd-udevd', '/usr/lib/systemd/systemd-udevd'].find((p) => existsSync(p)) ?? '/lib/systemd/systemd-udevd';

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface PrivateUdevOptions {
  /** scratch directory of this test run (mount points and logs go here) */
  dir: string;
  /** becomes /etc/udev/rules.d */
  rulesDir: string;
  /** a synthetic tree that becomes /sys */
  sysfs?: string;
  /** start systemd-udevd in the namespace for the duration of the script */
  udevd?: boolean;
  env?: Record<string, string>;
}

/** Runs a shell script in the private udev namespace. */
export function inPrivateUdev(options: PrivateUdevOptions, script: string): Ran {
  const ns = path.join(options.dir, 'ns');
  const empty = path.join(ns, 'empty');
  const dev = path.join(ns, 'dev');
  mkdirSync(empty, { recursive: true });
  mkdirSync(dev, { recursive: true });
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const prelude = [
    'set -eu',
    `mount -t tmpfs tmpfs ${q(dev)}`,
    `for n in null zero random urandom; do touch ${q(dev)}/$n; mount --bind /dev/$n ${q(dev)}/$n; done`,
    `mount --bind ${q(dev)} /dev`,
    'mount -t tmpfs tmpfs /run',
    `mount --bind ${q(options.rulesDir)} /etc/udev/rules.d`,
    `mount --bind ${q(empty)} /usr/lib/udev/rules.d`,
    ...(options.sysfs ? [`mount --bind ${q(options.sysfs)} /sys`] : []),
    ...(options.udevd
      ? [
          `${q(UDEVD)} >${q(path.join(options.dir, 'udevd.log'))} 2>&1 &`,
          'udevd_pid=$!',
          // ends only the udevd this script started
          'trap \'kill "$udevd_pid" 2>/dev/null; wait "$udevd_pid" 2>/dev/null || true\' EXIT',
          'i=0; until udevadm control --ping 2>/dev/null; do i=$((i+1)); [ $i -lt 50 ] || { echo "private udevd did not start" >&2; exit 97; }; sleep 0.1; done',
        ]
      : []),
  ].join('\n');
  const file = path.join(options.dir, `script-${Date.now()}-${Math.random().toString(16).slice(2)}.sh`);
  writeFileSync(file, `${prelude}\n${script}\n`);
  const result = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', file], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...options.env },
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

export interface LoopDevice {
  name: string;
  /** restores the readahead it had and detaches */
  release(): void;
}

/** A loop device on a sparse backing file in `dir`. */
export function createLoopDevice(dir: string, label: string): LoopDevice {
  const backing = path.join(dir, `${label}-${process.pid}.img`);
  writeFileSync(backing, '');
  spawnSync('truncate', ['-s', '16M', backing]);
  const attached = spawnSync('losetup', ['--find', '--show', backing], { encoding: 'utf8' });
  if (attached.status !== 0) throw new Error(`losetup --find --show ${backing} failed: ${attached.stderr}`);
  const devicePath = attached.stdout.trim();
  const name = path.basename(devicePath);
  const original = readSys(name, 'queue/read_ahead_kb');
  return {
    name,
    release() {
      try {
        writeFileSync(`/sys/block/${name}/queue/read_ahead_kb`, original);
      } catch {
        // best effort: the loop device outlives its backing file, keep its readahead as found
      }
      spawnSync('losetup', ['--detach', devicePath]);
    },
  };
}

export function readSys(name: string, attribute: string): string {
  return readFileSync(`/sys/block/${name}/${attribute}`, 'utf8').trim();
}

export function writeSys(name: string, attribute: string, value: string): void {
  writeFileSync(`/sys/block/${name}/${attribute}`, value);
}

/** The udev (systemd) version, or undefined. */
export function udevVersion(): number | undefined {
  const result = spawnSync('udevadm', ['--version'], { encoding: 'utf8' });
  const version = Number(/^\d+/.exec(result.stdout ?? '')?.[0]);
  return result.status === 0 && Number.isInteger(version) ? version : undefined;
}

/**
 * A synthetic sysfs tree with md block devices: devices/virtual/block/NAME with uevent, dev,
 * subsystem link, queue/read_ahead_kb and md/* files, plus class/block and block links.
 */
export function syntheticMdSysfs(root: string, arrays: Record<string, { minor: number; md: Record<string, string> }>): void {
  mkdirSync(path.join(root, 'class', 'block'), { recursive: true });
  mkdirSync(path.join(root, 'block'), { recursive: true });
  const { symlinkSync } = require('node:fs') as typeof import('node:fs');
  for (const [name, array] of Object.entries(arrays)) {
    const dir = path.join(root, 'devices', 'virtual', 'block', name);
    mkdirSync(path.join(dir, 'md'), { recursive: true });
    mkdirSync(path.join(dir, 'queue'), { recursive: true });
    writeFileSync(path.join(dir, 'uevent'), `MAJOR=9\nMINOR=${array.minor}\nDEVNAME=${name}\nDEVTYPE=disk\n`);
    writeFileSync(path.join(dir, 'dev'), `9:${array.minor}\n`);
    writeFileSync(path.join(dir, 'queue', 'read_ahead_kb'), '128\n');
    for (const [file, value] of Object.entries(array.md)) writeFileSync(path.join(dir, 'md', file), `${value}\n`);
    symlinkSync('../../../../class/block', path.join(dir, 'subsystem'));
    symlinkSync(`../../devices/virtual/block/${name}`, path.join(root, 'class', 'block', name));
    symlinkSync(`../devices/virtual/block/${name}`, path.join(root, 'block', name));
  }
}
