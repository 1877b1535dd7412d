// The block devices of this host as udev sees them: the whole disks listed in /sys/block, each with
// its udev properties (`udevadm info --query=property`, falling back to the kernel's uevent file
// when udev has no record) and the current values of the tunable attributes. The sysfs root is a
// parameter so tests can point it at a synthetic tree.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Executor } from '../../agents/core/executor';
import { TUNABLE_NAMES, TUNABLES } from '../config/block-tunables';

export interface BlockDevice {
  /** kernel name: sda, md0, dm-3, drbd1 */
  name: string;
  properties: Record<string, string>;
  /** raw sysfs contents (trimmed) by attribute path relative to the device; absent when the file is */
  attributes: Record<string, string>;
}

/** Extra attributes the matcher and reports need besides the tunables. */
const CONTEXT_ATTRIBUTES = ['md/level', 'md/raid_disks'];

/** KEY=value lines (udevadm info --query=property, uevent files). */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return out;
}

function readAttributes(sysfsRoot: string, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const attribute of [...TUNABLE_NAMES.map((t) => TUNABLES[t].attribute), ...CONTEXT_ATTRIBUTES]) {
    try {
      out[attribute] = readFileSync(path.join(sysfsRoot, 'block', name, attribute), 'utf8').trim();
    } catch {
      // absent: not this kind of device, or not yet (md attributes before the array runs)
    }
  }
  return out;
}

async function readDevice(exec: Executor, sysfsRoot: string, name: string): Promise<BlockDevice> {
  const devicePath = path.join(sysfsRoot, 'block', name);
  let properties: Record<string, string> = {};
  const result = await exec.run('udevadm', ['info', '--query=property', `--path=${devicePath}`], { timeoutMs: 15_000 });
  if (result.exitCode === 0) properties = parseProperties(result.stdout);
  if (!properties.DEVTYPE) {
    try {
      properties = { ...parseProperties(readFileSync(path.join(devicePath, 'uevent'), 'utf8')), ...properties };
    } catch {
      // a device that vanished between listing and reading: it has no properties
    }
  }
  return { name, properties, attributes: readAttributes(sysfsRoot, name) };
}

function listBlockDevices(sysfsRoot: string): string[] {
  try {
    return readdirSync(path.join(sysfsRoot, 'block')).sort(byKernelName);
  } catch (error) {
    throw new Error(`cannot list ${path.join(sysfsRoot, 'block')}: ${(error as Error).message}`, { cause: error });
  }
}

export async function readInventory(exec: Executor, sysfsRoot: string, names = listBlockDevices(sysfsRoot)): Promise<BlockDevice[]> {
  const devices: BlockDevice[] = [];
  // a few at a time: hosts with hundreds of multipath legs should not fork hundreds at once
  for (let i = 0; i < names.length; i += 8) {
    devices.push(...(await Promise.all(names.slice(i, i + 8).map((name) => readDevice(exec, sysfsRoot, name)))));
  }
  return devices;
}

/** sda < sdb < sdaa, loop2 < loop10 */
function byKernelName(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true }) || a.length - b.length;
}
