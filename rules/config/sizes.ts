// Sizes as admins write them. read_ahead_kb is KiB in sysfs, but people think in "4M" and tuned
// and blockdev(8) count 512-byte sectors ("8192s"). Everything is converted to whole KiB; a value
// that is not a whole number of KiB is refused rather than rounded.

const UNITS: Record<string, number> = { '': 1, k: 1, kb: 1, kib: 1, m: 1024, mb: 1024, mib: 1024, g: 1024 * 1024, gb: 1024 * 1024, gib: 1024 * 1024 };

/** Parses 4100, "4100", "4096K", "4M", "1G", "8192s" into KiB; throws Error(reason) otherwise. */
export function parseSizeKiB(value: string | number | boolean): number {
  if (typeof value === 'boolean') throw new Error(`expected a size such as 4096, "4M" or "8192s", found ${value}`);
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) throw new Error(`${value} is not a whole number of KiB`);
    return value;
  }
  const match = /^\s*(\d+)\s*([A-Za-z]*)\s*$/.exec(value);
  if (!match) throw new Error(`${JSON.stringify(value)} is not a size: write KiB (4096), a size with a unit (4096K, 4M, 1G) or 512-byte sectors (8192s)`);
  const number = Number(match[1]);
  const unit = match[2]!;
  if (unit === 's') {
    if (number % 2 !== 0) throw new Error(`${JSON.stringify(value)} is an odd number of 512-byte sectors, not a whole number of KiB`);
    return number / 2;
  }
  const factor = UNITS[unit.toLowerCase()];
  if (factor === undefined) throw new Error(`unknown unit "${unit}" in ${JSON.stringify(value)}: use K, M, G (binary: 1M = 1024 KiB) or s (512-byte sectors)`);
  const kib = number * factor;
  if (!Number.isSafeInteger(kib)) throw new Error(`${JSON.stringify(value)} is too large`);
  return kib;
}

/** Bytes for memory reports: 268435456 -> "256 MiB" (one decimal when not whole) */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
