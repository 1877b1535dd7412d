// udev match keys as data: the renderer writes them into the rules file, the matcher evaluates the
// same keys against an inventory device to predict what the rules tune. Keeping one description
// of every key is what keeps the rules file and `udev apply`/`udev status` in step.
import { udevGlobMatch } from './glob';
import type { BlockDevice } from './inventory';

export interface UdevKey {
  field: 'ACTION' | 'SUBSYSTEM' | 'KERNEL' | 'ENV' | 'ATTR' | 'TEST';
  /** the property (ENV) or attribute (ATTR) name */
  name?: string;
  op: '==' | '!=';
  /** a udev glob; for TEST, a path relative to the device */
  value: string;
}

/** A value inside "...": the config layer allows no character that udev would treat specially. */
export function quote(value: string): string {
  if (/["\\$%{}\n\r\x00-\x1f]/.test(value)) throw new Error(`internal: unescaped value ${JSON.stringify(value)} reached the udev renderer`);
  return `"${value}"`;
}

/** KERNEL=="md*", ENV{MD_UUID}=="..." */
export function renderKey(key: UdevKey): string {
  return `${key.field}${key.name !== undefined ? `{${key.name}}` : ''}${key.op}${quote(key.value)}`;
}

/**
 * Whether udev would find `key` true for `device`. An unset property or absent attribute matches no
 * `==` pattern and every `!=` one. The matcher looks at devices, not events: ACTION is evaluated as
 * "change" (the event `udev apply` sends, and one every generated rule accepts) and SUBSYSTEM as
 * "block" (the inventory lists /sys/block).
 */
export function keyMatches(key: UdevKey, device: BlockDevice): boolean {
  const actual = keyValue(key, device);
  const matches = key.field === 'TEST' ? actual !== undefined : actual !== undefined && udevGlobMatch(key.value, actual);
  return key.op === '==' ? matches : !matches;
}

function keyValue(key: UdevKey, device: BlockDevice): string | undefined {
  switch (key.field) {
    case 'ACTION':
      return 'change';
    case 'SUBSYSTEM':
      return 'block';
    case 'KERNEL':
      return device.name;
    case 'ENV':
      return device.properties[key.name!];
    case 'ATTR':
      return device.attributes[key.name!];
    case 'TEST':
      return device.attributes[key.value];
  }
}

/** The event keys that start every rule line: block whole disks (partitions have no queue attributes). */
export function eventKeys(changeOnly: boolean): UdevKey[] {
  return [
    { field: 'ACTION', op: '==', value: changeOnly ? 'change' : 'add|change' },
    { field: 'SUBSYSTEM', op: '==', value: 'block' },
    { field: 'ENV', name: 'DEVTYPE', op: '==', value: 'disk' },
  ];
}

/** The guards of the md-only tunables (stripe cache), each with why it fails on a device. */
export const MD_GUARDS: ReadonlyArray<{ key: UdevKey; unmet: (device: BlockDevice) => string }> = [
  {
    // the attribute exists only while the array runs
    key: { field: 'TEST', op: '==', value: 'md/stripe_cache_size' },
    unmet: () => 'no md/stripe_cache_size (not an md array, or the array is not running)',
  },
  {
    key: { field: 'ATTR', name: 'md/level', op: '==', value: 'raid[456]' },
    unmet: (device) => `md level is ${device.attributes['md/level'] || 'unknown'}, the stripe cache exists only on raid4/5/6`,
  },
];
